"""A PhD cohort (期): participants, preferences, the solver, deployment.

Staff add needs (with a head-count range) and researchers; during the
preference window researchers rank up to five needs and companies mark
researchers they want or do not want; staff run the solver (a Celery job),
inspect the proposal, force or exclude pairs and run it again; deploying
creates the placements, pending approval, in one transaction.
"""

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.history import acting
from accounts.models import User
from accounts.roles import DEPLOY_COHORT, RUN_COHORT, require_perm
from accounts.services import require_member

from .. import assignment, eligibility
from ..engine.scoring import ResearcherIndex
from ..models import (
    Application,
    Cohort,
    CohortMark,
    CohortNeed,
    CohortPair,
    CohortPreference,
    CohortResearcher,
    CohortRun,
    Placement,
    Programme,
)
from . import runs
from ._base import after_commit, transition
from .scoring import (
    need_counts,
    need_document,
    researcher_counts,
    researcher_documents,
    semantic_space,
    user_words,
)

# Preferences add to the engine's score: a first choice adds 0.10, a fifth 0.02;
# a company's "wanted" adds 0.05. Enough to decide between comparable
# candidates, not to pair a researcher with a need outside their field.
RANK_BONUS = {1: 0.10, 2: 0.08, 3: 0.06, 4: 0.04, 5: 0.02}
WANTED_BONUS = 0.05
APPLIED_BONUS = RANK_BONUS[5]


def applied_pairs(cohort: Cohort) -> set[tuple[int, int]]:
    """(entry id, need id) of every open application a cohort researcher made to
    one of the cohort's needs."""
    return set(CohortNeed.objects.filter(
        cohort=cohort, challenge__applications__status__in=Application.OPEN,
        challenge__applications__researcher__cohort_entries__cohort=cohort,
    ).values_list("challenge__applications__researcher__cohort_entries", "pk"))


def _open_for_preferences(cohort: Cohort) -> None:
    if cohort.preferences_open_until and timezone.localdate() > cohort.preferences_open_until:
        raise DomainError(_("The preference window of this cohort has closed."),
                          code="window_closed")


@transaction.atomic
def preferences_set(*, entry: CohortResearcher, by: User, needs: list[CohortNeed]) -> None:
    """A researcher ranks up to five needs of the cohort, best first."""
    if entry.researcher.user_id != by.pk:
        raise DomainError(_("Only the researcher may rank their own preferences."),
                          code="forbidden")
    _open_for_preferences(entry.cohort)
    if len(needs) > 5 or len(set(needs)) != len(needs):
        raise DomainError(_("Rank at most five different needs."), field="needs")
    published = set(entry.cohort.eligible_needs().values_list("pk", flat=True))
    if any(n.pk not in published for n in needs):
        raise DomainError(_("Only published needs of this cohort can be ranked."),
                          field="needs")
    # One by one, each on the record (five rows at most).
    for old in entry.preferences.all():
        acting(old, by).delete()
    for rank, need in enumerate(needs, 1):
        acting(CohortPreference(entry=entry, need=need, rank=rank), by).save()


@transaction.atomic
def cohort_mark_set(*, need: CohortNeed, entry: CohortResearcher, wanted: bool | None,
                    by: User) -> CohortMark | None:
    """A company marks a researcher of the cohort as wanted or not wanted for one of
    its cohort needs; None takes the mark back."""
    require_member(by, need.challenge.company)
    if entry.cohort_id != need.cohort_id:
        raise DomainError(_("This researcher does not take part in this cohort."),
                          field="researcher")
    _open_for_preferences(need.cohort)
    # Locked, so that two members marking at once leave one mark, not an error.
    mark = CohortMark.objects.select_for_update().filter(need=need, researcher=entry).first()
    if wanted is None:
        if mark is not None:
            acting(mark, by).delete()
        return None
    mark = mark or CohortMark(need=need, researcher=entry)
    mark.wanted = wanted
    acting(mark, by).save()
    return mark


# --- the instance -------------------------------------------------------------------------

