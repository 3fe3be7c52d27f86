import json

import pytest
from django.core.management import CommandError, call_command


def write(path, rows):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path):
    researchers = write(tmp_path / "r.jsonl", [
        {"id": "pv", "keywords": ["钙钛矿"], "bio": "",
         "works": [{"title": "钙钛矿太阳能电池界面钝化", "abstract": "二维钝化层与封装",
                    "representative": True}]},
        {"id": "tex", "keywords": ["纺织"], "bio": "",
         "works": [{"title": "棉织物抗菌整理", "abstract": "壳聚糖整理工艺"}]},
    ])
    needs = write(tmp_path / "n.jsonl", [
        {"id": "n1", "title": "钙钛矿组件稳定性", "description": "封装与钝化",
         "required_expertise": ["钙钛矿"], "industry": "新能源"},
        {"id": "n2", "title": "抗菌面料", "description": "", "required_expertise": ["抗菌"],
         "industry": ""},
    ])
    labels = write(tmp_path / "l.jsonl", [
        {"need": "n1", "researcher": "pv", "relevance": 3},
        {"need": "n2", "researcher": "tex", "relevance": 2},
    ])
    return researchers, needs, labels, tmp_path / "scores.jsonl"


def test_it_scores_files_and_prints_the_metrics_without_a_database(files, capsys):
    researchers, needs, labels, out = files
    call_command("matching_eval", researchers=researchers, needs=needs, labels=labels,
                 out=str(out), top=2, processes=1)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    best = {}
    for row in rows:
        best.setdefault(row["need"], row["researcher"])
    assert best == {"n1": "pv", "n2": "tex"}
    assert set(rows[0]) == {"need", "researcher", "score"}
    printed = capsys.readouterr().out
    assert "recall@10: 1.0000" in printed and "MRR: 1.0000" in printed


def test_a_malformed_file_is_a_clear_error(files, tmp_path):
    researchers, _needs, _labels, out = files
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "n1", "title": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(CommandError, match="bad.jsonl:2"):
        call_command("matching_eval", researchers=researchers, needs=str(bad), out=str(out))
