"""Every change a service makes is on record, attributed to the person it acts for.

Services run outside requests too (tasks, imports, shells), so the history
user comes from their `by`, not from a request. The list of services is read
from the service modules: a new service taking `by` fails
`test_every_service_has_a_case` until it gets a case here.
"""

import datetime
import importlib
import inspect
import pkgutil

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as accounts
from accounts.models import CompanyMembership, Institution, ResearcherProfile
from matching import services as matching
from matching.models import (
    Challenge,
    CohortNeed,
    CohortPair,
    CohortResearcher,
    CohortRun,
    MatchRun,
    Outcome,
    Placement,
    Programme,
    Rubric,
)
from matching.services import (
    agreements,
    applications,
    cohorts,
    experts,
    panels,
    publicity,
    scoring,
)
from tests import factories as f

# Every module of the service packages, found by walking them: a new module is
# checked without being listed here.
SERVICE_MODULES = ["accounts.services", *(
    m.name for m in pkgutil.walk_packages(importlib.import_module("matching.services").__path__,
                                          "matching.services.")
    if not m.name.rsplit(".", 1)[-1].startswith("_"))]  # _base: the services' own tools
# Who acts is named otherwise: the new owner, the new researcher.
ACTING_AS = {"company_register": "owner", "researcher_register": "user"}
# Accounts keep no history; staff changes to them are in the admin's log.
WITHOUT_HISTORY = {"password_set"}

CASES = {}


def case(fn):
    CASES[fn.__name__.removeprefix("case_")] = fn
    return fn


def history(obj):
    return type(obj).history.filter(id=obj.pk)


# --- accounts ---------------------------------------------------------------

@case
def case_company_register(p):
    company = accounts.company_register(owner=p.alice, name="杭州新注册科技有限公司",
                                        credit_code=f.credit_code(9001))
    return p.alice, history(company)


@case
def case_company_verify(p):
    company = f.CompanyFactory(verified_at=None)
    return p.vera, history(accounts.company_verify(company=company, by=p.vera))


@case
def case_company_reject(p):
    company = f.CompanyFactory(verified_at=None)
    return p.vera, history(accounts.company_reject(company=company, by=p.vera, note="执照模糊"))


@case
def case_company_update(p):
    return p.alice, history(accounts.company_update(company=p.acme, by=p.alice, address="1号"))


@case
def case_company_correct(p):
    return p.sam, history(accounts.company_correct(company=p.acme, by=p.sam, name="更正后的名称"))


def _invitation(p):
    return accounts.invitation_create(company=p.acme, email=p.rita.user.email, by=p.alice)


@case
def case_invitation_create(p):
    return p.alice, history(_invitation(p))


@case
def case_invitation_accept(p):
    membership = accounts.invitation_accept(invitation=_invitation(p), by=p.rita.user)
    return p.rita.user, history(membership)


@case
def case_invitation_decline(p):
    return p.rita.user, history(accounts.invitation_decline(invitation=_invitation(p),
                                                            by=p.rita.user))


@case
def case_invitation_revoke(p):
    return p.alice, history(accounts.invitation_revoke(invitation=_invitation(p), by=p.alice))


@case
def case_company_member_remove(p):
    membership = f.MembershipFactory(company=p.acme, role=CompanyMembership.Role.MEMBER)
    rows = history(membership)
    accounts.company_member_remove(membership=membership, by=p.alice)
    return p.alice, rows


@case
def case_researcher_register(p):
    user = f.UserFactory()
    profile = accounts.researcher_register(user=user, institution=p.rita.institution,
                                           title=ResearcherProfile.Title.LECTURER)
    return user, history(profile)


@case
def case_researcher_update(p):
    profile = accounts.researcher_update(profile=p.rita, by=p.rita.user, keywords=["钙钛矿"])
    return p.rita.user, history(profile)


@case
def case_researcher_verify(p):
    profile = f.ResearcherFactory(verified_at=None)
    return p.vera, history(accounts.researcher_verify(profile=profile, by=p.vera))


@case
def case_researcher_reject(p):
    profile = f.ResearcherFactory(verified_at=None)
    return p.vera, history(accounts.researcher_reject(profile=profile, by=p.vera, note="信息不全"))


