"""The OpenSearch writer's look-ups read in bulk, its merge, what it reports as ``problem`` and how
``repair`` fixes it, and the take-over of an index of another format version for a rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from opensearchpy import OpenSearch

from index import HashingEncoder, Indexer
from index.backends.opensearch import known, mapping
from index.backends.opensearch.admin import delete_index
from index.backends.opensearch.location import parse_location
from index.backends.opensearch.writer import OpenSearchWriter
from index.errors import IndexFormatError
from search import NewsSearch
from tests.backends.conftest import SAMPLES, syndicated_copies
from tests.backends.opensearch.node import Node
from tests.backends.opensearch.test_writer import ARTICLES

pytestmark = pytest.mark.opensearch


@pytest.fixture
def locations(opensearch_node: Node, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    base = f"opensearch://127.0.0.1:{opensearch_node.port}/repair-{request.node.name.lower()[:36].replace('[', '-').rstrip(']')}"
    made = [f"{base}-{n}" for n in range(2)]
    for location in made:
        delete_index(parse_location(location))
    yield made
    for location in made:
        delete_index(parse_location(location))


@pytest.fixture
def client(opensearch_node: Node) -> Iterator[OpenSearch]:
    found = OpenSearch(opensearch_node.url)
    yield found
    found.close()


def writer_of(indexer: Indexer) -> OpenSearchWriter:
    assert isinstance(indexer.writer, OpenSearchWriter)
    return indexer.writer


def state_of(location: str) -> dict[str, Any]:
    """Every article with its document number and group, and the skipped pages."""
    with NewsSearch(location) as news:
        listed = news.search_results("since:1900", limit=100, mode="keyword", collapse_copies=False)
        return {
            "articles": {hit.id: (news.get(hit.id).title, [a.id for a in news.group_members(hit.id)]) for hit in listed.hits},
            "skipped": news.skipped_pages(),
            "total": listed.total,
        }


def test_lookups_read_in_bulk_give_what_lookups_one_at_a_time_give(locations: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample archive, a syndicated story (a near-duplicate group) and a re-run, once with the
    committed state read in bulk from the first question on and once asked one question at a time."""
    reports = []
    for location, most in zip(locations, (known.MOST, -1), strict=True):
        monkeypatch.setattr(known, "FIRST_READ_AFTER", 0)
        monkeypatch.setattr(known, "MOST", most)
        with Indexer(location, encoder=HashingEncoder(256), workers=0, batch_size=8) as indexer:
            first = indexer.add([SAMPLES])
            with NewsSearch(location) as news:
                copies = syndicated_copies(news)
            grouped = indexer.add_articles(copies)
            again = indexer.add([SAMPLES])
            assert writer_of(indexer).answers_from_memory == (most > 0)
        reports.append((first.added, grouped.added, grouped.near_duplicates, again.unchanged, again.added, dict(again.skipped)))
    assert reports[0] == reports[1]
    assert reports[0][:4] == (41, 2, 2, 41) and reports[0][4] == 0
    bulk, single = state_of(locations[0]), state_of(locations[1])
    assert bulk == single and bulk["total"] == 43


def test_a_merge_on_commit_leaves_one_segment(locations: list[str], client: OpenSearch) -> None:
    with Indexer(locations[0], encoder=HashingEncoder(256), batch_size=4, workers=0) as indexer:
        indexer.add([SAMPLES / "kabarharian"])
        indexer.add([SAMPLES / "meridianpost"])
        name = parse_location(locations[0]).name
        writer = writer_of(indexer)
        writer.commit(merge=True)
        assert writer.merge_task is not None and client.tasks.get(task_id=writer.merge_task)["completed"]
    segments = client.indices.segments(index=name)["indices"]
    shards = next(iter(segments.values()))["shards"]
    assert [len(copy["segments"]) for copies in shards.values() for copy in copies] == [1]


