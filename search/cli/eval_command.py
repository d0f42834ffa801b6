"""The ``eval`` command: relevance on judged queries (MRR@10, nDCG@10, recall) per mode, optionally a
sweep of fusion settings; the measuring itself is ``search.evaluate``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from search.cli.options import (
    DEFAULT_FUSION,
    AlphaOption,
    FusionMethod,
    FusionOption,
    IndexOption,
    JsonOption,
    Normalization,
    NormalizationOption,
    RrfKOption,
    fusion_settings,
    index_dir,
    print_json,
)
from search.ranking.recency import RecencySettings


def eval_command(
    queries: Annotated[
        Path, typer.Option("--queries", help="Queries, JSONL with 'id' (or BEIR's '_id') and 'text'.", show_default=False)
    ],
    qrels: Annotated[
        Path,
        typer.Option(
            "--qrels", help="Judgments, TSV: query_id, doc_id, relevance (BEIR's header line allowed).", show_default=False
        ),
    ],
    sweep: Annotated[
        bool, typer.Option("--sweep", help="Also try fusion settings (method, k, alpha, normalization, depth).")
    ] = False,
    fusion: FusionOption = FusionMethod(DEFAULT_FUSION.method),
    rrf_k: RrfKOption = DEFAULT_FUSION.rrf_k,
    alpha: AlphaOption = DEFAULT_FUSION.alpha,
    normalization: NormalizationOption = Normalization(DEFAULT_FUSION.normalization),
    recency: Annotated[
        float, typer.Option("--recency", min=0.0, help="Recency weight to compare with the boost off (the default).")
    ] = 0.2,
    half_life: Annotated[float, typer.Option("--half-life", min=1.0, help="Days after which the boost is halved.")] = 365.0,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Measure relevance on judged queries: MRR@10, nDCG@10, recall@1/10/100 per mode, and hybrid with recency off and on."""
    from search.evaluate import evaluate, load_qrels, load_queries, missing_warning, render_report
    from search.facade import NewsSearch

    query_texts, judgments = load_queries(queries), load_qrels(qrels)
    show_progress = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rretrieving: {done}/{total} queries ")
        sys.stderr.flush()
        if done == total:
            sys.stderr.write("\n")

    settings = fusion_settings(fusion, rrf_k, alpha, normalization)
    with NewsSearch(index_dir(index), fusion=settings) as engine:
        report = evaluate(
            engine,
            query_texts,
            judgments,
            sweep=sweep,
            progress=progress if show_progress else None,
            recency=RecencySettings(weight=recency, half_life_days=half_life),
        )
    if as_json:
        # The count is in the JSON ("missing"); stderr says it too, for whoever only watches the run.
        if warning := missing_warning(report):
            typer.echo(f"news-search: {warning}", err=True)
        print_json(report.to_dict())
    else:
        typer.echo(render_report(report))
