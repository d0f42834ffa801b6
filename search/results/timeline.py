"""Coverage over time: a result set counted per day, ISO week or month (``NewsSearch.timeline``).

Several queries share one axis: the periods run without gaps from the earliest to the latest
dated article of any series (periods with no article count 0), so two topics can be drawn side by
side on one chart and a bar's period can be turned back into a ``since``/``until`` filter.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Interval = Literal["auto", "day", "week", "month"]
INTERVALS: tuple[str, ...] = get_args(Interval)
# A chart wider than this is no chart; a coarser interval says the same thing.
MAX_PERIODS = 2_000
# "auto" picks the finest interval that keeps a chart readable: days up to two months, weeks up to
# two years, months beyond.
AUTO_DAYS_UP_TO = 62
AUTO_WEEKS_UP_TO = 2 * 366


class TooManyPeriodsError(ValueError):
    """The span asked for holds more than ``MAX_PERIODS`` periods of the interval."""


@dataclass(frozen=True)
class Period:
    """One period: its label (``2024-03-05``, ``2024-W10``, ``2024-03``) and its first and last day."""

    label: str
    start: dt.date
    end: dt.date


def period_of(day: dt.date, interval: Interval) -> Period:
    """The day, ISO week (Monday to Sunday) or month that ``day`` falls in."""
    if interval == "day":
        return Period(day.isoformat(), day, day)
    if interval == "week":
        year, week, weekday = day.isocalendar()
        monday = day - dt.timedelta(days=weekday - 1)
        return Period(f"{year}-W{week:02d}", monday, monday + dt.timedelta(days=6))
    if interval == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(f"{day.year:04d}-{day.month:02d}", day.replace(day=1), day.replace(day=last))
    raise ValueError(f"unknown interval {interval!r}: use one of {', '.join(INTERVALS)}")


def periods_between(first: dt.date, last: dt.date, interval: Interval) -> list[Period]:
    """Every period from the one holding ``first`` to the one holding ``last``, in order."""
    periods: list[Period] = []
    current = period_of(first, interval)
    while current.start <= last:
        periods.append(current)
        if len(periods) > MAX_PERIODS:
            raise TooManyPeriodsError(
                f"{first} to {last} is more than {MAX_PERIODS} periods of a {interval}: "
                "choose a coarser interval or a shorter date range"
            )
        current = period_of(current.end + dt.timedelta(days=1), interval)
    return periods


def resolve_interval(interval: Interval, days: Iterable[dt.date]) -> Interval:
    """``interval``, or for "auto" the finest one that keeps the span of ``days`` readable."""
    if interval != "auto":
        return interval
    known = list(days)
    span = (max(known) - min(known)).days if known else 0
    if span <= AUTO_DAYS_UP_TO:
        return "day"
    return "week" if span <= AUTO_WEEKS_UP_TO else "month"


def parse_day(published: str | None) -> dt.date | None:
    """The publication day of a stored ISO date (YYYY-MM-DD, maybe with a time), or None."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Dated:
    """What a timeline needs of one article of a result set."""

    published: str | None
    site: str | None


@dataclass
class Series:
    """One query's result set over the periods: counts per period (and per site within it)."""

    query: str
    total: int
    undated: int
    counts: list[int]
    sites: list[dict[str, int]] | None = None


@dataclass
class Timeline:
    """Counts of several result sets over one axis of periods (``to_dict`` is the API's answer)."""

    interval: str
    periods: list[Period]
    series: list[Series]
    filter: str = ""
    mode: str = "hybrid"
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "interval": self.interval,
            "mode": self.mode,
            "filter": self.filter,
            "periods": [{"period": p.label, "start": p.start.isoformat(), "end": p.end.isoformat()} for p in self.periods],
            "series": [self._series_dict(series) for series in self.series],
            "notes": list(self.notes),
        }

    def _series_dict(self, series: Series) -> dict[str, Any]:
        buckets = []
        for index, period in enumerate(self.periods):
            bucket: dict[str, Any] = {
                "period": period.label,
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "count": series.counts[index],
            }
            if series.sites is not None:
                bucket["sites"] = series.sites[index]
            buckets.append(bucket)
        return {"query": series.query, "total": series.total, "undated": series.undated, "buckets": buckets}


def build_timeline(
    result_sets: Sequence[tuple[str, Sequence[Dated]]], interval: Interval, *, by_site: bool = False
) -> tuple[str, list[Period], list[Series]]:
    """The resolved interval, the shared periods and one series per (query, result set)."""
    days = [[parse_day(row.published) for row in rows] for _, rows in result_sets]
    known = [day for column in days for day in column if day is not None]
    chosen = resolve_interval(interval, known)
    periods = periods_between(min(known), max(known), chosen) if known else []
    position = {period.label: index for index, period in enumerate(periods)}
    series: list[Series] = []
    for (query, rows), column in zip(result_sets, days, strict=True):
        counts = [0] * len(periods)
        sites: list[Counter[str]] = [Counter() for _ in periods]
        for row, day in zip(rows, column, strict=True):
            if day is None:
                continue
            slot = position[period_of(day, chosen).label]
            counts[slot] += 1
            sites[slot][row.site or "unknown"] += 1
        undated = sum(1 for day in column if day is None)
        per_site = [dict(counter.most_common()) for counter in sites] if by_site else None
        series.append(Series(query, len(rows), undated, counts, per_site))
    return chosen, periods, series
