"""The full rebuild spread over Celery workers: speed-up and a province-sized simulation.

Two parts, each a command:

  workers  The rebuild of a synthetic district (bench/synthetic.py) in PostgreSQL,
           run by a real Celery worker over Redis with 1 and then 2 processes
           (--concurrency), after one warm-up rebuild that caches the encodings.
           Prints each phase (prepare, chunks, finish) and the speed-up.
  scale    100,000 researchers × 20,000 needs, without a database: a sample of
           the synthetic district is tokenised and its count rows repeated up to
           that size (the same statistics, none of the hours of tokenising). A
           "prepare" process builds and stores the shared index; a "chunk"
           process, like a worker's, reads it and scores a SAMPLE of the chunks;
           a "finish" process merges that many chunks' results repeated to the
           full count. Each prints its time and peak memory (RSS); the total is
           projected for N workers from the time per chunk — it is a projection
           from sampled chunks, and the output says so.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qiantang_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \\
        .venv/bin/python bench/rebuild_scale.py workers [--researchers 5000 --needs 1500]
    .venv/bin/python bench/rebuild_scale.py scale [--researchers 100000 --needs 20000]

Figures only, no pass/fail. On a shared machine other jobs take CPU too: the
output names the load average seen at the start.
"""

import argparse
import json
import math
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
# One core per process: parallelism comes from processes, as in the workers.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_note() -> str:
    one, five, _ = os.getloadavg()
    return f"load average at start {one:.1f} / {five:.1f} (1 / 5 min) on {os.cpu_count()} cores"


# --- workers -----------------------------------------------------------------------

def workers(args):
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qiantang_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        sys.exit("set CELERY_BROKER_URL=redis://… (a Redis database of your own)")
    from matching_speed import ensure_database, load

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import User
    from matching.services import scoring

    print(load_note())
    if not args.skip_load:
        started = time.perf_counter()
        load(args.researchers, args.needs)
        print(f"loaded {args.researchers:,} researchers × {args.needs:,} needs into PostgreSQL "
              f"in {time.perf_counter() - started:.0f} s (not measured)")
    staff = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        email="bench-staff@bench.local", password=None)
    chunk_needs = str(args.chunk_needs)
    env = {**os.environ, "MATCH_REBUILD_CHUNK_NEEDS": chunk_needs,
           "MATCH_REBUILD_DIR": tempfile.mkdtemp(prefix="rebuild-bench-")}

    def rebuild(concurrency: int) -> dict:
        log = Path(env["MATCH_REBUILD_DIR"]) / f"worker-{concurrency}.log"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
             "--loglevel=warning", f"--hostname=bench-{concurrency}-{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        try:
            time.sleep(8)  # the worker starts and loads Django
            run = scoring.match_run_start(by=staff)
            started, marks = time.perf_counter(), {}
            while True:
                run.refresh_from_db()
                now = time.perf_counter() - started
                if run.chunks_total and "prepared" not in marks:
                    marks["prepared"] = now
                if run.chunks_total and run.chunks_done == run.chunks_total:
                    marks.setdefault("chunks", now)
                if run.status in ("completed", "failed"):
                    marks["total"] = now
                    break
                if worker.poll() is not None:
                    sys.exit("the worker stopped:\n" + log.read_text())
                time.sleep(0.1)
            if run.status != "completed":
                sys.exit(f"the run failed: {run.error}")
            return {**marks, "chunks_total": run.chunks_total, "scores": run.scores_written}
        finally:
            worker.terminate()
            worker.wait(timeout=60)

    print(f"chunks of {chunk_needs} needs (rounded up to the engine's batches of 48)")
    print("warm-up rebuild (tokenises and caches every document, trains the space) …")
    rebuild(2)
    results = {}
    for n in (1, 2):
        r = results[n] = rebuild(n)
        chunk_phase = r["chunks"] - r["prepared"]
        print(f"{n} worker process{'es' if n > 1 else ''}: total {r['total']:.1f} s = prepare "
              f"{r['prepared']:.1f} s + {r['chunks_total']} chunks {chunk_phase:.1f} s + finish "
              f"{r['total'] - r['chunks']:.1f} s; {r['scores']:,} scores written")
    one, two = results[1], results[2]
    total = one["total"] / two["total"]
    chunks = (one["chunks"] - one["prepared"]) / (two["chunks"] - two["prepared"])
    print(f"speed-up with 2 processes: whole rebuild {total:.2f}×, chunk phase {chunks:.2f}× "
          f"(goal ≥ 1.6×; prepare and finish run once, on one process)")