@case
def case_work_add(p):
    return p.sam, history(accounts.work_add(profile=p.rita, by=p.sam, title="钙钛矿封装"))


@case
def case_work_update(p):
    work = f.WorkFactory(researcher=p.rita)
    return p.rita.user, history(accounts.work_update(work=work, by=p.rita.user, year=2024))


@case
def case_work_remove(p):
    work = f.WorkFactory(researcher=p.rita)
    rows = history(work)
    accounts.work_remove(work=work, by=p.rita.user)
    return p.rita.user, rows


@case
def case_record_save(p):
    institution = Institution(name="钱塘测试研究院")
    return p.sam, history(accounts.record_save(record=institution, by=p.sam))


@case
def case_record_delete(p):
    institution = Institution.objects.create(name="钱塘测试学院")
    rows = history(institution)
    accounts.record_delete(record=institution, by=p.sam)
    return p.sam, rows


# --- needs and applications -------------------------------------------------

def _need(p, status, **fields):
    return f.ChallengeFactory(company=p.acme, status=status, created_by=p.alice, **fields)


@case
def case_challenge_create(p):
    challenge = matching.challenge_create(company=p.acme, by=p.alice, title="新需求")
    return p.alice, history(challenge)


@case
def case_challenge_update(p):
    challenge = _need(p, Challenge.Status.DRAFT)
    return p.alice, history(matching.challenge_update(challenge=challenge, by=p.alice, title="改"))


@case
def case_challenge_submit(p):
    challenge = _need(p, Challenge.Status.DRAFT)
    return p.alice, history(matching.challenge_submit(challenge=challenge, by=p.alice))


@case
def case_challenge_publish(p):
    challenge = _need(p, Challenge.Status.UNDER_REVIEW)
    return p.vera, history(matching.challenge_publish(challenge=challenge, by=p.vera))


@case
def case_challenge_reject(p):
    challenge = _need(p, Challenge.Status.UNDER_REVIEW)
    return p.vera, history(matching.challenge_reject(challenge=challenge, by=p.vera, note="不清楚"))


@case
def case_challenge_withdraw(p):
    challenge = _need(p, Challenge.Status.DRAFT)
    return p.alice, history(matching.challenge_withdraw(challenge=challenge, by=p.alice))


@case
def case_challenge_complete(p):
    challenge = _need(p, Challenge.Status.IN_PROGRESS)
    return p.alice, history(matching.challenge_complete(challenge=challenge, by=p.alice))


def _application(p, **fields):
    return f.ApplicationFactory(challenge=_need(p, Challenge.Status.PUBLISHED),
                                researcher=p.rita, **fields)


@case
def case_application_submit(p):
    application = matching.application_submit(
        challenge=_need(p, Challenge.Status.PUBLISHED), researcher=p.rita, by=p.rita.user,
        proposal="方案")
    return p.rita.user, history(application)


@case
def case_application_withdraw(p):
    application = matching.application_withdraw(application=_application(p), by=p.rita.user)
    return p.rita.user, history(application)


@case
def case_application_shortlist(p):
    application = matching.application_shortlist(application=_application(p), by=p.alice)
    return p.alice, history(application)


@case
def case_application_decline(p):
    application = matching.application_decline(application=_application(p), by=p.alice)
    return p.alice, history(application)


@case
def case_applications_close(p):
    application = _application(p)
    applications.applications_close(challenge=application.challenge, reason="not_selected",
                                by=p.alice)
    return p.alice, history(application)


@case
def case_application_accept(p):
    placement = matching.application_accept(application=_application(p), by=p.alice)
    assert history(placement.application).latest().history_user == p.alice
    return p.alice, history(placement)


# --- placements and outcomes ------------------------------------------------

def _placement(p, status=Placement.Status.PENDING, **fields):
    return f.PlacementFactory(company=p.acme, researcher=p.rita, status=status, **fields)


@case
def case_placement_create(p):
    placement = matching.placement_create(
        programme=Programme.TECH_VP, company=p.acme, researcher=p.rita, by=p.sam,
        starts_on=datetime.date(2025, 3, 20), ends_on=datetime.date(2027, 3, 19))
    return p.sam, history(placement)


