"""How the engine's text score is chosen: k-fold cross-validation on development sets.

Two development tasks, built the same way as bench/csl_eval.py (papers dealt into
researchers of 3–6 papers by their field, one paper in five held out as a need,
a researcher relevant when they share the need's field):
- Chinese: the CSL development set (shared/data/csl/papers-dev.jsonl); a need is a
  paper's title and keywords;
- English: any CSV of arXiv papers with `title`, `abstract` and `tags` (the
  first tag is the field), given with --english; a need is a paper's title and
  abstract (a reviewer–paper task). We used a public scrape of 3,397 arXiv
  mathematics abstracts in 30 subject classes (github.com/clopezvice/ArXiv-Scraper,
  dataset/arxiv_data.csv, CC BY-NC-ND: read here, never shipped).

Each setting of the few parameters below (semantic dimensions, fusion weight,
softmax temperature; 18 settings) is scored per need from the same per-work
similarity matrices. Five folds over the needs of three dealings (seeds): the
setting that is best on four folds (the mean over both languages of the gain over
the previous engine) is scored on the fifth. Printed: the previous engine, a plain
TF-IDF reference (one document per researcher, words and character bigrams,
cosine), the cross-validated new score and the settings the folds chose, and the
relevance cut-off chosen the same way.

    .venv/bin/python bench/engine_study.py [--english arxiv_data.csv]
"""

import argparse
import ast
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.engine import evaluate, semantic, text  # noqa: E402
from matching.engine import features as feat  # noqa: E402
from matching.engine import scoring as sc  # noqa: E402
from matching.engine.documents import Need, Researcher, Work, need_text, profile_text, work_text  # noqa: E402,E501

CSL = ROOT.parent.parent / "shared" / "data" / "csl" / "papers-dev.jsonl"
if not CSL.exists():
    CSL = ROOT / "matching" / "demo_data" / "csl-papers.jsonl"
SEEDS = (13, 14, 15)
GRID = [(dims, weight, temp) for dims in (50, 100) for weight in (0.1, 0.2, 0.3)
        for temp in (0.2, 0.5, 1.0)]


def csl_papers(path=CSL):
    return [json.loads(line) for line in Path(path).open(encoding="utf-8")]


def arxiv_papers(path):
    with Path(path).open(encoding="utf-8") as f:
        return [{"id": r["index"], "title": r["title"], "abstract": r["abstract"], "keywords": [],
                 "discipline": ast.literal_eval(r["tags"])[0]} for r in csv.DictReader(f)]


def deal(papers, seed, need_of):
    """Researchers, needs and labels, as bench/csl_eval.py builds them."""
    rng = random.Random(seed)
    papers = list(papers)
    rng.shuffle(papers)
    held = papers[::5]
    held_ids = {p["id"] for p in held}
    by_field = defaultdict(list)
    for p in papers:
        if p["id"] not in held_ids:
            by_field[p["discipline"]].append(p)
    researchers, fields = [], []
    for field, group in sorted(by_field.items()):
        i = 0
        while i < len(group):
            size = rng.randint(3, 6)
            works = group[i:i + size]
            i += size
            researchers.append(Researcher(
                id=len(researchers),
                keywords=tuple(sorted({k for w in works for k in w["keywords"]})[:6]),
                works=tuple(Work(title=w["title"], abstract=w["abstract"]) for w in works)))
            fields.append(field)
    needs = [need_of(p) for p in held]
    labels = {p["id"]: {r.id: 1 for r, f in zip(researchers, fields, strict=True)
                        if f == p["discipline"]} for p in held}
    return researchers, needs, labels


def chinese_need(p):
    return Need(id=p["id"], title=p["title"], required_expertise=tuple(p["keywords"]))


def english_need(p):
    return Need(id=p["id"], title=p["title"], description=p["abstract"])


class Task:
    """One dealing, with every similarity the settings need computed once."""

    def __init__(self, researchers, needs, labels):
        self.needs, self.labels, self.n = needs, labels, len(researchers)
        for r in researchers:
            text.add_user_words(r.keywords)
        for n in needs:
            text.add_user_words(n.required_expertise)
        works = [work_text(w) for r in researchers for w in r.works]
        self.owners = np.array([i for i, r in enumerate(researchers) for _w in r.works])
        work_counts = feat.count_rows(works)
        profile_counts = feat.count_rows([profile_text(r) for r in researchers])
        need_counts = feat.count_rows([need_text(n) for n in needs])
        idf = feat.idf_from(work_counts, profile_counts)
        w = feat.tfidf(work_counts, idf)
        q = feat.tfidf(need_counts, idf)
        self.lexical = (feat.tfidf(need_counts, idf, keep=sc.NEED_TERMS) @ w.T).toarray()
        self.profile = (q @ feat.tfidf(profile_counts, idf).T).toarray()
        self.semantic = {}
        for dims in sorted({d for d, _w, _t in GRID}):
            space = semantic.train([w, q], dims=dims)
            self.semantic[dims] = space.encode(q) @ space.encode(w).T
        self.reference = self._reference(work_counts, need_counts)
        self.order = np.argsort(self.owners, kind="stable")
        self.starts = np.searchsorted(self.owners[self.order], np.arange(self.n + 1))

    def _reference(self, work_counts, need_counts):
        """Plain TF-IDF: a researcher is one document, all their works together."""
        import scipy.sparse as sp

        join = sp.csr_matrix((np.ones(len(self.owners), np.float32),
                              (self.owners, np.arange(len(self.owners)))),
                             shape=(self.n, len(self.owners)))
        docs = (join @ work_counts).tocsr()
        idf = feat.idf_from(docs)
        return (feat.tfidf(need_counts, idf) @ feat.tfidf(docs, idf).T).toarray()

    def per_researcher(self, per_work, how, temp=None):
        out = np.zeros((per_work.shape[0], self.n), dtype=np.float64)
        for i in range(self.n):
            s = per_work[:, self.order[self.starts[i]:self.starts[i + 1]]]
            if how == "previous":
                top = -np.sort(-s, axis=1)[:, :3]  # the best work and the mean of the best three
                out[:, i] = (0.2 * top[:, 0] + 0.5 * top.mean(axis=1)) / 0.7
            else:
                e = np.exp((s - s.max(axis=1, keepdims=True)) / temp)
                out[:, i] = (e * s).sum(axis=1) / e.sum(axis=1)
        return out

    def text(self, setting):
        if setting == "previous":
            works = self.per_researcher(self.lexical, "previous")
            return 0.7 * works + 0.3 * self.profile
        if setting == "reference":
            return self.reference
        dims, weight, temp = setting
        fused = semantic.fuse(self.lexical, self.semantic[dims], weight)
        return ((1 - sc.W_PROFILE) * self.per_researcher(fused, "softmax", temp)
                + sc.W_PROFILE * self.profile)

    def ndcg(self, scores, rows):
        ranked = {self.needs[j].id: list(np.argsort(-scores[j], kind="stable")[:10]) for j in rows}
        return evaluate.summarise(ranked, self.labels, k=10)["ndcg@10"]


