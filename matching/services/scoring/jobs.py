"""The three jobs: a full rebuild, one need, one researcher."""

import os
import socket
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from django.db import connection
from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import CompanyMembership, ResearcherProfile
from accounts.roles import REBUILD_MATCHES, require_perm

from ...engine.scoring import Matches, ResearcherIndex, match_all
from ...models import Challenge, MatchRun, MatchScore, SemanticSpace
from .._base import after_commit
from .documents import (
    MATCHES_PER_SIDE,
    VERSION,
    need_document,
    open_challenges,
    researcher_documents,
    researcher_outlines,
    user_words,
)
from .features import cached_researcher_features, need_counts, researcher_counts, semantic_space
from .store import ScoreRows, write_scores


def match_rebuild(*, run: MatchRun, processes: int = 1) -> MatchRun:
    """Score every researcher against every open need and store both top lists."""
    # Reading ~200 MB of cached features waits mostly on PostgreSQL: do it in a
    # thread, on its own connection, while this one reads the researchers and
    # needs. (Not inside a transaction, whose rows another connection cannot see.)
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    with ThreadPoolExecutor(1) as pool:
        cached = pool.submit(_in_thread, cached_researcher_features) if parallel else None
        words = user_words()
        researchers, keys = researcher_outlines()
        needs = [need_document(c) for c in open_challenges()]
        cached = cached.result() if parallel else None
    MatchRun.objects.filter(pk=run.pk).update(needs_total=len(needs),
                                              researchers=len(researchers), needs_done=0)
    counts = researcher_counts(researchers, processes=processes, words=words, keys=keys,
                               cached=cached)
    del cached  # ~200 MB of fetched blobs, copied into `counts` by now
    need_rows = need_counts(needs, processes=processes, words=words)
    space = semantic_space(counts=counts, needs=need_rows)
    index = ResearcherIndex(researchers, counts, space)
    del counts
    counts = need_rows
    batches = []
    for done, _total, batch in match_all(index, needs, counts, per_need=MATCHES_PER_SIDE,
                                         per_researcher=MATCHES_PER_SIDE):
        batches.append(batch)
        MatchRun.objects.filter(pk=run.pk).update(needs_done=done)
    written = write_scores(ScoreRows.of(index, needs, batches))
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.COMPLETED, scores_written=written, finished_at=timezone.now(),
        error="")
    run.refresh_from_db()
    return run


def _in_thread(fn, *args):
    """Run fn with this thread's own database connection, closed afterwards."""
    from django.db import connections

    try:
        return fn(*args)
    finally:
        connections.close_all()


def match_run_start(*, by) -> MatchRun:
    """Staff start a full rebuild; it runs on a worker."""
    require_perm(by, REBUILD_MATCHES)
    run = MatchRun.objects.create(engine_version=VERSION)
    after_commit("match_rebuild", run.pk)
    return run


def match_run_retry(*, run: MatchRun, by) -> bool:
    """Queue a rebuild that did not complete again; False if it completed meanwhile."""
    require_perm(by, REBUILD_MATCHES)
    queued = MatchRun.objects.filter(pk=run.pk).exclude(status=MatchRun.Status.COMPLETED).update(
        status=MatchRun.Status.QUEUED, error="")
    if queued:
        after_commit("match_rebuild", run.pk)
    return bool(queued)


def match_run_claim(*, run_id: int) -> MatchRun | None:
    """Take a run to work on; a run left "running" by a killed worker is taken again."""
    claimed = MatchRun.objects.filter(
        pk=run_id, status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING,
                               MatchRun.Status.FAILED],
    ).update(status=MatchRun.Status.RUNNING, started_at=timezone.now(),
             worker=f"{socket.gethostname()}:{os.getpid()}", attempts=F("attempts") + 1)
    return MatchRun.objects.get(pk=run_id) if claimed else None


def match_run_fail(*, run_id: int, error: str) -> None:
    MatchRun.objects.filter(pk=run_id).update(status=MatchRun.Status.FAILED, error=error[:2000],
                                              finished_at=timezone.now())


