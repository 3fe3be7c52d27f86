"""Searching the needs: one implementation for the website and the API.

A need's text is segmented as the matching engine segments it (jieba words with
the district's user dictionary, Chinese character bigrams, English words) and
stored as a search document (ChallengeSearch). A query is segmented the same
way; each of its terms must match the document (the need's text, its company's
and industry's names), a term matching when any of its synonyms (SearchSynonym) does; a
Chinese word matches the document's word or, when the need was segmented
differently, all of its character bigrams. Results are ranked by relevance.

PostgreSQL matches through its full-text machinery: to_tsvector('simple', …)
over the pre-segmented document, with a GIN index, and ranks with ts_rank;
elsewhere (SQLite, the embedded default) the same tokens are matched with LIKE
and ranked by the number of terms found, so both find the same needs.

A confidential need's details are in its full document only, which only
viewers who may read them search (`Viewer.reads_full_text`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from .engine import text
from .models import Challenge, ChallengeSearch, SearchSynonym

# Title matches weigh this much more than matches elsewhere in the text.
TITLE_WEIGHT = 2
# A query's first terms only: a pasted paragraph should not make a query of
# hundreds of LIKE or tsquery terms.
MAX_TERMS = 12


def tokens(body: str) -> list[str]:
    """The distinct search tokens of a text: words and character bigrams."""
    words, bigrams = text.analyse(body)
    return sorted(set(words) | set(bigrams))


def document(*parts: str) -> str:
    """Tokens joined by spaces, with a space at either end so that " token "
    matches a whole token."""
    found = tokens("\n".join(p for p in parts if p))
    return f" {' '.join(found)} " if found else ""


def documents_of(challenge: Challenge) -> dict:
    """The need's public, full and title documents. The company's and the industry's
    names are in them, so that one indexed match finds a need by any of these."""
    industry = challenge.industry
    names = [challenge.company.name, industry.name if industry else "",
             industry.name_en if industry else ""]
    details = [challenge.background, challenge.goals, challenge.indicators,
               " ".join(challenge.required_expertise or ())]
    full = document(challenge.title, *names, *details)
    public = full if challenge.confidentiality == Challenge.Confidentiality.PUBLIC \
        else document(challenge.title, *names)
    return {"public": public, "full": full, "title": document(challenge.title)}


def challenge_search_index(*, challenges: Iterable[Challenge]) -> int:
    """Write the search documents of these needs (after they were written); returns
    how many. Derived data without history, upserted in one statement."""
    from .services.scoring import load_user_words

    load_user_words()
    challenges = list(challenges)
    fresh = {c.pk: c for c in Challenge.objects.filter(pk__in=[c.pk for c in challenges])
             .select_related("company", "industry")}
    rows = [ChallengeSearch(challenge_id=pk, **documents_of(c)) for pk, c in fresh.items()]
    ChallengeSearch.objects.bulk_create(rows, batch_size=1000, update_conflicts=True,
                                        unique_fields=["challenge"],
                                        update_fields=["public", "full", "title"])
    return len(rows)


# --- queries ----------------------------------------------------------------------------

@dataclass
class Term:
    """One term of a query: matched when any alternative is (an alternative is a
    phrase: all its tokens must be there), or, for a single Chinese character,
    when a token starts with it."""

    raw: str
    alternatives: list[list[list[str]]]  # alternative → tokens, each as [token, *bigrams]
    prefix: str = ""


def synonym_table() -> dict[str, list[str]]:
    """Normalised term → the terms of its synonym groups."""
    table: dict[str, list[str]] = {}
    for terms in SearchSynonym.objects.values_list("terms", flat=True):
        group = [text.normalise(t).strip() for t in terms if isinstance(t, str) and t.strip()]
        for t in group:
            table.setdefault(t, [])
            table[t] += [o for o in group if o != t and o not in table[t]]
    return table


def _phrase(phrase: str) -> list[list[str]]:
    """The tokens a phrase needs, each with its character bigrams as a fallback."""
    words, _bigrams = text.analyse(phrase)
    needs = []
    for w in words:
        pairs = text.analyse(w)[1]
        needs.append([w] + (pairs if len(pairs) > 1 else []))
    return needs


def parse(query: str, synonyms: dict[str, list[str]]) -> list[Term]:
    terms = []
    for raw in text.normalise(query.replace("\x00", "")).split()[:MAX_TERMS]:
        phrases = [raw, *synonyms.get(raw, ())]
        if not synonyms.get(raw):
            # A term the segmenter splits ("锂电池正极") is one term per word, each
            # with its own synonyms.
            words = text.analyse(raw)[0]
            if len(words) > 1:
                terms += [Term(w, [p for p in map(_phrase, [w, *synonyms.get(w, ())]) if p])
                          for w in words]
                continue
        alternatives = [p for p in map(_phrase, phrases) if p]
        prefix = raw if len(raw) == 1 and text.is_cjk(raw) else ""
        if alternatives or prefix:
            terms.append(Term(raw, alternatives, prefix))
    return terms


def _like(field: str, term: Term) -> Q:
    """The term in a document, with LIKE (any database)."""
    found = Q(pk__in=[])
    for alternative in term.alternatives:
        phrase = Q()
        for token, *pairs in alternative:
            one = Q(**{f"{field}__contains": f" {token} "})
            if pairs:
                both = Q()
                for p in pairs:
                    both &= Q(**{f"{field}__contains": f" {p} "})
                one |= both
            phrase &= one
        found |= phrase
    if term.prefix:
        found |= Q(**{f"{field}__contains": f" {term.prefix}"})
    return found


def _tsquery(term: Term):
    """The term as a PostgreSQL tsquery (Django combines the parts; nothing to escape)."""
    from django.contrib.postgres.search import SearchQuery

    def q(token):
        return SearchQuery(token, search_type="plain", config="simple")

    found = None
    for alternative in term.alternatives:
        phrase = None
        for token, *pairs in alternative:
            one = q(token)
            if pairs:
                both = q(pairs[0])
                for p in pairs[1:]:
                    both &= q(p)
                one |= both
            phrase = one if phrase is None else phrase & one
        found = phrase if found is None else found | phrase
    if term.prefix:
        # One CJK character: nothing in it to escape.
        prefix = SearchQuery(f"{term.prefix}:*", search_type="raw", config="simple")
        found = prefix if found is None else found | prefix
    return found


def search(queryset, query: str, *, full: bool):
    """The needs of `queryset` that match every term of `query`, most relevant first
    (then newest). `full`: the viewer may search confidential details."""
    terms = parse(query or "", synonym_table())
    if not terms:
        return queryset if not (query or "").strip() else queryset.none()
    field = "search__full" if full else "search__public"
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, terms, field)
    rank = Value(0, output_field=IntegerField())
    for term in terms:
        queryset = queryset.filter(_like(field, term))
        rank = rank + Case(When(_like(field, term), then=1), default=0) \
            + Case(When(_like("search__title", term), then=TITLE_WEIGHT), default=0)
    return queryset.annotate(relevance=rank).order_by("-relevance", "-published_at", "-pk")


def _search_postgresql(queryset, terms: list[Term], field: str):
    from django.contrib.postgres.search import SearchRank, SearchVector

    # The same expression as the GIN index of migration 0008, so that it is used.
    queryset = queryset.alias(_document=SearchVector(field, config="simple"))
    query = None
    for term in terms:
        tsquery = _tsquery(term)
        queryset = queryset.filter(_document=tsquery)
        query = tsquery if query is None else query & tsquery
    title = SearchVector("search__title", config="simple")
    rank = Coalesce(SearchRank(F("_document"), query), 0.0, output_field=FloatField()) \
        + TITLE_WEIGHT * Coalesce(SearchRank(title, query), 0.0, output_field=FloatField())
    return queryset.annotate(relevance=rank).order_by(F("relevance").desc(), "-published_at",
                                                      "-pk")
