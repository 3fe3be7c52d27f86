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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, TextField, Window
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone

from accounts.models import (
    CompanyMembership,
    IndustryCluster,
    IndustryPlatform,
    LeadingIndustry,
    ResearcherProfile,
    Work,
)

from .. import engine
from ..engine import features as feat
from ..engine.documents import need_text, profile_text, work_text
from ..engine.scoring import Matches, ResearcherCounts, ResearcherIndex, match_all
from ..models import Challenge, DocumentFeatures, MatchRun, MatchScore, Outcome, Placement

VERSION = engine.ENGINE_VERSION
MATCHES_PER_SIDE = 50
# Below this many rows plain INSERTs are as quick as COPY and simpler.
COPY_ABOVE = 1000
K = DocumentFeatures.Kind


# --- documents --------------------------------------------------------------------------

def researcher_profiles():
    return (ResearcherProfile.objects.filter(user__is_active=True)
            .annotate(active=Count("placements", filter=Q(placements__status=Placement.Status.ACTIVE),
                                   distinct=True),
                      track=Count("placements__outcomes",
                                  filter=Q(placements__outcomes__status=Outcome.Status.VERIFIED),
                                  distinct=True))
            .order_by("pk"))


def _researcher_rows(ids: Sequence[int] | None = None) -> list[tuple]:
    """Profiles as plain values, with what their cache key needs: when the profile
    and its works last changed, and how many works it has."""
    works = Work.objects.filter(researcher=OuterRef("pk")).order_by().values("researcher")
    profiles = researcher_profiles().annotate(
        n_works=Subquery(works.annotate(n=Count("pk")).values("n")),
        works_changed=Subquery(works.annotate(m=Max("updated_at")).values("m")))
    if ids is not None:
        profiles = profiles.filter(pk__in=ids)
    return list(profiles.values_list("pk", "user_id", "keywords", "bio", "disciplines",
                                     "institution_id", "capacity", "active", "track",
                                     "updated_at", "n_works", "works_changed"))


def _cache_key(row: tuple) -> str:
    """Changes whenever the profile or any of its works is saved, added or removed."""
    *_fields, updated_at, n_works, works_changed = row
    stamp = f"{updated_at.isoformat()}|{n_works or 0}|{works_changed or ''}"
    return hashlib.blake2b(stamp.encode(), digest_size=16).hexdigest()


def _companies_by_user() -> dict[int, set]:
    companies: dict[int, set] = {}
    for user_id, company_id in CompanyMembership.objects.values_list("user_id", "company_id"):
        companies.setdefault(user_id, set()).add(company_id)
    return companies


def _document(row: tuple, works: Sequence, companies: dict) -> engine.Researcher:
    pk, user_id, keywords, bio, disciplines, institution_id, capacity, active, track, *_ = row
    return engine.Researcher(
        id=pk, keywords=tuple(keywords or ()), bio=bio, works=tuple(works),
        disciplines=tuple(disciplines or ()), institution=institution_id,
        capacity_left=max(capacity - active, 0), track_record=track,
        company_ids=frozenset(companies.get(user_id, ())))


def researcher_outlines() -> tuple[list[engine.Researcher], dict[int, str]]:
    """Every active researcher without the text of their works (the index only
    needs the works' cached features), and each one's cache key."""
    rows, companies = _researcher_rows(), _companies_by_user()
    return [_document(r, (), companies) for r in rows], {r[0]: _cache_key(r) for r in rows}


