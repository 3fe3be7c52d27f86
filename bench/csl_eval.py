"""Quality of the matching engine on the CSL development set (real Chinese papers).

Researchers are made of papers: the papers of each discipline are dealt, in a
fixed shuffled order, into researchers of 3–6 papers. One paper in five is held
out and becomes a need, written from its title and keywords (the abstract of a
need's own paper is never a researcher's work). A researcher is relevant to a
need (grade 1) when they share its discipline. The files are written to
bench/out/csl/ and scored with `manage.py matching_eval`, the same command
anyone can run on their own data. Two plain TF-IDF references are measured in
the same run, on the same files: a researcher is one document (all their works),
ranked by cosine, over the segmented words alone and over words and character
bigrams; the engine's ratio to each is printed.

    .venv/bin/python bench/csl_eval.py [path/to/papers.jsonl]
"""

import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent.parent / "shared" / "data" / "csl" / "papers-dev.jsonl"
if not DEFAULT.exists():
    DEFAULT = ROOT / "matching" / "demo_data" / "csl-papers.jsonl"


def build(papers_path: Path, out: Path, seed: int = 13) -> None:
    rng = random.Random(seed)
    papers = [json.loads(line) for line in papers_path.open(encoding="utf-8")]
    rng.shuffle(papers)
    needs = papers[::5]
    held = {p["id"] for p in needs}
    by_discipline = defaultdict(list)
    for p in papers:
        if p["id"] not in held:
            by_discipline[p["discipline"]].append(p)
    researchers = []
    for discipline, group in sorted(by_discipline.items()):
        i = 0
        while i < len(group):
            size = rng.randint(3, 6)
            works = group[i:i + size]
            i += size
            researchers.append({
                "id": f"r{len(researchers)}", "discipline": discipline,
                "keywords": sorted({k for w in works for k in w["keywords"]})[:6],
                "bio": "", "works": [{"title": w["title"], "abstract": w["abstract"],
                                      "representative": n == 0} for n, w in enumerate(works)]})
    out.mkdir(parents=True, exist_ok=True)
    with (out / "researchers.jsonl").open("w", encoding="utf-8") as f:
        for r in researchers:
            f.write(json.dumps({k: v for k, v in r.items() if k != "discipline"},
                               ensure_ascii=False) + "\n")
    with (out / "needs.jsonl").open("w", encoding="utf-8") as f:
        for p in needs:
            f.write(json.dumps({"id": p["id"], "title": p["title"], "description": "",
                                "required_expertise": p["keywords"], "industry": ""},
                               ensure_ascii=False) + "\n")
    with (out / "labels.jsonl").open("w", encoding="utf-8") as f:
        for p in needs:
            for r in researchers:
                if r["discipline"] == p["discipline"]:
                    f.write(json.dumps({"need": p["id"], "researcher": r["id"],
                                        "relevance": 1}) + "\n")
    print(f"{len(researchers)} researchers, {len(needs)} needs from {papers_path}")


def references(out: Path) -> None:
    """nDCG@10 of the plain TF-IDF references on the files just written."""
    sys.path.insert(0, str(ROOT))
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matching.engine import evaluate, io, text

    researchers = io.read_researchers(out / "researchers.jsonl")
    needs = io.read_needs(out / "needs.jsonl")
    labels = io.read_labels(out / "labels.jsonl")
    text.add_user_words({k for n in needs for k in n.required_expertise}
                        | {k for r in researchers for k in r.keywords})
    docs = ["\n".join(f"{w.title} {w.abstract}" for w in r.works) for r in researchers]
    queries = [f"{n.title} {' '.join(n.required_expertise)} {n.description}" for n in needs]
    engine = {}
    for line in (out / "scores.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        engine.setdefault(row["need"], []).append(row["researcher"])
    mine = evaluate.summarise(engine, labels)["ndcg@10"]
    for name, analyzer in (("segmented words", text.words), ("words and bigrams", text.tokens)):
        vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit(docs)
        sims = (vectorizer.transform(queries) @ vectorizer.transform(docs).T).toarray()
        ranked = {n.id: [researchers[i].id for i in sims[j].argsort()[::-1][:100]]
                  for j, n in enumerate(needs)}
        ndcg = evaluate.summarise(ranked, labels)["ndcg@10"]
        print(f"TF-IDF reference ({name}): nDCG@10 {ndcg:.4f}; the engine {mine:.4f} is "
              f"{mine / ndcg:.2f}× it")


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    out = ROOT / "bench" / "out" / "csl"
    build(source, out)
    subprocess.run([sys.executable, "manage.py", "matching_eval",
                    "--researchers", out / "researchers.jsonl", "--needs", out / "needs.jsonl",
                    "--labels", out / "labels.jsonl", "--out", out / "scores.jsonl",
                    "--top", "100"], cwd=ROOT, check=True)
    references(out)
