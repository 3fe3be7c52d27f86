"""The three jobs: a full rebuild, one need, one researcher."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.history import acting
from accounts.models import CompanyMembership, ResearcherProfile
from accounts.roles import REBUILD_MATCHES, require_perm

from ...engine.scoring import Matches, ResearcherIndex, match_all
from ...models import Application, Challenge, MatchRun, MatchScore, Outcome, Placement, SemanticSpace
from .. import runs
from .._base import after_commit, transition
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


def rebuild_inputs(*, run: MatchRun, processes: int = 1):
    """What every part of a full rebuild reads, built once: the researchers' index
    (vocabulary, IDF, semantic space, document vectors), the open needs, their
    counts and the applicants' pairs. Records the run's totals."""
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
    # Progress counters, for staff to watch: plain UPDATEs of columns the run's
    # history leaves out (see MatchRun.history).
    MatchRun.objects.filter(pk=run.pk).update(needs_total=len(needs),
                                              researchers=len(researchers), needs_done=0)
    counts = researcher_counts(researchers, processes=processes, words=words, keys=keys,
                               cached=cached)
    del cached  # ~200 MB of fetched blobs, copied into `counts` by now
    need_rows = need_counts(needs, processes=processes, words=words)
    space = semantic_space(counts=counts, needs=need_rows)
    index = ResearcherIndex(researchers, counts, space)
    del counts
    return index, needs, need_rows, applicant_pairs(index, needs)


def match_rebuild(*, run: MatchRun, processes: int = 1) -> MatchRun:
    """Score every researcher against every open need and store both top lists,
    in this one process (chunks.py spreads the same work over workers)."""
    index, needs, counts, pairs = rebuild_inputs(run=run, processes=processes)
    batches = []
    for done, _total, batch in match_all(index, needs, counts, per_need=MATCHES_PER_SIDE,
                                         per_researcher=MATCHES_PER_SIDE, pairs=pairs):
        batches.append(batch)
        # Staff may cancel meanwhile: then nothing is written.
        if not MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING).update(
                needs_done=done):
            return run
    written = write_scores(ScoreRows.of(index, needs, batches))
    match_run_complete(run_id=run.pk, written=written)
    run.refresh_from_db()
    return run


@transaction.atomic
def match_run_complete(*, run_id: int, written: int) -> bool:
    """The rebuild's own end, on record as the system's; False when the run is no
    longer running (staff cancelled it, or another attempt took it over)."""
    run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status != MatchRun.Status.RUNNING:
        return False
    run.status, run.scores_written, run.finished_at, run.error = (
        MatchRun.Status.COMPLETED, written, timezone.now(), "")
    acting(run, None).save(update_fields=["status", "scores_written", "finished_at", "error"])
    return True


def _in_thread(fn, *args):
    """Run fn with this thread's own database connection, closed afterwards."""
    from django.db import connections

    try:
        return fn(*args)
    finally:
        connections.close_all()


def applicant_pairs(index: ResearcherIndex, needs, *, researcher_id: int | None = None):
    """(index rows, need positions) of the applications to `needs`: stored
    whatever their rank, so that a company sees every applicant scored."""
    row, col = index.position(), {n.id: j for j, n in enumerate(needs)}
    applied = Application.objects.filter(challenge__in=list(col))
    if researcher_id is not None:
        applied = applied.filter(researcher_id=researcher_id)
    pairs = [(row[r], col[c]) for r, c in applied.values_list("researcher_id", "challenge_id")
             if r in row]
    rows, cols = (np.array(x, dtype=np.int64).reshape(-1) for x in zip(*pairs, strict=True)) \
        if pairs else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    return rows, cols


@transaction.atomic
def match_run_start(*, by) -> MatchRun:
    """Staff start a full rebuild; it runs on a worker."""
    require_perm(by, REBUILD_MATCHES)
    run = MatchRun(engine_version=VERSION)
    acting(run, by).save()
    after_commit("match_rebuild", run.pk)
    return run


@transaction.atomic
def match_run_retry(*, run: MatchRun, by) -> MatchRun:
    """Queue a rebuild that did not complete again."""
    require_perm(by, REBUILD_MATCHES)
    S = MatchRun.Status
    transition(run, allowed={S.QUEUED, S.RUNNING, S.FAILED, S.CANCELLED}, to=S.QUEUED,
               action=_("retry this rebuild"), by=by, error="")
    after_commit("match_rebuild", run.pk)
    return run


@transaction.atomic
def match_run_cancel(*, run: MatchRun, by) -> MatchRun:
    """Stop a rebuild: its chunks (or its single task) see the status and stop;
    nothing it scored is written, and staff may retry it later."""
    require_perm(by, REBUILD_MATCHES)
    S = MatchRun.Status
    return transition(run, allowed={S.QUEUED, S.RUNNING}, to=S.CANCELLED,
                      action=_("cancel this rebuild"), by=by, finished_at=timezone.now())


