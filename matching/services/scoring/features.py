"""The engine's token counts, cached per document and engine version."""

import hashlib
from collections.abc import Sequence

import numpy as np
from django.db import connection, transaction

from ... import engine
from ...engine import features as feat
from ...engine.documents import need_text, profile_text, work_text
from ...engine.scoring import ResearcherCounts
from ...models import DocumentFeatures
from .documents import VERSION, cache_key, researcher_documents, researcher_rows

K = DocumentFeatures.Kind


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
        keys = {r[0]: cache_key(r) for r in researcher_rows(few)}
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


# The stored space, kept per process and read again only when another is stored.
_space: dict = {}


def semantic_space(*, counts: ResearcherCounts | None = None, needs=None,
                   retrain: bool = False, train: bool = True):
    """This engine version's semantic space (matching/engine/semantic.py).

    Trained once per version, on the first rebuild (or by `manage.py
    matching_train_space`), and stored, so that every job scores in the same
    space and a nightly rebuild that changes little still writes little. Trained
    from `counts` (and the `needs`' counts) when given, else from every active
    researcher's cached counts and the open needs. None while the corpus is too
    small to learn from: the lexical cosine then stands alone. With `train`
    False (a web request explaining scores) only a stored space is returned.
    """
    import time

    from ...engine.scoring import train_space
    from ...engine.semantic import Space
    from ...models import SemanticSpace
    from .documents import need_document, open_challenges, researcher_outlines, user_words

    # A web process explaining scores looks again at most every 10 minutes.
    if not train and time.monotonic() - _space.get("checked", -601.0) < 600:
        return _space.get("space")
    stored = SemanticSpace.objects.filter(engine_version=VERSION)
    if retrain:
        stored.delete()
    _space["checked"] = time.monotonic()
    pk = stored.values_list("pk", flat=True).first()
    if pk is not None:
        if _space.get("pk") != pk:
            _space.update(pk=pk, space=Space.unpack(bytes(stored.get().data)))
        return _space["space"]
    if not train:
        _space.update(pk=None, space=None)
        return None
    if counts is None:
        words = user_words()
        researchers, keys = researcher_outlines()
        counts = researcher_counts(researchers, words=words, keys=keys)
        needs = need_counts([need_document(c) for c in open_challenges()], words=words)
    space = train_space(counts, needs)
    if space is not None:
        row, _created = SemanticSpace.objects.get_or_create(
            engine_version=VERSION,
            defaults={"data": space.pack(),
                      "documents": counts.works.shape[0] + (needs.shape[0] if needs is not None
                                                            else 0)})
        space = Space.unpack(bytes(row.data))  # the stored one, as every job will read it
        _space.update(pk=row.pk, space=space)
    return space
