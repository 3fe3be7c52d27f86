"""A full rebuild spread over a real worker's two processes, in chunks of needs,
stores exactly the scores of the single-task rebuild."""

import os

from matching import engine
from matching.models import MatchRun, MatchScore
from matching.services import scoring

from .conftest import _database_url, wait_for, worker_process
from .test_worker_kill import build_district


def stored():
    return sorted(MatchScore.objects.values_list("challenge_id", "researcher_id", "score",
                                                 "components"))


def test_chunks_scored_by_two_worker_processes_store_the_single_task_scores(
        real_services, tmp_path, sam):
    build_district(n_researchers=600, n_needs=170)
    reference = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    scoring.match_run_claim(run_id=reference.pk)
    scoring.match_rebuild(run=reference)
    expected = stored()
    assert len(expected) > 1_000
    MatchScore.objects.all().delete()

    env = {**os.environ, "DATABASE_URL": _database_url(),
           "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "MATCH_REBUILD_CHUNK_NEEDS": "48", "MATCH_REBUILD_DIR": str(tmp_path / "rebuilds")}
    with worker_process(tmp_path / "worker.log", env, "--concurrency=2"):
        run = scoring.match_run_start(by=sam)

        def completed():
            """the run to complete on the worker"""
            return MatchRun.objects.filter(pk=run.pk, status="completed").first()

        done = wait_for(completed, timeout=240)
    log = (tmp_path / "worker.log").read_text()
    assert (done.chunks_total, done.chunks_done, done.needs_done) == (4, 4, 170)
    assert log.count("matching.tasks.match_rebuild_chunk[") >= 4
    assert stored() == expected
    assert done.scores_written == len(expected)
    assert not any((tmp_path / "rebuilds").iterdir())  # the run's files are removed
