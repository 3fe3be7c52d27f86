"""What PIPL asks the service to keep: the texts people agree to, and their consents.

A legal text (the privacy notice, the user agreement) is versioned: staff write a
draft and publish it (accounts.privacy.legal_text_publish); a published version is
never edited, a new one is written instead, and everybody is asked again. A
consent records who agreed to what, when and from which address, and when they
withdrew it. The consent to be shown to companies (PIPL Art. 23) is separate and
names no text: a researcher gives and withdraws it on their own.

Imported from accounts.models, so that Django finds these models there.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.constraints import FieldCheck


class LegalTextQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def current(self):
        """The newest published version of each kind: what everyone must have accepted."""
        newer = LegalText.objects.published().filter(kind=OuterRef("kind"),
                                                     version__gt=OuterRef("version"))
        return self.published().filter(~Exists(newer)).order_by("kind")

    def not_accepted_by(self, user):
        """The current texts `user` has not accepted yet (one query)."""
        return self.current().exclude(Exists(Consent.objects.filter(
            user=user, text=OuterRef("pk"), withdrawn_at__isnull=True)))


class LegalText(models.Model):
    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("privacy notice")
        TERMS = "terms", _("user agreement")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    # Both languages are the text itself (a versioned document people agree to),
    # not interface strings: they are kept here, not in the translation catalogue.
    body_zh = models.TextField(_("text in Chinese"))
    body_en = models.TextField(_("text in English"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("published by"))

    objects = LegalTextQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-version"]
        verbose_name = _("legal text")
        verbose_name_plural = _("legal texts")
        permissions = [("publish_legaltext", "Can publish a privacy notice or user agreement")]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="legaltext_version_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def body(self, language: str) -> str:
        return self.body_en if (language or "").startswith("en") else self.body_zh


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def visibility(self):
        return self.filter(kind=Consent.Kind.VISIBILITY)


class Consent(models.Model):
    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("privacy notice")
        TERMS = "terms", _("user agreement")
        VISIBILITY = "visibility", _("shown to companies")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="consents",
                             verbose_name=_("user"))
    kind = models.CharField(_("consent to"), max_length=12, choices=Kind.choices)
    text = models.ForeignKey(LegalText, models.PROTECT, null=True, blank=True,
                             related_name="consents", verbose_name=_("text and version"))
    given_at = models.DateTimeField(_("given at"))
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            # A text is accepted once; the visibility consent is held once at a time.
            models.UniqueConstraint(fields=["user", "text"], name="consent_text_once",
                                    condition=Q(withdrawn_at__isnull=True, text__isnull=False)),
            models.UniqueConstraint(fields=["user"], name="consent_visibility_once",
                                    condition=Q(withdrawn_at__isnull=True, kind="visibility")),
            FieldCheck(name="consent_text_for_legal_kinds", condition=(
                Q(kind="visibility", text__isnull=True)
                | (~Q(kind="visibility") & Q(text__isnull=False))), field="text",
                violation_error_message=_("Consent to the notice or the agreement names its "
                                          "text and version; consent to be shown names none.")),
        ]

    def __str__(self):
        return f"{self.user}: {self.text or self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class DeletionRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=DeletionRequest.Status.PENDING)

    def queue(self):
        """Staff's queue: the pending requests, oldest (nearest deadline) first."""
        return self.pending().select_related("user").order_by("due_at", "pk")


class DeletionRequest(models.Model):
    """A person asks for their account to be deleted (PIPL Art. 47); staff carry
    it out by the deadline (matching.services.privacy.deletion_carry_out)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        DONE = "done", _("carried out")
        CANCELLED = "cancelled", _("cancelled: the account is in use again")

    class Reason(models.TextChoices):
        REQUESTED = "requested", _("asked by the person")
        INACTIVE = "inactive", _("account unused (retention)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                             related_name="deletion_requests", verbose_name=_("user"))
    reason = models.CharField(_("why"), max_length=10, choices=Reason.choices,
                              default=Reason.REQUESTED)
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("to be carried out by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    done_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("carried out by"))

    objects = DeletionRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        permissions = [("carry_out_deletionrequest", "Can delete a person's personal data")]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="pending"),
                                    name="deletion_request_one_pending"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"


class PersonalDataExport(models.Model):
    """Staff downloaded a file holding people's personal information: who, what, when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                             verbose_name=_("exported by"))
    what = models.CharField(_("what"), max_length=200)
    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)

    class Meta:
        ordering = ["-exported_at", "-pk"]
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")

    def __str__(self):
        return f"{self.user}: {self.what}"
