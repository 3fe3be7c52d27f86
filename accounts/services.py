"""Every write to users, companies and researcher profiles goes through here."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signals
from .errors import DomainError
from .models import (
    Company,
    CompanyMembership,
    Institution,
    Invitation,
    ResearcherProfile,
    User,
    Work,
)
from .roles import VERIFY_COMPANY, VERIFY_RESEARCHER, require_perm
from .transitions import transition


def require_member(user: User, company: Company, *, owner: bool = False) -> CompanyMembership:
    membership = CompanyMembership.objects.filter(company=company, user=user).first()
    if membership is None or (owner and membership.role != CompanyMembership.Role.OWNER):
        raise DomainError(
            _("Only the owner of this company may do this.") if owner
            else _("Only members of this company may do this."), code="forbidden")
    return membership


def user_create(*, email: str, password: str | None, full_name: str = "", **extra) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("An account with this e-mail address already exists."),
                          field="email", code="duplicate")
    user = User(email=User.objects.normalize_email(email).lower(), full_name=full_name, **extra)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def company_register(*, owner: User, name: str, credit_code: str, **fields) -> Company:
    """Register a company; the registering user becomes its owner.

    The company stays unverified until staff verify it, and an unverified
    company cannot submit needs for review.
    """
    company = Company(name=name, credit_code=credit_code.strip().upper(), **fields)
    company.full_clean()
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError:
        raise DomainError(_("A company with this credit code is already registered."),
                          field="credit_code", code="duplicate") from None
    CompanyMembership.objects.create(company=company, user=owner,
                                     role=CompanyMembership.Role.OWNER)
    return company


def _review(obj, *, by: User, note: str, verify: bool, already: str, why: str, event: str,
            perm: str):
    """Verify a company or researcher profile, or refuse it for now with a reason
    it is shown; either way it is told."""
    require_perm(by, perm)
    if obj.is_verified:
        raise DomainError(already, code="invalid_transition")
    note = (note or "").strip()
    if not verify and not note:
        raise DomainError(why, field="review_note")
    obj.review_note = note
    fields = ["review_note"]
    if verify:
        obj.verified_at, obj.verified_by = timezone.now(), by
        fields += ["verified_at", "verified_by"]
    obj.save(update_fields=fields)
    signals.reviewed.send(sender=type(obj), event=event, object_id=obj.pk)
    return obj


def company_verify(*, company: Company, by: User, note: str = "") -> Company:
    return _review(company, by=by, note=note, verify=True, event="company_reviewed", perm=VERIFY_COMPANY,
                   already=_("This company is already verified."), why="")


def company_reject(*, company: Company, by: User, note: str) -> Company:
    """Refuse verification for now, with a reason the company is shown."""
    return _review(company, by=by, note=note, verify=False, event="company_reviewed", perm=VERIFY_COMPANY,
                   already=_("This company is already verified."),
                   why=_("Say why; the company is shown the reason."))


COMPANY_FIELDS = {"platform", "cluster", "leading_industry", "size", "address", "contact_name",
                  "contact_phone", "contact_email", "founding_institution"}


@transaction.atomic
def company_update(*, company: Company, by: User, **fields) -> Company:
    """Members keep the company's details current; the name and credit code that
    staff verified are changed by staff in the admin."""
    require_member(by, company)
    _only(fields, COMPANY_FIELDS)
    for name, value in fields.items():
        setattr(company, name, value)
    company.full_clean()
    company.save()
    return company


def _only(fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s")
                          % {"f": ", ".join(sorted(unknown))}, code="forbidden")


# --- members join by invitation ------------------------------------------------------------
# A member sees every applicant's proposal to the company's needs: nobody becomes
# one without saying yes.

@transaction.atomic
def invitation_create(*, company: Company, email: str, by: User) -> Invitation:
    """The owner invites a person who has an account; they are told and answer."""
    require_member(by, company, owner=True)
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise DomainError(_("No account uses this e-mail address; ask your colleague to sign "
                            "up first."), field="email", code="not_found")
    if CompanyMembership.objects.filter(company=company, user=user).exists():
        raise DomainError(_("This person is already a member."), field="email",
                          code="duplicate")
    invitation = Invitation(company=company, user=user, invited_by=by)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise DomainError(_("This person has been invited already and has not answered yet."),
                          field="email", code="duplicate") from None
    signals.notify.send(sender=Invitation, event="invitation_received",
                        object_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by: User) -> CompanyMembership:
    _answer(invitation, by, to=Invitation.Status.ACCEPTED, action=_("accept this invitation"))
    membership, _created = CompanyMembership.objects.get_or_create(
        company_id=invitation.company_id, user=by,
        defaults={"role": CompanyMembership.Role.MEMBER})
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, by: User) -> Invitation:
    return _answer(invitation, by, to=Invitation.Status.DECLINED,
                   action=_("decline this invitation"))


def _answer(invitation: Invitation, by: User, *, to: str, action: str) -> Invitation:
    """The invitee answers a pending invitation; the company's owners are told."""
    if invitation.user_id != by.pk:
        raise DomainError(_("Only the invited person may answer this invitation."),
                          code="forbidden")
    transition(invitation, allowed={Invitation.Status.PENDING}, to=to, action=action,
               answered_at=timezone.now())
    signals.notify.send(sender=Invitation, event="invitation_answered", object_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    require_member(by, invitation.company, owner=True)
    return transition(invitation, allowed={Invitation.Status.PENDING},
                      to=Invitation.Status.REVOKED, action=_("revoke this invitation"),
                      answered_at=timezone.now())


def company_member_remove(*, membership: CompanyMembership, by: User) -> None:
    require_member(by, membership.company, owner=True)
    if membership.role == CompanyMembership.Role.OWNER:
        raise DomainError(_("The owner cannot be removed."), code="forbidden")
    membership.delete()


def researcher_register(*, user: User, institution: Institution, title: str,
                        **fields) -> ResearcherProfile:
    if ResearcherProfile.objects.filter(user=user).exists():
        raise DomainError(_("This account already has a researcher profile."),
                          code="duplicate")
    profile = ResearcherProfile(user=user, institution=institution, title=title, **fields)
    profile.full_clean()
    profile.save()
    # Scored at once: a new researcher sees recommendations on their first visit.
    _rescore_after_commit(profile)
    return profile


def _rescore_after_commit(profile: ResearcherProfile) -> None:
    """The profile's text changed: its scores follow once this commits."""
    signals.researcher_changed.send(sender=ResearcherProfile, profile_id=profile.pk)


def _require_self(profile: ResearcherProfile, by: User) -> None:
    if profile.user_id != by.pk:
        raise DomainError(_("Only the researcher may change their own profile and works."),
                          code="forbidden")


PROFILE_FIELDS = {"department", "title", "degree", "disciplines", "keywords", "bio",
                  "languages", "capacity"}


@transaction.atomic
def researcher_update(*, profile: ResearcherProfile, by: User, **fields) -> ResearcherProfile:
    _require_self(profile, by)
    _only(fields, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    _rescore_after_commit(profile)
    return profile


@transaction.atomic
def researcher_verify(*, profile: ResearcherProfile, by: User,
                      note: str = "") -> ResearcherProfile:
    _review(profile, by=by, note=note, verify=True, event="researcher_reviewed",
            perm=VERIFY_RESEARCHER, already=_("This researcher is already verified."), why="")
    # Now companies may be shown them: they enter the needs' match lists.
    _rescore_after_commit(profile)
    return profile


def researcher_reject(*, profile: ResearcherProfile, by: User, note: str) -> ResearcherProfile:
    return _review(profile, by=by, note=note, verify=False, event="researcher_reviewed",
                   perm=VERIFY_RESEARCHER,
                   already=_("This researcher is already verified."),
                   why=_("Say why; the researcher is shown the reason."))


@transaction.atomic
def work_add(*, profile: ResearcherProfile, by: User, title: str, **fields) -> Work:
    _require_self(profile, by)
    work = Work(researcher=profile, title=title, **fields)
    work.full_clean()
    work.save()
    profile.save(update_fields=["updated_at"])
    _rescore_after_commit(profile)
    return work


WORK_FIELDS = {"kind", "title", "abstract", "keywords", "year", "identifier", "source",
               "representative"}


@transaction.atomic
def work_update(*, work: Work, by: User, **fields) -> Work:
    profile = work.researcher
    _require_self(profile, by)
    _only(fields, WORK_FIELDS)
    for name, value in fields.items():
        setattr(work, name, value)
    work.full_clean()
    work.save()
    profile.save(update_fields=["updated_at"])
    _rescore_after_commit(profile)
    return work


@transaction.atomic
def work_remove(*, work: Work, by: User) -> None:
    profile = work.researcher
    _require_self(profile, by)
    work.delete()
    profile.save(update_fields=["updated_at"])
    _rescore_after_commit(profile)
