"""Signing in to the API: tokens, sessions with CSRF, locks after repeated
failures (per account and address, and a higher ceiling per address, kept in the
shared database), token lifetimes, throttling,
and messages in the client's language."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .. import factories as f

TOKEN = "/api/v1/auth/token/"


def sign_in(client, email, password=f.PASSWORD, address="203.0.113.7"):
    return client.post(TOKEN, {"email": email, "password": password}, format="json",
                       REMOTE_ADDR=address)


def test_a_token_opens_the_api_and_deleting_it_closes_it(rita):
    client = APIClient()
    token = sign_in(client, "RITA@hdu.edu.cn").json()["token"]  # e-mail without case
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["researcher"] == rita.pk
    assert client.delete(TOKEN).status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_a_wrong_password_is_a_401_in_the_clients_language(rita):
    en = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    zh = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert sign_in(en, "rita@hdu.edu.cn", "wrong").json()["errors"][0]["detail"] == \
        "The e-mail address or password is wrong."
    assert sign_in(zh, "rita@hdu.edu.cn", "wrong").json()["errors"][0]["detail"] == \
        "电子邮件地址或密码错误。"


def test_five_failures_lock_the_account_from_that_address_only(rita):
    client = APIClient()
    codes = [sign_in(client, "rita@hdu.edu.cn", "wrong", "198.51.100.1").status_code
             for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]  # the fifth failure locks
    # The right password from the same address: locked.
    locked = sign_in(client, "rita@hdu.edu.cn", address="198.51.100.1")
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["code"] == "throttled"
    assert "token" not in locked.json()
    # Whoever typed her address wrongly cannot lock rita out of her own network.
    assert sign_in(client, "rita@hdu.edu.cn", address="192.0.2.99").status_code == 200


def test_failures_spread_over_accounts_lock_an_address_only_past_its_far_higher_ceiling(
        rita, oscar, sam):
    client = APIClient()
    with override_settings(AXES_ADDRESS_FAILURE_LIMIT=12):
        for i in range(11):
            sign_in(client, f"nobody{i}@x.cn", "wrong")
        assert sign_in(client, "oscar@zstu.edu.cn").status_code == 200  # under the ceiling
        sign_in(client, "nobody-else@x.cn", "wrong")  # the twelfth
        assert sign_in(client, "sam@qiantang.gov.cn").status_code == 429
        assert sign_in(client, "sam@qiantang.gov.cn", address="192.0.2.1").status_code == 200


def test_signing_in_to_ones_own_account_does_not_clear_failures_against_another(rita, oscar):
    client = APIClient()
    for _ in range(4):
        sign_in(client, "rita@hdu.edu.cn", "wrong")
    assert sign_in(client, "oscar@zstu.edu.cn").status_code == 200
    assert sign_in(client, "rita@hdu.edu.cn", "wrong").status_code == 429


def test_the_lock_lives_in_the_database_every_worker_process_reads(rita):
    """Another process's failures are rows in the shared database: a lock written
    there (as another gunicorn worker would) refuses this process's sign-in."""
    AccessAttempt.objects.create(username="rita@hdu.edu.cn", ip_address="198.51.100.1",
                                 user_agent="other worker", failures_since_start=5,
                                 get_data="", post_data="", http_accept="", path_info=TOKEN)
    assert sign_in(APIClient(), "rita@hdu.edu.cn", address="198.51.100.1").status_code == 429


def test_the_admin_sign_in_counts_the_same_failures(rita):
    client = APIClient()
    for _ in range(5):
        client.post("/admin/login/", {"username": "rita@hdu.edu.cn", "password": "wrong"},
                    REMOTE_ADDR="198.51.100.9")
    assert sign_in(client, "rita@hdu.edu.cn", address="198.51.100.9").status_code == 429


def test_a_session_needs_its_csrf_token_for_writes(alice, acme):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/api/v1/me/").status_code == 200
    refused = client.patch("/api/v1/me/", {"full_name": "Alice"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["errors"][0]["detail"]
    alice.refresh_from_db()
    assert alice.full_name != "Alice"


def test_anonymous_clients_are_throttled(db):
    cache.clear()
    rates = {"anon": "3/min", "user": "600/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_RATES": rates}):
        client = APIClient()
        codes = [client.get("/api/v1/challenges/").status_code for _ in range(4)]
    cache.clear()
    assert codes == [200, 200, 200, 429]


def test_signed_in_clients_are_throttled_per_user(alice, bob):
    cache.clear()
    rates = {"anon": "120/min", "user": "2/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_RATES": rates}):
        a, b = APIClient(), APIClient()
        a.force_authenticate(alice)
        b.force_authenticate(bob)
        codes = [a.get("/api/v1/me/").status_code for _ in range(3)]
        other = b.get("/api/v1/me/").status_code
    cache.clear()
    assert (codes, other) == ([200, 200, 429], 200)


