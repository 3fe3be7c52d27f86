"""Needs and applications: the review queue of needs.

Companies write their needs and researchers their applications; staff decide
(publish or reject a need) and read everything else. Nothing here is edited.
"""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.roles import REVIEW_CHALLENGE
from config.admin_actions import DecisionsMixin, decision
from config.admin_queues import OldestFirstInQueue
from config.admin_writes import HistoryAdmin, ReadOnlyAdmin

from .. import selectors, services
from ..explain import explain_many
from ..models import (
    Application,
    Challenge,
)


@admin.register(Challenge)
class ChallengeAdmin(OldestFirstInQueue, DecisionsMixin, ReadOnlyAdmin, HistoryAdmin):
    list_display = ["title", "company", "programme", "status", "reward", "deadline",
                    "published_at"]
    list_filter = ["status", "programme", "confidentiality", "industry", "cohort",
                   "company__platform"]
    search_fields = ["title", "background", "goals", "company__name"]
    list_select_related = ["company"]
    date_hierarchy = "created_at"
    readonly_fields = ["top_matches"]
    actions = [
        decision(services.challenge_publish, "challenge", perm=REVIEW_CHALLENGE,
                 description=_("Approve and publish the selected needs")),
        decision(services.challenge_reject, "challenge", perm=REVIEW_CHALLENGE,
                 description=_("Reject the selected needs (with a reason)"), needs_reason=True),
    ]

    @admin.display(description=_("best-matching researchers"))
    def top_matches(self, challenge):
        matches = list(selectors.matches_for_challenge(challenge=challenge, limit=10))
        for m in matches:
            m.challenge = challenge  # one need: read once
        reasons = explain_many(matches)  # in a few queries, however many matches
        rows = [(m.researcher, f"{100 * m.score:.0f}", "；".join(reasons[m.pk])) for m in matches]
        if not rows:
            return _("No scores yet: they are computed when the need is published.")
        return format_html_join("", "<p><strong>{}</strong> · {} · {}</p>", rows)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin, HistoryAdmin):
    list_display = ["researcher", "challenge", "status", "budget", "created_at"]
    list_filter = ["status", "challenge__programme"]
    search_fields = ["researcher__user__full_name", "challenge__title", "proposal"]
    list_select_related = ["researcher__user", "researcher__institution", "challenge"]
