"""Contract: near-duplicate groups (one hit per story, every copy on request), group_members, similar."""

from __future__ import annotations

import pytest

from search import NewsSearch
from tests.backends.conftest import SYNDICATED_SOURCE, Backend, Built
from tests.backends.expect import (
    ARMS,
    COPY_LEDGER,
    COPY_MERIDIAN,
    COSMODROME,
    KIM_TRAIN,
    LAVROV_PYONGYANG,
    MODES,
    PUTIN_PYONGYANG,
    Mode,
    expect_ranking,
    hits_of,
    ids,
)

GROUP = (SYNDICATED_SOURCE, COPY_MERIDIAN, COPY_LEDGER)  # oldest first: 2023-08-30, -31, 09-01
QUERY = "ballistic missiles Seoul"


def test_the_syndicated_copies_join_the_story_s_group(syndicated: Built) -> None:
    assert (syndicated.report.added, syndicated.report.near_duplicates, syndicated.report.duplicates) == (2, 2, 0)


@pytest.mark.parametrize(
    "member", [*GROUP, "https://www.meridianpost.com/world/2023/08/31/pyongyang-launches-two-ballistic-missiles"]
)
def test_group_members_lists_the_story_oldest_first(syndicated: Built, member: str) -> None:
    members = syndicated.news.group_members(member)
    assert [a.id for a in members] == list(GROUP)
    assert [a.published for a in members] == ["2023-08-30", "2023-08-31", "2023-09-01"]
    assert [a.site for a in members] == ["Asia Pacific Wire", "Meridian Post", "The Daily Ledger"]
    assert all(a.text for a in members)


def test_an_article_without_copies_is_a_group_of_one(syndicated: Built) -> None:
    assert [a.id for a in syndicated.news.group_members(LAVROV_PYONGYANG)] == [LAVROV_PYONGYANG]


@pytest.mark.parametrize("mode", MODES)
def test_a_syndicated_story_is_one_hit_with_its_copy_count(backend: Backend, syndicated: Built, mode: Mode) -> None:
    collapsed = syndicated.news.search_results(QUERY, limit=50, mode=mode)
    story = [hit for hit in collapsed.hits if hit.id in GROUP]
    assert len(story) == 1 and story[0].similar_count == 2
    assert all(hit.similar_count == 0 for hit in collapsed.hits if hit.id not in GROUP)
    if backend.exact:
        assert collapsed.hits[0].id == COPY_MERIDIAN  # its headline has "ballistic missiles" and "Seoul"

    every = syndicated.news.search_results(QUERY, limit=50, mode=mode, collapse_copies=False)
    copies = [hit for hit in every.hits if hit.id in GROUP]
    assert sorted(hit.id for hit in copies) == sorted(GROUP) and {hit.similar_count for hit in copies} == {2}
    assert every.total == collapsed.total + 2
    assert [hit.id for hit in every.hits if hit.id not in GROUP] == [hit.id for hit in collapsed.hits if hit.id not in GROUP]


def test_keyword_totals_count_a_story_once(syndicated: Built) -> None:
    collapsed = syndicated.news.search_results(QUERY, limit=3, mode="keyword", facets=True)
    every = syndicated.news.search_results(QUERY, limit=3, mode="keyword", collapse_copies=False, facets=True)
    assert (collapsed.total, every.total) == (8, 10)
    assert collapsed.facets is not None and sum(collapsed.facets["site"].values()) == 8
    pages = [syndicated.news.search_results(QUERY, limit=3, offset=o, mode="keyword") for o in (0, 3, 6)]
    seen = [hit.id for page in pages for hit in page.hits]
    assert len(seen) == len(set(seen)) == 8 and len(set(seen) & set(GROUP)) == 1


def test_a_filter_that_keeps_one_copy_shows_that_copy(syndicated: Built) -> None:
    for site, copy in (("ledger", COPY_LEDGER), ("asia pacific", SYNDICATED_SOURCE)):
        hits = syndicated.news.search(QUERY, limit=10, mode="keyword", site=site)
        assert [hit.id for hit in hits if hit.id in GROUP] == [copy], site


@pytest.mark.parametrize("source", GROUP)
def test_similar_leaves_out_the_source_and_its_copies(backend: Backend, syndicated: Built, source: str) -> None:
    related = hits_of(syndicated.news.similar(source, limit=50))
    assert related and not set(ids(related)) & set(GROUP)
    assert len(ids(related)) == len(set(ids(related)))
    expect_ranking(backend, ids(related)[:2], [ARMS, COSMODROME])


def test_similar_on_an_article_without_copies(backend: Backend, news: NewsSearch) -> None:
    related = ids(hits_of(news.similar(LAVROV_PYONGYANG, limit=5)))
    assert LAVROV_PYONGYANG not in related and len(related) == 5
    expect_ranking(backend, related[:2], [PUTIN_PYONGYANG, KIM_TRAIN])
    filtered = hits_of(news.similar(LAVROV_PYONGYANG, limit=5, lang="en"))
    assert filtered and {hit.lang for hit in filtered} == {"en"}
