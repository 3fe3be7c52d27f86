"""Scores for every researcher–need pair, as sparse matrix products. Pure, no ORM.

score = TEXT + FIELD·field + INSTITUTION·institution + TRACK·track + AVAILABILITY·availability

TEXT (0–1) is the same measure for every pair, so scores compare across needs for
one researcher ("recommended for you") and across researchers for one need (a
company's list). Per work, the lexical cosine of TF-IDF vectors is fused with a
semantic cosine in a space learned from the corpus (semantic.py) on the
lexical scale; a researcher's works are then aggregated by a softmax-weighted
mean (a strongly relevant paper weighs more than an unrelated one, yet a body
of work in the area counts more than one paper), and blended with the profile
(keywords, disciplines, bio). The parameters were chosen by cross-validation on
development sets (bench/engine_study.py). The other components are small
bonuses in [0, 1] times their weight: they order researchers whose texts fit
about equally well, and never lift a researcher whose work does not fit above
one whose work does.

A pair whose TEXT is below RELEVANCE_CUTOFF is not recommended at all: it
would be noise however the bonuses rank it.
"""

from collections import Counter, deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import features as feat
from . import semantic
from .documents import Need, Researcher, need_text, profile_text, work_text

ENGINE_VERSION = "2"

# The profile's share of TEXT; the works' softmax-weighted mean has the rest.
W_PROFILE = 0.30
# Softmax temperature of the aggregation over a researcher's works: weights
# exp(similarity / T). Small T tends to the best work, large T to the plain mean;
# cross-validation chose 0.5 (see bench/engine_study.py).
TEMPERATURE = 0.5
# Below this TEXT a pair is not recommended (neither in a need's list nor in a
# researcher's): on the CSL development set, the threshold that best separates
# relevant from irrelevant pairs among each need's top 50 (F1, 5-fold
# cross-validated) was 0.04 in every fold.
RELEVANCE_CUTOFF = 0.04
# A researcher's representative works stand for their current direction.
REPRESENTATIVE_BOOST = 1.15
# Bonuses: a need's preferred discipline and institution, a verified track
# record, room in the researcher's capacity.
FIELD = 0.05
INSTITUTION = 0.03
TRACK = 0.03
AVAILABILITY = 0.02
# Query pruning: a need keeps its heaviest terms only (see features.tfidf).
NEED_TERMS = 80
# Needs scored at once: 48 keeps a chunk's dense works × needs block (~40 MB) in
# cache-friendly size; 32–64 measured fastest on this 2-core machine.
CHUNK = 48
# Chunks scored at once (threads): this machine has two cores.
THREADS = 2


def researcher_docs(researchers: Sequence[Researcher]) -> tuple[list, list, np.ndarray]:
    """Documents to count: every work, then every profile; and each work's owner."""
    works, owners = [], []
    for i, r in enumerate(researchers):
        for w in r.works:
            works.append(work_text(w))
            owners.append(i)
    return works, [profile_text(r) for r in researchers], np.array(owners, dtype=np.int64)


@dataclass
class ResearcherCounts:
    """Raw hashed counts of the researchers' side: what is cached between runs."""

    works: sp.csr_matrix
    profiles: sp.csr_matrix
    owners: np.ndarray
    representative: np.ndarray

    @classmethod
    def from_blocks(cls, blocks: Sequence[sp.csr_matrix],
                    representative: Sequence[np.ndarray]) -> "ResearcherCounts":
        """From each researcher's own rows (their works, then their profile) and the
        representative flags of their works."""
        works, profiles = feat.stack_split(blocks)
        owners = np.repeat(np.arange(len(blocks)), [b.shape[0] - 1 for b in blocks])
        rep = (np.concatenate(representative).astype(bool) if len(representative)
               else np.zeros(0, dtype=bool))
        return cls(works, profiles, owners, rep)

    @classmethod
    def of(cls, researchers: Sequence[Researcher], *, processes: int = 1,
           user_words: Sequence[str] = ()) -> "ResearcherCounts":
        works, profiles, owners = researcher_docs(researchers)
        counts = feat.count_rows_parallel(works + profiles, processes=processes,
                                          user_words=user_words)
        rep = np.array([w.representative for r in researchers for w in r.works], dtype=bool)
        return cls(counts[:len(works)], counts[len(works):], owners, rep)


