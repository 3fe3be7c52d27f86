"""Every state change of the matching domain. Views, the API, the admin and
tasks call these functions, so each rule is enforced in one place."""

from .applications import (
    application_accept,
    application_decline,
    application_shortlist,
    application_submit,
    application_withdraw,
)
from .challenges import (
    challenge_complete,
    challenge_create,
    challenge_publish,
    challenge_reject,
    challenge_submit,
    challenge_update,
    challenge_withdraw,
    challenges_expire_overdue,
)
from .outcomes import (
    outcome_confirm,
    outcome_dispute,
    outcome_reject,
    outcome_report,
    outcome_verify,
)
from .placements import (
    placement_approve,
    placement_complete,
    placement_create,
    placement_reject,
    placement_terminate,
)
from .plan import outcome_tag, placement_tag

__all__ = [
    "application_accept", "application_decline", "application_shortlist",
    "application_submit", "application_withdraw", "challenge_complete", "challenge_create",
    "challenge_publish", "challenge_reject", "challenge_submit", "challenge_update",
    "challenge_withdraw", "challenges_expire_overdue", "outcome_confirm", "outcome_dispute",
    "outcome_reject", "outcome_report",
    "outcome_verify", "placement_approve", "placement_complete", "placement_create",
    "placement_reject", "placement_terminate",
    # issue 18: links to the 55830 plan
    "outcome_tag", "placement_tag",
]
