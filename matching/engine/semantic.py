"""A semantic space learned from the corpus itself: LSA of the TF-IDF matrix. Pure, no ORM.

Lexical TF-IDF only sees a need and a paper as related when they share terms;
"锂离子电池正极" and "三元材料包覆" share none. A truncated SVD of the corpus's
TF-IDF matrix (latent semantic analysis) maps terms that occur in the same
documents close together, so such pairs get some similarity. The space is
trained here, on our own works and needs (no model is downloaded), kept per
engine version, and applied to a document's cached token counts in one sparse
× dense product: nothing per document needs caching beyond the counts.

It is fused with the lexical cosine per work (see `fuse`), before a researcher's
works are aggregated.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import features as feat

# Chosen by 5-fold cross-validation on the CSL (Chinese) and an English arXiv
# development set (bench/engine_study.py): 50 dimensions, fusion weight 0.2.
DIMS = 50
WEIGHT = 0.2
# The space keeps the VOCABULARY most frequent terms (of those in two documents
# or more): rare terms carry little co-occurrence to learn from, and the space
# stays a few megabytes (VOCABULARY × DIMS half-floats).
VOCABULARY = 60_000
# Trained on at most this many documents, a fixed sample: the SVD of a district's
# 135,000 works would take a minute for a space that a sample learns as well.
TRAIN_DOCUMENTS = 20_000
# Fewer documents than this teach nothing worth fusing: the lexical score stands alone.
MIN_DOCUMENTS = 50


@dataclass
class Space:
    terms: np.ndarray  # hashed feature numbers, sorted
    components: np.ndarray  # dims × terms
    # The share of the training documents that use each term: explanations leave
    # out terms too common to say anything (see scoring.shared_terms).
    share: np.ndarray

    def common(self, term_ids: np.ndarray, above: float) -> np.ndarray:
        """Which of these hashed terms more than `above` of the documents use."""
        at = np.minimum(np.searchsorted(self.terms, term_ids), len(self.terms) - 1)
        return (self.terms[at] == term_ids) & (self.share[at] > above)

    def encode(self, tfidf_rows: sp.csr_matrix) -> np.ndarray:
        """Unit vectors (rows × dims) of TF-IDF rows; a row with no known term is 0."""
        rows = tfidf_rows.tocsr()
        at = np.searchsorted(self.terms, rows.indices)
        at = np.minimum(at, len(self.terms) - 1)
        known = self.terms[at] == rows.indices
        # Known terms per row, counted by row number (rows without terms count 0).
        row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
        lengths = np.bincount(row_of[known], minlength=rows.shape[0])
        sub = sp.csr_matrix((rows.data[known], at[known],
                             np.concatenate([[0], np.cumsum(lengths)])),
                            shape=(rows.shape[0], len(self.terms)))
        vectors = np.asarray(sub @ self.components.T.astype(np.float32), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1
        return vectors / norms

    def pack(self) -> bytes:
        header = np.array([len(self.terms), self.components.shape[0]], dtype=np.int64)
        return b"".join([header.tobytes(), self.terms.astype(np.int32).tobytes(),
                         self.components.astype(np.float16).tobytes(),
                         self.share.astype(np.float16).tobytes()])

    @classmethod
    def unpack(cls, blob: bytes) -> "Space":
        n, dims = (int(x) for x in np.frombuffer(blob, dtype=np.int64, count=2))
        terms = np.frombuffer(blob, dtype=np.int32, count=n, offset=16)
        components = np.frombuffer(blob, dtype=np.float16, count=n * dims, offset=16 + 4 * n)
        share = np.frombuffer(blob, dtype=np.float16, count=n, offset=16 + 4 * n + 2 * n * dims)
        return cls(terms.astype(np.int64), components.reshape(dims, n).astype(np.float32),
                   share.astype(np.float32))


def train(tfidf_parts: Sequence[sp.csr_matrix], *, dims: int = DIMS,
          seed: int = 0) -> Space | None:
    """The space of a corpus (TF-IDF rows of works and needs); None if too small."""
    from sklearn.decomposition import TruncatedSVD

    rows = feat.stack([p.tocsr() for p in tfidf_parts if p.shape[0]])
    if rows.shape[0] < MIN_DOCUMENTS:
        return None
    if rows.shape[0] > TRAIN_DOCUMENTS:
        pick = np.sort(np.random.default_rng(seed).choice(rows.shape[0], TRAIN_DOCUMENTS,
                                                          replace=False))
        rows = rows[pick]
    df = np.bincount(rows.indices, minlength=feat.N_FEATURES)
    candidates = np.nonzero(df >= 2)[0]
    terms = np.sort(candidates[np.argsort(-df[candidates], kind="stable")[:VOCABULARY]])
    dims = min(dims, rows.shape[0] - 1, len(terms) - 1)
    if dims < 2:
        return None
    svd = TruncatedSVD(dims, algorithm="randomized", n_iter=5, random_state=seed)
    svd.fit(rows[:, terms])
    return Space(terms, svd.components_.astype(np.float32), df[terms] / rows.shape[0])


def fuse(lexical: np.ndarray, semantic: np.ndarray, weight: float = WEIGHT) -> np.ndarray:
    """One similarity per (need, work) on the lexical cosine's scale.

    The semantic cosine of two unrelated documents is far from 0 (LSA vectors of
    one corpus share its common directions), so it is clipped at 0 and squared:
    high only when the documents are truly close, near 0 otherwise, like the
    lexical cosine.
    """
    sem = np.maximum(semantic, 0)
    return (1 - weight) * lexical + weight * sem * sem


def fuse_into(lexical: np.ndarray, semantic: np.ndarray, weight: float = WEIGHT) -> np.ndarray:
    """`fuse`, bit for bit, computed in `lexical`'s memory (returned) and spoiling
    `semantic`: for 100,000 researchers one batch of needs × works is ~240 MB, and
    the plain expression's temporaries would hold five of them at once."""
    np.maximum(semantic, 0, out=semantic)
    square = semantic * weight
    square *= semantic
    lexical *= 1 - weight
    lexical += square
    return lexical
