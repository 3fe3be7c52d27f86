"""The engine on plain data: ranking, exclusions, one scale, top lists both ways."""

import numpy as np
import pytest

from matching.engine import Need, Researcher, Work, rank, scoring
from matching.engine.scoring import ResearcherCounts, ResearcherIndex, match_all, need_counts_of

PEROVSKITE = Work(title="钙钛矿太阳能电池界面钝化与封装稳定性研究",
                  abstract="针对钙钛矿薄膜湿热老化效率衰减问题，提出二维钝化层与原子层沉积封装方法。")
TEXTILE = Work(title="功能性纺织面料的抗菌整理工艺",
               abstract="采用壳聚糖对棉织物进行抗菌整理，测试了洗涤耐久性。")
GEARBOX = Work(title="新能源汽车减速器齿轮啸叫噪声控制",
               abstract="建立齿轮传动误差模型，优化齿面修形以降低电驱系统啸叫。")
VEHICLE = Work(title="电动汽车电池热管理系统设计", abstract="研究动力电池液冷板流道设计与温度均匀性。")


def researcher(id, *works, **kw):
    return Researcher(id=id, works=works, **kw)


NEED = Need(id="n1", title="钙钛矿组件湿热稳定性提升",
            description="组件经湿热老化后效率衰减明显，需要封装与钝化方案",
            required_expertise=("钙钛矿", "封装"), company_id="acme")


def build(researchers, needs):
    index = ResearcherIndex(researchers, ResearcherCounts.of(researchers))
    return index, need_counts_of(needs)


def test_the_researcher_whose_work_fits_ranks_first():
    ranking = rank([researcher("textile", TEXTILE), researcher("pv", PEROVSKITE),
                    researcher("gear", GEARBOX)], [NEED])
    assert [r for r, _ in ranking["n1"]][0] == "pv"


def test_one_strongly_relevant_work_counts_among_many_unrelated_ones():
    many = researcher("mixed", PEROVSKITE, TEXTILE, GEARBOX, TEXTILE, GEARBOX, TEXTILE)
    ranking = dict(rank([many, researcher("cars", VEHICLE, GEARBOX),
                         researcher("cloth", TEXTILE)], [NEED])["n1"])
    assert ranking["mixed"] > ranking["cars"] > 0
    assert ranking["mixed"] > ranking["cloth"]


def test_members_of_the_company_and_fully_booked_researchers_are_never_matched():
    researchers = [researcher("member", PEROVSKITE, company_ids=frozenset({"acme"})),
                   researcher("booked", PEROVSKITE, capacity_left=0),
                   researcher("free", TEXTILE)]
    assert [r for r, _ in rank(researchers, [NEED])["n1"]] == ["free"]


def test_a_pair_scores_the_same_whatever_other_needs_are_scored_with_it():
    other = Need(id="n2", title="棉织物抗菌整理", required_expertise=("抗菌",))
    alone = dict(rank([researcher("pv", PEROVSKITE), researcher("t", TEXTILE)], [NEED])["n1"])
    together = dict(rank([researcher("pv", PEROVSKITE), researcher("t", TEXTILE)],
                         [other, NEED])["n1"])
    assert alone == pytest.approx(together)


def test_preferences_and_track_record_add_small_bonuses():
    base = researcher("a", PEROVSKITE)
    preferred = researcher("b", PEROVSKITE, disciplines=("材料科学与工程",), institution=7,
                           track_record=3)
    need = Need(id="n", title=NEED.title, description=NEED.description,
                required_expertise=NEED.required_expertise,
                preferred_disciplines=frozenset({"材料科学与工程"}),
                preferred_institutions=frozenset({7}))
    scores = dict(rank([base, preferred], [need])["n"])
    bonus = scores["b"] - scores["a"]
    assert scoring.FIELD + scoring.INSTITUTION < bonus <= (
        scoring.FIELD + scoring.INSTITUTION + scoring.TRACK)


def brute_force(index, needs, counts):
    s = index.scores(needs, index.need_vectors(counts))
    return s.total


