"""Needs (技术需求) and the applications to them (揭榜)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Company, Institution, LeadingIndustry, ResearcherProfile
from accounts.validators import validate_deadline
from config.constraints import FieldCheck
from config.parsers import BoundedJSONDecoder

from .cohorts import Cohort
from .common import Programme


class ChallengeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Challenge.Status.PUBLISHED)

    def for_cohort(self, cohort):
        """The needs a cohort's solver may assign PhDs to: the cohort's own
        published PhD needs (no bounties or tech-VP posts, nothing withdrawn,
        expired or awarded)."""
        return self.published().filter(cohort=cohort, programme=Programme.PHD)


class Challenge(models.Model):
    """技术需求 / 榜单: an R&D need a company publishes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        UNDER_REVIEW = "under_review", _("under review")
        PUBLISHED = "published", _("published")
        AWARDED = "awarded", _("awarded")
        IN_PROGRESS = "in_progress", _("in progress")
        COMPLETED = "completed", _("completed")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        EXPIRED = "expired", _("expired")

    class Confidentiality(models.TextChoices):
        PUBLIC = "public", _("public")
        # Only the title, programme, industry and reward are shown to the public;
        # the full text only to signed-in, verified researchers.
        SUMMARY = "summary", _("summary public, details to verified researchers")

    # The status sets every surface asks about, through the properties below.
    EDITABLE = frozenset({Status.DRAFT, Status.REJECTED})
    WITHDRAWABLE = frozenset({Status.DRAFT, Status.UNDER_REVIEW, Status.REJECTED,
                              Status.PUBLISHED})
    # While applicants may still be shortlisted, accepted or declined.
    DECIDING = frozenset({Status.PUBLISHED, Status.AWARDED})

    company = models.ForeignKey(Company, models.CASCADE, related_name="challenges",
                                verbose_name=_("company"))
    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices,
                                 default=Programme.BOUNTY)
    cohort = models.ForeignKey(Cohort, models.PROTECT, null=True, blank=True,
                               related_name="challenges", verbose_name=_("cohort"))
    title = models.CharField(_("title"), max_length=200)
    background = models.TextField(_("background"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    indicators = models.TextField(_("technical indicators"), blank=True)
    required_expertise = models.JSONField(_("required expertise"), default=list, blank=True,
                                          decoder=BoundedJSONDecoder)
    industry = models.ForeignKey(LeadingIndustry, models.PROTECT, null=True, blank=True,
                                 related_name="challenges", verbose_name=_("industry"))
    reward = models.DecimalField(_("reward (10,000 yuan)"), max_digits=12, decimal_places=2,
                                 default=0, validators=[MinValueValidator(0)])
    deadline = models.DateField(_("deadline"), null=True, blank=True,
                                validators=[validate_deadline])
    headcount = models.PositiveSmallIntegerField(_("head-count"), default=1,
                                                 validators=[MinValueValidator(1)])
    preferred_institutions = models.ManyToManyField(
        Institution, blank=True, related_name="preferred_by", verbose_name=_("preferred institutions"))
    preferred_disciplines = models.JSONField(_("preferred disciplines"), default=list, blank=True,
                                             decoder=BoundedJSONDecoder)
    ip_terms = models.TextField(_("IP terms"), blank=True)
    confidentiality = models.CharField(_("confidentiality"), max_length=10,
                                       choices=Confidentiality.choices,
                                       default=Confidentiality.PUBLIC)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ChallengeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        permissions = [
            ("review_challenge", "Can publish or reject needs under review"),
        ]
        ordering = ["-created_at"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            FieldCheck(condition=Q(reward__gte=0), name="challenge_reward_not_negative",
                       field="reward", violation_error_message=_("Enter 0 or more.")),
            FieldCheck(condition=Q(headcount__gte=1), name="challenge_headcount_positive",
                       field="headcount", violation_error_message=_("Enter 1 or more.")),
        ]
        indexes = [
            # The public list: published needs, newest first.
            models.Index(fields=["status", "-published_at"], name="challenge_status_published"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_withdrawable(self) -> bool:
        return self.status in self.WITHDRAWABLE

    @property
    def is_open(self) -> bool:
        """Published: researchers may read it in full (by its confidentiality) and apply."""
        return self.status == self.Status.PUBLISHED

    @property
    def takes_decisions(self) -> bool:
        return self.status in self.DECIDING


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        """Awaiting the company's decision."""
        return self.filter(status__in=Application.OPEN)


class Application(models.Model):
    """揭榜: a researcher's bid on a challenge."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SHORTLISTED = "shortlisted", _("shortlisted")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")
        # Closed without a decision on it: the need was withdrawn or expired, or
        # its places were filled by others (close_reason says which).
        CLOSED = "closed", _("closed")

    class CloseReason(models.TextChoices):
        NEED_WITHDRAWN = "need_withdrawn", _("the company withdrew the need")
        NEED_EXPIRED = "need_expired", _("the need expired")
        NOT_SELECTED = "not_selected", _("not selected: the places are filled")

    OPEN = frozenset({Status.SUBMITTED, Status.SHORTLISTED})

    challenge = models.ForeignKey(Challenge, models.CASCADE, related_name="applications",
                                  verbose_name=_("challenge"))
    researcher = models.ForeignKey(ResearcherProfile, models.CASCADE, related_name="applications",
                                   verbose_name=_("researcher"))
    proposal = models.TextField(pgettext_lazy("application", "proposal"))
    team = models.TextField(_("team members"), blank=True)
    budget = models.DecimalField(_("proposed budget (10,000 yuan)"), max_digits=12,
                                 decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    timeline = models.TextField(_("timeline"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    decision_message = models.TextField(_("message from the company"), blank=True)
    close_reason = models.CharField(_("why it was closed"), max_length=20,
                                    choices=CloseReason.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "researcher"],
                                    name="application_one_per_researcher"),
            FieldCheck(condition=Q(budget__isnull=True) | Q(budget__gte=0),
                       name="application_budget_not_negative", field="budget",
                       violation_error_message=_("Enter 0 or more.")),
        ]

    def __str__(self):
        return f"{self.researcher} → {self.challenge}"

    @property
    def is_open(self) -> bool:
        """Awaiting a decision: the applicant may withdraw it, the company decide."""
        return self.status in self.OPEN

    @property
    def company_reason(self) -> str:
        """What the company said when it withdrew the need this application closed with."""
        if self.close_reason == self.CloseReason.NEED_WITHDRAWN:
            return self.challenge.withdraw_reason
        return ""

    @property
    def may_shortlist(self) -> bool:
        return self.status == self.Status.SUBMITTED
