"""揭榜挂帅 selection: the expert pool, panels, reviews and the company's choice."""

from decimal import Decimal as D

import pytest

from accounts.errors import DomainError
from accounts.models import Institution
from accounts.roles import REVIEW_AS_EXPERT, has_perm
from matching import selectors, services
from matching.models import Application, Challenge, Expert, Panel, PanelMember, Rubric
from matching.services import experts, panels
from tests import factories as f

M = PanelMember.Status


def institution(name):
    return Institution.objects.get_or_create(name=name)[0]


def make_expert(sam, name, *, at="浙江大学", keywords=("钙钛矿", "光伏"), ties=()):
    user = f.UserFactory(full_name=name)
    return experts.expert_import(user=user, by=sam, institution=institution(at),
                                 disciplines=["材料科学"], keywords=list(keywords),
                                 conflict_companies=list(ties))


@pytest.fixture
def need(acme, rita, alice):
    challenge = f.ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED)
    application = f.ApplicationFactory(challenge=challenge, researcher=rita)
    services.application_shortlist(application=application, by=alice)
    return challenge


@pytest.fixture
def pool(sam, acme):
    return {
        "far": make_expert(sam, "远专家", at="中国计量大学", keywords=("数据库",)),
        "near": make_expert(sam, "近专家", at="浙江工商大学"),
        "nearer": make_expert(sam, "更近专家", at="浙江理工大学", keywords=("钙钛矿", "封装")),
        "same_uni": make_expert(sam, "同校专家", at="杭州电子科技大学"),  # rita's university
        "tied": make_expert(sam, "关联专家", at="浙江传媒学院", ties=[acme]),
        "spare": make_expert(sam, "备选专家", at="浙江财经大学", keywords=("钙钛矿", "组件")),
    }


def code_of(error):
    """The code of a refusal, whether or not it names a field."""
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.code


def seated(panel):
    return {m.expert for m in panel.members.filter(status__in=PanelMember.SEATED)}


# --- the pool ---------------------------------------------------------------------------------

def test_an_enrolled_expert_waits_for_approval_and_then_holds_the_role(vera):
    user = f.UserFactory()
    expert = experts.expert_enrol(by=user, institution=institution("浙江大学"),
                                  keywords="钙钛矿，封装")
    assert expert.status == Expert.Status.PENDING
    assert expert.keywords == ["钙钛矿", "封装"]
    assert not has_perm(type(user).objects.get(pk=user.pk), REVIEW_AS_EXPERT)
    experts.expert_approve(expert=expert, by=vera)
    assert has_perm(type(user).objects.get(pk=user.pk), REVIEW_AS_EXPERT)
    experts.expert_suspend(expert=expert, by=vera, note="兼职冲突")
    assert not has_perm(type(user).objects.get(pk=user.pk), REVIEW_AS_EXPERT)


def test_enrolling_without_expertise_names_the_field(db):
    with pytest.raises(DomainError) as exc:
        experts.expert_enrol(by=f.UserFactory())
    assert exc.value.field == "keywords"


def test_a_person_enrols_once(vera):
    user = f.UserFactory()
    experts.expert_enrol(by=user, keywords=["光伏"])
    with pytest.raises(DomainError) as exc:
        experts.expert_enrol(by=user, keywords=["光伏"])
    assert code_of(exc.value) == "duplicate"


def test_only_staff_approve_import_or_suspend(alice, rita):
    expert = experts.expert_enrol(by=f.UserFactory(), keywords=["光伏"])
    with pytest.raises(DomainError):
        experts.expert_approve(expert=expert, by=alice)
    with pytest.raises(DomainError):
        experts.expert_import(user=f.UserFactory(), by=rita.user, keywords=["光伏"])


def test_a_suspension_needs_a_reason(vera):
    expert = experts.expert_enrol(by=f.UserFactory(), keywords=["光伏"])
    with pytest.raises(DomainError) as exc:
        experts.expert_suspend(expert=expert, by=vera, note=" ")
    assert exc.value.field == "review_note"


# --- forming a panel ------------------------------------------------------------------------

def test_a_panel_is_proposed_without_conflicts_most_similar_first(need, pool, vera):
    panel = panels.panel_form(challenge=need, by=vera, size=3)
    members = list(panel.members.all())
    assert len(members) == 3
    assert {m.expert for m in members}.isdisjoint({pool["same_uni"], pool["tied"]})
    assert pool["far"] not in {m.expert for m in members}
    assert members[0].affinity >= members[1].affinity >= members[2].affinity


def test_the_size_must_lie_within_the_settings(need, pool, vera):
    with pytest.raises(DomainError) as exc:
        panels.panel_form(challenge=need, by=vera, size=9)
    assert exc.value.field == "size"


def test_a_need_has_one_panel_at_work(need, pool, vera):
    panels.panel_form(challenge=need, by=vera, size=3)
    with pytest.raises(DomainError) as exc:
        panels.panel_form(challenge=need, by=vera, size=3)
    assert code_of(exc.value) == "duplicate"


def test_only_staff_form_panels(need, pool, alice):
    with pytest.raises(DomainError):
        panels.panel_form(challenge=need, by=alice, size=3)


def test_an_expert_at_their_load_limit_is_not_proposed(need, pool, vera, acme, settings):
    settings.EXPERT_MAX_LOAD = 1
    other = f.ChallengeFactory(company=f.CompanyFactory(), status=Challenge.Status.PUBLISHED)
    first = panels.panel_form(challenge=other, by=vera, size=3)
    busy = seated(first)
    second = panels.panel_form(challenge=need, by=vera, size=3)
    assert seated(second).isdisjoint(busy)


