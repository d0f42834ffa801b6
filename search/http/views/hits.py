"""A result as the page shows it: links built, the snippet escaped and marked, the URL linked only if safe."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from search.http.views.links import article_path, group_path, similar_path, web_href
from search.http.views.snippets import marked
from search.results.hits import Hit

# A language code as the lang attribute takes it (BCP 47 shape); anything else is left off.
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
UNTITLED = "(untitled)"


@dataclass(frozen=True)
class HitView:
    rank: int
    id: str
    title: str
    href: str
    site: str | None
    date: str | None
    author: str | None
    lang: str | None  # a valid language tag or None
    snippet: Markup
    copies: int
    group_href: str | None
    similar_href: str
    url: str | None
    url_href: str | None  # None: the URL is shown as text, never as a link


def hit_view(hit: Hit) -> HitView:
    return HitView(
        rank=hit.rank,
        id=hit.id,
        title=hit.title.strip() or _lead(hit.snippet),
        href=article_path(hit.id),
        site=hit.site,
        date=hit.published,
        author=hit.author,
        lang=language_tag(hit.lang),
        snippet=marked(hit.snippet, hit.highlights),
        copies=hit.similar_count,
        group_href=group_path(hit.id) if hit.similar_count else None,
        similar_href=similar_path(hit.id),
        url=hit.url,
        url_href=web_href(hit.url),
    )


def language_tag(lang: str | None) -> str | None:
    return lang if lang and _LANG.match(lang) else None


def _lead(text: str) -> str:
    words = text.split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "") if words else UNTITLED
