"""Cohort assignment as a min-cost flow. Pure: plain data in, an assignment out.

Researchers (each may serve `capacity` companies) are assigned to seats (a
company need taking up to `capacity` researchers, ideally at least `min`) to
maximise the total affinity, never breaking a hard constraint:

- capacities on both sides;
- conflicts of interest and pairs staff excluded (given as `conflicts`);
- a minimum score: a pair below it, or absent from `affinity`, is not eligible;
- optional quotas: at most so many researchers from one group (an institution)
  and at most so many filled places in one group of seats (a cluster);
- forced pairs are kept as they are.

The network: source → [institution quota] → researcher → seat → [cluster quota]
→ sink, one arc per eligible pair with cost −affinity, and a zero-cost bypass
from source to sink so that the flow takes a pair only when it adds affinity.
OR-Tools' SimpleMinCostFlow solves it exactly; the same input always gives the
same assignment.

With `fairness`, every seat first gets its `min` researchers from pairs of at
least that quality wherever the graph allows (FairFlow-style): the first `min`
units into a seat through such pairs earn a bonus larger than any total
affinity, so the solver maximises the number of seats so served first, and the
total affinity second.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

SCALE = 1_000_000  # affinities become integer costs in millionths


class InvalidInstance(ValueError):
    pass


@dataclass
class Instance:
    researchers: list[tuple[str, int]]  # (id, capacity)
    seats: list[tuple[str, int, int]]  # (id, capacity, min)
    affinity: dict[tuple[str, str], float]
    conflicts: set[tuple[str, str]] = field(default_factory=set)
    forced: list[tuple[str, str]] = field(default_factory=list)
    min_score: float = 0.0
    researcher_group: dict[str, str] = field(default_factory=dict)
    group_quota: dict[str, int] = field(default_factory=dict)
    seat_group: dict[str, str] = field(default_factory=dict)
    seat_group_quota: dict[str, int] = field(default_factory=dict)
    fairness: float | None = None  # the minimum quality of a seat's guaranteed pairs

    @classmethod
    def from_json(cls, data: dict) -> "Instance":
        try:
            return cls(
                researchers=[(str(r["id"]), int(r.get("capacity", 1))) for r in data["researchers"]],
                seats=[(str(s["id"]), int(s.get("capacity", 1)), int(s.get("min", 0)))
                       for s in data["seats"]],
                affinity={(str(a["researcher"]), str(a["seat"])): float(a["score"])
                          for a in data.get("affinity", [])},
                conflicts={(str(c["researcher"]), str(c["seat"])) for c in data.get("conflicts", [])},
                forced=[(str(f["researcher"]), str(f["seat"])) for f in data.get("forced", [])],
                min_score=float(data.get("min_score", 0.0)),
                researcher_group={str(k): str(v) for k, v in data.get("researcher_groups", {}).items()},
                group_quota={str(k): int(v) for k, v in data.get("group_quotas", {}).items()},
                seat_group={str(k): str(v) for k, v in data.get("seat_groups", {}).items()},
                seat_group_quota={str(k): int(v)
                                  for k, v in data.get("seat_group_quotas", {}).items()},
                fairness=(float(data["fairness"]) if data.get("fairness") is not None else None))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInstance(f"malformed instance: {exc!r}") from None


@dataclass
class Result:
    assignment: list[tuple[str, str]]
    total_affinity: float
    unassigned_researchers: list[str]
    unfilled: list[dict]  # {"seat", "missing", "reason"}
    reasons: dict[str, str]  # unassigned researcher → reason

    def to_json(self) -> dict:
        return {"assignment": [{"researcher": r, "seat": s} for r, s in self.assignment],
                "total_affinity": round(self.total_affinity, 6),
                "unassigned_researchers": self.unassigned_researchers,
                "unassigned_reasons": self.reasons,
                "unfilled": self.unfilled}


def eligible_pairs(inst: Instance) -> dict[tuple[str, str], float]:
    return {pair: score for pair, score in inst.affinity.items()
            if score >= inst.min_score and pair not in inst.conflicts}


def prune(inst: Instance, keep: int) -> Instance:
    """Keep each researcher's `keep` best seats and each seat's `keep` best researchers.

    Far fewer arcs; an optimal assignment rarely needs a pair that is in neither
    side's short list (the benchmark prints what it gives up).
    """
    pairs = eligible_pairs(inst)
    by_r, by_s = defaultdict(list), defaultdict(list)
    for (r, s), score in pairs.items():
        by_r[r].append((-score, s))
        by_s[s].append((-score, r))
    kept = set()
    for r, options in by_r.items():
        kept.update((r, s) for _, s in sorted(options)[:keep])
    for s, options in by_s.items():
        kept.update((r, s) for _, r in sorted(options)[:keep])
    kept.update(inst.forced)
    return Instance(**{**inst.__dict__, "affinity": {p: inst.affinity[p] for p in kept
                                                     if p in inst.affinity}})


def solve(inst: Instance) -> Result:
    r_ids = [r for r, _ in inst.researchers]
    s_ids = [s for s, _c, _m in inst.seats]
    if len(set(r_ids)) != len(r_ids) or len(set(s_ids)) != len(s_ids):
        raise InvalidInstance("researcher and seat ids must be unique")
    r_cap = {r: c for r, c in inst.researchers}
    s_cap = {s: c for s, c, _m in inst.seats}
    s_min = {s: m for s, _c, m in inst.seats}
    if any(c < 0 for c in [*r_cap.values(), *s_cap.values()]):
        raise InvalidInstance("capacities cannot be negative")
    # Forced pairs are placed first and leave less room to the solver.
    forced = list(dict.fromkeys(inst.forced))
    r_left, s_left = dict(r_cap), dict(s_cap)
    group_left, seat_group_left = dict(inst.group_quota), dict(inst.seat_group_quota)
    for r, s in forced:
        if r not in r_cap or s not in s_cap:
            raise InvalidInstance(f"forced pair ({r}, {s}) names an unknown researcher or seat")
        if (r, s) in inst.conflicts:
            raise InvalidInstance(f"forced pair ({r}, {s}) is a conflict of interest")
        r_left[r] -= 1
        s_left[s] -= 1
        for quota, key in ((group_left, inst.researcher_group.get(r)),
                           (seat_group_left, inst.seat_group.get(s))):
            if key in quota:
                quota[key] -= 1
    broken = [x for x, left in [*r_left.items(), *s_left.items(), *group_left.items(),
                                *seat_group_left.items()] if left < 0]
    if broken:
        raise InvalidInstance(f"forced pairs exceed the capacity or quota of {broken[0]}")
    forced_set = set(forced)
    pairs = {p: sc for p, sc in eligible_pairs(inst).items()
             if p not in forced_set and p[0] in r_cap and p[1] in s_cap}
    chosen = _flow(inst, pairs, r_left, s_left, group_left, seat_group_left, s_min, forced)
    assignment = sorted(forced + chosen)
    total = sum(inst.affinity.get(p, 0.0) for p in assignment)
    return _report(inst, assignment, total, r_cap, s_cap)


def _flow(inst, pairs, r_left, s_left, group_left, seat_group_left, s_min, forced):
    """The dict-shaped instance as arrays, solved by solve_arrays."""
    if not pairs:
        return []
    r_index = {r: k for k, (r, _c) in enumerate(inst.researchers)}
    s_index = {s: k for k, (s, _c, _m) in enumerate(inst.seats)}
    order = sorted(pairs)  # a fixed arc order: the same input gives the same answer
    groups = sorted(group_left)
    seat_groups = sorted(seat_group_left)
    already = np.zeros(len(s_index), dtype=np.int64)  # forced pairs count towards a minimum
    for _r, s in forced:
        already[s_index[s]] += 1
    problem = Arrays(
        r_cap=np.array([max(r_left[r], 0) for r in r_index], np.int64),
        s_cap=np.array([max(s_left[s], 0) for s in s_index], np.int64),
        s_min=np.maximum(np.array([s_min[s] for s in s_index], np.int64) - already, 0),
        pr=np.array([r_index[r] for r, _s in order], np.int64),
        ps=np.array([s_index[s] for _r, s in order], np.int64),
        score=np.array([pairs[p] for p in order], np.float64),
        r_group=np.array([groups.index(inst.researcher_group[r])
                          if inst.researcher_group.get(r) in group_left else -1
                          for r in r_index], np.int64),
        group_quota=np.array([max(group_left[g], 0) for g in groups], np.int64),
        s_group=np.array([seat_groups.index(inst.seat_group[s])
                          if inst.seat_group.get(s) in seat_group_left else -1
                          for s in s_index], np.int64),
        seat_group_quota=np.array([max(seat_group_left[g], 0) for g in seat_groups], np.int64),
        fairness=inst.fairness)
    return [order[k] for k in np.nonzero(solve_arrays(problem))[0].tolist()]


@dataclass
class Arrays:
    """An instance as integer arrays: researchers 0..R-1, seats 0..S-1, pair k is
    (pr[k], ps[k]) with affinity score[k]. Group −1 means no quota applies."""

    r_cap: np.ndarray
    s_cap: np.ndarray
    s_min: np.ndarray
    pr: np.ndarray
    ps: np.ndarray
    score: np.ndarray
    r_group: np.ndarray | None = None
    group_quota: np.ndarray | None = None
    s_group: np.ndarray | None = None
    seat_group_quota: np.ndarray | None = None
    fairness: float | None = None


def solve_arrays(p: Arrays) -> np.ndarray:
    """Which pairs the optimal assignment uses (a boolean mask over the pairs).

    The network is built with numpy, arc lists and all, so that a 1,000 × 300
    cohort with every pair eligible solves in a fraction of a second.
    """
    n_r, n_s, n_p = len(p.r_cap), len(p.s_cap), len(p.pr)
    r_group = p.r_group if p.r_group is not None else np.full(n_r, -1)
    s_group = p.s_group if p.s_group is not None else np.full(n_s, -1)
    quota = p.group_quota if p.group_quota is not None else np.zeros(0, np.int64)
    seat_quota = p.seat_group_quota if p.seat_group_quota is not None else np.zeros(0, np.int64)
    source, sink = 0, 1
    r_node = 2 + np.arange(n_r)
    s_entry = 2 + n_r + np.arange(n_s)
    s_exit = 2 + n_r + n_s + np.arange(n_s)
    g_node = 2 + n_r + 2 * n_s + np.arange(len(quota))
    sg_node = g_node[-1] + 1 + np.arange(len(seat_quota)) if len(quota) else \
        2 + n_r + 2 * n_s + np.arange(len(seat_quota))
    next_node = 2 + n_r + 2 * n_s + len(quota) + len(seat_quota)
    cost = -np.round(p.score * SCALE).astype(np.int64)
    supply = int(p.r_cap.sum())
    fair = p.fairness is not None
    quality = (p.score >= p.fairness) if fair else np.zeros(n_p, dtype=bool)
    direct = np.nonzero(~quality)[0]
    guarded = np.nonzero(quality)[0]
    pieces = [
        # assigning nobody is allowed and costs nothing
        ([source], [sink], [supply], [0]),
        (np.full(len(quota), source), g_node, quota, np.zeros(len(quota))),
        (np.where(r_group >= 0, g_node[np.maximum(r_group, 0)] if len(quota) else source,
                  source), r_node, p.r_cap, np.zeros(n_r)),
        (r_node[p.pr[direct]], s_entry[p.ps[direct]], np.ones(len(direct)), cost[direct]),
        (s_entry, s_exit, p.s_cap, np.zeros(n_s)),
        (s_exit, np.where(s_group >= 0, sg_node[np.maximum(s_group, 0)] if len(seat_quota)
                          else sink, sink), p.s_cap, np.zeros(n_s)),
        (sg_node, np.full(len(seat_quota), sink), seat_quota, np.zeros(len(seat_quota))),
    ]
    direct_piece = 3
    if fair:
        # A quality pair reaches its seat through its own pair node, either plainly
        # or through the seat's guarantee node, whose first s_min units earn a bonus
        # larger than any total affinity.
        bonus = SCALE * (int(p.score.sum()) + 1) + 1
        pair_node = next_node + np.arange(len(guarded))
        guarantee = next_node + len(guarded) + np.arange(n_s)
        ones = np.ones(len(guarded))
        pieces += [
            (r_node[p.pr[guarded]], pair_node, ones, cost[guarded]),
            (pair_node, s_entry[p.ps[guarded]], ones, np.zeros(len(guarded))),
            (pair_node, guarantee[p.ps[guarded]], ones, np.zeros(len(guarded))),
            (guarantee, s_exit, p.s_min, np.full(n_s, -bonus)),
        ]
    starts = np.cumsum([0] + [len(t) for t, *_ in pieces])  # first arc of each piece
    tails = np.concatenate([np.asarray(t, np.int32) for t, *_ in pieces])
    heads = np.concatenate([np.asarray(h, np.int32) for _t, h, *_ in pieces])
    caps = np.concatenate([np.asarray(c, np.int64) for *_x, c, _k in pieces])
    costs = np.concatenate([np.asarray(k, np.int64) for *_x, k in pieces])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise InvalidInstance(f"the flow solver failed (status {status})")
    used = np.zeros(n_p, dtype=bool)
    start = starts[direct_piece]
    used[direct] = flow.flows(np.arange(start, start + len(direct))) > 0
    if fair and len(guarded):
        start = starts[direct_piece + 4]  # the researcher → pair-node arcs
        used[guarded] = flow.flows(np.arange(start, start + len(guarded))) > 0
    return used


def prune_dense(scores: np.ndarray, keep: int, *, min_score: float = 0.0):
    """Candidate pairs of a dense researchers × seats score matrix: each researcher's
    `keep` best seats and each seat's `keep` best researchers (argpartition, in C).
    Returns (pr, ps, score) arrays."""
    n_r, n_s = scores.shape
    mask = np.zeros(scores.shape, dtype=bool)
    k_r, k_s = min(keep, n_s), min(keep, n_r)
    rows = np.argpartition(-scores, k_r - 1, axis=1)[:, :k_r]
    mask[np.arange(n_r)[:, None], rows] = True
    cols = np.argpartition(-scores, k_s - 1, axis=0)[:k_s, :]
    mask[cols, np.arange(n_s)[None, :]] = True
    mask &= scores >= min_score
    pr, ps = np.nonzero(mask)
    return pr, ps, scores[pr, ps]


def _report(inst, assignment, total, r_cap, s_cap) -> Result:
    taken = defaultdict(int)
    filled = defaultdict(int)
    for r, s in assignment:
        taken[r] += 1
        filled[s] += 1
    scored = defaultdict(set)
    blocked = defaultdict(set)
    for (r, s), score in inst.affinity.items():
        if score >= inst.min_score:
            (blocked if (r, s) in inst.conflicts else scored)[r].add(s)
            (blocked if (r, s) in inst.conflicts else scored)[s].add(r)

    def reason(key):
        if scored.get(key):
            return "capacity"  # eligible partners exist but were better used elsewhere
        return "conflict" if blocked.get(key) else "no_eligible_candidate"

    unassigned = [r for r, _c in inst.researchers if taken[r] == 0]
    unfilled = [{"seat": s, "missing": s_cap[s] - filled[s], "reason": reason(s)}
                for s, _c, _m in inst.seats if filled[s] < s_cap[s]]
    return Result(assignment, total, unassigned, unfilled, {r: reason(r) for r in unassigned})


def greedy(inst: Instance) -> Result:
    """The baseline: best pairs first while capacities allow (no quotas, no fairness)."""
    r_left = {r: c for r, c in inst.researchers}
    s_left = {s: c for s, c, _m in inst.seats}
    assignment = list(dict.fromkeys(inst.forced))
    for r, s in assignment:
        r_left[r] -= 1
        s_left[s] -= 1
    for (r, s), _score in sorted(eligible_pairs(inst).items(), key=lambda x: (-x[1], x[0])):
        if r_left.get(r, 0) > 0 and s_left.get(s, 0) > 0 and (r, s) not in assignment:
            assignment.append((r, s))
            r_left[r] -= 1
            s_left[s] -= 1
    assignment.sort()
    total = sum(inst.affinity.get(p, 0.0) for p in assignment)
    return _report(inst, assignment, total, {r: c for r, c in inst.researchers},
                   {s: c for s, c, _m in inst.seats})


def greedy_arrays(p: Arrays) -> np.ndarray:
    """The baseline on arrays: best pairs first while both capacities allow."""
    r_left, s_left = p.r_cap.copy(), p.s_cap.copy()
    used = np.zeros(len(p.pr), dtype=bool)
    for k in np.argsort(-p.score, kind="stable").tolist():
        r, s = p.pr[k], p.ps[k]
        if r_left[r] > 0 and s_left[s] > 0:
            used[k] = True
            r_left[r] -= 1
            s_left[s] -= 1
    return used
