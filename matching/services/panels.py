"""Expert panels for a bounty's selection, and the experts' reviews.

Staff form a panel; its members are proposed at once (matching/panelling.py:
expertise similarity from the matching engine, conflicts and load limits as
the cohort solver's hard constraints). Invited experts accept or decline;
staff fill the places declined and may swap a member. When every place is
accepted the panel reviews: each member scores each shortlisted applicant on
the programme's rubric, blind to the others. Staff close the panel once every
review is in; the company then sees the ranking (selectors.panel_ranking) and
chooses through the usual accept, which waits for a panel at work.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import CompanyMembership, User
from accounts.roles import FORM_PANEL, REVIEW_AS_EXPERT, require_perm

from .. import aggregation, engine
from ..models import (
    Application,
    Challenge,
    Expert,
    Panel,
    PanelMember,
    Programme,
    Review,
    ReviewScore,
    Rubric,
)
from ..panelling import ExpertFacts, NeedFacts, conflicted, propose
from ._base import transition

P = Panel.Status
M = PanelMember.Status
# Applicants a panel reviews: those the company shortlisted.
REVIEWED = frozenset({Application.Status.SHORTLISTED})
# A panel may be formed while the company still decides on the applicants.
FORMABLE = Challenge.DECIDING


# --- the facts the proposal reads -----------------------------------------------------------

def need_facts(challenge: Challenge) -> NeedFacts:
    applicants = challenge.applications.exclude(status=Application.Status.WITHDRAWN)
    return NeedFacts(
        company_id=challenge.company_id,
        applicant_institution_ids=frozenset(
            applicants.values_list("researcher__institution_id", flat=True)),
        applicant_user_ids=frozenset(applicants.values_list("researcher__user_id", flat=True)),
        founding_institution_id=challenge.company.founding_institution_id)


def expert_facts(experts) -> list[ExpertFacts]:
    """Each expert with their ties and how many more panels they may take on."""
    experts = list(experts.prefetch_related("conflict_companies").annotate(
        load=Count("memberships", filter=Q(memberships__status__in=PanelMember.SEATED,
                                           memberships__panel__status__in=Panel.OPEN))))
    member_of = {}
    for user_id, company_id in CompanyMembership.objects.filter(
            user__in=[e.user_id for e in experts]).values_list("user_id", "company_id"):
        member_of.setdefault(user_id, set()).add(company_id)
    return [ExpertFacts(id=e.pk, user_id=e.user_id, institution_id=e.institution_id,
                        company_ids=frozenset({c.pk for c in e.conflict_companies.all()}
                                              | member_of.get(e.user_id, set())),
                        load_left=settings.EXPERT_MAX_LOAD - e.load)
            for e in experts]


def expertise_similarity(challenge: Challenge, experts) -> dict[int, float]:
    """The engine's similarity of each expert's expertise to the need (0–1)."""
    from .scoring.documents import need_document

    docs = [engine.Researcher(id=e.pk, keywords=tuple(e.keywords),
                              disciplines=tuple(e.disciplines), bio=e.bio) for e in experts]
    if not docs:
        return {}
    ranked = engine.rank(docs, [need_document(challenge, preferences=False)], top=len(docs))
    return {expert_id: float(score) for expert_id, score in ranked[challenge.pk]}


# --- forming a panel ------------------------------------------------------------------------

def _seated(panel: Panel):
    return panel.members.filter(status__in=PanelMember.SEATED)


def _invite(panel: Panel, by: User, exclude: set[int] = frozenset()) -> list[PanelMember]:
    """Invite the best candidates for the panel's empty places."""
    vacancies = panel.size - _seated(panel).count()
    tried = set(panel.members.values_list("expert_id", flat=True)) | set(exclude)
    candidates = Expert.objects.approved().exclude(pk__in=tried).select_related("user")
    similarity = expertise_similarity(panel.challenge, list(candidates))
    chosen = propose(expert_facts(candidates), need_facts(panel.challenge), similarity,
                     vacancies)
    invited = []
    for expert_id in chosen:
        member = PanelMember(panel=panel, expert_id=expert_id,
                             affinity=Decimal(str(round(similarity.get(expert_id, 0.0), 4))))
        acting(member, by).save()
        invited.append(member)
    return invited


