"""Why a researcher matches a need, in the reader's language."""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .engine.scoring import shared_terms
from .models import MatchScore
from .services.scoring import load_user_words, need_document, researcher_documents


def match_reasons(score: MatchScore, *, terms: list[str] | None = None) -> list[str]:
    """Readable reasons for one stored score: shared terms first, then the bonuses."""
    c = score.components
    if terms is None:
        terms = match_terms(score)
    reasons = []
    if terms:
        joiner = "、" if (get_language() or "").startswith("zh") else ", "
        reasons.append(_("Shared expertise: %(terms)s") % {"terms": joiner.join(terms)})
    reasons.append(_("Text relevance %(pct)d%%") % {"pct": round(100 * c.get("text", 0))})
    if c.get("field"):
        reasons.append(_("Works in a discipline the company prefers"))
    if c.get("institution"):
        reasons.append(_("From an institution the company prefers"))
    if c.get("outcomes"):
        reasons.append(ngettext("%(n)d verified outcome from earlier placements",
                                "%(n)d verified outcomes from earlier placements",
                                c["outcomes"]) % {"n": c["outcomes"]})
    return reasons


def match_terms(score: MatchScore, limit: int = 6) -> list[str]:
    load_user_words()
    researcher = researcher_documents([score.researcher_id])[0]
    return shared_terms(researcher, need_document(score.challenge), limit=limit)


def explain_many(scores: list[MatchScore], limit: int = 6) -> dict[int, list[str]]:
    """Reasons for a page of scores, keyed by score id, in two queries whatever the
    page's length (each score's challenge must come with its industry)."""
    if not scores:
        return {}
    load_user_words()
    researchers = {r.id: r for r in researcher_documents(
        sorted({s.researcher_id for s in scores}), memberships=False)}
    needs = {}
    reasons = {}
    for s in scores:
        need = needs.get(s.challenge_id)
        if need is None:
            need = needs[s.challenge_id] = need_document(s.challenge, preferences=False)
        researcher = researchers.get(s.researcher_id)
        terms = shared_terms(researcher, need, limit=limit) if researcher else []
        reasons[s.pk] = match_reasons(s, terms=terms)
    return reasons