class ResearcherIndex:
    """The researchers' side, ready to score needs against.

    It takes over the counts' memory (TF-IDF is computed in place): build it from
    counts that are not used again. Without a semantic `space` (a corpus too small
    to learn one) the lexical cosine stands alone.
    """

    def __init__(self, researchers: Sequence[Researcher], counts: ResearcherCounts,
                 space: semantic.Space | None = None):
        n = len(researchers)
        self.researchers = list(researchers)
        self.ids = [r.id for r in researchers]
        self.space = space
        self.idf = feat.idf_from(counts.works, counts.profiles)
        works = feat.tfidf(counts.works, self.idf, in_place=True)
        per = np.bincount(counts.owners, minlength=n)
        self.slots = max(int(per.max(initial=0)), 1)
        # Researchers are laid out by number of works, most first, so that the k-th
        # slot is filled for a prefix of them and later slots cost less.
        self.layout = np.argsort(-per, kind="stable")  # layout position → researcher
        self.back = np.empty_like(self.layout)  # researcher → layout position
        self.back[self.layout] = np.arange(n)
        self.filled = [int((per > k).sum()) for k in range(self.slots)]
        self.offsets = np.concatenate([[0], np.cumsum(self.filled)]).astype(np.int64)
        # Stored term-major (terms × works): a need's few heaviest terms then touch
        # only their own posting lists, not every work's row. Works are laid out
        # slot by slot — every researcher's first work, then every second work … —
        # so that one slot of all researchers is one contiguous block of columns.
        position = _slot_positions(self.back[counts.owners], self.offsets, n)
        self.works_by_term = _term_major(works, len(position), position)
        # Representative works stand for the researcher's current direction: they
        # weigh more in the mean (their similarity itself is not inflated).
        self.boost = None
        if counts.representative.any():
            self.boost = np.ones(len(position), dtype=np.float32)
            self.boost[position[counts.representative]] = REPRESENTATIVE_BOOST
        self.work_vectors = None
        if space is not None and len(position):
            self.work_vectors = np.empty((len(position), space.components.shape[0]),
                                         dtype=np.float32)
            self.work_vectors[position] = space.encode(works)
        self.profiles_by_term = _term_major(feat.tfidf(counts.profiles, self.idf,
                                                       in_place=True), n)
        self.disciplines = _Incidence([r.disciplines for r in researchers])
        self.institutions = _Incidence([(r.institution,) for r in researchers])
        self.members = [(i, r.company_ids) for i, r in enumerate(researchers) if r.company_ids]
        self.capacity_left = np.array([r.capacity_left for r in researchers], dtype=np.float32)
        self.outcomes = np.array([r.track_record for r in researchers], dtype=np.int64)
        # Saturating: the first verified outcomes say the most.
        self.track = (1 - np.exp(-self.outcomes / 3)).astype(np.float32)
        self.available = self.capacity_left > 0
        self.matchable = np.array([r.matchable for r in researchers], dtype=bool)

    def position(self) -> dict:
        """researcher id → row of this index."""
        return {pk: i for i, pk in enumerate(self.ids)}

    # --- scoring ---------------------------------------------------------------------
    def need_vectors(self, need_counts: sp.csr_matrix) -> "NeedVectors":
        """The needs' pruned TF-IDF rows and, with a space, their semantic vectors
        (from every term: pruning is for the sparse product's speed)."""
        full = feat.tfidf(need_counts, self.idf)
        dense = self.space.encode(full) if self.space is not None else None
        return NeedVectors(feat.tfidf(need_counts, self.idf, keep=NEED_TERMS), dense)

    def work_similarities(self, vectors: "NeedVectors") -> np.ndarray:
        """needs × works (layout order): the lexical cosine fused with the semantic one."""
        per_work = (vectors.lexical @ self.works_by_term).toarray()
        if self.work_vectors is not None and vectors.semantic is not None:
            per_work = semantic.fuse_into(per_work, vectors.semantic @ self.work_vectors.T)
        return per_work

    def text_scores(self, vectors: "NeedVectors") -> tuple[np.ndarray, np.ndarray]:
        """(works, profile): researchers × needs arrays.

        The works' softmax-weighted mean Σ s·b·e^(s/T) / Σ b·e^(s/T) (b: the
        representative boost, else 1) is accumulated
        slot by slot (every researcher's k-th work at once) over whole arrays,
        far faster than a loop over each researcher's short list. Similarities
        lie in [0, 1], so e^(s/T) cannot overflow and needs no shift.
        """
        m, n = vectors.lexical.shape[0], len(self.researchers)
        per_work = self.work_similarities(vectors)
        weighted = np.zeros((m, n), dtype=np.float32)
        weights = np.zeros((m, n), dtype=np.float32)
        for slot, filled in enumerate(self.filled):
            span = slice(self.offsets[slot], self.offsets[slot] + filled)
            s = per_work[:, span]
            e = np.exp(s / TEMPERATURE)
            if self.boost is not None:
                e *= self.boost[span]
            weights[:, :filled] += e
            e *= s
            weighted[:, :filled] += e
        np.divide(weighted, weights, out=weighted, where=weights > 0)
        # Back from the layout order to the researchers' own order.
        works = weighted[:, self.back]
        profile = (vectors.lexical @ self.profiles_by_term).toarray()
        return works.T, profile.T

    def scores(self, needs: Sequence[Need], vectors: "NeedVectors", *,
               cutoff: bool = True) -> "Scores":
        """Every pair's score; with `cutoff`, pairs below RELEVANCE_CUTOFF are −inf
        like excluded ones (the cohort solver reads them all)."""
        works, profile = self.text_scores(vectors)
        text = (1 - W_PROFILE) * works + W_PROFILE * profile
        field = self.disciplines.overlap([n.preferred_disciplines for n in needs])
        institution = self.institutions.overlap([n.preferred_institutions for n in needs])
        availability = np.minimum(self.capacity_left, 1)[:, None]
        raw = (text + FIELD * field + INSTITUTION * institution + TRACK * self.track[:, None]
               + AVAILABILITY * availability)
        total = raw.copy()
        total[self._excluded(needs)] = -np.inf
        if cutoff:
            total[text < RELEVANCE_CUTOFF] = -np.inf
        return Scores(total, text, field, institution, raw)

    def for_companies(self, total: np.ndarray) -> np.ndarray:
        """`total` with the researchers who may not be shown to companies left out
        (−inf): what a need's own list ranks."""
        if self.matchable.all():
            return total
        return np.where(self.matchable[:, None], total, -np.inf)

    def _excluded(self, needs: Sequence[Need]) -> np.ndarray:
        """Pairs never recommended: fully booked researchers, members of the company."""
        excluded = np.zeros((len(self.researchers), len(needs)), dtype=bool)
        excluded[~self.available, :] = True
        for i, companies in self.members:
            for j, n in enumerate(needs):
                if n.company_id in companies:
                    excluded[i, j] = True
        return excluded


