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
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index.backends.query import KeywordSettings
from index.errors import NewsSearchError
from search.evaluation.runs import EvaluationRuns
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings, Normalization
from search.ranking.languages import QueryLanguage, keyword_language
from search.ranking.recency import RecencySettings, apply_recency

METRIC_NAMES = ("mrr@10", "ndcg@10", "recall@1", "recall@10", "recall@100")
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
# Ranked by this when choosing the best setting.
SELECTION_METRIC = "mrr@10"
# Ties on it are broken by these in turn: on known-item sets many settings share an MRR@10 to four
# places, and grid order would otherwise pick among them by whichever was listed first. nDCG@10
# rewards the same top ranks with a gentler discount; recall@100 then favours what a deeper page or
# a reranker could still reach. Only ties on every metric go to the earlier (simpler) setting.
TIE_BREAK_METRICS = ("mrr@10", "ndcg@10", "recall@100", "recall@10", "recall@1")
# How many ids `eval` names when judged documents are missing from the index.
MISSING_EXAMPLES = 10
# The recency boost `eval` compares against the boost left off (the default).
EVAL_RECENCY = RecencySettings(weight=0.2, half_life_days=365.0)

Runs = list[tuple[list[tuple[str, float]], list[tuple[str, float]]]]
# The query language label of queries whose language was not told.
UNKNOWN_LANGUAGE = "?"
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
    # Judged documents that are not in the index: they can only be scored as misses.
    missing: dict[str, Any] = field(default_factory=dict)
    # Per "query language -> judged articles' language" (only when the judgments span languages).
    by_language: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def best(self) -> dict[str, Any] | None:
        return self.ranked_sweep[0] if self.sweep else None

    @property
    def ranked_sweep(self) -> list[dict[str, Any]]:
        """Fusion settings, best first; sorting is stable, so full ties keep grid order."""
        return sorted(self.sweep, key=lambda row: rank_key(row["metrics"]), reverse=True)

    @property
    def ranked_keyword_sweep(self) -> list[dict[str, Any]]:
        """Keyword settings by hybrid metrics, then keyword-only metrics, best first."""
        return sorted(self.keyword_sweep, key=lambda row: (rank_key(row["hybrid"]), rank_key(row["keyword"])), reverse=True)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "queries": self.queries,
            "judged_queries": self.judged_queries,
            "fusion": self.fusion,
            "keyword_settings": self.keyword_settings,
            "modes": self.modes,
            "missing": self.missing,
        }
        if self.recency:
            data["recency"] = self.recency
        if self.by_language:
            data["by_language"] = self.by_language
        if self.sweep:
            data["sweep"] = {
                "selected_by": SELECTION_METRIC,
                "tie_break": list(TIE_BREAK_METRICS[1:]),
                "best": self.best,
                "results": self.sweep,
            }
        if self.keyword_sweep:
            data["keyword_sweep"] = {
                "selected_by": f"hybrid {SELECTION_METRIC}",
                "tie_break": [f"hybrid {m}" for m in TIE_BREAK_METRICS[1:]] + [f"keyword {m}" for m in TIE_BREAK_METRICS],
                "best": self.ranked_keyword_sweep[0],
                "results": self.keyword_sweep,
            }
        return data


def rank_key(metrics: Mapping[str, float]) -> tuple[float, ...]:
    """Larger is better: the selection metric first, then the tie-breakers in order."""
    return tuple(metrics[name] for name in TIE_BREAK_METRICS)


def load_queries(path: Path) -> dict[str, str]:
    """JSONL queries: ``{"id", "text"}`` (the shared sets) or BEIR's ``{"_id", "text", "metadata"}``."""
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
            query_id = obj["_id"] if "_id" in obj else obj["id"]
            queries[str(query_id)] = str(obj["text"])
        except (ValueError, KeyError, TypeError) as exc:
            raise NewsSearchError(f"{path}:{number}: expected a JSON object with 'id' (or '_id') and 'text'") from exc
    return queries


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """Judgments: ``query doc relevance`` (tab or space separated, BEIR's header line allowed) or TREC's 4 columns."""
    qrels: dict[str, dict[str, int]] = {}
    header_allowed = True
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
        if header_allowed:
            header_allowed = False
            # BEIR's qrels start with "query-id corpus-id score"; judgments never have a non-numeric relevance.
            if len(parts) == 3 and not _is_int(parts[2]):
                continue
        try:
            query_id, doc_id, relevance = parts[0], parts[1], int(parts[2])
        except (IndexError, ValueError) as exc:
            raise NewsSearchError(f"{path}:{number}: expected 'query_id<TAB>doc_id<TAB>relevance'") from exc
        qrels.setdefault(query_id, {})[doc_id] = relevance
    return qrels


