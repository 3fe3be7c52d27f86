"""PIPL: the texts people accept at sign-up and again after a new version, the
separate consent to be shown to companies, and the copy of one's data."""

import io
import json

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import privacy
from accounts.errors import DomainError
from accounts.models import Consent, Institution, LegalText, ResearcherProfile, User
from accounts.privacy_texts import TEXTS
from matching import selectors
from matching.engine import ENGINE_VERSION
from matching.models import MatchScore, Notification
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    ChallengeFactory,
    PlacementFactory,
    ResearcherFactory,
    WorkFactory,
)


@pytest.fixture
def texts(sam):
    """Version 1 of both texts, published by sam."""
    published = []
    for kind, (zh, en) in TEXTS.items():
        text = LegalText.objects.create(kind=kind, version=1, body_zh=zh, body_en=en)
        published.append(privacy.legal_text_publish(text=text, by=sam))
    return published


def publish_v2(sam, kind="privacy"):
    zh, en = TEXTS[kind]
    text = LegalText.objects.create(kind=kind, version=2, body_zh=zh + "\n（修订）",
                                    body_en=en + "\n(revised)")
    return privacy.legal_text_publish(text=text, by=sam)


SIGNUP = {"full_name": "新用户", "email": "new@hdu.edu.cn", "password1": PASSWORD,
          "password2": PASSWORD, "title": "lecturer", "keywords": "钙钛矿"}


def researcher_signup(client, **extra):
    institution = Institution.objects.get_or_create(name="杭州电子科技大学")[0]
    return client.post(reverse("accounts:signup_researcher"),
                       {**SIGNUP, "institution": institution.pk, **extra})


# --- the texts and their versions -------------------------------------------------------------

def test_only_staff_who_may_publish_publish_and_a_version_is_published_once(texts, vera, sam):
    draft = LegalText.objects.create(kind="privacy", version=2, body_zh="新", body_en="new")
    with pytest.raises(DomainError):
        privacy.legal_text_publish(text=draft, by=vera)
    privacy.legal_text_publish(text=draft, by=sam)
    with pytest.raises(DomainError):
        privacy.legal_text_publish(text=draft, by=sam)
    assert privacy.current_versions() == {"privacy": 2, "terms": 1}
    assert draft.history.first().history_user == sam


def test_a_version_below_the_one_in_force_is_refused(texts, sam):
    draft = LegalText.objects.create(kind="terms", version=3, body_zh="x", body_en="x")
    privacy.legal_text_publish(text=draft, by=sam)
    late = LegalText.objects.create(kind="terms", version=2, body_zh="y", body_en="y")
    with pytest.raises(DomainError) as refused:
        privacy.legal_text_publish(text=late, by=sam)
    assert "version" in refused.value.message_dict