def _require_staff_on_open(panel: Panel, by: User) -> Panel:
    require_perm(by, FORM_PANEL)
    panel = (Panel.objects.select_for_update(of=("self",))
             .select_related("challenge__company").get(pk=panel.pk))
    if not panel.is_open:
        raise DomainError(_("This panel is %(status)s.") % {"status": panel.get_status_display()},
                          code="invalid_transition")
    return panel


@transaction.atomic
def panel_form(*, challenge: Challenge, by: User, size: int | None = None) -> Panel:
    """Form the selection panel of a bounty and invite its proposed members."""
    require_perm(by, FORM_PANEL)
    challenge = (Challenge.objects.select_for_update(of=("self",))
                 .select_related("company").get(pk=challenge.pk))
    if challenge.programme != Programme.BOUNTY:
        raise DomainError(_("Expert panels select the applicants of open bounties only."),
                          code="invalid_transition")
    if challenge.status not in FORMABLE:
        raise DomainError(_("A panel is formed while the applicants are being decided on."),
                          code="invalid_transition")
    size = settings.PANEL_SIZE if size is None else size
    if not settings.PANEL_SIZE_MIN <= size <= settings.PANEL_SIZE_MAX:
        raise DomainError(_("A panel has between %(lo)d and %(hi)d experts.")
                          % {"lo": settings.PANEL_SIZE_MIN, "hi": settings.PANEL_SIZE_MAX},
                          field="size", code="out_of_range")
    panel = Panel(challenge=challenge, size=size, created_by=by)
    try:
        with transaction.atomic():
            acting(panel, by).save()
    except IntegrityError:
        raise DomainError(_("This need already has a panel at work."), code="duplicate") from None
    _invite(panel, by)
    return panel


@transaction.atomic
def panel_fill(*, panel: Panel, by: User) -> list[PanelMember]:
    """Invite new candidates for the places declined or vacated."""
    panel = _require_staff_on_open(panel, by)
    invited = _invite(panel, by)
    if not invited and _seated(panel).count() < panel.size:
        raise DomainError(_("No other expert without a conflict is free to sit on this panel."),
                          code="no_candidate")
    return invited


@transaction.atomic
def panel_swap(*, member: PanelMember, by: User, expert: Expert | None = None) -> PanelMember:
    """Replace a member: by the expert staff name, or by the best free candidate."""
    panel = _require_staff_on_open(member.panel, by)
    transition(member, allowed=set(PanelMember.SEATED), to=M.REMOVED,
               action=_("replace this member"), by=by, answered_at=timezone.now())
    if expert is None:
        invited = _invite(panel, by)
        if not invited:
            raise DomainError(_("No other expert without a conflict is free to sit on this "
                                "panel."), code="no_candidate")
        return invited[0]
    facts = expert_facts(Expert.objects.filter(pk=expert.pk))[0]
    if expert.status != Expert.Status.APPROVED:
        raise DomainError(_("Only an approved expert may sit on a panel."), field="expert",
                          code="invalid")
    if conflicted(facts, need_facts(panel.challenge)):
        raise DomainError(_("This expert has a conflict of interest with this need."),
                          field="expert", code="conflict_of_interest")
    if facts.load_left <= 0:
        raise DomainError(_("This expert already sits on as many panels as allowed."),
                          field="expert", code="overloaded")
    if panel.members.filter(expert=expert).exists():
        raise DomainError(_("This expert was already invited to this panel."), field="expert",
                          code="duplicate")
    similarity = expertise_similarity(panel.challenge, [expert]).get(expert.pk, 0.0)
    new = PanelMember(panel=panel, expert=expert, affinity=Decimal(str(round(similarity, 4))))
    acting(new, by).save()
    return new


def _require_own(member: PanelMember, by: User) -> PanelMember:
    require_perm(by, REVIEW_AS_EXPERT)
    member = PanelMember.objects.select_related("expert", "panel").get(pk=member.pk)
    if member.expert.user_id != by.pk:
        raise DomainError(_("Only the invited expert may answer this invitation."),
                          code="forbidden")
    return member


