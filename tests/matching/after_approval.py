"""Shared by the tests of issue 16: an approved placement with a signed agreement."""

import datetime

from matching.models import Placement, Programme
from matching.services import agreements
from tests.factories import PlacementFactory

START, END = datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)


def signed_placement(acme, alice, rita, ursula, *, programme=Programme.TECH_VP, days=7,
                     starts_on=START, ends_on=END):
    """rita at Acme for two years, agreed by all three parties, `days` a month."""
    placement = PlacementFactory(company=acme, researcher=rita, programme=programme,
                                 status=Placement.Status.ACTIVE, starts_on=starts_on,
                                 ends_on=ends_on)
    agreement = agreements.agreement_draft(placement=placement, by=alice, starts_on=starts_on,
                                           ends_on=ends_on, service_days_per_month=days)
    for user in (alice, rita.user, ursula):
        agreements.agreement_sign(agreement=agreement, by=user)
    return placement