def researcher_documents(ids: Sequence[int] | None = None, *,
                         memberships: bool = True) -> list[engine.Researcher]:
    """Active researchers (all, or those of `ids`) as complete engine documents.

    Read as plain values, a few queries in all: building 10,000 profiles and
    their 125,000 works as model instances would take longer than scoring them.
    """
    rows = _researcher_rows(ids)
    works: dict[int, list] = {}
    work_rows = Work.objects.filter(researcher__in=[r[0] for r in rows]) if ids is not None \
        else Work.objects.filter(researcher__user__is_active=True)
    # Keywords come as JSON text, decoded only when not empty: most works have
    # none, and decoding 125,000 empty lists costs a second.
    for owner, title, abstract, keywords, representative in (
            work_rows.order_by("researcher_id", "-representative", "-year", "id")
            .values_list("researcher_id", "title", "abstract",
                         Cast("keywords", output_field=TextField()), "representative")):
        works.setdefault(owner, []).append(engine.Work(
            title=title, abstract=abstract,
            keywords=tuple(json.loads(keywords)) if keywords and keywords != "[]" else (),
            representative=representative))
    # Which companies each researcher belongs to (scoring excludes their needs);
    # explaining a score does not need it.
    companies = _companies_by_user() if memberships else {}
    return [_document(r, works.get(r[0], ()), companies) for r in rows]


def open_challenges():
    return (Challenge.objects.published().select_related("industry")
            .prefetch_related("preferred_institutions").order_by("pk"))


