"""The review queues of the admin: what waits for district staff.

The admin index shows each queue with how many wait and since when
(matching.templatetags.district), and each links to its list filtered to the
queue. In that list the oldest comes first, as a queue is served; the same
list unfiltered keeps the newest first. Both read the definitions below.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Queue:
    label: str
    changelist: str  # the admin list the queue links to …
    params: dict  # … filtered with these GET parameters
    since: str  # waiting since this field: the oldest first

    def waiting(self):
        from accounts.models import Company, ResearcherProfile
        from matching.models import Challenge, Outcome, Placement

        return {
            "accounts_company": Company.objects.filter(verified_at__isnull=True, review_note=""),
            "accounts_researcherprofile": ResearcherProfile.objects.filter(
                verified_at__isnull=True, review_note=""),
            "matching_challenge": Challenge.objects.filter(status=Challenge.Status.UNDER_REVIEW),
            "matching_placement": Placement.objects.filter(status=Placement.Status.PENDING),
            "matching_outcome": Outcome.objects.filter(status=Outcome.Status.REPORTED),
        }[self.changelist.removeprefix("admin:").removesuffix("_changelist")]


QUEUES = [
    Queue(_("Companies to verify"), "admin:accounts_company_changelist",
          {"verified_at__isempty": "1"}, "created_at"),
    Queue(_("Researchers to verify"), "admin:accounts_researcherprofile_changelist",
          {"verified_at__isempty": "1"}, "created_at"),
    Queue(_("Needs to review"), "admin:matching_challenge_changelist",
          {"status__exact": "under_review"}, "updated_at"),
    Queue(_("Placements to approve"), "admin:matching_placement_changelist",
          {"status__exact": "pending"}, "created_at"),
    Queue(_("Outcomes to verify"), "admin:matching_outcome_changelist",
          {"status__exact": "reported"}, "created_at"),
]


class OldestFirstInQueue:
    """A ModelAdmin mixin: its list, filtered to one of the queues, lists the
    oldest first (a column the user sorts by still wins)."""

    def get_ordering(self, request):
        changelist = f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        for queue in QUEUES:
            if queue.changelist == changelist and all(
                    request.GET.get(k) == v for k, v in queue.params.items()):
                return [queue.since, "pk"]
        return super().get_ordering(request)
