"""`news-search eval` on judged queries written against the sample archive."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from index.errors import NewsSearchError
from search.evaluate import METRIC_NAMES, EvalReport, load_qrels, load_queries, measure, render_report
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings
from tests.conftest import SHARED, CliResult

Judged = tuple[Path, Path, dict[str, str]]
METRICS = {"mrr@10", "ndcg@10", "recall@1", "recall@10", "recall@100"}


@pytest.fixture
def judged(sample_index: Path, tmp_path: Path) -> Judged:
    """Each query is the exact headline of one sample article, judged relevant to that article only."""
    with NewsSearch(sample_index) as engine:
        hits = engine.search("Lavrov Pyongyang Korea Putin", limit=6, mode="keyword")
    truth = {f"q{i}": hit.id for i, hit in enumerate(hits)}
    titles = {f"q{i}": hit.title for i, hit in enumerate(hits)}
    queries = tmp_path / "queries.jsonl"
    queries.write_text("".join(json.dumps({"id": q, "text": t}) + "\n" for q, t in titles.items()), encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("".join(f"{q}\t{d}\t1\n" for q, d in truth.items()) + "unjudged-extra\tx\t1\n", encoding="utf-8")
    return queries, qrels, truth


def test_measure_against_hand_computed_values() -> None:
    qrels = {"a": {"d1": 1}, "b": {"d9": 1}}
    runs = {"a": [("d2", 3.0), ("d1", 2.0)], "b": [("d3", 1.0)]}
    metrics = measure(runs, qrels)
    assert metrics["mrr@10"] == pytest.approx((1 / 2 + 0) / 2)
    assert metrics["recall@1"] == 0.0 and metrics["recall@10"] == pytest.approx(0.5)


def test_eval_json_reports_every_mode_and_metric(sample_index: Path, judged: Judged, cli: Callable[..., CliResult]) -> None:
    queries, qrels, _truth = judged
    result = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", qrels, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert set(data["modes"]) == {"keyword", "semantic", "hybrid"}
    for metrics in data["modes"].values():
        assert set(metrics) == METRICS and all(0.0 <= v <= 1.0 for v in metrics.values())
    assert data["judged_queries"] == 6
    assert data["modes"]["keyword"]["mrr@10"] >= 0.9  # exact headlines: BM25 with a boosted title finds them


def test_eval_sweep_reports_the_best_setting(sample_index: Path, judged: Judged, cli: Callable[..., CliResult]) -> None:
    queries, qrels, _truth = judged
    data = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", qrels, "--sweep", "--json").json()
    sweep = data["sweep"]
    assert len(sweep["results"]) > 50
    best = max(row["metrics"]["mrr@10"] for row in sweep["results"])
    assert sweep["best"]["metrics"]["mrr@10"] == best
    assert {"method", "rrf_k", "alpha", "normalization", "depth"} <= set(sweep["best"]["fusion"])
    keyword_sweep = data["keyword_sweep"]
    assert len(keyword_sweep["results"]) == 12
    assert {"k1", "b", "title_boost"} == set(keyword_sweep["best"]["keyword_settings"])
    assert data["keyword_settings"] == {"k1": 1.2, "b": 0.75, "title_boost": 2.5}  # restored after the sweep
    table = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", qrels, "--sweep").stdout
    assert "fusion sweep" in table and "hybrid" in table


def test_eval_input_errors_are_one_line(sample_index: Path, tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    qrels = tmp_path / "q.tsv"
    qrels.write_text("q1\td1\t1\n")
    for args in (("--queries", bad, "--qrels", qrels), ("--queries", tmp_path / "missing.jsonl", "--qrels", qrels)):
        result = cli("eval", "--index", sample_index, *args)
        assert result.exit_code != 0 and result.stderr.count("\n") == 1, result.stderr
    assert load_qrels(qrels) == {"q1": {"d1": 1}}


def test_beir_queries_and_qrels_files_are_read(tmp_path: Path) -> None:
    """BEIR's own layout: `_id` in queries.jsonl, a `query-id corpus-id score` header in qrels/test.tsv."""
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        json.dumps({"_id": "PLAIN-1", "text": "do cholesterol statins cause cancer", "metadata": {}})
        + "\n"
        + json.dumps({"_id": 7, "text": "lavrov visit", "metadata": {"url": "x"}})
        + "\n",
        encoding="utf-8",
    )
    qrels = tmp_path / "test.tsv"
    qrels.write_text("query-id\tcorpus-id\tscore\nPLAIN-1\tMED-10\t2\nPLAIN-1\tMED-11\t0\n7\tdoc-3\t1\n", encoding="utf-8")
    assert load_queries(queries) == {"PLAIN-1": "do cholesterol statins cause cancer", "7": "lavrov visit"}
    assert load_qrels(qrels) == {"PLAIN-1": {"MED-10": 2, "MED-11": 0}, "7": {"doc-3": 1}}
    # Only the first line may be a header: a non-numeric relevance further down is still an error.
    qrels.write_text("q1\td1\t1\nquery-id\tcorpus-id\tscore\n", encoding="utf-8")
    with pytest.raises(NewsSearchError, match=":2:"):
        load_qrels(qrels)


