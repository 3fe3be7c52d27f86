"""After the approval: the service record (服务日志), the yearly evaluation (考核) and
the subsidy (补贴) of technology vice-presidents and PhDs in enterprises.

The researcher logs each day served; the company confirms or queries a month's
logs; a month short of the agreement's `service_days_per_month` is reminded and,
once over, recorded as a shortfall (ServiceNotice). Once a year (and at the end
of a cohort's period) the researcher's self-report, the company's opinion and the
measured indicators come together in an Evaluation, which staff grade 优秀 / 合格 /
不合格. The grade and the salary the company actually paid give the year's
SubsidyClaim, computed by the active SubsidyPolicy and explained line by line.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.validators import validate_past_date, validate_period_date
from config.constraints import FieldCheck

from .agreements import Agreement
from .common import Programme, validate_period
from .placements import Placement


def month_of(day: datetime.date) -> datetime.date:
    """The first day of `day`'s month: how a month is named in these records."""
    return day.replace(day=1)


class ServiceLog(models.Model):
    """One day a researcher served the company on site."""

    class Status(models.TextChoices):
        LOGGED = "logged", _("awaiting the company's confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        QUERIED = "queried", _("queried by the company")

    placement = models.ForeignKey(Placement, models.PROTECT, related_name="service_logs",
                                  verbose_name=_("placement"))
    day = models.DateField(_("date"), validators=[validate_past_date])
    hours = models.DecimalField(_("hours"), max_digits=3, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)])
    place = models.CharField(_("place"), max_length=200)
    work = models.TextField(_("what was done"), max_length=2000)
    photo = models.FileField(_("photo"), upload_to="service/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.LOGGED, db_index=True)
    query_reason = models.TextField(_("the company's question"), blank=True, max_length=2000)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  related_name="+", verbose_name=_("logged by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("confirmed or queried by"))
    decided_at = models.DateTimeField(_("confirmed or queried at"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("service log")
        verbose_name_plural = _("service logs")
        constraints = [
            # A day is served once: a second log of it is a correction of the first.
            models.UniqueConstraint(fields=["placement", "day"], name="service_log_once_a_day"),
            FieldCheck(condition=Q(hours__gt=0) & Q(hours__lte=24),
                       name="service_log_hours_in_a_day", field="hours",
                       violation_error_message=_("Enter more than 0 and at most 24 hours.")),
        ]

    def __str__(self):
        return f"{self.placement} · {self.day}"

    @property
    def month(self) -> datetime.date:
        return month_of(self.day)


class ServiceNotice(models.Model):
    """A reminder or a shortfall notice sent for one placement and month.

    Unique per placement, month and kind, so the nightly job run twice (or a
    replayed task) sends nothing twice; the shortfall rows are also staff's
    queue of months that fell short.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("reminder before the month ends")
        SHORTFALL = "shortfall", _("month fell short")

    placement = models.ForeignKey(Placement, models.PROTECT, related_name="service_notices",
                                  verbose_name=_("placement"))
    month = models.DateField(_("month"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    days_logged = models.PositiveSmallIntegerField(_("days logged"))
    days_required = models.PositiveSmallIntegerField(_("days required"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "placement"]
        verbose_name = _("service notice")
        verbose_name_plural = _("service notices")
        constraints = [
            models.UniqueConstraint(fields=["placement", "month", "kind"],
                                    name="service_notice_once_per_month"),
        ]

    def __str__(self):
        return f"{self.placement} · {self.month:%Y-%m} · {self.get_kind_display()}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent (优秀)")
    PASS = "pass", _("pass (合格)")
    FAIL = "fail", _("fail (不合格)")


class Evaluation(models.Model):
    """考核: one agreement year (or a cohort's whole period) of a placement, graded."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual evaluation")
        FINAL = "final", _("end-of-period evaluation")

    class Status(models.TextChoices):
        OPEN = "open", _("collecting reports")
        GRADED = "graded", _("graded")

    placement = models.ForeignKey(Placement, models.PROTECT, related_name="evaluations",
                                  verbose_name=_("placement"))
    agreement = models.ForeignKey(Agreement, models.PROTECT, null=True, blank=True,
                                  related_name="evaluations", verbose_name=_("agreement"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("year of the term"),
                                            validators=[MinValueValidator(1)])
    period_start = models.DateField(_("period from"), validators=[validate_period_date])
    period_end = models.DateField(_("period to"), validators=[validate_period_date])
    self_report = models.TextField(_("the researcher's self-report"), blank=True, max_length=5000)
    company_opinion = models.TextField(_("the company's opinion"), blank=True, max_length=5000)
    targets_total = models.PositiveSmallIntegerField(_("targets set"), null=True, blank=True,
                                                     validators=[MaxValueValidator(100)])
    targets_met = models.PositiveSmallIntegerField(_("targets met"), null=True, blank=True,
                                                   validators=[MaxValueValidator(100)])
    # Measured when graded, kept as they were then.
    days_required = models.PositiveIntegerField(_("service days required"), null=True,
                                                blank=True)
    days_logged = models.PositiveIntegerField(_("service days logged"), null=True, blank=True)
    days_confirmed = models.PositiveIntegerField(_("service days confirmed"), null=True,
                                                 blank=True)
    outcomes_verified = models.PositiveIntegerField(_("outcomes verified"), null=True,
                                                    blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    grade_note = models.TextField(_("grader's note"), blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name=_("graded by"))
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("grade_evaluation", "Can grade evaluations")]
        ordering = ["-period_end", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["placement", "kind", "year"],
                                    name="evaluation_once_per_year"),
            FieldCheck(condition=Q(period_end__gt=F("period_start")),
                       name="evaluation_ends_after_start", field="period_end",
                       violation_error_message=_("Enter an end after the start.")),
            FieldCheck(condition=Q(targets_met__isnull=True) | Q(targets_total__isnull=True)
                       | Q(targets_met__lte=F("targets_total")),
                       name="evaluation_targets_met_of_set", field="targets_met",
                       violation_error_message=_("Enter at most the number of targets set.")),
        ]

    def __str__(self):
        return f"{self.placement} · {self.get_kind_display()} {self.year}"

    def clean(self):
        validate_period(self.period_start, self.period_end)


class SubsidyPolicy(models.Model):
    """补贴政策: a version of the rules by which a programme's subsidy is computed.

    Rates are fractions of the salary actually paid (0.70 for 70%); money is in
    yuan. A draft can be tried on last year's data before it is made active; an
    active version is never changed, only replaced by a newer one.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    rate_excellent = models.DecimalField(
        _("rate for 优秀"), max_digits=5, decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("A fraction of the salary paid: 0.70 for 70%."))
    rate_pass = models.DecimalField(_("rate for 合格"), max_digits=5, decimal_places=4,
                                    validators=[MinValueValidator(0), MaxValueValidator(1)])
    rate_fail = models.DecimalField(_("rate for 不合格"), max_digits=5, decimal_places=4,
                                    default=0,
                                    validators=[MinValueValidator(0), MaxValueValidator(1)])
    cap_per_year = models.DecimalField(_("cap per person per year (yuan)"), max_digits=12,
                                       decimal_places=2, validators=[MinValueValidator(0)])
    salary_floor = models.DecimalField(
        _("monthly salary floor (yuan)"), max_digits=12, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
        help_text=_("A month paid less than this does not count towards the subsidy."))
    max_years = models.PositiveSmallIntegerField(_("years subsidised at most"), default=3,
                                                 validators=[MinValueValidator(1)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("manage_subsidy_policy", "Can write and activate subsidy policies")]
        ordering = ["programme", "-version"]
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"],
                                    name="subsidy_policy_version_once"),
            # The one policy claims are computed by, per programme.
            models.UniqueConstraint(fields=["programme"], condition=Q(status="active"),
                                    name="subsidy_policy_one_active"),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def rate_for(self, grade: str):
        return {Grade.EXCELLENT: self.rate_excellent, Grade.PASS: self.rate_pass,
                Grade.FAIL: self.rate_fail}[grade]


class SubsidyClaim(models.Model):
    """补贴申领: what one placement may claim for one graded year, and why."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    evaluation = models.OneToOneField(Evaluation, models.PROTECT, related_name="subsidy_claim",
                                      verbose_name=_("evaluation"))
    placement = models.ForeignKey(Placement, models.PROTECT, related_name="subsidy_claims",
                                  verbose_name=_("placement"))
    policy = models.ForeignKey(SubsidyPolicy, models.PROTECT, related_name="claims",
                               verbose_name=_("policy"))
    # [{"month": "2026-01", "amount": "12000.00"}, …]: the salary actually paid,
    # as the company entered it.
    salaries = models.JSONField(_("salary paid per month"))
    salary_counted = models.DecimalField(_("salary counted (yuan)"), max_digits=12,
                                         decimal_places=2)
    amount = models.DecimalField(_("subsidy (yuan)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    # The calculation, line by line, as plain data (rendered in the reader's language).
    explanation = models.JSONField(_("calculation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                 related_name="+", verbose_name=_("filed by"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("approve_subsidy", "Can approve or reject subsidy claims")]
        ordering = ["-created_at", "-id"]
        verbose_name = _("subsidy claim")
        verbose_name_plural = _("subsidy claims")
        constraints = [
            FieldCheck(condition=Q(amount__gte=0), name="subsidy_claim_not_negative",
                       field="amount", violation_error_message=_("Enter 0 or more.")),
        ]

    def __str__(self):
        return f"{self.evaluation} · {self.amount}"
