from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.errors import DomainError

from . import selectors, services
from .admin_actions import decision
from .engine import ENGINE_VERSION
from .explain import match_reasons
from .letters import appointment_letter
from .models import (
    Application,
    Challenge,
    Cohort,
    CohortMark,
    CohortNeed,
    CohortPair,
    CohortPreference,
    CohortResearcher,
    CohortRun,
    DocumentFeatures,
    MatchRun,
    MatchScore,
    Notification,
    Outcome,
    Placement,
    Programme,
    StatsSnapshot,
)
from .services import cohorts
from .services._base import after_commit


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


def _act(request, action, **kwargs):
    """Call a service from an admin view; show its refusal as a message."""
    try:
        result = action(by=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    return result


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
            run = _act(request, cohorts.cohort_run_start, cohort=cohort)
            if run:
                messages.success(request, _("The solver is running; this page shows its "
                                            "progress."))
                return redirect("admin:matching_cohortrun_change", run.pk)
        return redirect("admin:matching_cohort_change", object_id)


@admin.register(Challenge)
class ChallengeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "company", "programme", "status", "reward", "deadline",
                    "published_at"]
    list_filter = ["status", "programme", "confidentiality", "industry", "cohort",
                   "company__platform"]
    search_fields = ["title", "background", "goals", "company__name"]
    list_select_related = ["company"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["company", "preferred_institutions"]
    readonly_fields = ["reviewed_by", "reviewed_at", "published_at", "created_by",
                       "created_at", "updated_at", "top_matches"]
    actions = [
        decision(services.challenge_publish, "challenge",
                 description=_("Approve and publish the selected needs")),
        decision(services.challenge_reject, "challenge",
                 description=_("Reject the selected needs (with a reason)"), needs_reason=True),
    ]

    @admin.display(description=_("best-matching researchers"))
    def top_matches(self, challenge):
        rows = [(m.researcher, f"{100 * m.score:.0f}", "；".join(match_reasons(m)))
                for m in selectors.matches_for_challenge(challenge=challenge, limit=10)]
        if not rows:
            return _("No scores yet: they are computed when the need is published.")
        return format_html_join("", "<p><strong>{}</strong> · {} · {}</p>", rows)


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["researcher", "challenge", "status", "budget", "created_at"]
    list_filter = ["status", "challenge__programme"]
    search_fields = ["researcher__user__full_name", "challenge__title", "proposal"]
    list_select_related = ["researcher__user", "researcher__institution", "challenge"]
    autocomplete_fields = ["challenge", "researcher"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]


@admin.register(Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ["researcher", "company", "programme", "cohort", "status", "starts_on",
                    "ends_on", "approved_at"]
    list_filter = ["status", "programme", "cohort", "company__platform", "company__cluster"]
    search_fields = ["researcher__user__full_name", "company__name", "post"]
    list_select_related = ["researcher__user", "researcher__institution", "company", "cohort"]
    autocomplete_fields = ["researcher", "company", "challenge", "application"]
    readonly_fields = ["approved_by", "approved_at", "created_at", "letter"]
    actions = [
        decision(services.placement_approve, "placement",
                 description=_("Approve the selected placements")),
        decision(services.placement_reject, "placement",
                 description=_("Reject the selected placements (with a reason)"),
                 needs_reason=True),
    ]


    @admin.display(description=_("appointment letter"))
    def letter(self, placement):
        if placement.programme != Programme.TECH_VP:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:matching_placement_letter",
                                                          args=[placement.pk]),
                           _("Appointment letter (聘书), PDF"))

    def get_urls(self):
        return [path("<int:object_id>/letter/", self.admin_site.admin_view(self.letter_pdf),
                     name="matching_placement_letter"), *super().get_urls()]

    def letter_pdf(self, request, object_id):
        placement = get_object_or_404(
            Placement.objects.select_related("researcher__user", "researcher__institution",
                                             "company"),
            pk=object_id, programme=Programme.TECH_VP)
        response = HttpResponse(appointment_letter(placement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letter-{placement.pk}.pdf"'
        return response


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "placement", "amount", "achieved_on", "status"]
    list_filter = ["status", "kind", "placement__programme", "placement__cohort"]
    search_fields = ["title", "identifier", "placement__company__name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]
    autocomplete_fields = ["placement"]
    readonly_fields = ["reported_by", "verified_by", "verified_at", "created_at"]
    actions = [
        decision(services.outcome_verify, "outcome",
                 description=_("Verify the selected outcomes")),
        decision(services.outcome_reject, "outcome",
                 description=_("Reject the selected outcomes (with a reason)"), needs_reason=True),
    ]


@admin.register(MatchScore)
class MatchScoreAdmin(admin.ModelAdmin):
    list_display = ["challenge", "researcher", "score", "engine_version", "computed_at"]
    list_filter = ["engine_version"]
    search_fields = ["challenge__title", "researcher__user__full_name"]
    list_select_related = ["challenge", "researcher__user", "researcher__institution"]
    raw_id_fields = ["challenge", "researcher"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "created_at", "read_at", "emailed_at"]
    search_fields = ["subject", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    """Staff watch rebuilds here, start one, and retry a failed one."""

    list_display = ["__str__", "status", "progress_display", "needs_done", "needs_total",
                    "researchers", "scores_written", "attempts", "started_at", "finished_at"]
    list_filter = ["status", "engine_version"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]
    actions = ["retry"]
    change_list_template = "admin/matching/matchrun/change_list.html"

    @admin.display(description=_("progress"))
    def progress_display(self, run):
        return f"{run.progress}%"

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Retry the selected rebuilds"))
    def retry(self, request, queryset):
        runs = list(queryset.exclude(status=MatchRun.Status.COMPLETED))
        for run in runs:
            MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.QUEUED, error="")
            after_commit("match_rebuild", run.pk)
        self.message_user(request, _("%(n)d rebuild(s) queued again.") % {"n": len(runs)})

    def get_urls(self):
        return [path("start/", self.admin_site.admin_view(self.start), name="matching_matchrun_start"),
                *super().get_urls()]

    def start(self, request):
        if request.method != "POST":
            return redirect("admin:matching_matchrun_changelist")
        run = MatchRun.objects.create(engine_version=ENGINE_VERSION)
        after_commit("match_rebuild", run.pk)
        self.message_user(request, _("A full rebuild of the match scores is queued."))
        return redirect("admin:matching_matchrun_changelist")


@admin.register(DocumentFeatures)
class DocumentFeaturesAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "engine_version", "updated_at"]
    list_filter = ["kind", "engine_version"]
    search_fields = ["=object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False



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
            entry = get_object_or_404(CohortResearcher, pk=request.POST.get("entry"),
                                      cohort=run.cohort_id)
            need = get_object_or_404(CohortNeed, pk=request.POST.get("need"), cohort=run.cohort_id)
            kind = request.POST.get("kind")
            if kind in CohortPair.Kind.values and _act(
                    request, cohorts.cohort_pair_set, cohort=run.cohort, entry=entry, need=need,
                    kind=kind):
                messages.success(request, _("Saved. Run the solver again to use it."))
        elif _act(request, self.VERBS[verb], run=run) is not None:
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


# District staff start the day on the admin home: the queues come first.
admin.site.index_template = "admin/matching/index.html"
admin.site.site_header = _("Qiantang talent–enterprise matching · district staff")
admin.site.site_title = _("Qiantang matching")



@admin.register(StatsSnapshot)
class StatsSnapshotAdmin(admin.ModelAdmin):
    list_display = ["day", "researchers", "companies", "deal_value", "outcomes"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("researchers placed"))
    def researchers(self, s):
        return s.figures.get("researchers")

    @admin.display(description=_("companies served"))
    def companies(self, s):
        return s.figures.get("companies")

    @admin.display(description=_("technology-deal value (10,000 yuan)"))
    def deal_value(self, s):
        return s.figures.get("deal_value")

    @admin.display(description=_("verified outcomes"))
    def outcomes(self, s):
        return s.figures.get("outcomes")
