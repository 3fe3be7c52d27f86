"""Forms of the 揭榜挂帅 selection pages (issue 17): enrolment, reviews, objections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution


class ExpertEnrolForm(forms.Form):
    institution = forms.ModelChoiceField(Institution.objects.order_by("name"), required=False,
                                         label=_("institution"))
    title = forms.CharField(label=_("professional title"), max_length=60, required=False)
    disciplines = forms.CharField(label=_("disciplines"), max_length=1000, required=False,
                                  help_text=_("Separated by commas."))
    keywords = forms.CharField(label=_("expertise keywords"), max_length=1000, required=False,
                               help_text=_("Separated by commas."))
    bio = forms.CharField(label=_("biography"), max_length=5000, required=False,
                          widget=forms.Textarea(attrs={"rows": 3}))
    conflicts_declared = forms.CharField(
        label=_("declared conflicts of interest"), max_length=5000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Companies you work for, own shares in, advise or are related to."))


class ReviewForm(forms.Form):
    """One field per criterion of the rubric, named criterion_<id> like the service's errors."""

    comment = forms.CharField(label=_("comment"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} (0–{criterion.max_score}, ×{criterion.weight})",
                min_value=0, max_value=criterion.max_score, decimal_places=2, max_digits=6)

    def scores(self) -> dict:
        return {name.removeprefix("criterion_"): value
                for name, value in self.cleaned_data.items() if name.startswith("criterion_")}


class ObjectionForm(forms.Form):
    reasons = forms.CharField(label=_("reasons"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
