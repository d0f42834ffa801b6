"""The coverage-over-time chart: bars per day, week or month, as geometry for an inline SVG.

The library's ``Timeline.to_dict()`` gives contiguous buckets (zeros included) with each period's
first and last day, at the interval asked for or, by default, one it chose from the span; each
bar links to the search narrowed to that period (intersected with the dates already asked for).
Geometry is in attributes of a fixed ``viewBox`` that CSS scales: the page's policy forbids inline
``style``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from index.backends.filters import date_bound
from search.http.views.form import SearchForm

WIDTH = 600.0  # viewBox units; the chart is drawn at any width
HEIGHT = 120.0
GAP = 0.15  # share of each slot left blank between bars
# A zero-count period still gets a sliver, so that every period has a visible, clickable bar.
EMPTY_HEIGHT = 1.0


@dataclass(frozen=True)
class Bar:
    period: str
    start: str
    end: str
    count: int
    href: str
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> str:
        span = self.start if self.start == self.end else f"{self.start} to {self.end}"
        return f"{self.period} ({span}): {self.count} article{'s' if self.count != 1 else ''}"


@dataclass(frozen=True)
class Chart:
    interval: str
    bars: tuple[Bar, ...]
    peak: int
    undated: int
    width: float = WIDTH
    height: float = HEIGHT

    @property
    def first(self) -> Bar | None:
        return self.bars[0] if self.bars else None

    @property
    def last(self) -> Bar | None:
        return self.bars[-1] if self.bars else None


def chart(timeline: Mapping[str, Any], form: SearchForm, url: Callable[[SearchForm], str]) -> Chart:
    """The bars of the timeline's first series, each linking (through ``url``) to its period."""
    series = (timeline.get("series") or [{}])[0]
    buckets = list(series.get("buckets") or [])
    peak = max((int(b["count"]) for b in buckets), default=0)
    slot = WIDTH / max(len(buckets), 1)
    bars = []
    for number, bucket in enumerate(buckets):
        count = int(bucket["count"])
        height = max(HEIGHT * count / peak, EMPTY_HEIGHT) if peak and count else EMPTY_HEIGHT
        since, until = narrowed(form, str(bucket["start"]), str(bucket["end"]))
        bars.append(
            Bar(
                period=str(bucket["period"]), start=str(bucket["start"]), end=str(bucket["end"]), count=count,
                href=url(form.changed(since=since, until=until)), x=round(number * slot + slot * GAP / 2, 3),
                y=round(HEIGHT - height, 3), width=round(slot * (1 - GAP), 3), height=round(height, 3),
            )
        )  # fmt: skip
    return Chart(str(timeline.get("interval", "")), tuple(bars), peak, int(series.get("undated") or 0))


def narrowed(form: SearchForm, start: str, end: str) -> tuple[str, str]:
    """The period ``start``..``end`` within the dates the form already asks for (a week at the edge of
    a month asked for keeps to the month)."""
    since = max(start, date_bound(form.since, end=False)) if form.since else start
    until = min(end, date_bound(form.until, end=True)) if form.until else end
    return since, until