def _conflicts(cohort: Cohort, entries, needs) -> dict:
    """(entry id, need id) → reason, for every pair that must never be assigned:
    the shared rule of matching/eligibility.py, then staff's and companies' refusals."""
    reasons = {}
    members = eligibility.member_pairs(e.researcher for e in entries)
    for e in entries:
        admitted = eligibility.is_eligible(e.researcher, Programme.PHD)
        for n in needs:
            reason = (eligibility.conflict(e.researcher, n.challenge.company,
                                           member_pairs=members)
                      or (None if admitted else eligibility.INELIGIBLE))
            if reason:
                reasons[(e.pk, n.pk)] = reason
    for pair in cohort.pairs.exclude(kind=CohortPair.Kind.FORCED):
        reasons[(pair.researcher_id, pair.need_id)] = pair.kind
    for mark in CohortMark.objects.filter(need__cohort=cohort, wanted=False):
        reasons[(mark.researcher_id, mark.need_id)] = "not_wanted"
    return reasons


def cohort_instance(cohort: Cohort) -> tuple[assignment.Instance, dict]:
    """The solver's instance for a cohort, and the engine's score components of each pair."""
    entries = list(cohort.researchers.select_related("researcher__user", "researcher__institution"))
    needs = list(cohort.eligible_needs().select_related("challenge__company__cluster"))
    affinity, parts = {}, {}
    if entries and needs:
        words = user_words()
        docs = researcher_documents([e.researcher_id for e in entries])
        by_id = {d.id: d for d in docs}
        docs = [by_id[e.researcher_id] for e in entries if e.researcher_id in by_id]
        # Capacity here is the cohort's, not what is left of the researcher's own.
        docs = [d.__class__(**{**d.__dict__, "capacity_left": 1}) for d in docs]
        index = ResearcherIndex(docs, researcher_counts(docs, words=words), semantic_space())
        need_docs = [need_document(n.challenge) for n in needs]
        scores = index.scores(need_docs, index.need_vectors(need_counts(need_docs, words=words)),
                              cutoff=False)
        entry_of = {e.researcher_id: e for e in entries}
        bonus = {(p.entry_id, p.need_id): RANK_BONUS[p.rank]
                 for p in CohortPreference.objects.filter(entry__cohort=cohort)}
        # An application to a cohort need counts as a preference, below any the
        # researcher ranked: read here rather than copied into CohortPreference,
        # so a withdrawn application stops counting by itself.
        for entry_id, need_id in applied_pairs(cohort):
            bonus.setdefault((entry_id, need_id), APPLIED_BONUS)
        for m in CohortMark.objects.filter(need__cohort=cohort, wanted=True):
            bonus[(m.researcher_id, m.need_id)] = bonus.get((m.researcher_id, m.need_id), 0) \
                + WANTED_BONUS
        for i, doc in enumerate(docs):
            e = entry_of[doc.id]
            for j, n in enumerate(needs):
                # The engine never scores a member of the company (−inf); such a
                # pair is a conflict below, which names the reason.
                total = float(scores.total[i, j])
                value = total if np.isfinite(total) else float(scores.text[i, j])
                extra = bonus.get((e.pk, n.pk), 0.0)
                affinity[(str(e.pk), str(n.pk))] = round(value + extra, 6)
                parts[(e.pk, n.pk)] = {"engine": round(value, 4), "preference": extra}
    conflicts = _conflicts(cohort, entries, needs)
    inst = assignment.Instance(
        researchers=[(str(e.pk), min(e.capacity, 2 if cohort.allow_two_companies else 1))
                     for e in entries],
        seats=[(str(n.pk), n.max_researchers, n.min_researchers) for n in needs],
        affinity=affinity,
        conflicts={(str(r), str(n)) for r, n in conflicts},
        forced=[(str(p.researcher_id), str(p.need_id))
                for p in cohort.pairs.filter(kind=CohortPair.Kind.FORCED)],
        min_score=cohort.min_score, fairness=cohort.fairness)
    if cohort.institution_quota:
        inst.researcher_group = {str(e.pk): str(e.researcher.institution_id) for e in entries}
        inst.group_quota = dict.fromkeys(set(inst.researcher_group.values()),
                                         cohort.institution_quota)
    if cohort.cluster_quota:
        inst.seat_group = {str(n.pk): str(n.challenge.company.cluster_id) for n in needs
                           if n.challenge.company.cluster_id}
        inst.seat_group_quota = dict.fromkeys(set(inst.seat_group.values()), cohort.cluster_quota)
    return inst, {"parts": parts, "conflicts": conflicts}


# --- runs -------------------------------------------------------------------------------

def _require_current(cohort: Cohort) -> None:
    if cohort.is_over:
        raise DomainError(_("%(cohort)s ended on %(day)s: it can no longer be run or deployed.")
                          % {"cohort": cohort, "day": cohort.ends_on}, code="cohort_over")