# --- scale -------------------------------------------------------------------------

def scale(args):
    """The parent tokenises the sample; children prepare, score, finish (own RSS each)."""
    from synthetic import district

    from matching.engine.scoring import ResearcherCounts, need_counts_of

    print(load_note())
    work = Path(tempfile.mkdtemp(prefix="rebuild-scale-"))
    started = time.perf_counter()
    researchers, needs = district(args.sample_researchers, args.sample_needs, seed=3)
    counts = ResearcherCounts.of(researchers, processes=2)
    need_rows = need_counts_of(needs, processes=2)
    with (work / "sample.pickle").open("wb") as f:
        pickle.dump({"researchers": researchers, "needs": needs, "counts": counts,
                     "need_rows": need_rows}, f, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"sample tokenised: {args.sample_researchers:,} researchers "
          f"({counts.works.shape[0]:,} works), {args.sample_needs:,} needs, "
          f"{time.perf_counter() - started:.0f} s (not part of the rebuild: cached encodings)")
    common = ["--researchers", str(args.researchers), "--needs", str(args.needs),
              "--chunk-needs", str(args.chunk_needs), "--dir", str(work)]
    prepare = _child("prepare", common)
    chunk = _child("chunk", [*common, "--sample-chunks", str(args.sample_chunks)])
    finish = _child("finish", common)
    n_chunks, per_chunk = chunk["chunks_total"], chunk["per_chunk"]
    print()
    print(f"{args.researchers:,} researchers × {args.needs:,} needs = "
          f"{args.researchers * args.needs:,} pairs, {n_chunks} chunks of "
          f"{chunk['size']} needs")
    print(f"  prepare (once):  {prepare['seconds']:7.1f} s, peak RSS {prepare['peak']:,.0f} MB, "
          f"shared file {prepare['file_mb']:,.0f} MB")
    print(f"  one chunk:       {per_chunk:7.1f} s (mean of {len(chunk['times'])} SAMPLED chunks: "
          f"{', '.join(f'{t:.1f}' for t in chunk['times'])} s), reading the shared file "
          f"{chunk['read']:.1f} s once per process, peak RSS {chunk['peak']:,.0f} MB")
    print(f"  finish (merge):  {finish['seconds']:7.1f} s for {n_chunks} chunks' results "
          f"(the sampled chunks' repeated), peak RSS {finish['peak']:,.0f} MB; writing the "
          f"{finish['rows']:,} rows to PostgreSQL is not simulated")
    print("projected (from the sampled chunks, not a full run):")
    for n in (1, 2, 4, 8, 16, 32):
        waves = math.ceil(n_chunks / n)
        total = prepare["seconds"] + chunk["read"] + waves * per_chunk + finish["seconds"]
        print(f"  {n:>2} worker processes: {total / 60:6.1f} min "
              f"({waves} chunk{'s' if waves > 1 else ''} each)")
    print(f"memory per worker process ≤ {max(chunk['peak'], finish['peak']):,.0f} MB "
          f"(the goal: ≤ 2,048 MB); the prepare process {prepare['peak']:,.0f} MB")