def test_the_admin_publishes_a_draft_and_never_edits_a_published_version(texts, sam):
    client = Client()
    client.force_login(sam)
    draft = LegalText.objects.create(kind="privacy", version=2, body_zh="新", body_en="new")
    client.post(reverse("admin:accounts_legaltext_changelist"),
                {"action": "legal_text_publish_action", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published
    page = client.get(reverse("admin:accounts_legaltext_change", args=[draft.pk]))
    assert page.status_code == 200 and b'name="body_zh"' not in page.content


# --- consent at sign-up -------------------------------------------------------------------------

def test_sign_up_without_texts_published_needs_no_box(db):
    response = researcher_signup(Client())
    assert response.status_code == 302
    assert not Consent.objects.exists()


def test_the_website_sign_up_refuses_without_the_box_and_records_the_versions(texts):
    client = Client(REMOTE_ADDR="10.1.2.3")
    refused = researcher_signup(client, privacy_version=1, terms_version=1)
    assert refused.status_code == 200 and "accept_legal" in refused.context["form"].errors
    assert not User.objects.filter(email="new@hdu.edu.cn").exists()
    assert researcher_signup(client, privacy_version=1, terms_version=1,
                             accept_legal="on").status_code == 302
    user = User.objects.get(email="new@hdu.edu.cn")
    consents = {(c.kind, c.text.version, c.ip_address) for c in user.consents.all()}
    assert consents == {("privacy", 1, "10.1.2.3"), ("terms", 1, "10.1.2.3")}
    # Being shown to companies is a separate box, left empty here.
    assert not privacy.shown_to_companies(user)


def test_a_form_opened_before_a_new_version_asks_again(texts, sam):
    client = Client()
    publish_v2(sam)
    response = researcher_signup(client, privacy_version=1, terms_version=1, accept_legal="on")
    assert response.status_code == 200
    assert not User.objects.filter(email="new@hdu.edu.cn").exists()


def test_the_researcher_may_agree_to_be_shown_at_sign_up(texts):
    researcher_signup(Client(), privacy_version=1, terms_version=1, accept_legal="on",
                      show_to_companies="on")
    profile = ResearcherProfile.objects.get(user__email="new@hdu.edu.cn")
    assert privacy.shown_to_companies(profile.user)


def test_the_company_sign_up_records_the_versions(texts):
    from tests.factories import credit_code

    response = Client().post(reverse("accounts:signup_company"), {
        "full_name": "王经理", "email": "wang@firm.cn", "password1": PASSWORD,
        "password2": PASSWORD, "name": "杭州新公司", "credit_code": credit_code(77),
        "privacy_version": 1, "terms_version": 1, "accept_legal": "on"})
    assert response.status_code == 302
    assert User.objects.get(email="wang@firm.cn").consents.count() == 2


def test_the_api_sign_up_names_the_versions(texts):
    api = APIClient()
    body = {"email": "api@hdu.edu.cn", "password": PASSWORD, "full_name": "接口用户"}
    missing = api.post("/api/v1/auth/signup/", body, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["attr"] == "privacy_version"
    assert not User.objects.filter(email="api@hdu.edu.cn").exists()
    texts_in_force = api.get("/api/v1/legal-texts/").json()
    versions = {t["kind"]: t["version"] for t in texts_in_force}
    created = api.post("/api/v1/auth/signup/", {**body, "privacy_version": versions["privacy"],
                                                "terms_version": versions["terms"]},
                       format="json")
    assert created.status_code == 201
    assert User.objects.get(email="api@hdu.edu.cn").consents.count() == 2


# --- asked again after a new version -----------------------------------------------------------

def test_after_a_new_version_the_site_waits_until_the_person_accepts(texts, sam, rita):
    privacy.legal_texts_accept(user=rita.user, by=rita.user, versions={"privacy": 1, "terms": 1})
    client = Client()
    client.force_login(rita.user)
    assert client.get(reverse("matching:researcher_dashboard")).status_code == 200
    publish_v2(sam)
    sent = client.get(reverse("matching:researcher_dashboard"))
    assert sent.status_code == 302 and reverse("accounts:consent_renew") in sent["Location"]
    page = client.get(sent["Location"])
    assert "(修订)" in page.content.decode() or "（修订）" in page.content.decode()
    # The API goes on answering; it reports the texts on legal-texts/ and me/consents/.
    api = APIClient()
    api.force_authenticate(rita.user)
    assert api.get("/api/v1/me/").status_code == 200
    refused = client.post(reverse("accounts:consent_renew"), {"privacy_version": 2})
    assert refused.status_code == 400
    accepted = client.post(reverse("accounts:consent_renew"),
                           {"privacy_version": 2, "accept_legal": "on",
                            "next": reverse("matching:researcher_dashboard")})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("matching:researcher_dashboard")
    assert client.get(reverse("matching:researcher_dashboard")).status_code == 200
    assert rita.user.consents.filter(text__version=2, text__kind="privacy").exists()


def test_the_renewal_page_does_not_redirect_elsewhere(texts, sam, rita):
    client = Client()
    client.force_login(rita.user)
    response = client.post(reverse("accounts:consent_renew"),
                           {"privacy_version": 1, "terms_version": 1, "accept_legal": "on",
                            "next": "https://evil.example/"})
    assert response["Location"] == reverse("matching:dashboard")


# --- shown to companies ------------------------------------------------------------------------

@pytest.fixture
def need(acme):
    from matching.models import Challenge

    return ChallengeFactory(company=acme, status=Challenge.Status.PUBLISHED)


def score(need, *researchers):
    for r in researchers:
        MatchScore.objects.create(challenge=need, researcher=r, score=0.5,
                                  components={"text": 0.5}, engine_version=ENGINE_VERSION)


def test_a_researcher_who_withdraws_leaves_every_company_facing_list(need, rita, oscar, alice):
    score(need, rita, oscar)
    assert {m.researcher for m in selectors.matches_for_challenge(challenge=need)} == {rita, oscar}
    privacy.visibility_withdraw(user=rita.user, by=rita.user)
    assert [m.researcher for m in selectors.matches_for_challenge(challenge=need)] == [oscar]
    api = APIClient()
    api.force_authenticate(alice)
    listed = api.get(f"/api/v1/challenges/{need.pk}/matches/").json()["results"]
    assert [m["researcher"]["id"] for m in listed] == [oscar.pk]
    assert api.get(f"/api/v1/researchers/{rita.pk}/").status_code == 404
    assert [r["id"] for r in api.get("/api/v1/researchers/").json()["results"]] == [oscar.pk]
    site = Client()
    site.force_login(alice)
    page = site.get(reverse("matching:need_manage", args=[need.pk])).content.decode()
    assert str(oscar.user) in page and str(rita.user) not in page
    # Given again, they are back.
    privacy.visibility_give(user=rita.user, by=rita.user)
    assert {m.researcher for m in selectors.matches_for_challenge(challenge=need)} == {rita, oscar}


def test_an_imported_researcher_who_never_signed_in_is_shown_to_no_company(need, rita):
    imported = ResearcherFactory(shown_to_companies=False, user__full_name="导入者")
    score(need, rita, imported)
    assert imported.user.last_login is None
    assert [m.researcher for m in selectors.matches_for_challenge(challenge=need)] == [rita]
    assert imported not in ResearcherProfile.objects.matchable()


def test_without_consent_a_researcher_still_applies_and_that_company_sees_the_application(
        need, alice):
    shy = ResearcherFactory(shown_to_companies=False)
    client = Client()
    client.force_login(shy.user)
    form = client.get(reverse("matching:apply", args=[need.pk])).content.decode()
    assert need.company.name in form and ("No other company" in form or "其他企业" in form)
    ApplicationFactory(challenge=need, researcher=shy)
    site = Client()
    site.force_login(alice)
    page = site.get(reverse("matching:need_manage", args=[need.pk]))
    assert [a.researcher for a in page.context["applications"]] == [shy]


def test_nobody_gives_or_withdraws_consent_for_another(rita, oscar, sam):
    for by in (oscar.user, sam):
        with pytest.raises(DomainError):
            privacy.visibility_withdraw(user=rita.user, by=by)
        with pytest.raises(DomainError):
            privacy.visibility_give(user=rita.user, by=by)


def test_the_profile_page_switches_visibility_and_keeps_the_history(rita):
    client = Client(REMOTE_ADDR="10.9.8.7")
    client.force_login(rita.user)
    page = client.get(reverse("accounts:profile"))
    assert page.context["shown"] and 'name="show" value="0"' in page.content.decode()
    client.post(reverse("accounts:visibility"), {"show": "0", "next": reverse("accounts:profile")})
    assert not privacy.shown_to_companies(rita.user)
    client.post(reverse("accounts:visibility"), {"show": "1"})
    assert privacy.shown_to_companies(rita.user)
    history = list(rita.user.consents.visibility().order_by("pk"))
    assert len(history) == 2 and history[0].withdrawn_at and history[1].ip_address == "10.9.8.7"


def test_the_api_lists_gives_and_withdraws_consents(texts, rita, alice):
    api = APIClient()
    api.force_authenticate(rita.user)
    assert api.post("/api/v1/me/consents/", {"kind": "visibility", "action": "withdraw"},
                    format="json").status_code == 204
    assert not privacy.shown_to_companies(rita.user)
    assert api.post("/api/v1/me/consents/", {"kind": "visibility"},
                    format="json").status_code == 201
    wrong = api.post("/api/v1/me/consents/", {"kind": "privacy", "version": 7}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["attr"] == "version"
    assert api.post("/api/v1/me/consents/", {"kind": "privacy", "version": 1},
                    format="json").status_code == 201
    kinds = [c["kind"] for c in api.get("/api/v1/me/consents/").json()["results"]]
    assert sorted(kinds) == ["privacy", "visibility", "visibility"]
    # A company member is not a researcher: nothing to show.
    api.force_authenticate(alice)
    refused = api.post("/api/v1/me/consents/", {"kind": "visibility"}, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["attr"] == "kind"


# --- my data ---------------------------------------------------------------------------------------

def test_the_copy_holds_every_category_as_json_and_excel(rita, acme):
    WorkFactory(researcher=rita, title="我的论文")
    ApplicationFactory(researcher=rita)
    placement = PlacementFactory(researcher=rita, company=acme)
    from tests.factories import OutcomeFactory

    OutcomeFactory(placement=placement, title="我的成果")
    Notification.objects.create(user=rita.user, event_key="k1", subject="我的通知")
    privacy.visibility_withdraw(user=rita.user, by=rita.user)
    client = Client()
    client.post(reverse("login"), {"username": rita.user.email, "password": PASSWORD})
    data = json.loads(client.get(reverse("matching:my_data", args=["json"])).content)
    assert set(data) == {"account", "researcher_profile", "works", "company_memberships",
                         "applications", "placements", "outcomes", "notifications", "consents",
                         "sign_ins"}
    assert data["account"][0]["email"] == rita.user.email and "password" not in data["account"][0]
    assert data["works"][0]["title"] == "我的论文"
    assert data["placements"][0]["company_name"] == acme.name
    assert data["outcomes"][0]["title"] == "我的成果"
    assert data["applications"][0]["researcher_id"] == rita.pk
    assert data["notifications"][0]["subject"] == "我的通知"
    assert data["consents"][0]["withdrawn_at"]
    assert data["sign_ins"]
    book = openpyxl.load_workbook(io.BytesIO(
        client.get(reverse("matching:my_data", args=["xlsx"])).content))
    assert len(book.sheetnames) == 10
    assert any(row[0].value == "我的论文" or "我的论文" in [c.value for c in row]
               for row in book.worksheets[2].iter_rows())


def test_the_api_serves_the_same_copy_and_only_ones_own(rita, oscar):
    api = APIClient()
    api.force_authenticate(oscar.user)
    data = api.get("/api/v1/me/export/").json()
    assert data["account"][0]["email"] == oscar.user.email
    assert rita.user.email not in json.dumps(data)
    sheet = api.get("/api/v1/me/export/?file=xlsx")
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