@case
def case_placement_approve(p):
    # The need moves to "in progress" on its record too, by the same person.
    challenge = _need(p, Challenge.Status.AWARDED)
    placement = matching.placement_approve(placement=_placement(p, challenge=challenge),
                                           by=p.vera)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.IN_PROGRESS
    assert history(challenge).latest().history_user == p.vera
    return p.vera, history(placement)


@case
def case_placement_reject(p):
    placement = matching.placement_reject(placement=_placement(p), by=p.vera, note="不符合")
    return p.vera, history(placement)


@case
def case_placement_complete(p):
    placement = matching.placement_complete(placement=_placement(p, Placement.Status.ACTIVE),
                                            by=p.sam)
    return p.sam, history(placement)


@case
def case_placement_terminate(p):
    placement = matching.placement_terminate(
        placement=_placement(p, Placement.Status.ACTIVE), by=p.sam, note="提前结束")
    return p.sam, history(placement)


@case
def case_outcome_report(p):
    outcome = matching.outcome_report(
        placement=_placement(p, Placement.Status.ACTIVE), by=p.rita.user,
        kind=Outcome.Kind.PAPER, title="论文", achieved_on=datetime.date(2025, 6, 1))
    return p.rita.user, history(outcome)


@case
def case_outcome_verify(p):
    # Confirmed by the other side and with its evidence (issue 18).
    outcome = f.OutcomeFactory(placement=_placement(p, Placement.Status.ACTIVE),
                               status=Outcome.Status.CONFIRMED,
                               evidence=SimpleUploadedFile("e.pdf", b"%PDF-1.4"))
    return p.vera, history(matching.outcome_verify(outcome=outcome, by=p.vera))


@case
def case_outcome_reject(p):
    outcome = f.OutcomeFactory(placement=_placement(p, Placement.Status.ACTIVE))
    return p.vera, history(matching.outcome_reject(outcome=outcome, by=p.vera, note="票据不符"))


# --- cohorts and rebuilds ---------------------------------------------------

def _cohort(p):
    cohort = f.CohortFactory()
    need = CohortNeed.objects.create(cohort=cohort, challenge=_need(
        p, Challenge.Status.PUBLISHED, programme=Programme.PHD, cohort=cohort))
    entry = CohortResearcher.objects.create(cohort=cohort, researcher=p.rita)
    return cohort, need, entry


def _run(p, status, **fields):
    cohort, need, entry = _cohort(p)
    return CohortRun.objects.create(cohort=cohort, status=status, **fields), need, entry


@case
def case_preferences_set(p):
    cohort, need, entry = _cohort(p)
    cohorts.preferences_set(entry=entry, by=p.rita.user, needs=[need])
    return p.rita.user, history(entry.preferences.get())


@case
def case_cohort_run_start(p):
    cohort, _need, _entry = _cohort(p)
    return p.sam, history(cohorts.cohort_run_start(cohort=cohort, by=p.sam))


@case
def case_cohort_run_cancel(p):
    run, _need, _entry = _run(p, CohortRun.Status.QUEUED)
    return p.sam, history(cohorts.cohort_run_cancel(run=run, by=p.sam))


@case
def case_cohort_run_retry(p):
    run, _need, _entry = _run(p, CohortRun.Status.FAILED)
    return p.sam, history(cohorts.cohort_run_retry(run=run, by=p.sam))


@case
def case_cohort_deploy(p):
    run, need, entry = _run(p, CohortRun.Status.COMPLETED)
    run.result = {"assignment": [{"entry": entry.pk, "need": need.pk}]}
    run.save()
    [placement] = cohorts.cohort_deploy(run=run, by=p.sam)
    assert history(placement).latest().history_user == p.sam
    return p.sam, history(run)


@case
def case_cohort_undeploy(p):
    run, need, entry = _run(p, CohortRun.Status.COMPLETED)
    run.result = {"assignment": [{"entry": entry.pk, "need": need.pk}]}
    run.save()
    [placement] = cohorts.cohort_deploy(run=run, by=p.sam)
    removed = history(placement)
    cohorts.cohort_undeploy(run=run, by=p.sam)
    assert removed.latest().history_type == "-"
    return p.sam, removed


