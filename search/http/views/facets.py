"""Facet lists and active filters: each facet value links to the search narrowed to it, each active
filter to the search without it.

Following a facet replaces that field's values with the one followed (site and author filters are
"any of", so adding a value would widen the search, not narrow it); a month becomes the dates
``since`` and ``until`` that month. Undated articles ("unknown" month) cannot be filtered to, so
that entry is counted but not a link.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from search.http.views.form import SearchForm

FACETS = (("site", "Outlet"), ("lang", "Language"), ("month", "Month"))
UNDATED = "unknown"


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    href: str | None  # None: shown, not a link
    active: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class ActiveFilter:
    label: str  # "site: kompas"
    href: str  # the search without it


def facet_lists(
    facets: Mapping[str, Mapping[str, int]] | None, form: SearchForm, url: Callable[[SearchForm], str]
) -> list[Facet]:
    lists = []
    for name, label in FACETS:
        counts = (facets or {}).get(name) or {}
        values = []
        for value, count in counts.items():
            narrowed = _narrowed(form, name, value)
            active = narrowed is not None and narrowed.changed(page=form.page) == form
            values.append(FacetValue(value, int(count), url(narrowed) if narrowed is not None else None, active))
        if name == "month":
            values.sort(key=lambda v: (v.value == UNDATED, v.value))  # by time, the undated last
        if values:
            lists.append(Facet(name, label, tuple(values)))
    return lists


def _narrowed(form: SearchForm, name: str, value: str) -> SearchForm | None:
    if name == "month":
        return None if value == UNDATED else form.changed(since=value, until=value)
    return form.changed(**{name: (value,)})


def active_filters(form: SearchForm, url: Callable[[SearchForm], str]) -> list[ActiveFilter]:
    active = []
    for name in ("since", "until"):
        value = getattr(form, name)
        if value:
            active.append(ActiveFilter(f"{name}: {value}", url(form.changed(**{name: ""}))))
    for name in ("site", "lang", "author"):
        values: tuple[str, ...] = getattr(form, name)
        for value in values:
            rest = tuple(v for v in values if v != value)
            active.append(ActiveFilter(f"{name}: {value}", url(form.changed(**{name: rest}))))
    return active
