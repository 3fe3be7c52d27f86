"""Every write to users, companies and researcher profiles goes through here."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signals
from .errors import DomainError
from .history import acting, is_decision_field
from .models import (
    Company,
    CompanyMembership,
    Institution,
    InstitutionOffice,
    Invitation,
    ResearcherProfile,
    User,
    Work,
)
from .roles import VERIFY_COMPANY, VERIFY_RESEARCHER, has_perm, require_perm
from .tokens import tokens_revoke
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
    _save_company(company, by=owner)
    acting(CompanyMembership(company=company, user=owner, role=CompanyMembership.Role.OWNER),
           owner).save()
    return company


def _save_company(company: Company, *, by: User) -> None:
    try:
        with transaction.atomic():
            acting(company, by).save()
    except IntegrityError:
        raise DomainError(_("A company with this credit code is already registered."),
                          field="credit_code", code="duplicate") from None


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
    acting(obj, by).save(update_fields=fields)
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
    acting(company, by).save()
    return company


@transaction.atomic
def company_correct(*, company: Company, by: User, **fields) -> Company:
    """Staff correct a company's record, its verified name and credit code included;
    whether it is verified is decided by company_verify / company_reject."""
    require_perm(by, "accounts.change_company")
    _only(fields, COMPANY_FIELDS | {"name", "credit_code"})
    for name, value in fields.items():
        setattr(company, name, value)
    company.credit_code = company.credit_code.strip().upper()
    company.full_clean(validate_unique=False)
    _save_company(company, by=by)
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
            acting(invitation, by).save()
    except IntegrityError:
        raise DomainError(_("This person has been invited already and has not answered yet."),
                          field="email", code="duplicate") from None
    signals.notify.send(sender=Invitation, event="invitation_received",
                        object_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by: User) -> CompanyMembership:
    _answer(invitation, by, to=Invitation.Status.ACCEPTED, action=_("accept this invitation"))
    membership = CompanyMembership.objects.filter(company_id=invitation.company_id,
                                                  user=by).first()
    if membership is None:
        membership = CompanyMembership(company_id=invitation.company_id, user=by,
                                       role=CompanyMembership.Role.MEMBER)
        acting(membership, by).save()
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
    transition(invitation, allowed={Invitation.Status.PENDING}, to=to, action=action, by=by,
               answered_at=timezone.now())
    signals.notify.send(sender=Invitation, event="invitation_answered", object_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    require_member(by, invitation.company, owner=True)
    return transition(invitation, allowed={Invitation.Status.PENDING},
                      to=Invitation.Status.REVOKED, action=_("revoke this invitation"),
                      by=by, answered_at=timezone.now())


def company_member_remove(*, membership: CompanyMembership, by: User) -> None:
    require_member(by, membership.company, owner=True)
    if membership.role == CompanyMembership.Role.OWNER:
        raise DomainError(_("The owner cannot be removed."), code="forbidden")
    acting(membership, by).delete()


def researcher_register(*, user: User, institution: Institution, title: str,
                        **fields) -> ResearcherProfile:
    if ResearcherProfile.objects.filter(user=user).exists():
        raise DomainError(_("This account already has a researcher profile."),
                          code="duplicate")
    profile = ResearcherProfile(user=user, institution=institution, title=title, **fields)
    profile.full_clean()
    acting(profile, user).save()
    # Scored at once: a new researcher sees recommendations on their first visit.
    _rescore_after_commit(profile)
    return profile


def _rescore_after_commit(profile: ResearcherProfile) -> None:
    """The profile's text changed: its scores follow once this commits."""
    signals.researcher_changed.send(sender=ResearcherProfile, profile_id=profile.pk)


def _require_self(profile: ResearcherProfile, by: User, *, or_perm: str) -> None:
    """The researcher themselves, or staff holding `or_perm` (correcting a record)."""
    if profile.user_id != by.pk and not has_perm(by, or_perm):
        raise DomainError(_("Only the researcher may change their own profile and works."),
                          code="forbidden")


PROFILE_FIELDS = {"department", "title", "degree", "disciplines", "keywords", "bio",
                  "languages", "capacity"}


