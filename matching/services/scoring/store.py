"""Writing scored pairs: the rows of a scope become exactly the new ones."""

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from ... import engine
from ...engine.scoring import Matches, ResearcherIndex
from ...models import MatchScore
from .documents import VERSION

# Below this many rows plain INSERTs are as quick as COPY and simpler.
COPY_ABOVE = 1000


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
        return cls.from_arrays(ids=index.ids, track=index.track, outcomes=index.outcomes,
                               capacity_left=index.capacity_left,
                               need_ids=[x.id for x in needs], batches=batches)

    @classmethod
    def from_arrays(cls, *, ids, track, outcomes, capacity_left, need_ids,
                    batches: Sequence[Matches]) -> "ScoreRows":
        """From the index's per-researcher arrays alone (a chunked rebuild's finish
        reads those, not the whole index)."""
        batches = [b for b in batches if len(b)]
        if not batches:
            return cls.empty()
        cat = {name: np.concatenate([getattr(b, name) for b in batches])
               for name in ("researcher", "need", "score", "text", "field", "institution")}
        # A pair can be in a need's list and in the researcher's list: keep it once.
        _keys, first = np.unique(cat["need"] * len(ids) + cat["researcher"],
                                 return_index=True)
        r, n = cat["researcher"][first], cat["need"][first]
        need_ids = np.asarray(need_ids, dtype=np.int64)
        ids = np.asarray(ids, dtype=np.int64)
        parts = np.column_stack([cat["text"][first], cat["field"][first],
                                 cat["institution"][first], track[r], outcomes[r],
                                 np.minimum(capacity_left[r], 1)])
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
