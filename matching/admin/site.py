"""The admin site itself, notifications and statistics snapshots."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_writes import ReadOnlyAdmin

from ..models import (
    Notification,
    StatsSnapshot,
)

# District staff start the day on the admin home: the queues come first.
admin.site.index_template = "admin/matching/index.html"
admin.site.site_header = _("Qiantang talent–enterprise matching · district staff")
admin.site.site_title = _("Qiantang matching")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Notifications are written by the services that decide; staff read them."""

    list_display = ["subject", "user", "created_at", "read_at", "emailed_at"]
    search_fields = ["subject", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(StatsSnapshot)
class StatsSnapshotAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["day", "researchers", "companies", "deal_value", "outcomes"]
    date_hierarchy = "day"

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