@case
def case_cohort_pair_set(p):
    cohort, need, entry = _cohort(p)
    pair = cohorts.cohort_pair_set(cohort=cohort, entry=entry, need=need,
                                   kind=CohortPair.Kind.EXCLUDED, by=p.sam)
    return p.sam, history(pair)


@case
def case_cohort_pair_remove(p):
    cohort, need, entry = _cohort(p)
    pair = CohortPair.objects.create(cohort=cohort, researcher=entry, need=need,
                                     kind=CohortPair.Kind.FORCED)
    rows = history(pair)
    cohorts.cohort_pair_remove(pair=pair, by=p.sam)
    return p.sam, rows


@case
def case_match_run_start(p):
    return p.sam, history(scoring.match_run_start(by=p.sam))


@case
def case_match_run_retry(p):
    run = MatchRun.objects.create(engine_version="test", status=MatchRun.Status.FAILED)
    return p.sam, history(scoring.match_run_retry(run=run, by=p.sam))


@case
def case_institution_office_add(p):
    return p.sam, history(accounts.institution_office_add(
        institution=p.rita.institution, user=p.alice, by=p.sam))


@case
def case_institution_office_remove(p):
    office = accounts.institution_office_add(institution=p.rita.institution, user=p.alice,
                                             by=p.sam)
    pk = office.pk
    accounts.institution_office_remove(office=office, by=p.sam)
    return p.sam, type(office).history.filter(id=pk)


def _agreement(p, **terms):
    placement = _placement(p, status=Placement.Status.ACTIVE)
    return agreements.agreement_draft(placement=placement, by=p.alice,
                                      starts_on=placement.starts_on, ends_on=placement.ends_on,
                                      **terms)


@case
def case_agreement_draft(p):
    return p.alice, history(_agreement(p))


@case
def case_agreement_update(p):
    return p.alice, history(agreements.agreement_update(agreement=_agreement(p), by=p.alice,
                                                        terms="每季度汇报"))


@case
def case_agreement_sign(p):
    agreement = _agreement(p)
    agreements.agreement_sign(agreement=agreement, by=p.alice)
    return p.rita.user, history(agreements.agreement_sign(agreement=agreement, by=p.rita.user))


@case
def case_agreement_renew(p):
    agreement = _agreement(p)
    for user in (p.alice, p.rita.user):
        agreements.agreement_sign(agreement=agreement, by=user)
    agreements.agreement_renew(agreement=agreement, by=p.alice)
    return p.alice, history(agreement)


@case
def case_agreement_end(p):
    return p.alice, history(agreements.agreement_end(agreement=_agreement(p), by=p.alice,
                                                     reason="项目取消"))



# --- issue 16: service record, evaluation, subsidy ---------------------------------------------

def _served(p):
    """rita's active tech-VP placement at Acme, with a day she logged in it."""
    from matching.services import service_records

    placement = f.PlacementFactory(company=p.acme, researcher=p.rita, status=Placement.Status.ACTIVE,
                                   programme=Programme.TECH_VP)
    log = service_records.service_log_add(placement=placement, by=p.rita.user,
                                          day=placement.starts_on, hours=8, place="Acme",
                                          work="调试")
    return placement, log


def _evaluation(p, grade=None):
    from matching.models import Evaluation
    from matching.services import evaluations

    placement, _log = _served(p)
    evaluation = Evaluation.objects.create(placement=placement, year=1,
                                           period_start=placement.starts_on,
                                           period_end=placement.ends_on)
    if grade:
        evaluations.evaluation_grade(evaluation=evaluation, by=p.sam, grade=grade)
    return evaluation


def _claim(p):
    from decimal import Decimal

    from matching.services import subsidies

    policy = subsidies.subsidy_policy_create(by=p.sam, programme="tech_vp", name="补贴",
                                             rate_excellent=Decimal("0.7"),
                                             rate_pass=Decimal("0.5"), cap_per_year=Decimal(1000))
    subsidies.subsidy_policy_activate(policy=policy, by=p.sam)
    evaluation = _evaluation(p, grade="pass")
    return subsidies.subsidy_claim_file(evaluation=evaluation, by=p.alice,
                                        salaries=[{"month": f"{evaluation.period_start:%Y-%m}",
                                                   "amount": "5000"}])


