"""The demo district after its approvals (issue 16): agreements signed by all
three parties, service logs with two short months, graded years and claims
whose amounts are what the active policy computes — headline figures unchanged."""

from decimal import Decimal

import pytest

from matching.demo import DemoBuilder
from matching.models import (
    Agreement,
    Evaluation,
    Placement,
    Programme,
    ServiceLog,
    ServiceNotice,
    SubsidyClaim,
    SubsidyPolicy,
)
from matching.selectors import headline_figures
from matching.services import subsidies

pytestmark = pytest.mark.django_db


def test_the_demo_placements_have_their_year_after_the_approval():
    DemoBuilder().build()
    assert headline_figures() == {"researchers": 847, "companies": 258,
                                  "deal_value": Decimal("4000.00"), "outcomes": 320}
    vps = Placement.objects.filter(programme=Programme.TECH_VP, post="科技副总",
                                   status=Placement.Status.ACTIVE)
    assert vps.count() == 5
    for agreement in Agreement.objects.filter(placement__in=vps):
        assert agreement.status == "signed"
        assert set(agreement.signatures.values_list("party", flat=True)) == set(agreement.parties)
    assert ServiceLog.objects.filter(placement__in=vps).count() > 5 * 7 * 12
    assert ServiceNotice.objects.filter(kind="shortfall").count() == 2
    assert Evaluation.objects.filter(placement__in=vps, year=1, status="graded").count() == 5
    claims = SubsidyClaim.objects.select_related("evaluation", "policy")
    assert claims.filter(status="pending").count() == 5
    assert claims.filter(status="approved").count() > 200
    for claim in claims:
        _counted, amount, _lines = subsidies.compute(
            subsidies.Terms.of(claim.policy), grade=claim.evaluation.grade,
            year=claim.evaluation.year, salaries=subsidies._salaries(claim.salaries))
        assert amount == claim.amount
    draft = SubsidyPolicy.objects.get(status="draft")
    cost = subsidies.subsidy_policy_cost(policy=draft, year=2025)
    assert cost["claims"] > 100 and cost["would_cost"] != cost["approved"]