class _Incidence:
    """Which researcher has which label (discipline, institution), as a sparse
    matrix, so that "shares a label with the need" is one product per chunk."""

    def __init__(self, labels_per_researcher: Sequence[Sequence]):
        self.ids: dict = {}
        rows, cols = [], []
        for i, labels in enumerate(labels_per_researcher):
            for label in labels:
                if label is not None:
                    rows.append(i)
                    cols.append(self.ids.setdefault(label, len(self.ids)))
        self.matrix = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                                    shape=(len(labels_per_researcher), max(len(self.ids), 1)))

    def overlap(self, labels_per_need: Sequence[Sequence]) -> np.ndarray:
        rows, cols = [], []
        for j, labels in enumerate(labels_per_need):
            for label in labels:
                if label in self.ids:
                    rows.append(j)
                    cols.append(self.ids[label])
        if not rows:
            return np.zeros((self.matrix.shape[0], len(labels_per_need)), dtype=np.float32)
        wanted = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                               shape=(len(labels_per_need), self.matrix.shape[1]))
        return np.minimum((self.matrix @ wanted.T).toarray(), 1).astype(np.float32)


def _term_major(rows: sp.csr_matrix, width: int, position: np.ndarray | None = None):
    """terms × documents, with document k in column position[k] (default k).

    The CSC form of (documents × terms) is, read the other way, the CSR form of
    (terms × documents): one conversion, then the row numbers are re-mapped.
    """
    csc = rows.tocsc()
    indices = csc.indices if position is None else position[csc.indices]
    return sp.csr_matrix((csc.data, indices, csc.indptr), shape=(rows.shape[1], width))


def _slot_positions(owners: np.ndarray, offsets: np.ndarray, n: int) -> np.ndarray:
    """Column of each work: where its slot (its rank among its owner's works)
    starts, plus its owner's layout position."""
    order = np.argsort(owners, kind="stable")
    per = np.bincount(owners, minlength=n)
    starts = np.concatenate([[0], np.cumsum(per)[:-1]])
    rank = np.empty(len(owners), dtype=np.int64)
    rank[order] = np.arange(len(owners)) - starts[owners[order]]
    return offsets[rank] + owners


@dataclass
class NeedVectors:
    """A batch of needs as the index reads them: pruned TF-IDF rows and, when the
    index has a semantic space, dense unit vectors."""

    lexical: sp.csr_matrix
    semantic: np.ndarray | None = None

    def __getitem__(self, rows: slice) -> "NeedVectors":
        return NeedVectors(self.lexical[rows],
                           None if self.semantic is None else self.semantic[rows])

    @property
    def shape(self):
        return self.lexical.shape


