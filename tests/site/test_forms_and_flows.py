"""Forms and flows where a newcomer stumbled: what a need needs before review,
programme and cohort, phone numbers, a negotiable reward, confirmation before
what cannot be undone, notifications that lead somewhere, page numbers, the
admin's queues oldest first, and the footer."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import IndustryPlatform, User
from matching.models import Application, Challenge, Notification
from matching.services import challenges as challenge_services

from .. import factories as f

PASSWORD = "a-long-enough-passphrase"


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


# --- A need says what it is about before it is reviewed ---------------------------

def test_a_title_only_need_is_refused_at_submission_with_every_missing_field(world):
    alice = world["users"]["alice"]
    need = challenge_services.challenge_create(company=world["acme"], by=alice, title="只有标题")
    answer = signed_in(alice).post(reverse("matching:need_submit", args=[need.pk]), follow=True)
    need.refresh_from_db()
    assert need.status == Challenge.Status.DRAFT
    page = answer.content.decode()
    for phrase in ["背景", "所需专业", "主导产业", "截止日期"]:
        assert phrase in page, phrase


def test_the_api_refuses_the_same_submission_on_the_fields(world, api):
    alice = world["users"]["alice"]
    need = challenge_services.challenge_create(company=world["acme"], by=alice, title="只有标题")
    answer = api(alice).post(f"/api/v1/challenges/{need.pk}/submit/")
    assert answer.status_code == 400
    fields = {e.get("attr") for e in answer.json().get("errors", [])} or set(answer.json())
    assert {"background", "required_expertise", "industry", "deadline"} <= fields, answer.json()


# --- Programme and cohort agree ---------------------------------------------------

def _need(world, **fields):
    return challenge_services.challenge_create(
        company=world["acme"], by=world["users"]["alice"], title="需求", **fields)


def test_a_bounty_in_a_cohort_is_refused_on_the_cohort(world):
    with pytest.raises(Exception) as refused:
        _need(world, programme="bounty", cohort=world["cohort"])
    assert "cohort" in refused.value.message_dict


def test_a_phd_need_without_a_cohort_is_refused_on_the_cohort(world):
    with pytest.raises(Exception) as refused:
        _need(world, programme="phd")
    assert "cohort" in refused.value.message_dict


def test_a_phd_need_in_an_ended_cohort_is_refused_and_one_in_a_running_cohort_is_taken(world):
    old = f.CohortFactory(starts_on=datetime.date(2019, 3, 1), ends_on=datetime.date(2019, 12, 31),
                          year=2019)
    with pytest.raises(Exception) as refused:
        _need(world, programme="phd", cohort=old)
    assert "cohort" in refused.value.message_dict
    assert _need(world, programme="phd", cohort=world["cohort"]).cohort == world["cohort"]


def test_the_need_form_shows_the_cohort_error_on_the_field(world):
    answer = signed_in(world["users"]["alice"]).post(reverse("matching:need_new"), {
        "programme": "phd", "title": "博士入企需求", "reward_negotiable": "on",
        "headcount": "1", "confidentiality": "public"})
    assert answer.status_code == 200
    assert "cohort" in answer.context["form"].errors


# --- Phone numbers ----------------------------------------------------------------

@pytest.mark.parametrize("phone", ["abc", "📞📞📞📞📞📞📞", "１３８００００００００", "12"])
def test_a_phone_number_that_is_not_one_is_refused_on_the_field(db, phone):
    answer = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(reverse("accounts:signup_company"), {
        "full_name": "王经理", "email": "mgr@pv.cn", "phone": phone, "password1": PASSWORD,
        "password2": PASSWORD, "name": "杭州钱塘光伏科技有限公司",
        "credit_code": f.credit_code(7101), "platform": IndustryPlatform.objects.first().pk})
    assert answer.status_code == 200
    assert "phone" in answer.context["form"].errors
    assert not User.objects.filter(email="mgr@pv.cn").exists()


def test_company_sign_up_asks_for_one_phone_number_which_is_the_contact_number(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    form = client.get(reverse("accounts:signup_company")).content.decode()
    assert len(re.findall(r'name="(?:contact_)?phone"', form)) == 1
    answer = client.post(reverse("accounts:signup_company"), {
        "full_name": "王经理", "email": "mgr@pv.cn", "phone": "0571-8888 8888",
        "password1": PASSWORD, "password2": PASSWORD, "name": "杭州钱塘光伏科技有限公司",
        "credit_code": f.credit_code(7102), "platform": IndustryPlatform.objects.first().pk})
    assert answer.status_code == 302
    manager = User.objects.get(email="mgr@pv.cn")
    assert manager.phone == "0571-8888 8888"
    assert manager.memberships.get().company.contact_phone == "0571-8888 8888"


def test_the_api_refuses_a_phone_number_that_is_not_one(db, api):
    answer = api(None).post("/api/v1/auth/signup/", {
        "email": "x@hdu.edu.cn", "password": PASSWORD, "full_name": "李", "phone": "abc"},
        format="json")
    assert answer.status_code == 400 and "phone" in answer.content.decode()


# --- A negotiable reward ------------------------------------------------------------

def test_a_negotiable_reward_is_chosen_explicitly_and_shown_as_negotiable(world):
    alice = signed_in(world["users"]["alice"])
    answer = alice.post(reverse("matching:need_new"), {
        "programme": "bounty", "title": "面议需求", "reward_negotiable": "on",
        "headcount": "1", "confidentiality": "public"})
    assert answer.status_code == 302
    need = Challenge.objects.get(title="面议需求")
    assert need.reward == 0
    assert "面议" in alice.get(answer["Location"]).content.decode()
    # Neither an amount nor "negotiable": the form asks for one.
    empty = alice.post(reverse("matching:need_new"), {
        "programme": "bounty", "title": "没有榜额", "headcount": "1",
        "confidentiality": "public"})
    assert "reward" in empty.context["form"].errors


def test_the_public_list_shows_negotiable_for_a_zero_reward(world):
    f.ChallengeFactory(company=world["acme"], status=Challenge.Status.PUBLISHED,
                       title="面议的公开需求", reward=0)
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(reverse("matching:needs")).content.decode()
    row = page.split("面议的公开需求")[1].split("</tr>")[0]
    assert "面议" in row and "0.00" not in row


# --- A confirmation before what cannot be undone ------------------------------------

def test_withdrawing_an_application_asks_first(world):
    rita = signed_in(world["users"]["rita"])
    application = world["application"]
    dashboard = rita.get(reverse("matching:researcher_dashboard")).content.decode()
    assert reverse("matching:application_withdraw", args=[application.pk]) in dashboard
    question = rita.get(reverse("matching:application_withdraw", args=[application.pk]))
    assert question.status_code == 200 and "确定撤回" in question.content.decode()
    application.refresh_from_db()
    assert application.is_open
    rita.post(reverse("matching:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_removing_a_member_asks_first(world):
    alice = signed_in(world["users"]["alice"])
    membership = world["bob_membership"]
    question = alice.get(reverse("accounts:member_remove", args=[membership.pk]))
    assert question.status_code == 200 and "确定将" in question.content.decode()
    assert world["acme"].memberships.filter(pk=membership.pk).exists()


# --- Notifications lead to what they are about --------------------------------------

def test_a_notification_and_its_e_mail_link_to_the_need(world, sam, settings,
                                                      django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://talent.qiantang.example"
    need = world["draft"]
    challenge_services.challenge_submit(challenge=need, by=world["users"]["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.challenge_publish(challenge=need, by=sam)
    note = Notification.objects.get(user=world["users"]["alice"],
                                    event_key=f"challenge_reviewed:{need.pk}")
    assert note.url == reverse("matching:need_manage", args=[need.pk])
    (message,) = [m for m in mail.outbox if m.to == [world["users"]["alice"].email]]
    assert f"https://talent.qiantang.example{note.url}" in message.body
    page = signed_in(world["users"]["alice"]).get(reverse("matching:notifications"))
    assert f'href="{note.url}"' in page.content.decode()


# --- Menu, footer, paging, queues ---------------------------------------------------

def test_the_menu_offers_a_password_change_and_the_footer_names_the_operator(world, settings):
    settings.ICP_FILING = "浙ICP备12345678号"
    page = signed_in(world["users"]["rita"]).get(reverse("matching:home")).content.decode()
    assert f'href="{reverse("password_change")}"' in page
    footer = page.split("<footer")[1]
    assert settings.SITE_OPERATOR in footer and "浙ICP备12345678号" in footer
    assert settings.SITE_CONTACT in footer


def test_the_needs_list_offers_page_numbers(world):
    for n in range(45):
        f.ChallengeFactory(company=world["acme"], status=Challenge.Status.PUBLISHED,
                           title=f"公开需求{n}")
    page = Client().get(reverse("matching:needs"), {"page": 2}).content.decode()
    pages = page.split('class="pages"')[1].split("</nav>")[0]
    assert '<strong aria-current="page">2</strong>' in pages
    assert 'page=1">1</a>' in pages and 'page=3">3</a>' in pages


def test_an_admin_queue_lists_the_oldest_first(world, sam):
    acme = world["acme"]
    older = f.ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW, title="较早")
    newer = f.ChallengeFactory(company=acme, status=Challenge.Status.UNDER_REVIEW, title="较新")
    Challenge.objects.filter(pk=older.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3))
    client = signed_in(sam)
    queue = client.get(reverse("admin:matching_challenge_changelist"),
                       {"status__exact": "under_review"})
    rows = [c.pk for c in queue.context["cl"].result_list]
    assert rows.index(older.pk) < rows.index(newer.pk)
    # Unfiltered, the list keeps the newest first.
    everything = client.get(reverse("admin:matching_challenge_changelist"))
    rows = [c.pk for c in everything.context["cl"].result_list]
    assert rows.index(newer.pk) < rows.index(older.pk)
