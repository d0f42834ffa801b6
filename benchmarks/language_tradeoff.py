"""Centering strength and cross-language share, together, per query language, on the mixed archive.

Both settings trade a query language's own row for its cross-language row (issue 15): centering
takes the language out of the semantic side, the share lets an article in another language stand
in semantic evidence for the keyword evidence it cannot have. They were chosen one at a time
before; this measures their grid in one run. For each query language, its two rows of
``benchmarks/relevance.py``'s table (its headlines, and our translations of the other set's
headlines into it) are searched on the mixed archive with that language's centering strength
patched in (``search.ranking.languages.CENTERING_STRENGTH``, for the measurement only), and the
candidate runs fused with each share, the same for every query (as ``relevance.py``'s share sweep;
at the query language's default share that includes the few queries detected as another
language). Needs the indexes ``relevance.py --parts languages`` builds (reused from --work-dir).
Writes benchmarks/results/language-tradeoff.json and prints one table per query language.

    python benchmarks/language_tradeoff.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ArgumentParser, eval_dir, fail, machine, require_eval, write_result
from benchmarks.crosslingual import CrosslingualDataError, build_mixed_index, mixed_qrels, translated_queries
from benchmarks.relevance import LANGUAGE_MODEL, LANGUAGE_ROWS, MIXED, SETS, build
from search.evaluate import evaluate, load_queries
from search.facade import NewsSearch
from search.ranking import languages
from search.ranking.fusion import CROSS_LANGUAGE_SHARE, DEFAULT_CROSS_LANGUAGE, FusionSettings

# Per query language: its rows (labels of relevance.LANGUAGE_ROWS: own language first) and the
# centering strengths measured.
GRID: dict[str, tuple[tuple[str, str], tuple[float, ...]]] = {
    "en": (("English headlines (bbc)", "English translations of Indonesian headlines"), (0.5, 0.7, 1.0)),
    "id": (("Indonesian headlines (indosum)", "Indonesian translations of English headlines"), (0.9, 1.0, 1.2, 1.4)),
}
SHARES = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 1.0)


@contextmanager
def centered_at(code: str, strength: float) -> Iterator[None]:
    """Queries in ``code`` centered at ``strength``, patched in for the measurement only."""
    saved = languages.CENTERING_STRENGTH
    languages.CENTERING_STRENGTH = {**saved, code: strength}
    try:
        yield
    finally:
        languages.CENTERING_STRENGTH = saved


def language_grid(mixed: Path, code: str) -> dict[str, Any]:
    """Hybrid MRR@10 of ``code``'s rows for each centering strength and share (and semantic alone)."""
    folder = eval_dir()
    labels, strengths = GRID[code]
    fusions = [FusionSettings(cross_language=share) for share in SHARES]
    grid: dict[str, Any] = {}
    for strength in strengths:
        cell: dict[str, Any] = {}
        for label in labels:
            _label, name, translated = next(row for row in LANGUAGE_ROWS if row[0] == label)
            queries = (
                translated_queries(name, folder) if translated else load_queries(folder / "retrieval" / name / "queries.jsonl")
            )
            with centered_at(code, strength), NewsSearch(mixed) as engine:
                report = evaluate(engine, queries, mixed_qrels(name, folder), fusions=fusions)
            cell[label] = {
                "semantic": report.modes["semantic"]["mrr@10"],
                "default": report.modes["hybrid"]["mrr@10"],
                "shares": {f"{row['fusion']['cross_language']:g}": row["metrics"]["mrr@10"] for row in report.sweep},
            }
        grid[f"{strength:g}"] = cell
        print(f"{code} at {strength:g}: " + tradeoff_line(cell, labels), flush=True)
    return {"rows": list(labels), "strengths": grid}


def tradeoff_line(cell: dict[str, Any], labels: tuple[str, str]) -> str:
    own, across = (cell[label] for label in labels)
    return "  ".join(f"{share} {own['shares'][share]:.4f}/{across['shares'][share]:.4f}" for share in own["shares"])


def tradeoff_table(code: str, result: dict[str, Any]) -> str:
    """One query language's grid in Markdown: a row per centering strength, a column per share."""
    own, across = result["rows"]
    shares = list(next(iter(result["strengths"].values()))[own]["shares"])
    lines = [
        f"{code}: {own} / {across}, hybrid MRR@10 (semantic alone in the second column)",
        "| centering | semantic | " + " | ".join(shares) + " |",
        "|---|---|" + "---|" * len(shares),
    ]
    for strength, cell in result["strengths"].items():
        semantic = f"{cell[own]['semantic']:.4f} / {cell[across]['semantic']:.4f}"
        values = " | ".join(f"{cell[own]['shares'][s]:.4f} / {cell[across]['shares'][s]:.4f}" for s in shares)
        lines.append(f"| {strength} | {semantic} | {values} |")
    return "\n".join(lines)


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, default=Path(__file__).resolve().parent / ".work")
    parser.add_argument("--languages", nargs="+", choices=list(GRID), default=list(GRID))
    args = parser.parse_args()
    folder = eval_dir()
    for name in SETS:
        for file in ("corpus.jsonl", "queries.jsonl", "qrels.tsv"):
            require_eval(f"retrieval/{name}/{file}")
        try:
            translated_queries(name, folder)
        except CrosslingualDataError as exc:
            fail(str(exc))
    started = time.perf_counter()
    single = {name: args.work_dir / f"{name}-{LANGUAGE_MODEL}" for name in SETS}
    for name, index in single.items():
        build(index, folder / "retrieval" / name / "corpus.jsonl", LANGUAGE_MODEL, "snowball")
    mixed = args.work_dir / f"{MIXED}-{LANGUAGE_MODEL}"
    build_mixed_index(mixed, folder, list(single.values()))
    results: dict[str, Any] = {
        "benchmark": "language-tradeoff",
        "machine": machine(),
        "model": LANGUAGE_MODEL,
        "fusion": asdict(FusionSettings()),
        "defaults": {
            "centering_strength": dict(languages.CENTERING_STRENGTH),
            "cross_language_share": dict(CROSS_LANGUAGE_SHARE),
            "other_languages": {"centering_strength": 1.0, "cross_language_share": DEFAULT_CROSS_LANGUAGE},
        },
        "languages": {},
    }
    for code in args.languages:
        results["languages"][code] = language_grid(mixed, code)
        print(tradeoff_table(code, results["languages"][code]), flush=True)
    results["seconds"] = round(time.perf_counter() - started, 1)
    print(f"results written to {write_result('language-tradeoff', results)}")


if __name__ == "__main__":
    main()
