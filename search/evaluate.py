"""Relevance evaluation on BEIR-style judgments: per-mode metrics and a sweep of fusion settings.

Metrics come from ir-measures (backed by pytrec_eval), not from formulas written here. Retrieval
runs once per query at the deepest candidate depth; every fusion setting is then a pure function
of those cached runs, so a sweep of a hundred settings costs seconds, not a re-run of the queries.

Hybrid runs are fused as a search fuses them: each query's language is detected among the
archive's languages, and candidates in another language are fused as ``fusion.py`` says. When the
judgments span languages (judged articles in several languages, or queries in another language
than their judged articles), the figures are also given per pair of query language (as detected)
and judged articles' language (``by_language``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any

from index.backends.query import KeywordSettings
from index.errors import NewsSearchError
from search.evaluation.judgments import load_qrels, load_queries
from search.evaluation.report import (
    METRIC_NAMES,
    SELECTION_METRIC,
    TIE_BREAK_METRICS,
    EvalReport,
    missing_warning,
    rank_key,
    render_report,
)
from search.evaluation.runs import EvaluationRuns
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings, Normalization
from search.ranking.languages import QueryLanguage, fields_language, keyword_language
from search.ranking.recency import RecencySettings, apply_recency

SWEEP_DEPTHS = (20, 50, 100, 200)
SWEEP_RRF_K = (1, 5, 10, 20, 40, 60, 100)
SWEEP_ALPHAS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SWEEP_NORMALIZATIONS: tuple[Normalization, ...] = ("minmax", "zscore")
# Tried with every alpha (at the default depth and normalization) when some candidates are in
# another language than their query.
SWEEP_CROSS_LANGUAGE = (0.0, 0.25, 0.5, 0.75, 1.0)
# Keyword settings need the queries run again (a few seconds per thousand queries each), so the grid is small.
SWEEP_KEYWORD = tuple(
    KeywordSettings(k1=k1, b=b, title_boost=boost) for k1, b, boost in itertools.product((0.9, 1.2, 1.6), (0.4, 0.75), (1.0, 2.5))
)
# How many ids `eval` names when judged documents are missing from the index.
MISSING_EXAMPLES = 10
# The recency boost `eval` compares against the boost left off (the default).
EVAL_RECENCY = RecencySettings(weight=0.2, half_life_days=365.0)

Runs = list[tuple[list[tuple[str, float]], list[tuple[str, float]]]]
# The query language label of queries whose language was not told.
UNKNOWN_LANGUAGE = "?"
Progress = Callable[[int, int], None]

# The report and the readers of judged sets live beside this module; they are named here too,
# where ``eval``, the benchmarks and the tests have always found them.
__all__ = [
    "METRIC_NAMES",
    "SELECTION_METRIC",
    "TIE_BREAK_METRICS",
    "EvalReport",
    "evaluate",
    "load_qrels",
    "load_queries",
    "measure",
    "missing_warning",
    "rank_key",
    "render_report",
    "retrieve",
]


def missing_judged(engine: NewsSearch, qrels: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """Relevant documents of the judged queries that the index does not hold.

    They are still scored (as misses, which is what a user would see), but a count that is not zero
    usually means the wrong corpus or ids that changed at ingest, so `eval` says so.
    """
    relevant = {doc for judgments in qrels.values() for doc, relevance in judgments.items() if relevance > 0}
    present = set(engine.published_dates(relevant))
    missing = relevant - present
    queries = sum(1 for judgments in qrels.values() if any(doc in missing for doc, rel in judgments.items() if rel > 0))
    unreachable = sum(
        1
        for judgments in qrels.values()
        if (docs := [doc for doc, rel in judgments.items() if rel > 0]) and all(doc in missing for doc in docs)
    )
    return {
        "documents": len(missing),
        "of_documents": len(relevant),
        "queries": queries,
        "queries_with_none_indexed": unreachable,
        "examples": sorted(missing)[:MISSING_EXAMPLES],
    }


def measure(runs: Mapping[str, Sequence[tuple[str, float]]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean MRR@10, nDCG@10 and recall at 1, 10, 100 over the judged queries (a query with no hits scores 0)."""
    import ir_measures
    from ir_measures import RR, R, nDCG

    run_dict = {qid: {doc: float(len(run) - rank) for rank, (doc, _score) in enumerate(run)} for qid, run in runs.items()}
    # Scores are replaced by rank-derived values: trec_eval sorts by score, and ties in fused scores
    # must keep the order our ranker produced.
    for qid in qrels:
        run_dict.setdefault(qid, {})
    measures = {"mrr@10": RR @ 10, "ndcg@10": nDCG @ 10, "recall@1": R @ 1, "recall@10": R @ 10, "recall@100": R @ 100}
    aggregated = ir_measures.calc_aggregate(list(measures.values()), qrels, run_dict)
    return {name: round(float(aggregated[m]), 4) for name, m in measures.items()}


