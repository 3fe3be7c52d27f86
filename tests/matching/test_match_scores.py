"""Scores are stored when a need is published, follow profile changes, and a full
rebuild is idempotent."""

import pytest
from django.utils import translation

from accounts.services import work_add
from matching import engine, selectors, services
from matching.explain import match_reasons
from matching.models import Challenge, MatchRun, MatchScore, Placement
from matching.services import scoring
from tests.factories import ChallengeFactory, PlacementFactory, ResearcherFactory, WorkFactory

PV = {"title": "钙钛矿太阳能电池界面钝化与封装稳定性研究",
      "abstract": "针对钙钛矿薄膜湿热老化效率衰减问题，提出二维钝化层与原子层沉积封装方法。"}
TEXTILE = {"title": "功能性纺织面料的抗菌整理工艺", "abstract": "采用壳聚糖对棉织物进行抗菌整理。"}


@pytest.fixture
def people(db, rita, oscar, alice, acme):
    WorkFactory(researcher=rita, **PV)
    WorkFactory(researcher=oscar, **TEXTILE)
    booked = ResearcherFactory(user__email="busy@hdu.edu.cn")
    WorkFactory(researcher=booked, **PV)
    PlacementFactory(researcher=booked, status=Placement.Status.ACTIVE)
    colleague = ResearcherFactory(user=alice)  # alice works for acme: a conflict
    WorkFactory(researcher=colleague, **PV)
    return {"rita": rita, "oscar": oscar, "booked": booked, "colleague": colleague}


def publish(acme, sam, **fields):
    fields = {"title": "钙钛矿组件湿热稳定性提升",
              "background": "组件经湿热老化后效率衰减明显，需要封装与钝化方案",
              "required_expertise": ["钙钛矿", "封装"]} | fields
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW, **fields)
    services.challenge_publish(challenge=challenge, by=sam)
    return challenge


