"""Checks at the library's public boundary (``NewsSearch``), so that a wrong argument is reported in
our words where it was passed, not as an ``AttributeError`` from deep inside the filters or SQLite.

The errors are ``NewsSearchError`` subclasses that are also the built-in ``TypeError`` /
``ValueError``, so callers may catch either; the CLI prints them as one line like every other error.
Also here: why a filter leaves nothing to search (``filter_notes``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from index.backends.filters import SearchFilter
from index.errors import NewsSearchError
from index.extract.language import normalize_language
from search.ranking.recency import RecencySettings
from search.results.export import check_fields

if TYPE_CHECKING:
    from index.backends.base import DocumentFacts, Snapshot

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")


class NewsSearchClosedError(NewsSearchError):
    """The ``NewsSearch`` was closed (``close()`` or the end of its ``with`` block)."""


class InvalidArgumentError(NewsSearchError, ValueError):
    """An argument of the right type with a value the library cannot use (``limit=0``, ``mode="fuzzy"``)."""


class ArgumentTypeError(NewsSearchError, TypeError):
    """An argument of the wrong type (``search(None)``, ``since=2023``, ``limit="3"``)."""


def requires_open(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """A ``NewsSearch`` method that refuses to run once the searcher is closed (its SQLite connection
    would otherwise raise ``sqlite3.ProgrammingError``, and the indexes are released)."""

    @functools.wraps(method)
    def checked(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(self, "_closed", False):
            raise NewsSearchClosedError("this NewsSearch is closed: open a new one (NewsSearch(index_dir)) to search again")
        return method(self, *args, **kwargs)

    return checked


def check_search(
    query: object,
    limit: object,
    mode: object,
    *,
    offset: object,
    since: object,
    until: object,
    site: object,
    lang: object,
    author: object,
    sort: object,
    recency: object,
    modes: Sequence[str],
    sorts: Sequence[str],
    flags: dict[str, object],
) -> RecencySettings | None:
    """Checks the arguments of ``search``/``search_results``; returns ``recency`` as settings (a bare
    number is the weight, as ``--recency`` is on the command line)."""
    _check_type("query", query, str, "a string")
    _check_page(limit, offset)
    _check_choice("mode", mode, modes)
    _check_choice("sort", sort, sorts)
    check_filters(since=since, until=until, site=site, lang=lang, author=author)
    for name, value in flags.items():
        _check_type(name, value, bool, "True or False")
    return recency_settings(recency)


def check_similar(
    article_id: object, limit: object, *, offset: object, since: object, until: object, site: object, lang: object, author: object
) -> None:
    check_article_id(article_id)
    _check_page(limit, offset)
    check_filters(since=since, until=until, site=site, lang=lang, author=author)


def check_article_id(article_id: object) -> None:
    _check_type("article_id", article_id, str, "an article id or URL (a string)")


def check_filters(*, since: object, until: object, site: object, lang: object, author: object) -> None:
    for name, value in (("since", since), ("until", until)):
        if value is not None:
            _check_type(name, value, str, "a date string: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
    for name, value in (("site", site), ("lang", lang), ("author", author)):
        if value is None or isinstance(value, str):
            continue
        # A collection, not any iterable: a generator would be used up here, before the filter reads it.
        if (
            isinstance(value, bytes | bytearray)
            or not isinstance(value, Collection)
            or not all(isinstance(v, str) for v in value)
        ):
            raise ArgumentTypeError(f"{name} must be a string or a list of strings, not {_shown(value)}")


def recency_settings(recency: object) -> RecencySettings | None:
    if recency is None or isinstance(recency, RecencySettings):
        return recency
    if isinstance(recency, bool) or not isinstance(recency, int | float):
        raise ArgumentTypeError(f"recency must be a weight (a number >= 0) or RecencySettings, not {_shown(recency)}")
    if not math.isfinite(recency) or recency < 0:
        raise InvalidArgumentError(f"the recency weight must be a finite number >= 0 (got {recency!r})")
    return RecencySettings(weight=float(recency))


def check_timeline(queries: object, interval: object, *, intervals: Sequence[str], most: int) -> list[str]:
    """The queries of ``timeline`` as a list (one string is one query), checked with its interval."""
    texts = [queries] if isinstance(queries, str) else list(queries) if isinstance(queries, (list, tuple)) else None
    if texts is None or not all(isinstance(text, str) for text in texts):
        raise ArgumentTypeError(f"queries must be a string or a list of strings, not {_shown(queries)}")
    if not texts or len(texts) > most:
        raise InvalidArgumentError(f"a timeline compares 1 to {most} queries, not {len(texts)}")
    _check_choice("interval", interval, intervals)
    return texts


def check_export(fields: Sequence[str] | None, max_rows: object, *, most: int) -> tuple[str, ...]:
    """The fields of an export (``search.results.export``), checked with its row bound."""
    if not isinstance(max_rows, int) or isinstance(max_rows, bool) or not 1 <= max_rows <= most:
        raise InvalidArgumentError(f"max_rows must be 1 to {most}, not {max_rows!r}")
    try:
        return check_fields(fields)
    except ValueError as error:
        raise InvalidArgumentError(str(error)) from None


def empty_filter_notes(snapshot: Snapshot, wanted: SearchFilter, total: int) -> list[str]:
    """When nothing was found under a filter: which part of it no stored article passes, and what there is."""
    return filter_notes(snapshot, wanted) if total == 0 and wanted.active else []


def filter_notes(snapshot: Snapshot, wanted: SearchFilter) -> list[str]:
    """Each part of ``wanted`` that no stored article passes, said with what the index holds instead;
    or, when every part passes some article, that no article passes them all together.

    Empty when some article passes the whole filter (then it is the query that matched nothing).
    Reads every article's metadata for the lists, so it is meant for the empty-result case only.
    """
    if not wanted.active or snapshot.resolve_filter(wanted):
        return []
    notes: list[str] = []
    for lang in wanted.langs:
        if not snapshot.resolve_filter(SearchFilter(langs=(lang,))):
            notes.append(f"no article has language {lang!r}; the index holds: {_counts(snapshot.languages())}")
    facts: list[DocumentFacts] | None = None
    for site in wanted.sites:
        if not snapshot.resolve_filter(SearchFilter(sites=(site,))):
            facts = facts or list(snapshot.facts(snapshot.documents()).values())
            sites: dict[str, int] = {}
            for fact in facts:
                sites[fact.site or "unknown"] = sites.get(fact.site or "unknown", 0) + 1
            notes.append(f"no site matches {site!r}; sites: {_counts(dict(sorted(sites.items(), key=lambda kv: -kv[1])), 12)}")
    for author in wanted.authors:
        if not snapshot.resolve_filter(SearchFilter(authors=(author,))):
            notes.append(f"no author matches {author!r}")
    if (wanted.since or wanted.until) and not snapshot.resolve_filter(SearchFilter(since=wanted.since, until=wanted.until)):
        facts = facts or list(snapshot.facts(snapshot.documents()).values())
        dates = sorted(fact.published[:10] for fact in facts if fact.published)
        span = f"the articles are dated {dates[0]} to {dates[-1]}" if dates else "no article has a date"
        notes.append(f"no article is dated {wanted.since or '…'} to {wanted.until or '…'}; {span}")
    if not notes:
        notes.append(f"no article passes all of these filters together: {wanted.describe()}")
    return notes


def _counts(counts: dict[str, int], most: int | None = None) -> str:
    items = list(counts.items())
    shown = ", ".join(f"{key} {value}" for key, value in items[:most])
    return shown + (f", … ({len(items)} in all)" if most is not None and len(items) > most else "")


def _check_page(limit: object, offset: object) -> None:
    _check_type("limit", limit, int, "a whole number")
    _check_type("offset", offset, int, "a whole number")
    assert isinstance(limit, int) and isinstance(offset, int)
    if limit < 1:
        raise InvalidArgumentError(f"limit must be at least 1 (got {limit})")
    if offset < 0:
        raise InvalidArgumentError(f"offset must be 0 or more (got {offset})")


def _check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if not isinstance(value, str) or value not in choices:
        raise InvalidArgumentError(f"{name} must be one of {', '.join(map(repr, choices))} (got {value!r})")


def _check_type(name: str, value: object, kind: type, described: str) -> None:
    # bool is an int to Python, but limit=True is a mistake, not a page size.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ArgumentTypeError(f"{name} must be {described}, not {_shown(value)}")


def _shown(value: object) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}" if value is not None else "None"


def check_query_lang(query_lang: object) -> str | None:
    """``query_lang`` as an ISO code ("id-ID" -> "id"); None stays None (the language is detected)."""
    if query_lang is None:
        return None
    if not isinstance(query_lang, str):
        raise ArgumentTypeError(f"query_lang must be a language code (str) or None, not {type(query_lang).__name__}")
    code = normalize_language(query_lang)
    if code is None:
        raise InvalidArgumentError(f"query_lang must be a language code such as 'en' or 'id', not {query_lang!r}")
    return code
