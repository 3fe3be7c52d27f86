"""Who companies are shown (only researchers `matchable()`: verified and active),
and who is scored: a researcher from sign-up or import, every applicant of a need."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.imports import RESEARCHER_COLUMNS, import_researchers
from accounts.models import Institution, ResearcherProfile
from matching import selectors, services
from matching.models import Challenge, MatchRun, MatchScore, Placement
from matching.services import scoring
from tests.factories import (
    ApplicationFactory,
    ChallengeFactory,
    PlacementFactory,
    ResearcherFactory,
    UserFactory,
    WorkFactory,
)

PV = {"title": "钙钛矿太阳能电池界面钝化与封装稳定性研究",
      "abstract": "针对钙钛矿薄膜湿热老化效率衰减问题，提出二维钝化层与原子层沉积封装方法。"}
TEXTILE = {"title": "功能性纺织面料的抗菌整理工艺", "abstract": "采用壳聚糖对棉织物进行抗菌整理。"}


def publish(acme, sam, **fields):
    fields = {"title": "钙钛矿组件湿热稳定性提升",
              "background": "组件经湿热老化后效率衰减明显，需要封装与钝化方案"} | fields
    challenge = ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW, **fields)
    services.challenge_publish(challenge=challenge, by=sam)
    return challenge


def rebuild():
    run = MatchRun.objects.create(engine_version=scoring.VERSION)
    scoring.match_run_claim(run_id=run.pk)
    scoring.match_rebuild(run=run)


@pytest.fixture
def unverified(db):
    profile = ResearcherFactory(user__email="new@hdu.edu.cn", user__full_name="未认证者",
                                verified_at=None, bio="钙钛矿封装专家")
    WorkFactory(researcher=profile, **PV)
    return profile


def test_an_unverified_researcher_is_shown_to_no_company_but_sees_their_recommendations(
        unverified, rita, acme, alice, sam, django_capture_on_commit_callbacks):
    WorkFactory(researcher=rita, **PV)  # as relevant as the unverified one
    with django_capture_on_commit_callbacks(execute=True):
        need = publish(acme, sam)
    assert [m.researcher for m in selectors.matches_for_challenge(challenge=need)] == [rita]
    site = Client()
    site.force_login(alice)
    assert "未认证者" not in site.get(reverse("matching:need_manage", args=[need.pk])).content.decode()
    api = APIClient()
    api.force_authenticate(alice)
    listed = api.get(f"/api/v1/challenges/{need.pk}/matches/").json()["results"]
    assert [m["researcher"]["id"] for m in listed] == [rita.pk]
    admin = Client()
    admin.force_login(sam)
    page = admin.get(reverse("admin:matching_challenge_change", args=[need.pk])).content.decode()
    assert "未认证者" not in page and str(rita.user) in page
    # Their own recommendations do not wait for verification.
    assert [s.challenge for s in selectors.recommendations_for(researcher=unverified)] == [need]
    # Verified, they enter the need's list.
    with django_capture_on_commit_callbacks(execute=True):
        account_services.researcher_verify(profile=unverified, by=sam)
    assert selectors.matches_for_challenge(challenge=need)[0].researcher == unverified


def test_a_full_rebuild_lists_only_matchable_researchers_for_needs(unverified, rita, acme, sam):
    WorkFactory(researcher=rita, **PV)
    need = publish(acme, sam)
    rebuild()
    assert [m.researcher for m in selectors.matches_for_challenge(challenge=need)] == [rita]
    assert MatchScore.objects.filter(researcher=unverified, challenge=need).exists()


def test_a_researcher_is_scored_at_sign_up(acme, sam, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = publish(acme, sam)
        user = UserFactory(email="fresh@zstu.edu.cn")
        account_services.researcher_register(
            user=user, institution=Institution.objects.get_or_create(name="浙江理工大学")[0],
            title=ResearcherProfile.Title.LECTURER, keywords=["钙钛矿", "封装"])
    client = Client()
    client.force_login(user)
    page = client.get(reverse("matching:researcher_dashboard")).content.decode()
    assert need.title in page and "暂无推荐" not in page


def test_researchers_are_scored_when_imported(acme, sam, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = publish(acme, sam)
    Institution.objects.get_or_create(name="杭州电子科技大学")
    book = openpyxl.Workbook()
    book.active.append(RESEARCHER_COLUMNS)
    row = dict.fromkeys(RESEARCHER_COLUMNS, "")
    row.update({"电子邮箱": "imported@hdu.edu.cn", "姓名": "导入者", "高校/院所": "杭州电子科技大学",
                "职称": "教授", "专长关键词": "钙钛矿、封装"})
    book.active.append([row[c] for c in RESEARCHER_COLUMNS])
    data = io.BytesIO()
    book.save(data)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_researchers(SimpleUploadedFile("r.xlsx", data.getvalue()), by=sam)
    assert result.ok
    profile = ResearcherProfile.objects.get(user__email="imported@hdu.edu.cn")
    assert [s.challenge for s in selectors.recommendations_for(researcher=profile)] == [need]


def test_every_applicant_is_scored_and_explained_whatever_their_rank(
        rita, oscar, acme, alice, sam, monkeypatch, django_capture_on_commit_callbacks):
    # Lists of one: only the best researcher would be stored for the need.
    monkeypatch.setattr(scoring.jobs, "MATCHES_PER_SIDE", 1)
    WorkFactory(researcher=rita, **PV)
    WorkFactory(researcher=oscar, **TEXTILE)
    booked = ResearcherFactory(user__full_name="满负荷")
    WorkFactory(researcher=booked, **TEXTILE)
    PlacementFactory(researcher=booked, status=Placement.Status.ACTIVE)
    # oscar's own list of one holds the textile need; the need's list holds rita.
    publish(acme, sam, title="棉织物抗菌整理", background="壳聚糖抗菌整理工艺",
            required_expertise=["抗菌整理"])
    need = publish(acme, sam)
    rebuild()
    assert set(MatchScore.objects.filter(challenge=need).values_list(
        "researcher", flat=True)) == {rita.pk}
    with django_capture_on_commit_callbacks(execute=True):
        for applicant in (oscar, booked):
            services.application_submit(challenge=need, researcher=applicant, by=applicant.user,
                                        proposal="抗菌整理经验迁移")
    applicants = {oscar.pk, booked.pk}
    assert applicants <= set(MatchScore.objects.filter(challenge=need).values_list(
        "researcher", flat=True))
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("matching:need_manage", args=[need.pk]))
    assert all(a.score is not None and a.reasons for a in page.context["applications"])
    # A rebuild and a rescore of the need keep them.
    scoring.challenge_match(challenge=need)
    rebuild()
    assert applicants <= set(MatchScore.objects.filter(challenge=need).values_list(
        "researcher", flat=True))


def test_only_applied_pairs_of_applicants_are_kept_beside_the_lists(
        rita, oscar, acme, sam, monkeypatch):
    monkeypatch.setattr(scoring.jobs, "MATCHES_PER_SIDE", 1)
    WorkFactory(researcher=rita, **PV)
    WorkFactory(researcher=oscar, **TEXTILE)
    publish(acme, sam, title="棉织物抗菌整理", background="壳聚糖抗菌整理工艺",
            required_expertise=["抗菌整理"])
    need = publish(acme, sam)
    rebuild()
    assert not MatchScore.objects.filter(challenge=need, researcher=oscar).exists()
    ApplicationFactory(challenge=need, researcher=oscar)
    scoring.researcher_match(researcher=oscar)
    assert MatchScore.objects.filter(challenge=need, researcher=oscar).exists()