def retrieve(engine: NewsSearch, queries: dict[str, str], depth: int, progress: Progress | None = None, batch: int = 64) -> Runs:
    ids = list(queries)
    runs: Runs = []
    candidates = EvaluationRuns(engine)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        runs.extend(candidates.candidates([queries[q] for q in chunk], depth=depth))
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return runs


def sweep_settings(cross_language: bool = False) -> list[FusionSettings]:
    """The fusion grid; with ``cross_language``, also the share of semantic evidence that stands in for
    the keyword side on articles in another language than the query (with every alpha)."""
    settings = [FusionSettings(method="rrf", rrf_k=k, depth=d) for d, k in itertools.product(SWEEP_DEPTHS, SWEEP_RRF_K)]
    settings += [
        FusionSettings(method="weighted", alpha=a, normalization=n, depth=d)
        for d, n, a in itertools.product(SWEEP_DEPTHS, SWEEP_NORMALIZATIONS, SWEEP_ALPHAS)
    ]
    if cross_language:
        default = FusionSettings()
        settings += [
            FusionSettings(method="weighted", alpha=a, normalization=default.normalization, depth=default.depth, cross_language=c)
            for c, a in itertools.product(SWEEP_CROSS_LANGUAGE, SWEEP_ALPHAS)
        ]
    return settings


def other_language(
    runs: Runs, languages: Sequence[QueryLanguage | None], articles: Mapping[str, str | None]
) -> list[frozenset[str]]:
    """Per query, its candidates in another language than its own (as ``languages.foreign`` says)."""
    found = []
    for (keyword, semantic), language in zip(runs, languages, strict=True):
        wanted = fields_language(language)
        candidates = {doc for doc, _ in (*keyword, *semantic)}
        found.append(
            frozenset(
                doc
                for doc in candidates
                if wanted is not None and (lang := keyword_language(articles.get(doc))) is not None and lang != wanted
            )
        )
    return found


def language_groups(
    qrels: Mapping[str, Mapping[str, int]], languages: Mapping[str, QueryLanguage | None], articles: Mapping[str, str | None]
) -> dict[str, list[str]]:
    """Judged queries by "query language -> judged articles' language(s)" (keyword languages: "ms"
    counts as "id"); empty when every query is in its judged articles' one language."""
    groups: dict[str, list[str]] = {}
    spans = False
    for qid, judgments in qrels.items():
        language = languages.get(qid)
        asked = fields_language(language)
        judged = sorted({lang for doc, rel in judgments.items() if rel > 0 and (lang := keyword_language(articles.get(doc)))})
        label = f"{asked or UNKNOWN_LANGUAGE} -> {'+'.join(judged) or UNKNOWN_LANGUAGE}"
        groups.setdefault(label, []).append(qid)
        spans = spans or (asked is not None and judged != [asked])
    targets = {label.split(" -> ")[1] for label in groups}
    return groups if spans or len(targets) > 1 else {}


