"""Signing in to the API: tokens, sessions with CSRF, locks after repeated
failures (per account and per address, kept in the shared database), throttling,
and messages in the client's language."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
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


def test_five_failures_lock_the_account_even_from_another_address(rita):
    client = APIClient()
    codes = [sign_in(client, "rita@hdu.edu.cn", "wrong", f"198.51.100.{i}").status_code
             for i in range(5)]
    assert codes == [401, 401, 401, 401, 429]  # the fifth failure locks
    # The right password from a fresh address: the account is locked.
    locked = sign_in(client, "rita@hdu.edu.cn", address="192.0.2.99")
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["code"] == "throttled"
    assert "token" not in locked.json()


def test_five_failures_from_one_address_lock_that_address_for_every_account(rita, oscar):
    client = APIClient()
    for i in range(5):
        sign_in(client, f"nobody{i}@x.cn", "wrong")
    assert sign_in(client, "oscar@zstu.edu.cn").status_code == 429
    assert sign_in(client, "oscar@zstu.edu.cn", address="192.0.2.1").status_code == 200


def test_the_lock_lives_in_the_database_every_worker_process_reads(rita):
    """Another process's failures are rows in the shared database: a lock written
    there (as another gunicorn worker would) refuses this process's sign-in."""
    AccessAttempt.objects.create(username="rita@hdu.edu.cn", ip_address="198.51.100.1",
                                 user_agent="other worker", failures_since_start=5,
                                 get_data="", post_data="", http_accept="", path_info=TOKEN)
    assert sign_in(APIClient(), "rita@hdu.edu.cn", address="192.0.2.50").status_code == 429


def test_the_admin_sign_in_counts_the_same_failures(rita):
    client = APIClient()
    for _ in range(5):
        client.post("/admin/login/", {"username": "rita@hdu.edu.cn", "password": "wrong"},
                    REMOTE_ADDR="198.51.100.9")
    assert sign_in(client, "rita@hdu.edu.cn", address="192.0.2.51").status_code == 429


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
        client.post(TOKEN, {"email": "x@y.cn", "password": "wrong"}, format="json",
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.20")
    other_client = client.post(TOKEN, {"email": "rita@hdu.edu.cn", "password": f.PASSWORD},
                               format="json", REMOTE_ADDR="10.0.0.2",
                               HTTP_X_FORWARDED_FOR="198.51.100.21")
    same_client = client.post(TOKEN, {"email": "rita@hdu.edu.cn", "password": f.PASSWORD},
                              format="json", REMOTE_ADDR="10.0.0.2",
                              HTTP_X_FORWARDED_FOR="another-spoof, 198.51.100.20")
    assert (other_client.status_code, same_client.status_code) == (200, 429)