@transaction.atomic
def cohort_run_start(*, cohort: Cohort, by: User) -> CohortRun:
    require_perm(by, RUN_COHORT)
    _require_current(cohort)
    if not cohort.eligible_needs().exists() or not cohort.researchers.exists():
        raise DomainError(_("Add published PhD needs of this cohort and researchers before "
                            "running the solver."), code="empty_cohort")
    run = CohortRun(cohort=cohort, created_by=by)
    acting(run, by).save()
    after_commit("cohort_solve", run.pk)
    return run


R = CohortRun.Status


@transaction.atomic
def cohort_run_cancel(*, run: CohortRun, by: User) -> CohortRun:
    require_perm(by, RUN_COHORT)
    return transition(run, allowed={R.QUEUED, R.RUNNING}, to=R.CANCELLED,
                      action=_("cancel this job"), by=by, finished_at=timezone.now())


@transaction.atomic
def cohort_run_retry(*, run: CohortRun, by: User) -> CohortRun:
    require_perm(by, RUN_COHORT)
    transition(run, allowed={R.FAILED, R.CANCELLED}, to=R.QUEUED, action=_("retry this job"),
               by=by, error="", step="")
    after_commit("cohort_solve", run.pk)
    return run


def _step(run_id: int, step: str) -> bool:
    """Record progress (not history); False when staff cancelled the run meanwhile."""
    return bool(CohortRun.objects.filter(pk=run_id, status=R.RUNNING).update(step=step))


@transaction.atomic
def _conclude(run_id: int, *, allowed: set[str], to: str, **changes) -> CohortRun | None:
    """The job's own transitions, on record as the system's; None when the run is
    no longer in `allowed` (cancelled by staff, or concluded by another attempt)."""
    run = CohortRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status not in allowed:
        return None
    for name, value in changes.items():
        setattr(run, name, value)
    run.status = to
    acting(run, None).save(update_fields=["status", *changes])
    return run


def cohort_solve(*, run_id: int) -> CohortRun | None:
    """Solve a queued run and store its proposal; replay-safe (a re-run of the
    same run overwrites the same proposal). An unexpected error leaves the run
    running for the task to retry; the task's final failure is cohort_run_fail."""
    # A run left "running" by a worker that died is taken again (services/runs.py).
    if not runs.run_claim(CohortRun, run_id, statuses={R.QUEUED}, step=CohortRun.Step.SCORING):
        return None  # cancelled, already done, or running elsewhere
    run = CohortRun.objects.select_related("cohort").get(pk=run_id)
    try:
        inst, detail = cohort_instance(run.cohort)
        if not _step(run_id, CohortRun.Step.SOLVING):
            return run
        result = assignment.solve(inst)
        proposal = _proposal(run.cohort, inst, result, detail)
    except assignment.InvalidInstance as exc:
        return _conclude(run_id, allowed={R.RUNNING}, to=R.FAILED, error=str(exc),
                         finished_at=timezone.now())
    return _conclude(run_id, allowed={R.RUNNING}, to=R.COMPLETED, step=CohortRun.Step.DONE,
                     result=proposal, total_affinity=round(result.total_affinity, 6),
                     finished_at=timezone.now()) or CohortRun.objects.get(pk=run_id)


def cohort_run_fail(*, run_id: int, error: str) -> None:
    """The solver task failed for good: staff see why and may retry it."""
    _conclude(run_id, allowed={R.QUEUED, R.RUNNING}, to=R.FAILED, error=error[-2000:],
              finished_at=timezone.now())


def _proposal(cohort, inst, result, detail) -> dict:
    """What staff inspect: every pair with its score and why; every unfilled seat
    and unassigned researcher with the reason."""
    entries = {str(e.pk): e for e in cohort.researchers.select_related("researcher__user")}
    needs = {str(n.pk): n for n in cohort.eligible_needs().select_related("challenge__company")}
    forced = set(inst.forced)
    return {
        "assignment": [{
            "entry": int(r), "need": int(s),
            "researcher": str(entries[r].researcher.user), "company": needs[s].challenge.company.name,
            "challenge": needs[s].challenge.title,
            "score": round(inst.affinity.get((r, s), 0.0), 4),
            **detail["parts"].get((int(r), int(s)), {}), "forced": (r, s) in forced,
        } for r, s in result.assignment],
        "unassigned": [{"entry": int(r), "researcher": str(entries[r].researcher.user),
                        "reason": result.reasons[r]} for r in result.unassigned_researchers],
        "unfilled": [{"need": int(u["seat"]), "challenge": needs[u["seat"]].challenge.title,
                      "company": needs[u["seat"]].challenge.company.name,
                      "missing": u["missing"], "below_minimum": max(
                          needs[u["seat"]].min_researchers
                          - (needs[u["seat"]].max_researchers - u["missing"]), 0),
                      "reason": u["reason"]} for u in result.unfilled],
    }