def match_run_nightly(*, day=None) -> MatchRun:
    """The nightly full rebuild, named by its day, queued for a worker.

    A beat tick replayed after a crash finds the same run and queues nothing
    twice; the rebuild task's own retries and recorded failure apply.
    """
    key = f"nightly-{(day or timezone.localdate()).isoformat()}"
    run, created = MatchRun.objects.get_or_create(key=key, defaults={"engine_version": VERSION})
    if created:
        after_commit("match_rebuild", run.pk)
    return run


@transaction.atomic
def match_run_claim(*, run_id: int) -> MatchRun | None:
    """Take a run to work on; a run left "running" by a worker that died is taken
    again, one whose worker is alive is not (see services/runs.py)."""
    claimed = runs.run_claim(MatchRun, run_id, statuses={MatchRun.Status.QUEUED,
                                                         MatchRun.Status.FAILED},
                             started_at=timezone.now())
    return MatchRun.objects.get(pk=run_id) if claimed else None


@transaction.atomic
def match_run_fail(*, run_id: int, error: str) -> None:
    """The rebuild task failed for good: staff see why and may retry it."""
    run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status == MatchRun.Status.COMPLETED:
        return
    run.status, run.error, run.finished_at = MatchRun.Status.FAILED, error[-2000:], timezone.now()
    acting(run, None).save(update_fields=["status", "error", "finished_at"])


# An index of every researcher, kept in the worker process between jobs and
# rebuilt only when a researcher, a membership or a placement changed: scoring
# one new need against it takes milliseconds, building it takes seconds.
_index: dict = {}


def _researcher_stamp() -> tuple:
    """Changes whenever what the index holds may have: a profile or its works (the
    profile's updated_at), its verification (who may be listed for a need), a
    membership, a placement (capacity left) or an outcome (track record); the last
    two through their history, which grows on each change."""
    profiles = ResearcherProfile.objects.aggregate(
        n=Count("id"), last=Max("updated_at"), listed=Count("id", filter=Q(pk__in=Subquery(
            ResearcherProfile.objects.matchable().values("pk")))))
    members = CompanyMembership.objects.aggregate(n=Count("id"), last=Max("id"))
    placements = Placement.history.aggregate(last=Max("history_id"))["last"]
    outcomes = Outcome.history.aggregate(last=Max("history_id"))["last"]
    # A retrained semantic space changes every score: the index follows it.
    space = SemanticSpace.objects.filter(engine_version=VERSION).values_list("pk", flat=True)
    return (VERSION, profiles["n"], profiles["last"], profiles["listed"], members["n"],
            members["last"], placements, outcomes, space.first())


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
    """Score one need against every researcher; store its top matchable researchers,
    its applicants, and the pairs where it enters a researcher's own top list.
    Returns rows written."""
    if challenge.status != Challenge.Status.PUBLISHED:
        return write_scores(None, challenge_id=challenge.pk)
    index = researcher_index()
    need = need_document(challenge)
    counts = need_counts([need], words=_index.get("words", ()))
    scores = index.scores([need], index.need_vectors(counts))
    column = scores.total[:, 0]
    shown = index.for_companies(scores.total)[:, 0]
    top = np.argsort(-shown, kind="stable")[:MATCHES_PER_SIDE]
    top = top[np.isfinite(shown[top])]
    if _index.get("floors") is None:
        floors = _floors("researcher_id")
        _index["floors"] = np.array([floors.get(i, -np.inf) for i in index.ids], np.float32)
    threshold = _index["floors"]
    chosen = np.union1d(top, np.nonzero(column > threshold)[0])
    chosen = chosen[np.isfinite(column[chosen])]
    batch = Matches.take(scores, chosen, np.zeros(len(chosen), dtype=np.int64))
    applicants, _cols = applicant_pairs(index, [need])
    applied = Matches.take(scores, applicants, np.zeros(len(applicants), np.int64), raw=True)
    return write_scores(ScoreRows.of(index, [need], [batch, applied]),
                        challenge_id=challenge.pk)


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
    applied = applicant_pairs(index, needs, researcher_id=researcher.pk)
    batches = [b for _d, _t, b in match_all(index, needs, counts, per_need=1,
                                             per_researcher=MATCHES_PER_SIDE, pairs=applied)]
    # With one researcher in the index, the need-side batches hold this
    # researcher's score for every need (if companies may be shown them) and for
    # the needs they applied to; keep those that beat the need's stored 50th
    # score or that they applied to, beside the researcher's own top list (the
    # last batch).
    floors = _floors("challenge_id", [n.id for n in needs])
    floor = np.array([floors.get(n.id, -np.inf) for n in needs], dtype=np.float64)
    floor[applied[1]] = -np.inf
    entering = []
    for batch in batches[:-1]:
        keep = batch.score > floor[batch.need]
        entering.append(Matches(*(getattr(batch, f)[keep] for f in
                                  ("researcher", "need", "score", "text", "field", "institution"))))
    rows = ScoreRows.of(index, needs, [batches[-1], *entering])
    return write_scores(rows, researcher_id=researcher.pk)
