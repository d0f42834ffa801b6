"""Relevance evaluation on BEIR-style judgments: per-mode metrics and a sweep of fusion settings.

Metrics come from ir-measures (backed by pytrec_eval), not from formulas written here. Retrieval
runs once per query at the deepest candidate depth; every fusion setting is then a pure function
of those cached runs, so a sweep of a hundred settings costs seconds, not a re-run of the queries.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index.errors import NewsSearchError
from search.facade import NewsSearch
from search.query.parser import KeywordSettings
from search.ranking.fusion import FusionSettings, Normalization, RecencySettings, apply_recency

METRIC_NAMES = ("mrr@10", "ndcg@10", "recall@1", "recall@10", "recall@100")
SWEEP_DEPTHS = (20, 50, 100, 200)
SWEEP_RRF_K = (1, 5, 10, 20, 40, 60, 100)
SWEEP_ALPHAS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SWEEP_NORMALIZATIONS: tuple[Normalization, ...] = ("minmax", "zscore")
# Keyword settings need the queries run again (a few seconds per thousand queries each), so the grid is small.
SWEEP_KEYWORD = tuple(
    KeywordSettings(k1=k1, b=b, title_boost=boost) for k1, b, boost in itertools.product((0.9, 1.2, 1.6), (0.4, 0.75), (1.0, 2.5))
)
# Ranked by this when choosing the best setting; ties go to the simpler, earlier setting.
SELECTION_METRIC = "mrr@10"
# The recency boost `eval` compares against the boost left off (the default).
EVAL_RECENCY = RecencySettings(weight=0.2, half_life_days=365.0)

Runs = list[tuple[list[tuple[str, float]], list[tuple[str, float]]]]
Progress = Callable[[int, int], None]


@dataclass
class EvalReport:
    queries: int
    judged_queries: int
    fusion: dict[str, Any]
    modes: dict[str, dict[str, float]]
    keyword_settings: dict[str, Any] = field(default_factory=dict)
    sweep: list[dict[str, Any]] = field(default_factory=list)
    keyword_sweep: list[dict[str, Any]] = field(default_factory=list)
    recency: dict[str, Any] = field(default_factory=dict)

    @property
    def best(self) -> dict[str, Any] | None:
        return max(self.sweep, key=lambda row: row["metrics"][SELECTION_METRIC]) if self.sweep else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "queries": self.queries,
            "judged_queries": self.judged_queries,
            "fusion": self.fusion,
            "keyword_settings": self.keyword_settings,
            "modes": self.modes,
        }
        if self.recency:
            data["recency"] = self.recency
        if self.sweep:
            data["sweep"] = {"selected_by": SELECTION_METRIC, "best": self.best, "results": self.sweep}
        if self.keyword_sweep:
            best = max(self.keyword_sweep, key=lambda row: row["hybrid"][SELECTION_METRIC])
            data["keyword_sweep"] = {"selected_by": f"hybrid {SELECTION_METRIC}", "best": best, "results": self.keyword_sweep}
        return data


def load_queries(path: Path) -> dict[str, str]:
    queries: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsSearchError(f"cannot read queries {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            queries[str(obj["id"])] = str(obj["text"])
        except (ValueError, KeyError, TypeError) as exc:
            raise NewsSearchError(f"{path}:{number}: expected a JSON object with 'id' and 'text'") from exc
    return queries


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsSearchError(f"cannot read qrels {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) == 4:  # TREC style: query 0 doc relevance
            parts = [parts[0], parts[2], parts[3]]
        try:
            query_id, doc_id, relevance = parts[0], parts[1], int(parts[2])
        except (IndexError, ValueError) as exc:
            raise NewsSearchError(f"{path}:{number}: expected 'query_id<TAB>doc_id<TAB>relevance'") from exc
        qrels.setdefault(query_id, {})[doc_id] = relevance
    return qrels


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
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        runs.extend(engine.candidates([queries[q] for q in chunk], depth=depth))
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return runs


def sweep_settings() -> list[FusionSettings]:
    settings = [FusionSettings(method="rrf", rrf_k=k, depth=d) for d, k in itertools.product(SWEEP_DEPTHS, SWEEP_RRF_K)]
    settings += [
        FusionSettings(method="weighted", alpha=a, normalization=n, depth=d)
        for d, n, a in itertools.product(SWEEP_DEPTHS, SWEEP_NORMALIZATIONS, SWEEP_ALPHAS)
    ]
    return settings


def evaluate(
    engine: NewsSearch,
    queries: dict[str, str],
    qrels: dict[str, dict[str, int]],
    *,
    sweep: bool = False,
    progress: Progress | None = None,
    recency: RecencySettings = EVAL_RECENCY,
) -> EvalReport:
    judged = {qid: text for qid, text in queries.items() if qid in qrels}
    if not judged:
        raise NewsSearchError("no query has judgments: do the query ids in the queries file match the qrels?")
    settings = sweep_settings() if sweep else []
    depth = max([engine.fusion.depth, 100, *(s.depth for s in settings)])
    runs = retrieve(engine, judged, depth, progress)
    qids = list(judged)
    keyword = {q: k[:100] for q, (k, _s) in zip(qids, runs, strict=True)}
    semantic = {q: s[:100] for q, (_k, s) in zip(qids, runs, strict=True)}
    judged_qrels = {q: qrels[q] for q in qids}

    def hybrid(fusion: FusionSettings) -> dict[str, float]:
        fused = {q: fusion.fuse(k, s)[:100] for q, (k, s) in zip(qids, runs, strict=True)}
        return measure(fused, judged_qrels)

    modes = {
        "keyword": measure(keyword, judged_qrels),
        "semantic": measure(semantic, judged_qrels),
        "hybrid": hybrid(engine.fusion),
    }
    rows = [{"fusion": asdict(s), "label": s.describe(), "metrics": hybrid(s)} for s in settings]
    recency_report = _recency_check(engine, runs, qids, judged_qrels, modes["hybrid"], recency)
    report = EvalReport(
        queries=len(queries),
        judged_queries=len(judged),
        fusion=asdict(engine.fusion),
        keyword_settings=asdict(engine.keyword),
        modes=modes,
        sweep=rows,
        recency=recency_report,
    )
    if sweep:
        report.keyword_sweep = _sweep_keyword_settings(engine, judged, judged_qrels, [s for _k, s in runs])
    return report


def _recency_check(
    engine: NewsSearch,
    runs: Runs,
    qids: list[str],
    qrels: dict[str, dict[str, int]],
    hybrid: dict[str, float],
    recency: RecencySettings,
) -> dict[str, Any]:
    """Hybrid results through the same post-fusion recency step that search uses: off (the default)
    must give exactly the fused ranking; on shows what the boost does to relevance on this set."""
    fused = {q: engine.fusion.fuse(k, s)[:100] for q, (k, s) in zip(qids, runs, strict=True)}
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
) -> list[dict[str, Any]]:
    """Keyword-only and hybrid (current fusion) metrics for each BM25F setting; the engine is restored after."""
    original = engine.keyword
    qids = list(queries)
    rows = []
    try:
        for settings in SWEEP_KEYWORD:
            engine.use_keyword_settings(settings)
            keyword_runs = engine.keyword_runs([queries[q] for q in qids], depth=max(100, engine.fusion.depth))
            keyword = dict(zip(qids, keyword_runs, strict=True))
            fused = {q: engine.fusion.fuse(keyword[q], s)[:100] for q, s in zip(qids, semantic_runs, strict=True)}
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
        engine.use_keyword_settings(original)
    return rows


def render_report(report: EvalReport, top: int = 10) -> str:
    header = f"{'mode':<10}" + "".join(f"{name:>12}" for name in METRIC_NAMES)
    lines = [f"{report.judged_queries} judged queries, fusion: {FusionSettings(**report.fusion).describe()}", "", header]
    for mode, metrics in report.modes.items():
        lines.append(f"{mode:<10}" + "".join(f"{metrics[name]:>12.4f}" for name in METRIC_NAMES))
    if report.recency:
        recency = report.recency
        same = "same ranking as hybrid" if recency["off_same_ranking"] else "RANKING DIFFERS from hybrid"
        on = recency["on_settings"]
        lines.append(f"{'recency off':<10}" + "".join(f"{recency['off'][name]:>12.4f}" for name in METRIC_NAMES) + f"  ({same})")
        lines.append(
            f"{'recency on':<10}"
            + "".join(f"{recency['on'][name]:>12.4f}" for name in METRIC_NAMES)
            + f"  (weight {on['weight']:g}, half-life {on['half_life_days']:g} days)"
        )
    if report.keyword_sweep:
        ranked_keyword = sorted(report.keyword_sweep, key=lambda row: -row["hybrid"][SELECTION_METRIC])
        lines += ["", f"keyword settings: {len(ranked_keyword)}, by hybrid {SELECTION_METRIC}", ""]
        lines.append(f"{'setting':<36}{'keyword':>12}{'hybrid':>12}")
        for row in ranked_keyword[:top]:
            lines.append(f"{row['label']:<36}{row['keyword'][SELECTION_METRIC]:>12.4f}{row['hybrid'][SELECTION_METRIC]:>12.4f}")
    if report.sweep:
        ranked = sorted(report.sweep, key=lambda row: -row["metrics"][SELECTION_METRIC])
        lines += ["", f"fusion sweep: {len(report.sweep)} settings, best {top} by {SELECTION_METRIC}", ""]
        lines.append(f"{'setting':<36}" + "".join(f"{name:>12}" for name in METRIC_NAMES))
        for row in ranked[:top]:
            lines.append(f"{row['label']:<36}" + "".join(f"{row['metrics'][name]:>12.4f}" for name in METRIC_NAMES))
    return "\n".join(lines)
