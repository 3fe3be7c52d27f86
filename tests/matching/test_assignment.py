"""The cohort solver: optimal, never breaks a hard constraint, deterministic."""

import itertools
import json
import random
from collections import Counter

import numpy as np
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.assignment import Instance, InvalidInstance, greedy, prune, solve


def random_instance(rng, n_r, n_s, density=0.7, max_cap=2, conflicts=0.1, quotas=False):
    researchers = [(f"r{i}", rng.randint(1, max_cap)) for i in range(n_r)]
    seats = [(f"s{j}", rng.randint(1, max_cap), rng.randint(0, 1)) for j in range(n_s)]
    affinity = {(r, s): round(rng.random(), 3) for r, _ in researchers for s, *_ in seats
                if rng.random() < density}
    inst = Instance(researchers=researchers, seats=seats, affinity=affinity,
                    conflicts={p for p in affinity if rng.random() < conflicts},
                    min_score=0.1)
    if quotas:
        inst.researcher_group = {r: f"u{i % 2}" for i, (r, _) in enumerate(researchers)}
        inst.group_quota = {"u0": 1}
        inst.seat_group = {s: f"c{j % 2}" for j, (s, *_) in enumerate(seats)}
        inst.seat_group_quota = {"c1": 1}
    return inst


def feasible(inst, chosen):
    r_cap = dict(inst.researchers)
    s_cap = {s: c for s, c, _ in inst.seats}
    taken, filled = Counter(r for r, _ in chosen), Counter(s for _, s in chosen)
    groups = Counter(inst.researcher_group.get(r) for r, _ in chosen)
    seat_groups = Counter(inst.seat_group.get(s) for _, s in chosen)
    return (all(taken[r] <= r_cap[r] for r in taken) and all(filled[s] <= s_cap[s] for s in filled)
            and all(groups[g] <= q for g, q in inst.group_quota.items())
            and all(seat_groups[g] <= q for g, q in inst.seat_group_quota.items())
            and set(inst.forced) <= set(chosen))


def brute_force(inst):
    pairs = [p for p, sc in inst.affinity.items()
             if sc >= inst.min_score and p not in inst.conflicts]
    best = 0.0
    for n in range(len(pairs) + 1):
        for chosen in itertools.combinations(pairs, n):
            if feasible(inst, chosen):
                best = max(best, sum(inst.affinity[p] for p in chosen))
    return best


