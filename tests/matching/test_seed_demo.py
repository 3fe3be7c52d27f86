from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import Company, ResearcherProfile
from matching import statistics
from matching.models import Application, Challenge, Cohort, Outcome, Placement, Programme
from matching.selectors import headline_figures

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_district_at_its_reported_scale_and_is_safe_twice(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (Company.objects.count(), ResearcherProfile.objects.count(),
              Challenge.objects.count(), Placement.objects.count(), Outcome.objects.count())
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert (Company.objects.count(), ResearcherProfile.objects.count(),
            Challenge.objects.count(), Placement.objects.count(),
            Outcome.objects.count()) == counts

    assert headline_figures() == {"researchers": 847, "companies": 258,
                                  "deal_value": Decimal("4000.00"), "outcomes": 320}
    assert Company.objects.count() == 258
    assert 800 <= ResearcherProfile.objects.count() <= 900
    # Six cohorts placed, and a seventh in preparation for the solver.
    assert Cohort.objects.filter(placements__isnull=False).distinct().count() == 6
    seventh = Cohort.objects.get(number=7)
    assert seventh.needs.count() == 40 and seventh.researchers.count() == 120
    assert set(Challenge.objects.values_list("status", flat=True)) == set(Challenge.Status.values)
    assert set(Challenge.objects.values_list("programme", flat=True)) == set(Programme.values)
    assert Application.objects.count() > 500
    # Links to the 55830 plan (issue 18): the by-action table has rows to show.
    by_action = {r["label"]: r for r in statistics.breakdown(statistics.StatsFilter(),
                                                             "plan_action")}
    assert by_action["人才引育行动"]["placements"] > 0
    assert by_action["产学研协同行动"]["outcomes"] > 0
    for login in ("company@demo.qiantang.local", "researcher@demo.qiantang.local",
                  "staff@demo.qiantang.local"):
        assert login in first and login in second
    # Issue 18: 2025 is frozen (its figures a part of the headline), 2026 is live;
    # the home page says which.
    from django.test import Client

    from matching.models import FrozenReport
    from matching.services.reports_frozen import report_checksum_ok

    (frozen,) = FrozenReport.objects.all()
    assert report_checksum_ok(frozen)
    assert 0 < frozen.figures["outcomes"] < 320
    assert Decimal(frozen.figures["deal_value"]) < Decimal("4000.00")
    assert frozen.figures["unregistered_contracts"] == 0
    assert frozen.checksum[:12] in Client().get("/").content.decode()


def test_the_demo_is_deterministic():
    from django.db import transaction

    from matching.demo import DemoBuilder

    def build_and_read():
        with transaction.atomic():
            DemoBuilder().build()
            rows = list(Challenge.objects.order_by("pk").values_list(
                "title", "company__name", "company__credit_code", "status"))
            transaction.set_rollback(True)
        return rows

    first = build_and_read()
    assert not Challenge.objects.exists()
    assert build_and_read() == first


def test_the_demo_shows_bounty_selections_at_every_stage():
    """Issue 17: panels forming, reviewing and closed; results published, one with an
    objection lodged, one cleared; the headline figures unchanged."""
    from matching.demo import DemoBuilder
    from matching.models import Expert, Objection, Panel, Publicity, Review

    DemoBuilder().build()
    assert set(Panel.objects.values_list("status", flat=True)) == {"forming", "reviewing",
                                                                    "closed"}
    assert Expert.objects.filter(status="approved").count() == 10
    assert Expert.objects.filter(status="pending").count() == 1
    assert Review.objects.exists()
    assert Publicity.objects.count() == 2
    assert set(Objection.objects.values_list("status", flat=True)) == {"lodged", "dismissed"}
    assert headline_figures() == {"researchers": 847, "companies": 258,
                                  "deal_value": Decimal("4000.00"), "outcomes": 320}
