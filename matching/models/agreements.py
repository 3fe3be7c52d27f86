"""Agreements (协议): the written terms of a placement, signed online by every party.

A technology vice-president's or a PhD's placement rests on a three-party
cooperation agreement (company, the person's university, the person); a bounty
award on an agreement and task book between the company and the person. An
agreement is drafted and edited while unsigned; any change voids the signatures
given so far; once every party has signed it binds, and it is changed only by a
new version (a renewal) or ended with a reason.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.validators import validate_period_date
from config.constraints import FieldCheck

from .common import Programme, validate_period
from .placements import Placement


class Party(models.TextChoices):
    COMPANY = "company", _("company")
    RESEARCHER = "researcher", _("researcher")
    UNIVERSITY = "university", _("university")


# Who must sign, per programme: the three-party agreement of the talent
# programmes, the two-party agreement and task book of a bounty.
PARTIES = {
    Programme.TECH_VP: (Party.COMPANY, Party.UNIVERSITY, Party.RESEARCHER),
    Programme.PHD: (Party.COMPANY, Party.UNIVERSITY, Party.RESEARCHER),
    Programme.BOUNTY: (Party.COMPANY, Party.RESEARCHER),
}


class AgreementQuerySet(models.QuerySet):
    def open(self):
        """Drafts and signed agreements: the ones that still bind or will."""
        return self.filter(status__in=Agreement.OPEN)


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft, awaiting signatures")
        SIGNED = "signed", _("signed")
        RENEWED = "renewed", _("replaced by a renewal")
        ENDED = "ended", _("ended")

    OPEN = (Status.DRAFT, Status.SIGNED)

    placement = models.ForeignKey(Placement, models.PROTECT, related_name="agreements",
                                  verbose_name=_("placement"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    starts_on = models.DateField(_("starts on"), validators=[validate_period_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_period_date])
    amount = models.DecimalField(
        _("amount (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("The reward of a bounty, or the yearly remuneration of a post."))
    service_days_per_month = models.PositiveSmallIntegerField(
        _("service days per month"), null=True, blank=True,
        help_text=_("How many days a month the researcher serves the company on site."))
    ip_terms = models.TextField(_("IP terms"), blank=True)
    terms = models.TextField(_("other terms"), blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("drafted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["placement", "-version"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["placement", "version"], name="agreement_version_once"),
            # A placement has at most one agreement in force or in preparation.
            models.UniqueConstraint(fields=["placement"], condition=Q(status__in=["draft", "signed"]),
                                    name="agreement_one_open_per_placement"),
            FieldCheck(condition=Q(ends_on__gt=F("starts_on")),
                       name="agreement_ends_after_start", field="ends_on",
                       violation_error_message=_("The end must be after the start.")),
            FieldCheck(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                       name="agreement_amount_not_negative", field="amount",
                       violation_error_message=_("Enter 0 or more.")),
        ]

    def __str__(self):
        return f"{self.placement} v{self.version}"

    def clean(self):
        validate_period(self.starts_on, self.ends_on)

    @property
    def parties(self) -> tuple[str, ...]:
        """Who must sign this agreement."""
        return PARTIES[self.placement.programme]

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class AgreementSignature(models.Model):
    """One party's online confirmation of one version of an agreement."""

    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="signatures",
                                  verbose_name=_("agreement"))
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "signed_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_once_per_party"),
        ]

    def __str__(self):
        return f"{self.agreement}: {self.get_party_display()}"
