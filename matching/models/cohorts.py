"""博士入企 cohorts (期) and the solver's inputs and runs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import ResearcherProfile
from accounts.validators import validate_cohort_year, validate_period_date
from config.constraints import FieldCheck

from .common import validate_period


class Cohort(models.Model):
    """期: one batch of the PhD programme, e.g. 第六期."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_cohort_year])
    starts_on = models.DateField(_("starts on"), validators=[validate_period_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_period_date])
    # How staff run the assignment of this cohort.
    allow_two_companies = models.BooleanField(
        _("a researcher may serve two companies"), default=False)
    preferences_open_until = models.DateField(
        _("preferences open until"), null=True, blank=True, validators=[validate_period_date],
        help_text=_("Researchers rank needs and companies mark researchers until this day."))
    min_score = models.FloatField(_("minimum match score"), default=0.05,
                                  help_text=_("Pairs scoring lower are never assigned."))
    fairness = models.FloatField(
        _("guaranteed match quality"), null=True, blank=True,
        help_text=_("If set, every company first gets its minimum head-count from researchers "
                    "scoring at least this much, where possible; then the total is maximised."))
    institution_quota = models.PositiveIntegerField(
        _("researchers per institution at most"), null=True, blank=True)
    cluster_quota = models.PositiveIntegerField(
        _("placements per industry cluster at most"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("run_cohort", "Can run the cohort solver and decide on pairs"),
            ("deploy_cohort", "Can deploy and undeploy a cohort's proposal"),
        ]
        ordering = ["-number"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            FieldCheck(condition=Q(ends_on__gt=F("starts_on")),
                       name="cohort_ends_after_start", field="ends_on",
                       violation_error_message=_("The end must be after the start.")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        validate_period(self.starts_on, self.ends_on)

    @property
    def is_over(self) -> bool:
        """Its service period has ended: nothing can be run or deployed for it."""
        return self.ends_on < timezone.localdate()

    def eligible_needs(self):
        """The cohort's needs the solver may assign: those whose need is one of the
        cohort's own published PhD needs (Challenge.objects.for_cohort)."""
        from .challenges import Challenge

        return self.needs.filter(challenge__in=Challenge.objects.for_cohort(self))


class CohortNeed(models.Model):
    """A need taking part in a cohort, with how many researchers it takes."""

    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="needs",
                               verbose_name=_("cohort"))
    challenge = models.ForeignKey("matching.Challenge", models.CASCADE,
                                  related_name="cohort_entries",
                                  verbose_name=_("challenge"))
    min_researchers = models.PositiveSmallIntegerField(_("at least"), default=1)
    max_researchers = models.PositiveSmallIntegerField(_("at most"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cohort need")
        verbose_name_plural = _("cohort needs")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "challenge"], name="cohortneed_once"),
            FieldCheck(condition=Q(min_researchers__gte=1)
                       & Q(max_researchers__gte=F("min_researchers")),
                       name="cohortneed_headcount_range", field="max_researchers",
                       violation_error_message=_("At least 1 researcher, and the maximum "
                                                 "no smaller than the minimum.")),
        ]

    def __str__(self):
        return f"{self.challenge} ({self.min_researchers}–{self.max_researchers})"


class CohortResearcher(models.Model):
    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="researchers",
                               verbose_name=_("cohort"))
    researcher = models.ForeignKey(ResearcherProfile, models.CASCADE,
                                   related_name="cohort_entries", verbose_name=_("researcher"))
    capacity = models.PositiveSmallIntegerField(_("companies at most"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cohort researcher")
        verbose_name_plural = _("cohort researchers")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "researcher"], name="cohortresearcher_once"),
            FieldCheck(condition=Q(capacity__gte=1) & Q(capacity__lte=2),
                       name="cohortresearcher_capacity_1_or_2", field="capacity",
                       violation_error_message=_("Enter 1 or 2.")),
        ]

    def __str__(self):
        return str(self.researcher)


