"""Who, where and when: the metadata filter every backend resolves (``Snapshot.resolve_filter``).

The same filter comes from the CLI options, the library's arguments and the query syntax
(``search.query.filters`` takes it out of a query). A backend resolves it once per query into the
documents that pass it (the local backend asks SQLite, the source of truth for metadata); both
retrievers then search inside that set, so a filter that keeps 1% of the archive still fills a page
when enough matching articles exist.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from index.errors import QuerySyntaxError

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def date_bound(value: str, *, end: bool) -> str:
    """An ISO day from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the first day of the period, or its last if ``end``.

    ``--until 2017-03`` therefore means "through the end of March 2017".
    """
    match = _DATE.match(value.strip())
    if not match:
        raise QuerySyntaxError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(match[1]), int(match[2] or (12 if end else 1)), match[3]
    try:
        if day is None:
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, last if end else 1).isoformat()
        return date(year, month, int(day)).isoformat()
    except ValueError:
        raise QuerySyntaxError(f"not a date: {value!r} (no such day)") from None


def _values(values: str | Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(dict.fromkeys(v.strip().lower() for v in values if v and v.strip()))


@dataclass(frozen=True)
class SearchFilter:
    """Articles published between ``since`` and ``until`` (ISO days, inclusive), from any of ``sites``,
    in any of ``langs``, by any of ``authors``, and none of the excluded ones.

    Sites and authors match case-insensitively anywhere in the stored name ("kompas" finds
    "Kompas.com", "rahmat" finds "Rahmat Hidayat Siregar"); languages are ISO codes.
    """

    since: str | None = None
    until: str | None = None
    sites: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    not_sites: tuple[str, ...] = field(default=())
    not_langs: tuple[str, ...] = field(default=())
    not_authors: tuple[str, ...] = field(default=())

    @classmethod
    def build(
        cls,
        *,
        since: str | None = None,
        until: str | None = None,
        site: str | Iterable[str] | None = None,
        lang: str | Iterable[str] | None = None,
        author: str | Iterable[str] | None = None,
    ) -> SearchFilter:
        """From user input: dates as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; each of the others one value or several."""
        built = cls(
            since=date_bound(since, end=False) if since else None,
            until=date_bound(until, end=True) if until else None,
            sites=_values(site),
            langs=_values(lang),
            authors=_values(author),
        )
        built.check()
        return built

    def check(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise QuerySyntaxError(f"the date range is empty: since {self.since} is after until {self.until}")

    @property
    def active(self) -> bool:
        return any(
            (self.since, self.until, self.sites, self.langs, self.authors, self.not_sites, self.not_langs, self.not_authors)
        )

    def merge(self, other: SearchFilter) -> SearchFilter:
        """Both filters at once (dates intersect; value lists add up, as in ``--site a`` plus ``site:b``)."""
        merged = replace(
            self,
            since=max(filter(None, (self.since, other.since)), default=None),
            until=min(filter(None, (self.until, other.until)), default=None),
            sites=tuple(dict.fromkeys(self.sites + other.sites)),
            langs=tuple(dict.fromkeys(self.langs + other.langs)),
            authors=tuple(dict.fromkeys(self.authors + other.authors)),
            not_sites=tuple(dict.fromkeys(self.not_sites + other.not_sites)),
            not_langs=tuple(dict.fromkeys(self.not_langs + other.not_langs)),
            not_authors=tuple(dict.fromkeys(self.not_authors + other.not_authors)),
        )
        merged.check()
        return merged

    def describe(self) -> str:
        parts = []
        if self.since or self.until:
            parts.append(f"{self.since or '…'} to {self.until or '…'}")
        for label, values, excluded in (
            ("site", self.sites, self.not_sites),
            ("lang", self.langs, self.not_langs),
            ("author", self.authors, self.not_authors),
        ):
            if values:
                parts.append(f"{label} {' or '.join(values)}")
            if excluded:
                parts.append(f"{label} not {' or '.join(excluded)}")
        return ", ".join(parts)
