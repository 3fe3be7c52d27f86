"""Celery tasks: each takes ids, re-fetches, and calls one service.

Tasks are acknowledged late (settings), so a task whose worker dies is run
again; every service called here is replay-safe.
"""

import traceback

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from accounts.models import ResearcherProfile

from . import engine
from .models import Challenge, CohortRun, MatchRun
from .services import challenges, notifications, outbox, runs
from .services import scoring as scoring_services

TRANSIENT = (OperationalError, ConnectionError)


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


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def match_rebuild(run_id: int) -> None:
    run = scoring_services.match_run_claim(run_id=run_id)
    if run is None:  # completed already, or unknown: nothing to do
        return
    try:
        with runs.heartbeat(MatchRun, run_id):
            scoring_services.match_rebuild(run=run)
    except TRANSIENT:
        raise
    except Exception:
        # Staff see the error on the run and can retry it from the admin.
        scoring_services.match_run_fail(run_id=run_id, error=traceback.format_exc())
        raise


@shared_task
def match_rebuild_nightly() -> None:
    key = f"nightly-{timezone.localdate().isoformat()}"
    run, _created = MatchRun.objects.get_or_create(
        key=key, defaults={"engine_version": engine.ENGINE_VERSION})
    match_rebuild(run.pk)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def cohort_solve(run_id: int) -> None:
    from .services import cohorts

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
