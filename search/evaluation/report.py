"""What ``news-search eval`` found: the report, how its best settings are chosen, and its text form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search.ranking.fusion import FusionSettings

METRIC_NAMES = ("mrr@10", "ndcg@10", "recall@1", "recall@10", "recall@100")
# Ranked by this when choosing the best setting.
SELECTION_METRIC = "mrr@10"
# Ties on it are broken by these in turn: on known-item sets many settings share an MRR@10 to four
# places, and grid order would otherwise pick among them by whichever was listed first. nDCG@10
# rewards the same top ranks with a gentler discount; recall@100 then favours what a deeper page or
# a reranker could still reach. Only ties on every metric go to the earlier (simpler) setting.
TIE_BREAK_METRICS = ("mrr@10", "ndcg@10", "recall@100", "recall@10", "recall@1")


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
