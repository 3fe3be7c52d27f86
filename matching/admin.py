from django.contrib import admin
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from . import selectors
from .engine import ENGINE_VERSION
from .explain import match_reasons
from .models import (
    Application,
    Challenge,
    Cohort,
    DocumentFeatures,
    MatchRun,
    MatchScore,
    Notification,
    Outcome,
    Placement,
)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "year", "starts_on", "ends_on"]
    search_fields = ["name"]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
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

    @admin.display(description=_("best-matching researchers"))
    def top_matches(self, challenge):
        rows = [(m.researcher, f"{100 * m.score:.0f}", "；".join(match_reasons(m)))
                for m in selectors.matches_for_challenge(challenge=challenge, limit=10)]
        if not rows:
            return _("No scores yet: they are computed when the need is published.")
        return format_html_join("", "<p><strong>{}</strong> · {} · {}</p>", rows)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["researcher", "challenge", "status", "budget", "created_at"]
    list_filter = ["status", "challenge__programme"]
    search_fields = ["researcher__user__full_name", "challenge__title", "proposal"]
    list_select_related = ["researcher__user", "researcher__institution", "challenge"]
    autocomplete_fields = ["challenge", "researcher"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["researcher", "company", "programme", "cohort", "status", "starts_on",
                    "ends_on", "approved_at"]
    list_filter = ["status", "programme", "cohort", "company__platform", "company__cluster"]
    search_fields = ["researcher__user__full_name", "company__name", "post"]
    list_select_related = ["researcher__user", "researcher__institution", "company", "cohort"]
    autocomplete_fields = ["researcher", "company", "challenge", "application"]
    readonly_fields = ["approved_by", "approved_at", "created_at"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "placement", "amount", "achieved_on", "status"]
    list_filter = ["status", "kind", "placement__programme", "placement__cohort"]
    search_fields = ["title", "identifier", "placement__company__name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]
    autocomplete_fields = ["placement"]
    readonly_fields = ["reported_by", "verified_by", "verified_at", "created_at"]


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
        from .tasks import match_rebuild

        runs = list(queryset.exclude(status=MatchRun.Status.COMPLETED))
        for run in runs:
            MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.QUEUED, error="")
            transaction.on_commit(lambda pk=run.pk: match_rebuild.delay(pk))
        self.message_user(request, _("%(n)d rebuild(s) queued again.") % {"n": len(runs)})

    def get_urls(self):
        return [path("start/", self.admin_site.admin_view(self.start), name="matching_matchrun_start"),
                *super().get_urls()]

    def start(self, request):
        from .tasks import match_rebuild

        if request.method != "POST":
            return redirect("admin:matching_matchrun_changelist")
        run = MatchRun.objects.create(engine_version=ENGINE_VERSION)
        transaction.on_commit(lambda: match_rebuild.delay(run.pk))
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
