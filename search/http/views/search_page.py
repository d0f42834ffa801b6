"""What the search page shows for one state of the form, gathered on the engine's thread in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from search.arguments import InvalidArgumentError
from search.facade import NewsSearch
from search.http.views.facets import ActiveFilter, Facet, active_filters, facet_lists
from search.http.views.form import SearchForm, api_limits
from search.http.views.hits import HitView, hit_view
from search.http.views.pages import Pagination, pagination
from search.http.views.timeline import Chart, chart

EXPORT_FORMATS = ("csv", "jsonl")
# The most bars a chart draws (the library allows far more periods than a page can show usefully).
MAX_BARS = 400


@dataclass(frozen=True)
class Summary:
    """What the index holds, for the page before any search."""

    articles: int
    languages: list[tuple[str, int, str]]  # code, count, link to browse it
    updated: str | None
    model: str | None


@dataclass
class SearchPage:
    form: SearchForm
    summary: Summary | None = None
    total: int = 0
    sort: str = "relevance"
    browsing: bool = False  # filters only: newest first
    hits: list[HitView] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    active: list[ActiveFilter] = field(default_factory=list)
    chart: Chart | None = None
    chart_note: str | None = None
    pages: Pagination | None = None
    exports: dict[str, str] = field(default_factory=dict)
    intervals: list[tuple[str, str, bool]] = field(default_factory=list)  # name, link, current


def search_page(ns: NewsSearch, form: SearchForm) -> SearchPage:
    if form.empty:
        return SearchPage(form, summary=summary(ns.stats()))
    query = form.library_query()
    arguments: dict[str, Any] = form.search_arguments()
    results = ns.search_results(
        query, limit=form.limit, offset=form.offset, sort=form.sort, facets=True, collapse_copies=not form.all_copies,
        **arguments,
    )  # fmt: skip
    page = SearchPage(
        form, total=results.total, sort=results.sort, browsing=not form.q, hits=[hit_view(hit) for hit in results],
        notes=list(results.notes), facets=facet_lists(results.facets, form, SearchForm.url),
        active=active_filters(form, SearchForm.url),
    )  # fmt: skip
    try:
        timeline = ns.timeline(query, interval=form.interval or "auto", collapse_copies=not form.all_copies, **arguments)
    except InvalidArgumentError as error:  # too many periods at this interval: the page stands without the chart
        page.chart_note = str(error)
    else:
        drawn = timeline.to_dict()
        periods = len(drawn["periods"])
        if periods > MAX_BARS:  # each bar is a link: thousands would be a wall of tab stops
            page.chart_note = f"{periods} bars by {drawn['interval']} are too many to draw: choose a larger bar size"
        else:
            page.chart = chart(drawn, form, SearchForm.url)
        page.intervals = [
            (name, form.changed(interval=name, page=form.page).url(), name == drawn["interval"])
            for name in ("day", "week", "month")
        ]
    page.pages = pagination(
        results.total, form.page, form.limit, api_limits().offset, lambda number: form.changed(page=number).url()
    )
    page.exports = {fmt: export_url(form, fmt) for fmt in EXPORT_FORMATS}
    return page


def export_url(form: SearchForm, fmt: str) -> str:
    """``/api/export`` for the whole result set of this state (the library's query: filters only work too)."""
    pairs = [("format", fmt), ("q", form.library_query())]
    pairs += [(name, value) for name, value in form.pairs() if name in ("mode", "since", "until", "site", "lang", "author")]
    if form.sort != "relevance":
        pairs.append(("sort", form.sort))
    if form.all_copies:
        pairs.append(("all_copies", "true"))
    return "/api/export?" + urlencode(pairs)


def summary(stats: dict[str, Any]) -> Summary:
    languages = [
        (str(code), int(count), SearchForm(lang=(str(code),)).url())
        for code, count in sorted((stats.get("languages") or {}).items(), key=lambda item: (-int(item[1]), str(item[0])))
    ]
    return Summary(int(stats.get("articles") or 0), languages, stats.get("updated"), stats.get("model"))