def test_publishing_a_need_stores_its_relevant_matches_only(people, acme, sam,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = publish(acme, sam)
    ranked = list(selectors.matches_for_challenge(challenge=challenge))
    # oscar's textile work is below the relevance cut-off: not recommended at all.
    assert [m.researcher for m in ranked] == [people["rita"]]
    assert ranked[0].engine_version == engine.ENGINE_VERSION
    assert ranked[0].components["text"] >= engine.RELEVANCE_CUTOFF


def test_reasons_name_the_shared_terms_in_the_readers_language(people, acme, sam,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = publish(acme, sam, preferred_disciplines=["电子科学与技术"])
    top = selectors.matches_for_challenge(challenge=challenge)[0]
    with translation.override("zh-hans"):
        reasons = match_reasons(top)
    assert reasons[0].startswith("共同专长：钙钛矿")
    assert any("偏好的学科" in r for r in reasons)
    with translation.override("en"):
        assert match_reasons(top)[0].startswith("Shared expertise: 钙钛矿")


def test_a_new_work_brings_the_researcher_into_the_ranking(people, acme, sam, oscar,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = publish(acme, sam)
    before = {m.researcher_id: m.score for m in selectors.matches_for_challenge(challenge=challenge)}
    with django_capture_on_commit_callbacks(execute=True):
        work_add(profile=oscar, by=oscar.user, title=PV["title"], abstract=PV["abstract"])
    after = {m.researcher_id: m.score for m in selectors.matches_for_challenge(challenge=challenge)}
    assert oscar.pk not in before and after[oscar.pk] > 0
    assert [r.challenge for r in selectors.recommendations_for(researcher=oscar)] == [challenge]


def test_an_approved_placement_that_fills_capacity_removes_the_researcher(
        people, acme, sam, rita, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = publish(acme, sam)
        placement = PlacementFactory(researcher=rita)
        services.placement_approve(placement=placement, by=sam)
    assert rita.pk not in {m.researcher_id for m in
                           selectors.matches_for_challenge(challenge=challenge)}


def run_rebuild():
    run = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    scoring.match_run_claim(run_id=run.pk)
    return scoring.match_rebuild(run=run)


def snapshot():
    return sorted(MatchScore.objects.values_list("challenge_id", "researcher_id", "score",
                                                 "engine_version"))


@pytest.fixture(params=["insert", "copy"])
def write_path(request, monkeypatch):
    """Both ways of writing scores: plain INSERTs, and (on PostgreSQL) COPY + diff."""
    monkeypatch.setattr(scoring.store, "COPY_ABOVE", 10**9 if request.param == "insert" else 0)
    return request.param


def test_a_full_rebuild_is_idempotent_and_drops_old_versions(people, acme, sam, write_path):
    first_need = publish(acme, sam)
    publish(acme, sam, title="棉织物抗菌整理")
    MatchScore.objects.create(challenge=first_need, researcher=people["rita"], score=9,
                              engine_version="0")
    run = run_rebuild()
    assert (run.status, run.progress, run.needs_total, run.researchers) == ("completed", 100, 2, 4)
    first = snapshot()
    assert first and {v for *_, v in first} == {engine.ENGINE_VERSION}
    # Neither a colleague of the company nor a fully booked researcher is ever stored.
    stored = {r for _c, r, _s, _v in first}
    assert stored == {people["rita"].pk, people["oscar"].pk}  # each relevant to one need
    assert run_rebuild().scores_written == len(first)
    assert snapshot() == first
    # After a change, writing only the difference gives the same rows as writing
    # everything into an empty table; a researcher who left keeps no scores.
    people["oscar"].user.is_active = False
    people["oscar"].user.save()
    run_rebuild()
    changed = snapshot()
    assert people["oscar"].pk not in {r for _c, r, _s, _v in changed}
    MatchScore.objects.all().delete()
    run_rebuild()
    assert snapshot() == changed != first


def test_a_run_is_claimed_again_after_its_worker_died_but_not_once_completed(db):
    run = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    assert scoring.match_run_claim(run_id=run.pk).attempts == 1
    assert scoring.match_run_claim(run_id=run.pk).attempts == 2  # left "running"
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.COMPLETED)
    assert scoring.match_run_claim(run_id=run.pk) is None


def test_a_work_edited_on_its_own_refreshes_the_cached_features(people, acme, sam):
    publish(acme, sam)
    run_rebuild()
    oscar = people["oscar"]
    assert not MatchScore.objects.filter(researcher=oscar).exists()  # textile: not relevant
    work = oscar.works.get()
    work.title, work.abstract = PV["title"], PV["abstract"]  # as the Work admin page saves it
    work.save()
    run_rebuild()
    assert MatchScore.objects.get(researcher=oscar, challenge__title__startswith="钙钛矿").score > 0


def test_a_bonus_every_candidate_gets_explains_nothing_and_is_left_out(
        people, acme, sam, django_capture_on_commit_callbacks):
    from matching.explain import explain_many

    for k in range(5):  # five more researchers in the preferred discipline, all fitting
        WorkFactory(researcher=ResearcherFactory(user__email=f"pv{k}@hdu.edu.cn"), **PV)
    with django_capture_on_commit_callbacks(execute=True):
        challenge = publish(acme, sam, preferred_disciplines=["电子科学与技术"])
    scores = list(selectors.matches_for_challenge(challenge=challenge))
    assert len(scores) >= 5 and all(s.components["field"] for s in scores)
    with translation.override("zh-hans"):
        reasons = [r for rs in explain_many(scores).values() for r in rs]
    assert reasons and not any("偏好的学科" in r for r in reasons)
    # One scale: the score alone, no second "text relevance" figure beside it.
    assert not any("相关度" in r for r in reasons)


def test_a_researcher_whose_work_fits_no_open_need_is_told_so(
        people, acme, sam, client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    with django_capture_on_commit_callbacks(execute=True):
        publish(acme, sam)
    client.force_login(people["oscar"].user)  # textile works only
    page = client.get(reverse("matching:recommended")).content.decode()
    assert "暂无合适的匹配" in page and reverse("accounts:profile") in page
    client.force_login(people["rita"].user)
    page = client.get(reverse("matching:recommended")).content.decode()
    assert "暂无合适的匹配" not in page and "匹配度" in page and "%" in page


def test_the_semantic_space_is_trained_once_per_engine_version_and_read_by_every_job(
        people, acme, sam, monkeypatch, django_capture_on_commit_callbacks):
    from matching.engine import semantic
    from matching.models import SemanticSpace

    monkeypatch.setattr(semantic, "MIN_DOCUMENTS", 3)  # this district is tiny
    challenge = publish(acme, sam)
    run_rebuild()
    space = SemanticSpace.objects.get()
    assert space.engine_version == engine.ENGINE_VERSION and space.documents >= 4
    rebuilt = snapshot()
    run_rebuild()
    assert SemanticSpace.objects.get().pk == space.pk and snapshot() == rebuilt
    # One researcher rescored alone reads the stored space; it trains no other.
    scoring.researcher_match(researcher=people["rita"])
    assert SemanticSpace.objects.count() == 1
    assert MatchScore.objects.get(researcher=people["rita"], challenge=challenge).score > 0
