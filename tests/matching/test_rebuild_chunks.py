"""A full rebuild spread over workers in chunks of needs gives exactly the scores
of the single-task rebuild, keeps its progress, stops when cancelled, retries a
failed chunk and fails the run cleanly once the retries are spent.

Tasks run in process here (no broker): the chunks' group runs one chunk after
another; tests/integration/test_rebuild_chunks.py runs them on real workers.
"""

import json
from pathlib import Path

import pytest
from celery.exceptions import Retry
from django.contrib.auth.hashers import make_password

from accounts.models import Institution, ResearcherProfile, User, Work
from matching import tasks
from matching.models import Application, Challenge, MatchRun, MatchScore, OutboxTask
from matching.services import scoring
from matching.services.scoring import chunks
from tests.factories import CompanyFactory

PAPERS = Path(__file__).resolve().parents[2] / "matching" / "demo_data" / "csl-papers.jsonl"


def build_district(n_researchers=150, n_needs=110):
    """Researchers whose works are real papers, and needs from other papers: enough
    documents for a semantic space, and needs for three chunks of 48."""
    papers = [json.loads(line) for line in PAPERS.open(encoding="utf-8")][:1000]
    institution, _ = Institution.objects.get_or_create(name="浙江理工大学")
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"r{i}@zstu.edu.cn", password=password) for i in range(n_researchers))
    profiles = ResearcherProfile.objects.bulk_create(
        ResearcherProfile(user=u, institution=institution, title="lecturer",
                          keywords=papers[i % 1000]["keywords"]) for i, u in enumerate(users))
    Work.objects.bulk_create(
        Work(researcher=p, title=papers[(i * 7 + k) % 1000]["title"][:300],
             abstract=papers[(i * 7 + k) % 1000]["abstract"])
        for i, p in enumerate(profiles) for k in range(4))
    company = CompanyFactory()
    needs = Challenge.objects.bulk_create(
        Challenge(company=company, title=papers[j * 5 + 3]["title"][:200],
                  background=papers[j * 5 + 3]["abstract"][:200],
                  required_expertise=papers[j * 5 + 3]["keywords"], status="published")
        for j in range(n_needs))
    # An applicant is stored whatever their rank, in whichever chunk their need is.
    for k in (0, 60, 100):
        Application.objects.create(challenge=needs[k], researcher=profiles[k],
                                   proposal="方案")
    return profiles, needs


def stored():
    return sorted(MatchScore.objects.values_list("challenge_id", "researcher_id", "score",
                                                 "components"))


def rebuild(settings, chunk_needs: int, capture) -> MatchRun:
    settings.MATCH_REBUILD_CHUNK_NEEDS = chunk_needs
    run = MatchRun.objects.create(engine_version=scoring.VERSION)
    with capture(execute=True):
        tasks.match_rebuild.apply([run.pk])
    run.refresh_from_db()
    return run


@pytest.fixture
def district(db, settings, tmp_path):
    settings.MATCH_REBUILD_DIR = tmp_path / "rebuilds"
    return build_district()


def test_chunks_give_exactly_the_scores_of_the_single_task(
        district, settings, django_capture_on_commit_callbacks):
    single = rebuild(settings, 0, django_capture_on_commit_callbacks)
    assert (single.status, single.chunks_total) == ("completed", 0)
    expected = stored()
    assert len(expected) > 500  # the pairs above the relevance cut-off, both ways
    MatchScore.objects.all().delete()

    run = rebuild(settings, 48, django_capture_on_commit_callbacks)
    assert (run.status, run.chunks_total, run.chunks_done) == ("completed", 3, 3)
    assert (run.needs_done, run.needs_total, run.progress) == (110, 110, 100)
    assert run.scores_written == single.scores_written == len(expected)
    assert stored() == expected
    # Every applicant is scored, whichever chunk their need fell in.
    assert MatchScore.objects.filter(
        pk__in=[s.pk for a in Application.objects.all() for s in MatchScore.objects.filter(
            challenge=a.challenge, researcher=a.researcher)]).count() == 3
    # Nothing of the run is left on disk once it completed.
    assert not any(settings.MATCH_REBUILD_DIR.iterdir())


