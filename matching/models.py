from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Company, Institution, LeadingIndustry, ResearcherProfile


class Programme(models.TextChoices):
    BOUNTY = "bounty", _("open bounty (揭榜挂帅)")
    TECH_VP = "tech_vp", _("technology vice-president (科技副总)")
    PHD = "phd", _("PhDs into enterprises (博士入企)")


def validate_period(starts_on, ends_on) -> None:
    """Name the field in the error; the database constraint backs it up."""
    if starts_on and ends_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The end date must be after the start date.")},
                              code="ends_before_start")


class Cohort(models.Model):
    """期: one batch of the PhD programme, e.g. 第六期."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # How staff run the assignment of this cohort.
    allow_two_companies = models.BooleanField(
        _("a researcher may serve two companies"), default=False)
    preferences_open_until = models.DateField(
        _("preferences open until"), null=True, blank=True,
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

    class Meta:
        ordering = ["-number"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")),
                                   name="cohort_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        validate_period(self.starts_on, self.ends_on)


class ChallengeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Challenge.Status.PUBLISHED)

    def for_company(self, company):
        return self.filter(company=company)


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
    required_expertise = models.JSONField(_("required expertise"), default=list, blank=True)
    industry = models.ForeignKey(LeadingIndustry, models.PROTECT, null=True, blank=True,
                                 related_name="challenges", verbose_name=_("industry"))
    reward = models.DecimalField(_("reward (10,000 yuan)"), max_digits=12, decimal_places=2,
                                 default=0, validators=[MinValueValidator(0)])
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    headcount = models.PositiveSmallIntegerField(_("head-count"), default=1,
                                                 validators=[MinValueValidator(1)])
    preferred_institutions = models.ManyToManyField(
        Institution, blank=True, related_name="preferred_by", verbose_name=_("preferred institutions"))
    preferred_disciplines = models.JSONField(_("preferred disciplines"), default=list, blank=True)
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
        ordering = ["-created_at"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(condition=Q(reward__gte=0), name="challenge_reward_not_negative"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="challenge_headcount_positive"),
        ]
        indexes = [
            # The public list: published needs, newest first.
            models.Index(fields=["status", "-published_at"], name="challenge_status_published"),
        ]

    def __str__(self):
        return self.title


class Application(models.Model):
    """揭榜: a researcher's bid on a challenge."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SHORTLISTED = "shortlisted", _("shortlisted")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    challenge = models.ForeignKey(Challenge, models.CASCADE, related_name="applications",
                                  verbose_name=_("challenge"))
    researcher = models.ForeignKey(ResearcherProfile, models.CASCADE, related_name="applications",
                                   verbose_name=_("researcher"))
    proposal = models.TextField(_("proposal"))
    team = models.TextField(_("team members"), blank=True)
    budget = models.DecimalField(_("proposed budget (10,000 yuan)"), max_digits=12,
                                 decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    timeline = models.TextField(_("timeline"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    decision_message = models.TextField(_("message from the company"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "researcher"],
                                    name="application_one_per_researcher"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0),
                                   name="application_budget_not_negative"),
        ]

    def __str__(self):
        return f"{self.researcher} → {self.challenge}"


class PlacementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Placement.Status.ACTIVE)


class Placement(models.Model):
    """入企服务 / 聘任: an approved engagement of a researcher with a company."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending approval")
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        TERMINATED = "terminated", _("terminated")
        REJECTED = "rejected", _("rejected")

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
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")),
                                   name="placement_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.researcher} @ {self.company}"

    def clean(self):
        validate_period(self.starts_on, self.ends_on)


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
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    class PatentStatus(models.TextChoices):
        FILED = "filed", _("filed")
        GRANTED = "granted", _("granted")

    placement = models.ForeignKey(Placement, models.PROTECT, related_name="outcomes",
                                  verbose_name=_("placement"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    identifier = models.CharField(
        _("identifier"), max_length=100, blank=True,
        help_text=_("Patent application number, contract number or project number."))
    patent_status = models.CharField(_("patent status"), max_length=10,
                                     choices=PatentStatus.choices, blank=True)
    funding_programme = models.CharField(_("funding programme"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (10,000 yuan)"), max_digits=12, decimal_places=2,
                                 null=True, blank=True, validators=[MinValueValidator(0)])
    achieved_on = models.DateField(_("date"))
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.REPORTED, db_index=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("reported by"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-achieved_on", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="outcome_amount_not_negative"),
            # The same patent or contract number is counted once: a second report
            # of it is refused unless the first was rejected.
            models.UniqueConstraint(fields=["kind", "identifier"],
                                    condition=~Q(identifier="") & ~Q(status="rejected"),
                                    name="outcome_identifier_counted_once"),
        ]

    def __str__(self):
        return self.title


class MatchScore(models.Model):
    """How well a researcher fits a challenge, as computed by one engine version."""

    challenge = models.ForeignKey(Challenge, models.CASCADE, related_name="match_scores",
                                  verbose_name=_("challenge"))
    researcher = models.ForeignKey(ResearcherProfile, models.CASCADE,
                                   related_name="match_scores", verbose_name=_("researcher"))
    score = models.FloatField(_("score"))
    components = models.JSONField(_("components"), default=dict)
    engine_version = models.CharField(_("engine version"), max_length=20)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("match score")
        verbose_name_plural = _("match scores")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "researcher", "engine_version"],
                                    name="matchscore_unique_per_version"),
        ]
        # A company's ranked list (one challenge's few hundred rows) is found through
        # the unique constraint's index; a second index on challenge would slow the
        # nightly write of half a million rows for no gain.
        indexes = [
            # A researcher's recommendations: top scores of one researcher.
            models.Index(fields=["researcher", "engine_version", "-score"],
                         name="matchscore_researcher_rank"),
        ]

    def __str__(self):
        return f"{self.researcher} ~ {self.challenge}: {self.score:.3f}"


class Notification(models.Model):
    """An in-app message; the same event is also e-mailed by a task."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE,
                             related_name="notifications", verbose_name=_("user"))
    # Names the event (e.g. "challenge-rejected:42") so that a task replayed
    # after a worker crash does not notify the same person twice.
    event_key = models.CharField(_("event"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="notification_once_per_event"),
        ]

    def __str__(self):
        return self.subject


