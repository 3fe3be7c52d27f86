"""Who is proposed for a panel: never a conflicted or overloaded expert (property-style
over random pools), the most similar first."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.panelling import ExpertFacts, NeedFacts, conflicted, propose

INSTITUTIONS = st.one_of(st.none(), st.integers(1, 4))


@st.composite
def pools(draw):
    n = draw(st.integers(0, 12))
    experts = [ExpertFacts(id=i, user_id=100 + i, institution_id=draw(INSTITUTIONS),
                           company_ids=frozenset(draw(st.sets(st.integers(1, 3), max_size=2))),
                           load_left=draw(st.integers(-1, 2)))
               for i in range(n)]
    need = NeedFacts(company_id=draw(st.integers(1, 3)),
                     applicant_institution_ids=frozenset(draw(st.sets(st.integers(1, 4),
                                                                      max_size=2))),
                     applicant_user_ids=frozenset(draw(st.sets(st.integers(100, 112),
                                                               max_size=2))),
                     founding_institution_id=draw(INSTITUTIONS))
    similarity = {e.id: draw(st.floats(0, 1)) for e in experts}
    return experts, need, similarity, draw(st.integers(0, 6))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools())
def test_a_conflicted_or_overloaded_expert_is_never_proposed(pool):
    experts, need, similarity, vacancies = pool
    chosen = propose(experts, need, similarity, vacancies)
    by_id = {e.id: e for e in experts}
    assert len(chosen) == len(set(chosen)) <= vacancies
    for expert_id in chosen:
        assert not conflicted(by_id[expert_id], need)
        assert by_id[expert_id].load_left > 0
    # The places are filled as far as the free, unconflicted experts allow.
    free = [e for e in experts if e.load_left > 0 and not conflicted(e, need)]
    assert len(chosen) == min(vacancies, len(free))


def test_the_most_similar_free_experts_are_proposed():
    experts = [ExpertFacts(id=i, user_id=i) for i in range(1, 6)]
    similarity = {1: 0.1, 2: 0.9, 3: 0.5, 4: 0.7, 5: 0.3}
    assert propose(experts, NeedFacts(company_id=1), similarity, 3) == [2, 4, 3]


def test_each_kind_of_conflict_counts():
    need = NeedFacts(company_id=7, applicant_institution_ids=frozenset({1}),
                     applicant_user_ids=frozenset({50}), founding_institution_id=2)
    assert conflicted(ExpertFacts(id=1, user_id=1, institution_id=1), need)
    assert conflicted(ExpertFacts(id=2, user_id=2, institution_id=2), need)
    assert conflicted(ExpertFacts(id=3, user_id=3, company_ids=frozenset({7})), need)
    assert conflicted(ExpertFacts(id=4, user_id=50), need)
    assert not conflicted(ExpertFacts(id=5, user_id=5, institution_id=3,
                                      company_ids=frozenset({8})), need)