class CohortPreference(models.Model):
    """A researcher's ranking of a cohort need (1 = first choice, at most 5)."""

    entry = models.ForeignKey(CohortResearcher, models.CASCADE, related_name="preferences",
                              verbose_name=_("researcher"))
    need = models.ForeignKey(CohortNeed, models.CASCADE, related_name="preferred_by",
                             verbose_name=_("need"))
    rank = models.PositiveSmallIntegerField(_("rank"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "rank"]
        verbose_name = _("researcher preference")
        verbose_name_plural = _("researcher preferences")
        constraints = [
            models.UniqueConstraint(fields=["entry", "rank"], name="preference_rank_once"),
            models.UniqueConstraint(fields=["entry", "need"], name="preference_need_once"),
            FieldCheck(condition=Q(rank__gte=1) & Q(rank__lte=5),
                       name="preference_rank_1_to_5", field="rank",
                       violation_error_message=_("Enter a number from 1 to 5.")),
        ]

    def __str__(self):
        return f"{self.entry} #{self.rank}: {self.need}"


class CohortMark(models.Model):
    """A company's mark on a researcher for one of its cohort needs."""

    need = models.ForeignKey(CohortNeed, models.CASCADE, related_name="marks",
                             verbose_name=_("need"))
    researcher = models.ForeignKey(CohortResearcher, models.CASCADE, related_name="marks",
                                   verbose_name=_("researcher"))
    wanted = models.BooleanField(_("wanted"), help_text=_("Unticked: the company does not want "
                                                          "this researcher."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("company mark")
        verbose_name_plural = _("company marks")
        constraints = [
            models.UniqueConstraint(fields=["need", "researcher"], name="mark_once"),
        ]

    def __str__(self):
        return f"{self.need} · {self.researcher}: {'+' if self.wanted else '−'}"


class CohortPair(models.Model):
    """A pair staff decided on: forced into the assignment, excluded, or a conflict."""

    class Kind(models.TextChoices):
        FORCED = "forced", _("forced")
        EXCLUDED = "excluded", _("excluded")
        CONFLICT = "conflict", _("conflict of interest")

    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="pairs",
                               verbose_name=_("cohort"))
    researcher = models.ForeignKey(CohortResearcher, models.CASCADE, related_name="pairs",
                                   verbose_name=_("researcher"))
    need = models.ForeignKey(CohortNeed, models.CASCADE, related_name="pairs",
                             verbose_name=_("need"))
    kind = models.CharField(_("decision"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff decision on a pair")
        verbose_name_plural = _("staff decisions on pairs")
        constraints = [
            models.UniqueConstraint(fields=["researcher", "need"], name="cohortpair_once"),
        ]

    def __str__(self):
        return f"{self.researcher} · {self.need}: {self.get_kind_display()}"


class CohortRun(models.Model):
    """One run of the solver for a cohort: its proposal, and whether it is deployed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    class Step(models.TextChoices):
        """Where a running job is; stored as a code, shown in the reader's language."""

        SCORING = "scoring", _("scoring the pairs")
        SOLVING = "solving", _("solving")
        DONE = "done", _("done")

    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="runs",
                               verbose_name=_("cohort"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    step = models.CharField(_("progress"), max_length=20, choices=Step.choices, blank=True)
    result = models.JSONField(pgettext_lazy("cohort run", "proposal"), default=dict,
                              blank=True)
    total_affinity = models.FloatField(_("total affinity"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Which worker process holds the run and when it last said so; a silent run
    # is taken over (matching/services/runs.py).
    worker = models.CharField(_("worker"), max_length=100, blank=True,
                              help_text=_("Host and process that ran the last attempt."))
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("started by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    deployed_at = models.DateTimeField(_("deployed at"), null=True, blank=True)
    deployed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("deployed by"))

    # What staff did (start, cancel, retry, deploy, undeploy) and what the job
    # concluded (completed, failed) is on record; the job's progress step, its
    # attempts and the proposal itself (large, written once) are not.
    history = HistoricalRecords(excluded_fields=["step", "attempts", "result", "worker",
                                                 "heartbeat_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cohort solver run")
        verbose_name_plural = _("cohort solver runs")
        constraints = [
            # One deployed proposal per cohort at a time.
            models.UniqueConstraint(fields=["cohort"], condition=Q(deployed_at__isnull=False),
                                    name="cohortrun_one_deployed"),
        ]

    def __str__(self):
        return f"{self.cohort} #{self.pk} ({self.get_status_display()})"