@pytest.mark.parametrize("password,message", [
    ("short-pw", "This password is too short. It must contain at least 12 characters."),
    ("password1234", "This password is too common."),
])
def test_sign_up_refuses_weak_passwords_by_name(db, password, message):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").post("/api/v1/auth/signup/", {
        "email": "new@x.cn", "password": password, "full_name": "新用户"}, format="json")
    assert response.status_code == 400
    assert {"attr": "password", "detail": message, "code": "invalid"} in response.json()["errors"]


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(rita):
    client = APIClient()
    assert client.post("/api/v1/auth/password-reset/", {"email": "rita@hdu.edu.cn"},
                       format="json").status_code == 202
    assert client.post("/api/v1/auth/password-reset/", {"email": "nobody@x.cn"},
                       format="json").status_code == 202  # the same answer: no enumeration
    (message,) = mail.outbox
    uid, token = message.body.split("/reset/")[1].split("/")[:2]
    done = client.post("/api/v1/auth/password-reset/confirm/", {
        "uid": uid, "token": token, "new_password": "a-new-long-passphrase"}, format="json")
    assert done.status_code == 204
    assert sign_in(client, "rita@hdu.edu.cn", "a-new-long-passphrase").status_code == 200
    again = client.post("/api/v1/auth/password-reset/confirm/", {
        "uid": uid, "token": token, "new_password": "another-long-passphrase"}, format="json")
    assert again.status_code == 400 and again.json()["errors"][0]["attr"] == "token"


def test_changing_the_password_needs_the_old_one_and_ends_other_tokens(rita):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token = sign_in(client, "rita@hdu.edu.cn").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    wrong = client.post("/api/v1/auth/password/", {"old_password": "nope",
                                                   "new_password": "a-new-long-passphrase"},
                        format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["attr"] == "old_password"
    assert client.post("/api/v1/auth/password/", {"old_password": f.PASSWORD,
                                                  "new_password": "a-new-long-passphrase"},
                       format="json").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_lock_is_on_the_forwarded_client_address(rita):
    client = APIClient()
    for _ in range(5):
        client.post(TOKEN, {"email": "rita@hdu.edu.cn", "password": "wrong"}, format="json",
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.20")
    other_client = client.post(TOKEN, {"email": "rita@hdu.edu.cn", "password": f.PASSWORD},
                               format="json", REMOTE_ADDR="10.0.0.2",
                               HTTP_X_FORWARDED_FOR="198.51.100.21")
    same_client = client.post(TOKEN, {"email": "rita@hdu.edu.cn", "password": f.PASSWORD},
                              format="json", REMOTE_ADDR="10.0.0.2",
                              HTTP_X_FORWARDED_FOR="another-spoof, 198.51.100.20")
    assert (other_client.status_code, same_client.status_code) == (200, 429)


def test_each_sign_in_issues_a_new_token_and_ends_the_previous(rita):
    client = APIClient()
    first = sign_in(client, "rita@hdu.edu.cn").json()["token"]
    second = sign_in(client, "rita@hdu.edu.cn").json()["token"]
    assert first != second
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert client.get("/api/v1/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert client.get("/api/v1/me/").status_code == 200


def test_a_token_expires_after_its_lifetime(rita):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    key = sign_in(client, "rita@hdu.edu.cn").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with override_settings(API_TOKEN_LIFETIME=timedelta(hours=1)):
        assert client.get("/api/v1/me/").status_code == 200
        Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=2))
        expired = client.get("/api/v1/me/")
    assert expired.status_code == 401
    assert expired.json()["errors"][0]["detail"] == \
        "This token has expired; sign in again for a new one."
    assert not Token.objects.filter(key=key).exists()


def test_deactivating_an_account_in_the_admin_ends_its_tokens_and_sessions(rita, sam):
    api_client, site = APIClient(), APIClient()
    key = sign_in(api_client, "rita@hdu.edu.cn").json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    site.force_login(rita.user)
    admin = APIClient()
    admin.force_login(sam)
    user = rita.user
    form = {"email": user.email, "full_name": user.full_name, "phone": "", "language": "zh-hans",
            "is_active": "", "last_login_0": "", "last_login_1": "",
            "date_joined_0": "2025-01-01", "date_joined_1": "00:00:00"}
    saved = admin.post(f"/admin/accounts/user/{user.pk}/change/", form)
    assert saved.status_code == 302, saved.content[:2000]
    assert api_client.get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=user).exists()
    assert site.get("/api/v1/me/").status_code in {401, 403}


@override_settings(TRUSTED_PROXIES=1)
def test_the_anonymous_throttle_counts_the_client_address_not_invented_forwarded_ones(db):
    cache.clear()
    rates = {"anon": "3/min", "user": "600/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_RATES": rates}):
        client = APIClient()
        codes = [client.get("/api/v1/challenges/", REMOTE_ADDR="10.0.0.2",
                            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.30").status_code
                 for i in range(5)]
        neighbour = client.get("/api/v1/challenges/", REMOTE_ADDR="10.0.0.2",
                               HTTP_X_FORWARDED_FOR="198.51.100.31").status_code
    cache.clear()
    assert (codes, neighbour) == ([200, 200, 200, 429, 429], 200)


@pytest.mark.parametrize("prefix, words", [("", "登录已暂停"), ("/en", "Sign-in paused")])
def test_a_locked_website_sign_in_gets_a_page_that_says_how_to_reset(rita, prefix, words):
    client = APIClient()
    for _ in range(5):
        page = client.post(f"{prefix}/accounts/login/",
                           {"username": "rita@hdu.edu.cn", "password": "wrong"})
    assert page.status_code == 429
    text = page.content.decode()
    assert words in text
    assert f'href="{prefix}/accounts/password_reset/"' in text
    assert 'href="/static/matching/site.css"' in text  # the site's own look
