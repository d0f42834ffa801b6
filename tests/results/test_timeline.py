"""Timeline periods and counts (``search.results.timeline``): one gapless axis for several series."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from search.results.timeline import (
    MAX_PERIODS,
    Dated,
    TooManyPeriodsError,
    build_timeline,
    period_of,
    periods_between,
    resolve_interval,
)


def test_periods_are_days_iso_weeks_and_months() -> None:
    day = dt.date(2024, 2, 29)
    assert period_of(day, "day").label == "2024-02-29"
    week = period_of(day, "week")
    assert (week.label, week.start, week.end) == ("2024-W09", dt.date(2024, 2, 26), dt.date(2024, 3, 3))
    month = period_of(day, "month")
    assert (month.label, month.start, month.end) == ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    # ISO weeks cross years: 2021-01-01 is in 2020's week 53.
    assert period_of(dt.date(2021, 1, 1), "week").label == "2020-W53"


def test_periods_between_are_gapless_and_cover_both_ends() -> None:
    for interval in ("day", "week", "month"):
        periods = periods_between(dt.date(2020, 12, 20), dt.date(2021, 3, 2), interval)
        assert periods[0].start <= dt.date(2020, 12, 20) <= periods[0].end
        assert periods[-1].start <= dt.date(2021, 3, 2) <= periods[-1].end
        for before, after in itertools.pairwise(periods):
            assert after.start == before.end + dt.timedelta(days=1), (interval, before, after)


def test_too_many_periods_is_refused_with_a_way_out() -> None:
    with pytest.raises(TooManyPeriodsError, match="coarser interval"):
        periods_between(dt.date(2000, 1, 1), dt.date(2000, 1, 1) + dt.timedelta(days=MAX_PERIODS + 5), "day")


def test_auto_interval_follows_the_span() -> None:
    start = dt.date(2024, 1, 1)
    assert resolve_interval("auto", [start, start + dt.timedelta(days=30)]) == "day"
    assert resolve_interval("auto", [start, start + dt.timedelta(days=300)]) == "week"
    assert resolve_interval("auto", [start, start + dt.timedelta(days=3000)]) == "month"
    assert resolve_interval("month", [start]) == "month"


def test_series_share_one_axis_with_zeros_and_count_undated_apart() -> None:
    first = [Dated("2024-01-05", "a"), Dated("2024-03-20", "b"), Dated(None, "a"), Dated("not a date", "a")]
    second = [Dated("2024-02-10", "a"), Dated("2024-02-11", "a")]
    interval, periods, series = build_timeline([("one", first), ("two", second)], "month", by_site=True)
    assert interval == "month"
    assert [p.label for p in periods] == ["2024-01", "2024-02", "2024-03"]
    assert series[0].counts == [1, 0, 1] and series[0].undated == 2 and series[0].total == 4
    assert series[1].counts == [0, 2, 0] and series[1].sites is not None and series[1].sites[1] == {"a": 2}


def test_an_empty_result_set_has_no_periods() -> None:
    interval, periods, series = build_timeline([("nothing", [])], "auto")
    assert interval == "day" and periods == [] and series[0].counts == [] and series[0].total == 0
