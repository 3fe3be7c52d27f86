"""The website's forms for accounts: sign-up, company details and members, the
researcher's profile and works. Each is saved through a service."""

import re

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Company, LegalText, ResearcherProfile, User, Work
from .validators import validate_phone


class ListField(forms.CharField):
    """A list of short terms typed on one line, separated by commas, 、 or semicolons."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Separate terms with commas or 、."))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        terms = [t.strip() for t in re.split(r"[,，、;；\n]+", text) if t.strip()]
        if any(len(t) > 100 for t in terms):
            raise ValidationError(_("Each term can have at most 100 characters."))
        if len(terms) > 50:
            raise ValidationError(_("Give at most 50 terms."))
        return list(dict.fromkeys(terms))


def add_errors(form: forms.Form, error: ValidationError, renamed: dict | None = None) -> None:
    """Show a service's refusal on the form: on its field when the form has one
    (`renamed` maps the service's field names to the form's where they differ)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = (renamed or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class LegalTextsForm(forms.Form):
    """Accepting the privacy notice and user agreement in force, named by version.

    The versions the person was shown travel with the form, so that a text
    published while the form was open is asked for again instead of taken as
    read (accounts.privacy.legal_texts_accept). Before staff publish any text
    there is nothing to accept and no box.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = list(LegalText.objects.current())
        for text in texts:
            self.fields[f"{text.kind}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=text.version, required=False)
        if texts:
            named = format_html(
                '<a href="{}" target="_blank">{}</a>', reverse("accounts:legal_texts"),
                _(" and ").join(str(_("%(text)s, version %(v)d") % {
                    "text": t.get_kind_display(), "v": t.version}) for t in texts))
            self.fields["accept_legal"] = forms.BooleanField(
                required=True, label=format_html("{} {}", _("I have read and accept the"), named),
                error_messages={"required": _("Tick the box to accept the privacy notice and "
                                              "the user agreement.")})

    def versions(self) -> dict[str, int]:
        return {name.removesuffix("_version"): value for name, value in self.cleaned_data.items()
                if name.endswith("_version") and value is not None}


class AccountFields(LegalTextsForm):
    """The person signing up."""

    full_name = forms.CharField(label=_("your name"), max_length=100)
    email = forms.EmailField(label=_("e-mail"), help_text=_("You sign in with it."))
    phone = forms.CharField(label=_("phone"), max_length=30, required=False,
                            validators=[validate_phone])
    password1 = forms.CharField(label=_("password"), strip=False, widget=forms.PasswordInput,
                                help_text=_("At least 12 characters; not a common password."))
    password2 = forms.CharField(label=_("password again"), strip=False,
                                widget=forms.PasswordInput)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=data.get("email", ""), full_name=data.get("full_name", "")))
            except ValidationError as e:
                self.add_error("password1", e)
        return data

    def account(self) -> dict:
        d = self.cleaned_data
        return {"email": d["email"], "password": d["password1"], "full_name": d["full_name"],
                "phone": d.get("phone", "")}


class CompanySignupForm(AccountFields):
    name = forms.CharField(label=_("company name"), max_length=200)
    credit_code = forms.CharField(
        label=_("unified social credit code"), max_length=18,
        help_text=_("The 18-character code on the business licence (统一社会信用代码)."))
    platform = forms.ModelChoiceField(Company._meta.get_field("platform").related_model.objects,
                                      label=_("industry platform"), required=False)
    cluster = forms.ModelChoiceField(Company._meta.get_field("cluster").related_model.objects,
                                     label=_("industry cluster"), required=False)
    leading_industry = forms.ModelChoiceField(
        Company._meta.get_field("leading_industry").related_model.objects,
        label=_("leading industry"), required=False)

    def company(self) -> dict:
        d = self.cleaned_data
        return {"name": d["name"], "credit_code": d["credit_code"], "platform": d["platform"],
                "cluster": d["cluster"], "leading_industry": d["leading_industry"],
                "contact_name": d["full_name"], "contact_phone": d["phone"],
                "contact_email": d["email"]}


class ResearcherProfileForm(forms.ModelForm):
    disciplines = ListField(label=_("disciplines"),
                            help_text=_("For example 材料科学与工程、计算机科学与技术."))
    keywords = ListField(label=_("expertise keywords"),
                         help_text=_("What you work on, separated by commas or 、; needs are "
                                     "matched on them."))
    languages = forms.MultipleChoiceField(
        label=_("languages"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=User._meta.get_field("language").choices)

    class Meta:
        model = ResearcherProfile
        fields = ["institution", "department", "title", "degree", "disciplines", "keywords",
                  "bio", "languages", "capacity"]


class VisibilityField(forms.BooleanField):
    """The separate consent to be shown to companies (PIPL Art. 23): never ticked
    for the person, and refusing it costs nothing but being found."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Show my profile to companies"))
        kwargs.setdefault("help_text", _(
            "Companies then see your profile, works, match score and its reasons in their "
            "match lists and may invite you. Without it you can still browse and apply; "
            "you can change this at any time on your profile page."))
        super().__init__(**kwargs)


class ResearcherSignupForm(AccountFields):
    """An account and a researcher profile at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile = ResearcherProfileForm()
        for name in ["institution", "department", "title", "disciplines", "keywords"]:
            self.fields[name] = profile.fields[name]
        self.fields["show_to_companies"] = VisibilityField()
        # The legal box last, under everything the person fills in.
        if "accept_legal" in self.fields:
            self.fields["accept_legal"] = self.fields.pop("accept_legal")

    def profile(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ["institution", "department", "title", "disciplines",
                                  "keywords"]}


class ProfileUpdateForm(ResearcherProfileForm):
    class Meta(ResearcherProfileForm.Meta):
        fields = [f for f in ResearcherProfileForm.Meta.fields if f != "institution"]


class WorkForm(forms.ModelForm):
    keywords = ListField(label=_("keywords"))

    class Meta:
        model = Work
        fields = ["kind", "title", "abstract", "keywords", "year", "identifier", "source",
                  "representative"]


class CompanyDetailsForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["platform", "cluster", "leading_industry", "size", "address", "contact_name",
                  "contact_phone", "contact_email", "founding_institution"]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("colleague's e-mail"),
                             help_text=_("Your colleague signs up first; they become a member "
                                         "once they accept your invitation."))
