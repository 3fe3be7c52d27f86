"""揭榜挂帅 selection by experts: the expert pool (评审专家库), panels, rubrics,
reviews, and the publicity (公示) of the result with its objections.

A bounty's applicants are scored by a panel of experts without conflicts of
interest, against the programme's rubric, each expert blind to the others; the
company sees the aggregated ranking and chooses; staff approve; the result is
published for a few working days, during which anyone signed in may object;
the agreement is signed only once the window has closed and every objection
is resolved.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Company, Institution
from config.constraints import FieldCheck
from config.parsers import BoundedJSONDecoder

from .challenges import Application, Challenge
from .common import Programme
from .placements import Placement


class ExpertQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Expert.Status.APPROVED)


class Expert(models.Model):
    """评审专家: a person in the district's expert pool."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending approval")
        APPROVED = "approved", _("approved")
        SUSPENDED = "suspended", _("suspended")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="expert",
                                verbose_name=_("user"))
    institution = models.ForeignKey(Institution, models.PROTECT, null=True, blank=True,
                                    related_name="experts", verbose_name=_("institution"))
    title = models.CharField(_("professional title"), max_length=60, blank=True)
    disciplines = models.JSONField(_("disciplines"), default=list, blank=True,
                                   decoder=BoundedJSONDecoder)
    keywords = models.JSONField(_("expertise keywords"), default=list, blank=True,
                                decoder=BoundedJSONDecoder)
    bio = models.TextField(_("biography"), blank=True)
    # Declared ties (employment, shares, consulting, family): the expert never
    # sits on a panel for these companies' needs.
    conflict_companies = models.ManyToManyField(
        Company, blank=True, related_name="+", verbose_name=_("companies the expert is tied to"))
    conflicts_declared = models.TextField(_("declared conflicts of interest"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    objects = ExpertQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[conflict_companies])

    class Meta:
        permissions = [
            ("manage_expert", "Can import, approve and suspend experts"),
            ("review_as_expert", "Can sit on panels and review as an expert"),
        ]
        ordering = ["-created_at"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return self.user.full_name or self.user.email


class Panel(models.Model):
    """A panel of experts for one decision on one need."""

    class Purpose(models.TextChoices):
        SELECTION = "selection", _("selection of the applicant")

    class Status(models.TextChoices):
        FORMING = "forming", _("forming: experts invited")
        REVIEWING = "reviewing", _("reviewing")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    # Still at work: counts against its experts' load.
    OPEN = frozenset({Status.FORMING, Status.REVIEWING})

    challenge = models.ForeignKey(Challenge, models.PROTECT, related_name="panels",
                                  verbose_name=_("challenge"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices,
                               default=Purpose.SELECTION)
    size = models.PositiveSmallIntegerField(_("number of experts"),
                                            validators=[MinValueValidator(1),
                                                        MaxValueValidator(15)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.FORMING, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("formed by"))
    created_at = models.DateTimeField(_("formed at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("form_panel", "Can form, change and close expert panels")]
        ordering = ["-created_at"]
        verbose_name = _("expert panel")
        verbose_name_plural = _("expert panels")
        constraints = [
            # One panel at work per need and purpose; a cancelled one may be replaced.
            models.UniqueConstraint(fields=["challenge", "purpose"],
                                    condition=Q(status__in=["forming", "reviewing"]),
                                    name="panel_one_open_per_purpose"),
            FieldCheck(condition=Q(size__gte=1), name="panel_size_positive", field="size",
                       violation_error_message=_("Enter 1 or more.")),
        ]

    def __str__(self):
        return f"{self.challenge} · {self.get_purpose_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class PanelMember(models.Model):
    """An expert invited to a panel, who accepts or declines."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invited")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        REMOVED = "removed", _("replaced by staff")

    # Holding (or offered) a seat.
    SEATED = frozenset({Status.INVITED, Status.ACCEPTED})

    panel = models.ForeignKey(Panel, models.CASCADE, related_name="members",
                              verbose_name=_("panel"))
    expert = models.ForeignKey(Expert, models.PROTECT, related_name="memberships",
                               verbose_name=_("expert"))
    # The engine's expertise similarity to the need when proposed (0–1).
    affinity = models.DecimalField(_("expertise similarity"), max_digits=6, decimal_places=4,
                                   default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.INVITED, db_index=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["panel", "-affinity", "pk"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [
            # An expert who declined or was replaced is not invited to that panel again.
            models.UniqueConstraint(fields=["panel", "expert"], name="panel_member_once"),
        ]

    def __str__(self):
        return f"{self.expert} · {self.panel}"


class Rubric(models.Model):
    """评分标准: how a programme's applicants are scored; reference data staff keep."""

    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices,
                                 unique=True)
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return self.name


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, models.CASCADE, related_name="criteria",
                               verbose_name=_("rubric"))
    name = models.CharField(_("criterion"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10,
                                                 validators=[MinValueValidator(1),
                                                             MaxValueValidator(1000)])
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["rubric", "sort_order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            FieldCheck(condition=Q(weight__gt=0), name="criterion_weight_positive",
                       field="weight", violation_error_message=_("Enter more than 0.")),
            FieldCheck(condition=Q(max_score__gte=1), name="criterion_scale_positive",
                       field="max_score", violation_error_message=_("Enter 1 or more.")),
            models.UniqueConstraint(fields=["rubric", "name"], name="criterion_name_once"),
        ]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One expert's scores of one applicant, given without seeing the others'."""

    member = models.ForeignKey(PanelMember, models.PROTECT, related_name="reviews",
                               verbose_name=_("panel member"))
    application = models.ForeignKey(Application, models.PROTECT, related_name="reviews",
                                    verbose_name=_("application"))
    # The weighted mean of the criteria on a 0–100 scale (matching/aggregation.py).
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "application"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="review_once"),
            FieldCheck(condition=Q(total__gte=0) & Q(total__lte=100),
                       name="review_total_in_range", field="total",
                       violation_error_message=_("Enter a total from 0 to 100.")),
        ]

    def __str__(self):
        return f"{self.member.expert} → {self.application}"


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, models.CASCADE, related_name="scores",
                               verbose_name=_("review"))
    criterion = models.ForeignKey(RubricCriterion, models.PROTECT, related_name="+",
                                  verbose_name=_("criterion"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2,
                                validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_once"),
            FieldCheck(condition=Q(score__gte=0), name="review_score_not_negative",
                       field="score", violation_error_message=_("Enter 0 or more.")),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Publicity(models.Model):
    """公示: a selection result on the public site for a window of working days."""

    placement = models.OneToOneField(Placement, models.PROTECT, related_name="publicity",
                                     verbose_name=_("placement"))
    summary = models.TextField(_("published result"))
    opens_on = models.DateField(_("published on"))
    # The last day on which objections are taken.
    closes_on = models.DateField(_("objections until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("published by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [("publish_result", "Can publish selection results and resolve "
                                          "objections")]
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("publicity")
        verbose_name_plural = _("publicities")
        constraints = [
            FieldCheck(condition=Q(closes_on__gte=models.F("opens_on")),
                       name="publicity_closes_after_opening", field="closes_on",
                       violation_error_message=_("Enter a closing date on or after the opening.")),
        ]

    def __str__(self):
        return str(self.placement)

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Objection(models.Model):
    """异议: someone's objection to a published result, which staff resolve."""

    class Status(models.TextChoices):
        LODGED = "lodged", _("lodged")
        UPHELD = "upheld", _("upheld")
        DISMISSED = "dismissed", _("dismissed")

    publicity = models.ForeignKey(Publicity, models.PROTECT, related_name="objections",
                                  verbose_name=_("publicity"))
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                  verbose_name=_("lodged by"))
    reasons = models.TextField(_("reasons"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.LODGED, db_index=True)
    review_note = models.TextField(_("resolution"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("resolved by"))
    reviewed_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("lodged at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.publicity} · {self.get_status_display()}"