@transaction.atomic
def researcher_update(*, profile: ResearcherProfile, by: User, **fields) -> ResearcherProfile:
    """The researcher keeps their profile; staff correct it (an institution
    included). Either way the scores follow; verification is decided by
    researcher_verify / researcher_reject."""
    _require_self(profile, by, or_perm="accounts.change_researcherprofile")
    _only(fields, PROFILE_FIELDS if profile.user_id == by.pk else PROFILE_FIELDS | {"institution"})
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    acting(profile, by).save()
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
    _require_self(profile, by, or_perm="accounts.add_work")
    work = Work(researcher=profile, title=title, **fields)
    work.full_clean()
    acting(work, by).save()
    _works_changed(profile, by)
    return work


def _works_changed(profile: ResearcherProfile, by: User) -> None:
    # The profile's updated_at tells the scoring caches that its documents changed.
    acting(profile, by).save(update_fields=["updated_at"])
    _rescore_after_commit(profile)


WORK_FIELDS = {"kind", "title", "abstract", "keywords", "year", "identifier", "source",
               "representative"}


@transaction.atomic
def work_update(*, work: Work, by: User, **fields) -> Work:
    profile = work.researcher
    _require_self(profile, by, or_perm="accounts.change_work")
    _only(fields, WORK_FIELDS)
    for name, value in fields.items():
        setattr(work, name, value)
    work.full_clean()
    acting(work, by).save()
    _works_changed(profile, by)
    return work


@transaction.atomic
def work_remove(*, work: Work, by: User) -> None:
    profile = work.researcher
    _require_self(profile, by, or_perm="accounts.delete_work")
    acting(work, by).delete()
    _works_changed(profile, by)


@transaction.atomic
def password_set(*, user: User, password: str | None, by: User | None = None) -> User:
    """Set (or, with None, disable) a user's password: the one way every door
    changes one — the website's change and reset forms, the API's change and
    reset confirmation, the admin.

    `by` is None when the person proved who they are (their old password, or a
    reset link sent to them); another person needs the right to change users.
    Every API token of the user is revoked. Their other sessions end by
    themselves: Django checks each session against the password it was opened
    with, and the door the user is at keeps theirs (update_session_auth_hash).
    """
    if by is not None and by.pk != user.pk:
        require_perm(by, "accounts.change_user")
    if password is None:
        user.set_unusable_password()
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(exc.error_list, field="password") from None
        user.set_password(password)
    user.save(update_fields=["password"])
    tokens_revoke(user=user)
    return user


def _model_perm(record: models.Model, action: str) -> str:
    return f"{record._meta.app_label}.{action}_{record._meta.model_name}"


@transaction.atomic
def record_save(*, record: models.Model, by: User, changed=()) -> models.Model:
    """Save a plain record staff keep in the admin: reference lists, memberships,
    cohorts and their participants.

    Staff need the model's add or change permission; a decision field (see
    accounts/history.py) is never set this way, only by its service; the record
    is validated and the history names who saved it.
    """
    require_perm(by, _model_perm(record, "change" if record.pk else "add"))
    refused = sorted(name for name in changed if is_decision_field(name))
    if refused:
        raise DomainError(_("These fields are set by a decision, not here: %(f)s")
                          % {"f": ", ".join(refused)}, code="forbidden")
    record.full_clean()
    acting(record, by).save()
    return record


@transaction.atomic
def record_delete(*, record: models.Model, by: User) -> None:
    """Remove a plain record staff keep (see record_save); its history keeps it."""
    require_perm(by, _model_perm(record, "delete"))
    acting(record, by).delete()


@transaction.atomic
def institution_office_add(*, institution: Institution, user: User, by: User) -> InstitutionOffice:
    """Appoint `user` to act for `institution`'s office (endorsements, co-signing)."""
    require_perm(by, "accounts.add_institutionoffice")
    office = InstitutionOffice(institution=institution, user=user)
    acting(office, by)
    try:
        with transaction.atomic():
            office.save()
    except IntegrityError:
        raise DomainError(_("This person already acts for this institution."), field="user",
                          code="duplicate") from None
    return office


@transaction.atomic
def institution_office_remove(*, office: InstitutionOffice, by: User) -> None:
    require_perm(by, "accounts.delete_institutionoffice")
    acting(office, by).delete()
