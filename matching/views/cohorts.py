"""博士入企 self-service pages: a PhD ranks the cohort's needs, a company marks
candidates for its own cohort needs (issue 16). The same services as the API."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import add_errors

from .. import selectors
from ..models import Cohort
from ..services import cohorts as cohort_services

RANKS = range(1, 6)


class PreferencesForm(forms.Form):
    """Five choices, best first; blanks are left out."""

    def __init__(self, *args, needs, initial_needs=(), **kwargs):
        super().__init__(*args, **kwargs)
        for rank in RANKS:
            self.fields[f"rank{rank}"] = forms.ModelChoiceField(
                needs, required=False, label=_("Choice %(rank)d") % {"rank": rank},
                initial=initial_needs[rank - 1] if rank <= len(initial_needs) else None)

    def chosen(self):
        return [n for n in (self.cleaned_data[f"rank{r}"] for r in RANKS) if n is not None]


class MarkForm(forms.Form):
    WANTED = (("yes", gettext_lazy("wanted")), ("no", gettext_lazy("not wanted")),
              ("", gettext_lazy("no mark")))

    need = forms.ModelChoiceField(None, label=gettext_lazy("need"))
    researcher = forms.ModelChoiceField(None, label=gettext_lazy("researcher"))
    wanted = forms.ChoiceField(choices=WANTED, required=False, label=gettext_lazy("mark"))

    def __init__(self, *args, needs, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs
        self.fields["researcher"].queryset = entries


def _cohort(pk):
    return get_object_or_404(Cohort, pk=pk)


@login_required
def cohort_preferences(request, pk):
    cohort = _cohort(pk)
    entry = selectors.cohort_entry_of(request.user, cohort)
    if entry is None:
        raise Http404
    needs = cohort.eligible_needs().select_related("challenge__company")
    current = [p.need for p in entry.preferences.select_related("need")]
    form = PreferencesForm(request.POST or None, needs=needs, initial_needs=current)
    if request.method == "POST" and form.is_valid():
        try:
            cohort_services.preferences_set(entry=entry, by=request.user, needs=form.chosen())
        except ValidationError as e:
            add_errors(form, e, renamed={"needs": "rank1"})
        else:
            messages.success(request, _("Your ranking is saved."))
            return redirect("matching:cohort_preferences", pk=cohort.pk)
    return render(request, "matching/cohort_preferences.html",
                  {"cohort": cohort, "form": form}, status=400 if form.errors else 200)


@login_required
def cohort_marks(request, pk):
    cohort = _cohort(pk)
    needs = selectors.cohort_needs_marked_by(request.user, cohort).select_related(
        "challenge__company", "cohort")
    if not needs.exists():
        raise Http404
    entries = cohort.researchers.select_related("researcher__user", "researcher__institution")
    form = MarkForm(request.POST or None, needs=needs, entries=entries)
    if request.method == "POST" and form.is_valid():
        wanted = {"yes": True, "no": False}.get(form.cleaned_data["wanted"])
        try:
            cohort_services.cohort_mark_set(need=form.cleaned_data["need"],
                                            entry=form.cleaned_data["researcher"],
                                            wanted=wanted, by=request.user)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("Your mark is saved."))
            return redirect("matching:cohort_marks", pk=cohort.pk)
    marks = selectors.cohort_marks_of(needs)
    return render(request, "matching/cohort_marks.html",
                  {"cohort": cohort, "form": form, "marks": marks},
                  status=400 if form.errors else 200)