# --- deployment -----------------------------------------------------------------------------

def cohort_deployment(*, run: CohortRun) -> list[Placement]:
    """The placements deploying `run` would create (unsaved), or the reason it
    cannot be deployed: what staff confirm, and what cohort_deploy creates."""
    cohort = run.cohort
    _require_current(cohort)
    if run.status != CohortRun.Status.COMPLETED:
        raise DomainError(_("Only a completed proposal can be deployed."),
                          code="invalid_transition")
    if run.deployed_at:
        raise DomainError(_("This proposal is deployed already."), code="invalid_transition")
    if cohort.runs.filter(deployed_at__isnull=False).exists():
        raise DomainError(_("Another proposal of this cohort is deployed; undeploy it first."),
                          code="invalid_transition")
    entries = {e.pk: e for e in cohort.researchers.select_related(
        "researcher__user", "researcher__institution")}
    needs = {n.pk: n for n in cohort.eligible_needs().select_related("challenge__company")}
    placements = []
    for pair in run.result.get("assignment", []):
        entry, need = entries.get(pair["entry"]), needs.get(pair["need"])
        if entry is None or need is None:
            raise DomainError(_("The cohort changed since this proposal was made (a need was "
                                "withdrawn, awarded or removed, or a researcher left); run the "
                                "solver again."), code="stale")
        placement = Placement(programme=Programme.PHD, company=need.challenge.company,
                              researcher=entry.researcher, challenge=need.challenge,
                              cohort=cohort, cohort_run=run, starts_on=cohort.starts_on,
                              ends_on=cohort.ends_on)
        placement.full_clean()
        placements.append(placement)
    return placements


@transaction.atomic
def cohort_deploy(*, run: CohortRun, by: User) -> list[Placement]:
    """Create the proposal's placements, pending district approval, all or none."""
    require_perm(by, DEPLOY_COHORT)
    run = CohortRun.objects.select_for_update().select_related("cohort").get(pk=run.pk)
    placements = cohort_deployment(run=run)
    # One by one, not bulk_create: each placement's creation is in its history.
    for placement in placements:
        acting(placement, by).save()
    run.deployed_at, run.deployed_by = timezone.now(), by
    acting(run, by).save(update_fields=["deployed_at", "deployed_by"])
    return placements


@transaction.atomic
def cohort_undeploy(*, run: CohortRun, by: User) -> int:
    """Remove a deployed proposal's placements while none is approved yet."""
    require_perm(by, DEPLOY_COHORT)
    run = CohortRun.objects.select_for_update().get(pk=run.pk)
    if not run.deployed_at:
        raise DomainError(_("This proposal is not deployed."), code="invalid_transition")
    if run.placements.exclude(status=Placement.Status.PENDING).exists():
        raise DomainError(_("Some of these placements have been decided already; they can no "
                            "longer be removed together."), code="invalid_transition")
    placements = list(run.placements.all())
    for placement in placements:  # one by one: each removal is on the record
        acting(placement, by).delete()
    run.deployed_at, run.deployed_by = None, None
    acting(run, by).save(update_fields=["deployed_at", "deployed_by"])
    return len(placements)


@transaction.atomic
def cohort_pair_set(*, cohort: Cohort, entry: CohortResearcher, need: CohortNeed, kind: str,
                    by: User, note: str = "") -> CohortPair:
    """Staff force, exclude or flag a pair as a conflict; re-running the solver uses it."""
    require_perm(by, RUN_COHORT)
    if entry.cohort_id != cohort.pk or need.cohort_id != cohort.pk:
        raise DomainError(_("Both the researcher and the need must be in this cohort."))
    pair = (CohortPair.objects.select_for_update().filter(researcher=entry, need=need).first()
            or CohortPair(researcher=entry, need=need))
    pair.cohort, pair.kind, pair.note, pair.decided_by = cohort, kind, note, by
    pair.full_clean(validate_unique=False)
    acting(pair, by).save()
    return pair


@transaction.atomic
def cohort_pair_remove(*, pair: CohortPair, by: User) -> None:
    """Staff take back a decision on a pair; the solver is free with it again."""
    require_perm(by, RUN_COHORT)
    acting(pair, by).delete()
