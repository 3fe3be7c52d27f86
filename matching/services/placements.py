"""Placements (入企服务 / 聘任): pending approval → active → completed / terminated,
or rejected."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import Company, ResearcherProfile, User
from accounts.roles import APPROVE_PLACEMENT, MANAGE_PLACEMENT, require_perm

from ..eligibility import require_eligible
from ..models import Challenge, Cohort, Placement, Programme
from ._base import after_commit, require_text, transition
from .notifications import notify_after_commit

P = Placement.Status


@transaction.atomic
def placement_create(*, programme: str, company: Company, researcher: ResearcherProfile,
                     by: User, starts_on: datetime.date, ends_on: datetime.date,
                     post: str = "", cohort: Cohort | None = None) -> Placement:
    """A placement staff create directly: a tech-VP appointment or a cohort assignment."""
    require_perm(by, MANAGE_PLACEMENT)
    if programme == Programme.TECH_VP and not post:
        post = "科技副总"
    placement = Placement(programme=programme, company=company, researcher=researcher,
                          starts_on=starts_on, ends_on=ends_on, post=post, cohort=cohort)
    placement.full_clean()
    acting(placement, by).save()
    return placement


@transaction.atomic
def placement_approve(*, placement: Placement, by: User, note: str = "") -> Placement:
    """Approve a pending placement, within the researcher's capacity.

    The researcher's profile row is locked while their active placements are
    counted, so two approvals at once cannot overbook them.
    """
    require_perm(by, APPROVE_PLACEMENT)
    researcher = ResearcherProfile.objects.select_for_update().select_related(
        "user").get(pk=placement.researcher_id)
    # Checked again here: the profile may have changed since the application, and
    # placements staff or the cohort solver created had no application.
    require_eligible(researcher=researcher, company=placement.company,
                     programme=placement.programme)
    active = researcher.placements.active().count()
    if active >= researcher.capacity:
        raise DomainError(
            _("%(name)s already has %(n)d active placement(s), their stated capacity.")
            % {"name": researcher.user, "n": active}, code="capacity_full")
    transition(placement, allowed={P.PENDING}, to=P.ACTIVE, action=_("approve this placement"),
               by=by, review_note=note, approved_by=by, approved_at=timezone.now())
    _availability_changed(placement)
    notify_after_commit("placement_reviewed", placement.pk)
    # The first approved placement of an awarded need puts the need in progress,
    # under the need's row lock and on its record.
    challenge = (Challenge.objects.select_for_update().filter(pk=placement.challenge_id).first()
                 if placement.challenge_id else None)
    if challenge is not None and challenge.status == Challenge.Status.AWARDED:
        transition(challenge, allowed={Challenge.Status.AWARDED}, to=Challenge.Status.IN_PROGRESS,
                   action=_("start work on this need"), by=by)
    return placement


@transaction.atomic
def placement_reject(*, placement: Placement, by: User, note: str) -> Placement:
    require_perm(by, APPROVE_PLACEMENT)
    note = require_text(note, field="review_note",
                        message=_("Say why the placement is rejected."))
    transition(placement, allowed={P.PENDING}, to=P.REJECTED,
               action=_("reject this placement"), by=by, review_note=note)
    notify_after_commit("placement_reviewed", placement.pk)
    return placement


@transaction.atomic
def placement_complete(*, placement: Placement, by: User) -> Placement:
    require_perm(by, MANAGE_PLACEMENT)
    transition(placement, allowed={P.ACTIVE}, to=P.COMPLETED,
               action=_("complete this placement"), by=by)
    _availability_changed(placement)
    return placement


@transaction.atomic
def placement_terminate(*, placement: Placement, by: User, note: str) -> Placement:
    require_perm(by, MANAGE_PLACEMENT)
    note = require_text(note, field="review_note",
                        message=_("Say why the placement ends early."))
    transition(placement, allowed={P.ACTIVE}, to=P.TERMINATED,
               action=_("terminate this placement"), by=by, review_note=note)
    _availability_changed(placement)
    return placement


def _availability_changed(placement: Placement) -> None:
    """The researcher's capacity left changed: their match scores must follow.
    (The scoring index notices the change by the placements' history.)"""
    after_commit("researcher_rescore", placement.researcher_id)