@case
def case_service_log_add(p):
    return p.rita.user, history(_served(p)[1])


@case
def case_service_month_confirm(p):
    from matching.services import service_records

    placement, log = _served(p)
    service_records.service_month_confirm(placement=placement, month=log.day, by=p.alice)
    return p.alice, history(log)


@case
def case_service_log_query(p):
    from matching.services import service_records

    return p.alice, history(service_records.service_log_query(log=_served(p)[1], by=p.alice,
                                                              reason="没来"))


@case
def case_evaluation_self_report(p):
    from matching.services import evaluations

    return p.rita.user, history(evaluations.evaluation_self_report(
        evaluation=_evaluation(p), by=p.rita.user, text="自评"))


@case
def case_evaluation_company_opinion(p):
    from matching.services import evaluations

    return p.alice, history(evaluations.evaluation_company_opinion(
        evaluation=_evaluation(p), by=p.alice, text="良好"))


@case
def case_evaluation_grade(p):
    return p.sam, history(_evaluation(p, grade="excellent"))


@case
def case_subsidy_policy_create(p):
    from decimal import Decimal

    from matching.services import subsidies

    return p.sam, history(subsidies.subsidy_policy_create(
        by=p.sam, programme="phd", name="博士补贴", rate_excellent=Decimal("0.7"),
        rate_pass=Decimal("0.5"), cap_per_year=Decimal(1000)))


@case
def case_subsidy_policy_update(p):
    from decimal import Decimal

    from matching.services import subsidies

    policy = subsidies.subsidy_policy_create(by=p.sam, programme="phd", name="博士补贴",
                                             rate_excellent=Decimal("0.7"),
                                             rate_pass=Decimal("0.5"), cap_per_year=Decimal(1000))
    return p.sam, history(subsidies.subsidy_policy_update(policy=policy, by=p.sam,
                                                          name="博士补贴（修订）"))


@case
def case_subsidy_policy_activate(p):
    return p.sam, history(_claim(p).policy)


@case
def case_subsidy_claim_file(p):
    return p.alice, history(_claim(p))


@case
def case_subsidy_claim_approve(p):
    from matching.services import subsidies

    return p.vera, history(subsidies.subsidy_claim_approve(claim=_claim(p), by=p.vera))


@case
def case_subsidy_claim_reject(p):
    from matching.services import subsidies

    return p.vera, history(subsidies.subsidy_claim_reject(claim=_claim(p), by=p.vera,
                                                          note="凭证不全"))
# --- issue 17: 揭榜挂帅 selection by experts, publicity ---------------------------------------

def _expert(p, name, at):
    institution = Institution.objects.get_or_create(name=at)[0]
    return experts.expert_import(user=f.UserFactory(full_name=name), by=p.sam,
                                 institution=institution, keywords=["钙钛矿"])


def _panel(p, size=3):
    challenge = f.ChallengeFactory(company=p.acme, status=Challenge.Status.PUBLISHED)
    application = f.ApplicationFactory(challenge=challenge, researcher=p.rita)
    matching.application_shortlist(application=application, by=p.alice)
    for n, at in enumerate(["浙江大学", "浙江工商大学", "中国计量大学", "浙江理工大学"]):
        _expert(p, f"专家{n}", at)
    return panels.panel_form(challenge=challenge, by=p.vera, size=size)


def _reviewing(p):
    panel = _panel(p)
    for member in panel.members.all():
        panels.panel_member_accept(member=member, by=member.expert.user)
    return panel


def _scores():
    # The migration seeds the bounty rubric; a transactional test run earlier on PostgreSQL
    # empties every table, so it is written again when missing.
    from matching.models import RubricCriterion

    rubric = Rubric.objects.get_or_create(programme="bounty", defaults={"name": "揭榜挂帅评审"})[0]
    if not rubric.criteria.exists():
        RubricCriterion.objects.create(rubric=rubric, name="技术方案", weight=1, max_score=10)
    return {c.pk: 8 for c in rubric.criteria.all()}