class DocumentFeatures(models.Model):
    """Cached token counts of one researcher or one challenge, for one engine version.

    Tokenising is most of a full rebuild's cost; a document whose text has not
    changed (same content hash) is not tokenised again.
    """

    class Kind(models.TextChoices):
        RESEARCHER = "researcher", _("researcher")
        CHALLENGE = "challenge", _("challenge")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object"))
    engine_version = models.CharField(_("engine version"), max_length=20)
    content_hash = models.CharField(_("content hash"), max_length=64)
    data = models.BinaryField(_("features"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document features")
        verbose_name_plural = _("document features")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "engine_version"],
                                    name="features_unique_per_version"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.engine_version})"


class MatchRun(models.Model):
    """One full rebuild of the match scores, with its progress for staff to watch."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        FAILED = "failed", _("failed")

    # Names a scheduled run ("nightly-2026-11-27") so that a beat tick replayed
    # after a crash resumes that run instead of starting a second one.
    key = models.CharField(_("key"), max_length=40, unique=True, null=True, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED, db_index=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True,
                              help_text=_("Host and process that ran the last attempt."))
    needs_done = models.PositiveIntegerField(_("needs scored"), default=0)
    needs_total = models.PositiveIntegerField(_("needs to score"), default=0)
    researchers = models.PositiveIntegerField(_("researchers"), default=0)
    scores_written = models.PositiveIntegerField(_("scores written"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("match rebuild")
        verbose_name_plural = _("match rebuilds")

    def __str__(self):
        return f"{self.engine_version} #{self.pk} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        """Percent done."""
        return int(100 * self.needs_done / self.needs_total) if self.needs_total else 0


class CohortNeed(models.Model):
    """A need taking part in a cohort, with how many researchers it takes."""

    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="needs",
                               verbose_name=_("cohort"))
    challenge = models.ForeignKey(Challenge, models.CASCADE, related_name="cohort_entries",
                                  verbose_name=_("challenge"))
    min_researchers = models.PositiveSmallIntegerField(_("at least"), default=1)
    max_researchers = models.PositiveSmallIntegerField(_("at most"), default=1)

    class Meta:
        verbose_name = _("cohort need")
        verbose_name_plural = _("cohort needs")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "challenge"], name="cohortneed_once"),
            models.CheckConstraint(condition=Q(min_researchers__gte=1)
                                   & Q(max_researchers__gte=F("min_researchers")),
                                   name="cohortneed_headcount_range"),
        ]

    def __str__(self):
        return f"{self.challenge} ({self.min_researchers}–{self.max_researchers})"


class CohortResearcher(models.Model):
    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="researchers",
                               verbose_name=_("cohort"))
    researcher = models.ForeignKey(ResearcherProfile, models.CASCADE,
                                   related_name="cohort_entries", verbose_name=_("researcher"))
    capacity = models.PositiveSmallIntegerField(_("companies at most"), default=1)

    class Meta:
        verbose_name = _("cohort researcher")
        verbose_name_plural = _("cohort researchers")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "researcher"], name="cohortresearcher_once"),
            models.CheckConstraint(condition=Q(capacity__gte=1) & Q(capacity__lte=2),
                                   name="cohortresearcher_capacity_1_or_2"),
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

    class Meta:
        ordering = ["entry", "rank"]
        verbose_name = _("researcher preference")
        verbose_name_plural = _("researcher preferences")
        constraints = [
            models.UniqueConstraint(fields=["entry", "rank"], name="preference_rank_once"),
            models.UniqueConstraint(fields=["entry", "need"], name="preference_need_once"),
            models.CheckConstraint(condition=Q(rank__gte=1) & Q(rank__lte=5),
                                   name="preference_rank_1_to_5"),
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

    cohort = models.ForeignKey(Cohort, models.CASCADE, related_name="runs",
                               verbose_name=_("cohort"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    step = models.CharField(_("progress"), max_length=100, blank=True)
    result = models.JSONField(_("proposal"), default=dict, blank=True)
    total_affinity = models.FloatField(_("total affinity"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("started by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    deployed_at = models.DateTimeField(_("deployed at"), null=True, blank=True)
    deployed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("deployed by"))

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


class StatsSnapshot(models.Model):
    """The district's headline figures on one day, stored nightly to chart trends."""

    day = models.DateField(_("day"), unique=True)
    figures = models.JSONField(_("figures"))
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self):
        return str(self.day)
