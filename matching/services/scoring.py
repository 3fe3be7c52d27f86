"""Keeping match scores fresh: a full rebuild, one need, one researcher.

The engine (matching/engine) is fed plain documents built here from the models;
what it returns is written to MatchScore, tagged with the engine version:
each need's top MATCHES_PER_SIDE researchers and each researcher's top
MATCHES_PER_SIDE open needs. Every write replaces the rows in its scope in one
transaction, so running any of these twice leaves the same rows.
"""

import hashlib
import json
import os
import socket
from collections.abc import Sequence

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import (
    IndustryCluster,
    IndustryPlatform,
    LeadingIndustry,
    ResearcherProfile,
)

from .. import engine
from ..engine import features as feat
from ..engine.documents import need_text, profile_text, work_text
from ..engine.scoring import Matches, ResearcherCounts, ResearcherIndex, match_all
from ..models import Challenge, DocumentFeatures, MatchRun, MatchScore, Outcome, Placement

VERSION = engine.ENGINE_VERSION
MATCHES_PER_SIDE = 50
K = DocumentFeatures.Kind


# --- documents --------------------------------------------------------------------------

def researcher_profiles():
    return (ResearcherProfile.objects.filter(user__is_active=True)
            .select_related("institution")
            .prefetch_related("works", "user__memberships")
            .annotate(active=Count("placements", filter=Q(placements__status=Placement.Status.ACTIVE),
                                   distinct=True),
                      track=Count("placements__outcomes",
                                  filter=Q(placements__outcomes__status=Outcome.Status.VERIFIED),
                                  distinct=True))
            .order_by("pk"))


def researcher_document(p: ResearcherProfile) -> engine.Researcher:
    return engine.Researcher(
        id=p.pk, keywords=tuple(p.keywords), bio=p.bio,
        works=tuple(engine.Work(title=w.title, abstract=w.abstract, keywords=tuple(w.keywords),
                                representative=w.representative) for w in p.works.all()),
        disciplines=tuple(p.disciplines), institution=p.institution_id,
        capacity_left=max(p.capacity - getattr(p, "active", 0), 0),
        track_record=getattr(p, "track", 0),
        company_ids=frozenset(m.company_id for m in p.user.memberships.all()))


def open_challenges():
    return (Challenge.objects.published().select_related("industry")
            .prefetch_related("preferred_institutions").order_by("pk"))


def need_document(c: Challenge) -> engine.Need:
    return engine.Need(
        id=c.pk, title=c.title,
        description="\n".join(filter(None, [c.background, c.goals, c.indicators])),
        required_expertise=tuple(c.required_expertise),
        industry=f"{c.industry.name} {c.industry.name_en}" if c.industry else "",
        company_id=c.company_id,
        preferred_institutions=frozenset(i.pk for i in c.preferred_institutions.all()),
        preferred_disciplines=frozenset(c.preferred_disciplines))


def user_words() -> list[str]:
    """The segmenter's user dictionary: reference names and every keyword entered."""
    words = set()
    for model in (IndustryPlatform, IndustryCluster, LeadingIndustry):
        words.update(model.objects.values_list("name", flat=True))
    for keywords in ResearcherProfile.objects.values_list("keywords", flat=True):
        words.update(keywords)
    for expertise in Challenge.objects.values_list("required_expertise", flat=True):
        words.update(expertise)
    return sorted(w for w in words if isinstance(w, str))


# --- the feature cache --------------------------------------------------------------------

def _parts_of_researcher(r: engine.Researcher) -> list:
    return [work_text(w) for w in r.works] + [profile_text(r)]