def need_document(c: Challenge, *, preferences: bool = True) -> engine.Need:
    """The need as the engine reads it; without `preferences` its preferred
    institutions are not read (the text alone explains a score)."""
    return engine.Need(
        id=c.pk, title=c.title,
        description="\n".join(filter(None, [c.background, c.goals, c.indicators])),
        required_expertise=tuple(c.required_expertise),
        industry=f"{c.industry.name} {c.industry.name_en}" if c.industry else "",
        company_id=c.company_id,
        preferred_institutions=frozenset(i.pk for i in c.preferred_institutions.all())
        if preferences else frozenset(),
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


_words_loaded: dict = {}


def load_user_words(max_age: float = 600) -> None:
    """Teach this process's segmenter the user dictionary, at most every 10 minutes
    (web processes explaining matches need the same cuts as the workers)."""
    import time

    from ..engine import text

    if time.monotonic() - _words_loaded.get("at", -max_age - 1) > max_age:
        text.add_user_words(user_words())
        _words_loaded["at"] = time.monotonic()


# --- the feature cache --------------------------------------------------------------------

def _parts_of_researcher(r: engine.Researcher) -> list:
    return [work_text(w) for w in r.works] + [profile_text(r)]


def _content_hash(parts: list) -> str:
    """Identifies a document's text and weights; cheaper than serialising it."""
    digest = hashlib.blake2b(digest_size=16)
    for doc in parts:
        for body, weight in doc:
            digest.update(f"{weight}\x1f{body}\x1e".encode())
        digest.update(b"\x1d")
    return digest.hexdigest()


def _cached_blocks(kind: str, ids: Sequence[int], parts: Sequence[list], *,
                   processes: int, words: Sequence[str]) -> list:
    """Each document's count rows, from the cache where its text is unchanged."""
    hashes = [_content_hash(p) for p in parts]
    rows = DocumentFeatures.objects.filter(kind=kind, engine_version=VERSION)
    if len(ids) < 1000:  # a few documents: fetch just those; else all (cheaper than IN)
        rows = rows.filter(object_id__in=ids)
    cached = {object_id: (h, bytes(blob)) for object_id, h, blob in
              rows.values_list("object_id", "content_hash", "data")}
    blocks: list = [None] * len(ids)
    missing = []
    for k, (object_id, h) in enumerate(zip(ids, hashes, strict=True)):
        hit = cached.get(object_id)
        if hit and hit[0] == h:
            blocks[k] = feat.unpack(hit[1])[0]
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
            rows.append((kind, ids[k], VERSION, hashes[k], feat.pack(blocks[k])))
        _store_features(rows)
    return blocks


def _store_features(rows: list[tuple]) -> None:
    """Upsert cached features; through COPY on PostgreSQL, where a first full
    rebuild stores some 300 MB of them."""
    if connection.vendor != "postgresql" or len(rows) < 500:
        DocumentFeatures.objects.bulk_create(
            [DocumentFeatures(kind=k, object_id=o, engine_version=v, content_hash=h, data=d)
             for k, o, v, h, d in rows], batch_size=2000, update_conflicts=True,
            unique_fields=["kind", "object_id", "engine_version"],
            update_fields=["content_hash", "data", "updated_at"])
        return
    table = DocumentFeatures._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS new_features")
        cursor.execute("CREATE TEMP TABLE new_features (kind text, object_id bigint,"
                       " engine_version text, content_hash text, data bytea) ON COMMIT DROP")
        with cursor.connection.cursor().copy(
                "COPY new_features FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["text", "int8", "text", "text", "bytea"])
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} (kind, object_id, engine_version, content_hash, data,"
            " updated_at) SELECT kind, object_id, engine_version, content_hash, data, now()"
            " FROM new_features ON CONFLICT (kind, object_id, engine_version) DO UPDATE SET"
            " content_hash = EXCLUDED.content_hash, data = EXCLUDED.data,"
            " updated_at = EXCLUDED.updated_at")


def cached_researcher_features(ids: Sequence[int] | None = None) -> dict[int, tuple]:
    """object id → (cache key, blob) of the researchers' cached features."""
    rows = DocumentFeatures.objects.filter(kind=K.RESEARCHER, engine_version=VERSION)
    if ids is not None:
        rows = rows.filter(object_id__in=ids)
    return {o: (key, blob) for o, key, blob in
            rows.values_list("object_id", "content_hash", "data")}


def researcher_counts(researchers: Sequence[engine.Researcher], *, processes: int = 1,
                      words: Sequence[str] = (), keys: dict | None = None,
                      cached: dict | None = None) -> ResearcherCounts:
    """The researchers' count rows, from the cache where the profile and its works
    are unchanged (by key, without reading their text); the others are read in
    full, counted and cached. `keys` and `cached` may be passed when the caller
    has them already (see match_rebuild)."""
    ids = [r.id for r in researchers]
    few = ids if len(ids) < 1000 else None  # a few: fetch just those; else all (cheaper than IN)
    if keys is None:
        keys = {r[0]: _cache_key(r) for r in _researcher_rows(few)}
    if cached is None:
        cached = cached_researcher_features(few)
    blocks: dict[int, tuple] = {}
    for object_id in ids:
        key, blob = cached.get(object_id, (None, None))
        if key is not None and keys.get(object_id) == key:
            # No copy: the arrays view the fetched buffer until stacking copies them.
            blocks[object_id] = feat.unpack(blob)
    stale = [i for i in ids if i not in blocks]
    if stale:
        docs = researcher_documents(stale)
        flat, spans = [], []
        for doc in docs:
            parts = _parts_of_researcher(doc)
            spans.append((len(flat), len(parts)))
            flat.extend(parts)
        counts = feat.count_rows_parallel(flat, processes=processes, user_words=words)
        stored = []
        for doc, (start, length) in zip(docs, spans, strict=True):
            flags = np.array([w.representative for w in doc.works], dtype=bool)
            blocks[doc.id] = (counts[start:start + length], flags)
            stored.append((K.RESEARCHER, doc.id, VERSION, keys[doc.id],
                           feat.pack(blocks[doc.id][0], flags)))
        _store_features(stored)
    return ResearcherCounts.from_blocks([blocks[i][0] for i in ids], [blocks[i][1] for i in ids])


def need_counts(needs: Sequence[engine.Need], *, processes: int = 1, words: Sequence[str] = ()):
    blocks = _cached_blocks(K.CHALLENGE, [n.id for n in needs], [[need_text(n)] for n in needs],
                            processes=processes, words=words)
    return feat.stack(blocks)


# --- writing scores ----------------------------------------------------------------------

@dataclass
class ScoreRows:
    """Scored pairs ready to store, as parallel arrays, one row per pair."""

    challenge: np.ndarray
    researcher: np.ndarray
    score: np.ndarray
    # The parts of each score: text, field, institution, track, outcomes, availability.
    parts: np.ndarray

    @classmethod
    def empty(cls) -> "ScoreRows":
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 6)))

    @classmethod
    def of(cls, index: ResearcherIndex, needs: Sequence[engine.Need],
           batches: Sequence[Matches]) -> "ScoreRows":
        batches = [b for b in batches if len(b)]
        if not batches:
            return cls.empty()
        cat = {name: np.concatenate([getattr(b, name) for b in batches])
               for name in ("researcher", "need", "score", "text", "field", "institution")}
        # A pair can be in a need's list and in the researcher's list: keep it once.
        _keys, first = np.unique(cat["need"] * len(index.ids) + cat["researcher"],
                                 return_index=True)
        r, n = cat["researcher"][first], cat["need"][first]
        need_ids = np.array([x.id for x in needs], dtype=np.int64)
        ids = np.array(index.ids, dtype=np.int64)
        parts = np.column_stack([cat["text"][first], cat["field"][first],
                                 cat["institution"][first], index.track[r], index.outcomes[r],
                                 np.minimum(index.capacity_left[r], 1)])
        return cls(need_ids[n], ids[r], cat["score"][first].astype(np.float64), parts)

    def __len__(self):
        return len(self.score)

    def components(self, rows: np.ndarray | None = None) -> list[str]:
        """The JSON text of the components of the given rows (all by default); built
        only for rows that are written, which after a quiet night are few."""
        parts = self.parts if rows is None else self.parts[rows]
        return [f'{{"text": {t:.4f}, "field": {f:g}, "institution": {i:g}, "track": {k:.4f}, '
                f'"outcomes": {int(o)}, "availability": {a:g}}}'
                for t, f, i, k, o, a in parts.tolist()]