def _is_int(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        return False
    return True


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
            if c != default.cross_language
        ]
    return settings


def other_language(
    runs: Runs, languages: Sequence[QueryLanguage | None], articles: Mapping[str, str | None]
) -> list[frozenset[str]]:
    """Per query, its candidates in another language than its own (as ``languages.foreign`` says)."""
    found = []
    for (keyword, semantic), language in zip(runs, languages, strict=True):
        wanted = keyword_language(language.code) if language is not None else None
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
        asked = keyword_language(language.code) if language is not None else None
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

    def hybrid_runs(fusion: FusionSettings) -> dict[str, list[tuple[str, float]]]:
        return {q: fusion.fuse(k, s, foreign[q])[:100] for q, (k, s) in zip(qids, runs, strict=True)}

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
        report.keyword_sweep = _sweep_keyword_settings(engine, judged, judged_qrels, [s for _k, s in runs], foreign)
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
            fused = {q: engine.fusion.fuse(keyword[q], s, foreign[q])[:100] for q, s in zip(qids, semantic_runs, strict=True)}
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


def render_report(report: EvalReport, top: int = 10) -> str:
    lines = [f"{report.judged_queries} judged queries, fusion: {FusionSettings(**report.fusion).describe()}"]
    if warning := missing_warning(report):
        lines.append(warning)
    # One label column for every row of the table: "recency off" is longer than the mode names.
    on = report.recency.get("on_settings", {})
    rows: list[tuple[str, dict[str, float], str]] = [(mode, metrics, "") for mode, metrics in report.modes.items()]
    if report.recency:
        recency = report.recency
        same = "same ranking as hybrid" if recency["off_same_ranking"] else "RANKING DIFFERS from hybrid"
        rows.append(("recency off", recency["off"], f"  ({same})"))
        rows.append(("recency on", recency["on"], f"  (weight {on['weight']:g}, half-life {on['half_life_days']:g} days)"))
    width = max([len("mode"), *(len(label) for label, _m, _n in rows)]) + 2
    lines += ["", f"{'mode':<{width}}" + "".join(f"{name:>12}" for name in METRIC_NAMES)]
    for label, metrics, note in rows:
        lines.append(f"{label:<{width}}" + "".join(f"{metrics[name]:>12.4f}" for name in METRIC_NAMES) + note)
    if report.by_language:
        lines += ["", f"by language (query, as detected -> judged articles), {SELECTION_METRIC}:", ""]
        wide = max(len(label) for label in report.by_language) + 2
        lines.append(
            f"{'languages':<{wide}}{'queries':>9}" + "".join(f"{mode:>12}" for mode in ("keyword", "semantic", "hybrid"))
        )
        for label, group in report.by_language.items():
            cells = "".join(f"{group['modes'][mode][SELECTION_METRIC]:>12.4f}" for mode in ("keyword", "semantic", "hybrid"))
            lines.append(f"{label:<{wide}}{group['queries']:>9}{cells}")
    if report.keyword_sweep:
        ranked_keyword = report.ranked_keyword_sweep
        lines += ["", f"keyword settings: {len(ranked_keyword)}, by hybrid {SELECTION_METRIC} (ties: next metric)", ""]
        lines.append(f"{'setting':<36}{'keyword':>12}{'hybrid':>12}")
        for row in ranked_keyword[:top]:
            lines.append(f"{row['label']:<36}{row['keyword'][SELECTION_METRIC]:>12.4f}{row['hybrid'][SELECTION_METRIC]:>12.4f}")
    if report.sweep:
        ranked = report.ranked_sweep
        tie_break = ", ".join(TIE_BREAK_METRICS[1:])
        lines += ["", f"fusion sweep: {len(report.sweep)} settings, best {top} by {SELECTION_METRIC} (ties: {tie_break})", ""]
        lines.append(f"{'setting':<36}" + "".join(f"{name:>12}" for name in METRIC_NAMES))
        for row in ranked[:top]:
            lines.append(f"{row['label']:<36}" + "".join(f"{row['metrics'][name]:>12.4f}" for name in METRIC_NAMES))
    return "\n".join(lines)


def missing_warning(report: EvalReport) -> str | None:
    """One line when judged documents are not in the index, else None."""
    missing = report.missing
    if not missing.get("documents"):
        return None
    examples = ", ".join(missing["examples"]) + (", ..." if missing["documents"] > len(missing["examples"]) else "")
    return (
        f"warning: {missing['documents']} of {missing['of_documents']} relevant documents are not in the index"
        f" ({missing['queries']} queries affected, {missing['queries_with_none_indexed']} with none indexed);"
        f" they are scored as misses: {examples}"
    )
