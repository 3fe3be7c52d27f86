"""The yearly evaluation: opened as a year ends, the self-report and the company's
opinion written in, the indicators measured, staff grade it; 不合格 ends the
placement and its agreement with the reason."""

import datetime

import pytest

from accounts.errors import DomainError
from matching.models import Agreement, Evaluation, Outcome, Placement, Programme
from matching.services import evaluations as services
from matching.services import service_records
from tests.factories import OutcomeFactory

from .after_approval import signed_placement


@pytest.fixture
def placement(acme, alice, rita, ursula):
    return signed_placement(acme, alice, rita, ursula)


def test_each_year_opens_once_as_it_ends(placement):
    assert services.evaluations_open_due(today=datetime.date(2025, 11, 1)) == 0
    assert services.evaluations_open_due(today=datetime.date(2025, 12, 15)) == 1
    assert services.evaluations_open_due(today=datetime.date(2025, 12, 16)) == 0  # replayed
    first = Evaluation.objects.get()
    assert (first.year, first.kind, first.period_start, first.period_end) == (
        1, "annual", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert first.agreement.status == Agreement.Status.SIGNED


def test_a_phd_cohort_period_ends_with_an_end_of_period_evaluation(acme, alice, rita, ursula):
    signed_placement(acme, alice, rita, ursula, programme=Programme.PHD,
                     ends_on=datetime.date(2025, 9, 30))
    assert services.evaluations_open_due(today=datetime.date(2025, 9, 20)) == 1
    assert Evaluation.objects.get().kind == Evaluation.Kind.FINAL


def test_reports_indicators_and_a_pass_let_the_placement_continue(placement, rita, alice, vera):
    for d in (6, 7):
        service_records.service_log_add(placement=placement, by=rita.user,
                                        day=datetime.date(2025, 5, d), hours=8, place="Acme",
                                        work="产线调试")
    service_records.service_month_confirm(placement=placement, month=datetime.date(2025, 5, 1),
                                          by=alice)
    OutcomeFactory(placement=placement, status=Outcome.Status.VERIFIED,
                   achieved_on=datetime.date(2025, 6, 1))
    services.evaluations_open_due(today=datetime.date(2025, 12, 15))
    evaluation = Evaluation.objects.get()
    services.evaluation_self_report(evaluation=evaluation, by=rita.user, text="完成两项专利申请")
    services.evaluation_company_opinion(evaluation=evaluation, by=alice, text="表现良好",
                                        targets_total=3, targets_met=2)
    graded = services.evaluation_grade(evaluation=evaluation, by=vera, grade="pass")
    assert (graded.days_required, graded.days_logged, graded.days_confirmed,
            graded.outcomes_verified) == (84, 2, 2, 1)
    assert graded.history.latest().history_user == vera
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE
    with pytest.raises(DomainError):  # graded once
        services.evaluation_grade(evaluation=evaluation, by=vera, grade="excellent")


def test_who_writes_what(placement, rita, alice, oscar, charlie):
    services.evaluations_open_due(today=datetime.date(2025, 12, 15))
    evaluation = Evaluation.objects.get()
    with pytest.raises(DomainError):
        services.evaluation_self_report(evaluation=evaluation, by=alice, text="x")
    with pytest.raises(DomainError):
        services.evaluation_self_report(evaluation=evaluation, by=oscar.user, text="x")
    with pytest.raises(DomainError):
        services.evaluation_company_opinion(evaluation=evaluation, by=charlie, text="x")
    with pytest.raises(DomainError) as e:
        services.evaluation_company_opinion(evaluation=evaluation, by=alice, text="x",
                                            targets_total=1, targets_met=2)
    assert "targets_met" in e.value.message_dict
    with pytest.raises(DomainError):
        services.evaluation_grade(evaluation=evaluation, by=alice, grade="excellent")


def test_a_fail_ends_the_placement_and_its_agreement_with_the_reason(placement, sam, vera):
    services.evaluations_open_due(today=datetime.date(2025, 12, 15))
    evaluation = Evaluation.objects.get()
    with pytest.raises(DomainError):  # a reviewer does not end placements
        services.evaluation_grade(evaluation=evaluation, by=vera, grade="fail", note="缺勤")
    with pytest.raises(DomainError) as e:
        services.evaluation_grade(evaluation=evaluation, by=sam, grade="fail")
    assert "grade_note" in e.value.message_dict
    services.evaluation_grade(evaluation=evaluation, by=sam, grade="fail", note="全年服务 12 天")
    placement.refresh_from_db()
    agreement = placement.agreements.get()
    assert placement.status == Placement.Status.TERMINATED
    assert "全年服务 12 天" in placement.review_note and "全年服务 12 天" in agreement.end_reason
    assert agreement.status == Agreement.Status.ENDED
