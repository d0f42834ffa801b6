"""Contract, facets: what ``Snapshot.facets`` counts on every backend (the local store from its
rows, OpenSearch by ``terms`` aggregations), and that searches report it for the whole result set.

The pins come from ``samples/expected.jsonl`` and from keyword queries, whose result sets are the
same on every backend, so both backends are held to the same counts in the same order.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from index.backends import open_reader
from index.backends.base import DocumentFacts, Snapshot, facet_counts
from search import NewsSearch
from tests.backends.conftest import EXPECTED, SYNDICATED_SOURCE, Built
from tests.backends.expect import KEYWORD, MODES, Mode, ids


@pytest.fixture
def snapshot(sample: Built) -> Iterator[Snapshot]:
    reader = open_reader(sample.location)
    try:
        with reader.snapshot() as held:
            yield held
    finally:
        reader.close()


def expected_facets() -> dict[str, dict[str, int]]:
    rows = [json.loads(line) for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line.strip()]
    facts = [DocumentFacts(r["published"], r["site"], r["lang"]) for r in rows if r["kind"] == "article"]
    return facet_counts(facts)


def test_the_facets_of_every_document_are_those_of_expected_jsonl(snapshot: Snapshot) -> None:
    counted = snapshot.facets(snapshot.documents())
    expected = expected_facets()
    assert sum(counted["site"].values()) == 41
    # The same counts in the same order: largest first, equal counts by name; months in order.
    assert [list(values.items()) for values in counted.values()] == [list(values.items()) for values in expected.values()]
    assert list(counted) == ["site", "lang", "month"]


def test_facets_count_each_existing_document_once(snapshot: Snapshot) -> None:
    every = snapshot.documents()
    some = every[::3]
    unknown = max(every) + 1000
    counted = snapshot.facets([*some, *some[:4], unknown])
    assert counted == facet_counts(snapshot.facts(some).values())
    assert sum(counted["lang"].values()) == len(some)


def test_the_facets_of_no_document_are_empty(snapshot: Snapshot) -> None:
    assert snapshot.facets([]) == {"site": {}, "lang": {}, "month": {}}


def test_a_date_counts_by_its_first_seven_characters(snapshot: Snapshot) -> None:
    every = snapshot.documents()
    facts = snapshot.facts(every)
    for month, count in snapshot.facets(every)["month"].items():
        assert count == sum(1 for f in facts.values() if (f.published or "")[:7] == month), month


@pytest.mark.parametrize(
    ("query", "options"),
    [("Korea", {}), ("Pyongyang", {"lang": "en"}), ("Lavrov OR Putin", {"since": "2023-09"}), ("banjir", {})],
    ids=["Korea", "Pyongyang lang=en", "Lavrov OR Putin since=2023-09", "banjir"],
)
def test_keyword_facets_are_the_same_on_every_backend(news: NewsSearch, query: str, options: dict[str, Any]) -> None:
    """A keyword result set is the same on every backend, so its facets are too: counted from the
    hits, which are pinned (``KEYWORD``) where the query is."""
    faceted = news.search_results(query, limit=1, mode="keyword", facets=True, **options)
    every = news.search_results(query, limit=100, mode="keyword", **options)
    if query in KEYWORD and not options:
        assert sorted(ids(every.hits)) == sorted(KEYWORD[query])
    expected = facet_counts(DocumentFacts(h.published, h.site, h.lang) for h in every.hits)
    assert faceted.facets is not None and sum(faceted.facets["site"].values()) == every.total > 0
    assert [list(v.items()) for v in faceted.facets.values()] == [list(v.items()) for v in expected.values()]


@pytest.mark.parametrize("mode", MODES)
def test_facets_count_a_collapsed_story_once(syndicated: Built, mode: Mode) -> None:
    """Copies of a syndicated story collapse into one hit, and the facets count that hit alone;
    with ``collapse_copies=False`` every copy is counted, under its own outlet."""
    news = syndicated.news
    query = "Pyongyang ballistic missiles"
    collapsed = news.search_results(query, limit=100, mode=mode, facets=True)
    every = news.search_results(query, limit=100, mode=mode, facets=True, collapse_copies=False)
    assert collapsed.facets is not None and every.facets is not None
    # One hit stands for the story (whichever copy ranks best), and only it is counted.
    assert [hit.similar_count for hit in collapsed.hits].count(2) == 1
    assert SYNDICATED_SOURCE in ids(every.hits) and every.total == collapsed.total + 2 == len(every.hits)
    for results in (collapsed, every):
        assert results.facets == facet_counts(DocumentFacts(h.published, h.site, h.lang) for h in results.hits)
        assert sum(results.facets["site"].values()) == results.total == len(results.hits)
    added = Counter(every.facets["site"]) - Counter(collapsed.facets["site"])
    assert sum(added.values()) == 2 and set(added) <= {"Asia Pacific Wire", "Meridian Post", "The Daily Ledger"}
