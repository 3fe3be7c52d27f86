"""Language and messages, as a newcomer meets them: the language selector works
from either language, the Chinese pages and e-mails carry no English of our own,
a database rule is an error on its field, a refused decision keeps its text, and
two things called "proposal" are told apart."""

import html
import re

import pytest
from django.apps import apps
from django.core import mail
from django.db.models import CheckConstraint
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import ResearcherProfile
from config.constraints import FieldCheck
from matching.models import Application, Challenge, CohortRun

# Two or more English words in a row: a sentence or a label left untranslated.
ENGLISH = re.compile(r"[A-Za-z][a-z]+(?:[ ’'-][A-Za-z][a-z]*)+")
# The test district's own data (a company named in English), not UI text.
DATA = {"Other Co"}


def visible_text(content: str) -> str:
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", content)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", text))


def english_in(text: str) -> set[str]:
    return set(ENGLISH.findall(text)) - DATA


# --- The language selector ----------------------------------------------------------

@pytest.mark.parametrize(("page", "language", "lands_on"), [
    ("/en/needs/", "zh-hans", "/needs/"),       # the /en/ prefix used to win
    ("/needs/", "en", "/en/needs/"),
    ("/en/needs/?q=chip", "zh-hans", "/needs/?q=chip"),
])
def test_the_language_selector_switches_either_way(db, page, language, lands_on):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    answer = client.post(reverse("set_language"), {"language": language, "next": page})
    assert answer.status_code == 302
    assert answer["Location"] == lands_on
    shown = client.get(lands_on)
    assert shown.headers["Content-Language"] == language


def test_switching_to_chinese_under_an_english_cookie_shows_chinese(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/needs/"})
    answer = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/en/needs/"},
                         follow=True)
    assert "需求大厅" in visible_text(answer.content.decode()) and \
        answer.headers["Content-Language"] == "zh-hans"
    assert answer.redirect_chain[-1][0] == "/needs/"


# --- No English left in the Chinese UI ---------------------------------------------

def test_the_chinese_pages_and_e_mails_carry_no_english_of_our_own(world, superuser):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    found = {}
    for url in [reverse("matching:home"), reverse("matching:needs"),
                reverse("accounts:signup_company"), reverse("accounts:signup_researcher"),
                reverse("password_reset")]:
        found[url] = english_in(visible_text(client.get(url).content.decode()))
    # A refused sign-up: the short password and a wrong phone number.
    refused = client.post(reverse("accounts:signup_researcher"), {
        "full_name": "李", "email": "li@hdu.edu.cn", "password1": "short", "password2": "short",
        "phone": "abc"})
    found["sign-up errors"] = english_in(visible_text(refused.content.decode()))
    assert "密码长度太短" in refused.content.decode()
    # The password-reset e-mail, signed with the site's name.
    client.post(reverse("password_reset"), {"email": world["users"]["alice"].email})
    (message,) = mail.outbox
    # Its link carries a random token (letters and hyphens): addresses are not UI text.
    found["reset e-mail"] = english_in(re.sub(r"\S+://\S+", " ", message.subject + message.body))
    assert "钱塘新区人才企业对接平台" in message.body and "testserver" not in message.subject
    # The admin: its index (every app, django-axes' too) and a list.
    client.force_login(superuser)
    for url in [reverse("admin:index"), reverse("admin:axes_accessattempt_changelist"),
                reverse("admin:matching_challenge_changelist")]:
        found[url] = english_in(visible_text(client.get(url).content.decode()))
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    assert "Axes" not in visible_text(client.get(reverse("admin:index")).content.decode())


# --- A database rule is an error on its field ---------------------------------------

CHECKS = [(model, constraint) for model in apps.get_models()
          for constraint in model._meta.constraints if isinstance(constraint, CheckConstraint)]


@pytest.mark.parametrize(("model", "constraint"), CHECKS,
                         ids=[c.name for _m, c in CHECKS])
def test_every_check_constraint_names_its_field_and_the_allowed_values(model, constraint):
    assert isinstance(constraint, FieldCheck), f"{constraint.name} is a plain CheckConstraint"
    field = model._meta.get_field(constraint.field)
    assert field.name in str(constraint.condition), (constraint.name, field.name)
    with translation.override("zh-hans"):
        message = str(constraint.violation_error_message)
    assert constraint.name not in message and re.search(r"[\u4e00-\u9fff]", message), message


def test_a_capacity_out_of_range_is_an_error_on_the_field_with_the_range(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world["users"]["rita"])
    profile = world["rita"]
    answer = client.post(reverse("accounts:profile"), {
        "department": "材料学院", "title": profile.title, "degree": profile.degree or "",
        "keywords": "钙钛矿", "capacity": "11"})
    assert answer.status_code in {200, 400}
    form = answer.context["form"]
    assert "capacity" in form.errors and not form.non_field_errors()
    assert "1" in str(form.errors["capacity"]) and "10" in str(form.errors["capacity"])
    assert "researcher_capacity_1_to_10" not in answer.content.decode()
    assert ResearcherProfile.objects.get(pk=profile.pk).capacity != 11


def test_the_api_reports_a_constraint_on_its_field(world, api):
    answer = api(world["users"]["rita"], language="zh-hans").patch(
        "/api/v1/researchers/me/", {"capacity": 11}, format="json")
    assert answer.status_code == 400
    assert "researcher_capacity_1_to_10" not in answer.content.decode()
    assert "capacity" in answer.content.decode()


# --- A refused decision keeps its text -----------------------------------------------

def test_a_too_long_decline_message_is_the_error_and_the_text_is_kept(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world["users"]["alice"])
    application = world["application"]
    text = "感谢您的申请。" * 360  # 2,520 characters
    answer = client.post(reverse("matching:application_decide", args=[application.pk]),
                         {"decision": "decline", "message": text})
    assert answer.status_code == 400
    content = answer.content.decode()
    assert "请选择列入候选、接受或婉拒" not in content
    assert "2000" in content and text in content  # the limit named, the text still there
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


# --- Two proposals, two labels -----------------------------------------------------

def test_an_applications_proposal_and_a_cohort_runs_proposal_are_labelled_apart():
    with translation.override("zh-hans"):
        mine = str(Application._meta.get_field("proposal").verbose_name)
        solver = str(CohortRun._meta.get_field("result").verbose_name)
    assert mine != solver and solver == "分配方案"
    assert "分配" not in mine


def test_the_apply_form_labels_the_proposal_as_the_researchers(world):
    need = Challenge.objects.get(pk=world["published"].pk)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world["users"]["oscar"])
    content = client.get(reverse("matching:apply", args=[need.pk])).content.decode()
    assert "分配方案" not in content
