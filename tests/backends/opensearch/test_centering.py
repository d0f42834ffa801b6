"""Per-language centering on a real OpenSearch node (index/backends/opensearch/centering.py): the
language sums of the commit record, and a search that scores as the local index does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from opensearchpy import OpenSearch

from index.article import Article
from index.backends import language_means
from index.backends.local import centering as local_centering
from index.backends.opensearch import centering, mapping
from index.backends.opensearch.admin import delete_index
from index.backends.opensearch.client import get_source
from index.backends.opensearch.location import parse_location
from index.embed.base import embedding_input
from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.evaluation.runs import EvaluationRuns
from search.facade import NewsSearch
from search.ranking import languages
from tests.backends.local.test_centering import articles
from tests.backends.opensearch.node import Node

pytestmark = pytest.mark.opensearch
QUERIES = ["harbour council budget storm", "pelabuhan dewan anggaran badai", "port conseil tempête"]


@pytest.fixture(autouse=True)
def small_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    # Four articles make a language mean here (100 in use), so that small archives show every case.
    monkeypatch.setattr(language_means, "MIN_ARTICLES", 4)
    monkeypatch.setattr(local_centering, "MIN_ARTICLES", 4)


@pytest.fixture
def location(opensearch_node: Node, request: pytest.FixtureRequest) -> Iterator[str]:
    address = f"opensearch://127.0.0.1:{opensearch_node.port}/centering-{request.node.name.lower()[:40]}"
    delete_index(parse_location(address))
    yield address
    delete_index(parse_location(address))


def client_of(node: Node) -> OpenSearch:
    return OpenSearch(hosts=[f"http://127.0.0.1:{node.port}"])


def name_of(location: str) -> str:
    return parse_location(location).name


def recorded(node: Node, location: str) -> centering.LanguageSums:
    state = get_source(client=client_of(node), index=name_of(location), doc_id=mapping.STATE_ID)
    found = centering.LanguageSums.from_record((state or {}).get(mapping.CENTERING))
    assert found is not None, f"the commit record holds no language sums: {state}"
    return found


def recounted(node: Node, location: str) -> centering.LanguageSums:
    client = client_of(node)
    return centering.scan_sums(lambda body: client.search(index=name_of(location), body=body))


def assert_same_sums(got: centering.LanguageSums, want: centering.LanguageSums) -> None:
    assert {k: v for k, v in got.counts.items() if v} == {k: v for k, v in want.counts.items() if v}
    for lang, count in want.counts.items():
        if count:
            np.testing.assert_allclose(got.sums[lang], want.sums[lang], atol=1e-9)


def build(where: str | Path, batches: list[list[Article]], removals: list[list[str]] | None = None) -> None:
    for number, batch in enumerate(batches):
        with Indexer(where, encoder=HashingEncoder(64), workers=0) as indexer:
            indexer.add_articles(batch)
            if removals and removals[number]:
                indexer.remove(removals[number])


def semantic_runs(where: str | Path) -> list[list[tuple[str, float]]]:
    with NewsSearch(where, encoder=HashingEncoder(64)) as news:
        return [semantic for _keyword, semantic in EvaluationRuns(news).candidates(QUERIES, depth=10)]


def test_the_commit_record_counts_what_is_stored_through_adds_changes_and_removals(location: str, opensearch_node: Node) -> None:
    changed = articles("en", 1, start=1)[0]
    changed = Article(id=changed.id, title="storm flood harbour", text="railway " * 20, lang="en")
    build(
        location,
        [articles("en", 8) + articles("id", 8), [changed, *articles("id", 4, start=8)], articles("fr", 3)],
        removals=[[], ["id002"], ["fr001", "no-such-article"]],
    )
    sums = recorded(opensearch_node, location)
    assert sums.counts == {"en": 8, "id": 11, "fr": 2}
    assert_same_sums(sums, recounted(opensearch_node, location))
    assert sorted(centering.means_of(sums.record())) == ["en", "id"]  # two French articles make no mean
    with NewsSearch(location, encoder=HashingEncoder(64)) as news:
        assert news.stats()["centered_languages"] == ["en", "id"]  # what `news-search stats` shows


def test_a_centered_cluster_search_scores_as_the_local_index(
    location: str, opensearch_node: Node, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A strength below the whole for English queries and one above it for Indonesian ones, whatever the
    # defaults are: the cluster re-scores its candidates for both as the local index does.
    monkeypatch.setattr(languages, "CENTERING_STRENGTH", {"en": 0.7, "id": 1.4})
    # Eight articles of each language: the local sample is then every article, as the cluster's sums are.
    batches = [articles("en", 8) + articles("id", 5) + articles("fr", 3), articles("id", 3, start=5)]
    build(location, batches)
    build(tmp_path / "local", batches)
    on_cluster, local = semantic_runs(location), semantic_runs(tmp_path / "local")
    for cluster_run, local_run in zip(on_cluster, local, strict=True):
        local_scores = dict(local_run)
        assert len(cluster_run) == len(local_run) == 10
        assert len({doc for doc, _ in cluster_run} & local_scores.keys()) >= 9
        for doc, score in cluster_run:
            if doc in local_scores:
                assert score == pytest.approx(local_scores[doc], abs=3e-3)  # the local file holds float16 codes
    # And not the cosines as embedded: centering moved them.
    encoder, by_id = HashingEncoder(64), {a.id: a for batch in batches for a in batch}
    first_doc, first_score = on_cluster[0][0]
    embedded = encoder.encode_documents([embedding_input(by_id[first_doc])])[0]
    assert abs(float(encoder.encode_queries([QUERIES[0]])[0] @ embedded) - first_score) > 1e-3
    # The English query took out only part of the means, the Indonesian one more than the whole, on
    # both alike: centered wholly, their cosines differ; the French one, a language without an
    # entry, was centered wholly already.
    monkeypatch.setattr(languages, "CENTERING_STRENGTH", {})
    wholly = semantic_runs(location)
    for other, default in zip(wholly[:2], on_cluster[:2], strict=True):
        assert max(abs(a[1] - b[1]) for a, b in zip(other, default, strict=True)) > 0.01
    assert wholly[2] == on_cluster[2]


def test_writes_a_killed_writer_left_uncommitted_are_counted_by_the_next_writer(location: str, opensearch_node: Node) -> None:
    build(location, [articles("en", 8) + articles("id", 8)])
    indexer = Indexer(location, encoder=HashingEncoder(64), workers=0)
    writer = indexer.writer
    vectors = HashingEncoder(64).encode_documents(["pasar cuaca banjir"] * 2)
    with writer.batch():  # sent to the cluster, never committed: what a SIGKILL leaves
        for number, vector in enumerate(vectors):
            writer.upsert(
                Article(id=f"late{number}", title="pasar", text="pasar cuaca banjir", lang="id"), vector, None, f"late{number}"
            )
    writer._lock.release()  # type: ignore[attr-defined]  # the process is gone: nothing else runs
    with Indexer(location, encoder=HashingEncoder(64), workers=0) as again:
        assert again.articles == 18
    sums = recorded(opensearch_node, location)
    assert sums.counts["id"] == 10
    assert_same_sums(sums, recounted(opensearch_node, location))


def test_an_index_committed_before_centering_gains_its_sums_on_the_next_commit(location: str, opensearch_node: Node) -> None:
    build(location, [articles("en", 8) + articles("id", 8)])
    client, name = client_of(opensearch_node), name_of(location)
    state = get_source(client=client, index=name, doc_id=mapping.STATE_ID) or {}
    client.index(index=name, id=mapping.STATE_ID, body={"generation": state["generation"], "updated": ""}, refresh="true")
    uncentered = semantic_runs(location)
    with Indexer(location, encoder=HashingEncoder(64), workers=0) as indexer:
        indexer.sync()
    assert_same_sums(recorded(opensearch_node, location), recounted(opensearch_node, location))
    assert semantic_runs(location) != uncentered


def test_articles_written_before_the_vector_codes_are_scored_from_their_vectors(location: str, opensearch_node: Node) -> None:
    build(location, [articles("en", 8) + articles("id", 8)])
    with_codes = semantic_runs(location)
    client, name = client_of(opensearch_node), name_of(location)
    script = {"source": f"ctx._source.remove('{mapping.VECTOR_CODES}')"}
    client.update_by_query(index=name, body={"query": {"exists": {"field": "doc"}}, "script": script}, refresh=True)
    hits = client.search(index=name, body={"query": {"exists": {"field": "doc"}}, "size": 100})["hits"]["hits"]
    assert len(hits) == 16 and not any(mapping.VECTOR_CODES in hit["_source"] for hit in hits)
    without = semantic_runs(location)
    for coded, plain in zip(with_codes, without, strict=True):
        assert [doc for doc, _ in plain][:3] == [doc for doc, _ in coded][:3]
        assert [score for _, score in plain] == pytest.approx([score for _, score in coded], abs=2e-3)
