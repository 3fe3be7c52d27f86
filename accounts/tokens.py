"""API tokens: DRF's authtoken with a lifetime, a new key at each sign-in.

DRF's Token already records when it was created, so expiry is one comparison
against API_TOKEN_LIFETIME; a dedicated package (django-rest-knox) would replace
the token table and the view, invalidating every key clients hold, for features
(several keys per user) this service does not need. Clients keep sending
`Authorization: Token <key>`.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class ExpiringTokenAuthentication(TokenAuthentication):
    """A token older than its lifetime, or of a deactivated account, is refused
    and deleted: it never opens the API again, even if the account is reactivated."""

    def authenticate_credentials(self, key):
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            token.delete()
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.created < timezone.now() - settings.API_TOKEN_LIFETIME:
            token.delete()
            raise exceptions.AuthenticationFailed(
                _("This token has expired; sign in again for a new one."))
        return token.user, token


@transaction.atomic
def token_rotate(*, user) -> Token:
    """A fresh key for each sign-in: the previous one stops working, so a key
    that leaked lives no longer than its owner's next sign-in."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def tokens_revoke(*, user) -> None:
    """Every key of the account stops working (sign-out, deactivation)."""
    Token.objects.filter(user=user).delete()