def test_shared_retrieval_sets_are_read_in_place() -> None:
    root = SHARED / "eval" / "retrieval"
    if not root.is_dir():
        pytest.skip(f"the shared evaluation data is absent ({root})")
    for name in ("indosum-dev", "bbc-news"):
        queries = load_queries(root / name / "queries.jsonl")
        qrels = load_qrels(root / name / "qrels.tsv")
        assert len(queries) > 1000 and set(queries) <= set(qrels), name
        assert all(set(judgments.values()) == {1} for judgments in qrels.values()), name


def test_eval_accepts_beir_files_end_to_end(
    sample_index: Path, judged: Judged, tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    queries, qrels, truth = judged
    lines = [json.loads(line) for line in queries.read_text(encoding="utf-8").splitlines()]
    beir_queries = tmp_path / "beir-queries.jsonl"
    beir_queries.write_text("".join(json.dumps({"_id": q["id"], "text": q["text"], "metadata": {}}) + "\n" for q in lines))
    beir_qrels = tmp_path / "beir-qrels.tsv"
    beir_qrels.write_text("query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t1\n" for q, d in truth.items()))
    plain = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", qrels, "--json")
    beir = cli("eval", "--index", sample_index, "--queries", beir_queries, "--qrels", beir_qrels, "--json")
    assert beir.exit_code == 0, beir.stderr
    assert beir.json()["judged_queries"] == 6
    assert beir.json()["modes"] == plain.json()["modes"]


def test_judged_documents_missing_from_the_index_are_warned_and_counted(
    sample_index: Path, judged: Judged, tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    queries, _qrels, truth = judged
    qrels = tmp_path / "qrels-missing.tsv"
    rows = [f"{q}\t{d}\t1\n" for q, d in truth.items()]
    rows[0] = "q0\tnot-in-the-index\t1\n"  # q0's only relevant document is unknown
    rows.append("q1\talso-missing\t1\n")  # q1 keeps one indexed relevant document
    qrels.write_text("".join(rows), encoding="utf-8")
    result = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", qrels, "--json")
    assert result.exit_code == 0, result.stderr
    missing = result.json()["missing"]
    assert missing == {
        "documents": 2,
        "of_documents": 7,
        "queries": 2,
        "queries_with_none_indexed": 1,
        "examples": ["also-missing", "not-in-the-index"],
    }
    assert "2 of 7 relevant documents are not in the index" in result.stderr
    table = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", qrels).stdout
    assert "warning: 2 of 7 relevant documents are not in the index (2 queries affected, 1 with none indexed)" in table
    clean = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", _qrels, "--json")
    assert clean.json()["missing"]["documents"] == 0 and "warning" not in clean.stderr


def test_eval_table_rows_line_up_with_the_header(sample_index: Path, judged: Judged, cli: Callable[..., CliResult]) -> None:
    queries, qrels, _truth = judged
    table = cli("eval", "--index", sample_index, "--queries", queries, "--qrels", qrels).stdout.splitlines()
    header = next(line for line in table if line.startswith("mode"))
    ends = [header.index(name) + len(name) for name in METRIC_NAMES]
    rows = table[table.index(header) + 1 :][:5]
    assert [row.split("  ")[0] for row in rows] == ["keyword", "semantic", "hybrid", "recency off", "recency on"]
    for row in rows:
        assert [m.end() for m in re.finditer(r"\d\.\d{4}", row)][:5] == ends, row


def test_sweep_ties_are_broken_by_the_next_metric() -> None:
    def row(label: str, mrr: float, ndcg: float, r100: float) -> dict[str, Any]:
        metrics = {"mrr@10": mrr, "ndcg@10": ndcg, "recall@1": 0.5, "recall@10": 0.9, "recall@100": r100}
        return {"label": label, "fusion": {}, "metrics": metrics}

    sweep = [row("first in grid", 0.8, 0.85, 1.0), row("better ndcg", 0.8, 0.86, 0.9), row("better recall", 0.8, 0.86, 0.95)]
    sweep.append(row("lower mrr", 0.79, 0.99, 1.0))
    sweep.append(row("full tie, later", 0.8, 0.86, 0.95))
    keyword = [
        {"label": "k first", "keyword_settings": {}, "keyword": sweep[0]["metrics"], "hybrid": sweep[0]["metrics"]},
        {"label": "k better", "keyword_settings": {}, "keyword": sweep[0]["metrics"], "hybrid": sweep[2]["metrics"]},
    ]
    report = EvalReport(
        queries=3, judged_queries=3, fusion=asdict(FusionSettings()), modes={}, sweep=sweep, keyword_sweep=keyword
    )
    data = report.to_dict()
    assert data["sweep"]["best"]["label"] == "better recall"
    assert data["keyword_sweep"]["best"]["label"] == "k better"
    table = render_report(report).splitlines()
    listed = [line.split("  ")[0] for line in table[table.index(next(t for t in table if t.startswith("fusion sweep"))) + 3 :]]
    assert listed == ["better recall", "full tie, later", "better ndcg", "first in grid", "lower mrr"]
    assert [r["label"] for r in report.ranked_sweep] == [
        "better recall",
        "full tie, later",
        "better ndcg",
        "first in grid",
        "lower mrr",
    ]
