"""Linking placements and outcomes to the 55830 plan's actions and measures.

Staff set the whole set of links at once (what the admin form and the API send);
each link added or removed is a row saved or deleted on its own, so the history
of the link rows tells who linked what and when.
"""

from collections.abc import Iterable

from django.db import transaction

from accounts.history import acting
from accounts.models import User
from accounts.roles import TAG_PLAN_ACTION, require_perm

from ..models import Outcome, OutcomePlanAction, Placement, PlacementPlanAction, PlanAction


def _set_links(links, link_model, owner_field: str, owner, actions: Iterable[PlanAction],
               by: User) -> None:
    wanted = {a.pk: a for a in actions}
    existing = {link.plan_action_id: link for link in links.select_for_update()}
    for pk, link in existing.items():
        if pk not in wanted:
            acting(link, by).delete()
    for pk, action in wanted.items():
        if pk not in existing:
            acting(link_model(**{owner_field: owner}, plan_action=action), by).save()


@transaction.atomic
def placement_tag(*, placement: Placement, actions: Iterable[PlanAction], by: User) -> Placement:
    """Link a placement to exactly these plan actions (an empty list unlinks it)."""
    require_perm(by, TAG_PLAN_ACTION)
    # The placement's row lock serialises two staff members tagging it at once.
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _set_links(placement.plan_links.all(), PlacementPlanAction, "placement", placement,
               actions, by)
    return placement


@transaction.atomic
def outcome_tag(*, outcome: Outcome, actions: Iterable[PlanAction], by: User) -> Outcome:
    """Link an outcome to exactly these plan actions (an empty list unlinks it)."""
    require_perm(by, TAG_PLAN_ACTION)
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    _set_links(outcome.plan_links.all(), OutcomePlanAction, "outcome", outcome, actions, by)
    return outcome