def evaluate(
    engine: NewsSearch,
    queries: dict[str, str],
    qrels: dict[str, dict[str, int]],
    *,
    sweep: bool = False,
    progress: Progress | None = None,
    recency: RecencySettings = EVAL_RECENCY,
    fusions: Sequence[FusionSettings] = (),
) -> EvalReport:
    """Every mode on the judged queries; with ``sweep``, the fusion grid and the BM25F settings too.
    ``fusions`` are more fusion settings to measure from the same runs (reported with the sweep's)."""
    judged = {qid: text for qid, text in queries.items() if qid in qrels}
    if not judged:
        raise NewsSearchError("no query has judgments: do the query ids in the queries file match the qrels?")
    depth = max([engine.fusion.depth, 100, *(SWEEP_DEPTHS if sweep else ()), *(f.depth for f in fusions)])
    runs = retrieve(engine, judged, depth, progress)
    qids = list(judged)
    keyword = {q: k[:100] for q, (k, _s) in zip(qids, runs, strict=True)}
    semantic = {q: s[:100] for q, (_k, s) in zip(qids, runs, strict=True)}
    judged_qrels = {q: qrels[q] for q in qids}
    missing = missing_judged(engine, judged_qrels)
    evaluation = EvaluationRuns(engine)
    languages = evaluation.query_languages([judged[q] for q in qids])
    shown = {doc for k, s in runs for doc, _ in (*k, *s)} | {doc for j in judged_qrels.values() for doc in j}
    articles = evaluation.article_languages(shown)
    foreign = dict(zip(qids, other_language(runs, languages, articles), strict=True))
    settings = [*(sweep_settings(cross_language=any(foreign.values())) if sweep else []), *fusions]

    codes = dict(zip(qids, map(fields_language, languages), strict=True))

    def hybrid_runs(fusion: FusionSettings) -> dict[str, list[tuple[str, float]]]:
        return {q: fusion.fuse(k, s, foreign[q], codes[q])[:100] for q, (k, s) in zip(qids, runs, strict=True)}

    def hybrid(fusion: FusionSettings) -> dict[str, float]:
        return measure(hybrid_runs(fusion), judged_qrels)

    modes = {
        "keyword": measure(keyword, judged_qrels),
        "semantic": measure(semantic, judged_qrels),
        "hybrid": hybrid(engine.fusion),
    }
    rows = [{"fusion": asdict(s), "label": s.describe(), "metrics": hybrid(s)} for s in settings]
    recency_report = _recency_check(engine, hybrid_runs(engine.fusion), qids, judged_qrels, modes["hybrid"], recency)
    groups = language_groups(judged_qrels, dict(zip(qids, languages, strict=True)), articles)
    fused = hybrid_runs(engine.fusion) if groups else {}
    by_language = {
        label: {
            "queries": len(members),
            "modes": {
                mode: measure({q: run[q] for q in members}, {q: judged_qrels[q] for q in members})
                for mode, run in (("keyword", keyword), ("semantic", semantic), ("hybrid", fused))
            },
        }
        for label, members in sorted(groups.items())
    }
    report = EvalReport(
        queries=len(queries),
        judged_queries=len(judged),
        fusion=asdict(engine.fusion),
        keyword_settings=asdict(engine.keyword),
        modes=modes,
        sweep=rows,
        recency=recency_report,
        missing=missing,
        by_language=by_language,
    )
    if sweep:
        report.keyword_sweep = _sweep_keyword_settings(engine, judged, judged_qrels, [s for _k, s in runs], foreign, codes)
    return report


def _recency_check(
    engine: NewsSearch,
    fused: dict[str, list[tuple[str, float]]],
    qids: list[str],
    qrels: dict[str, dict[str, int]],
    hybrid: dict[str, float],
    recency: RecencySettings,
) -> dict[str, Any]:
    """Hybrid results (``fused``, by query) through the same post-fusion recency step that search
    uses: off (the default) must give exactly the fused ranking; on shows what the boost does to
    relevance on this set."""
    dates = engine.published_dates({doc for run in fused.values() for doc, _ in run})
    newest = max(filter(None, dates.values()), default=None)
    off = {q: apply_recency(run, dates, RecencySettings(), newest)[0] for q, run in fused.items()}
    on = {q: apply_recency(run, dates, recency, newest)[0] for q, run in fused.items()}
    off_metrics = measure(off, qrels)
    return {
        "off": off_metrics,
        "off_same_ranking": all(off[q] == fused[q] for q in qids),
        "off_same_metrics": off_metrics == hybrid,
        "on": measure(on, qrels),
        "on_settings": asdict(recency),
    }


def _sweep_keyword_settings(
    engine: NewsSearch,
    queries: dict[str, str],
    qrels: dict[str, dict[str, int]],
    semantic_runs: list[list[tuple[str, float]]],
    foreign: Mapping[str, frozenset[str]],
    codes: Mapping[str, str | None],
) -> list[dict[str, Any]]:
    """Keyword-only and hybrid (current fusion) metrics for each BM25F setting; the engine is restored after."""
    original = engine.keyword
    evaluation = EvaluationRuns(engine)
    qids = list(queries)
    rows = []
    try:
        for settings in SWEEP_KEYWORD:
            evaluation.use_keyword_settings(settings)
            keyword_runs = evaluation.keyword_runs([queries[q] for q in qids], depth=max(100, engine.fusion.depth))
            keyword = dict(zip(qids, keyword_runs, strict=True))
            fused = {
                q: engine.fusion.fuse(keyword[q], s, foreign[q], codes[q])[:100] for q, s in zip(qids, semantic_runs, strict=True)
            }
            label = f"k1={settings.k1:g} b={settings.b:g} title x{settings.title_boost:g}"
            rows.append(
                {
                    "keyword_settings": asdict(settings),
                    "label": label,
                    "keyword": measure(keyword, qrels),
                    "hybrid": measure(fused, qrels),
                }
            )
    finally:
        evaluation.use_keyword_settings(original)
    return rows
