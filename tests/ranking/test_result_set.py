"""What semantic and hybrid queries match: keyword matches plus neighbours above the index's floor.

Totals, pages, sort by date and facets all count that set; a meaningless query matches nothing.
Fast tests use the sample archive with the tiny hashing encoder; the ``model`` tests index it with
the real default model, where the issue was seen.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.evaluation.runs import EvaluationRuns
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings
from search.ranking.result_set import (
    calibration_queries,
    calibration_vectors,
    cross_language_neighbours,
    matching,
    semantic_floor,
)
from tests.conftest import SAMPLES, CliResult

# Random letter strings of another seed than the calibration's (and the issue's own example).
NONSENSE = ["xyzzyqwerty", "qwpoeiruty zmxn", "plokmijnuhb", "vbtrewqaz lkjhg", "zxcvbnm asdfgh"]
UNRELATED_TO_KOREA = ("Total solar eclipse", "Harga Beras Premium")
LAVROV_FIRST = "Menlu Rusia Sergei Lavrov Tiba di Pyongyang untuk Kunjungan Dua Hari"


def test_matching_keeps_keyword_matches_and_close_neighbours_in_their_order() -> None:
    run = [("a", 3.0), ("b", 2.0), ("c", 1.0), ("d", 0.5), ("e", 0.1)]
    cosines = {"a": 0.91, "b": 0.70, "c": 0.88, "e": 0.95}
    assert matching(run, {"b"}, cosines, 0.88) == [("a", 3.0), ("b", 2.0), ("c", 1.0), ("e", 0.1)]
    assert matching(run, set(), cosines, math.inf) == []
    assert matching(run, {"d"}, {}, 0.5) == [("d", 0.5)]  # no cosine: only a keyword match keeps it


def test_the_floor_is_mean_plus_three_deviations_of_what_meaningless_queries_reach() -> None:
    assert semantic_floor([0.80, 0.82, 0.84, 0.82]) == pytest.approx(0.82 + 3 * math.sqrt(0.0002))
    assert semantic_floor([0.5, 0.5]) == 0.5
    assert semantic_floor([]) == math.inf  # an empty archive: nothing is a neighbour
    strings = calibration_queries()
    assert len(strings) == len(set(strings)) == 32 and strings == calibration_queries()
    assert not set(strings) & set(NONSENSE)


def test_calibration_vectors_are_embedded_once_and_read_back(tmp_path: Path) -> None:
    encoder = HashingEncoder(64)
    first = calibration_vectors(encoder, tmp_path)
    assert first.shape == (32, 64) and len(list((tmp_path / "calibration").glob("*.npy"))) == 1
    np.testing.assert_array_equal(calibration_vectors(encoder, tmp_path), first)
    assert calibration_vectors(HashingEncoder(32), tmp_path).shape == (32, 32)  # another model, another file


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_a_meaningless_query_matches_nothing(sample_index: Path, mode: str) -> None:
    with NewsSearch(sample_index) as news:
        for text in NONSENSE:
            results = news.search_results(text, 10, mode, facets=True, sort="date")  # type: ignore[arg-type]
            assert results.total == 0 and results.hits == [], (text, [h.title for h in results.hits])
            assert results.facets == {"site": {}, "lang": {}, "month": {}}


def test_sort_by_date_lists_only_what_the_query_matches(sample_index: Path, cli: Callable[..., CliResult]) -> None:
    data = cli("korea", "--sort", "date", "-n", "50", "--index", sample_index, "--json").json()
    titles = [hit["title"] for hit in data["hits"]]
    assert not [t for t in titles if t.startswith(UNRELATED_TO_KOREA)], titles
    with NewsSearch(sample_index) as news:
        floor = EvaluationRuns(news).semantic_floor()
        keyword = news.search_results("korea", 50, "keyword")
        archive = news.stats()["articles"]
    assert len(titles) == data["total"] < archive
    assert {h.id for h in keyword.hits} <= {h["id"] for h in data["hits"]}
    for hit in data["hits"]:  # every member matches the words or is a close neighbour
        assert hit["keyword_rank"] is not None or hit["semantic_score"] >= floor, hit["title"]


def test_facets_count_the_set_not_the_archive(sample_index: Path) -> None:
    with NewsSearch(sample_index) as news:
        for mode in ("hybrid", "semantic"):
            results = news.search_results("korea", 5, mode, facets=True)
            everything = news.search_results("korea", 100, mode)
            assert results.facets is not None
            assert sum(results.facets["site"].values()) == results.total == len(everything.hits) < news.stats()["articles"]


def test_semantic_mode_keeps_keyword_matches_below_the_floor(sample_index: Path) -> None:
    """Semantic mode ranks by meaning, but an article that matches the words stays in its set."""
    with NewsSearch(sample_index) as news:
        floor = EvaluationRuns(news).semantic_floor()
        semantic = news.search_results("korea", 100, "semantic")
        keyword_ids = {h.id for h in news.search_results("korea", 100, "keyword").hits}
    below = [h for h in semantic.hits if h.semantic_score is not None and h.semantic_score < floor]
    assert below and {h.id for h in below} <= keyword_ids
    scores = [h.score for h in semantic.hits]
    assert scores == sorted(scores, reverse=True)


def test_the_cut_leaves_the_ranking_of_what_stays_unchanged(sample_index: Path) -> None:
    """Hybrid hits are the fused candidates in fused order, less those the query does not match."""
    query = "Lavrov Pyongyang"
    with NewsSearch(sample_index) as news:
        keyword, semantic = EvaluationRuns(news).candidates([query])[0]
        hits = news.search_results(query, 50, collapse_copies=False).hits
        floor = EvaluationRuns(news).semantic_floor()
    fused = [doc for doc, _ in FusionSettings().fuse(keyword, semantic)]
    kept = [h.id for h in hits]
    assert kept == [doc for doc in fused if doc in kept]
    assert kept[0] == fused[0] and hits[0].title == LAVROV_FIRST
    cut = [doc for doc in fused if doc not in kept]
    assert all(dict(semantic).get(doc, -1.0) < floor for doc in cut)


def test_cross_language_neighbours_are_the_close_foreign_ones_of_a_query_that_matches_words() -> None:
    run = [(f"d{i}", 0.9 - i / 100) for i in range(15)]  # d0 0.90 ... d14 0.76
    foreign = {"d1", "d4", "d9", "d12", "d13"}
    assert cross_language_neighbours(run, foreign, {"k"}, 0.0) == {"d1", "d4", "d9"}  # among the 10 nearest
    assert cross_language_neighbours(run, foreign, {"k"}, 0.85) == {"d1", "d4"}  # d9 is at 0.81
    assert cross_language_neighbours(run, foreign, {"k"}, 0.0, count=3) == {"d1"}
    assert cross_language_neighbours(run, foreign, set(), 0.0) == set()  # no word matches: the floor alone decides
    assert cross_language_neighbours(run, set(), {"k"}, 0.0) == set()


def test_an_empty_archive_answers_with_nothing(tmp_path: Path) -> None:
    with Indexer(tmp_path / "index", encoder=HashingEncoder(256)):
        pass
    with NewsSearch(tmp_path / "index") as news:
        assert EvaluationRuns(news).semantic_floor() == math.inf
        assert news.search_results("anything", 10, "hybrid").total == 0


# -- the real default model --------------------------------------------------------------------


@pytest.fixture(scope="module")
def e5_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("result-set-e5") / "index"
    with Indexer(directory) as indexer:  # the default model
        indexer.add([SAMPLES])
    return directory


@pytest.mark.model
@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_real_model_meaningless_queries_match_nothing(e5_sample: Path, mode: str) -> None:
    with NewsSearch(e5_sample) as news:
        totals = {text: news.search_results(text, 10, mode, facets=True).total for text in NONSENSE}  # type: ignore[arg-type]
    assert totals == dict.fromkeys(NONSENSE, 0)


@pytest.mark.model
def test_real_model_korea_by_date_leaves_out_the_eclipse_and_rice_stories(e5_sample: Path, cli: Callable[..., CliResult]) -> None:
    data = cli("korea", "--sort", "date", "-n", "50", "--index", e5_sample, "--json").json()
    titles = [hit["title"] for hit in data["hits"]]
    assert not [t for t in titles if t.startswith(UNRELATED_TO_KOREA)], titles
    assert 10 <= data["total"] == len(titles) < 41
    dates = [hit["published"] or "" for hit in data["hits"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.model
def test_real_model_facets_count_only_the_set(e5_sample: Path) -> None:
    with NewsSearch(e5_sample) as news:
        results = news.search_results("korea", 5, facets=True)
        everything = news.search_results("korea", 100)
    assert results.facets is not None
    assert sum(results.facets["month"].values()) == results.total == len(everything.hits) < 41
    assert not [h.title for h in everything.hits if h.title.startswith(UNRELATED_TO_KOREA)]


@pytest.mark.model
def test_real_model_seed_query_still_finds_warta_nusantara_first(e5_sample: Path) -> None:
    with NewsSearch(e5_sample) as news:
        for mode in ("hybrid", "semantic"):
            hits = news.search("Lavrov Pyongyang", 3, mode)
            assert hits[0].title == LAVROV_FIRST and hits[0].site == "Warta Nusantara", mode
