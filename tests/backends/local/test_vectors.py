"""The size-aware vector index: exact below the threshold, an inverted file above, filters exact."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from index.backends.local import vectors
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import TEST_MODEL

DIM = 32


def unit_vectors(n: int, seed: int = 0) -> np.ndarray:
    matrix = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return np.asarray(matrix / np.linalg.norm(matrix, axis=1, keepdims=True), dtype=np.float32)


def assert_exact_top(found: np.ndarray, matrix: np.ndarray, ids: np.ndarray, query: np.ndarray) -> None:
    """``found`` is a true top k of ``query`` among ``ids``: its scores are the k best (float16 codes
    may swap near-ties, so scores are compared, not ids)."""
    scores = matrix @ query
    position = {int(i): n for n, i in enumerate(ids)}
    got = np.sort([scores[position[int(i)]] for i in found])[::-1]
    best = np.sort(scores)[::-1][: len(found)]
    assert len(set(found.tolist())) == len(found)
    np.testing.assert_allclose(got, best, atol=2e-3)


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "ANN_THRESHOLD", 1000)
    monkeypatch.setattr(vectors, "LIST_SIZE", 50)
    monkeypatch.setattr(vectors, "MIN_NPROBE", 4)
    monkeypatch.setattr(vectors, "EXACT_ALLOWED", 100)


def test_small_archives_get_an_exact_index_that_agrees_with_a_float32_scan() -> None:
    matrix, ids = unit_vectors(500), np.arange(500, dtype=np.int64) * 3 + 1
    index = vectors.apply_changes(vectors.new_index(DIM), ids.tolist(), matrix, [])
    assert not vectors.is_approximate(index)
    queries = unit_vectors(20, seed=1)
    _, found = vectors.search(index, queries, 10)
    for query, row in zip(queries, found, strict=True):
        assert_exact_top(row, matrix, ids, query)


def test_growing_past_the_threshold_switches_to_an_inverted_file_and_back(small_threshold: None, tmp_path: Path) -> None:
    matrix, ids = unit_vectors(3000), np.arange(3000, dtype=np.int64) + 10
    index = vectors.apply_changes(vectors.new_index(DIM), ids[:800].tolist(), matrix[:800], [])
    assert not vectors.is_approximate(index)
    index = vectors.apply_changes(index, ids[800:].tolist(), matrix[800:], [])
    assert vectors.is_approximate(index) and index.ntotal == 3000 and faiss.extract_index_ivf(index).nlist == 60

    # Updates and deletes apply in place; the file round-trips.
    moved = unit_vectors(1, seed=7)
    index = vectors.apply_changes(index, [int(ids[0])], moved, [int(i) for i in ids[1:101]])
    assert index.ntotal == 2900
    path = tmp_path / "vectors.faiss"
    vectors.save(index, path)
    reader = vectors.load(path, DIM)  # memory-mapped, for searching
    index = vectors.load(path, DIM, writable=True)
    assert vectors.is_approximate(reader) and vectors.is_approximate(index)
    for loaded in (reader, index):
        _, found = vectors.search(loaded, moved, 1)
        assert found[0, 0] == ids[0]
    _, found = vectors.search(index, matrix[1:101], 5)
    assert not set(found.ravel().tolist()) & {int(i) for i in ids[1:101]}

    # Shrinking well below the threshold gives an exact index again, with the same vectors.
    index = vectors.apply_changes(index, [], np.zeros((0, DIM), np.float32), [int(i) for i in ids[101:2600]])
    assert not vectors.is_approximate(index) and index.ntotal == 401
    kept_ids, kept = vectors.all_vectors(index)
    assert sorted(kept_ids.tolist()) == sorted([int(ids[0]), *[int(i) for i in ids[2600:]]])
    assert np.allclose(kept[kept_ids.tolist().index(int(ids[2700]))], matrix[2700], atol=1e-3)


def test_a_narrow_filter_on_an_inverted_file_gets_the_exact_top_k(small_threshold: None) -> None:
    matrix, ids = unit_vectors(5000, seed=2), np.arange(5000, dtype=np.int64)
    index = vectors.resized(vectors.apply_changes(vectors.new_index(DIM), ids.tolist(), matrix, []))
    assert vectors.is_approximate(index)
    allowed = ids[::100]  # 1% of the archive
    queries = unit_vectors(10, seed=3)
    _, found = vectors.search(index, queries, 10, allowed=allowed)
    for query, row in zip(queries, found, strict=True):
        assert_exact_top(row, matrix[allowed], allowed, query)


def test_a_broad_filter_keeps_only_allowed_ids(small_threshold: None) -> None:
    matrix, ids = unit_vectors(5000, seed=4), np.arange(5000, dtype=np.int64)
    index = vectors.resized(vectors.apply_changes(vectors.new_index(DIM), ids.tolist(), matrix, []))
    allowed = ids[ids % 2 == 0]
    _, found = vectors.search(index, unit_vectors(5, seed=5), 10, allowed=allowed)
    assert found.shape == (5, 10)
    assert all(int(i) % 2 == 0 for i in found.ravel())


def test_empty_index_and_empty_filter_return_no_hits() -> None:
    index = vectors.new_index(DIM)
    assert vectors.search(index, unit_vectors(2), 10)[1].shape == (2, 0)
    index = vectors.apply_changes(index, [1, 2], unit_vectors(2), [])
    assert vectors.search(index, unit_vectors(2), 10, allowed=np.array([], dtype=np.int64))[1].shape == (2, 0)


def test_an_archive_past_the_threshold_is_searched_through_the_inverted_file(small_threshold: None, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    words = ["harbour", "volcano", "election", "football", "inflation", "flood", "vaccine", "satellite"]
    articles = [
        {
            "title": f"{words[i % 8]} report {i}",
            "text": f"Story {i} about the {words[i % 8]} and {words[(i * 3) % 8]}. " * 5,
            "url": f"https://example.com/{i}",
        }
        for i in range(1200)
    ]
    with Indexer(index_dir, model=TEST_MODEL) as indexer:
        indexer.add_articles(articles)
    (vector_file,) = (index_dir / "vector").glob("*.faiss")
    assert isinstance(faiss.read_index(str(vector_file)), faiss.IndexIVF)
    with NewsSearch(index_dir) as news:
        hits = news.search("volcano", limit=5, mode="semantic")
        texts = [news.get(hit.id).text for hit in hits]
    # Near-copies collapse into one hit (the articles differ only by their number): the best is a volcano story.
    assert hits and "volcano" in texts[0]


def test_a_filter_never_lets_through_ids_beyond_its_largest() -> None:
    """The bitmap selector ends at the largest allowed id: ids past it are not read off its end."""
    matrix, ids = unit_vectors(3000, seed=6), np.arange(3000, dtype=np.int64)
    index = vectors.apply_changes(vectors.new_index(DIM), ids.tolist(), matrix, [])
    allowed = np.array([3, 17, 64, 65, 1000], dtype=np.int64)
    _, found = vectors.search(index, unit_vectors(20, seed=7), 5, allowed=allowed)
    assert found.shape == (20, 5)
    assert {int(i) for i in found.ravel()} <= set(allowed.tolist())
