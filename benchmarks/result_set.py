"""What semantic and hybrid queries match: the result-set cut-off measured on the shared query sets.

A query's result set (what totals, pages, sort by date and facets count) is its keyword matches
plus the semantic neighbours whose cosine reaches the index's floor (search/ranking/result_set.py). Per set
this reports: the share of queries whose relevant article, when it was among the fused candidates,
stays in the set; median and p90 set sizes; MRR@10 of hybrid and semantic search before and after
the cut; how the floor's margin trades nonsense matches against kept articles; the set sizes of
random letter strings (another seed than the calibration's); and a check that the read path
(``search_results(...).total``) counts the same set as computed here. ``--samples`` adds the
41-article sample archive indexed with other encoders (hashing-256, all-MiniLM-L6-v2).

    python benchmarks/result_set.py [--sets bbc-news indosum-dev] [--samples]

The e5 indexes are those of benchmarks/relevance.py (built into --work-dir when absent).
"""

from __future__ import annotations

import random
import statistics
import string
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ArgumentParser, machine, require_eval, write_result
from benchmarks.relevance import build
from search.evaluate import load_qrels, load_queries, measure, retrieve
from search.evaluation.runs import EvaluationRuns
from search.facade import NewsSearch
from search.ranking.pipeline import MAX_RESULTS
from search.ranking.result_set import calibration_queries, matching, semantic_floor

SETS = ("bbc-news", "indosum-dev")
MODEL = "multilingual-e5-small"
SAMPLE_MODELS = ("multilingual-e5-small", "hashing-256", "all-MiniLM-L6-v2")
MARGINS = (2.0, 2.5, 3.0)
NONSENSE_SEED = 7  # not the calibration's seed: these strings must be new to the floor
CHECKED_QUERIES = 40  # queries whose set size is also read through search_results


def nonsense(count: int, seed: int = NONSENSE_SEED) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 12))) for _ in range(rng.randint(1, 3)))
        for _ in range(count)
    ]


def percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(share * len(ordered)))]) if ordered else 0.0


def measure_set(
    index_dir: Path, queries: dict[str, str], qrels: dict[str, dict[str, int]], nonsense_count: int
) -> dict[str, Any]:
    judged = {q: t for q, t in queries.items() if q in qrels}
    qids = list(judged)
    started = time.perf_counter()
    with NewsSearch(index_dir) as engine:
        floor = EvaluationRuns(engine).semantic_floor()
        runs = retrieve(engine, judged, max(100, engine.fusion.depth))
        # Every keyword match of each query, for the membership test the read path makes.
        members = [
            {doc for doc, _ in run} for run in EvaluationRuns(engine).keyword_runs([judged[q] for q in qids], depth=MAX_RESULTS)
        ]
        fusion = engine.fusion
        # The margin sweep needs the calibration strings' best cosines, not only the floor they give.
        null_best = [s[0][1] for _k, s in EvaluationRuns(engine).candidates(calibration_queries(), depth=1) if s]
        strings = nonsense(nonsense_count)
        nonsense_totals = {
            mode: [engine.search_results(text, 10, mode).total for text in strings] for mode in ("hybrid", "semantic")
        }
        # The read path embeds one query at a time; a padded batch (as above) moves cosines by about
        # 1e-3, enough to flip an article at the floor, so the check retrieves one at a time too.
        checks = []
        for q, kw in zip(qids[:CHECKED_QUERIES], members, strict=False):
            keyword, semantic = EvaluationRuns(engine).candidates([judged[q]], max(100, fusion.depth))[0]
            expected = {
                "hybrid": len(matching(fusion.fuse(keyword, semantic), kw, dict(semantic), floor)),
                "semantic": len(matching(semantic, kw, dict(semantic), floor)),
            }
            for mode in ("hybrid", "semantic"):
                total = engine.search_results(judged[q], 10, mode, collapse_copies=False).total
                checks.append((q, mode, total, expected[mode]))
    fused = {q: fusion.fuse(k, s) for q, (k, s) in zip(qids, runs, strict=True)}

    def cut(at: float) -> dict[str, Any]:
        hybrid = {q: matching(fused[q], kw, dict(s), at) for q, (_k, s), kw in zip(qids, runs, members, strict=True)}
        semantic = {q: matching(s, kw, dict(s), at) for q, (_k, s), kw in zip(qids, runs, members, strict=True)}
        row: dict[str, Any] = {"floor": round(at, 4)}
        for mode, before, after in (
            ("hybrid", fused, hybrid),
            ("semantic", {q: s for q, (_k, s) in zip(qids, runs, strict=True)}, semantic),
        ):
            retrieved = [q for q in qids if any(doc in qrels[q] for doc, _ in before[q])]
            kept = [q for q in retrieved if any(doc in qrels[q] for doc, _ in after[q])]
            sizes = [len(after[q]) for q in qids]
            row[mode] = {
                "retrieved_before": len(retrieved),
                "kept": len(kept),
                "kept_share": round(len(kept) / len(retrieved), 4) if retrieved else None,
                "set_size_median": statistics.median(sizes),
                "set_size_p90": percentile(sizes, 0.9),
                "set_size_before_median": statistics.median(len(before[q]) for q in qids),
                "mrr@10_before": measure({q: before[q][:100] for q in qids}, qrels)["mrr@10"],
                "mrr@10_after": measure({q: after[q][:100] for q in qids}, qrels)["mrr@10"],
            }
        return row

    shipped = cut(floor)
    mismatches = [check for check in checks if check[2] != check[3]]
    relevant_not_keyword = sum(1 for q, kw in zip(qids, members, strict=True) if not any(doc in kw for doc in qrels[q]))
    return {
        "queries": len(qids),
        "floor": round(floor, 4),
        "calibration_best_cosine": {
            "mean": round(statistics.fmean(null_best), 4),
            "sd": round(statistics.pstdev(null_best), 4),
            "n": len(null_best),
        },
        "relevant_not_a_keyword_match": relevant_not_keyword,
        "shipped": shipped,
        "margins": {f"{m:g}": cut(semantic_floor(null_best, m)) for m in MARGINS},
        "nonsense": {
            "strings": strings,
            **{
                mode: {"nonzero": sum(1 for t in totals if t), "max": max(totals), "totals": totals}
                for mode, totals in nonsense_totals.items()
            },
        },
        "read_path_check": {"queries": len(checks), "mismatches": mismatches},
        "seconds": round(time.perf_counter() - started, 1),
    }