def write_scores(rows: ScoreRows | None, *, challenge_id: int | None = None,
                 researcher_id: int | None = None) -> int:
    """Make the stored scores of this engine version, in the given scope (one
    challenge, one researcher, or everything), exactly `rows`; a full write also
    removes every other engine version's scores."""
    rows = rows or ScoreRows.empty()
    scope = MatchScore.objects.filter(engine_version=VERSION)
    if challenge_id is not None:
        scope = scope.filter(challenge_id=challenge_id)
    if researcher_id is not None:
        scope = scope.filter(researcher_id=researcher_id)
    everything = challenge_id is None and researcher_id is None
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(rows) > COPY_ABOVE:
            _upsert_by_copy(rows, challenge_id=challenge_id, researcher_id=researcher_id)
        else:
            scope.delete()
            now = timezone.now()
            MatchScore.objects.bulk_create(
                [MatchScore(challenge_id=c, researcher_id=r, score=sc, components=json.loads(comp),
                            engine_version=VERSION, computed_at=now)
                 for c, r, sc, comp in zip(rows.challenge.tolist(), rows.researcher.tolist(),
                                           rows.score.tolist(), rows.components(), strict=True)],
                batch_size=5000)
        if everything:
            MatchScore.objects.exclude(engine_version=VERSION).delete()
    return len(rows)


def _pair_keys(challenges: np.ndarray, researchers: np.ndarray) -> np.ndarray:
    return (challenges.astype(np.int64) << 32) | researchers.astype(np.int64)


