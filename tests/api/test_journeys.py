"""The website's journeys, done through the API alone, with real tokens."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import IndustryPlatform, Institution, LeadingIndustry
from matching.models import Application, Challenge, Notification, Placement

from .. import factories as f


def signed_up(email, full_name, language="zh-hans"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    created = client.post("/api/v1/auth/signup/", {
        "email": email, "password": "a-long-enough-passphrase", "full_name": full_name},
        format="json")
    assert created.status_code == 201, created.content
    token = client.post("/api/v1/auth/token/", {"email": email,
                                                "password": "a-long-enough-passphrase"},
                        format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def test_a_need_goes_from_sign_up_to_an_approved_placement_and_a_verified_outcome(
        sam, django_capture_on_commit_callbacks):
    staff = APIClient()
    staff.force_authenticate(sam)
    platform = IndustryPlatform.objects.first()

    # A company manager signs up and registers the company; staff verify it.
    company_client = signed_up("mgr@qiantang-pv.cn", "王经理")
    company = ok(company_client.post("/api/v1/companies/", {
        "name": "杭州钱塘光伏科技有限公司", "credit_code": f.credit_code(4242),
        "platform": platform.pk, "contact_name": "王经理"}, format="json"), 201)
    assert company["verified"] is False
    me = ok(company_client.get("/api/v1/me/"))
    assert me["companies"] == [{"id": company["id"], "name": "杭州钱塘光伏科技有限公司",
                                "role": "owner", "verified": False}]

    # A need written as a draft cannot be submitted before verification.
    need = ok(company_client.post("/api/v1/challenges/", {
        "title": "钙钛矿组件湿热老化衰减", "background": "量产组件湿热老化后效率衰减明显。",
        "required_expertise": ["钙钛矿", "封装"], "reward": "80.00",
        "industry": LeadingIndustry.objects.first().pk,
        "deadline": str(datetime.date.today() + datetime.timedelta(days=60))},
        format="json"), 201)
    assert need["status"] == "draft"
    refused = company_client.post(f"/api/v1/challenges/{need['id']}/submit/")
    assert refused.status_code == 400
    ok(staff.post(f"/api/v1/companies/{company['id']}/verify/", {}, format="json"))
    assert ok(company_client.post(f"/api/v1/challenges/{need['id']}/submit/"))["status"] == \
        "under_review"

    # Staff reject with a note; the company edits and resubmits; staff publish.
    ok(staff.post(f"/api/v1/challenges/{need['id']}/reject/", {"note": "请补充技术指标"},
                  format="json"))
    mine = ok(company_client.get(f"/api/v1/challenges/{need['id']}/"))
    assert (mine["status"], mine["review_note"]) == ("rejected", "请补充技术指标")
    ok(company_client.patch(f"/api/v1/challenges/{need['id']}/",
                            {"indicators": "85℃/85%RH 1000小时后效率保持率≥95%"}, format="json"))
    ok(company_client.post(f"/api/v1/challenges/{need['id']}/submit/"))
    with django_capture_on_commit_callbacks(execute=True):
        ok(staff.post(f"/api/v1/challenges/{need['id']}/publish/", {}, format="json"))

    # A researcher signs up, writes a profile and a work, is verified, and finds the need.
    researcher_client = signed_up("li@hdu.edu.cn", "李研究员")
    institution = Institution.objects.get_or_create(name="杭州电子科技大学")[0]
    with django_capture_on_commit_callbacks(execute=True):
        profile = ok(researcher_client.post("/api/v1/researchers/", {
            "institution": institution.pk, "title": "associate_professor",
            "disciplines": ["材料科学与工程"], "keywords": ["钙钛矿", "封装", "湿热老化"]},
            format="json"), 201)
        ok(researcher_client.post("/api/v1/researchers/me/works/", {
            "title": "钙钛矿太阳能电池的封装与湿热稳定性", "kind": "paper",
            "keywords": ["钙钛矿", "封装"], "representative": True}, format="json"), 201)
        # Agrees to be shown to companies (issue 15): the company's match list follows.
        ok(researcher_client.post("/api/v1/me/consents/", {"kind": "visibility"},
                                  format="json"), 201)
    ok(staff.post(f"/api/v1/researchers/{profile['id']}/verify/", {}, format="json"))
    found = ok(researcher_client.get("/api/v1/challenges/", {"search": "钙钛矿"}))
    assert [c["id"] for c in found["results"]] == [need["id"]]
    recommended = ok(researcher_client.get("/api/v1/me/recommendations/"))
    assert recommended["results"][0]["challenge"]["id"] == need["id"]
    assert any("钙钛矿" in reason for reason in recommended["results"][0]["reasons"])

    # The researcher applies (揭榜); the company sees the applicant ranked, with reasons.
    with django_capture_on_commit_callbacks(execute=True):
        application = ok(researcher_client.post("/api/v1/applications/", {
            "challenge": need["id"], "proposal": "二维钝化层加原子层沉积封装", "team": "3人",
            "budget": "60.00", "timeline": "12个月"}, format="json"), 201)
    assert Notification.objects.filter(user__email="mgr@qiantang-pv.cn",
                                       event_key=f"application_received:{application['id']}"
                                       ).exists()
    applicants = ok(company_client.get("/api/v1/applications/",
                                       {"challenge": need["id"], "ordering": "-score"}))
    assert applicants["results"][0]["researcher"] == profile["id"]
    assert applicants["results"][0]["score"] > 0
    matches = ok(company_client.get(f"/api/v1/challenges/{need['id']}/matches/"))
    assert matches["results"][0]["researcher"]["id"] == profile["id"]
    assert matches["results"][0]["applied"] is True

    # The company accepts; staff approve the placement; the researcher reports an outcome.
    with django_capture_on_commit_callbacks(execute=True):
        placement = ok(company_client.post(f"/api/v1/applications/{application['id']}/accept/",
                                           {"message": "欢迎加入"}, format="json"), 201)
    assert placement["status"] == "pending"
    assert Application.objects.get(pk=application["id"]).status == "accepted"
    assert Challenge.objects.get(pk=need["id"]).status == "awarded"
    with django_capture_on_commit_callbacks(execute=True):
        ok(staff.post(f"/api/v1/placements/{placement['id']}/approve/", {}, format="json"))
    outcome = ok(researcher_client.post("/api/v1/outcomes/", {
        "placement": placement["id"], "kind": "invention_patent", "title": "一种钙钛矿组件封装结构",
        "identifier": "CN202510000001.4", "patent_status": "filed",
        "applied_on": "2025-05-20", "achieved_on": "2025-06-01",
        "evidence": SimpleUploadedFile("受理通知书.pdf", b"%PDF-1.4 notice")},
        format="multipart"), 201)
    assert outcome["identifier"] == "202510000001.4"
    # Staff verify only what the other side (here the company) confirmed.
    assert staff.post(f"/api/v1/outcomes/{outcome['id']}/verify/", {},
                      format="json").status_code == 400
    assert ok(company_client.post(f"/api/v1/outcomes/{outcome['id']}/confirm/"))[
        "status"] == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        ok(staff.post(f"/api/v1/outcomes/{outcome['id']}/verify/", {}, format="json"))
    stats = ok(APIClient().get("/api/v1/stats/"))
    assert stats["outcomes_by_kind"]["invention_patent"] == 1
    assert Placement.objects.get(pk=placement["id"]).status == "active"

    # Notifications along the way, in the app and by e-mail.
    inbox = ok(researcher_client.get("/api/v1/notifications/"))
    subjects = [n["subject"] for n in inbox["results"]]
    assert len(subjects) == 3, subjects  # accepted, placement approved, outcome verified
    assert any("接受" in s for s in subjects), subjects
    assert ok(researcher_client.get("/api/v1/me/"))["unread_notifications"] == len(subjects)
    ok(researcher_client.post("/api/v1/notifications/read-all/"), 204)
    assert ok(researcher_client.get("/api/v1/me/"))["unread_notifications"] == 0
    assert {m.to[0] for m in mail.outbox} >= {"mgr@qiantang-pv.cn", "li@hdu.edu.cn"}


def test_a_need_with_applicants_is_withdrawn_only_with_a_reason_staff_can_read(
        world, api):
    alice = api(world["users"]["alice"])
    published = world["published"]
    refused = alice.post(f"/api/v1/challenges/{published.pk}/withdraw/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["attr"] == "withdraw_reason"
    ok(alice.post(f"/api/v1/challenges/{published.pk}/withdraw/", {"reason": "项目暂停"},
                  format="json"))
    seen_by_staff = ok(api(world["users"]["sam"]).get(f"/api/v1/challenges/{published.pk}/"))
    assert (seen_by_staff["status"], seen_by_staff["withdraw_reason"]) == ("withdrawn", "项目暂停")


def test_the_owner_invites_a_colleague_who_accepts_and_is_later_removed(world, api):
    alice = api(world["users"]["alice"])
    newcomer = f.UserFactory(email="dan@acme.cn")
    acme = world["acme"].pk
    invited = ok(alice.post(f"/api/v1/companies/{acme}/invitations/", {"email": "DAN@acme.cn"},
                            format="json"), 201)
    assert (invited["user"], invited["status"]) == (newcomer.pk, "pending")
    assert not world["acme"].memberships.filter(user=newcomer).exists()  # not before a yes
    unknown = alice.post(f"/api/v1/companies/{acme}/invitations/", {"email": "nobody@acme.cn"},
                         format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["attr"] == "email"
    dan = api(newcomer)
    assert [i["company"] for i in ok(dan.get("/api/v1/invitations/"))["results"]] == [acme]
    assert ok(dan.post(f"/api/v1/invitations/{invited['id']}/accept/"))["status"] == "accepted"
    added = world["acme"].memberships.get(user=newcomer)
    added = {"id": added.pk}
    bob = api(world["users"]["bob"])
    assert bob.delete(f"/api/v1/companies/{acme}/members/{added['id']}/").status_code == 403
    assert alice.delete(f"/api/v1/companies/{acme}/members/{added['id']}/").status_code == 204
    owner = world["acme"].memberships.get(user=world["users"]["alice"])
    assert alice.delete(f"/api/v1/companies/{acme}/members/{owner.pk}/").status_code == 403


def test_a_confidential_need_shows_its_summary_to_all_but_verified_researchers(world, api):
    need = world["others_challenge"]
    Challenge.objects.filter(pk=need.pk).update(
        confidentiality=Challenge.Confidentiality.SUMMARY, background="保密工艺参数")
    url = f"/api/v1/challenges/{need.pk}/"
    public = ok(api(None).get(url))
    company = ok(api(world["users"]["alice"]).get(url))
    researcher = ok(api(world["users"]["rita"]).get(url))
    owner = ok(api(world["users"]["charlie"]).get(url))
    assert (public["title"], public["background"], public["details_hidden"]) == (
        need.title, "", True)
    assert (company["background"], company["details_hidden"]) == ("", True)
    assert (researcher["background"], researcher["details_hidden"]) == ("保密工艺参数", False)
    assert owner["background"] == "保密工艺参数"
    searched = ok(api(None).get("/api/v1/challenges/", {"search": "保密工艺"}))
    assert searched["count"] == 0  # the public cannot probe the hidden text


def test_lists_show_each_persona_only_their_own(world, api):
    def ids(who, url):
        return {r["id"] for r in ok(api(world["users"][who]).get(url))["results"]}

    assert ids("charlie", "/api/v1/applications/") == {world["oscar_application"].pk}
    assert ids("oscar", "/api/v1/applications/") == {world["oscar_application"].pk}
    # rita's two: her application, and her bid under the expert review of issue 17.
    assert ids("rita", "/api/v1/applications/") == {world["application"].pk, world["bid"].pk}
    assert ids("alice", "/api/v1/applications/") == {world["application"].pk, world["bid"].pk}
    assert ids("charlie", "/api/v1/placements/") == {world["oscar_placement"].pk}
    assert ids("oscar", "/api/v1/outcomes/") == set()
    assert world["draft"].pk not in ids("charlie", "/api/v1/challenges/")
    assert world["draft"].pk in ids("alice", "/api/v1/challenges/?mine=true")
    assert ids("charlie", "/api/v1/companies/") == {world["other_company"].pk}
    assert ids("oscar", "/api/v1/researchers/me/works/") == set()
    assert ids("oscar", "/api/v1/notifications/") == set()
