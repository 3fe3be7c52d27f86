"""The plain data the engine works on; the Django layer builds these from models."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Work:
    title: str
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    representative: bool = False


@dataclass(frozen=True)
class Researcher:
    id: object
    keywords: tuple[str, ...] = ()
    bio: str = ""
    works: tuple[Work, ...] = ()
    disciplines: tuple[str, ...] = ()
    institution: object = None
    capacity_left: int = 1
    # Verified outcomes of the researcher's past placements.
    track_record: int = 0
    # Companies the researcher is a member of: never recommended to their needs.
    company_ids: frozenset = field(default_factory=frozenset)
    # May be put before companies (a need's match list); a researcher who may not
    # still gets their own recommendations and a score for what they applied to.
    matchable: bool = True


@dataclass(frozen=True)
class Need:
    id: object
    title: str
    description: str = ""
    required_expertise: tuple[str, ...] = ()
    industry: str = ""
    company_id: object = None
    preferred_institutions: frozenset = field(default_factory=frozenset)
    preferred_disciplines: frozenset = field(default_factory=frozenset)


def work_text(work: Work) -> list[tuple[str, int]]:
    """(text, weight) parts of a work: the title and keywords count twice."""
    return [(work.title, 2), (" ".join(work.keywords), 2), (work.abstract, 1)]


def profile_text(researcher: Researcher) -> list[tuple[str, int]]:
    return [(" ".join(researcher.keywords), 2), (" ".join(researcher.disciplines), 1),
            (researcher.bio, 1)]


def need_text(need: Need) -> list[tuple[str, int]]:
    return [(need.title, 2), (" ".join(need.required_expertise), 2), (need.description, 1),
            (need.industry, 1)]