def measure_samples(work_dir: Path, nonsense_count: int) -> dict[str, Any]:
    """The sample archive under each encoder: the floor, nonsense totals, and the issue's queries."""
    rows: dict[str, Any] = {}
    strings = nonsense(nonsense_count)
    for model in SAMPLE_MODELS:
        index_dir = work_dir / f"sample-{model}"
        build(index_dir, ROOT / "samples" / "archive", model, "snowball")
        with NewsSearch(index_dir) as engine:
            korea = engine.search_results("korea", 50, sort="date")
            lavrov = engine.search("Lavrov Pyongyang", 1)
            rows[model] = {
                "floor": round(EvaluationRuns(engine).semantic_floor(), 4),
                "nonsense_totals": {
                    mode: [engine.search_results(text, 10, mode).total for text in strings] for mode in ("hybrid", "semantic")
                },
                "korea_total": {
                    mode: engine.search_results("korea", 10, mode).total for mode in ("keyword", "hybrid", "semantic")
                },
                "korea_by_date_titles": [hit.title for hit in korea.hits],
                "lavrov_first": lavrov[0].title if lavrov else None,
            }
    return rows


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--nonsense", type=int, default=20, help="random letter strings per index")
    parser.add_argument("--samples", action="store_true", help="also the sample archive under three encoders")
    parser.add_argument("--work-dir", type=Path, default=Path(__file__).resolve().parent / ".work")
    args = parser.parse_args()

    results: dict[str, Any] = {"benchmark": "result_set", "machine": machine(), "model": args.model, "sets": {}}
    for name in args.sets:
        folder = require_eval(f"retrieval/{name}")
        index_dir = args.work_dir / f"{name}-{args.model.replace('/', '_')}"
        build(index_dir, folder / "corpus.jsonl", args.model, "snowball")
        row = measure_set(index_dir, load_queries(folder / "queries.jsonl"), load_qrels(folder / "qrels.tsv"), args.nonsense)
        results["sets"][name] = row
        for mode in ("hybrid", "semantic"):
            m = row["shipped"][mode]
            print(
                f"{name:<12} {mode:<8} floor {row['floor']:.4f}  kept {m['kept']}/{m['retrieved_before']} "
                f"({m['kept_share']})  set median {m['set_size_median']} p90 {m['set_size_p90']} "
                f"(before {m['set_size_before_median']})  MRR@10 {m['mrr@10_before']:.4f} -> {m['mrr@10_after']:.4f}  "
                f"nonsense nonzero {row['nonsense'][mode]['nonzero']}/{args.nonsense} max {row['nonsense'][mode]['max']}",
                flush=True,
            )
        print(f"{name:<12} read path mismatches: {len(row['read_path_check']['mismatches'])}", flush=True)
    if args.samples:
        results["samples"] = measure_samples(args.work_dir, args.nonsense)
        for model, row in results["samples"].items():
            print(f"sample {model:<22} floor {row['floor']:.4f} korea {row['korea_total']} nonsense {row['nonsense_totals']}")
    path = write_result("result_set", results)
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
