"""The website: the public pages, the company's and the researcher's.

Every page reads through a scoped queryset (another company's or researcher's
object is a 404) and every change goes through a service; a refusal is shown on
the form, on the field it names, and changes nothing.
"""

from .agreements import agreement, agreement_download, agreement_end, agreement_sign
from .cohorts import cohort_marks, cohort_preferences
from .company import (
    application_decide,
    company_dashboard,
    need_edit,
    need_manage,
    need_new,
    need_submit,
    need_withdraw,
)
from .experts import (
    expert_answer,
    expert_enrol,
    expert_panels,
    expert_seat,
    need_ranking,
    publicity_detail,
    publicity_list,
)
from .public import dashboard, home, need_detail, needs
from .researcher import application_withdraw, apply, recommended, researcher_dashboard
from .service import service, service_confirm, service_photo, service_query
from .shared import (
    notifications,
    outcome_confirm,
    outcome_dispute,
    outcome_evidence,
    outcome_report,
    placement_letter,
    placements,
)

__all__ = [
    "expert_answer", "expert_enrol", "expert_panels", "expert_seat", "need_ranking",
    "publicity_detail", "publicity_list",
    "agreement", "agreement_download", "agreement_end", "agreement_sign",
    "application_decide", "cohort_marks", "cohort_preferences",
    "application_withdraw", "apply", "company_dashboard", "dashboard",
    "home", "need_detail", "need_edit", "need_manage", "need_new", "need_submit",
    "need_withdraw", "needs", "notifications", "outcome_confirm", "outcome_dispute",
    "outcome_evidence", "outcome_report",
    "placement_letter", "placements", "recommended", "researcher_dashboard",
    "service", "service_confirm", "service_photo", "service_query",
]
