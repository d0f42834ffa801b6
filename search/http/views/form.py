"""The search page's state: every choice lives in the URL's query, so a link reproduces the search.

``parse_form`` reads and bounds the query parameters (the JSON API's names and limits, so a page
and ``/api/search`` refuse the same things), ``SearchForm.url`` writes a state back as a link, and
``SearchForm.library_query`` says what the library is asked when only filters are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal, cast, get_args
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from index.backends.filters import date_bound
from search.arguments import InvalidArgumentError
from search.http.limits import MAX_FILTER_VALUES, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS
from search.ranking.pipeline import MODES, SORTS, Mode, Sort

Interval = Literal["day", "week", "month"]
INTERVALS: tuple[str, ...] = get_args(Interval)
DEFAULT_LIMIT = 10
# A site, language or author value longer than this is no name (the API leaves it to the library;
# here it would also be echoed into every link of the page).
MAX_FILTER_CHARS = 200
_TRUE = ("1", "true", "on", "yes")
_FALSE = ("", "0", "false", "off", "no")
_DATE_SHAPE = re.compile(r"^\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?$")


@dataclass(frozen=True)
class Limits:
    """The bounds a page request is held to (``search.http.limits``, as the JSON API's)."""

    query_chars: int
    limit: int
    offset: int
    filter_values: int


def api_limits() -> Limits:
    return Limits(MAX_QUERY_CHARS, MAX_LIMIT, MAX_OFFSET, MAX_FILTER_VALUES)


@dataclass(frozen=True)
class SearchForm:
    """One state of the search page (the defaults are those of ``/api/search``)."""

    q: str = ""
    mode: Mode = "hybrid"
    since: str = ""
    until: str = ""
    site: tuple[str, ...] = ()
    lang: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    sort: Sort = "relevance"
    page: int = 1
    limit: int = DEFAULT_LIMIT
    all_copies: bool = False
    interval: Interval | None = None  # None: chosen from the span of the results

    @property
    def filtered(self) -> bool:
        return bool(self.since or self.until or self.site or self.lang or self.author)

    @property
    def empty(self) -> bool:
        """Nothing asked: the page shows the form and what the index holds."""
        return not self.q and not self.filtered

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def changed(self, **changes: object) -> SearchForm:
        """This state with ``changes``; back to page 1 unless a page is given (another result set)."""
        changes.setdefault("page", 1)
        return replace(self, **changes)  # type: ignore[arg-type]

    def pairs(self) -> list[tuple[str, str]]:
        """The query parameters of this state, defaults left out, in a fixed order."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        if self.mode != "hybrid":
            pairs.append(("mode", self.mode))
        pairs += [(name, value) for name, value in (("since", self.since), ("until", self.until)) if value]
        pairs += [("site", v) for v in self.site] + [("lang", v) for v in self.lang] + [("author", v) for v in self.author]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.limit != DEFAULT_LIMIT:
            pairs.append(("limit", str(self.limit)))
        if self.all_copies:
            pairs.append(("all_copies", "1"))
        if self.interval:
            pairs.append(("interval", self.interval))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def url(self, path: str = "/") -> str:
        query = urlencode(self.pairs())
        return f"{path}?{query}" if query else path

    def library_query(self) -> str:
        """The query the library is given: ``q``, or, when only filters are given, one of those filters
        written in query syntax (the library takes a query of filters only as browsing, newest
        first; the same filter passed again as an option changes nothing: dates intersect, values
        are a set)."""
        if self.q:
            return self.q
        if self.since:
            return f"since:{self.since}"  # shape checked by parse_form: no spaces, no quotes
        if self.until:
            return f"until:{self.until}"
        for name, values in (("lang", self.lang), ("site", self.site), ("author", self.author)):
            for value in values:
                if '"' not in value:
                    return f'{name}:"{value}"'
        raise InvalidArgumentError('a filter value with a double quote (") cannot be browsed on its own: add a query or a date')

    def search_arguments(self) -> dict[str, object]:
        """The filter and mode keyword arguments shared by ``search_results``, ``timeline`` and the export."""
        return {
            "mode": self.mode,
            "since": self.since or None,
            "until": self.until or None,
            "site": list(self.site) or None,
            "lang": list(self.lang) or None,
            "author": list(self.author) or None,
        }


def parse_form(params: QueryParams, limits: Limits | None = None) -> SearchForm:
    """The state in ``params``, or ``InvalidArgumentError`` / ``QuerySyntaxError`` naming the parameter.

    Empty values (a form submitted with blank fields) are left out; unknown parameters are ignored.
    """
    limits = limits or api_limits()
    q = (params.get("q") or "").strip()
    if len(q) > limits.query_chars:
        raise InvalidArgumentError(f"q: the query has {len(q)} characters; at most {limits.query_chars} are searched")
    mode = _choice(params, "mode", MODES, "hybrid")
    sort = _choice(params, "sort", SORTS, "relevance")
    interval = _choice(params, "interval", INTERVALS, "") or None
    limit = _integer(params, "limit", DEFAULT_LIMIT, 1, limits.limit)
    page = _integer(params, "page", 1, 1, None)
    if (page - 1) * limit > limits.offset:
        raise InvalidArgumentError(
            f"page: page {page} starts at result {(page - 1) * limit + 1}: results past {limits.offset} cannot be paged to"
        )
    since, until = _date(params, "since"), _date(params, "until")
    if since and until and date_bound(since, end=False) > date_bound(until, end=True):
        raise InvalidArgumentError(f"since: the date range is empty: since {since} is after until {until}")
    return SearchForm(
        q=q, mode=cast(Mode, mode), since=since, until=until, site=_values(params, "site", limits),
        lang=_values(params, "lang", limits), author=_values(params, "author", limits), sort=cast(Sort, sort), page=page,
        limit=limit, all_copies=_flag(params, "all_copies"), interval=cast(Interval | None, interval),
    )  # fmt: skip


def _choice(params: QueryParams, name: str, choices: tuple[str, ...], default: str) -> str:
    value = (params.get(name) or "").strip()
    if not value:
        return default
    if value not in choices:
        raise InvalidArgumentError(f"{name}: {value[:40]!r} is not one of {', '.join(choices)}")
    return value


def _integer(params: QueryParams, name: str, default: int, low: int, high: int | None) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise InvalidArgumentError(f"{name}: {raw[:40]!r} is not a whole number")
    value = int(raw)
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise InvalidArgumentError(f"{name}: must be {bound} (got {value})")
    return value


def _date(params: QueryParams, name: str) -> str:
    value = (params.get(name) or "").strip()
    if not value:
        return ""
    if len(value) > 10 or not _DATE_SHAPE.match(value):
        raise InvalidArgumentError(f"{name}: not a date: {value[:40]!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    date_bound(value, end=name == "until")  # an impossible day (2023-02-30) is a QuerySyntaxError, as in the API
    return value


def _values(params: QueryParams, name: str, limits: Limits) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(v.strip() for v in params.getlist(name) if v.strip()))
    if len(values) > limits.filter_values:
        raise InvalidArgumentError(f"{name}: at most {limits.filter_values} values (got {len(values)})")
    for value in values:
        if len(value) > MAX_FILTER_CHARS:
            raise InvalidArgumentError(f"{name}: a value has {len(value)} characters; at most {MAX_FILTER_CHARS}")
    return values


def _flag(params: QueryParams, name: str) -> bool:
    value = (params.get(name) or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidArgumentError(f"{name}: {value[:40]!r} is not 1 or 0")