def _upsert_by_copy(rows: ScoreRows, *, challenge_id=None, researcher_id=None) -> None:
    """PostgreSQL: write only what changed.

    The scope's current scores are read and compared with the new ones in numpy;
    new and changed rows go through COPY into a temporary table and one upsert,
    vanished pairs are deleted. A nightly rebuild that changes little therefore
    writes little. The table is locked against other writers (a need published
    meanwhile waits a moment) so that the comparison stays true until commit.
    """
    table = MatchScore._meta.db_table
    scope, params = ["engine_version = %s"], [VERSION]
    if challenge_id is not None:
        scope.append("challenge_id = %s")
        params.append(challenge_id)
    if researcher_id is not None:
        scope.append("researcher_id = %s")
        params.append(researcher_id)
    where = " AND ".join(scope)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT challenge_id, researcher_id, score FROM {table} WHERE {where}",
                       params)
        old = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 3)
        old_keys = _pair_keys(old[:, 0].astype(np.int64), old[:, 1].astype(np.int64))
        new_keys = _pair_keys(rows.challenge, rows.researcher)
        unchanged = np.zeros(len(new_keys), dtype=bool)
        if len(old_keys):
            order = np.argsort(old_keys)
            at = order[np.minimum(np.searchsorted(old_keys[order], new_keys), len(order) - 1)]
            unchanged = (old_keys[at] == new_keys) & (old[at, 2] == rows.score)
        changed = np.nonzero(~unchanged)[0]
        gone = old[~np.isin(old_keys, new_keys)][:, :2].astype(np.int64)
        if len(changed) and not len(old_keys):
            # Nothing stored in this scope yet (a first rebuild): every row is new and
            # the lock keeps others out, so COPY straight into the table.
            now = timezone.now().isoformat()
            with cursor.connection.cursor().copy(
                    f"COPY {table} (challenge_id, researcher_id, score, components,"
                    " engine_version, computed_at) FROM STDIN") as copy:
                copy.write("".join(f"{c}\t{r}\t{sc!r}\t{comp}\t{VERSION}\t{now}\n"
                                   for c, r, sc, comp in zip(
                                       rows.challenge.tolist(), rows.researcher.tolist(),
                                       rows.score.tolist(), rows.components(), strict=True)))
        elif len(changed):
            lines = "".join(f"{c}\t{r}\t{sc!r}\t{comp}\n" for c, r, sc, comp in zip(
                rows.challenge[changed].tolist(), rows.researcher[changed].tolist(),
                rows.score[changed].tolist(), rows.components(changed), strict=True))
            # Dropped first: inside an enclosing transaction (tests) ON COMMIT never comes.
            cursor.execute("DROP TABLE IF EXISTS new_scores")
            cursor.execute("CREATE TEMP TABLE new_scores (challenge_id bigint,"
                           " researcher_id bigint, score double precision, components jsonb)"
                           " ON COMMIT DROP")
            with cursor.connection.cursor().copy(
                    "COPY new_scores (challenge_id, researcher_id, score, components) FROM STDIN"
            ) as copy:
                copy.write(lines)
            cursor.execute(
                f"INSERT INTO {table} (challenge_id, researcher_id, score, components,"
                " engine_version, computed_at) SELECT challenge_id, researcher_id, score,"
                " components, %s, now() FROM new_scores"
                " ON CONFLICT (challenge_id, researcher_id, engine_version) DO UPDATE SET"
                " score = EXCLUDED.score, components = EXCLUDED.components,"
                " computed_at = EXCLUDED.computed_at", [VERSION])
        if len(gone):
            cursor.execute("DROP TABLE IF EXISTS gone_scores")
            cursor.execute("CREATE TEMP TABLE gone_scores (challenge_id bigint,"
                           " researcher_id bigint) ON COMMIT DROP")
            with cursor.connection.cursor().copy("COPY gone_scores FROM STDIN") as copy:
                copy.write("".join(f"{c}\t{r}\n" for c, r in gone.tolist()))
            cursor.execute(
                f"DELETE FROM {table} m USING gone_scores g WHERE m.engine_version = %s"
                " AND m.challenge_id = g.challenge_id AND m.researcher_id = g.researcher_id",
                [VERSION])


# --- the three jobs -----------------------------------------------------------------------

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
    index = ResearcherIndex(researchers, counts)
    del counts
    counts = need_counts(needs, processes=processes, words=words)
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
        researchers, _keys = researcher_outlines()
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
    index = ResearcherIndex(docs, researcher_counts(docs, words=words))
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