def test_an_unfinished_rebuild_is_a_problem_that_repair_removes(locations: list[str], client: OpenSearch) -> None:
    location = locations[0]
    name = parse_location(location).name
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add_articles(ARTICLES)
    client.indices.create(index=f"{name}-7", body={"settings": {"number_of_replicas": 0}})  # a killed rebuild's target
    with NewsSearch(location) as news:
        assert news.stats()["problems"] == [f"a rebuild did not finish: {name}-7 holds a partial copy"]
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        assert indexer.problem == f"a rebuild did not finish: {name}-7 holds a partial copy"
        with pytest.raises(IndexFormatError, match="needs a repair before it takes changes"):
            indexer.add_articles([{**ARTICLES[0], "url": "https://ex.org/other"}])
        assert indexer.repair() is False
        assert indexer.problem is None
        indexer.add_articles([{**ARTICLES[0], "url": "https://ex.org/other", "title": "Banjir lagi"}])
    assert not client.indices.exists(index=f"{name}-7")
    with NewsSearch(location) as news:
        assert news.stats()["articles"] == 3 and news.stats()["problems"] == []


def test_a_lost_commit_record_is_a_problem_that_repair_writes_again(locations: list[str], client: OpenSearch) -> None:
    location = locations[0]
    name = parse_location(location).name
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add_articles(ARTICLES)
    client.delete(index=name, id=mapping.STATE_ID, refresh="true")
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        assert indexer.problem == "its commit record is missing"
        indexer.repair()
        assert indexer.problem is None
    with NewsSearch(location) as news:
        stats = news.stats()
        assert stats["generation"] >= 1 and stats["problems"] == [] and stats["articles"] == 2


def change_meta(client: OpenSearch, name: str, **changes: Any) -> None:
    """The index's ``_meta`` as another release would have written it."""
    meta = next(iter(client.indices.get_mapping(index=name).values()))["mappings"]["_meta"]
    client.indices.put_mapping(index=name, body={"_meta": {**meta, **changes}})


def test_an_analysis_this_release_does_not_know_takes_a_rebuild(locations: list[str], client: OpenSearch) -> None:
    location = locations[0]
    name = parse_location(location).name
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add_articles(ARTICLES)
    change_meta(client, name, analysis="klingon")
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        assert indexer.problem == "its keyword analysis 'klingon' is not one this release knows"
        assert indexer.repair() is True
        assert indexer.problem is None and indexer.info.analysis == "snowball"
    with NewsSearch(location) as news:
        assert news.info.analysis == "snowball" and news.search_results("banjir", mode="keyword").total == 1


def test_writes_a_killed_writer_never_committed_are_committed_when_the_next_writer_opens(
    locations: list[str], client: OpenSearch
) -> None:
    location = locations[0]
    name = parse_location(location).name
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add_articles(ARTICLES[:1])
    with NewsSearch(location) as news:
        generation = news.stats()["generation"]
        # What a writer killed after its bulk request and before its commit leaves: a document
        # written but not refreshed (so no search sees it) and no commit record for it.
        article = news.get("https://ex.org/banjir")
        body = mapping.document(99, article, None, None, "late", "snowball", "2024-01-01T00:00:00+00:00")
        client.index(index=name, id="late", body=body, refresh="false")
        assert news.stats()["articles"] == 1
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        assert indexer.problem is None and indexer.articles == 2
    with NewsSearch(location) as news:
        stats = news.stats()
        assert stats["articles"] == 2 and stats["generation"] == generation + 1
    with Indexer(location, encoder=HashingEncoder(256)):
        pass
    with NewsSearch(location) as news:
        assert news.stats()["generation"] == generation + 1  # nothing left to commit: opening wrote nothing


def test_an_index_of_another_format_version_is_taken_over_for_a_rebuild(locations: list[str], client: OpenSearch) -> None:
    location = locations[0]
    name = parse_location(location).name
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add_articles(ARTICLES)
    change_meta(client, name, format_version=99)
    with pytest.raises(IndexFormatError, match=r"format version 99.*news-search index --rebuild --index"):
        Indexer(location, encoder=HashingEncoder(256))
    with Indexer(location, encoder=HashingEncoder(256), take_over=True) as indexer:
        assert indexer.problem == f"its format version 99 is not this release's {mapping.FORMAT_VERSION}"
        with pytest.raises(IndexFormatError, match="needs a repair"):
            indexer.add_articles([{**ARTICLES[0], "url": "https://ex.org/other"}])
        assert indexer.rebuild() == 2
        assert indexer.problem is None and indexer.info.format_version == mapping.FORMAT_VERSION
    with NewsSearch(location) as news:
        assert news.info.format_version == mapping.FORMAT_VERSION
        assert news.search_results("banjir", mode="keyword").total == 1 and news.stats()["articles"] == 2
