"""Match scores, the engine's cached features and full rebuilds."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import ResearcherProfile

from .challenges import Challenge


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
        CANCELLED = "cancelled", _("cancelled")

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
    # A rebuild spread over workers scores its needs in chunks (see
    # services/scoring/chunks.py); 0 for one scored in a single task.
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks scored"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Written by the worker while it runs the job; a silent run is taken over
    # (matching/services/runs.py).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # Staff starting and retrying a rebuild, and how each attempt ended, are on
    # record; the worker's progress counters (written every few hundred needs
    # with a conditional UPDATE) are not history.
    history = HistoricalRecords(excluded_fields=[
        "worker", "heartbeat_at", "needs_done", "needs_total", "researchers", "scores_written",
        "attempts", "started_at", "chunks_total", "chunks_done"])

    class Meta:
        permissions = [
            ("rebuild_matches", "Can start and retry match rebuilds"),
        ]
        ordering = ["-created_at"]
        verbose_name = _("match rebuild")
        verbose_name_plural = _("match rebuilds")

    def __str__(self):
        return f"{self.engine_version} #{self.pk} ({self.get_status_display()})"

    @property
    def progress(self) -> int:
        """Percent done."""
        return int(100 * self.needs_done / self.needs_total) if self.needs_total else 0


class SemanticSpace(models.Model):
    """The engine's semantic space (an LSA of the corpus), trained once per engine
    version and read by every job, so that every score of a version is computed
    in the same space (see matching/engine/semantic.py)."""

    engine_version = models.CharField(_("engine version"), max_length=20, unique=True)
    documents = models.PositiveIntegerField(_("documents trained on"), default=0)
    data = models.BinaryField(_("space"))
    trained_at = models.DateTimeField(_("trained at"), default=timezone.now)

    class Meta:
        verbose_name = _("semantic space")
        verbose_name_plural = _("semantic spaces")

    def __str__(self):
        return f"{self.engine_version} ({self.documents})"
