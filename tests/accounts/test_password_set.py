"""One way to set a password, whichever door: the website's change and reset
pages, the API's change and reset confirmation, the admin. Each revokes every
API token of the person and ends their other sessions."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services
from accounts.errors import DomainError
from tests.factories import PASSWORD

NEW = "a-new-long-passphrase"


def reset_link(user) -> tuple[str, str]:
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def change_on_the_website(user, sam):
    client = Client()
    client.force_login(user)
    return client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})


def reset_on_the_website(user, sam):
    client = Client()
    uid, token = reset_link(user)
    form = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    return client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})


def change_in_the_api(user, sam):
    client = APIClient()
    client.force_authenticate(user)
    return client.post("/api/v1/auth/password/", {"old_password": PASSWORD,
                                                  "new_password": NEW}, format="json")


def reset_in_the_api(user, sam):
    uid, token = reset_link(user)
    return APIClient().post("/api/v1/auth/password-reset/confirm/", {
        "uid": uid, "token": token, "new_password": NEW}, format="json")


def set_in_the_admin(user, sam):
    client = Client()
    client.force_login(sam)
    return client.post(reverse("admin:auth_user_password_change", args=[user.pk]),
                       {"password1": NEW, "password2": NEW, "usable_password": "true"})


DOORS = [change_on_the_website, reset_on_the_website, change_in_the_api, reset_in_the_api,
         set_in_the_admin]


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.__name__)
def test_every_door_sets_the_password_and_revokes_every_token(door, rita, sam):
    user = rita.user
    Token.objects.create(user=user)
    other_session = Client()
    other_session.force_login(user)
    response = door(user, sam)
    assert response.status_code in (204, 302), getattr(response, "content", b"")[:300]
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not Token.objects.filter(user=user).exists()
    # A session opened with the old password is over.
    assert other_session.get(reverse("accounts:profile")).status_code == 302


def test_the_person_at_the_website_stays_signed_in_after_changing_it(rita):
    client = Client()
    client.force_login(rita.user)
    client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_weak_password_is_refused_by_name_and_nothing_changes(rita):
    token = Token.objects.create(user=rita.user)
    with pytest.raises(DomainError) as refused:
        services.password_set(user=rita.user, password="12345678")
    assert "password" in refused.value.message_dict
    rita.user.refresh_from_db()
    assert rita.user.check_password(PASSWORD) and Token.objects.filter(pk=token.pk).exists()


def test_only_staff_who_may_change_users_set_someone_elses(rita, oscar, vera):
    for by in (oscar.user, vera):
        with pytest.raises(DomainError):
            services.password_set(user=rita.user, password=NEW, by=by)
