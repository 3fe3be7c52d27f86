"""Choice sets named once in the OpenAPI schema (drf-spectacular ENUM_NAME_OVERRIDES)."""

from ..models import Agreement, Application, Challenge, CohortRun, Outcome, Placement

CHALLENGE_STATUS = Challenge.Status.choices
APPLICATION_STATUS = Application.Status.choices
PLACEMENT_STATUS = Placement.Status.choices
OUTCOME_STATUS = Outcome.Status.choices
COHORT_RUN_STATUS = CohortRun.Status.choices
AGREEMENT_STATUS = Agreement.Status.choices
