"""Who may take part in which programme, and which researcher–company pairs are
a conflict of interest: one rule, read when a researcher applies, when staff
approve a placement, and by the cohort solver (which never pairs a conflict).

The title and degree each programme asks for are policy, in the setting
PROGRAMME_ELIGIBILITY (陕西's rule for 科技副总: a senior title or a doctorate).
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import Company, CompanyMembership, ResearcherProfile

from .models import Programme

# Reason codes of a conflict, as the cohort solver's proposal names them.
MEMBER = "member"
FOUNDING_INSTITUTION = "founding_institution"
INELIGIBLE = "ineligible"


def _policy(programme: str) -> tuple[set[str], set[str]] | None:
    """(titles, degrees) any one of which qualifies; None: the programme is open to all.
    A code the profile does not know is a configuration error, said at once."""
    rule = settings.PROGRAMME_ELIGIBILITY.get(programme)
    if not rule:
        return None
    titles, degrees = set(rule.get("titles", ())), set(rule.get("degrees", ()))
    unknown = (titles - set(ResearcherProfile.Title.values)) | (
        degrees - set(ResearcherProfile.Degree.values))
    if unknown:
        raise ImproperlyConfigured(f"PROGRAMME_ELIGIBILITY[{programme!r}] names unknown "
                                   f"titles or degrees: {sorted(unknown)}")
    return titles, degrees


def is_eligible(researcher: ResearcherProfile, programme: str) -> bool:
    policy = _policy(programme)
    return policy is None or researcher.title in policy[0] or researcher.degree in policy[1]


def conflict(researcher: ResearcherProfile, company: Company, *,
             member_pairs: set[tuple[int, int]] | None = None) -> str | None:
    """The reason `researcher` must not serve `company`, or None.

    `member_pairs` ((user id, company id) of memberships), when given, spares a
    query per pair to a caller checking many (the cohort solver)."""
    if member_pairs is None:
        is_member = CompanyMembership.objects.filter(
            user_id=researcher.user_id, company_id=company.pk).exists()
    else:
        is_member = (researcher.user_id, company.pk) in member_pairs
    if is_member:
        return MEMBER
    # A company founded or owned by the researcher's own university (校办企业).
    if company.founding_institution_id and \
            company.founding_institution_id == researcher.institution_id:
        return FOUNDING_INSTITUTION
    return None


def member_pairs(researchers: Iterable[ResearcherProfile]) -> set[tuple[int, int]]:
    return set(CompanyMembership.objects.filter(
        user__in=[r.user_id for r in researchers]).values_list("user_id", "company_id"))


def _labels(choices, codes) -> str:
    return "、".join(str(label) for value, label in choices if value in codes)


def require_eligible(*, researcher: ResearcherProfile, company: Company,
                     programme: str) -> None:
    """Refuse, naming the field, a researcher the programme does not admit or a
    pair that is a conflict of interest."""
    if not is_eligible(researcher, programme):
        titles, degrees = _policy(programme)
        raise DomainError(
            _("%(programme)s is open to researchers with the title %(titles)s or the "
              "degree %(degrees)s; %(name)s is %(title)s with %(degree)s.") % {
                "programme": Programme(programme).label,
                "titles": _labels(ResearcherProfile.Title.choices, titles) or "—",
                "degrees": _labels(ResearcherProfile.Degree.choices, degrees) or "—",
                "name": researcher.user, "title": researcher.get_title_display(),
                "degree": researcher.get_degree_display()},
            field="researcher", code="ineligible")
    reason = conflict(researcher, company)
    if reason == MEMBER:
        raise DomainError(
            _("%(name)s is a member of %(company)s: a conflict of interest.")
            % {"name": researcher.user, "company": company}, field="researcher",
            code="conflict_of_interest")
    if reason == FOUNDING_INSTITUTION:
        raise DomainError(
            _("%(company)s was founded by %(institution)s, where %(name)s works: "
              "a conflict of interest.")
            % {"company": company, "institution": company.founding_institution,
               "name": researcher.user}, field="researcher", code="conflict_of_interest")


