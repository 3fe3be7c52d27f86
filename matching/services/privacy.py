"""Deleting a person's personal data (PIPL Art. 47), everywhere, history included.

The person's rows are found by who they are about (the list below); each field
accounts/personal_data.py declares personal is blanked, on the row and on every
earlier version of it in its history table. What the district's statistics
count stays as an anonymous row: the researcher profile (institution, title,
degree), the placements and the verified outcomes, so that published figures do
not change. Rows that are nothing but the person's (works, notifications, match
scores, memberships) are deleted, and their history scrubbed the same way.

Lives in matching because it reaches both apps' rows (accounts may not import
matching); staff call it from the admin's deletion queue, the retention job
calls the same function.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import signals
from accounts.history import acting
from accounts.models import (
    Company,
    CompanyMembership,
    Consent,
    DeletionRequest,
    InstitutionOffice,
    ResearcherProfile,
    User,
    Work,
)
from accounts.personal_data import personal_fields
from accounts.roles import ERASE_PERSONAL_DATA, require_perm
from accounts.transitions import transition

from ..models import (
    Agreement,
    Application,
    CohortPair,
    Evaluation,
    Expert,
    MatchScore,
    Notification,
    Objection,
    Outcome,
    PanelMember,
    Placement,
    Publicity,
    Review,
    ServiceLog,
    SubsidyClaim,
)

KEEP, DELETE = "keep", "delete"
# (model, the lookup from it to the person's User, keep the row anonymous or delete it)
OWNED = [
    (Work, "researcher__user", DELETE),
    (Notification, "user", DELETE),
    (MatchScore, "researcher__user", DELETE),
    (CompanyMembership, "user", DELETE),
    (InstitutionOffice, "user", DELETE),
    (ResearcherProfile, "user", KEEP),
    (Consent, "user", KEEP),
    (Application, "researcher__user", KEEP),
    (Placement, "researcher__user", KEEP),
    (Outcome, "placement__researcher__user", KEEP),
    (Agreement, "placement__researcher__user", KEEP),
    (CohortPair, "researcher__researcher__user", KEEP),
    (ServiceLog, "placement__researcher__user", KEEP),
    (Evaluation, "placement__researcher__user", KEEP),
    (SubsidyClaim, "placement__researcher__user", KEEP),
    (Expert, "user", KEEP),
    (PanelMember, "expert__user", KEEP),
    (Review, "member__expert__user", KEEP),
    (Review, "application__researcher__user", KEEP),
    (Objection, "lodged_by", KEEP),
    (Publicity, "placement__researcher__user", KEEP),
]


def _blank(field: models.Field):
    """The value an erased field holds: empty text, an empty list, or NULL."""
    if field.null:
        return None
    if isinstance(field, models.JSONField) and not field.has_default():
        return []
    return field.get_default() if field.has_default() else ""


def _scrub(rows: models.QuerySet, by: User | None, *, delete: bool) -> None:
    model = rows.model
    names = personal_fields(model._meta.label)
    pks = list(rows.values_list("pk", flat=True))
    for obj in rows.select_for_update():
        if delete:
            acting(obj, by).delete()
            continue
        for name in names:
            field = model._meta.get_field(name)
            if isinstance(field, models.FileField) and getattr(obj, name):
                getattr(obj, name).delete(save=False)
            setattr(obj, name, _blank(field))
        acting(obj, by).save()
    _scrub_history(model, pks, names)


def _scrub_history(model, pks: list, names: set[str]) -> None:
    """Every earlier version of the rows loses its personal fields too. A history
    row has no history of its own, so an UPDATE is the honest tool here."""
    history = getattr(model, "history", None)
    if history is None or not pks or not names:
        return
    historical = history.model
    historical.objects.filter(id__in=pks).update(
        **{name: _blank(historical._meta.get_field(name)) for name in names})


def _erase_user(user: User, by: User | None) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from rest_framework.authtoken.models import Token

    # Sign-in records name the person by the address they typed.
    for log in (AccessLog, AccessAttempt, AccessFailureLog):
        log.objects.filter(username__iexact=user.email).delete()
    Token.objects.filter(user=user).delete()
    # A company that named this person as its contact no longer does.
    _scrub(Company.objects.filter(memberships__user=user,
                                  contact_email__iexact=user.email), by, delete=False)
    user.email = f"erased-{user.pk}@erased.invalid"
    for name in personal_fields("accounts.User") - {"email", "password"}:
        setattr(user, name, "")
    user.set_unusable_password()
    user.is_active = False
    user.save()


def person_erase(*, user: User, by: User | None) -> None:
    """Blank or delete everything personal about `user` (see the module's doc).
    Running it again finds nothing left to erase and changes nothing that counts."""
    for model, lookup, keep in OWNED:
        _scrub(model.objects.filter(**{lookup: user}), by, delete=keep == DELETE)
    _erase_user(user, by)
    profile_id = ResearcherProfile.objects.filter(user=user).values_list("pk", flat=True).first()
    if profile_id is not None:  # out of every list and index once this commits
        signals.researcher_changed.send(sender=ResearcherProfile, profile_id=profile_id)


@transaction.atomic
def deletion_carry_out(*, request: DeletionRequest, by: User) -> DeletionRequest:
    """Staff carry out a person's deletion request from the queue."""
    require_perm(by, ERASE_PERSONAL_DATA)
    transition(request, allowed={DeletionRequest.Status.PENDING},
               to=DeletionRequest.Status.DONE, action=_("carry out this deletion"), by=by,
               done_at=timezone.now(), done_by=by)
    person_erase(user=request.user, by=by)
    return request


# --- retention: unused accounts --------------------------------------------------------------

def _flag_unused(now, cutoff) -> int:
    """Staff are shown each account nobody signed in to since `cutoff` (never signed
    in: created before it) as a deletion request "account unused"."""
    unused = (User.objects.filter(is_active=True, is_staff=False)
              .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
              .exclude(deletion_requests__status=DeletionRequest.Status.PENDING))
    flagged = 0
    for user in unused:
        request = DeletionRequest(user=user, reason=DeletionRequest.Reason.INACTIVE,
                                  requested_at=now,
                                  due_at=now + timedelta(days=settings.DELETION_DEADLINE_DAYS))
        try:
            with transaction.atomic():
                acting(request, None).save()
        except IntegrityError:  # flagged meanwhile by a run beside this one
            continue
        flagged += 1
    return flagged


def retention_sweep(*, now=None) -> dict:
    """The nightly job: lift the flag of an account used again, flag unused ones,
    and anonymise those flagged past their deadline, each through the one deletion
    service. Replay-safe: a second run finds nothing left to do."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RETENTION_INACTIVE_DAYS)
    flagged = DeletionRequest.objects.pending().filter(reason=DeletionRequest.Reason.INACTIVE)
    lifted = 0
    for request in flagged.filter(user__last_login__gt=F("requested_at")):
        with transaction.atomic():
            transition(request, allowed={DeletionRequest.Status.PENDING},
                       to=DeletionRequest.Status.CANCELLED, action=_("cancel this deletion"),
                       by=None)
        lifted += 1
    new = _flag_unused(now, cutoff)
    erased = 0
    for request in flagged.filter(due_at__lte=now).select_related("user"):
        with transaction.atomic():
            transition(request, allowed={DeletionRequest.Status.PENDING},
                       to=DeletionRequest.Status.DONE, action=_("carry out this deletion"),
                       by=None, done_at=now)
            person_erase(user=request.user, by=None)
        erased += 1
    return {"lifted": lifted, "flagged": new, "erased": erased}