def _child(role: str, argv: list) -> dict:
    out = subprocess.run([sys.executable, __file__, f"_{role}", *argv], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _sizes(args):
    from matching.engine.scoring import CHUNK

    size = -(-args.chunk_needs // CHUNK) * CHUNK
    return size, -(-args.needs // size)


def _prepare(args):
    """Repeat the sample to the full size, build the index and store it as a run would."""
    import dataclasses

    import numpy as np
    import scipy.sparse as sp

    from matching.engine.scoring import ResearcherCounts, ResearcherIndex, train_space

    work = Path(args.dir)
    with (work / "sample.pickle").open("rb") as f:
        sample = pickle.load(f)
    started = time.perf_counter()
    base, r_reps = len(sample["researchers"]), -(-args.researchers // len(sample["researchers"]))
    c = sample["counts"]
    counts = ResearcherCounts(
        sp.vstack([c.works] * r_reps, format="csr"), sp.vstack([c.profiles] * r_reps, format="csr"),
        np.concatenate([c.owners + k * base for k in range(r_reps)]),
        np.tile(c.representative, r_reps))
    keep = args.researchers
    n_works = int(np.searchsorted(counts.owners, keep))
    counts = ResearcherCounts(counts.works[:n_works], counts.profiles[:keep],
                              counts.owners[:n_works], counts.representative[:n_works])
    # The index holds outlines (no works' text), as researcher_outlines() gives.
    researchers = [dataclasses.replace(sample["researchers"][i % base], id=i + 1, works=())
                   for i in range(keep)]
    n_reps = -(-args.needs // len(sample["needs"]))
    needs = [dataclasses.replace(sample["needs"][j % len(sample["needs"])], id=j + 1)
             for j in range(args.needs)]
    need_rows = sp.vstack([sample["need_rows"]] * n_reps, format="csr")[:args.needs]
    del sample
    space = train_space(counts, need_rows)
    index = ResearcherIndex(researchers, counts, space)
    del counts
    size, _total = _sizes(args)
    shared = {"index": index, "needs": needs, "counts": need_rows,
              "pairs": (np.zeros(0, np.int64), np.zeros(0, np.int64)), "size": size}
    path = work / "shared.pickle"
    with path.open("wb") as f:
        pickle.dump(shared, f, protocol=pickle.HIGHEST_PROTOCOL)
    print(json.dumps({"seconds": time.perf_counter() - started, "peak": peak_mb(),
           "file_mb": path.stat().st_size / 2**20}))


def _chunk(args):
    """A worker process: read the shared file once, score sampled chunks, store each."""
    import numpy as np

    from matching.services.scoring.chunks import score_chunk

    work = Path(args.dir)
    started = time.perf_counter()
    with (work / "shared.pickle").open("rb") as f:
        shared = pickle.load(f)
    read = time.perf_counter() - started
    size, total = _sizes(args)
    # Spread over the run (the last chunk may be short: the sample takes full ones).
    picks = sorted({round(k * (total - 2) / max(args.sample_chunks - 1, 1))
                    for k in range(args.sample_chunks)})
    times = []
    for chunk in picks:
        started = time.perf_counter()
        found = score_chunk(shared, chunk)
        with (work / f"chunk-{chunk}.npz").open("wb") as f:
            np.savez(f, **found)
        times.append(time.perf_counter() - started)
        del found
    print(json.dumps({"read": read, "times": times, "per_chunk": sum(times) / len(times),
           "chunks_total": total, "size": size, "peak": peak_mb()}))


def _finish(args):
    """Merge the sampled chunks' results, repeated up to the run's chunk count."""
    from matching.services.scoring.chunks import merge_chunks

    work = Path(args.dir)
    _size, total = _sizes(args)
    sampled = sorted(work.glob("chunk-*.npz"))
    started = time.perf_counter()
    batches = merge_chunks(sampled[k % len(sampled)] for k in range(total))
    rows = sum(len(b) for b in batches)
    print(json.dumps({"seconds": time.perf_counter() - started, "peak": peak_mb(), "rows": rows}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=["workers", "scale", "_prepare", "_chunk", "_finish"])
    parser.add_argument("--researchers", type=int)
    parser.add_argument("--needs", type=int)
    parser.add_argument("--chunk-needs", type=int, default=480)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--sample-researchers", type=int, default=2_000)
    parser.add_argument("--sample-needs", type=int, default=1_000)
    parser.add_argument("--sample-chunks", type=int, default=3)
    parser.add_argument("--dir")
    args = parser.parse_args()
    if args.part == "workers":
        args.researchers, args.needs = args.researchers or 5_000, args.needs or 1_500
        workers(args)
    elif args.part == "scale":
        args.researchers, args.needs = args.researchers or 100_000, args.needs or 20_000
        scale(args)
    else:  # a child process of `scale`
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        django.setup()
        {"_prepare": _prepare, "_chunk": _chunk, "_finish": _finish}[args.part](args)


if __name__ == "__main__":
    main()
