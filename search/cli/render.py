"""Human-readable output for the terminal: compact, scannable, coloured only on a terminal."""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import typer

from index.article import Article
from search.results.hits import Hit, SearchResults
from search.results.snippets import term_spans

INDENT = "    "  # under a hit's rank: its metadata, URL, snippet and explanation
PIPED_WIDTH = 100
MIN_WIDTH = 40  # narrower than this, wrapping would do more harm than good


def render_results(results: SearchResults, *, color: bool, explain: bool = False) -> str:
    """A summary line (total, filter, page), the hits, and the facets when they were asked for."""
    pages = max(1, -(-results.total // results.limit))
    page = results.offset // results.limit + 1
    summary = [f"{results.total} result{'s' if results.total != 1 else ''}"]
    if results.filter:
        summary.append(results.filter)
    if results.sort == "date":
        summary.append("newest first")
    if results.offset % results.limit:  # an --offset between pages: say which ranks these are
        last = results.offset + max(1, len(results.hits))
        summary.append(f"results {results.offset + 1}-{last}" if len(results.hits) > 1 else f"result {last}")
    else:
        summary.append(f"page {page} of {pages}")
    parts = [_dim(" · ".join(summary), color)]
    if results.hits or results.total == 0:
        parts.append(render_hits(results.hits, (), color=color, explain=explain))
    else:
        parts.append(f"No results on this page: the last page is {pages}.")
    if results.facets is not None:
        parts.append(render_facets(results.facets))
    if results.notes:
        parts.append("\n".join(f"note: {note}" for note in results.notes))
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
    width = output_width()
    blocks = []
    for hit in hits:
        meta = " · ".join(part for part in (hit.site, hit.published, hit.author, hit.lang) if part)
        lines = _wrap(hit.title, width, f"{hit.rank:>2}. ", (), lambda line: typer.style(line, bold=True) if color else line)
        if meta:
            lines.extend(_wrap(meta, width, INDENT, (), lambda line: _dim(line, color)))
        if hit.url:
            lines.append(f"{INDENT}{_dim(hit.url, color)}")  # never broken: it must stay copyable
        spans = hit.highlights or list(term_spans(hit.snippet, terms))
        lines.extend(_wrap(hit.snippet, width, INDENT, spans, lambda line: line, color=color))
        if explain:
            lines.append(f"{INDENT}{_dim(explain_line(hit), color)}")  # one line per hit, for grep
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
    if hit.semantic_centering:
        parts.append(hit.semantic_centering)
    if hit.cross_language:
        parts.append(hit.cross_language)
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
    width = output_width()
    body = "\n\n".join(textwrap.fill(par, width=width) for par in article.text.split("\n"))
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
        f"vectors    {_centering(stats.get('centered_languages') or [])}",
        f"skipped    {_counts(stats['skipped']) or 'none'}",
        *([f"noted      {_counts(stats['notes'])} (kept; `news-search stats --json` lists them)"] if stats.get("notes") else []),
        f"updated    {stats['updated']}",
    ]
    if stats.get("pending_changes"):
        lines.append(f"pending    {stats['pending_changes']} changes not yet in both indexes: run `news-search index` to finish")
    lines.extend(f"problem    {problem}" for problem in stats.get("problems", ()))
    return "\n".join(lines)


def _centering(languages: list[str]) -> str:
    if len(languages) < 2:
        return "as embedded (centered once two languages have 100 articles each)"
    return f"centered per language ({', '.join(languages)}; other languages on the mean of their means)"


def render_report(report: dict[str, Any]) -> str:
    """What an ingest did; after ``--rebuild``, what was rebuilt first (and the ingest only if it read pages)."""
    lines = []
    rebuilt = report.get("rebuilt")
    if rebuilt is not None:
        articles = rebuilt["articles"]
        lines.append(
            f"rebuilt the keyword and vector indexes ({rebuilt['analysis']} analysis) from {articles} stored "
            f"article{'s' if articles != 1 else ''} in {rebuilt['seconds']:.1f} s"
        )
        if not report["pages"]:
            return lines[0]
    skipped = _counts(report["skipped"])
    lines.append(
        (
            f"{report['pages']} pages read in {report['seconds']:.1f} s: {report['added']} added, {report['updated']} updated, "
            f"{report['unchanged']} unchanged, {sum(report['skipped'].values())} skipped" + (f" ({skipped})" if skipped else "")
        )
        + (f"; {report['near_duplicates']} grouped with a near-identical article" if report.get("near_duplicates") else "")
        + (f"; {sum(notes.values())} kept with a note ({_counts(notes)})" if (notes := report.get("notes")) else "")
    )
    return "\n".join(lines)


def output_width() -> int:
    """Columns to wrap to: the terminal's (``COLUMNS`` first, as shutil reads it), 100 when piped.

    Piped output keeps a fixed width so that what scripts read does not depend on where they run.
    """
    return max(MIN_WIDTH, shutil.get_terminal_size((PIPED_WIDTH, 24)).columns)


def _wrap(
    text: str,
    width: int,
    indent: str,
    spans: Sequence[tuple[int, int]],
    style: Callable[[str], str],
    *,
    color: bool = False,
) -> list[str]:
    """``text`` in lines of at most ``width`` columns, the first after ``indent`` and the rest under it.

    Wrapped on the plain text, then styled line by line (``style``; highlighted ``spans`` when
    ``color``), so colour codes never count as columns and a highlight split by a line break is
    highlighted on both lines. A word longer than a line gets a line of its own, unbroken.
    """
    room = max(1, width - len(indent))
    lines: list[tuple[int, int]] = []
    for word in re.finditer(r"\S+", text):
        if lines and word.end() - lines[-1][0] <= room:
            lines[-1] = (lines[-1][0], word.end())
        else:
            lines.append((word.start(), word.end()))
    pad = " " * len(indent)
    out = []
    for number, (start, end) in enumerate(lines):
        line = re.sub(r"\s", " ", text[start:end])  # one character for one: the spans still apply
        if color and spans:
            local = [(max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start]
            line = _highlight(line, local, color)
        out.append((indent if number == 0 else pad) + style(line))
    return out or [indent.rstrip()]


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
