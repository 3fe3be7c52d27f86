"""Token features: hashed term counts, IDF and TF-IDF matrices. Pure, no ORM.

Terms are hashed into a fixed space (sklearn's FeatureHasher), so features
computed at different times — a need published today, researchers vectorised
last night — share one space without a global vocabulary, and each document's
counts can be cached on its own. Collisions at 2^21 buckets are rare enough
to be noise next to the ~10^6 distinct terms of a district.
"""

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher

from . import text

N_FEATURES = 2**21
# Words hash into the lower half of the space, character bigrams into the upper
# half, so that the word 电池 and the bigram 电池 stay distinct features.
HALF = N_FEATURES // 2
_hasher = FeatureHasher(n_features=HALF, input_type="string", alternate_sign=False,
                        dtype=np.float32)


def term_ids(terms: Sequence[str]) -> np.ndarray:
    """The hashed feature number of each term."""
    return _hasher.transform([[t] for t in terms]).tocsr().indices


def _doc_terms(parts: list[tuple[str, int]]) -> tuple[list[str], list[str]]:
    words: list[str] = []
    bigrams: list[str] = []
    for body, weight in parts:
        if body:
            w, b = text.analyse(body)
            words.extend(w * weight)
            bigrams.extend(b * weight)
    return words, bigrams


def count_rows(docs: Sequence[list[tuple[str, int]]]) -> sp.csr_matrix:
    """Raw (weighted) term counts, one row per document of (text, weight) parts."""
    if not docs:
        return sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
    terms = [_doc_terms(d) for d in docs]
    words = _hasher.transform(t[0] for t in terms).tocsr()
    bigrams = _hasher.transform(t[1] for t in terms).tocsr()
    matrix = sp.hstack([words, bigrams], format="csr", dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


# The documents of a parallel count, set before the pool forks so that the
# children read them from memory they share with the parent instead of
# receiving a pickled copy.
_shared_docs: Sequence = ()


def _count_span(span):
    start, end = span
    return count_rows(_shared_docs[start:end])


def count_rows_parallel(docs: Sequence, *, processes: int = 1,
                        user_words: Sequence[str] = ()) -> sp.csr_matrix:
    """count_rows over several processes (fork); falls back to one process inside
    a daemonic process such as a Celery prefork child, which may not fork."""
    text.add_user_words(user_words)
    if processes <= 1 or multiprocessing.current_process().daemon or len(docs) < 2000:
        return count_rows(docs)
    global _shared_docs
    size = -(-len(docs) // (processes * 4))
    spans = [(i, min(i + size, len(docs))) for i in range(0, len(docs), size)]
    _shared_docs = docs
    try:
        with ProcessPoolExecutor(processes,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            return stack(list(pool.map(_count_span, spans)))
    finally:
        _shared_docs = ()


def idf_from(*parts: sp.csr_matrix) -> np.ndarray:
    """Smoothed IDF over the rows of all `parts` (the researchers' side)."""
    df = np.zeros(N_FEATURES, dtype=np.float32)
    for counts in parts:
        df += np.bincount(counts.indices, minlength=N_FEATURES)
    n = sum(counts.shape[0] for counts in parts)
    return (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)


def tfidf(counts: sp.csr_matrix, idf: np.ndarray, *, keep: int | None = None,
          in_place: bool = False) -> sp.csr_matrix:
    """Sublinear TF × IDF, L2-normalised per row.

    With `keep`, only each row's `keep` heaviest terms survive (after the
    normalisation, so a pruned query keeps its scale): a need's long tail of
    weak terms costs most of the sparse product and changes little.
    """
    m = counts if in_place and counts.dtype == np.float32 else counts.astype(np.float32)
    np.log1p(m.data, out=m.data)
    m.data *= idf[m.indices]
    lengths = np.diff(m.indptr)
    rows = np.repeat(np.arange(m.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=m.data * m.data, minlength=m.shape[0]))
    norms[norms == 0] = 1
    m.data /= np.repeat(norms, lengths).astype(np.float32)
    if keep:
        m = _keep_heaviest(m, keep)
    return m


def _keep_heaviest(m: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    data, indices, indptr = [], [], [0]
    for row in range(m.shape[0]):
        start, end = m.indptr[row], m.indptr[row + 1]
        d, ix = m.data[start:end], m.indices[start:end]
        if end - start > keep:
            top = np.argpartition(d, end - start - keep)[end - start - keep:]
            d, ix = d[top], ix[top]
        data.append(d)
        indices.append(ix)
        indptr.append(indptr[-1] + len(d))
    pruned = sp.csr_matrix((np.concatenate(data) if data else np.zeros(0, np.float32),
                            np.concatenate(indices) if indices else np.zeros(0, np.int32),
                            np.array(indptr)), shape=m.shape)
    pruned.sort_indices()
    return pruned



def pack(rows: sp.csr_matrix, flags: Sequence[bool] = ()) -> bytes:
    """A few rows of counts, and optional per-row flags, as bytes for the cache.

    Counts are whole numbers (weighted occurrences), stored as 16 bits, clipped
    at 65,535: a quarter less to read back in every rebuild than float32.
    """
    rows = rows.tocsr()
    header = np.array([rows.shape[0], rows.nnz, len(flags)], dtype=np.int64)
    return b"".join([header.tobytes(), rows.indptr.astype(np.int32).tobytes(),
                     rows.indices.astype(np.int32).tobytes(),
                     np.minimum(rows.data, 65535).astype(np.uint16).tobytes(),
                     np.asarray(flags, dtype=np.uint8).tobytes()])


def unpack(blob: bytes) -> tuple[sp.csr_matrix, np.ndarray]:
    """(rows, flags) from pack()."""
    n_rows, nnz, n_flags = (int(x) for x in np.frombuffer(blob, dtype=np.int64, count=3))
    offset = 24
    indptr = np.frombuffer(blob, dtype=np.int32, count=n_rows + 1, offset=offset)
    offset += 4 * (n_rows + 1)
    indices = np.frombuffer(blob, dtype=np.int32, count=nnz, offset=offset)
    offset += 4 * nnz
    data = np.frombuffer(blob, dtype=np.uint16, count=nnz, offset=offset)
    flags = np.frombuffer(blob, dtype=np.uint8, count=n_flags, offset=offset + 2 * nnz)
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, N_FEATURES)), flags.astype(bool)


def stack_split(blocks: Sequence[sp.csr_matrix]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """All blocks' rows but the last of each, and the last row of each block,
    each copied once (these matrices run to hundreds of megabytes)."""
    heads = [sp.csr_matrix((b.data[:b.indptr[-2]], b.indices[:b.indptr[-2]], b.indptr[:-1]),
                           shape=(b.shape[0] - 1, N_FEATURES)) for b in blocks]
    tails = [sp.csr_matrix((b.data[b.indptr[-2]:], b.indices[b.indptr[-2]:],
                            b.indptr[-2:] - b.indptr[-2]), shape=(1, N_FEATURES)) for b in blocks]
    return stack(heads), stack(tails)


def stack(blocks: Sequence[sp.csr_matrix]) -> sp.csr_matrix:
    """Rows of many small matrices as one matrix (much faster than sp.vstack for
    thousands of blocks)."""
    if not blocks:
        return sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
    lengths = np.concatenate([np.diff(b.indptr) for b in blocks])
    return sp.csr_matrix((np.concatenate([b.data for b in blocks]),
                          np.concatenate([b.indices for b in blocks]),
                          np.concatenate([[0], np.cumsum(lengths)])),
                         shape=(len(lengths), N_FEATURES))
