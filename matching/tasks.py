"""Celery tasks: each takes ids, re-fetches, and calls one service.

Tasks are acknowledged late (settings), so a task whose worker dies is run
again; every service called here is replay-safe.
"""

import traceback

from celery import Task, group, shared_task
from celery.exceptions import Retry
from django.conf import settings
from django.db import OperationalError

from accounts.models import ResearcherProfile

from .models import Challenge, CohortRun, MatchRun
from .services import challenges, cohorts, notifications, outbox, runs
from .services import scoring as scoring_services

TRANSIENT = (OperationalError, ConnectionError)


def _failure_recorded(fail):
    """A task class for a job on a run (a rebuild, a solver run): when the task
    fails for good (an error not worth retrying, or a transient one that
    outlasted its retries) `fail` records it on the run, which staff then see
    as failed and may retry, instead of a run left "running" for ever."""

    class RunTask(Task):
        def __call__(self, *args, **kwargs):
            # Around the autoretry wrapper: a Retry is not the end; anything else
            # is. (Here rather than in on_failure, which tasks run in-process
            # with eager propagation never reach.)
            try:
                return super().__call__(*args, **kwargs)
            except Retry:
                raise
            except Exception:
                fail(run_id=args[0], error=traceback.format_exc())
                raise

    return RunTask


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def notify(event: str, object_id: int) -> None:
    notifications.notification_dispatch(event=event, object_id=object_id)


@shared_task
def challenges_expire_overdue() -> None:
    challenges.challenges_expire_overdue()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def challenge_rescore(challenge_id: int) -> None:
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is not None:
        scoring_services.challenge_match(challenge=challenge)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def researcher_rescore(researcher_id: int) -> None:
    researcher = ResearcherProfile.objects.filter(pk=researcher_id).first()
    if researcher is not None:
        scoring_services.researcher_match(researcher=researcher)


@shared_task(base=_failure_recorded(scoring_services.match_run_fail), autoretry_for=TRANSIENT,
             retry_backoff=True, max_retries=3)
def match_rebuild(run_id: int) -> None:
    run = scoring_services.match_run_claim(run_id=run_id)
    if run is None:  # completed already, or unknown: nothing to do
        return
    with runs.heartbeat(MatchRun, run_id):
        if settings.MATCH_REBUILD_CHUNK_NEEDS > 0:  # spread over workers (chunks.py)
            scoring_services.match_chunks_prepare(run=run)
        else:
            scoring_services.match_rebuild(run=run)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def match_rebuild_chunks(run_id: int, attempt: int) -> None:
    """Queue a prepared rebuild's chunks, as a group for whichever workers are free."""
    total = scoring_services.match_chunks_queued(run_id=run_id, attempt=attempt)
    if total:
        group(match_rebuild_chunk.si(run_id, attempt, chunk) for chunk in range(total)
              ).apply_async()


# Any error is retried: a chunk is computation over a stored file, so a failure is
# most likely its machine's (memory, a shared mount); after the last retry the run
# is recorded as failed, and its other chunks stop at their next batch.
@shared_task(base=_failure_recorded(scoring_services.match_run_fail), autoretry_for=(Exception,),
             retry_backoff=True, max_retries=3)
def match_rebuild_chunk(run_id: int, attempt: int, chunk: int) -> None:
    with runs.heartbeat(MatchRun, run_id, attempts=attempt):
        scoring_services.match_chunk_score(run_id=run_id, attempt=attempt, chunk=chunk)


@shared_task(base=_failure_recorded(scoring_services.match_run_fail), autoretry_for=TRANSIENT,
             retry_backoff=True, max_retries=3)
def match_rebuild_finish(run_id: int, attempt: int) -> None:
    with runs.heartbeat(MatchRun, run_id, attempts=attempt):
        scoring_services.match_chunks_finish(run_id=run_id, attempt=attempt)


@shared_task
def match_rebuild_nightly() -> None:
    # The rebuild is a task of its own, so that its retries and its recorded
    # failure apply (called inline here, neither would).
    scoring_services.match_run_nightly()


@shared_task(base=_failure_recorded(cohorts.cohort_run_fail), autoretry_for=TRANSIENT,
             retry_backoff=True, max_retries=3)
def cohort_solve(run_id: int) -> None:
    with runs.heartbeat(CohortRun, run_id):
        cohorts.cohort_solve(run_id=run_id)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def stats_snapshot() -> None:
    from .services import housekeeping

    housekeeping.stats_snapshot_take()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def reminders() -> None:
    from .services import housekeeping

    housekeeping.reminders_send()


# Beat, every RECOVERY_SECONDS: what a broker outage or a killed worker left behind.

@shared_task
def outbox_relay() -> None:
    outbox.outbox_relay()


@shared_task
def runs_recover() -> None:
    runs.runs_recover()


# After the approval (issue 16): each replay-safe (a unique row per notice or evaluation).

@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def service_notices() -> None:
    from .services import service_records

    service_records.service_notices_send()


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def evaluations_open() -> None:
    from .services import evaluations

    evaluations.evaluations_open_due()


@shared_task
def retention_sweep() -> None:
    """Unused accounts: flag, then anonymise (issue 15). Replay-safe by itself."""
    from .services.privacy import retention_sweep as sweep

    sweep()
