"""Keeping match scores fresh: a full rebuild, one need, one researcher.

The engine (matching/engine) is fed plain documents built here from the models;
what it returns is written to MatchScore, tagged with the engine version:
each need's top MATCHES_PER_SIDE researchers and each researcher's top
MATCHES_PER_SIDE open needs. Every write replaces the rows in its scope in one
transaction, so running any of these twice leaves the same rows.
"""

from .chunks import (
    match_chunk_score,
    match_chunks_finish,
    match_chunks_prepare,
    match_chunks_queued,
)
from .documents import (
    MATCHES_PER_SIDE,
    VERSION,
    load_user_words,
    need_document,
    open_challenges,
    researcher_documents,
    researcher_outlines,
    researcher_profiles,
    user_words,
)
from .features import (
    cached_researcher_features,
    need_counts,
    researcher_counts,
    semantic_space,
)
from .jobs import (
    challenge_match,
    match_rebuild,
    match_run_cancel,
    match_run_claim,
    match_run_complete,
    match_run_fail,
    match_run_nightly,
    match_run_retry,
    match_run_start,
    rebuild_inputs,
    researcher_index,
    researcher_match,
)
from .store import ScoreRows, write_scores

__all__ = [
    "MATCHES_PER_SIDE", "VERSION", "ScoreRows", "cached_researcher_features", "challenge_match",
    "load_user_words", "match_chunk_score", "match_chunks_finish", "match_chunks_prepare",
    "match_chunks_queued", "match_rebuild", "match_run_cancel", "match_run_claim",
    "match_run_complete", "match_run_fail", "match_run_nightly", "match_run_retry",
    "match_run_start", "need_counts", "need_document", "open_challenges", "rebuild_inputs",
    "researcher_counts", "researcher_documents", "researcher_index", "researcher_match",
    "researcher_outlines", "researcher_profiles", "semantic_space", "user_words",
    "write_scores",
]
