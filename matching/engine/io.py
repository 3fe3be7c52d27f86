"""Reading researchers, needs and labels from JSON Lines (the evaluation format)."""

import json
from collections import defaultdict
from pathlib import Path

from .documents import Need, Researcher, Work


def _lines(path: Path):
    with Path(path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None


def read_researchers(path) -> list[Researcher]:
    out = []
    for row in _lines(path):
        works = tuple(Work(title=w.get("title", ""), abstract=w.get("abstract", ""),
                           keywords=tuple(w.get("keywords", ())),
                           representative=bool(w.get("representative", False)))
                      for w in row.get("works", ()))
        out.append(Researcher(id=str(row["id"]), keywords=tuple(row.get("keywords", ())),
                              bio=row.get("bio", ""), works=works,
                              disciplines=tuple(row.get("disciplines", ()))))
    return out


def read_needs(path) -> list[Need]:
    return [Need(id=str(row["id"]), title=row.get("title", ""),
                 description=row.get("description", ""),
                 required_expertise=tuple(row.get("required_expertise", ())),
                 industry=row.get("industry", "") or "")
            for row in _lines(path)]


def read_labels(path) -> dict[str, dict[str, int]]:
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _lines(path):
        labels[str(row["need"])][str(row["researcher"])] = int(row["relevance"])
    return labels
