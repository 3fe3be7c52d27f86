"""Placements and outcomes: approval and verification queues.

Staff create a tech-VP appointment here (placement_create); every other
placement comes from an accepted application or a deployed cohort. A placement
or an outcome then changes only by a decision: an action on the queue or a
button on its page.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.roles import APPROVE_PLACEMENT, MANAGE_PLACEMENT, VERIFY_OUTCOME, has_perm
from config.admin_actions import DecisionsMixin, decision
from config.admin_queues import OldestFirstInQueue
from config.admin_writes import HistoryAdmin, ReadOnlyAdmin, ServiceAdmin

from .. import services
from ..letters import letter_response
from ..models import (
    Outcome,
    Placement,
)
from .plan import tag_with_plan

# What staff give when they create a placement; the rest is decided later.
CREATE_FIELDS = ["programme", "company", "researcher", "cohort", "post", "starts_on", "ends_on"]


@admin.register(Placement)
class PlacementAdmin(OldestFirstInQueue, DecisionsMixin, ServiceAdmin, HistoryAdmin):
    list_display = ["researcher", "company", "programme", "cohort", "status", "starts_on",
                    "ends_on", "approved_at"]
    list_filter = ["status", "programme", "cohort", "company__platform", "company__cluster"]
    search_fields = ["researcher__user__full_name", "company__name", "post"]
    list_select_related = ["researcher__user", "researcher__institution", "company", "cohort"]
    autocomplete_fields = ["researcher", "company"]
    actions = [
        decision(services.placement_approve, "placement", perm=APPROVE_PLACEMENT,
                 description=_("Approve the selected placements")),
        decision(services.placement_reject, "placement", perm=APPROVE_PLACEMENT,
                 description=_("Reject the selected placements (with a reason)"),
                 needs_reason=True),
        decision(services.placement_complete, "placement", perm=MANAGE_PLACEMENT,
                 description=_("Complete the selected placements")),
        decision(services.placement_terminate, "placement", perm=MANAGE_PLACEMENT,
                 description=_("End the selected placements early (with a reason)"),
                 needs_reason=True),
        tag_with_plan(services.placement_tag, "placement"),
    ]

    def get_fields(self, request, obj=None):
        return CREATE_FIELDS if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["letter"]

    def has_add_permission(self, request):
        return has_perm(request.user, MANAGE_PLACEMENT) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_record(self, request, obj, form):
        return services.placement_create(
            by=request.user, **{name: form.cleaned_data[name] for name in CREATE_FIELDS})

    @admin.display(description=_("appointment letter"))
    def letter(self, placement):
        if not placement.has_letter:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:matching_placement_letter",
                                                          args=[placement.pk]),
                           _("Appointment letter (聘书), PDF"))

    def get_urls(self):
        return [path("<int:object_id>/letter/", self.admin_site.admin_view(self.letter_pdf),
                     name="matching_placement_letter"), *super().get_urls()]

    def letter_pdf(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        placement = get_object_or_404(
            Placement.objects.select_related("researcher__user", "researcher__institution",
                                             "company"),
            pk=object_id)
        return letter_response(placement)


@admin.register(Outcome)
class OutcomeAdmin(OldestFirstInQueue, DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = ["title", "kind", "placement", "amount", "achieved_on", "status"]
    list_filter = ["status", "kind", "placement__programme", "placement__cohort"]
    search_fields = ["title", "identifier", "placement__company__name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]
    # Shown beside the record (read-only for everyone): the checked download.
    readonly_fields = ["evidence_download"]
    actions = [
        decision(services.outcome_verify, "outcome", perm=VERIFY_OUTCOME,
                 description=_("Verify the selected outcomes")),
        decision(services.outcome_reject, "outcome", perm=VERIFY_OUTCOME,
                 description=_("Reject the selected outcomes (with a reason)"), needs_reason=True),
        tag_with_plan(services.outcome_tag, "outcome"),
    ]

    @admin.display(description=_("evidence file"))
    def evidence_download(self, outcome):
        # The site's permission-checked download, the same as the API's.
        if not outcome.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("matching:outcome_evidence",
                                                          args=[outcome.pk]),
                           _("Download the evidence"))