# An index of every researcher, kept in the worker process between jobs and
# rebuilt only when a researcher, a membership or a placement changed: scoring
# one new need against it takes milliseconds, building it takes seconds.
_index: dict = {}


def _researcher_stamp() -> tuple:

    profiles = ResearcherProfile.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    members = CompanyMembership.objects.aggregate(n=Count("id"), last=Max("id"))
    # A retrained semantic space changes every score: the index follows it.
    space = SemanticSpace.objects.filter(engine_version=VERSION).values_list("pk", flat=True)
    return (VERSION, profiles["n"], profiles["last"], members["n"], members["last"],
            space.first())


def researcher_index() -> ResearcherIndex:
    stamp = _researcher_stamp()
    if _index.get("stamp") != stamp:
        words = user_words()
        researchers, _keys = researcher_outlines()
        counts = researcher_counts(researchers, words=words)
        _index.update(stamp=stamp, index=ResearcherIndex(
            researchers, counts, semantic_space(counts=counts)), words=words, floors=None)
    return _index["index"]


def _floors(field: str, ids=None) -> dict:
    """Each researcher's (or need's) 50th best stored score, where its list is full.

    A new pair enters that list only when it beats this floor.
    """
    ranked = MatchScore.objects.filter(engine_version=VERSION)
    if ids is not None:
        ranked = ranked.filter(**{f"{field}__in": ids})
    ranked = ranked.annotate(rank=Window(RowNumber(), partition_by=F(field),
                                         order_by=F("score").desc()))
    return dict(ranked.filter(rank=MATCHES_PER_SIDE).values_list(field, "score"))


def challenge_match(*, challenge: Challenge) -> int:
    """Score one need against every researcher; store its top researchers and the
    pairs where it enters a researcher's own top list. Returns rows written."""
    if challenge.status != Challenge.Status.PUBLISHED:
        return write_scores(None, challenge_id=challenge.pk)
    index = researcher_index()
    need = need_document(challenge)
    counts = need_counts([need], words=_index.get("words", ()))
    scores = index.scores([need], index.need_vectors(counts))
    column = scores.total[:, 0]
    top = np.argsort(-column, kind="stable")[:MATCHES_PER_SIDE]
    if _index.get("floors") is None:
        floors = _floors("researcher_id")
        _index["floors"] = np.array([floors.get(i, -np.inf) for i in index.ids], np.float32)
    threshold = _index["floors"]
    chosen = np.union1d(top, np.nonzero(column > threshold)[0])
    chosen = chosen[np.isfinite(column[chosen])]
    batch = Matches.take(scores, chosen, np.zeros(len(chosen), dtype=np.int64))
    return write_scores(ScoreRows.of(index, [need], [batch]), challenge_id=challenge.pk)


def researcher_match(*, researcher: ResearcherProfile) -> int:
    """Rescore one researcher against every open need (their profile changed)."""
    docs = researcher_documents([researcher.pk])
    needs = [need_document(c) for c in open_challenges()]
    if not docs or not needs:  # an inactive researcher keeps no scores
        return write_scores(None, researcher_id=researcher.pk)
    words = user_words()
    space = semantic_space()
    index = ResearcherIndex(docs, researcher_counts(docs, words=words), space)
    counts = need_counts(needs, words=words)
    batches = [b for _d, _t, b in match_all(index, needs, counts, per_need=1,
                                             per_researcher=MATCHES_PER_SIDE)]
    # With one researcher in the index, the need-side batches hold this
    # researcher's score for every need; keep those that beat the need's stored
    # 50th score, beside the researcher's own top list (the last batch).
    floors = _floors("challenge_id", [n.id for n in needs])
    floor = np.array([floors.get(n.id, -np.inf) for n in needs], dtype=np.float64)
    entering = []
    for batch in batches[:-1]:
        keep = batch.score > floor[batch.need]
        entering.append(Matches(*(getattr(batch, f)[keep] for f in
                                  ("researcher", "need", "score", "text", "field", "institution"))))
    rows = ScoreRows.of(index, needs, [batches[-1], *entering])
    return write_scores(rows, researcher_id=researcher.pk)
