"""Placements and outcomes: approval and verification queues."""

from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.roles import APPROVE_PLACEMENT, VERIFY_OUTCOME
from config.admin_actions import DecisionsMixin, decision

from .. import services
from ..letters import letter_response
from ..models import (
    Outcome,
    Placement,
)


@admin.register(Placement)
class PlacementAdmin(DecisionsMixin, SimpleHistoryAdmin):
    list_display = ["researcher", "company", "programme", "cohort", "status", "starts_on",
                    "ends_on", "approved_at"]
    list_filter = ["status", "programme", "cohort", "company__platform", "company__cluster"]
    search_fields = ["researcher__user__full_name", "company__name", "post"]
    list_select_related = ["researcher__user", "researcher__institution", "company", "cohort"]
    autocomplete_fields = ["researcher", "company", "challenge", "application"]
    readonly_fields = ["approved_by", "approved_at", "created_at", "letter"]
    actions = [
        decision(services.placement_approve, "placement", perm=APPROVE_PLACEMENT,
                 description=_("Approve the selected placements")),
        decision(services.placement_reject, "placement", perm=APPROVE_PLACEMENT,
                 description=_("Reject the selected placements (with a reason)"),
                 needs_reason=True),
    ]


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
        placement = get_object_or_404(
            Placement.objects.select_related("researcher__user", "researcher__institution",
                                             "company"),
            pk=object_id)
        return letter_response(placement)


@admin.register(Outcome)
class OutcomeAdmin(DecisionsMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "placement", "amount", "achieved_on", "status"]
    list_filter = ["status", "kind", "placement__programme", "placement__cohort"]
    search_fields = ["title", "identifier", "placement__company__name"]
    list_select_related = ["placement__company", "placement__researcher__user",
                           "placement__researcher__institution"]
    autocomplete_fields = ["placement"]
    readonly_fields = ["reported_by", "verified_by", "verified_at", "created_at",
                       "evidence_download"]
    actions = [
        decision(services.outcome_verify, "outcome", perm=VERIFY_OUTCOME,
                 description=_("Verify the selected outcomes")),
        decision(services.outcome_reject, "outcome", perm=VERIFY_OUTCOME,
                 description=_("Reject the selected outcomes (with a reason)"), needs_reason=True),
    ]

    @admin.display(description=_("evidence file"))
    def evidence_download(self, outcome):
        # The site's permission-checked download, the same as the API's.
        if not outcome.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("matching:outcome_evidence",
                                                          args=[outcome.pk]),
                           _("Download the evidence"))
