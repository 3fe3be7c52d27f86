"""A full rebuild spread over every worker: prepared once, scored in chunks, finished once.

1. `match_chunks_prepare` (the `match_rebuild` task, on one worker) builds what
   every chunk reads — the researchers' index (vocabulary, IDF, semantic space,
   document vectors), the open needs with their counts, the applicants — once,
   and writes it to one file under MATCH_REBUILD_DIR named by the run and its
   attempt (hundreds of megabytes for a province: never in a message). Then it
   queues one `match_rebuild_chunk` task per chunk of needs, as a Celery group.
2. `match_chunk_score` (any worker) reads that file, once per worker process and
   run, scores its needs and stores its results beside it: each need's top list
   and applicants, and each researcher's best needs among the chunk's.
3. The last chunk to be recorded queues `match_rebuild_finish` — the chord's
   callback, joined on the run's row rather than in a Celery result backend
   (this deployment has none, and the row survives a broker restart) — which
   merges the researchers' lists across chunks and writes every score in one
   transaction, as the single-task path does: the same rows, the same figures.

Chunks are whole multiples of the engine's CHUNK, so that every need is scored
in exactly the batch it is in on the single-task path (same floating-point
sums). A chunk checks the run's status between batches and stops when staff
cancelled it, another attempt took the run over, or it failed; its task retries
on error and the run fails, for staff to retry, once the retries are spent.
Every step is replay-safe: a chunk whose results exist records itself again, a
finish on a completed run does nothing.
"""

import os
import pickle
import shutil
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ...engine.scoring import CHUNK, Matches, match_all
from ...models import MatchRun
from .._base import after_commit
from .documents import MATCHES_PER_SIDE
from .jobs import match_run_complete, rebuild_inputs
from .store import ScoreRows, write_scores

FIELDS = ("researcher", "need", "score", "text", "field", "institution")
RUNNING = MatchRun.Status.RUNNING