@case
def case_expert_enrol(p):
    return p.rita.user, history(experts.expert_enrol(by=p.rita.user, keywords=["光伏"]))


@case
def case_expert_import(p):
    return p.sam, history(_expert(p, "导入专家", "浙江大学"))


@case
def case_expert_approve(p):
    expert = experts.expert_enrol(by=p.rita.user, keywords=["光伏"])
    return p.vera, history(experts.expert_approve(expert=expert, by=p.vera))


@case
def case_expert_suspend(p):
    return p.vera, history(experts.expert_suspend(expert=_expert(p, "停用专家", "浙江大学"),
                                                  by=p.vera, note="利益冲突"))


@case
def case_panel_form(p):
    return p.vera, history(_panel(p))


@case
def case_panel_fill(p):
    panel = _panel(p)
    member = panel.members.first()
    panels.panel_member_decline(member=member, by=member.expert.user)
    invited = panels.panel_fill(panel=panel, by=p.vera)
    return p.vera, history(invited[0])


@case
def case_panel_swap(p):
    member = _panel(p).members.first()
    panels.panel_swap(member=member, by=p.vera)
    return p.vera, history(member)


@case
def case_panel_member_accept(p):
    member = _panel(p).members.first()
    return member.expert.user, history(panels.panel_member_accept(member=member,
                                                                  by=member.expert.user))


@case
def case_panel_member_decline(p):
    member = _panel(p).members.first()
    return member.expert.user, history(panels.panel_member_decline(member=member,
                                                                   by=member.expert.user))


@case
def case_review_submit(p):
    member = _reviewing(p).members.first()
    application = member.panel.challenge.applications.get()
    return member.expert.user, history(panels.review_submit(
        member=member, application=application, by=member.expert.user, scores=_scores()))


@case
def case_panel_close(p):
    panel = _reviewing(p)
    application = panel.challenge.applications.get()
    for member in panel.members.all():
        panels.review_submit(member=member, application=application, by=member.expert.user,
                             scores=_scores())
    return p.vera, history(panels.panel_close(panel=panel, by=p.vera))


@case
def case_panel_cancel(p):
    return p.vera, history(panels.panel_cancel(panel=_panel(p), by=p.vera))


def _publicity(p):
    challenge = f.ChallengeFactory(company=p.acme, status=Challenge.Status.AWARDED)
    placement = f.PlacementFactory(company=p.acme, researcher=p.rita, challenge=challenge,
                                   status=Placement.Status.ACTIVE)
    return publicity.publicity_open(placement=placement, by=p.vera)


@case
def case_publicity_open(p):
    return p.vera, history(_publicity(p))


@case
def case_objection_lodge(p):
    return p.alice, history(publicity.objection_lodge(publicity=_publicity(p), by=p.alice,
                                                      reasons="异议"))


@case
def case_objection_uphold(p):
    objection = publicity.objection_lodge(publicity=_publicity(p), by=p.alice, reasons="异议")
    return p.vera, history(publicity.objection_uphold(objection=objection, by=p.vera,
                                                      note="成立"))


@case
def case_objection_dismiss(p):
    objection = publicity.objection_lodge(publicity=_publicity(p), by=p.alice, reasons="异议")
    return p.vera, history(publicity.objection_dismiss(objection=objection, by=p.vera,
                                                       note="不成立"))
# --- issue 13: a rebuild spread over workers -------------------------------------

@case
def case_match_run_cancel(p):
    run = MatchRun.objects.create(engine_version="test", status=MatchRun.Status.RUNNING)
    return p.sam, history(scoring.match_run_cancel(run=run, by=p.sam))


# --- the tests ---------------------------------------------------------------

def services_that_act():
    found = set()
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if (inspect.isfunction(fn) and fn.__module__ == name and not attr.startswith("_")
                    and ("by" in inspect.signature(fn).parameters or attr in ACTING_AS)):
                found.add(attr)
    return found


def test_every_service_has_a_case():
    assert services_that_act() - WITHOUT_HISTORY == set(CASES)


