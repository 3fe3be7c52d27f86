"""A synthetic district for the speed benchmarks, built from real CSL sentences.

Researchers get 5–20 works; a work is a real paper title and about 250
characters of sentences drawn from papers of the same discipline, so the
vocabulary and its statistics are those of real Chinese abstracts. Needs are
written from a title, two or three sentences and the keywords of one
discipline. Deterministic for a seed.
"""

import json
import random
import re
from collections import defaultdict
from pathlib import Path

from matching.engine import Need, Researcher, Work

PAPERS = Path(__file__).resolve().parents[1] / "matching" / "demo_data" / "csl-papers.jsonl"


def _pools():
    titles, sentences, keywords = defaultdict(list), defaultdict(list), defaultdict(list)
    for line in PAPERS.open(encoding="utf-8"):
        p = json.loads(line)
        d = p["discipline"]
        titles[d].append(p["title"])
        sentences[d].extend(s for s in re.split(r"(?<=[。；.;])", p["abstract"]) if len(s) > 8)
        keywords[d].extend(p["keywords"])
    return titles, sentences, keywords


def _text(rng, pool, length):
    out = ""
    while len(out) < length:
        out += rng.choice(pool)
    return out


def district(n_researchers=10_000, n_needs=2_000, seed=1):
    rng = random.Random(seed)
    titles, sentences, keywords = _pools()
    disciplines = sorted(titles)
    researchers = []
    for i in range(n_researchers):
        d = rng.choice(disciplines)
        works = tuple(Work(title=rng.choice(titles[d]), abstract=_text(rng, sentences[d], 250),
                           representative=k < 2) for k in range(rng.randint(5, 20)))
        researchers.append(Researcher(
            id=i, keywords=tuple(rng.sample(keywords[d], min(5, len(keywords[d])))),
            bio=_text(rng, sentences[d], 80), works=works, disciplines=(d,),
            institution=i % 7, capacity_left=rng.choice([0, 1, 1, 1, 2]),
            track_record=rng.choice([0, 0, 1, 3])))
    needs = []
    for j in range(n_needs):
        d = rng.choice(disciplines)
        needs.append(Need(id=j, title=rng.choice(titles[d]) + "关键技术攻关",
                          description=_text(rng, sentences[d], 200),
                          required_expertise=tuple(rng.sample(keywords[d], min(3, len(keywords[d])))),
                          company_id=j % 258, preferred_disciplines=frozenset({d}),
                          preferred_institutions=frozenset({j % 7})))
    return researchers, needs
