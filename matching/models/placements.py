"""Placements (入企服务 / 聘任) and their outcomes (成果)."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Company, ResearcherProfile
from accounts.validators import validate_past_date, validate_period_date
from config.constraints import FieldCheck

from .challenges import Application, Challenge
from .cohorts import Cohort
from .common import Programme, validate_period
from .outcomes_extra import FundingProgramme

# A placement that reported nothing for this long is "quiet": reminded, and
# listed among the outcomes due on the company's page.
QUIET_DAYS = 90


class PlacementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Placement.Status.ACTIVE)

    def quiet(self, today: datetime.date):
        """Active placements older than QUIET_DAYS with no outcome reported in the
        last QUIET_DAYS days (by the day it was reported): the one rule of the
        reminders and the company's page."""
        since = today - datetime.timedelta(days=QUIET_DAYS)
        return (self.active().filter(starts_on__lte=since)
                .exclude(outcomes__created_at__date__gt=since))


class Placement(models.Model):
    """入企服务 / 聘任: an approved engagement of a researcher with a company."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending approval")
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        TERMINATED = "terminated", _("terminated")
        REJECTED = "rejected", _("rejected")

    # Approved by the district (and possibly ended since).
    APPROVED = frozenset({Status.ACTIVE, Status.COMPLETED, Status.TERMINATED})
    # Outcomes can be reported while it runs and once it completed.
    REPORTING = frozenset({Status.ACTIVE, Status.COMPLETED})

    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices)
    company = models.ForeignKey(Company, models.PROTECT, related_name="placements",
                                verbose_name=_("company"))
    researcher = models.ForeignKey(ResearcherProfile, models.PROTECT, related_name="placements",
                                   verbose_name=_("researcher"))
    challenge = models.ForeignKey(Challenge, models.PROTECT, null=True, blank=True,
                                  related_name="placements", verbose_name=_("challenge"))
    application = models.OneToOneField(Application, models.PROTECT, null=True, blank=True,
                                       related_name="placement", verbose_name=_("application"))
    cohort = models.ForeignKey(Cohort, models.PROTECT, null=True, blank=True,
                               related_name="placements", verbose_name=_("cohort"))
    # Set when the placement was created by deploying a cohort solver run, so
    # that undeploying removes exactly those placements.
    cohort_run = models.ForeignKey("CohortRun", models.PROTECT, null=True, blank=True,
                                   related_name="placements", verbose_name=_("cohort run"))
    post = models.CharField(_("post"), max_length=100, blank=True,
                            help_text=_("For example 科技副总 (technology vice-president)."))
    starts_on = models.DateField(_("starts on"), validators=[validate_period_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_period_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Links to the 55830 plan, set through placement_tag (the link rows keep the history).
    plan_actions = models.ManyToManyField("PlanAction", through="PlacementPlanAction",
                                          blank=True, related_name="placements",
                                          verbose_name=_("plan actions"))

    objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("approve_placement", "Can approve or reject placements"),
            ("manage_placement", "Can create, complete and end placements"),
        ]
        ordering = ["-created_at"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            FieldCheck(condition=Q(ends_on__gt=F("starts_on")),
                       name="placement_ends_after_start", field="ends_on",
                       violation_error_message=_("The end must be after the start.")),
        ]

    def __str__(self):
        return f"{self.researcher} @ {self.company}"

    def clean(self):
        validate_period(self.starts_on, self.ends_on)

    @property
    def has_letter(self) -> bool:
        """An appointment letter (聘书) exists only for an approved tech-VP placement."""
        return self.programme == Programme.TECH_VP and self.status in self.APPROVED

    @property
    def takes_outcomes(self) -> bool:
        return self.status in self.REPORTING


class Outcome(models.Model):
    """成果: a result a placement produced."""

    class Kind(models.TextChoices):
        INVENTION_PATENT = "invention_patent", _("invention patent")
        UTILITY_MODEL = "utility_model", _("utility model")
        SOFTWARE_COPYRIGHT = "software_copyright", _("software copyright")
        TECH_CONTRACT = "tech_contract", _("technology contract")
        FUNDED_PROJECT = "funded_project", _("funded project")
        PAPER = "paper", _("paper")
        PRODUCT = "product", _("new product or process")

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        CONFIRMED = "confirmed", _("confirmed by the other side")
        DISPUTED = "disputed", _("disputed by the other side")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    class PatentStatus(models.TextChoices):
        FILED = "filed", _("filed")
        GRANTED = "granted", _("granted")

    class ContractType(models.TextChoices):
        DEVELOPMENT = "development", _("technology development")
        TRANSFER = "transfer", _("technology transfer")
        CONSULTING = "consulting", _("technology consulting")
        SERVICE = "service", _("technology service")

    placement = models.ForeignKey(Placement, models.PROTECT, related_name="outcomes",
                                  verbose_name=_("placement"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    identifier = models.CharField(
        _("identifier"), max_length=100, blank=True,
        help_text=_("Patent application number, contract number or project number."))
    patent_status = models.CharField(_("patent status"), max_length=10,
                                     choices=PatentStatus.choices, blank=True)
    applied_on = models.DateField(_("application date"), null=True, blank=True,
                                  validators=[validate_past_date])
    granted_on = models.DateField(_("grant date"), null=True, blank=True,
                                  validators=[validate_past_date])
    funding_programme = models.CharField(_("funding programme"), max_length=200, blank=True)
    funded_under = models.ForeignKey(FundingProgramme, models.PROTECT, null=True, blank=True,
                                     related_name="outcomes",
                                     verbose_name=_("funding programme (reference)"))
    # 技术合同登记: a contract counts in the deal value once it is registered;
    # the amount is then the registered amount.
    registration_number = models.CharField(_("contract registration number"), max_length=30,
                                           blank=True)
    registration_office = models.CharField(_("registering office"), max_length=100,
                                           blank=True)
    contract_type = models.CharField(_("contract type"), max_length=12,
                                     choices=ContractType.choices, blank=True)
    contract_parties = models.CharField(_("contract parties"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=12, decimal_places=2,
                                 null=True, blank=True, validators=[MinValueValidator(0)])
    achieved_on = models.DateField(_("date"), validators=[validate_past_date])
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.REPORTED, db_index=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("reported by"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    dispute_reason = models.TextField(_("reason for the dispute"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    # Links to the 55830 plan, set through outcome_tag (the link rows keep the history).
    plan_actions = models.ManyToManyField("PlanAction", through="OutcomePlanAction",
                                          blank=True, related_name="outcomes",
                                          verbose_name=_("plan actions"))

    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("verify_outcome", "Can verify or reject outcomes"),
        ]
        ordering = ["-achieved_on", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            FieldCheck(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                       name="outcome_amount_not_negative", field="amount",
                       violation_error_message=_("Enter 0 or more.")),
            # The same patent or contract number is counted once: a second report
            # of it is refused unless the first was rejected.
            models.UniqueConstraint(fields=["kind", "identifier"],
                                    condition=~Q(identifier="") & ~Q(status="rejected"),
                                    name="outcome_identifier_counted_once"),
            models.UniqueConstraint(fields=["registration_number"],
                                    condition=~Q(registration_number="")
                                    & ~Q(status="rejected"),
                                    name="outcome_registration_counted_once"),
            FieldCheck(condition=Q(granted_on__isnull=True) | Q(applied_on__isnull=True)
                       | Q(granted_on__gte=F("applied_on")),
                       name="outcome_granted_after_applied", field="granted_on",
                       violation_error_message=_("Enter the date of grant on or after the "
                                                 "date of application.")),
        ]

    def __str__(self):
        return self.title

    @property
    def registered(self) -> bool:
        """A technology contract counts in the deal value once registered."""
        return bool(self.registration_number)

    @property
    def grant_number(self) -> str:
        """专利号: ZL and the application number, once granted."""
        if self.patent_status == self.PatentStatus.GRANTED and self.identifier:
            return f"ZL{self.identifier}"
        return ""
