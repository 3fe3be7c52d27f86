"""Match scores, rebuilds and the engine's feature cache."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.roles import REBUILD_MATCHES, has_perm
from config.admin_actions import DecisionsMixin, act, decision
from config.admin_writes import HistoryAdmin, ReadOnlyAdmin

from ..models import (
    DocumentFeatures,
    MatchRun,
    MatchScore,
)
from ..services import scoring


@admin.register(MatchScore)
class MatchScoreAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Scores are computed, never typed."""

    list_display = ["challenge", "researcher", "score", "engine_version", "computed_at"]
    list_filter = ["engine_version"]
    search_fields = ["challenge__title", "researcher__user__full_name"]
    list_select_related = ["challenge", "researcher__user", "researcher__institution"]
    raw_id_fields = ["challenge", "researcher"]


@admin.register(MatchRun)
class MatchRunAdmin(DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    """Staff watch rebuilds here, start one, cancel one, and retry a failed one."""

    list_display = ["__str__", "status", "progress_display", "needs_done", "needs_total",
                    "chunks_done", "chunks_total", "researchers", "scores_written", "attempts",
                    "started_at", "finished_at"]
    list_filter = ["status", "engine_version"]
    readonly_fields = [f.name for f in MatchRun._meta.fields]
    actions = [decision(scoring.match_run_retry, "run", perm=REBUILD_MATCHES,
                        description=_("Retry the selected rebuilds")),
               decision(scoring.match_run_cancel, "run", perm=REBUILD_MATCHES,
                        description=_("Cancel the selected rebuilds"))]
    change_list_template = "admin/matching/matchrun/change_list.html"

    @admin.display(description=_("progress"))
    def progress_display(self, run):
        return f"{run.progress}%"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {
            **(extra_context or {}), "can_rebuild": has_perm(request.user, REBUILD_MATCHES)})

    def get_urls(self):
        return [path("start/", self.admin_site.admin_view(self.start), name="matching_matchrun_start"),
                *super().get_urls()]

    def start(self, request):
        if not has_perm(request.user, REBUILD_MATCHES):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:matching_matchrun_changelist")
        if act(request, scoring.match_run_start):
            self.message_user(request, _("A full rebuild of the match scores is queued."))
        return redirect("admin:matching_matchrun_changelist")


@admin.register(DocumentFeatures)
class DocumentFeaturesAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["kind", "object_id", "engine_version", "updated_at"]
    list_filter = ["kind", "engine_version"]
    search_fields = ["=object_id"]
