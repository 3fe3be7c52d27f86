"""Subsidies: a two-year term, 24 monthly salaries entered by the company, graded
优秀 then 合格, gives exactly what a hand calculation gives; the calculation is
explained line by line; staff decide; a draft policy is tried on last year."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from accounts.errors import DomainError
from matching.models import Evaluation, SubsidyClaim, SubsidyPolicy
from matching.services import evaluations, subsidies

from .after_approval import signed_placement


@pytest.fixture
def policy(sam):
    draft = subsidies.subsidy_policy_create(
        by=sam, programme="tech_vp", name="科技副总补贴", rate_excellent=Decimal("0.70"),
        rate_pass=Decimal("0.50"), rate_fail=Decimal("0"), cap_per_year=Decimal("60000"),
        salary_floor=Decimal("3000"), max_years=3)
    return subsidies.subsidy_policy_activate(policy=draft, by=sam)


@pytest.fixture
def placement(acme, alice, rita, ursula):
    return signed_placement(acme, alice, rita, ursula)


def graded(year_end, grade, sam):
    evaluations.evaluations_open_due(today=year_end)
    evaluation = Evaluation.objects.get(period_end=year_end)
    return evaluations.evaluation_grade(evaluation=evaluation, by=sam, grade=grade)


# Year 1: eleven months of 10,000.00 and a March of 2,500.00 (below the floor).
YEAR1 = [{"month": f"2025-{m:02d}", "amount": "2500.00" if m == 3 else "10000.00"}
         for m in range(1, 13)]
# Year 2: twelve months of 8,333.33.
YEAR2 = [{"month": f"2026-{m:02d}", "amount": "8333.33"} for m in range(1, 13)]


def test_a_two_year_term_pays_what_the_hand_calculation_says(placement, policy, alice, sam):
    first = graded(datetime.date(2025, 12, 31), "excellent", sam)
    second = graded(datetime.date(2026, 12, 31), "pass", sam)
    claim1 = subsidies.subsidy_claim_file(evaluation=first, by=alice, salaries=YEAR1)
    claim2 = subsidies.subsidy_claim_file(evaluation=second, by=alice, salaries=YEAR2)
    # By hand: 11 × 10,000 × 0.70 = 77,000, capped at 60,000; 12 × 8,333.33 × 0.50.
    hand1 = min(Decimal("10000.00") * 11 * Decimal("0.70"), Decimal("60000"))
    hand2 = (Decimal("8333.33") * 12 * Decimal("0.50")).quantize(Decimal("0.01"))
    assert (claim1.amount, claim2.amount) == (hand1, hand2) == (Decimal("60000"),
                                                                Decimal("49999.98"))
    assert claim1.salary_counted == Decimal("110000.00")
    with translation.override("en"):
        lines = subsidies.explain(claim1.explanation)
    assert len(lines) == 12 + 4  # a line per month, the sum, the rate, the cap, the result
    assert "2025-03" in lines[2] and "3000" in lines[2]
    assert "60000" in lines[-2] and lines[-1].endswith("60000.00 yuan")
    for claim in (claim1, claim2):
        subsidies.subsidy_claim_approve(claim=claim, by=sam)
    assert sum(c.amount for c in SubsidyClaim.objects.filter(status="approved")) == hand1 + hand2


def test_a_year_beyond_the_policy_pays_nothing():
    terms = subsidies.Terms({"excellent": Decimal("0.7"), "pass": Decimal("0.5"),
                             "fail": Decimal(0)}, Decimal("60000"), Decimal(0), 2)
    counted, amount, lines = subsidies.compute(terms, grade="excellent", year=3,
                                               salaries=[("2027-01", Decimal("9000"))])
    assert (counted, amount) == (Decimal("9000"), Decimal("0.00"))
    assert lines[-2]["line"] == "beyond_years"


def test_bad_salaries_are_refused_by_field_and_nothing_is_written(placement, policy, alice, sam):
    evaluation = graded(datetime.date(2025, 12, 31), "pass", sam)
    for salaries in ([{"month": "2024-12", "amount": "1"}], [{"month": "2025-01", "amount": "-1"}],
                     [{"month": "2025-01", "amount": "x"}], [], [{"month": "2025-01"}] * 2):
        with pytest.raises(DomainError) as e:
            subsidies.subsidy_claim_file(evaluation=evaluation, by=alice, salaries=salaries)
        assert "salaries" in e.value.message_dict
    assert not SubsidyClaim.objects.exists()


def test_only_the_company_files_and_only_staff_decide(placement, policy, alice, charlie, rita,
                                                      sam, vera):
    evaluation = graded(datetime.date(2025, 12, 31), "pass", sam)
    for user in (charlie, rita.user):
        with pytest.raises(DomainError):
            subsidies.subsidy_claim_file(evaluation=evaluation, by=user, salaries=YEAR1)
    claim = subsidies.subsidy_claim_file(evaluation=evaluation, by=alice, salaries=YEAR1)
    with pytest.raises(DomainError):
        subsidies.subsidy_claim_approve(claim=claim, by=alice)
    with pytest.raises(DomainError) as e:
        subsidies.subsidy_claim_reject(claim=claim, by=vera, note="")
    assert "review_note" in e.value.message_dict
    subsidies.subsidy_claim_reject(claim=claim, by=vera, note="工资凭证不全")
    # Filed again with the missing evidence: pending once more, recomputed.
    again = subsidies.subsidy_claim_file(evaluation=evaluation, by=alice, salaries=YEAR2[:0]
                                         + YEAR1[:6])
    assert again.pk == claim.pk and again.status == "pending"
    assert again.amount == Decimal("25000.00")  # 5 × 10,000 × 0.5 (March below the floor)


def test_an_active_policy_is_replaced_not_edited_and_a_draft_is_costed(placement, policy, alice,
                                                                       sam):
    claim = subsidies.subsidy_claim_file(
        evaluation=graded(datetime.date(2025, 12, 31), "excellent", sam), by=alice,
        salaries=YEAR1)
    subsidies.subsidy_claim_approve(claim=claim, by=sam)
    with pytest.raises(DomainError):
        subsidies.subsidy_policy_update(policy=policy, by=sam, cap_per_year=Decimal("1"))
    draft = subsidies.subsidy_policy_create(
        by=sam, programme="tech_vp", name="科技副总补贴（修订）", rate_excellent=Decimal("0.80"),
        rate_pass=Decimal("0.50"), cap_per_year=Decimal("100000"), salary_floor=Decimal("0"))
    cost = subsidies.subsidy_policy_cost(policy=draft, year=2025)
    # 12 months now count: (11 × 10,000 + 2,500) × 0.80 = 90,000, under the new cap.
    assert (cost["claims"], cost["would_cost"], cost["approved"]) == (
        1, Decimal("90000.00"), Decimal("60000.00"))
    subsidies.subsidy_policy_activate(policy=draft, by=sam)
    policy.refresh_from_db()
    assert (policy.status, draft.version) == (SubsidyPolicy.Status.RETIRED, 2)


def test_the_excel_report_keeps_text_as_text(placement, policy, alice, sam):
    claim = subsidies.subsidy_claim_file(
        evaluation=graded(datetime.date(2025, 12, 31), "pass", sam), by=alice, salaries=YEAR1)
    placement.company.name = '=HYPERLINK("http://x","点击")'
    placement.company.save()
    claim = SubsidyClaim.objects.select_related("evaluation", "policy", "placement__company",
                                                "placement__researcher__user").get(pk=claim.pk)
    import io

    sheet = load_workbook(io.BytesIO(subsidies.subsidy_claims_workbook([claim]))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == '=HYPERLINK("http://x","点击")' and rows[1][7] == 55000
    assert sheet.cell(2, 1).data_type == "s"
