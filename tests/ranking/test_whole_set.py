"""The whole result set (timelines, exports, facets, ``count_all``) against the pages at fusion depth.

A shallow fusion depth on the sample archive makes the candidate lists shorter than what a broad
query matches, as a large archive does at the default depth."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings

BROAD = "the"  # matches most English articles of the sample


@pytest.fixture(scope="module")
def shallow(sample_index: Path) -> Iterator[NewsSearch]:
    with NewsSearch(sample_index, fusion=FusionSettings(depth=3)) as ns:
        yield ns


def keyword_matches(ns: NewsSearch, query: str) -> set[str]:
    found = ns.search_results(query, limit=100, mode="keyword", collapse_copies=False)
    assert found.total_complete and found.total == len(found.hits)
    return {hit.id for hit in found.hits}


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_count_all_counts_past_the_candidate_depth_and_keeps_the_first_page(shallow: NewsSearch, mode: str) -> None:
    page = shallow.search_results(BROAD, limit=1, mode=mode)  # type: ignore[arg-type]
    whole = shallow.search_results(BROAD, limit=1, mode=mode, count_all=True)  # type: ignore[arg-type]
    assert not page.total_complete and whole.total_complete
    assert whole.total > page.total
    assert [hit.id for hit in whole.hits] == [hit.id for hit in page.hits]


def test_the_whole_hybrid_set_holds_every_keyword_match(shallow: NewsSearch) -> None:
    exported = shallow.export(BROAD, collapse_copies=False)
    ids = [entry.id for entry in exported.entries]
    assert len(ids) == len(set(ids)) == exported.total
    assert keyword_matches(shallow, BROAD) <= set(ids)


def test_export_timeline_facets_and_pages_agree_on_the_set(shallow: NewsSearch) -> None:
    exported = shallow.export(BROAD)
    counted = shallow.search_results(BROAD, facets=True)
    timeline = shallow.timeline(BROAD, interval="month").series[0]
    assert exported.total == counted.total == timeline.total == sum(counted.facets["site"].values())  # type: ignore[index]
    assert sum(timeline.counts) + timeline.undated == timeline.total
    paged: list[str] = []
    for offset in range(0, counted.total, 10):  # pages of the default size: ranked at the export's depth
        paged += [hit.id for hit in shallow.search_results(BROAD, offset=offset, count_all=True).hits]
    assert paged == [entry.id for entry in exported.entries]
    assert [entry.rank for entry in exported.entries] == list(range(1, exported.total + 1))


def test_export_parts_cover_the_set_once(shallow: NewsSearch) -> None:
    whole = [entry.id for entry in shallow.export(BROAD).entries]
    parts: list[str] = []
    offset: int | None = 0
    while offset is not None:
        part = shallow.export(BROAD, offset=offset, max_rows=4)
        assert len(part.entries) <= 4
        parts += [entry.id for entry in part.entries]
        offset = part.next_offset
    assert parts == whole


def test_a_timeline_of_several_queries_filters_each(shallow: NewsSearch) -> None:
    both = shallow.timeline(["korea", "harbour OR port"], interval="week", lang="en", by_site=True)
    assert [series.query for series in both.series] == ["korea", "harbour OR port"]
    alone = shallow.timeline("korea", interval="week", lang="en")
    assert both.series[0].total == alone.series[0].total
    labels = [period.label for period in both.periods]
    assert labels == sorted(labels) and len(labels) == len(set(labels))
    for series in both.series:
        assert series.sites is not None
        assert [sum(sites.values()) for sites in series.sites] == series.counts