@pytest.mark.parametrize("seed", range(25))
def test_it_is_optimal_on_small_instances(seed):
    rng = random.Random(seed)
    inst = random_instance(rng, 4, 3, quotas=seed % 2 == 0)
    result = solve(inst)
    assert feasible(inst, result.assignment)
    assert result.total_affinity == pytest.approx(brute_force(inst), abs=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_it_equals_the_hungarian_algorithm_on_one_to_one_instances(seed):
    rng = np.random.default_rng(seed)
    scores = rng.random((12, 9)).round(4)
    inst = Instance(researchers=[(f"r{i}", 1) for i in range(12)],
                    seats=[(f"s{j}", 1, 0) for j in range(9)],
                    affinity={(f"r{i}", f"s{j}"): float(scores[i, j])
                              for i in range(12) for j in range(9)})
    rows, cols = linear_sum_assignment(scores, maximize=True)
    assert solve(inst).total_affinity == pytest.approx(scores[rows, cols].sum(), abs=1e-6)


def test_it_beats_or_equals_greedy_and_is_deterministic():
    inst = random_instance(random.Random(3), 60, 20, max_cap=3)
    first, again = solve(inst), solve(inst)
    assert first.assignment == again.assignment
    assert first.total_affinity >= greedy(inst).total_affinity


def test_fairness_first_serves_every_seat_that_can_be_served():
    # The company behind s1 takes two; s2 takes one. Both researchers fit s1 best.
    inst = Instance(researchers=[("r1", 1), ("r2", 1)], seats=[("s1", 2, 1), ("s2", 1, 1)],
                    affinity={("r1", "s1"): 0.9, ("r1", "s2"): 0.6, ("r2", "s1"): 0.85})
    plain = solve(inst)
    assert plain.assignment == [("r1", "s1"), ("r2", "s1")]  # 1.75, s2 left empty
    inst.fairness = 0.5
    fair = solve(inst)
    assert fair.assignment == [("r1", "s2"), ("r2", "s1")]  # every company served first
    assert fair.total_affinity == pytest.approx(1.45)
    inst.fairness = 0.7  # r1 is not good enough for s2 at this quality: plain optimum again
    assert solve(inst).assignment == plain.assignment


def test_forced_pairs_are_kept_and_a_conflicting_force_is_refused():
    inst = Instance(researchers=[("r1", 1), ("r2", 1)], seats=[("s1", 1, 0), ("s2", 1, 0)],
                    affinity={("r1", "s1"): 0.9, ("r2", "s2"): 0.9, ("r2", "s1"): 0.2},
                    forced=[("r2", "s1")])
    assert solve(inst).assignment == [("r2", "s1")]
    inst.conflicts = {("r2", "s1")}
    with pytest.raises(InvalidInstance, match="conflict"):
        solve(inst)


def test_unassigned_and_unfilled_come_with_reasons():
    inst = Instance(researchers=[("alone", 1), ("conflicted", 1), ("loser", 1), ("winner", 1)],
                    seats=[("s1", 1, 1), ("empty", 2, 1)],
                    affinity={("conflicted", "s1"): 0.9, ("loser", "s1"): 0.5,
                              ("winner", "s1"): 0.8},
                    conflicts={("conflicted", "s1")})
    result = solve(inst)
    assert result.assignment == [("winner", "s1")]
    assert result.reasons == {"alone": "no_eligible_candidate", "conflicted": "conflict",
                              "loser": "capacity"}
    assert result.unfilled == [{"seat": "empty", "missing": 2, "reason": "no_eligible_candidate"}]


instances = st.builds(
    lambda seed, n_r, n_s, quotas: random_instance(random.Random(seed), n_r, n_s, quotas=quotas),
    st.integers(0, 10**6), st.integers(1, 12), st.integers(1, 8), st.booleans())


@settings(max_examples=60, deadline=None)
@given(instances, st.data())
def test_no_hard_constraint_is_ever_violated(inst, data):
    eligible = [p for p, sc in inst.affinity.items() if p not in inst.conflicts]
    if eligible:
        force = data.draw(st.sampled_from(eligible))
        r_cap, s_cap = dict(inst.researchers), {s: c for s, c, _ in inst.seats}
        if r_cap[force[0]] and s_cap[force[1]] and not inst.group_quota and not inst.seat_group_quota:
            inst.forced = [force]
    if data.draw(st.booleans()):
        inst.fairness = 0.5
    result = solve(inst)
    assert feasible(inst, result.assignment)
    assert not set(result.assignment) & inst.conflicts
    assert all(inst.affinity.get(p, 0) >= inst.min_score or p in inst.forced
               for p in result.assignment)
    assert set(inst.forced) <= set(result.assignment)
    if not (inst.fairness or inst.group_quota or inst.seat_group_quota):
        # The greedy baseline knows neither quotas nor fairness: compare without them.
        assert result.total_affinity >= greedy(inst).total_affinity - 1e-9


def test_pruning_keeps_each_sides_best_candidates():
    inst = random_instance(random.Random(5), 30, 10, density=1.0, conflicts=0)
    pruned = prune(inst, 2)
    assert len(pruned.affinity) <= 30 * 2 + 10 * 2
    assert solve(pruned).total_affinity <= solve(inst).total_affinity + 1e-9


def test_the_command_solves_a_json_instance(tmp_path):
    instance = {"researchers": [{"id": "r1", "capacity": 1}, {"id": "r2", "capacity": 1}],
                "seats": [{"id": "s1", "capacity": 1, "min": 1}],
                "affinity": [{"researcher": "r1", "seat": "s1", "score": 0.73},
                             {"researcher": "r2", "seat": "s1", "score": 0.9}],
                "conflicts": [{"researcher": "r2", "seat": "s1"}], "forced": [],
                "min_score": 0.0}
    (tmp_path / "in.json").write_text(json.dumps(instance))
    call_command("cohort_solve", input=str(tmp_path / "in.json"), output=str(tmp_path / "out.json"))
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["assignment"] == [{"researcher": "r1", "seat": "s1"}]
    assert out["total_affinity"] == 0.73
    assert out["unassigned_researchers"] == ["r2"]
    assert out["unfilled"] == []
