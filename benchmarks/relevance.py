"""Relevance of every mode on the shared Indonesian and English news sets, in one run.

For each set and each model: builds an index from the corpus (kept in --work-dir, reused when
present), then measures keyword, semantic and hybrid search with the default fusion, the main
alternatives, and the best of the fusion sweep. Keyword analysis variants (plain vs Snowball
stemming) are measured by re-deriving the keyword index from the same store. Writes
benchmarks/results/relevance.json and prints a Markdown table.

    python benchmarks/relevance.py [--models multilingual-e5-small all-MiniLM-L6-v2] [--sets bbc-news indosum-dev]
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ArgumentParser, machine, require_eval, write_result
from index.ingest.indexer import Indexer
from search.evaluate import evaluate, load_qrels, load_queries
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings

SETS = ("bbc-news", "indosum-dev")
MODELS = ("multilingual-e5-small", "all-MiniLM-L6-v2")
ALTERNATIVES = {
    "rrf k=60": FusionSettings(method="rrf", rrf_k=60),
    "rrf k=10": FusionSettings(method="rrf", rrf_k=10),
    "weighted minmax a=0.5": FusionSettings(method="weighted", alpha=0.5, normalization="minmax"),
    "weighted zscore a=0.5": FusionSettings(method="weighted", alpha=0.5, normalization="zscore"),
}


def build(index_dir: Path, corpus: Path, model: str, analysis: str) -> dict[str, Any]:
    """Index the corpus unless the index is already complete; rebuild keyword side for another analysis."""
    started = time.perf_counter()
    with Indexer(index_dir, model=model, analysis=analysis) as indexer:
        indexer.repair()
        report = indexer.add([corpus]) if indexer.articles == 0 else None
        if indexer.info.analysis != analysis:
            indexer.rebuild(analysis)
        articles = indexer.articles
    return {"articles": articles, "seconds": round(time.perf_counter() - started, 1), "built": report is not None}


def evaluate_set(index_dir: Path, queries: dict[str, str], qrels: dict[str, dict[str, int]]) -> dict[str, Any]:
    with NewsSearch(index_dir) as engine:
        started = time.perf_counter()
        report = evaluate(engine, queries, qrels, sweep=True)
    # Every alternative is a point of the sweep grid: read it from there rather than retrieving again.
    by_setting = {json.dumps(row["fusion"], sort_keys=True): row["metrics"] for row in report.sweep}
    alternatives = {label: by_setting[json.dumps(asdict(s), sort_keys=True)] for label, s in ALTERNATIVES.items()}
    return {
        "modes": report.modes,
        "default_fusion": report.fusion,
        "alternatives": alternatives,
        "best": report.best,
        "sweep": report.sweep,
        "keyword_sweep": report.keyword_sweep,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--analyses", nargs="+", default=["snowball", "plain"])
    parser.add_argument("--work-dir", type=Path, default=Path(__file__).resolve().parent / ".work")
    parser.add_argument("--queries", default="queries.jsonl", help="query file name inside each set folder")
    args = parser.parse_args()
    for name in args.sets:  # every input checked before the first index is built
        for file in ("corpus.jsonl", args.queries, "qrels.tsv"):
            require_eval(f"retrieval/{name}/{file}")

    results: dict[str, Any] = {"benchmark": "relevance", "machine": machine(), "queries_file": args.queries, "sets": {}}
    for name in args.sets:
        folder = require_eval(f"retrieval/{name}")
        queries, qrels = load_queries(folder / args.queries), load_qrels(folder / "qrels.tsv")
        results["sets"][name] = {}
        for model in args.models:
            for analysis in args.analyses:
                index_dir = args.work_dir / f"{name}-{model.replace('/', '_')}"
                built = build(index_dir, folder / "corpus.jsonl", model, analysis)
                row = {"build": built, **evaluate_set(index_dir, queries, qrels)}
                results["sets"][name][f"{model} / {analysis}"] = row
                modes = row["modes"]
                print(
                    f"{name:<12} {model:<24} {analysis:<9} keyword {modes['keyword']['mrr@10']:.4f}  "
                    f"semantic {modes['semantic']['mrr@10']:.4f}  hybrid {modes['hybrid']['mrr@10']:.4f}  "
                    f"best {row['best']['label']} {row['best']['metrics']['mrr@10']:.4f}",
                    flush=True,
                )
    path = write_result("relevance", results)
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