def test_a_declined_place_is_filled_by_another_expert(need, pool, vera):
    panel = panels.panel_form(challenge=need, by=vera, size=3)
    member = panel.members.first()
    panels.panel_member_decline(member=member, by=member.expert.user, reason="出差")
    invited = panels.panel_fill(panel=panel, by=vera)
    assert len(invited) == 1 and invited[0].expert != member.expert
    assert len(seated(panel)) == 3


def test_staff_swap_a_member_for_a_named_expert_without_conflict(need, pool, vera):
    panel = panels.panel_form(challenge=need, by=vera, size=3)
    member = panel.members.first()
    with pytest.raises(DomainError) as exc:
        panels.panel_swap(member=member, by=vera, expert=pool["tied"])
    assert code_of(exc.value) == "conflict_of_interest"
    member.refresh_from_db()
    assert member.status == M.INVITED  # the refusal changed nothing
    new = panels.panel_swap(member=member, by=vera, expert=pool["far"])
    member.refresh_from_db()
    assert member.status == M.REMOVED and new.expert == pool["far"]


def test_only_the_invited_expert_answers(need, pool, vera):
    panel = panels.panel_form(challenge=need, by=vera, size=3)
    member, other = panel.members.all()[:2]
    with pytest.raises(DomainError):
        panels.panel_member_accept(member=member, by=other.expert.user)


# --- reviewing ------------------------------------------------------------------------------

@pytest.fixture
def reviewing(need, pool, vera):
    panel = panels.panel_form(challenge=need, by=vera, size=3)
    for member in panel.members.all():
        panels.panel_member_accept(member=member, by=member.expert.user)
    panel.refresh_from_db()
    return panel


def full_marks(fraction=D("1")):
    rubric = Rubric.objects.get(programme="bounty")
    return {c.pk: c.max_score * fraction for c in rubric.criteria.all()}


def test_the_last_acceptance_starts_the_review(reviewing):
    assert reviewing.status == Panel.Status.REVIEWING


def test_reviews_aggregate_into_the_ranking_the_company_sees(reviewing, need, alice, oscar):
    second = f.ApplicationFactory(challenge=need, researcher=f.ResearcherFactory(
        institution=institution("宁波大学")))
    services.application_shortlist(application=second, by=alice)
    first = need.applications.get(researcher__user__email="rita@hdu.edu.cn")
    for member, fraction in zip(reviewing.members.all(), [D("0.8"), D("0.6"), D("0.7")],
                                strict=True):
        panels.review_submit(member=member, application=first, by=member.expert.user,
                             scores=full_marks(fraction))
        panels.review_submit(member=member, application=second, by=member.expert.user,
                             scores=full_marks(D("0.5")))
    ranking = selectors.panel_ranking(reviewing)
    assert [(r["application"], r["score"], r["reviews"]) for r in ranking] == [
        (first, D("70.00"), 3), (second, D("50.00"), 3)]


def test_a_review_is_blind_to_the_others(reviewing, need):
    application = need.applications.get()
    mine, theirs = reviewing.members.all()[:2]
    panels.review_submit(member=theirs, application=application, by=theirs.expert.user,
                         scores=full_marks())
    assert not selectors.reviews_visible_to(mine.expert.user).exists()
    assert selectors.reviews_visible_to(theirs.expert.user).count() == 1


def test_a_score_off_the_scale_names_its_criterion(reviewing, need):
    member = reviewing.members.first()
    scores = full_marks()
    criterion = next(iter(scores))
    scores[criterion] = 11
    with pytest.raises(DomainError) as exc:
        panels.review_submit(member=member, application=need.applications.get(),
                             by=member.expert.user, scores=scores)
    assert exc.value.field == f"criterion_{criterion}"
    assert not member.reviews.exists()


def test_an_expert_reviews_an_applicant_once(reviewing, need):
    member = reviewing.members.first()
    application = need.applications.get()
    panels.review_submit(member=member, application=application, by=member.expert.user,
                         scores=full_marks())
    with pytest.raises(DomainError) as exc:
        panels.review_submit(member=member, application=application, by=member.expert.user,
                             scores=full_marks())
    assert code_of(exc.value) == "duplicate"


def test_the_panel_closes_when_every_review_is_in(reviewing, need, vera):
    with pytest.raises(DomainError) as exc:
        panels.panel_close(panel=reviewing, by=vera)
    assert code_of(exc.value) == "incomplete"
    application = need.applications.get()
    for member in reviewing.members.all():
        panels.review_submit(member=member, application=application, by=member.expert.user,
                             scores=full_marks())
    assert panels.panel_close(panel=reviewing, by=vera).status == Panel.Status.CLOSED


def test_the_company_chooses_only_once_the_panel_has_ranked(reviewing, need, alice, vera):
    application = need.applications.get()
    with pytest.raises(DomainError) as exc:
        services.application_accept(application=application, by=alice)
    assert code_of(exc.value) == "panel_at_work"
    for member in reviewing.members.all():
        panels.review_submit(member=member, application=application, by=member.expert.user,
                             scores=full_marks())
    panels.panel_close(panel=reviewing, by=vera)
    placement = services.application_accept(application=application, by=alice)
    assert application.status == Application.Status.ACCEPTED
    services.placement_approve(placement=placement, by=vera)
