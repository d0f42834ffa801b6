"""The writing commands and the index's summary: ``index`` (add pages, or ``--rebuild``), ``remove`` and ``stats``.

``index`` and ``remove`` open an ``Indexer`` (imported inside the command, with the backend, so that
``--help`` loads neither); ``stats`` reads through ``NewsSearch``.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from search.cli.exit_codes import INTERRUPTED
from search.cli.options import IndexOption, JsonOption, PlainUsageError, fail, index_dir, print_json


class Analysis(StrEnum):
    snowball = "snowball"
    plain = "plain"


def index_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders: HTML (.html, .htm, also .gz), WARC, JSONL, .txt clippings.", show_default=False),
    ] = [],  # noqa: B006
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="Embedding model for a new index: a sentence-transformers name or local path, or hashing-N."
        ),
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-derive both indexes from the stored articles first.")] = False,
    analysis: Annotated[
        Analysis | None,
        typer.Option(
            "--analysis", help="Keyword analysis for a new index (or with --rebuild): snowball stemming by language, or plain."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Extraction processes (default: cores - 1, at most 4; 0: none).")
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="Extract and embed on a Ray cluster: its address, or auto (the one this machine is in). "
            "Needs news-search[ray] on every node.",
        ),
    ] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build or update the index from saved pages. Re-running it is safe: unchanged pages are skipped.

    Interrupted (even killed)? Run the same command again: committed work is kept, the rest is done.
    """
    from index.analysis import DEFAULT_ANALYSIS
    from index.ingest.indexer import Indexer
    from search.cli.render import render_report

    if not paths and not rebuild:
        raise PlainUsageError("give one or more files or folders to index (or --rebuild)")
    show_progress = not quiet and not as_json and sys.stderr.isatty()
    if not quiet:
        show_library_notices()  # e.g. the one-time preparation of the default model

    if ray is not None and rebuild:
        raise PlainUsageError("--ray ingests pages; --rebuild re-derives the indexes here, from the stored articles")
    if ray is not None:
        from index.ingest.ray.cluster import connect

        connect(ray)  # before the index is opened: no extra, or no cluster there, is said at once
    chosen = analysis.value if analysis else None
    rebuilt: dict[str, Any] | None = None
    # take_over: with --rebuild, an index of another format version is taken over (its store kept).
    opened = Indexer(
        index_dir(index), model=model, analysis=chosen or DEFAULT_ANALYSIS, workers=workers, take_over=rebuild, ray=ray
    )
    with opened as indexer:
        if rebuild:
            started = time.perf_counter()
            articles = indexer.rebuild(chosen)
            rebuilt = {
                "articles": articles,
                "analysis": indexer.info.analysis,
                "seconds": round(time.perf_counter() - started, 3),
            }
        else:
            indexer.repair()  # what a crash or a lost manifest left: running the same command again finishes it
            if chosen and chosen != indexer.info.analysis:
                raise PlainUsageError(f"this index uses {indexer.info.analysis!r} analysis: add --rebuild to change it")
        try:
            if show_progress:
                from search.cli.progress import IngestProgressBar

                with IngestProgressBar() as bar:
                    report = indexer.add(paths, progress=bar)
            else:
                report = indexer.add(paths)
        except KeyboardInterrupt:
            fail("interrupted: the batches committed so far are kept; run the same command again to finish", INTERRUPTED)
    summary = report.to_dict()
    if rebuilt is not None:
        summary["rebuilt"] = rebuilt
    if as_json:
        print_json(summary)
    elif not quiet:
        typer.echo(render_report(summary))
        if "ray" in summary:
            typer.echo(_render_nodes(summary["ray"]))


def _render_nodes(cluster: dict[str, Any]) -> str:
    """One line per node of a Ray ingest: what it extracted and embedded, and how fast."""
    lines = [f"on Ray at {cluster['address']}: {cluster['shipped_pages']} pages shipped to {cluster['nodes_at_start']} nodes"]
    for node in cluster["nodes"]:
        rate = f", {node['docs_per_s']} articles/s embedding on {node['device']}" if node["docs_per_s"] else ""
        lines.append(f"  {node['node']}: {node['pages']} pages extracted, {node['articles']} embedded{rate}")
    return "\n".join(lines)


def stats(index: IndexOption = None, as_json: JsonOption = False) -> None:
    """Show what the index holds: articles, model, size, languages, skipped pages (listed with --json)."""
    from search.cli.render import render_stats
    from search.facade import NewsSearch

    with NewsSearch(index_dir(index)) as engine:
        data = engine.stats(pages=as_json)
    if as_json:
        print_json(data)
    else:
        typer.echo(render_stats(data))


def remove(
    article_ids: Annotated[list[str], typer.Argument(metavar="ID...", help="Ids of the articles to delete.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete articles from the store and from both indexes."""
    from index.backends import require_index
    from index.errors import ArticleNotFoundError
    from index.ingest.indexer import Indexer

    directory = index_dir(index)
    require_index(directory)  # a clear error when there is no index, before creating anything
    with Indexer(directory) as indexer:
        removed = indexer.remove(article_ids)
    missing = list(dict.fromkeys(a for a in article_ids if a not in removed))
    if as_json:
        print_json({"removed": removed, "missing": missing})
    else:
        for article_id in removed:
            typer.echo(f"removed {article_id}")
    if missing:  # the known ones are removed; an unknown id is still an error, so a script notices the typo
        kept = f" ({len(removed)} other{'s' if len(removed) != 1 else ''} removed)" if removed else ""
        raise ArticleNotFoundError(f"no article with id {', '.join(missing)}{kept}")


def show_library_notices() -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("news-search: %(message)s"))
    library = logging.getLogger("index")
    library.addHandler(handler)
    library.setLevel(logging.INFO)
