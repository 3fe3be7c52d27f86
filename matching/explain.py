"""Why a researcher matches a need, in the reader's language.

A score is shown once, as a percentage (see templatetags/matching_extras.py);
the reasons explain it: the domain terms the researcher's work shares with the
need, then the bonuses — but not a bonus that (nearly) every candidate of the
need gets, which would explain nothing.
"""

from django.db.models import Count, Q
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .engine import ENGINE_VERSION
from .engine.scoring import researcher_terms, shared_terms
from .models import MatchScore
from .services.scoring import load_user_words, need_document, researcher_documents, semantic_space

# A bonus that this share of a need's stored candidates get says nothing about any one.
COMMON_BONUS_SHARE = 0.9
# … among at least this many candidates (one candidate alone is not "everyone").
COMMON_BONUS_MIN = 5
BONUSES = ("field", "institution")


def match_reasons(score: MatchScore, *, terms: list[str] | None = None,
                  common: frozenset = frozenset()) -> list[str]:
    """Readable reasons for one stored score: shared terms first, then the bonuses
    that are not in `common` (those nearly every candidate of the need gets)."""
    c = score.components
    if terms is None:
        terms = match_terms(score)
    reasons = []
    if terms:
        joiner = "、" if (get_language() or "").startswith("zh") else ", "
        reasons.append(_("Shared expertise: %(terms)s") % {"terms": joiner.join(terms)})
    if c.get("field") and "field" not in common:
        reasons.append(_("Works in a discipline the company prefers"))
    if c.get("institution") and "institution" not in common:
        reasons.append(_("From an institution the company prefers"))
    if c.get("outcomes"):
        reasons.append(ngettext("%(n)d verified outcome from earlier placements",
                                "%(n)d verified outcomes from earlier placements",
                                c["outcomes"]) % {"n": c["outcomes"]})
    return reasons


def match_terms(score: MatchScore, limit: int = 6) -> list[str]:
    load_user_words()
    researcher = researcher_documents([score.researcher_id])[0]
    return shared_terms(researcher, need_document(score.challenge), limit=limit,
                        space=semantic_space(train=False))


def common_bonuses(challenge_ids) -> dict[int, frozenset]:
    """Per need, the bonuses at least COMMON_BONUS_SHARE of its stored candidates get
    (one query for any number of needs)."""
    rows = (MatchScore.objects.filter(challenge__in=set(challenge_ids),
                                      engine_version=ENGINE_VERSION)
            .values("challenge").order_by()
            .annotate(n=Count("pk"), **{b: Count("pk", filter=Q(**{f"components__{b}__gt": 0}))
                                        for b in BONUSES}))
    return {r["challenge"]: frozenset(b for b in BONUSES if r["n"] >= COMMON_BONUS_MIN
                                      and r[b] >= COMMON_BONUS_SHARE * r["n"])
            for r in rows}


def explain_many(scores: list[MatchScore], limit: int = 6) -> dict[int, list[str]]:
    """Reasons for a page of scores, keyed by score id, in a few queries whatever the
    page's length (each score's challenge must come with its industry)."""
    if not scores:
        return {}
    load_user_words()
    space = semantic_space(train=False)
    researchers = {r.id: r for r in researcher_documents(
        sorted({s.researcher_id for s in scores}), memberships=False)}
    common = common_bonuses(s.challenge_id for s in scores)
    needs = {}
    # A researcher's own terms once, not once per need: a page of recommendations
    # is one researcher's, and counting their works' terms was most of its time.
    own = {pk: researcher_terms(r) for pk, r in researchers.items()}
    reasons = {}
    for s in scores:
        need = needs.get(s.challenge_id)
        if need is None:
            need = needs[s.challenge_id] = need_document(s.challenge, preferences=False)
        researcher = researchers.get(s.researcher_id)
        terms = shared_terms(researcher, need, limit=limit, space=space,
                             own=own[researcher.id]) if researcher else []
        reasons[s.pk] = match_reasons(s, terms=terms,
                                      common=common.get(s.challenge_id, frozenset()))
    return reasons
