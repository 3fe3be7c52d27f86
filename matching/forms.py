"""The website's forms for needs, applications, decisions and outcomes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import ListField

from .models import Agreement, Application, Challenge, Outcome


class DateInput(forms.DateInput):
    input_type = "date"


class ChallengeForm(forms.ModelForm):
    required_expertise = ListField(
        label=_("required expertise"),
        help_text=_("The fields of knowledge the work needs, separated by commas or 、; "
                    "researchers are matched on them."))
    preferred_disciplines = ListField(
        label=_("preferred disciplines"),
        help_text=_("Optional. Researchers of these disciplines score a little higher."))
    # A reward of 0 is shown as 面议 (negotiable) everywhere; saying so is a choice
    # of its own here rather than a zero typed into the amount.
    reward_negotiable = forms.BooleanField(
        label=_("reward negotiable (面议)"), required=False,
        help_text=_("Tick when the reward is to be agreed with the researcher; leave the "
                    "amount empty."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reward"].required = False
        if self.instance.pk and not self.instance.reward:
            self.initial["reward_negotiable"] = True
            self.initial["reward"] = None
        order = list(self.fields)
        order.remove("reward_negotiable")
        order.insert(order.index("reward") + 1, "reward_negotiable")
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        if data.get("reward_negotiable"):
            data["reward"] = 0
        elif data.get("reward") is None and "reward" not in self.errors:
            self.add_error("reward", _("Enter the reward, or tick “reward negotiable”."))
        return data

    class Meta:
        model = Challenge
        fields = ["programme", "cohort", "title", "background", "goals", "indicators",
                  "required_expertise", "industry", "reward", "deadline", "headcount",
                  "preferred_institutions", "preferred_disciplines", "ip_terms",
                  "confidentiality"]
        widgets = {"deadline": DateInput(), "preferred_institutions": forms.SelectMultiple(
            attrs={"size": 6})}
        help_texts = {
            "programme": _("Open bounty (揭榜挂帅): a defined problem and a reward. Technology "
                           "vice-president (科技副总): a researcher joins your management part "
                           "time. PhDs into enterprises (博士入企): a PhD placement in a cohort."),
            "cohort": _("Only for PhD placements: the cohort (期) the need joins."),
            "title": _("One line that says what you need solved."),
            "background": _("Your product or process, and why the problem matters."),
            "goals": _("What a successful result is."),
            "indicators": _("Measurable targets, e.g. efficiency ≥ 95% after 1,000 hours."),
            "industry": _("The leading industry (车药芯化航) the need belongs to."),
            "reward": _("In 10,000 yuan (万元)."),
            "deadline": _("The last day researchers can apply."),
            "headcount": _("How many researchers you will accept."),
            "preferred_institutions": _("Optional. Hold Ctrl (⌘ on a Mac) to choose several."),
            "ip_terms": _("Who owns the results, and how the researchers are credited."),
            "confidentiality": _("With “summary public”, only the title, programme, industry "
                                 "and reward are public; the full text is shown to verified "
                                 "researchers."),
        }


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["proposal", "team", "budget", "timeline"]
        help_texts = {
            "proposal": _("How you would solve the problem: approach, milestones, what you "
                          "have done that is close to it."),
            "team": _("Who works with you, with their roles."),
            "budget": _("In 10,000 yuan (万元)."),
            "timeline": _("For example: 3 months feasibility, 9 months pilot."),
        }


class DecisionForm(forms.Form):
    DECISIONS = [("shortlist", _("shortlist")), ("accept", _("accept")),
                 ("decline", _("decline"))]
    decision = forms.ChoiceField(choices=DECISIONS, label=_("decision"), error_messages={
        "required": _("Choose shortlist, accept or decline."),
        "invalid_choice": _("Choose shortlist, accept or decline.")})
    message = forms.CharField(label=_("message to the researcher"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for withdrawal"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required once researchers have applied; district staff see it."))


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "title", "identifier", "patent_status", "applied_on", "granted_on",
                  "funded_under", "registration_number", "registration_office",
                  "contract_type", "contract_parties", "amount", "achieved_on", "evidence"]
        widgets = {"achieved_on": DateInput(), "applied_on": DateInput(),
                   "granted_on": DateInput()}
        help_texts = {
            "evidence": _("A PDF, PNG or JPEG of at most 10 MB: the patent notice, the "
                          "contract's signature page, the funding letter."),
            "amount": _("For contracts and funded projects, in 10,000 yuan (万元)."),
            "patent_status": _("For invention patents."),
            "funded_under": _("For funded projects: the programme that funds it."),
            "identifier": _("For patents the application number with its check character, "
                            "e.g. 202310123456.6."),
            "registration_number": _("For technology contracts registered (技术合同登记): "
                                     "only registered contracts count in the deal value."),
        }


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["starts_on", "ends_on", "amount", "service_days_per_month", "ip_terms",
                  "terms"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class EndAgreementForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Every party is shown it."))
