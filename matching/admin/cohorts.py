"""Cohorts (期) and the solver's runs: staff assign PhDs to needs here."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from config.admin_actions import act
from config.middleware import client_error

from ..models import (
    Cohort,
    CohortMark,
    CohortNeed,
    CohortPair,
    CohortPreference,
    CohortResearcher,
    CohortRun,
)
from ..services import cohorts


class CohortNeedInline(admin.TabularInline):
    model = CohortNeed
    extra = 0
    autocomplete_fields = ["challenge"]


class CohortResearcherInline(admin.TabularInline):
    model = CohortResearcher
    extra = 0
    autocomplete_fields = ["researcher"]


class CohortPairInline(admin.TabularInline):
    model = CohortPair
    extra = 0
    fields = ["researcher", "need", "kind", "note"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only this cohort's participants can be paired.
        cohort_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "researcher":
            kwargs["queryset"] = CohortResearcher.objects.filter(
                cohort_id=cohort_id).select_related("researcher__user", "researcher__institution")
        if db_field.name == "need":
            kwargs["queryset"] = CohortNeed.objects.filter(cohort_id=cohort_id).select_related(
                "challenge")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "year", "starts_on", "ends_on", "needs_count",
                    "researchers_count"]
    search_fields = ["name"]
    inlines = [CohortNeedInline, CohortResearcherInline, CohortPairInline]
    readonly_fields = ["runs_list"]
    change_form_template = "admin/matching/cohort/change_form.html"
    fieldsets = [
        (None, {"fields": ["number", "name", "year", "starts_on", "ends_on"]}),
        (_("Assignment"), {"fields": ["allow_two_companies", "preferences_open_until",
                                      "min_score", "fairness", "institution_quota",
                                      "cluster_quota", "runs_list"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_needs=Count("needs", distinct=True), n_researchers=Count("researchers", distinct=True))

    @admin.display(description=_("number of needs"), ordering="n_needs")
    def needs_count(self, cohort):
        return cohort.n_needs

    @admin.display(description=_("number of researchers"), ordering="n_researchers")
    def researchers_count(self, cohort):
        return cohort.n_researchers

    @admin.display(description=_("solver runs"))
    def runs_list(self, cohort):
        runs = [(reverse("admin:matching_cohortrun_change", args=[r.pk]), str(r),
                 r.total_affinity if r.total_affinity is not None else "—",
                 _("deployed") if r.deployed_at else "")
                for r in cohort.runs.all()[:10]]
        return format_html_join("", '<p><a href="{}">{}</a> · {} {}</p>', runs) if runs else "—"

    def get_urls(self):
        return [path("<int:object_id>/solve/", self.admin_site.admin_view(self.solve),
                     name="matching_cohort_solve"), *super().get_urls()]

    def solve(self, request, object_id):
        cohort = get_object_or_404(Cohort, pk=object_id)
        if request.method == "POST":
            run = act(request, cohorts.cohort_run_start, cohort=cohort)
            if run:
                messages.success(request, _("The solver is running; this page shows its "
                                            "progress."))
                return redirect("admin:matching_cohortrun_change", run.pk)
        return redirect("admin:matching_cohort_change", object_id)


class PairForm(forms.Form):
    """Keep or exclude one pair of a run's proposal: both ends in the run's cohort."""

    entry = forms.ModelChoiceField(CohortResearcher.objects.none())
    need = forms.ModelChoiceField(CohortNeed.objects.none())
    kind = forms.ChoiceField(choices=CohortPair.Kind.choices)

    def __init__(self, *args, cohort_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = CohortResearcher.objects.filter(cohort_id=cohort_id)
        self.fields["need"].queryset = CohortNeed.objects.filter(cohort_id=cohort_id)


@admin.register(CohortRun)
class CohortRunAdmin(admin.ModelAdmin):
    """A solver proposal: inspect it, keep or exclude pairs, deploy or undeploy it."""

    list_display = ["__str__", "cohort", "status", "step", "total_affinity", "deployed_at",
                    "created_at"]
    list_filter = ["status", "cohort"]
    list_select_related = ["cohort"]
    fields = ["cohort", "status", "step", "total_affinity", "attempts", "created_by",
              "created_at", "finished_at", "deployed_at", "deployed_by", "error"]
    readonly_fields = fields
    change_form_template = "admin/matching/cohortrun/change_form.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:object_id>/do/<str:verb>/", view(self.act), name="matching_cohortrun_act"),
                *super().get_urls()]

    VERBS = {"deploy": cohorts.cohort_deploy, "undeploy": cohorts.cohort_undeploy,
             "cancel": cohorts.cohort_run_cancel, "retry": cohorts.cohort_run_retry}

    def act(self, request, object_id, verb):
        run = get_object_or_404(CohortRun, pk=object_id)
        if request.method != "POST" or (verb not in self.VERBS and verb != "pair"):
            return redirect("admin:matching_cohortrun_change", object_id)
        if verb == "pair":
            form = PairForm(request.POST, cohort_id=run.cohort_id)
            if not form.is_valid():
                # Only a tampered request gets here: the page's buttons send valid pairs.
                return client_error(request, 400, "invalid", " ".join(
                    f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
            if act(request, cohorts.cohort_pair_set, cohort=run.cohort, **form.cleaned_data):
                messages.success(request, _("Saved. Run the solver again to use it."))
        elif act(request, self.VERBS[verb], run=run) is not None:
            messages.success(request, _("Done."))
        return redirect("admin:matching_cohortrun_change", object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = get_object_or_404(CohortRun, pk=object_id)
        extra_context = {**(extra_context or {}), "run": run, "proposal": run.result,
                         "reasons": REASON_LABELS}
        return super().change_view(request, object_id, form_url, extra_context)


REASON_LABELS = {
    "capacity": _("its candidates were better used elsewhere (capacity)"),
    "conflict": _("every candidate is a conflict of interest or excluded"),
    "no_eligible_candidate": _("no candidate scores above the cohort's minimum"),
}


@admin.register(CohortPreference)
class CohortPreferenceAdmin(admin.ModelAdmin):
    list_display = ["entry", "rank", "need"]
    list_select_related = ["entry__researcher__user", "entry__researcher__institution",
                           "need__challenge"]
    raw_id_fields = ["entry", "need"]


@admin.register(CohortMark)
class CohortMarkAdmin(admin.ModelAdmin):
    list_display = ["need", "researcher", "wanted"]
    list_select_related = ["need__challenge", "researcher__researcher__user",
                           "researcher__researcher__institution"]
    raw_id_fields = ["need", "researcher"]
