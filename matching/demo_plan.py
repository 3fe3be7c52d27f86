"""The demo district's links to the 55830 plan (issue 18): a deterministic share
of its placements and verified outcomes is linked to the seeded actions, so the
statistics page's "by plan action" table has something to show. Links change
no headline figure."""

from .models import Outcome, Placement, PlanAction
from .services.plan import outcome_tag, placement_tag


def build(builder) -> None:
    talent = PlanAction.objects.get(code="talent")
    cooperation = PlanAction.objects.get(code="industry-academia")
    for n, placement in enumerate(Placement.objects.order_by("pk")[:120]):
        actions = [talent, cooperation] if n % 4 == 0 else [talent]
        placement_tag(placement=placement, actions=actions, by=builder.staff)
    contracts = Outcome.objects.filter(kind=Outcome.Kind.TECH_CONTRACT,
                                       status=Outcome.Status.VERIFIED).order_by("pk")
    for outcome in contracts[:40]:
        outcome_tag(outcome=outcome, actions=[cooperation], by=builder.staff)