@transaction.atomic
def panel_member_accept(*, member: PanelMember, by: User) -> PanelMember:
    """Accept a seat; the last acceptance starts the review."""
    member = _require_own(member, by)
    panel = Panel.objects.select_for_update().get(pk=member.panel_id)
    if panel.status != P.FORMING:
        raise DomainError(_("This panel no longer takes answers."), code="invalid_transition")
    transition(member, allowed={M.INVITED}, to=M.ACCEPTED, action=_("accept this seat"), by=by,
               answered_at=timezone.now())
    if panel.members.filter(status=M.ACCEPTED).count() >= panel.size:
        transition(panel, allowed={P.FORMING}, to=P.REVIEWING, action=_("start the review"),
                   by=by)
    return member


@transaction.atomic
def panel_member_decline(*, member: PanelMember, by: User, reason: str = "") -> PanelMember:
    """Decline a seat (a conflict not on record, no time); staff invite another."""
    member = _require_own(member, by)
    Panel.objects.select_for_update().get(pk=member.panel_id)
    return transition(member, allowed={M.INVITED}, to=M.DECLINED, action=_("decline this seat"),
                      by=by, decline_reason=reason or "", answered_at=timezone.now())


def missing_reviews(panel: Panel) -> int:
    members = panel.members.filter(status=M.ACCEPTED).count()
    applicants = panel.challenge.applications.filter(status__in=REVIEWED).count()
    done = Review.objects.filter(member__panel=panel, member__status=M.ACCEPTED,
                                 application__status__in=REVIEWED).count()
    return members * applicants - done


@transaction.atomic
def panel_close(*, panel: Panel, by: User) -> Panel:
    """Close a panel whose every member reviewed every shortlisted applicant."""
    panel = _require_staff_on_open(panel, by)
    if panel.status != P.REVIEWING:
        raise DomainError(_("The panel has not started its review yet."),
                          code="invalid_transition")
    missing = missing_reviews(panel)
    if missing:
        raise DomainError(_("%(n)d review(s) are still missing.") % {"n": missing},
                          code="incomplete")
    return transition(panel, allowed={P.REVIEWING}, to=P.CLOSED, action=_("close this panel"),
                      by=by, closed_at=timezone.now())


@transaction.atomic
def panel_cancel(*, panel: Panel, by: User, note: str = "") -> Panel:
    """Dissolve a panel at work (e.g. to form another of a different size)."""
    _require_staff_on_open(panel, by)
    return transition(panel, allowed=set(Panel.OPEN), to=P.CANCELLED,
                      action=_("cancel this panel"), by=by, closed_at=timezone.now())


# --- reviews --------------------------------------------------------------------------------

def rubric_for(programme: str) -> Rubric:
    rubric = Rubric.objects.filter(programme=programme).prefetch_related("criteria").first()
    if rubric is None or not rubric.criteria.all():
        raise DomainError(_("No rubric is set for this programme yet; ask the district staff."),
                          code="no_rubric")
    return rubric


def _score(raw, criterion) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= criterion.max_score:
        raise DomainError(_("Give a score from 0 to %(max)d.") % {"max": criterion.max_score},
                          field=f"criterion_{criterion.pk}", code="out_of_range")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def review_submit(*, member: PanelMember, application: Application, by: User,
                  scores: dict, comment: str = "") -> Review:
    """An expert's scores of one shortlisted applicant, final once given.

    `scores` maps each criterion's id to a score on its scale."""
    member = _require_own(member, by)
    panel = Panel.objects.select_for_update(of=("self",)).select_related("challenge").get(
        pk=member.panel_id)
    if panel.status != P.REVIEWING or member.status != M.ACCEPTED:
        raise DomainError(_("Reviews are given by the accepted members of a panel under "
                            "review."), code="invalid_transition")
    if (application.challenge_id != panel.challenge_id
            or application.status not in REVIEWED):
        raise DomainError(_("This panel does not review this application."),
                          field="application", code="invalid")
    criteria = list(rubric_for(panel.challenge.programme).criteria.all())
    given = {str(k): v for k, v in (scores or {}).items()}
    values = [(c, _score(given.get(str(c.pk)), c)) for c in criteria]
    total = aggregation.review_total([(v, c.weight, c.max_score) for c, v in values])
    review = Review(member=member, application=application, total=total,
                    comment=comment or "")
    try:
        with transaction.atomic():
            acting(review, by).save()
    except IntegrityError:
        raise DomainError(_("You have already reviewed this applicant."), code="duplicate") \
            from None
    for criterion, value in values:
        acting(ReviewScore(review=review, criterion=criterion, score=value), by).save()
    return review