class People:
    def __init__(self, request):
        for name in ["acme", "alice", "rita", "sam", "vera"]:
            setattr(self, name, request.getfixturevalue(name))


def pytest_generate_tests(metafunc):
    # At collection, after the whole module ran: a case defined below the tests counts too.
    if "service" in metafunc.fixturenames:
        metafunc.parametrize("service", sorted(CASES))


def test_the_change_is_on_record_as_made_by_the_person_acting(service, request):
    by, rows = CASES[service](People(request))
    latest = rows.latest()
    assert latest.history_user == by, f"{service}: {latest.history_type} by {latest.history_user}"


def test_a_job_of_the_system_is_on_record_without_a_person(alice, acme):
    challenge = f.ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED,
                                   deadline=datetime.date(2020, 1, 1))
    assert matching.challenges_expire_overdue() == 1
    latest = history(challenge).latest()
    assert (latest.status, latest.history_user) == (Challenge.Status.EXPIRED, None)


# --- issue 18: outcomes confirmed by the other side ---------------------------

@case
def case_outcome_confirm(p):
    outcome = f.OutcomeFactory(placement=_placement(p, Placement.Status.ACTIVE),
                               reported_by=p.alice)
    return p.rita.user, history(matching.outcome_confirm(outcome=outcome, by=p.rita.user))


@case
def case_outcome_dispute(p):
    outcome = f.OutcomeFactory(placement=_placement(p, Placement.Status.ACTIVE),
                               reported_by=p.rita.user)
    return p.alice, history(matching.outcome_dispute(outcome=outcome, by=p.alice,
                                                     reason="合同尚未签订"))


def _frozen_2025(p):
    from matching.services import reports_frozen

    return reports_frozen.report_freeze(period_start=datetime.date(2025, 1, 1),
                                        period_end=datetime.date(2025, 12, 31), by=p.sam)


@case
def case_report_freeze(p):
    return p.sam, history(_frozen_2025(p))


@case
def case_report_reissue(p):
    from matching.services import reports_frozen

    return p.sam, history(reports_frozen.report_reissue(report=_frozen_2025(p), by=p.sam,
                                                        note="登记号更正"))
# --- issue 15: personal information (PIPL) ---------------------------------------------------

@case
def case_deletion_carry_out(p):
    from accounts import privacy
    from matching.services.privacy import deletion_carry_out

    asked = privacy.deletion_request_create(user=p.rita.user, by=p.rita.user)
    deletion_carry_out(request=asked, by=p.sam)
    return p.sam, history(asked)


@case
def case_person_erase(p):
    from matching.services.privacy import person_erase

    person_erase(user=p.rita.user, by=p.sam)
    return p.sam, history(p.rita)


# --- issue 18: links to the 55830 plan -------------------------------------------------------

def _plan_action():
    from matching.models import PlanAction

    # Seeded by its migration; written again after a transactional test emptied the tables.
    return PlanAction.objects.get_or_create(code="talent", defaults={
        "kind": "action", "name": "人才引育行动", "name_en": "Talent action"})[0]


@case
def case_placement_tag(p):
    from matching.models import PlacementPlanAction

    placement = matching.placement_tag(placement=_placement(p, Placement.Status.ACTIVE),
                                       actions=[_plan_action()], by=p.vera)
    return p.vera, PlacementPlanAction.history.filter(placement_id=placement.pk)


@case
def case_outcome_tag(p):
    from matching.models import OutcomePlanAction

    outcome = f.OutcomeFactory(placement=_placement(p, Placement.Status.ACTIVE))
    matching.outcome_tag(outcome=outcome, actions=[_plan_action()], by=p.vera)
    # Unlinking is on record too, by the person who unlinks.
    matching.outcome_tag(outcome=outcome, actions=[], by=p.sam)
    return p.sam, OutcomePlanAction.history.filter(outcome_id=outcome.pk)
# --- issue 16: 博士入企 self-service -----------------------------------------------------------

@case
def case_cohort_mark_set(p):
    _cohort_, need, entry = _cohort(p)
    mark = cohorts.cohort_mark_set(need=need, entry=entry, wanted=True, by=p.alice)
    return p.alice, history(mark)
