"""Human-readable output for the terminal: compact, scannable, coloured only on a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import typer

from index.article import Article
from search.hits import Hit
from search.snippets import term_spans


def render_hits(hits: Sequence[Hit], terms: Sequence[str], *, color: bool) -> str:
    if not hits:
        return "No matching articles."
    blocks = []
    for hit in hits:
        title = typer.style(hit.title, bold=True) if color else hit.title
        meta = " · ".join(part for part in (hit.site, hit.published, hit.author, hit.lang) if part)
        lines = [f"{hit.rank:>2}. {title}"]
        if meta:
            lines.append(f"    {_dim(meta, color)}")
        if hit.url:
            lines.append(f"    {_dim(hit.url, color)}")
        snippet = _highlight(hit.snippet, terms, color)
        lines.extend(
            textwrap.wrap(snippet, width=100, initial_indent="    ", subsequent_indent="    ")
            if not color
            else [f"    {snippet}"]
        )
        lines.append(f"    {_dim('id ' + hit.id, color)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_article(article: Article, *, color: bool) -> str:
    title = typer.style(article.display_title, bold=True) if color else article.display_title
    rows = [
        ("id", article.id),
        ("url", article.url),
        ("published", article.published),
        ("author", article.author),
        ("site", article.site),
        ("language", article.lang),
        ("source", article.source),
    ]
    meta = "\n".join(f"{_dim(f'{key:<10}', color)}{value}" for key, value in rows if value)
    body = "\n\n".join(textwrap.fill(par, width=100) for par in article.text.split("\n"))
    return f"{title}\n{meta}\n\n{body}"


def render_stats(stats: dict[str, Any]) -> str:
    size_mb = stats["size_bytes"] / 2**20
    lines = [
        f"index      {stats['index']}",
        f"articles   {stats['articles']}",
        f"model      {stats['model']} ({stats['dim']}-d, embeds {stats['embedded_text']})",
        f"analysis   {stats['analysis']}",
        f"size       {size_mb:.1f} MB",
        f"languages  {_counts(stats['languages'])}",
        f"skipped    {_counts(stats['skipped']) or 'none'}",
        f"updated    {stats['updated']}",
    ]
    if stats.get("pending_changes"):
        lines.append(f"pending    {stats['pending_changes']} changes not yet in both indexes: run `news-search index` to finish")
    return "\n".join(lines)


def render_report(report: dict[str, Any]) -> str:
    skipped = _counts(report["skipped"])
    return (
        f"{report['pages']} pages read in {report['seconds']:.1f} s: {report['added']} added, {report['updated']} updated, "
        f"{report['unchanged']} unchanged, {sum(report['skipped'].values())} skipped" + (f" ({skipped})" if skipped else "")
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def _dim(text: str, color: bool) -> str:
    return typer.style(text, dim=True) if color else text


def _highlight(snippet: str, terms: Sequence[str], color: bool) -> str:
    if not color:
        return snippet
    out, last = [], 0
    for start, end in term_spans(snippet, terms):
        out.append(snippet[last:start])
        out.append(typer.style(snippet[start:end], fg=typer.colors.YELLOW, bold=True))
        last = end
    out.append(snippet[last:])
    return "".join(out)