def folds_of(n, k=5, seed=0):
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def cross_validate(tasks_by_language, k=5):
    """Per language: previous, reference and cross-validated new nDCG@10; the choices."""
    cache = {}

    def score(lang, t, setting, rows):
        key = (lang, t, setting)
        if key not in cache:
            cache[key] = tasks_by_language[lang][t].text(setting)
        return tasks_by_language[lang][t].ndcg(cache[key], rows)

    results = {lang: {"previous": [], "reference": [], "new": []} for lang in tasks_by_language}
    chosen = Counter()
    folds = {lang: [folds_of(len(t.needs), k, s) for s, t in enumerate(ts)]
             for lang, ts in tasks_by_language.items()}
    for f in range(k):
        def gain(setting, f=f):
            total = 0.0
            for lang, ts in tasks_by_language.items():
                for t in range(len(ts)):
                    train = np.concatenate([x for g, x in enumerate(folds[lang][t]) if g != f])
                    total += score(lang, t, setting, train) / score(lang, t, "previous", train)
            return total

        best = max(GRID, key=gain)
        chosen[best] += 1
        for lang, ts in tasks_by_language.items():
            for t in range(len(ts)):
                test = folds[lang][t][f]
                for name, setting in (("previous", "previous"), ("reference", "reference"),
                                      ("new", best)):
                    results[lang][name].append(score(lang, t, setting, test))
    return {lang: {k: float(np.mean(v)) for k, v in r.items()} for lang, r in results.items()}, \
        chosen


def cutoff_study(tasks, setting, k=5):
    """The text score below which a pair is not recommended: the threshold that best
    separates relevant from irrelevant pairs among each need's top 50 (F1),
    chosen on four folds of needs, measured on the fifth."""
    candidates = np.round(np.arange(0.02, 0.30, 0.01), 2)

    def pairs(task, rows):
        scores = task.text(setting)
        out = []
        for j in rows:
            top = np.argsort(-scores[j])[:50]
            rel = task.labels[task.needs[j].id]
            out.extend((scores[j, i], i in rel) for i in top)
        return np.array(out)

    def f1(p, c):
        kept = p[:, 0] >= c
        tp = (kept & (p[:, 1] > 0)).sum()
        return 2 * tp / (kept.sum() + (p[:, 1] > 0).sum()) if tp else 0.0

    picked, held = [], []
    for f in range(k):
        train, test = [], []
        for s, t in enumerate(tasks):
            folds = folds_of(len(t.needs), k, s)
            train.append(pairs(t, np.concatenate([x for g, x in enumerate(folds) if g != f])))
            test.append(pairs(t, folds[f]))
        train, test = np.vstack(train), np.vstack(test)
        c = max(candidates, key=lambda c: f1(train, c))
        picked.append(float(c))
        kept = test[:, 0] >= c
        held.append((f1(test, c), (test[kept, 1] > 0).mean() if kept.any() else 0.0,
                     kept.mean()))
    return picked, np.mean(held, axis=0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--english", help="CSV of arXiv papers: title, abstract, tags")
    args = parser.parse_args()
    tasks = {"chinese (CSL)": [Task(*deal(csl_papers(), s, chinese_need)) for s in SEEDS]}
    if args.english:
        papers = arxiv_papers(args.english)
        tasks["english (arXiv)"] = [Task(*deal(papers, s, english_need)) for s in SEEDS]
    results, chosen = cross_validate(tasks)
    for lang, r in results.items():
        print(f"{lang:<16} nDCG@10 (5-fold CV, 3 dealings): previous engine {r['previous']:.4f}"
              f"  TF-IDF reference {r['reference']:.4f}  new {r['new']:.4f}"
              f"  → {r['new'] / r['reference']:.2f}× the reference"
              f" ({r['previous'] / r['reference']:.2f}× before),"
              f" {r['new'] / r['previous'] - 1:+.1%} on the previous engine")
    print("settings the folds chose (dims, fusion weight, temperature):", dict(chosen))
    setting = chosen.most_common(1)[0][0]
    picked, (f1, precision, kept) = cutoff_study(tasks["chinese (CSL)"], setting)
    print(f"relevance cut-off per fold (CSL): {picked}; on held-out folds F1 {f1:.3f}, "
          f"precision {precision:.3f}, share of top-50 pairs kept {kept:.3f}")


if __name__ == "__main__":
    main()
