"""Human-readable output for the terminal: compact, scannable, coloured only on a terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import typer

from index.article import Article
from search.results.hits import Hit, SearchResults
from search.results.snippets import term_spans


def render_results(results: SearchResults, *, color: bool, explain: bool = False) -> str:
    """A summary line (total, filter, page), the hits, and the facets when they were asked for."""
    pages = max(1, -(-results.total // results.limit))
    page = results.offset // results.limit + 1
    summary = [f"{results.total} result{'s' if results.total != 1 else ''}"]
    if results.filter:
        summary.append(results.filter)
    if results.sort == "date":
        summary.append("newest first")
    summary.append(f"page {page} of {pages}")
    parts = [_dim(" · ".join(summary), color)]
    if results.hits or results.total == 0:
        parts.append(render_hits(results.hits, (), color=color, explain=explain))
    else:
        parts.append(f"No results on this page: the last page is {pages}.")
    if results.facets is not None:
        parts.append(render_facets(results.facets))
    return "\n\n".join(parts)


def render_group(articles: Sequence[Article]) -> str:
    """The members of a near-duplicate group, oldest first."""
    lines = [f"{len(articles)} article{'s' if len(articles) != 1 else ''} telling the same story:"]
    for article in articles:
        meta = " · ".join(part for part in (article.site, article.published, article.lang) if part)
        lines.append(f"  {article.id}  {article.display_title}" + (f"  ({meta})" if meta else ""))
        if article.url:
            lines.append(f"  {' ' * len(article.id)}  {article.url}")
    return "\n".join(lines)


def render_facets(facets: dict[str, dict[str, int]]) -> str:
    lines = ["Facets (whole result set):"]
    for name, counts in facets.items():
        lines.append(f"  {name:<6} " + ", ".join(f"{key} {value}" for key, value in counts.items()))
    return "\n".join(lines)


def render_hits(hits: Sequence[Hit], terms: Sequence[str], *, color: bool, explain: bool = False) -> str:
    """Hits as blocks; query words are highlighted from each hit's own spans (or from ``terms`` when it has none)."""
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
        spans = hit.highlights or list(term_spans(hit.snippet, terms))
        snippet = _highlight(hit.snippet, spans, color)
        lines.extend(
            textwrap.wrap(snippet, width=100, initial_indent="    ", subsequent_indent="    ")
            if not color
            else [f"    {snippet}"]
        )
        if explain:
            lines.append(f"    {_dim(explain_line(hit), color)}")
        copies = f" · +{hit.similar_count} near-identical (news-search group {hit.id})" if hit.similar_count else ""
        lines.append(f"    {_dim('id ' + hit.id + copies, color)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def explain_line(hit: Hit) -> str:
    """keyword #rank (score) · semantic #rank (score) · fusion shares · boost · final score."""

    def side(name: str, rank: int | None, score: float | None) -> str:
        return f"{name} #{rank} ({score:.3f})" if rank is not None and score is not None else f"{name} -"

    parts = [side("keyword", hit.keyword_rank, hit.keyword_score), side("semantic", hit.semantic_rank, hit.semantic_score)]
    if hit.keyword_contribution is not None and hit.semantic_contribution is not None:
        parts.append(f"fusion {hit.keyword_contribution:+.3f} keyword {hit.semantic_contribution:+.3f} semantic")
    parts.append(f"recency boost {hit.recency_boost:+.3f}")
    parts.append(f"score {hit.score:.4f}")
    return "explain: " + " · ".join(parts)


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
    ) + (f"; {report['near_duplicates']} grouped with a near-identical article" if report.get("near_duplicates") else "")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items())


def _dim(text: str, color: bool) -> str:
    return typer.style(text, dim=True) if color else text


def _highlight(snippet: str, spans: Sequence[tuple[int, int]], color: bool) -> str:
    if not color:
        return snippet
    out, last = [], 0
    for start, end in spans:
        out.append(snippet[last:start])
        out.append(typer.style(snippet[start:end], fg=typer.colors.YELLOW, bold=True))
        last = end
    out.append(snippet[last:])
    return "".join(out)
