"""Snippets with the query's words marked: the text is escaped first, then the marks are put around
the escaped pieces, so no character of an archived page ever becomes markup."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


def marked(text: str, spans: Iterable[tuple[int, int]]) -> Markup:
    """``text`` as HTML with each ``(start, end)`` character span in ``<mark>``.

    Spans out of range or overlapping an earlier one are clipped, not trusted: they come from the
    snippet code, but the text they index comes from the archive.
    """
    parts: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        parts.append(escape(text[position:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def paragraphs(text: str) -> list[str]:
    """An article's text as paragraphs (extraction puts one per line; blank lines are no paragraph)."""
    return [line.strip() for line in text.splitlines() if line.strip()]
