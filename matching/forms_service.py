"""Forms of the service record (issue 16): the researcher's one-minute day log and
the company's question about a day."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DateInput
from .models import ServiceLog


class ServiceLogForm(forms.ModelForm):
    """Short on a phone: the date, hours and place come filled in."""

    class Meta:
        model = ServiceLog
        fields = ["day", "hours", "place", "work", "photo"]
        widgets = {"day": DateInput(), "work": forms.Textarea(attrs={"rows": 2}),
                   "hours": forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
                   "photo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg",
                                                            "capture": "environment"})}


class QueryForm(forms.Form):
    reason = forms.CharField(label=_("what is wrong with this day"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MonthForm(forms.Form):
    month = forms.DateField(label=_("month"), input_formats=["%Y-%m"])