@dataclass
class Scores:
    total: np.ndarray  # researchers × needs
    text: np.ndarray
    field: np.ndarray
    institution: np.ndarray
    # The totals before the exclusions: an applicant's score is shown to the
    # company even when they are fully booked.
    raw: np.ndarray | None = None


@dataclass
class Matches:
    """A batch of scored pairs as parallel arrays (researcher and need positions)."""

    researcher: np.ndarray
    need: np.ndarray
    score: np.ndarray
    text: np.ndarray
    field: np.ndarray
    institution: np.ndarray

    @classmethod
    def take(cls, s: Scores, rows: np.ndarray, cols: np.ndarray, need_offset: int = 0,
             raw: bool = False):
        """The pairs (rows, cols) of `s`, less the excluded ones (−inf); with `raw`,
        every pair, scored before the exclusions."""
        total = s.raw if raw and s.raw is not None else s.total
        keep = np.isfinite(total[rows, cols])
        rows, cols = rows[keep], cols[keep]
        return cls(rows, cols + need_offset, total[rows, cols], s.text[rows, cols],
                   s.field[rows, cols], s.institution[rows, cols])

    @classmethod
    def concat(cls, batches: Sequence["Matches"]) -> "Matches":
        return cls(*(np.concatenate([getattr(b, f) for b in batches]) for f in
                     ("researcher", "need", "score", "text", "field", "institution")))

    def __len__(self):
        return len(self.score)

    def __iter__(self):
        return iter(zip(self.researcher.tolist(), self.need.tolist(), self.score.tolist(),
                        strict=True))


