"""Frozen reports (issue 18): staff freeze a period here (report_freeze) and
reissue one as a new version with a reason (an action); a frozen report is
never edited or deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.roles import FREEZE_REPORT, has_perm
from config.admin_actions import DecisionsMixin, decision
from config.admin_writes import HistoryAdmin, ServiceAdmin

from ..models import FrozenReport
from ..services import reports_frozen

FREEZE_FIELDS = ["period_start", "period_end", "reason"]


@admin.register(FrozenReport)
class FrozenReportAdmin(DecisionsMixin, ServiceAdmin, HistoryAdmin):
    list_display = ["__str__", "period_start", "period_end", "version", "frozen_by", "frozen_at",
                    "checksum_ok"]
    list_select_related = ["frozen_by"]
    actions = [
        decision(reports_frozen.report_reissue, "report", perm=FREEZE_REPORT,
                 description=_("Reissue the selected reports as a new version (with a reason)"),
                 needs_reason=True),
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return FREEZE_FIELDS
        return ["period_start", "period_end", "version", "reason", "figures", "checksum",
                "checksum_ok", "frozen_by", "frozen_at", "rows"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_add_permission(self, request):
        return has_perm(request.user, FREEZE_REPORT)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_record(self, request, obj, form):
        return reports_frozen.report_freeze(
            by=request.user, **{name: form.cleaned_data[name] for name in FREEZE_FIELDS})

    @admin.display(description=_("checksum verifies"), boolean=True)
    def checksum_ok(self, report):
        return reports_frozen.report_checksum_ok(report)
