"""Cohorts (期) and the solver's runs: staff assign PhDs to needs here.

Administrators keep a cohort's settings and participants (the forms save
through services: permission, history); running the solver, keeping or
excluding pairs, deploying and undeploying are buttons calling the services,
each checking its permission. Reviewers read all of it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError
from accounts.roles import DEPLOY_COHORT, RUN_COHORT, has_perm
from config.admin_actions import act
from config.admin_writes import HistoryAdmin, ReadOnlyAdmin, ServiceAdmin, ServiceInline, kept
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


class PagedInlineFormSet(BaseInlineFormSet):
    """One page of a cohort's entries: a cohort of hundreds of PhDs inlined whole
    made a page of seconds and hundreds of kilobytes. The page number is the
    `<prefix>-page` query parameter; saving posts back to the same address, so
    the forms posted are the forms of the page shown."""

    per_page = 20
    page_number = None  # set per request by PagedInline.get_formset

    def get_queryset(self):
        if not hasattr(self, "_page"):
            rows = super().get_queryset()
            self._page = Paginator(rows, self.per_page).get_page(self.page_number)
            self._queryset = self._page.object_list
        return self._queryset

    @property
    def page(self):
        self.get_queryset()
        return self._page


class PagedInline(ServiceInline, admin.TabularInline):
    formset = PagedInlineFormSet
    template = "admin/edit_inline/tabular_paged.html"
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.page_number = request.GET.get(f"{formset.get_default_prefix()}-page")
        return formset


class CohortNeedInline(PagedInline):
    model = CohortNeed
    form = kept("challenge")
    autocomplete_fields = ["challenge"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("challenge")


class CohortResearcherInline(PagedInline):
    model = CohortResearcher
    form = kept("researcher")
    autocomplete_fields = ["researcher"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("researcher__user",
                                                            "researcher__institution")


class CohortPairInline(PagedInline):
    """Staff force, exclude or flag pairs (cohort_pair_set); who decided is recorded."""

    model = CohortPair
    form = kept("researcher", "need")
    fields = ["researcher", "need", "kind", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "researcher__researcher__user", "researcher__researcher__institution",
            "need__challenge")

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

    def _may_decide(self, request):
        return has_perm(request.user, RUN_COHORT)

    def has_add_permission(self, request, obj=None):
        return self._may_decide(request)

    def has_change_permission(self, request, obj=None):
        return self._may_decide(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_decide(request)

    def save_record(self, request, obj, form):
        return cohorts.cohort_pair_set(cohort=obj.cohort, entry=obj.researcher, need=obj.need,
                                       kind=obj.kind, note=obj.note, by=request.user)

    def delete_record(self, request, obj):
        cohorts.cohort_pair_remove(pair=obj, by=request.user)


@admin.register(Cohort)
class CohortAdmin(ServiceAdmin, HistoryAdmin):
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {
            **(extra_context or {}), "can_run": has_perm(request.user, RUN_COHORT)})

    def get_urls(self):
        return [path("<int:object_id>/solve/", self.admin_site.admin_view(self.solve),
                     name="matching_cohort_solve"), *super().get_urls()]

    def solve(self, request, object_id):
        if not has_perm(request.user, RUN_COHORT):
            raise PermissionDenied
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
class CohortRunAdmin(ReadOnlyAdmin, HistoryAdmin):
    """A solver proposal: inspect it, keep or exclude pairs, deploy or undeploy it."""

    list_display = ["__str__", "cohort", "status", "step", "total_affinity", "deployed_at",
                    "created_at"]
    list_filter = ["status", "cohort"]
    list_select_related = ["cohort"]
    fields = ["cohort", "status", "step", "total_affinity", "attempts", "created_by",
              "created_at", "finished_at", "deployed_at", "deployed_by", "error"]
    readonly_fields = fields
    change_form_template = "admin/matching/cohortrun/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:object_id>/do/<str:verb>/", view(self.act), name="matching_cohortrun_act"),
                *super().get_urls()]

    # Each button: the service it calls and the permission it needs.
    VERBS = {"deploy": (cohorts.cohort_deploy, DEPLOY_COHORT),
             "undeploy": (cohorts.cohort_undeploy, DEPLOY_COHORT),
             "cancel": (cohorts.cohort_run_cancel, RUN_COHORT),
             "retry": (cohorts.cohort_run_retry, RUN_COHORT),
             "pair": (cohorts.cohort_pair_set, RUN_COHORT)}

    def act(self, request, object_id, verb):
        if verb not in self.VERBS:
            return redirect("admin:matching_cohortrun_change", object_id)
        service, perm = self.VERBS[verb]
        if not has_perm(request.user, perm):
            raise PermissionDenied
        run = get_object_or_404(CohortRun, pk=object_id)
        if verb == "deploy" and request.method != "POST":
            return self.deploy_confirm(request, run)
        if request.method != "POST":
            return redirect("admin:matching_cohortrun_change", object_id)
        if verb == "pair":
            form = PairForm(request.POST, cohort_id=run.cohort_id)
            if not form.is_valid():
                # Only a tampered request gets here: the page's buttons send valid pairs.
                return client_error(request, 400, "invalid", " ".join(
                    f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
            if act(request, service, cohort=run.cohort, **form.cleaned_data):
                messages.success(request, _("Saved. Run the solver again to use it."))
        elif act(request, service, run=run) is not None:
            messages.success(request, _("Done."))
        return redirect("admin:matching_cohortrun_change", object_id)

    def deploy_confirm(self, request, run):
        """What deploying creates, named, before staff confirm it (the form posts
        back to the same address)."""
        if not has_perm(request.user, DEPLOY_COHORT):
            raise PermissionDenied
        try:
            placements, refusal = cohorts.cohort_deployment(run=run), ""
        except DomainError as e:
            placements, refusal = [], " ".join(e.messages)
        return TemplateResponse(request, "admin/matching/cohortrun/deploy_confirm.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "run": run,
            "placements": placements, "refusal": refusal,
            "title": _("Deploy %(run)s?") % {"run": run}})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = get_object_or_404(CohortRun, pk=object_id)
        extra_context = {**(extra_context or {}), "run": run, "proposal": run.result,
                         "reasons": REASON_LABELS, "can_run": has_perm(request.user, RUN_COHORT),
                         "can_deploy": has_perm(request.user, DEPLOY_COHORT)}
        return super().change_view(request, object_id, form_url, extra_context)


REASON_LABELS = {
    "capacity": _("its candidates were better used elsewhere (capacity)"),
    "conflict": _("every candidate is a conflict of interest or excluded"),
    "no_eligible_candidate": _("no candidate scores above the cohort's minimum"),
}


@admin.register(CohortPreference)
class CohortPreferenceAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Researchers rank needs themselves; staff read the rankings."""

    list_display = ["entry", "rank", "need"]
    list_select_related = ["entry__researcher__user", "entry__researcher__institution",
                           "need__challenge"]


@admin.register(CohortMark)
class CohortMarkAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Companies mark researchers themselves; staff read the marks."""

    list_display = ["need", "researcher", "wanted"]
    list_select_related = ["need__challenge", "researcher__researcher__user",
                           "researcher__researcher__institution"]
