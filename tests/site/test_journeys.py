"""The website's journeys through the Django test client, as new users take them."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Company, IndustryPlatform, Institution, LeadingIndustry, User
from matching.models import Application, Challenge, Notification, Outcome, Placement
from matching.services import challenges as challenge_services
from matching.services import placements as placement_services

from .. import factories as f

PASSWORD = "a-long-enough-passphrase"


def page(response) -> str:
    return response.content.decode()


def sign_up_company(client, email="mgr@pv.cn", language="zh-hans"):
    return client.post(reverse("accounts:signup_company"), {
        "full_name": "王经理", "email": email, "password1": PASSWORD, "password2": PASSWORD,
        "name": "杭州钱塘光伏科技有限公司", "credit_code": f.credit_code(7001),
        "platform": IndustryPlatform.objects.first().pk}, HTTP_ACCEPT_LANGUAGE=language)


def test_a_company_and_a_researcher_go_from_sign_up_to_an_approved_placement(
        sam, django_capture_on_commit_callbacks):
    company = Client()
    assert sign_up_company(company).status_code == 302
    manager = User.objects.get(email="mgr@pv.cn")
    acme = Company.objects.get(memberships__user=manager, memberships__role="owner")
    assert not acme.is_verified
    assert "等待区里工作人员认证" in page(company.get(reverse("matching:company_dashboard"))) or \
        acme.name in page(company.get(reverse("matching:company_dashboard")))

    # Write a need, preview it; submitting before verification is refused with the reason.
    deadline = datetime.date.today() + datetime.timedelta(days=45)
    created = company.post(reverse("matching:need_new"), {
        "programme": "bounty", "title": "钙钛矿组件湿热老化衰减",
        "background": "量产组件湿热老化后效率衰减明显。", "required_expertise": "钙钛矿、封装",
        "industry": LeadingIndustry.objects.first().pk,
        "reward": "80", "deadline": deadline.isoformat(), "headcount": "1",
        "confidentiality": "public"})
    assert created.status_code == 302, page(created)
    need = Challenge.objects.get(company=acme)
    preview = page(company.get(created["Location"]))
    assert "量产组件湿热老化后效率衰减明显。" in preview and need.get_status_display() in preview
    refused = company.post(reverse("matching:need_submit", args=[need.pk]), follow=True)
    assert "尚未" in page(refused) or "verified" in page(refused)
    need.refresh_from_db()
    assert need.status == Challenge.Status.DRAFT

    account_services.company_verify(company=acme, by=sam)
    company.post(reverse("matching:need_submit", args=[need.pk]))
    need.refresh_from_db()
    assert need.status == Challenge.Status.UNDER_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.challenge_publish(challenge=need, by=sam)

    # A researcher signs up with expertise, finds the need by search, and applies.
    researcher = Client()
    institution = Institution.objects.get_or_create(name="杭州电子科技大学")[0]
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = researcher.post(reverse("accounts:signup_researcher"), {
            "full_name": "李研究员", "email": "li@hdu.edu.cn", "password1": PASSWORD,
            "password2": PASSWORD, "institution": institution.pk, "title": "lecturer",
            "disciplines": "材料科学与工程", "keywords": "钙钛矿, 封装；湿热老化"})
    assert signed_up.status_code == 302, page(signed_up)
    profile = User.objects.get(email="li@hdu.edu.cn").researcher
    assert profile.keywords == ["钙钛矿", "封装", "湿热老化"]
    with django_capture_on_commit_callbacks(execute=True):
        researcher.post(reverse("accounts:work_add"), {
            "kind": "paper", "title": "钙钛矿太阳能电池封装的湿热稳定性", "keywords": "钙钛矿",
            "representative": "on"})
    found = page(researcher.get(reverse("matching:needs"), {"q": "钙钛矿"}))
    assert "钙钛矿组件湿热老化衰减" in found
    recommended = page(researcher.get(reverse("matching:recommended")))
    assert "钙钛矿组件湿热老化衰减" in recommended and "共同专长" in recommended
    with django_capture_on_commit_callbacks(execute=True):
        applied = researcher.post(reverse("matching:apply", args=[need.pk]), {
            "proposal": "二维钝化层加原子层沉积封装", "team": "3人", "budget": "60",
            "timeline": "12个月"})
    assert applied.status_code == 302, page(applied)
    application = Application.objects.get(challenge=need)

    # The company is notified, sees the applicant ranked with reasons, and accepts.
    inbox = page(company.get(reverse("matching:notifications")))
    assert "钙钛矿组件湿热老化衰减" in inbox and "收到新的揭榜申请" in inbox
    managed = page(company.get(reverse("matching:need_manage", args=[need.pk])))
    assert "李研究员" in managed and "二维钝化层加原子层沉积封装" in managed and "共同专长" in managed
    with django_capture_on_commit_callbacks(execute=True):
        company.post(reverse("matching:application_decide", args=[application.pk]),
                     {"decision": "accept", "message": "欢迎加入"})
    placement = Placement.objects.get(application=application)
    assert placement.status == Placement.Status.PENDING
    assert "已被接受" in page(researcher.get(reverse("matching:notifications")))
    assert 'id="unread">0<' in page(researcher.get(reverse("matching:researcher_dashboard")))

    # Staff approve; the researcher reports an outcome with evidence.
    with django_capture_on_commit_callbacks(execute=True):
        placement_services.placement_approve(placement=placement, by=sam)
    evidence = SimpleUploadedFile("专利.pdf", b"%PDF-1.4 notice", "application/pdf")
    reported = researcher.post(reverse("matching:outcome_report", args=[placement.pk]), {
        "kind": "invention_patent", "title": "一种钙钛矿组件封装结构",
        "identifier": "CN202510000002.9", "patent_status": "filed",
        "applied_on": "2025-06-20", "achieved_on": "2025-07-01", "evidence": evidence})
    assert reported.status_code == 302, page(reported)
    outcome = Outcome.objects.get(placement=placement)
    assert outcome.evidence and outcome.identifier == "202510000002.9"

    # The company confirms it on the same page; staff can then verify it.
    shown = page(company.get(reverse("matching:outcome_report", args=[placement.pk])))
    assert reverse("matching:outcome_confirm", args=[outcome.pk]) in shown
    assert reverse("matching:outcome_confirm", args=[outcome.pk]) not in page(
        researcher.get(reverse("matching:outcome_report", args=[placement.pk])))
    company.post(reverse("matching:outcome_confirm", args=[outcome.pk]))
    outcome.refresh_from_db()
    assert outcome.status == Outcome.Status.CONFIRMED
    assert {m.to[0] for m in mail.outbox} >= {"mgr@pv.cn", "li@hdu.edu.cn"}


def test_a_rejected_need_is_edited_and_resubmitted(world, sam):
    alice = Client()
    alice.force_login(world["users"]["alice"])
    need = world["draft"]
    alice.post(reverse("matching:need_submit", args=[need.pk]))
    challenge_services.challenge_reject(challenge=Challenge.objects.get(pk=need.pk), by=sam,
                                        note="请补充技术指标")
    assert "请补充技术指标" in page(alice.get(reverse("matching:need_manage", args=[need.pk])))
    form = page(alice.get(reverse("matching:need_edit", args=[need.pk])))
    assert "请补充技术指标" in form
    alice.post(reverse("matching:need_edit", args=[need.pk]), {
        "programme": "bounty", "title": need.title, "indicators": "效率保持率≥95%",
        "background": need.background, "required_expertise": "钙钛矿",
        "industry": need.industry_id, "deadline": need.deadline.isoformat(),
        "reward": "50", "headcount": "1", "confidentiality": "public"})
    alice.post(reverse("matching:need_submit", args=[need.pk]))
    need.refresh_from_db()
    assert (need.status, need.indicators) == (Challenge.Status.UNDER_REVIEW, "效率保持率≥95%")


def test_withdrawing_a_need_with_applicants_asks_for_the_reason_staff_then_see(world):
    alice = Client(HTTP_ACCEPT_LANGUAGE="en")
    alice.force_login(world["users"]["alice"])
    need = world["published"]
    url = reverse("matching:need_withdraw", args=[need.pk])
    refused = alice.post(f"/en/company/needs/{need.pk}/withdraw/", {"reason": ""})
    assert refused.status_code == 400
    assert "Researchers have applied to this need: say why it is withdrawn." in page(refused)
    need.refresh_from_db()
    assert need.status == Challenge.Status.PUBLISHED
    alice.post(url, {"reason": "项目暂停"})
    need.refresh_from_db()
    assert (need.status, need.withdraw_reason) == (Challenge.Status.WITHDRAWN, "项目暂停")


def test_form_errors_name_the_field_in_the_pages_language(db):
    zh = sign_up_company(Client(), email="bad-email", language="zh-hans")
    en = Client().post("/en/accounts/signup/company/", {
        "full_name": "W", "email": "w@x.cn", "password1": "short", "password2": "short",
        "name": "X", "credit_code": "123"})
    assert zh.status_code == 200
    assert '<ul class="errorlist" id="id_email_error"><li>请输入合法的邮件地址。</li></ul>' \
        in page(zh)
    assert "This password is too short. It must contain at least 12 characters." in page(en)
    assert not User.objects.exists() and not Company.objects.exists()


def test_a_wrong_credit_code_is_named_and_nothing_is_created(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/en/accounts/signup/company/", {
        "full_name": "王经理", "email": "mgr@pv.cn", "password1": PASSWORD,
        "password2": PASSWORD, "name": "杭州钱塘光伏", "credit_code": "91330114000000000X"})
    assert response.status_code == 200
    assert 'id="id_credit_code_error"' in page(response)
    assert not User.objects.filter(email="mgr@pv.cn").exists()


def test_the_owner_invites_a_colleague_who_accepts_and_is_later_removed(world):
    alice = Client()
    alice.force_login(world["users"]["alice"])
    dan = f.UserFactory(email="dan@acme.cn")
    alice.post(reverse("accounts:invitation_create"), {"invite-email": "dan@acme.cn"})
    assert not world["acme"].memberships.filter(user=dan).exists()  # not before a yes
    invitee = Client()
    invitee.force_login(dan)
    assert world["acme"].name in page(invitee.get(reverse("matching:dashboard"), follow=True))
    invitation = dan.invitations.get()
    invitee.post(reverse("accounts:invitation_accept", args=[invitation.pk]))
    membership = world["acme"].memberships.get(user=dan)
    bob = Client()
    bob.force_login(world["users"]["bob"])
    bob.post(reverse("accounts:member_remove", args=[membership.pk]))
    assert world["acme"].memberships.filter(user=dan).exists()  # only the owner removes
    alice.post(reverse("accounts:member_remove", args=[membership.pk]))
    assert not world["acme"].memberships.filter(user=dan).exists()


def test_a_researcher_withdraws_an_application_before_a_decision(world):
    rita = Client()
    rita.force_login(world["users"]["rita"])
    application = world["application"]
    rita.post(reverse("matching:application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    oscar = Client()
    oscar.force_login(world["users"]["oscar"])
    assert oscar.post(reverse("matching:application_withdraw",
                              args=[world["oscar_application"].pk])).status_code == 302
    assert "rita 的方案：保密" not in page(oscar.get(reverse("matching:researcher_dashboard")))


def test_a_confidential_need_shows_only_its_summary_to_the_public(world):
    need = world["others_challenge"]
    Challenge.objects.filter(pk=need.pk).update(
        confidentiality=Challenge.Confidentiality.SUMMARY, background="保密工艺参数")
    url = reverse("matching:need_detail", args=[need.pk])
    public = page(Client().get(url))
    alice = Client()
    alice.force_login(world["users"]["alice"])
    rita = Client()
    rita.force_login(world["users"]["rita"])
    assert need.title in public and "保密工艺参数" not in public
    assert "保密工艺参数" not in page(alice.get(url))
    assert "保密工艺参数" in page(rita.get(url))
    assert need.title not in page(Client().get(reverse("matching:needs"), {"q": "保密工艺"}))


def test_stored_text_is_escaped_and_pages_carry_a_content_security_policy(world):
    Challenge.objects.filter(pk=world["published"].pk).update(
        title="<script>alert('x')</script>需求")
    response = Client().get(reverse("matching:needs"))
    assert "<script>alert(" not in page(response)
    assert "&lt;script&gt;alert(" in page(response)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_forms_need_their_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["alice"])
    response = client.post(reverse("matching:need_submit", args=[world["draft"].pk]))
    assert response.status_code == 403
    world["draft"].refresh_from_db()
    assert world["draft"].status == Challenge.Status.DRAFT


def test_a_forgotten_password_is_reset_by_e_mail_and_changed_when_signed_in(rita):
    client = Client()
    client.post(reverse("password_reset"), {"email": "rita@hdu.edu.cn"})
    (message,) = mail.outbox
    link = next(w for w in message.body.split() if "/reset/" in w)
    form = client.get(link, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD,
                                                    "new_password2": PASSWORD})
    assert done.status_code == 302
    signed_in = client.post(reverse("login"), {"username": "rita@hdu.edu.cn",
                                               "password": PASSWORD})
    assert signed_in.status_code == 302
    changed = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "another-long-passphrase",
        "new_password2": "another-long-passphrase"})
    assert changed.status_code == 302
    assert User.objects.get(email="rita@hdu.edu.cn").check_password("another-long-passphrase")


def test_notifications_mark_themselves_read_when_opened(world):
    rita = world["users"]["rita"]
    client = Client()
    client.force_login(rita)
    assert 'id="unread">1<' in page(client.get(reverse("matching:home")))
    assert "rita 的通知" in page(client.get(reverse("matching:notifications")))
    assert Notification.objects.filter(user=rita, read_at__isnull=True).count() == 0
