"""The demo's privacy record: the texts in force, and everyone's consent to them.

Version 1 of the privacy notice and user agreement is published; every demo
person has accepted both, and every researcher agreed to be shown to companies —
except two researchers staff imported who never signed in: verified, but shown
to no company until they sign in and agree (ResearcherProfile.objects.matchable).
"""

from django.utils import timezone

from accounts.models import Consent, LegalText, User
from accounts.privacy_texts import TEXTS

NEVER_SIGNED_IN = 2


def build(demo) -> None:
    now = timezone.now()
    texts = demo._bulk(LegalText, [
        LegalText(kind=kind, version=1, body_zh=zh, body_en=en, published_at=now,
                  published_by=demo.staff)
        for kind, (zh, en) in TEXTS.items()])
    verified = [r for r in demo.researchers if r.verified_at is not None]
    imported = {r.user_id for r in verified[-NEVER_SIGNED_IN:]}
    people = [u for u in User.objects.filter(is_staff=False).order_by("pk")
              if u.pk not in imported]
    consents = [Consent(user=u, kind=t.kind, text=t, given_at=now) for u in people for t in texts]
    consents += [Consent(user_id=r.user_id, kind=Consent.Kind.VISIBILITY, given_at=now)
                 for r in demo.researchers if r.user_id not in imported]
    demo._bulk(Consent, consents)
    demo.imported_researchers = sorted(imported)


def consent_newcomers(demo) -> None:
    """People the later demo steps add (experts) accept the texts in force too, so
    every demo login opens the site without the consent page."""
    now = timezone.now()
    texts = list(LegalText.objects.filter(published_at__isnull=False))
    newcomers = (User.objects.filter(is_staff=False, consents__isnull=True)
                 .exclude(pk__in=demo.imported_researchers).order_by("pk"))
    demo._bulk(Consent, [Consent(user=u, kind=t.kind, text=t, given_at=now)
                         for u in newcomers for t in texts])
