"""Who may sit on a need's panel, and who is proposed. Pure: plain data in and out.

An expert is conflicted for a need when they work at the institution of any
of its applicants or of the company's founder, belong to the company, declared
a tie to it, or applied to the need themselves. The proposal fills a panel's
vacancies with the experts most similar to the need, through the cohort
solver (matching/assignment.py): each expert is a "researcher" of capacity 1
(none once their load limit is reached), the panel one seat taking every
vacancy, conflicts as the solver's hard exclusions.
"""

from dataclasses import dataclass, field

from .assignment import Instance, solve


@dataclass(frozen=True)
class ExpertFacts:
    id: int
    user_id: int
    institution_id: int | None = None
    company_ids: frozenset = field(default_factory=frozenset)  # declared ties and memberships
    load_left: int = 1  # further panels the expert may take on


@dataclass(frozen=True)
class NeedFacts:
    company_id: int
    applicant_institution_ids: frozenset = field(default_factory=frozenset)
    applicant_user_ids: frozenset = field(default_factory=frozenset)
    founding_institution_id: int | None = None


def conflicted(expert: ExpertFacts, need: NeedFacts) -> bool:
    if expert.institution_id is not None and (
            expert.institution_id in need.applicant_institution_ids
            or expert.institution_id == need.founding_institution_id):
        return True
    return need.company_id in expert.company_ids or expert.user_id in need.applicant_user_ids


def propose(experts: list[ExpertFacts], need: NeedFacts, similarity: dict[int, float],
            vacancies: int) -> list[int]:
    """The ids of up to `vacancies` experts to invite, most similar first.

    Every expert without a conflict and with load left is eligible, however far
    from the need: a panel short of members is worse than one less specialised.
    An affinity of 1 + similarity keeps every eligible pair worth taking.
    """
    if vacancies <= 0:
        return []
    eligible = [e for e in experts if e.load_left > 0]
    inst = Instance(
        researchers=[(str(e.id), 1) for e in eligible],
        seats=[("panel", vacancies, 0)],
        affinity={(str(e.id), "panel"): 1.0 + float(similarity.get(e.id, 0.0))
                  for e in eligible},
        conflicts={(str(e.id), "panel") for e in eligible if conflicted(e, need)})
    chosen = [int(r) for r, _seat in solve(inst).assignment]
    return sorted(chosen, key=lambda i: (-similarity.get(i, 0.0), i))
