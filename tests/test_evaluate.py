"""`news-search eval` on judged queries written against the sample archive."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from search.evaluate import load_qrels, measure
from search.facade import NewsSearch
from tests.conftest import CliResult

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