def chunk_needs() -> int:
    """Needs per chunk, rounded up to a whole number of the engine's batches."""
    size = max(settings.MATCH_REBUILD_CHUNK_NEEDS, 1)
    return -(-size // CHUNK) * CHUNK


def run_directory(run_id: int, attempt: int) -> Path:
    return Path(settings.MATCH_REBUILD_DIR) / f"run-{run_id}-{attempt}"


def _bounds(chunk: int, size: int, total: int) -> tuple[int, int]:
    return chunk * size, min((chunk + 1) * size, total)


def _write_atomically(path: Path, write) -> None:
    """A reader on another worker sees the whole file or none (rename is atomic)."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    partial.replace(path)


def _current(run_id: int, attempt: int) -> bool:
    """Whether this attempt of the run is still the one to work on."""
    return MatchRun.objects.filter(pk=run_id, status=RUNNING, attempts=attempt).exists()


# --- 1. prepare -------------------------------------------------------------------

def match_chunks_prepare(*, run: MatchRun) -> int:
    """Build and store what the chunks share, then queue them; returns how many."""
    attempt = run.attempts
    _sweep()
    index, needs, counts, pairs = rebuild_inputs(run=run)
    size = chunk_needs()
    total = -(-len(needs) // size)
    directory = run_directory(run.pk, attempt)
    # Anything there is stale (a run id reused after a database was restored):
    # this attempt has just been claimed, nothing of it is stored yet.
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    shared = {"index": index, "needs": needs, "counts": counts, "pairs": pairs, "size": size}
    _write_atomically(directory / "shared.pickle",
                      lambda f: pickle.dump(shared, f, protocol=pickle.HIGHEST_PROTOCOL))
    # What the finish needs to write rows, without the index's hundreds of megabytes.
    _write_atomically(directory / "rows.npz", lambda f: np.savez(
        f, ids=np.array(index.ids, np.int64), track=index.track, outcomes=index.outcomes,
        capacity=index.capacity_left, needs=np.array([n.id for n in needs], np.int64)))
    with transaction.atomic():
        # From here the run is the chunks' on whichever workers take them: no one
        # process holds it, so recovery judges it by its heartbeat alone, which
        # each chunk keeps while it works (runs.abandoned).
        updated = MatchRun.objects.filter(pk=run.pk, status=RUNNING, attempts=attempt).update(
            chunks_total=total, chunks_done=0, worker="chunks", heartbeat_at=timezone.now())
        if updated:
            # No open need: nothing to score, the finish clears what is stored.
            after_commit("match_rebuild_chunks" if total else "match_rebuild_finish",
                         run.pk, attempt)
    return total if updated else 0


def _sweep() -> None:
    """Remove what runs no longer working left behind (cancelled, failed, taken over)."""
    root = Path(settings.MATCH_REBUILD_DIR)
    if not root.is_dir():
        return
    live = {f"run-{pk}-{attempt}" for pk, attempt in
            MatchRun.objects.filter(status=RUNNING).values_list("pk", "attempts")}
    for directory in root.glob("run-*"):
        if directory.name not in live:
            shutil.rmtree(directory, ignore_errors=True)


def match_chunks_queued(*, run_id: int, attempt: int) -> int:
    """How many chunks to queue for this attempt (0 if it is no longer current)."""
    run = MatchRun.objects.filter(pk=run_id, status=RUNNING, attempts=attempt).first()
    return run.chunks_total if run is not None else 0


# --- 2. score a chunk -------------------------------------------------------------

# The shared file last read by this worker process: its chunks of a run read it once.
_loaded: dict = {}


def _shared(directory: Path) -> dict:
    path = directory / "shared.pickle"
    # Known by the file itself, not its name alone: a run id may come again (a
    # restored database, a test's), with another file.
    stat = path.stat()
    key = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if _loaded.get("key") != key:
        _loaded.clear()  # the previous run's index goes before the next is read
        with path.open("rb") as f:
            _loaded.update(key=key, shared=pickle.load(f))
    return _loaded["shared"]


def match_chunk_score(*, run_id: int, attempt: int, chunk: int) -> bool:
    """Score one chunk of the run's needs and record it; False when the run is no
    longer this attempt's to work on (nothing is then stored)."""
    if not _current(run_id, attempt):
        return False
    directory = run_directory(run_id, attempt)
    result = directory / f"chunk-{chunk}.npz"
    if not result.exists():  # a replayed chunk only records itself again
        found = _score(run_id, attempt, chunk, _shared(directory))
        if found is None:
            return False
        _write_atomically(result, lambda f: np.savez(f, **found))
    return _record(run_id, attempt)


def _score(run_id: int, attempt: int, chunk: int, shared: dict) -> dict | None:
    return score_chunk(shared, chunk, still_wanted=lambda: _current(run_id, attempt))


def score_chunk(shared: dict, chunk: int, *, still_wanted=lambda: True) -> dict | None:
    """One chunk's results as arrays (no ORM: bench/rebuild_scale.py runs it too);
    None when `still_wanted()` turns false between batches."""
    index, needs, size = shared["index"], shared["needs"], shared["size"]
    start, stop = _bounds(chunk, size, len(needs))
    rows, cols = shared["pairs"]
    here = (cols >= start) & (cols < stop)
    batches = []
    # One thread: a worker process is the unit of parallelism (one per core).
    for _done, _total, batch in match_all(
            index, needs[start:stop], shared["counts"][start:stop], per_need=MATCHES_PER_SIDE,
            per_researcher=MATCHES_PER_SIDE, threads=1, pairs=(rows[here], cols[here] - start)):
        batch.need = batch.need + start
        batches.append(batch)
        if not still_wanted():  # cancelled, failed or taken over meanwhile
            return None
    # match_all ends with each researcher's best needs of the chunk (when there
    # are researchers); everything before is the needs' own lists.
    by_need, by_researcher = (batches[:-1], batches[-1]) if len(index.ids) else (batches, None)
    by_need = Matches.concat(by_need) if by_need else _empty()
    by_researcher = by_researcher if by_researcher is not None else _empty()
    return {**{f"need_{name}": getattr(by_need, name) for name in FIELDS},
            **{f"researcher_{name}": getattr(by_researcher, name) for name in FIELDS}}


def _empty() -> Matches:
    return Matches(np.zeros(0, np.int64), np.zeros(0, np.int64),
                   *(np.zeros(0, np.float32) for _ in FIELDS[2:]))


@transaction.atomic
def _record(run_id: int, attempt: int) -> bool:
    """Count the chunks stored (under the run's lock, so that exactly one chunk
    sees the last one in and queues the finish)."""
    run = MatchRun.objects.select_for_update().filter(
        pk=run_id, status=RUNNING, attempts=attempt).first()
    if run is None:
        return False
    directory = run_directory(run_id, attempt)
    done = sorted(int(p.stem.removeprefix("chunk-")) for p in directory.glob("chunk-*.npz"))
    size = chunk_needs()
    needs_done = sum(min(size, run.needs_total - c * size) for c in done)
    # Progress counters and the heartbeat are not history (MatchRun.history).
    MatchRun.objects.filter(pk=run_id).update(chunks_done=len(done), needs_done=needs_done,
                                              heartbeat_at=timezone.now())
    if len(done) == run.chunks_total and run.chunks_done < run.chunks_total:
        after_commit("match_rebuild_finish", run_id, attempt)
    return True


# --- 3. finish --------------------------------------------------------------------

def match_chunks_finish(*, run_id: int, attempt: int) -> bool:
    """Merge the chunks' results and write every score; False if there is
    nothing (more) to do for this attempt."""
    run = MatchRun.objects.filter(pk=run_id, status=RUNNING, attempts=attempt).first()
    if run is None or run.chunks_done < run.chunks_total:
        return False
    directory = run_directory(run_id, attempt)
    with np.load(directory / "rows.npz") as meta:
        rows = {name: meta[name] for name in meta.files}
    batches = merge_chunks(directory / f"chunk-{chunk}.npz" for chunk in range(run.chunks_total))
    written = write_scores(ScoreRows.from_arrays(
        ids=rows["ids"], track=rows["track"], outcomes=rows["outcomes"],
        capacity_left=rows["capacity"], need_ids=rows["needs"], batches=batches))
    finished = match_run_complete(run_id=run_id, written=written)
    if finished:
        shutil.rmtree(directory, ignore_errors=True)
    return finished


def merge_chunks(paths) -> list[Matches]:
    """The needs' lists of every chunk, then each researcher's best needs of all
    chunks, merged one chunk at a time (a province's chunks do not fit at once)."""
    by_need, best = [], None
    for path in paths:
        with np.load(path) as found:
            by_need.append(Matches(*(found[f"need_{name}"] for name in FIELDS)))
            theirs = Matches(*(found[f"researcher_{name}"] for name in FIELDS))
        best = theirs if best is None else _best_per_researcher(best, theirs)
    return [b for b in [*by_need, *([best] if best is not None else [])] if len(b)]


def _best_per_researcher(a: Matches, b: Matches) -> Matches:
    """Each researcher's top MATCHES_PER_SIDE needs of two lists (best score first)."""
    both = Matches.concat([a, b])
    order = np.lexsort((-both.score, both.researcher))
    researcher = both.researcher[order]
    first = np.searchsorted(researcher, researcher, side="left")
    keep = order[np.arange(len(order)) - first < MATCHES_PER_SIDE]
    return Matches(*(getattr(both, name)[keep] for name in FIELDS))