def top_k(values: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Indices of the k largest values along `axis`, best first."""
    k = min(k, values.shape[axis])
    part = np.argpartition(-values, k - 1, axis=axis).take(np.arange(k), axis=axis)
    order = np.argsort(-np.take_along_axis(values, part, axis=axis), axis=axis, kind="stable")
    return np.take_along_axis(part, order, axis=axis)


def _scored_chunks(index: ResearcherIndex, needs: Sequence[Need], vectors: NeedVectors,
                   chunk: int, workers: int, cutoff: bool) -> Iterator[tuple[int, "Scores"]]:
    """(first need, scores) of each chunk, in order, scored `workers` chunks at a
    time: the sparse products and the element-wise numpy work release the GIL,
    so two threads use both cores. At most workers + 1 chunks are held at once."""
    starts = list(range(0, len(needs), chunk))
    if workers <= 1 or len(starts) < 2:
        for start in starts:
            yield start, index.scores(needs[start:start + chunk], vectors[start:start + chunk],
                                      cutoff=cutoff)
        return
    with ThreadPoolExecutor(workers) as pool:
        pending: deque = deque()
        for start in starts:
            pending.append((start, pool.submit(index.scores, needs[start:start + chunk],
                                               vectors[start:start + chunk], cutoff=cutoff)))
            if len(pending) > workers:
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()


def match_all(index: ResearcherIndex, needs: Sequence[Need], need_counts: sp.csr_matrix, *,
              per_need: int = 50, per_researcher: int = 50, chunk: int = CHUNK,
              threads: int | None = None, cutoff: bool = True,
              pairs: tuple[np.ndarray, np.ndarray] | None = None,
              ) -> Iterator[tuple[int, int, Matches]]:
    """Score every pair, chunk by chunk of needs.

    Yields (needs done, needs total, matches) after each chunk — the chunk's top
    `per_need` matchable researchers of each need, best first, and the chunk's
    `pairs` (researcher rows, need positions: applicants, kept whatever their
    rank, scored before the exclusions) — and, when per_researcher
    is set, finally (total, total, matches) with each researcher's top
    `per_researcher` needs, kept as a running best list across chunks so that no
    chunk's full score matrix outlives its turn. Pairs below the relevance
    cut-off are left out unless `cutoff` is False (ranking evaluations).
    """
    vectors = index.need_vectors(need_counts)
    n_r = len(index.researchers)
    names = ("total", "text", "field", "institution")
    best = {name: np.zeros((n_r, 0), dtype=np.float32) for name in names}
    best_needs = np.zeros((n_r, 0), dtype=np.int64)
    for start, s in _scored_chunks(index, needs, vectors, chunk,
                                   THREADS if threads is None else threads, cutoff):
        part = needs[start:start + chunk]
        if per_need > 0 and n_r:
            shown = Scores(index.for_companies(s.total), s.text, s.field, s.institution)
            rows = top_k(shown.total, per_need, axis=0)  # k × needs
            cols = np.broadcast_to(np.arange(len(part)), rows.shape)
            found = Matches.take(shown, rows.T.ravel(), cols.T.ravel(), need_offset=start)
        else:
            found = Matches.take(s, np.zeros(0, np.int64), np.zeros(0, np.int64))
        if pairs is not None:
            here = (pairs[1] >= start) & (pairs[1] < start + len(part))
            found = Matches.concat([found, Matches.take(
                s, pairs[0][here], pairs[1][here] - start, need_offset=start, raw=True)])
        if per_researcher > 0 and n_r:
            merged_needs = np.hstack([best_needs, np.broadcast_to(
                np.arange(start, start + len(part)), (n_r, len(part)))])
            keep = top_k(np.hstack([best["total"], s.total]), per_researcher, axis=1)
            for name in names:
                merged = np.hstack([best[name], getattr(s, name)])
                best[name] = np.take_along_axis(merged, keep, axis=1)
            best_needs = np.take_along_axis(merged_needs, keep, axis=1)
        yield min(start + chunk, len(needs)), len(needs), found
    if per_researcher > 0 and n_r:
        final = Scores(best["total"], best["text"], best["field"], best["institution"])
        rows, slots = np.nonzero(np.isfinite(final.total))
        batch = Matches.take(final, rows, slots)
        batch.need = best_needs[rows, slots]
        yield len(needs), len(needs), batch
def train_space(counts: ResearcherCounts, need_counts: sp.csr_matrix | None = None,
                *, seed: int = 0) -> semantic.Space | None:
    """A semantic space learned from the researchers' works and the needs (TF-IDF
    with the works' IDF, as the index weighs them); the counts are not changed."""
    idf = feat.idf_from(counts.works, counts.profiles)
    rows = feat.stack([counts.works] + ([need_counts] if need_counts is not None else []))
    if rows.shape[0] > semantic.TRAIN_DOCUMENTS:
        pick = np.random.default_rng(seed).choice(rows.shape[0], semantic.TRAIN_DOCUMENTS,
                                                  replace=False)
        rows = rows[np.sort(pick)]
    return semantic.train([feat.tfidf(rows, idf)], seed=seed)


def need_counts_of(needs: Sequence[Need], *, processes: int = 1,
                   user_words: Sequence[str] = ()) -> sp.csr_matrix:
    return feat.count_rows_parallel([need_text(n) for n in needs], processes=processes,
                                    user_words=user_words)


# A shared term used by more than this share of all documents names no field
# ("材料", "方法"): it is not shown as a reason, unless someone entered it as a keyword.
COMMON_SHARE = 0.05


def researcher_terms(researcher: Researcher) -> Counter[str]:
    """How often the researcher's works and profile use each term (weighted as
    scoring weighs them): what shared_terms compares a need with. Worth computing
    once for a page of one researcher's matches."""
    from .text import words

    own = Counter()
    for work in researcher.works:
        for body, weight in work_text(work):
            own.update(words(body) * weight)
    for body, weight in profile_text(researcher):
        own.update(words(body) * weight)
    return own


def shared_terms(researcher: Researcher, need: Need, idf: np.ndarray | None = None,
                 limit: int = 8, space: semantic.Space | None = None,
                 own: Counter[str] | None = None) -> list[str]:
    """The domain terms that most tie a researcher to a need, strongest first.

    A term weighs its IDF (rare terms say more) × how often the need uses it ×
    log(1 + how often the researcher's works and profile use it). Words of
    reporting (text.REPORT_WORDS) and, given the corpus's `space`, terms too
    common in the corpus are left out: a reason names a domain term.
    """
    from .text import REPORT_WORDS, is_user_word, words

    need_words = Counter(w for body, weight in need_text(need) for w in words(body) * weight)
    own = own if own is not None else researcher_terms(researcher)
    common = [t for t in need_words if t in own and t not in REPORT_WORDS]
    if space is not None and common:
        ids = feat.term_ids(common)
        too_common = space.common(ids, COMMON_SHARE)
        common = [t for t, c in zip(common, too_common.tolist(), strict=True)
                  if not c or is_user_word(t)]
    if idf is not None and common:
        rarity = dict(zip(common, idf[feat.term_ids(common)].tolist(), strict=True))
    else:
        rarity = dict.fromkeys(common, 1.0)
    weight = {t: rarity[t] * need_words[t] * np.log1p(own[t]) for t in common}
    return sorted(common, key=lambda t: (-weight[t], t))[:limit]