@pytest.mark.parametrize("chunk", [1, 2, 5])
def test_match_all_gives_the_exact_top_lists_both_ways(chunk):
    works = [PEROVSKITE, TEXTILE, GEARBOX, VEHICLE]
    researchers = [researcher(i, works[i % 4], works[(i * 3) % 4], capacity_left=1)
                   for i in range(9)]
    needs = [Need(id=j, title=w.title, description=w.abstract) for j, w in
             enumerate(works + works[:1])]
    index, counts = build(researchers, needs)
    full = brute_force(index, needs, counts)
    batches = list(match_all(index, needs, counts, per_need=3, per_researcher=2, chunk=chunk))
    need_side = [b for _d, _t, b in batches[:-1]]
    got = {}
    for b in need_side:
        for r, n, score in b:
            got.setdefault(n, []).append((r, score))
    for j in range(len(needs)):
        expected = [i for i in sorted(range(9), key=lambda i: -full[i, j])[:3]
                    if np.isfinite(full[i, j])]  # below the cut-off: never listed
        assert [full[i, j] for i, _ in got.get(j, [])] == pytest.approx(
            [full[i, j] for i in expected])
    researcher_side = batches[-1][2]
    for i in range(9):
        mine = sorted(score for r, _n, score in researcher_side if r == i)
        best = np.sort(full[i])[-2:]
        assert mine == pytest.approx(sorted(best[np.isfinite(best)]))
    assert batches[-1][:2] == (len(needs), len(needs))


def test_a_pair_below_the_relevance_cut_off_is_never_recommended():
    index, counts = build([researcher("pv", PEROVSKITE), researcher("t", TEXTILE)], [NEED])
    s = index.scores([NEED], index.need_vectors(counts))
    assert s.text[1, 0] < scoring.RELEVANCE_CUTOFF <= s.text[0, 0]
    found = [r for _d, _t, b in match_all(index, [NEED], counts, per_need=5, per_researcher=5)
             for r, _n, _s in b]
    assert set(found) == {0}
    # The cohort solver reads every pair.
    assert np.isfinite(index.scores([NEED], index.need_vectors(counts), cutoff=False).total).all()


def test_shared_terms_explain_the_match():
    terms = scoring.shared_terms(researcher("pv", PEROVSKITE), NEED)
    assert terms[0] == "钙钛矿"
    assert {"封装", "钝化"} <= set(terms)
    assert scoring.shared_terms(researcher("t", TEXTILE), NEED) == []


def test_shared_terms_name_domain_terms_not_words_of_reporting():
    work = Work(title="锂离子电池正极材料的特性比较",
                abstract="实验结果表明，同时介绍了包覆层的作用，给出并得出了循环寿命的结论。")
    need = Need(id="n", title="锂离子电池正极材料循环寿命",
                description="介绍实验方案，比较特性，同时给出并得出结果表明的数据。")
    terms = scoring.shared_terms(researcher("r", work), need)
    assert "正极" in terms or "正极材料" in terms
    assert not set(terms) & {"特性", "比较", "同时", "得出", "介绍", "给出", "实验", "结果表明"}


def test_shared_terms_leave_out_terms_too_common_in_the_corpus():
    from matching.engine import features, semantic

    # 钝化 in half the corpus's documents: no keyword anyone entered, so no reason.
    space = semantic.Space(features.term_ids(["钝化"]), np.zeros((2, 1), np.float32),
                           np.array([0.5], np.float32))
    assert "钝化" in scoring.shared_terms(researcher("pv", PEROVSKITE), NEED)
    assert "钝化" not in scoring.shared_terms(researcher("pv", PEROVSKITE), NEED, space=space)


def test_a_document_without_any_term_encodes_to_nothing_in_the_semantic_space():
    import scipy.sparse as sp

    from matching.engine import features, semantic

    space = semantic.Space(np.array([1, 5, 9]), np.ones((2, 3), np.float32), np.zeros(3, np.float32))
    rows = sp.csr_matrix((np.array([1.0, 2.0]), np.array([5, 7]), np.array([0, 2, 2])),
                         shape=(2, features.N_FEATURES))
    vectors = space.encode(rows)
    assert vectors[0] == pytest.approx([2 ** -0.5] * 2) and not vectors[1].any()
