"""Relevance of every mode on the shared Indonesian and English news sets, in one run.

For each set and each model: builds an index from the corpus (kept in --work-dir, reused when
present), then measures keyword, semantic and hybrid search with the default fusion, the main
alternatives, and the best of the fusion sweep. Keyword analysis variants (plain vs Snowball
stemming) are measured by re-deriving the keyword index from the same store.

The ``languages`` part (issue 15) measures one archive holding both sets (bbc-news + indosum-dev,
built from the single-set indexes' stored embeddings, ``benchmarks/crosslingual.py``) with the
default model: each set's headlines, and our translations of them into the other language
(``benchmarks/data/crosslingual``), on its own corpus and on the mixed archive, in keyword,
semantic and hybrid mode, and on the mixed archive also the first page a search shows (``searched``:
the fused run cut to the result set). Not run by default: ``statistics`` measures the BM25 statistics of the
plain fields on a plain-analysed mixed archive, ``centering`` what queries are best centered on. Writes
benchmarks/results/relevance.json (without ``sets``: relevance-PARTS.json) and prints the tables.

    python benchmarks/relevance.py [--models multilingual-e5-small all-MiniLM-L6-v2] [--sets bbc-news indosum-dev]
    python benchmarks/relevance.py --parts languages statistics centering
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ArgumentParser, eval_dir, fail, machine, require_eval, write_result
from benchmarks.crosslingual import TRANSLATIONS, CrosslingualDataError, build_mixed_index, mixed_qrels, translated_queries
from index.ingest.indexer import Indexer
from search.evaluate import evaluate, load_qrels, load_queries, measure
from search.facade import NewsSearch
from search.ranking.fusion import CROSS_LANGUAGE_SHARE, DEFAULT_CROSS_LANGUAGE, FusionSettings

SETS = ("bbc-news", "indosum-dev")
MODELS = ("multilingual-e5-small", "all-MiniLM-L6-v2")
PARTS = ("sets", "languages", "statistics", "centering")
DEFAULT_PARTS = ("sets", "languages")
# Hybrid on the mixed archive is also measured with these shares of semantic evidence standing in
# for the keyword side on articles in another language than the query, the same for every query
# language (the default is the query language's: search.ranking.fusion.CROSS_LANGUAGE_SHARE).
CROSS_LANGUAGE_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
STATISTICS_POLICIES = ("per-language", "pooled")
# What queries are centered on, against articles centered on their language's mean (and as embedded).
CENTERING_VARIANTS = ("as embedded", "query as embedded", "own language's mean", "mean of the language means", "archive mean")
# The rows of issue 15's table: (label, query set, our translations instead of the originals).
LANGUAGE_ROWS = (
    ("English headlines (bbc)", "bbc-news", False),
    ("Indonesian headlines (indosum)", "indosum-dev", False),
    ("English translations of Indonesian headlines", "indosum-dev", True),
    ("Indonesian translations of English headlines", "bbc-news", True),
)
LANGUAGE_MODEL = "multilingual-e5-small"
MIXED = "mixed"
ALTERNATIVES = {
    "rrf k=60": FusionSettings(method="rrf", rrf_k=60),
    "rrf k=10": FusionSettings(method="rrf", rrf_k=10),
    "weighted minmax a=0.5": FusionSettings(method="weighted", alpha=0.5, normalization="minmax"),
    "weighted zscore a=0.5": FusionSettings(method="weighted", alpha=0.5, normalization="zscore"),
}


def build(index_dir: Path, corpus: Path, model: str, analysis: str) -> dict[str, Any]:
    """Index the corpus, or finish an index a stopped run left (an ingest resumes: the pages already
    in it are skipped by their fingerprints, seconds for a whole set); rebuild the keyword side
    for another analysis. Once only an empty index was built, and a run stopped mid-ingest left
    bbc-news with MiniLM at 1,820 of its 2,087 articles, measured as if whole."""
    started = time.perf_counter()
    with Indexer(index_dir, model=model, analysis=analysis) as indexer:
        indexer.repair()
        report = indexer.add([corpus])
        if indexer.info.analysis != analysis:
            indexer.rebuild(analysis)
        articles = indexer.articles
    built = report.added + report.updated
    return {"articles": articles, "seconds": round(time.perf_counter() - started, 1), "built": built > 0, "written": built}


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


def language_rows(work_dir: Path) -> dict[str, Any]:
    """Issue 15's table: each row's queries on its own corpus and on the mixed archive (default
    settings), and on the mixed archive how hybrid MRR@10 moves with the cross-language share."""
    folder = eval_dir()
    single = {name: work_dir / f"{name}-{LANGUAGE_MODEL}" for name in SETS}
    builds = {
        name: build(index, require_eval(f"retrieval/{name}/corpus.jsonl"), LANGUAGE_MODEL, "snowball")
        for name, index in single.items()
    }
    mixed = work_dir / f"{MIXED}-{LANGUAGE_MODEL}"
    builds[MIXED] = build_mixed_index(mixed, folder, list(single.values()))
    rows: list[dict[str, Any]] = []
    shares = [FusionSettings(cross_language=share) for share in CROSS_LANGUAGE_SHARES]
    for label, name, translated in LANGUAGE_ROWS:
        set_folder = folder / "retrieval" / name
        queries = translated_queries(name, folder) if translated else load_queries(set_folder / "queries.jsonl")
        row: dict[str, Any] = {"label": label, "set": name, "translated": translated, "queries": len(queries)}
        for where, index_dir, qrels in (
            ("own", single[name], load_qrels(set_folder / "qrels.tsv")),
            (MIXED, mixed, mixed_qrels(name, folder)),
        ):
            started = time.perf_counter()
            with NewsSearch(index_dir) as engine:
                report = evaluate(engine, queries, qrels, fusions=shares if where == MIXED else ())
            row[where] = {"modes": report.modes, "seconds": round(time.perf_counter() - started, 1)}
            if where == MIXED:
                with NewsSearch(index_dir) as engine:
                    row[where]["searched"] = searched(engine, queries, qrels)
                row[where]["by_language"] = report.by_language
                row[where]["cross_language_shares"] = {
                    f"{sweep['fusion']['cross_language']:g}": sweep["metrics"] for sweep in report.sweep
                }
        rows.append(row)
        print(language_line(row), flush=True)
    return {
        "model": LANGUAGE_MODEL,
        "fusion": asdict(FusionSettings()),
        "builds": builds,
        "rows": rows,
        "table": language_table(rows),
        "shares_table": shares_table(rows),
    }


def searched(engine: NewsSearch, queries: dict[str, str], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """The first page each judged query gets from a search (hybrid, default settings), measured.

    ``evaluate`` fuses the candidate runs as a search does, but a search then keeps only what the
    query matches: keyword matches, and neighbours above the index's semantic floor
    (``search.ranking.result_set``). An article in another language than the query's is never a
    keyword match, so across languages the floor decides, and this says what it costs.
    """
    judged = {qid: text for qid, text in queries.items() if qid in qrels}
    pages = {qid: [(hit.id, 0.0) for hit in engine.search_results(text, limit=10).hits] for qid, text in judged.items()}
    metrics = measure(pages, {qid: qrels[qid] for qid in pages})
    return {name: value for name, value in metrics.items() if name != "recall@100"}  # a page holds 10


@contextmanager
def statistics_policy(policy: str) -> Iterator[None]:
    """The keyword side's BM25 statistics as this release takes them (``per-language``), or as
    they were before issue 15 (``pooled``: every document in one group), patched in for the
    measurement only."""
    from index.backends.local.keyword import schema

    saved = schema.statistics_group
    if policy == "pooled":
        schema.statistics_group = lambda lang, fields: ""  # type: ignore[assignment]
    try:
        yield
    finally:
        schema.statistics_group = saved


def centering_rows(work_dir: Path) -> dict[str, Any]:
    """Semantic MRR@10 on the mixed archive (exact float32 cosines over the stored embeddings, as
    ``index.backends.local.centering`` takes the language means) for each way of centering queries."""
    import numpy as np

    from index.backends.local import centering
    from index.backends.local.layout import IndexLayout
    from index.backends.local.store import ArticleStore
    from index.embed.loading import load_encoder
    from search.evaluate import measure

    folder = eval_dir()
    mixed = work_dir / f"{MIXED}-{LANGUAGE_MODEL}"
    store = ArticleStore(IndexLayout(mixed).store, readonly=True)
    try:
        rows = store.all_rowids()
        stored = store.vectors(rows, 384)
        ids = store.ids_for_rowids(set(rows))
        languages = {row: meta[2] for row, meta in store.metadata_for_rowids(rows).items()}
    finally:
        store.close()
    matrix = np.stack([stored[row] for row in rows]).astype(np.float64)
    langs = np.array([languages[row] or "" for row in rows])
    means = {}
    for lang in sorted(set(langs)):
        members = np.flatnonzero(langs == lang)
        size = centering.sample_size(len(members))
        if size:
            means[lang] = matrix[members[:size]].mean(axis=0)
    centered = matrix - np.stack([means.get(lang, 0.0) for lang in langs])
    centered /= np.linalg.norm(centered, axis=1, keepdims=True)
    query_means = {
        "mean of the language means": np.mean([means[lang] for lang in sorted(means)], axis=0),
        "archive mean": matrix.mean(axis=0),
    }
    encoder = load_encoder(LANGUAGE_MODEL)
    results: dict[str, Any] = {"means": {lang: int(centering.sample_size(int((langs == lang).sum()))) for lang in means}}
    for label, name, translated in LANGUAGE_ROWS:
        queries = translated_queries(name, folder) if translated else load_queries(folder / "retrieval" / name / "queries.jsonl")
        qrels = mixed_qrels(name, folder)
        qids = [q for q in queries if q in qrels]
        embedded = np.vstack([encoder.encode_queries([queries[q] for q in qids[i : i + 64]]) for i in range(0, len(qids), 64)])
        own = "id" if (name == "bbc-news") == translated else "en"
        row: dict[str, float] = {}
        for variant in CENTERING_VARIANTS:
            if variant == "as embedded":
                scores = embedded @ matrix.T
            else:
                shift = {"query as embedded": 0.0, "own language's mean": means[own]}.get(variant)
                shifted = embedded - (query_means[variant] if shift is None else shift)
                scores = (shifted / np.linalg.norm(shifted, axis=1, keepdims=True)) @ centered.T
            top = np.argsort(-scores, axis=1)[:, :100]
            runs = {q: [(ids[rows[j]], float(scores[i, j])) for j in top[i]] for i, q in enumerate(qids)}
            row[variant] = measure(runs, {q: qrels[q] for q in qids})["mrr@10"]
        results[label] = row
        print(f"{label:<46} " + "  ".join(f"{v}: {row[v]:.4f}" for v in CENTERING_VARIANTS), flush=True)
    return results


def statistics_rows(work_dir: Path) -> dict[str, Any]:
    """The plain fields' statistics (every article in them under ``--analysis plain``): each set's
    headlines on its own plain-analysed index, and on the mixed one under each policy."""
    folder = eval_dir()
    single = {name: work_dir / f"{name}-{LANGUAGE_MODEL}" for name in SETS}
    mixed = work_dir / f"{MIXED}-{LANGUAGE_MODEL}-plain"
    builds: dict[str, Any] = {MIXED: build_mixed_index(mixed, folder, list(single.values()), analysis="plain")}
    rows: dict[str, Any] = {}
    for name in SETS:
        set_folder = folder / "retrieval" / name
        queries = load_queries(set_folder / "queries.jsonl")
        builds[name] = build(single[name], set_folder / "corpus.jsonl", LANGUAGE_MODEL, "plain")
        with NewsSearch(single[name]) as engine:
            rows[name] = {"own": evaluate(engine, queries, load_qrels(set_folder / "qrels.tsv")).modes}
        build(single[name], set_folder / "corpus.jsonl", LANGUAGE_MODEL, "snowball")  # as the other parts expect it
        for policy in STATISTICS_POLICIES:
            with statistics_policy(policy), NewsSearch(mixed) as engine:
                rows[name][policy] = evaluate(engine, queries, mixed_qrels(name, folder)).modes
        print(
            f"{name:<12} plain analysis, keyword MRR@10: own {rows[name]['own']['keyword']['mrr@10']:.4f}  "
            + "  ".join(f"{p} {rows[name][p]['keyword']['mrr@10']:.4f}" for p in STATISTICS_POLICIES),
            flush=True,
        )
    return {"analysis": "plain", "builds": builds, "policies": list(STATISTICS_POLICIES), "sets": rows}


def language_line(row: dict[str, Any]) -> str:
    def cell(where: str) -> str:
        modes = row[where]["modes"]
        return "  ".join(f"{mode} {modes[mode]['mrr@10']:.4f}" for mode in ("keyword", "semantic", "hybrid"))

    return f"{row['label']:<46} own: {cell('own')}   mixed: {cell(MIXED)}  searched {row[MIXED]['searched']['mrr@10']:.4f}"


def language_table(rows: list[dict[str, Any]]) -> str:
    """The rows as issue 15's Markdown table, MRR@10 of every mode."""
    lines = ["| queries | on its own corpus | on the mixed archive | mixed, as a search shows it |", "|---|---|---|---|"]
    for row in rows:
        cells = [
            ", ".join(f"{mode} {row[where]['modes'][mode]['mrr@10']:.3f}" for mode in ("hybrid", "semantic", "keyword"))
            for where in ("own", MIXED)
        ]
        shown = row[MIXED]["searched"]["mrr@10"]
        lines.append(f"| {row['label']} ({row['queries']}) | {cells[0]} | {cells[1]} | hybrid {shown:.3f} |")
    return "\n".join(lines)


