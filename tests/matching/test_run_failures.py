"""A rebuild or solver run never stays "running" for ever: a transient error is
retried by its task, and the task's final failure is recorded on the run.

Tasks run in-process here, where Celery raises `Retry` instead of re-queuing;
the last attempt is run as the worker's would be (`retries=max_retries`).
"""

import pytest
from celery.exceptions import Retry
from django.db import OperationalError

from matching import tasks
from matching.models import CohortRun, MatchRun
from matching.services import cohorts, scoring
from tests.factories import CohortFactory


@pytest.fixture
def flaky(monkeypatch):
    """Make a service fail with a transient database error."""

    def patch(module, name):
        def fail(*args, **kwargs):
            raise OperationalError("server closed the connection unexpectedly")
        monkeypatch.setattr(module, name, fail)
    return patch


def test_the_nightly_rebuild_is_retried_and_its_final_failure_recorded(
        db, flaky, django_capture_on_commit_callbacks):
    flaky(scoring, "match_chunks_prepare")
    # The nightly job queues the rebuild task: its retry policy applies.
    with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
        tasks.match_rebuild_nightly.delay()
    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.RUNNING  # to be tried again
    with pytest.raises(OperationalError):
        tasks.match_rebuild.apply([run.pk], retries=tasks.match_rebuild.max_retries)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert "server closed the connection" in run.error
    assert run.history.first().status == MatchRun.Status.FAILED


def test_a_replayed_nightly_tick_starts_no_second_rebuild(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        tasks.match_rebuild_nightly.delay()
        tasks.match_rebuild_nightly.delay()
    assert (MatchRun.objects.count(), len(queued)) == (1, 1)


def test_a_solver_run_that_keeps_failing_is_marked_failed(db, sam, flaky):
    flaky(cohorts, "cohort_instance")
    run = CohortRun.objects.create(cohort=CohortFactory(), created_by=sam)
    with pytest.raises(Retry):
        tasks.cohort_solve.apply([run.pk])
    run.refresh_from_db()
    assert run.status == CohortRun.Status.RUNNING
    with pytest.raises(OperationalError):
        tasks.cohort_solve.apply([run.pk], retries=tasks.cohort_solve.max_retries)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (CohortRun.Status.FAILED, 2)
    assert "server closed the connection" in run.error
