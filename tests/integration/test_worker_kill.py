"""A worker killed in the middle of a full rebuild loses nothing.

The rebuild is enqueued to a real worker (prefork, one child) over Redis; once
the child is working on it, it is killed with SIGKILL. Celery acknowledges late
and rejects on worker loss, so the message goes back to the queue, a new child
runs the job again, and the stored scores equal those of an uninterrupted run.
Killing the worker's main process instead is recovered by the run's heartbeat
and beat's recovery job.
"""

import json
import os
import signal
import time
from pathlib import Path

from django.contrib.auth.hashers import make_password

from accounts.models import Institution, ResearcherProfile, User, Work
from matching import engine
from matching.models import Challenge, DocumentFeatures, MatchRun, MatchScore
from matching.services import scoring
from matching.tasks import match_rebuild
from tests.factories import CompanyFactory

from .conftest import deployment_env, wait_for, worker_process

PAPERS = Path(__file__).resolve().parents[2] / "matching" / "demo_data" / "csl-papers.jsonl"


def build_district(n_researchers=2500, n_needs=150):
    """Researchers whose works are real papers; big enough that a rebuild without
    cached features takes seconds, so it can be interrupted."""
    papers = [json.loads(line) for line in PAPERS.open(encoding="utf-8")]
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
        for i, p in enumerate(profiles) for k in range(8))
    company = CompanyFactory()
    Challenge.objects.bulk_create(
        Challenge(company=company, title=papers[j * 5]["title"][:200],
                  background=papers[j * 5]["abstract"][:200],
                  required_expertise=papers[j * 5]["keywords"], status="published")
        for j in range(n_needs))


def stored():
    return sorted((c, r, round(s, 6)) for c, r, s in
                  MatchScore.objects.values_list("challenge_id", "researcher_id", "score"))


def test_a_rebuild_survives_its_worker_being_killed(real_services, celery_worker_process):
    build_district()
    reference = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    scoring.match_run_claim(run_id=reference.pk)
    scoring.match_rebuild(run=reference)
    expected = stored()
    assert len(expected) > 3_000  # the pairs above the relevance cut-off
    MatchScore.objects.all().delete()
    DocumentFeatures.objects.all().delete()  # so the worker's run must tokenise again

    run = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    match_rebuild.delay(run.pk)

    def running():
        """the run to be taken by a worker child"""
        return MatchRun.objects.filter(pk=run.pk, status="running").exclude(worker="").first()

    first = wait_for(running, interval=0.05)
    time.sleep(0.5)
    first.refresh_from_db()
    assert first.status == "running", "the job finished before it could be killed"
    os.kill(int(first.worker.rsplit(":", 1)[1]), signal.SIGKILL)

    def completed():
        """the run to complete after the kill"""
        return MatchRun.objects.filter(pk=run.pk, status="completed").first()

    done = wait_for(completed, timeout=180)
    assert done.attempts >= 2
    assert done.worker != first.worker
    assert stored() == expected
    assert celery_worker_process.poll() is None  # the worker itself lived on


def test_a_rebuild_survives_its_worker_main_process_being_killed(real_services, tmp_path, sam):
    """SIGKILL of the main process takes its children with it and leaves the
    message unacknowledged (for the visibility timeout); beat's recovery job on
    the next worker sees the run's holder gone and queues it again: it
    completes with no staff action."""
    build_district(n_researchers=1200, n_needs=80)
    env = deployment_env(broker=os.environ["CELERY_BROKER_URL"],
                         cache=os.environ.get("REDIS_URL", ""), RUN_STALE_SECONDS=3,
                         RECOVERY_SECONDS=1)
    with worker_process(tmp_path / "worker-1.log", env, "--concurrency=1") as first_worker:
        run = scoring.match_run_start(by=sam)

        def running():
            """the run to be taken by the first worker's child"""
            return MatchRun.objects.filter(pk=run.pk, status="running").exclude(worker="").first()

        first = wait_for(running, interval=0.05)
        os.kill(first_worker.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        first_worker.wait()
        assert MatchRun.objects.get(pk=run.pk).status == "running", "finished before the kill"
        child = Path(f"/proc/{first.worker.rsplit(':', 1)[1]}")
        wait_for(lambda: not child.exists() or " Z " in child.joinpath("stat").read_text(),
                 timeout=10)

    with worker_process(tmp_path / "worker-2.log", env, "--concurrency=1", "--beat",
                        f"--schedule={tmp_path / 'beat-schedule'}"):
        def completed():
            """the run to complete on the second worker"""
            return MatchRun.objects.filter(pk=run.pk, status="completed").first()

        done = wait_for(completed, timeout=120)
        recovered = time.monotonic() - killed_at

    print(f"\nworker main process killed mid-rebuild: completed {recovered:.1f} s later "
          f"(beat's recovery job every second here, every minute by default)")
    assert (done.attempts, done.scores_written) == (2, MatchScore.objects.count())
    assert done.worker != first.worker and done.scores_written > 0
