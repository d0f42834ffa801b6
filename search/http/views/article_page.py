"""The article view and the "more like this" page, gathered on the engine's thread."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.article import Article
from search.facade import NewsSearch
from search.http.views.form import SearchForm, api_limits
from search.http.views.group_page import by_publication
from search.http.views.hits import HitView, hit_view, language_tag
from search.http.views.links import api_article_path, article_path, group_path, similar_path, web_href
from search.http.views.pages import Pagination, pagination
from search.http.views.provenance import Provenance, provenance_of
from search.http.views.snippets import paragraphs

SIMILAR_SHOWN = 5  # on the article view; the similar page pages through the rest


@dataclass(frozen=True)
class CopyLink:
    title: str
    href: str
    site: str | None
    date: str | None
    current: bool


@dataclass
class ArticlePage:
    article: Article
    title: str
    lang: str | None
    paragraphs: list[str]
    url_href: str | None
    provenance: Provenance
    notes: list[str]
    copies: list[CopyLink]
    group_href: str | None
    similar: list[HitView]
    similar_total: int
    similar_href: str
    json_href: str


@dataclass
class SimilarPage:
    article: Article
    title: str
    href: str
    hits: list[HitView] = field(default_factory=list)
    total: int = 0
    notes: list[str] = field(default_factory=list)
    pages: Pagination | None = None


def article_page(ns: NewsSearch, article_id: str) -> ArticlePage:
    article = ns.get(article_id)
    members = by_publication(ns.group_members(article.id))
    related = ns.similar_results(article.id, limit=SIMILAR_SHOWN)
    # Notes are kept per source, not with the article: the few noted pages are scanned for its own.
    notes = [
        f"{n['note']}: {n['detail']}" if n["detail"] else n["note"] for n in ns.noted_pages() if n["source"] == article.source
    ]
    copies = [
        CopyLink(m.display_title, article_path(m.id), m.site, m.published, m.id == article.id) for m in members
    ]  # fmt: skip
    return ArticlePage(
        article=article, title=article.display_title, lang=language_tag(article.lang), paragraphs=paragraphs(article.text),
        url_href=web_href(article.url), provenance=provenance_of(article.source), notes=notes,
        copies=copies if len(copies) > 1 else [], group_href=group_path(article.id) if len(copies) > 1 else None,
        similar=[hit_view(hit) for hit in related], similar_total=related.total, similar_href=similar_path(article.id),
        json_href=api_article_path(article.id),
    )  # fmt: skip


def similar_page(ns: NewsSearch, article_id: str, form: SearchForm) -> SimilarPage:
    article = ns.get(article_id)
    results = ns.similar_results(
        article.id, limit=form.limit, offset=form.offset, since=form.since or None, until=form.until or None,
        site=list(form.site) or None, lang=list(form.lang) or None, author=list(form.author) or None,
    )  # fmt: skip
    path = similar_path(article.id)
    return SimilarPage(
        article=article, title=article.display_title, href=article_path(article.id),
        hits=[hit_view(hit) for hit in results], total=results.total, notes=list(results.notes),
        pages=pagination(results.total, form.page, form.limit, api_limits().offset,
                         lambda number: form.changed(q="", mode="hybrid", sort="relevance", page=number).url(path)),
    )  # fmt: skip
