"""The engine's documents, read from the models as plain values."""

import hashlib
import json
from collections.abc import Sequence

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast

from accounts.models import (
    CompanyMembership,
    IndustryCluster,
    IndustryPlatform,
    LeadingIndustry,
    ResearcherProfile,
    Work,
)

from ... import engine
from ...models import Challenge, Outcome, Placement

VERSION = engine.ENGINE_VERSION
MATCHES_PER_SIDE = 50


def researcher_profiles():
    """Every active researcher, each marked whether companies may be shown them
    (`matchable`, the one rule of accounts): the others are scored too, for their
    own recommendations and the needs they applied to, but never listed for a need."""
    return (ResearcherProfile.objects.filter(user__is_active=True)
            .annotate(matchable=Exists(ResearcherProfile.objects.matchable().filter(
                          pk=OuterRef("pk"))),
                      active=Count("placements", filter=Q(placements__status=Placement.Status.ACTIVE),
                                   distinct=True),
                      track=Count("placements__outcomes",
                                  filter=Q(placements__outcomes__status=Outcome.Status.VERIFIED),
                                  distinct=True))
            .order_by("pk"))


def researcher_rows(ids: Sequence[int] | None = None) -> list[tuple]:
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
                                     "matchable", "updated_at", "n_works", "works_changed"))


def cache_key(row: tuple) -> str:
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
    (pk, user_id, keywords, bio, disciplines, institution_id, capacity, active, track,
     matchable, *_) = row
    return engine.Researcher(
        id=pk, keywords=tuple(keywords or ()), bio=bio, works=tuple(works),
        disciplines=tuple(disciplines or ()), institution=institution_id,
        capacity_left=max(capacity - active, 0), track_record=track,
        company_ids=frozenset(companies.get(user_id, ())), matchable=matchable)


def researcher_outlines() -> tuple[list[engine.Researcher], dict[int, str]]:
    """Every active researcher without the text of their works (the index only
    needs the works' cached features), and each one's cache key."""
    rows, companies = researcher_rows(), _companies_by_user()
    return [_document(r, (), companies) for r in rows], {r[0]: cache_key(r) for r in rows}


def researcher_documents(ids: Sequence[int] | None = None, *,
                         memberships: bool = True) -> list[engine.Researcher]:
    """Active researchers (all, or those of `ids`) as complete engine documents.

    Read as plain values, a few queries in all: building 10,000 profiles and
    their 125,000 works as model instances would take longer than scoring them.
    """
    rows = researcher_rows(ids)
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

    from ...engine import text

    if time.monotonic() - _words_loaded.get("at", -max_age - 1) > max_age:
        text.add_user_words(user_words())
        _words_loaded["at"] = time.monotonic()
