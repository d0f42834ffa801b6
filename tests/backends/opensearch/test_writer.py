"""What the OpenSearch writer and reader check beyond the contract suite: the one writer, the
recorded model and format, a rebuild with another analysis, and stats on the cluster."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opensearchpy import OpenSearch

from index import HashingEncoder, Indexer
from index.backends.opensearch.admin import delete_index
from index.backends.opensearch.location import parse_location
from index.errors import IndexFormatError, IndexLockedError, IndexNotFoundError, ModelMismatchError
from search import NewsSearch
from tests.backends.conftest import SAMPLES
from tests.backends.opensearch.node import Node

pytestmark = pytest.mark.opensearch

BANJIR = (
    "Hujan deras sejak Minggu malam membuat banjir di banyak kawasan Jakarta. Ribuan rumah terendam dan warga "
    "mengungsi ke masjid dan sekolah terdekat, sementara petugas memompa air dari jalan utama kota."
)
FLOODS = (
    "Heavy rain since Sunday night flooded many districts of the capital. Thousands of homes were under water and "
    "residents moved to nearby mosques and schools while crews pumped water from the main roads of the city."
)
ARTICLES = [
    {"title": "Banjir melanda Jakarta", "text": BANJIR, "lang": "id", "url": "https://ex.org/banjir", "published": "2024-01-02"},
    {"title": "Floods hit the capital", "text": FLOODS, "lang": "en", "url": "https://ex.org/floods", "published": "2024-01-03"},
]


@pytest.fixture
def location(opensearch_node: Node, request: pytest.FixtureRequest) -> Iterator[str]:
    address = (
        f"opensearch://127.0.0.1:{opensearch_node.port}/writer-{request.node.name.lower()[:40].replace('[', '-').rstrip(']')}"
    )
    delete_index(parse_location(address))
    yield address
    delete_index(parse_location(address))


def test_a_second_writer_is_refused_while_the_first_holds_the_index(location: str) -> None:
    with Indexer(location, encoder=HashingEncoder(256)), pytest.raises(IndexLockedError, match="another process is writing"):
        Indexer(location, encoder=HashingEncoder(256))
    with Indexer(location, encoder=HashingEncoder(256)) as again:  # released on close
        assert again.articles == 0


def test_the_model_and_format_recorded_in_meta_are_checked_on_open(location: str, opensearch_node: Node) -> None:
    with pytest.raises(IndexNotFoundError, match="no index at"):
        NewsSearch(location)
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add_articles(ARTICLES)
    with pytest.raises(ModelMismatchError, match="hashing-256"):
        Indexer(location, encoder=HashingEncoder(64))
    with pytest.raises(ModelMismatchError):
        NewsSearch(location, encoder=HashingEncoder(64))
    client = OpenSearch(opensearch_node.url)
    name = parse_location(location).name
    meta = next(iter(client.indices.get_mapping(index=name).values()))["mappings"]["_meta"]
    assert (meta["model"], meta["dim"], meta["format_version"]) == ("hashing-256", 256, 1)
    client.indices.put_mapping(index=name, body={"_meta": {**meta, "format_version": 99}})
    with pytest.raises(IndexFormatError, match="format version 99"):
        NewsSearch(location)
    client.close()


def test_rebuild_with_plain_analysis_moves_the_alias_and_keeps_every_article(location: str) -> None:
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add_articles(ARTICLES)
    with NewsSearch(location) as news:
        assert [h.id for h in news.search("membuat", mode="keyword")] == [news.get("https://ex.org/banjir").id]
        stemmed = news.search_results("flooding", mode="keyword").total  # "flooding" and "flooded" stem alike
        before = {h.id: h.semantic_score for h in news.search("floods rain", mode="semantic")}
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        assert indexer.rebuild("plain") == 2
        assert indexer.info.analysis == "plain"
    with NewsSearch(location) as news:
        assert news.info.analysis == "plain"
        assert stemmed == 1 and news.search_results("flooding", mode="keyword").total == 0
        assert {h.id: h.semantic_score for h in news.search("floods rain", mode="semantic")} == before  # no re-embedding
        assert news.stats()["articles"] == 2


def test_stats_count_skips_and_languages(location: str) -> None:
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        report = indexer.add([SAMPLES / "kabarharian", SAMPLES / "meridianpost"])
    with NewsSearch(location) as news:
        stats = news.stats(pages=True)
        assert stats["articles"] == report.added and stats["model"] == "hashing-256"
        assert sum(stats["languages"].values()) == report.added
        assert stats["skipped"] == dict(report.skipped)
        assert stats["size_bytes"] > 0