def _cached_blocks(kind: str, ids: Sequence[int], parts: Sequence[list], *,
                   processes: int, words: Sequence[str]) -> list:
    """Each document's count rows, from the cache where its text is unchanged."""
    hashes = [hashlib.sha256(json.dumps(p, ensure_ascii=False).encode()).hexdigest()
              for p in parts]
    cached = {object_id: (h, bytes(blob)) for object_id, h, blob in
              DocumentFeatures.objects.filter(kind=kind, engine_version=VERSION,
                                              object_id__in=ids)
              .values_list("object_id", "content_hash", "data")}
    blocks: list = [None] * len(ids)
    missing = []
    for k, (object_id, h) in enumerate(zip(ids, hashes, strict=True)):
        hit = cached.get(object_id)
        if hit and hit[0] == h:
            blocks[k] = feat.unpack(hit[1])
        else:
            missing.append(k)
    if missing:
        flat, spans = [], []
        for k in missing:
            spans.append((len(flat), len(parts[k])))
            flat.extend(parts[k])
        counts = feat.count_rows_parallel(flat, processes=processes, user_words=words)
        rows = []
        for k, (start, length) in zip(missing, spans, strict=True):
            blocks[k] = counts[start:start + length]
            rows.append(DocumentFeatures(kind=kind, object_id=ids[k], engine_version=VERSION,
                                         content_hash=hashes[k], data=feat.pack(blocks[k])))
        DocumentFeatures.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True,
            unique_fields=["kind", "object_id", "engine_version"],
            update_fields=["content_hash", "data", "updated_at"])
    return blocks


def researcher_counts(researchers: Sequence[engine.Researcher], *, processes: int = 1,
                      words: Sequence[str] = ()) -> ResearcherCounts:
    blocks = _cached_blocks(K.RESEARCHER, [r.id for r in researchers],
                            [_parts_of_researcher(r) for r in researchers],
                            processes=processes, words=words)
    return ResearcherCounts.from_blocks(researchers, blocks)


def need_counts(needs: Sequence[engine.Need], *, processes: int = 1, words: Sequence[str] = ()):
    blocks = _cached_blocks(K.CHALLENGE, [n.id for n in needs], [[need_text(n)] for n in needs],
                            processes=processes, words=words)
    return feat.stack(blocks)


# --- writing scores ----------------------------------------------------------------------

def _rows(index: ResearcherIndex, needs: Sequence[engine.Need], batches: Sequence[Matches]):
    """(challenge id, researcher id) → (score, components), one per pair."""
    rows = {}
    for batch in batches:
        for k in range(len(batch)):
            key = (needs[batch.need[k]].id, index.ids[batch.researcher[k]])
            if key not in rows:
                rows[key] = (float(batch.score[k]), batch.components(index, k))
    return rows


def write_scores(rows: dict, *, challenge_id: int | None = None,
                 researcher_id: int | None = None) -> int:
    """Make the stored scores of this engine version, in the given scope (one
    challenge, one researcher, or everything), exactly `rows`."""
    scope = MatchScore.objects.filter(engine_version=VERSION)
    if challenge_id is not None:
        scope = scope.filter(challenge_id=challenge_id)
    if researcher_id is not None:
        scope = scope.filter(researcher_id=researcher_id)
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(rows) > 1000:
            _replace_by_copy(rows, scope, now)
        else:
            scope.delete()
            MatchScore.objects.bulk_create(
                [MatchScore(challenge_id=c, researcher_id=r, score=s, components=comp,
                            engine_version=VERSION, computed_at=now)
                 for (c, r), (s, comp) in rows.items()], batch_size=5000)
        if challenge_id is None and researcher_id is None:
            MatchScore.objects.exclude(engine_version=VERSION).delete()
    return len(rows)


