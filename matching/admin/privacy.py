"""Staff's queue of deletion requests (PIPL Art. 47), oldest deadline first."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import DeletionRequest, PersonalDataExport
from accounts.roles import ERASE_PERSONAL_DATA
from config.admin_actions import DecisionsMixin, decision
from config.admin_writes import HistoryAdmin, ReadOnlyAdmin

from ..services.privacy import deletion_carry_out


@admin.register(DeletionRequest)
class DeletionRequestAdmin(DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    """People ask on the website or the API; staff carry each request out by its
    deadline (settings.DELETION_DEADLINE_DAYS) with the action."""

    list_display = ["user", "requested_at", "due_at", "overdue", "status", "done_at", "done_by"]
    list_filter = ["status"]
    list_select_related = ["user", "done_by"]
    search_fields = ["user__email", "user__full_name"]
    ordering = ["-status", "due_at", "pk"]  # "pending" before "done": the queue first
    actions = [
        decision(deletion_carry_out, "request", perm=ERASE_PERSONAL_DATA,
                 description=_("Delete the personal data of the selected people")),
    ]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, request):
        return request.status == DeletionRequest.Status.PENDING and request.due_at < timezone.now()


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Who downloaded which file holding people's personal information, and when."""

    list_display = ["exported_at", "user", "what"]
    list_select_related = ["user"]
    search_fields = ["user__email", "what"]
    date_hierarchy = "exported_at"
