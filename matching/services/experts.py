"""The expert pool (评审专家库): experts enrol on the website or staff import
them; staff approve or suspend them. An approved expert holds the experts'
role (accounts/roles.py), which opens their pages; a suspended one loses it
and is proposed for no new panel.
"""

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import Company, Institution, User
from accounts.roles import MANAGE_EXPERT, Role, require_perm

from ..models import Expert
from ._base import require_text, transition

E = Expert.Status


def _clean_list(values, *, field: str) -> list[str]:
    """Disciplines or keywords: a list of short distinct strings, in order."""
    if isinstance(values, str):
        values = values.replace("，", ",").split(",")
    cleaned = []
    for value in values or []:
        value = str(value).strip()
        if len(value) > 60:
            raise DomainError(_("Each entry may have at most 60 characters."), field=field,
                              code="max_length")
        if value and value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > 30:
        raise DomainError(_("At most 30 entries."), field=field, code="max_length")
    return cleaned


def _create(*, user: User, by: User, status: str, institution: Institution | None,
            title: str, disciplines, keywords, bio: str, conflicts_declared: str,
            conflict_companies) -> Expert:
    expert = Expert(user=user, institution=institution, title=(title or "").strip(),
                    disciplines=_clean_list(disciplines, field="disciplines"),
                    keywords=_clean_list(keywords, field="keywords"), bio=bio or "",
                    conflicts_declared=conflicts_declared or "", status=status)
    if not expert.disciplines and not expert.keywords:
        raise DomainError(_("Name at least one discipline or expertise keyword."),
                          field="keywords", code="required")
    expert.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            acting(expert, by).save()
    except IntegrityError:
        raise DomainError(_("This person is already in the expert pool."), field="user",
                          code="duplicate") from None
    expert.conflict_companies.set(list(conflict_companies or []))
    return expert


@transaction.atomic
def expert_enrol(*, by: User, institution: Institution | None = None, title: str = "",
                 disciplines=(), keywords=(), bio: str = "", conflicts_declared: str = "",
                 conflict_companies: list[Company] = ()) -> Expert:
    """A signed-in person asks to join the pool; staff approve them."""
    if not (by and by.is_authenticated):
        raise DomainError(_("Sign in to enrol as an expert."), code="forbidden")
    return _create(user=by, by=by, status=E.PENDING, institution=institution, title=title,
                   disciplines=disciplines, keywords=keywords, bio=bio,
                   conflicts_declared=conflicts_declared, conflict_companies=conflict_companies)


@transaction.atomic
def expert_import(*, user: User, by: User, institution: Institution | None = None,
                  title: str = "", disciplines=(), keywords=(), bio: str = "",
                  conflicts_declared: str = "", conflict_companies: list[Company] = ()) -> Expert:
    """Staff add a person they vouch for: approved at once."""
    require_perm(by, MANAGE_EXPERT)
    expert = _create(user=user, by=by, status=E.APPROVED, institution=institution, title=title,
                     disciplines=disciplines, keywords=keywords, bio=bio,
                     conflicts_declared=conflicts_declared, conflict_companies=conflict_companies)
    expert.reviewed_by, expert.reviewed_at = by, timezone.now()
    acting(expert, by).save(update_fields=["reviewed_by", "reviewed_at"])
    _grant_role(expert.user, grant=True)
    return expert


def _grant_role(user: User, *, grant: bool) -> None:
    group, _created = Group.objects.get_or_create(name=Role.EXPERT)
    (user.groups.add if grant else user.groups.remove)(group)


@transaction.atomic
def expert_approve(*, expert: Expert, by: User, note: str = "") -> Expert:
    require_perm(by, MANAGE_EXPERT)
    transition(expert, allowed={E.PENDING, E.SUSPENDED}, to=E.APPROVED,
               action=_("approve this expert"), by=by, review_note=note or "",
               reviewed_by=by, reviewed_at=timezone.now())
    _grant_role(expert.user, grant=True)
    return expert


@transaction.atomic
def expert_suspend(*, expert: Expert, by: User, note: str) -> Expert:
    """Take an expert off the pool (or refuse an enrolment), saying why. Panels
    they already sit on keep them until staff swap them out."""
    require_perm(by, MANAGE_EXPERT)
    note = require_text(note, field="review_note",
                        message=_("Say why the expert is suspended."))
    transition(expert, allowed={E.PENDING, E.APPROVED}, to=E.SUSPENDED,
               action=_("suspend this expert"), by=by, review_note=note,
               reviewed_by=by, reviewed_at=timezone.now())
    _grant_role(expert.user, grant=False)
    return expert