def shares_table(rows: list[dict[str, Any]]) -> str:
    """Hybrid MRR@10 on the mixed archive for each cross-language share, and for the default: each
    query language's share (``CROSS_LANGUAGE_SHARE``)."""
    shares = sorted(CROSS_LANGUAGE_SHARES)
    by_language = ", ".join(f"{code} {share:g}" for code, share in sorted(CROSS_LANGUAGE_SHARE.items()))
    head = " | ".join(f"{share:g}" for share in shares)
    lines = [
        f"| queries (mixed archive) | semantic | {head} | **default** ({by_language}, else {DEFAULT_CROSS_LANGUAGE:g}) |",
        "|---|---|" + "---|" * (len(shares) + 1),
    ]
    for row in rows:
        mixed = row[MIXED]
        found = {float(share): metrics["mrr@10"] for share, metrics in mixed["cross_language_shares"].items()}
        cells = " | ".join(f"{found[share]:.3f}" for share in shares)
        default = mixed["modes"]["hybrid"]["mrr@10"]
        lines.append(f"| {row['label']} | {mixed['modes']['semantic']['mrr@10']:.3f} | {cells} | **{default:.3f}** |")
    return "\n".join(lines)


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--analyses", nargs="+", default=["snowball", "plain"])
    parser.add_argument(
        "--parts", nargs="+", choices=PARTS, default=list(DEFAULT_PARTS), help="what to measure (default: sets languages)"
    )
    parser.add_argument("--work-dir", type=Path, default=Path(__file__).resolve().parent / ".work")
    parser.add_argument("--queries", default="queries.jsonl", help="query file name inside each set folder")
    args = parser.parse_args()
    languages = bool({"languages", "statistics", "centering"} & set(args.parts))
    for name in (*args.sets, *(SETS if languages else ())):  # every input checked before the first index is built
        for file in ("corpus.jsonl", args.queries, "qrels.tsv"):
            require_eval(f"retrieval/{name}/{file}")
    if languages:
        try:
            for name in TRANSLATIONS:
                translated_queries(name, eval_dir())
        except CrosslingualDataError as exc:
            fail(str(exc))

    results: dict[str, Any] = {"benchmark": "relevance", "machine": machine(), "queries_file": args.queries, "sets": {}}
    for name in args.sets if "sets" in args.parts else ():
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
    if "languages" in args.parts:
        results["languages"] = language_rows(args.work_dir)
        print(results["languages"]["table"])
        print(results["languages"]["shares_table"])
    if "statistics" in args.parts:
        results["statistics"] = statistics_rows(args.work_dir)
    if "centering" in args.parts:
        results["centering"] = centering_rows(args.work_dir)
    path = write_result("relevance" if "sets" in args.parts else f"relevance-{'-'.join(args.parts)}", results)
    print(f"results written to {path}")


if __name__ == "__main__":
    main()