def prepared(settings, capture) -> tuple[MatchRun, list]:
    """A run prepared and its chunks' group not yet sent: (run, the pending sends)."""
    settings.MATCH_REBUILD_CHUNK_NEEDS = 48
    run = MatchRun.objects.create(engine_version=scoring.VERSION)
    with capture(execute=False) as pending:
        tasks.match_rebuild.apply([run.pk])
    run.refresh_from_db()
    assert (run.status, run.chunks_total, run.worker) == ("running", 3, "chunks")
    return run, pending


def test_a_cancelled_run_stops_its_chunks_and_writes_nothing(
        district, settings, sam, django_capture_on_commit_callbacks):
    run, pending = prepared(settings, django_capture_on_commit_callbacks)
    scoring.match_run_cancel(run=run, by=sam)
    with django_capture_on_commit_callbacks(execute=True):
        for send in pending:
            send()
    run.refresh_from_db()
    assert (run.status, run.chunks_done, run.history.first().history_user) == (
        "cancelled", 0, sam)
    assert not MatchScore.objects.exists()


def test_a_chunk_stops_between_batches_when_staff_cancel(
        district, settings, sam, monkeypatch, django_capture_on_commit_callbacks):
    run, _pending = prepared(settings, django_capture_on_commit_callbacks)
    score_all = chunks.match_all

    def cancelled_after_the_first_batch(*args, **kwargs):
        for k, item in enumerate(score_all(*args, **kwargs)):
            if k == 1:
                scoring.match_run_cancel(run=MatchRun.objects.get(pk=run.pk), by=sam)
            yield item
    monkeypatch.setattr(chunks, "match_all", cancelled_after_the_first_batch)
    assert scoring.match_chunk_score(run_id=run.pk, attempt=run.attempts, chunk=0) is False
    assert not list(chunks.run_directory(run.pk, run.attempts).glob("chunk-*"))


def test_a_failed_chunk_is_retried_and_the_run_fails_cleanly_after_the_last_retry(
        district, settings, monkeypatch, django_capture_on_commit_callbacks):
    run, _pending = prepared(settings, django_capture_on_commit_callbacks)

    def fail(*args, **kwargs):
        raise OSError("stale file handle")
    monkeypatch.setattr(chunks, "_score", fail)
    args = [run.pk, run.attempts, 1]
    with pytest.raises(Retry):
        tasks.match_rebuild_chunk.apply(args)
    run.refresh_from_db()
    assert run.status == "running"  # to be tried again
    with pytest.raises(OSError):
        tasks.match_rebuild_chunk.apply(args, retries=tasks.match_rebuild_chunk.max_retries)
    run.refresh_from_db()
    assert run.status == "failed" and "stale file handle" in run.error
    # The other chunks, delivered afterwards, do nothing; staff retry the whole run.
    monkeypatch.undo()
    assert scoring.match_chunk_score(run_id=run.pk, attempt=run.attempts, chunk=0) is False


def test_a_replayed_chunk_counts_once_and_the_finish_runs_once(
        district, settings, django_capture_on_commit_callbacks):
    run, _pending = prepared(settings, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        for chunk in (0, 0, 1):
            assert scoring.match_chunk_score(run_id=run.pk, attempt=run.attempts, chunk=chunk)
    run.refresh_from_db()
    assert (run.chunks_done, run.needs_done) == (2, 96)
    with django_capture_on_commit_callbacks(execute=False):
        scoring.match_chunk_score(run_id=run.pk, attempt=run.attempts, chunk=2)
        scoring.match_chunk_score(run_id=run.pk, attempt=run.attempts, chunk=2)
    assert list(OutboxTask.objects.filter(task="match_rebuild_finish").values_list(
        "args", flat=True)) == [[run.pk, run.attempts]]
    assert scoring.match_chunks_finish(run_id=run.pk, attempt=run.attempts)
    assert not scoring.match_chunks_finish(run_id=run.pk, attempt=run.attempts)
    run.refresh_from_db()
    assert run.status == "completed" and run.scores_written == MatchScore.objects.count() > 0


def test_chunks_of_an_attempt_taken_over_do_nothing(
        district, settings, django_capture_on_commit_callbacks):
    run, _pending = prepared(settings, django_capture_on_commit_callbacks)
    old = run.attempts
    # Recovery queued the run again and another worker claimed it.
    MatchRun.objects.filter(pk=run.pk).update(status="queued")
    assert scoring.match_run_claim(run_id=run.pk).attempts == old + 1
    assert scoring.match_chunk_score(run_id=run.pk, attempt=old, chunk=0) is False
    assert not scoring.match_chunks_finish(run_id=run.pk, attempt=old)