def _replace_by_copy(rows: dict, scope, now) -> None:
    """PostgreSQL: COPY into a temporary table, upsert, delete what is gone.

    Hundreds of thousands of rows go through COPY in seconds where INSERT
    statements would take a minute.
    """
    table = MatchScore._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE new_scores (challenge_id bigint, researcher_id bigint,"
                       " score double precision, components jsonb) ON COMMIT DROP")
        with cursor.connection.cursor().copy(
                "COPY new_scores (challenge_id, researcher_id, score, components) FROM STDIN"
        ) as copy:
            for (c, r), (s, comp) in rows.items():
                copy.write_row((c, r, s, json.dumps(comp)))
        cursor.execute(
            f"INSERT INTO {table} (challenge_id, researcher_id, score, components,"
            " engine_version, computed_at) SELECT challenge_id, researcher_id, score,"
            " components, %s, %s FROM new_scores"
            " ON CONFLICT (challenge_id, researcher_id, engine_version) DO UPDATE SET"
            " score = EXCLUDED.score, components = EXCLUDED.components,"
            " computed_at = EXCLUDED.computed_at", [VERSION, now])
        # Every row of the scope that the upsert did not touch is gone from the result.
        scope.exclude(computed_at=now).delete()


# --- the three jobs -----------------------------------------------------------------------

def match_rebuild(*, run: MatchRun, processes: int = 1) -> MatchRun:
    """Score every researcher against every open need and store both top lists."""
    words = user_words()
    researchers = [researcher_document(p) for p in researcher_profiles()]
    needs = [need_document(c) for c in open_challenges()]
    MatchRun.objects.filter(pk=run.pk).update(needs_total=len(needs),
                                              researchers=len(researchers), needs_done=0)
    index = ResearcherIndex(researchers, researcher_counts(researchers, processes=processes,
                                                           words=words))
    counts = need_counts(needs, processes=processes, words=words)
    batches = []
    for done, _total, batch in match_all(index, needs, counts, per_need=MATCHES_PER_SIDE,
                                         per_researcher=MATCHES_PER_SIDE):
        batches.append(batch)
        MatchRun.objects.filter(pk=run.pk).update(needs_done=done)
    written = write_scores(_rows(index, needs, batches))
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.COMPLETED, scores_written=written, finished_at=timezone.now(),
        error="")
    run.refresh_from_db()
    return run


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
    from accounts.models import CompanyMembership

    profiles = ResearcherProfile.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    members = CompanyMembership.objects.aggregate(n=Count("id"), last=Max("id"))
    return (VERSION, profiles["n"], profiles["last"], members["n"], members["last"])


def researcher_index() -> ResearcherIndex:
    stamp = _researcher_stamp()
    if _index.get("stamp") != stamp:
        words = user_words()
        researchers = [researcher_document(p) for p in researcher_profiles()]
        _index.update(stamp=stamp, index=ResearcherIndex(
            researchers, researcher_counts(researchers, words=words)), words=words,
            floors=None)
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
        return write_scores({}, challenge_id=challenge.pk)
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
    return write_scores(_rows(index, [need], [batch]), challenge_id=challenge.pk)


def researcher_match(*, researcher: ResearcherProfile) -> int:
    """Rescore one researcher against every open need (their profile changed)."""
    words = user_words()
    doc = researcher_document(researcher_profiles().get(pk=researcher.pk))
    index = ResearcherIndex([doc], researcher_counts([doc], words=words))
    needs = [need_document(c) for c in open_challenges()]
    if not needs:
        return write_scores({}, researcher_id=researcher.pk)
    counts = need_counts(needs, words=words)
    batches = [b for _d, _t, b in match_all(index, needs, counts, per_need=1,
                                             per_researcher=MATCHES_PER_SIDE)]
    # A single-researcher index gives each need its own score only; keep the
    # researcher's top list (the last batch) and each need where it beats the
    # need's stored 50th score.
    rows = _rows(index, needs, batches[-1:])
    floor = _floors("challenge_id", [n.id for n in needs])
    for batch in batches[:-1]:
        for k in range(len(batch)):
            need_id = needs[batch.need[k]].id
            if batch.score[k] > floor.get(need_id, -np.inf):
                rows.setdefault((need_id, researcher.pk),
                                (float(batch.score[k]), batch.components(index, k)))
    return write_scores(rows, researcher_id=researcher.pk)
