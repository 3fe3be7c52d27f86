"""Frozen reports: a period's figures with the rows behind them and a checksum;
a late verification changes only the next period; a reissue is a new version
with a reason."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.errors import DomainError
from matching import frozen, services
from matching.models import FrozenReport, Outcome, Placement
from matching.services.reports_frozen import (
    report_checksum_ok,
    report_freeze,
    report_reissue,
    report_rows,
)
from tests.factories import OutcomeFactory, PlacementFactory

D = dt.date
Y2025 = {"period_start": D(2025, 1, 1), "period_end": D(2025, 12, 31)}
Y2026 = (D(2026, 1, 1), D(2026, 12, 31))


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def district(acme, rita):
    placement = PlacementFactory(company=acme, researcher=rita, status=Placement.Status.ACTIVE,
                                 starts_on=D(2025, 1, 1), ends_on=D(2026, 12, 31))
    verified = Outcome.Status.VERIFIED
    OutcomeFactory(placement=placement, amount=Decimal("80"), status=verified,
                   verified_at=at(D(2025, 6, 1)))
    OutcomeFactory(placement=placement, amount=Decimal("15"), status=verified,
                   registration_number="", verified_at=at(D(2025, 7, 1)))
    return placement


def test_a_frozen_report_has_its_figures_rows_and_a_checksum_that_verifies(district, sam):
    report = report_freeze(by=sam, **Y2025)
    report.refresh_from_db()
    assert report.figures["deal_value"] == "80.00"
    assert (report.figures["unregistered_contracts"], report.figures["unregistered_value"]) == (
        1, "15.00")
    assert (report.figures["researchers"], report.figures["companies"]) == (1, 1)
    assert [p["id"] for p in report.rows["placements"]] == [district.pk]
    assert len(report.rows["outcomes"]) == 2
    assert report_checksum_ok(report)
    assert report.checksum == frozen.checksum(
        period_start="2025-01-01", period_end="2025-12-31", version=1, reason="",
        figures=report.figures, rows=report.rows)
    assert report.history.latest().history_user == sam


def test_a_changed_row_or_figure_no_longer_verifies(district, sam):
    report = report_freeze(by=sam, **Y2025)
    report.rows["outcomes"][0]["amount"] = "800.00"
    assert not report_checksum_ok(report)
    report.refresh_from_db()
    report.figures["deal_value"] = "81.00"
    assert not report_checksum_ok(report)


def test_a_late_verification_lands_in_the_next_period_and_leaves_the_frozen_one(district, sam,
                                                                                 rita):
    report = report_freeze(by=sam, **Y2025)
    frozen_rows, frozen_sum = report.rows, report.checksum
    late = OutcomeFactory(placement=district, amount=Decimal("30"), achieved_on=D(2025, 11, 1),
                          reported_by=None, evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4"))
    services.outcome_confirm(outcome=late, by=rita.user)
    services.outcome_verify(outcome=late, by=sam)  # today, after 2025 was frozen
    report.refresh_from_db()
    assert (report.rows, report.checksum) == (frozen_rows, frozen_sum)
    assert report_checksum_ok(report)
    assert report_rows(D(2025, 1, 1), D(2025, 12, 31)) == frozen_rows
    today = timezone.localdate()
    later = [o["id"] for o in report_rows(D(today.year, 1, 1), D(today.year, 12, 31))["outcomes"]]
    assert later == [late.pk]


@pytest.mark.parametrize("period, field", [
    ({"period_start": D(2026, 1, 1), "period_end": timezone.localdate()}, "period_end"),
    ({"period_start": D(2025, 12, 1), "period_end": D(2025, 11, 1)}, "period_end"),
    (Y2025, "period_start"),
    ({"period_start": D(2025, 7, 1), "period_end": D(2026, 6, 30)}, "period_start"),
])
def test_a_running_reversed_frozen_or_overlapping_period_is_refused(period, field, district,
                                                                   sam):
    report_freeze(by=sam, **Y2025)
    with pytest.raises(DomainError) as exc:
        report_freeze(by=sam, **period)
    assert field in exc.value.message_dict
    assert FrozenReport.objects.count() == 1


def test_only_administrators_freeze(district, vera, alice):
    for person in (vera, alice):
        with pytest.raises(DomainError):
            report_freeze(by=person, **Y2025)
    assert not FrozenReport.objects.exists()


def test_a_reissue_is_a_new_version_with_a_reason(district, sam):
    first = report_freeze(by=sam, **Y2025)
    with pytest.raises(DomainError) as exc:
        report_reissue(report=first, by=sam, note=" ")
    assert "reason" in exc.value.message_dict
    second = report_reissue(report=first, by=sam, note="登记号更正")
    third = report_reissue(report=first, by=sam, note="再次更正")
    assert [(r.version, r.reason) for r in FrozenReport.objects.order_by("version")] == [
        (1, ""), (2, "登记号更正"), (3, "再次更正")]
    assert second.checksum != first.checksum and report_checksum_ok(third)
    first.refresh_from_db()
    assert report_checksum_ok(first)


def test_staff_freeze_in_the_admin_and_read_the_report_in_the_api(district, sam, client):
    client.force_login(sam)
    response = client.post(reverse("admin:matching_frozenreport_add"),
                           {"period_start": "2025-01-01", "period_end": "2025-12-31",
                            "reason": ""})
    assert response.status_code == 302, response.content[:2000]
    report = FrozenReport.objects.get()
    api = APIClient()
    api.force_authenticate(sam)
    body = api.get("/api/v1/reports/").json()
    (row,) = body["results"]
    assert (row["id"], row["checksum"], row["checksum_ok"]) == (report.pk, report.checksum, True)
    assert row["rows"] == report.rows and row["figures"]["deal_value"] == "80.00"
