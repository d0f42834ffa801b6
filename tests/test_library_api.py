"""The library's public boundary: wrong arguments and a closed searcher are reported in our words,
and ``search`` and ``similar`` answer alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index.errors import NewsSearchError
from search import NewsSearch, NewsSearchClosedError
from search.ranking.recency import RecencySettings
from search.results.hits import SearchResults
from tests.conftest import two_article_index


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return two_article_index(tmp_path)


def test_a_closed_searcher_says_so(index_dir: Path) -> None:
    news = NewsSearch(index_dir)
    article_id = news.search("volcano", mode="keyword")[0].id
    news.close()
    calls: dict[str, Callable[[], object]] = {
        "search": lambda: news.search("volcano"),
        "search_results": lambda: news.search_results("volcano", mode="keyword"),
        "similar": lambda: news.similar(article_id),
        "get": lambda: news.get(article_id),
        "group_members": lambda: news.group_members(article_id),
        "stats": lambda: news.stats(),
    }
    for name, call in calls.items():
        with pytest.raises(NewsSearchError, match="this NewsSearch is closed") as raised:
            call()
        assert isinstance(raised.value, NewsSearchClosedError), name
    news.close()  # closing twice is harmless


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"query": None}, TypeError, "query must be a string, not None"),
        ({"query": b"volcano"}, TypeError, "query must be a string, not bytes"),
        ({"since": 2023}, TypeError, "since must be a date string: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', not int 2023"),
        ({"until": 2023.5}, TypeError, "until must be a date string"),
        ({"limit": "3"}, TypeError, "limit must be a whole number, not str '3'"),
        ({"limit": True}, TypeError, "limit must be a whole number, not bool True"),
        ({"offset": 1.0}, TypeError, "offset must be a whole number, not float 1.0"),
        ({"site": 5}, TypeError, "site must be a string or a list of strings, not int 5"),
        ({"lang": ["en", None]}, TypeError, "lang must be a string or a list of strings"),
        ({"recency": "0.2"}, TypeError, "recency must be a weight"),
        ({"facets": "yes"}, TypeError, "facets must be True or False"),
        ({"limit": 0}, ValueError, r"limit must be at least 1 \(got 0\)"),
        ({"offset": -1}, ValueError, r"offset must be 0 or more \(got -1\)"),
        ({"mode": "fuzzy"}, ValueError, "mode must be one of 'hybrid', 'keyword', 'semantic' \\(got 'fuzzy'\\)"),
        ({"sort": None}, ValueError, "sort must be one of 'relevance', 'date'"),
        ({"recency": -0.5}, ValueError, "the recency weight must be a finite number >= 0"),
        ({"recency": float("nan")}, ValueError, "the recency weight must be a finite number >= 0"),
    ],
)
def test_wrong_arguments_are_reported_at_the_boundary(
    index_dir: Path, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"query": "volcano", **kwargs}
    query = arguments.pop("query")
    with NewsSearch(index_dir) as news:
        with pytest.raises(error, match=message) as raised:
            news.search_results(query, **arguments)
        assert isinstance(raised.value, NewsSearchError)  # one hierarchy for the CLI and for callers
        if "facets" not in kwargs:
            with pytest.raises(error, match=message):
                news.search(query, **arguments)


def test_similar_checks_its_arguments_too(index_dir: Path) -> None:
    with NewsSearch(index_dir) as news:
        article_id = news.search("volcano", mode="keyword")[0].id
        with pytest.raises(TypeError, match="article_id must be an article id or URL"):
            news.similar(None)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="limit must be a whole number"):
            news.similar(article_id, limit="2")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="since must be a date string"):
            news.similar_results(article_id, since=2023)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="article_id must be"):
            news.get(17)  # type: ignore[arg-type]


def test_recency_may_be_a_bare_weight(index_dir: Path) -> None:
    with NewsSearch(index_dir) as news:
        as_float = news.search_results("harbour volcano", recency=0.2)
        as_settings = news.search_results("harbour volcano", recency=RecencySettings(weight=0.2))
        as_int = news.search("harbour volcano", recency=1)
    assert [(h.id, h.score, h.recency_boost) for h in as_float.hits] == [
        (h.id, h.score, h.recency_boost) for h in as_settings.hits
    ]
    assert any(h.recency_boost > 0 for h in as_float.hits) and any(h.recency_boost > 0 for h in as_int)


def test_search_and_similar_answer_alike(index_dir: Path) -> None:
    with NewsSearch(index_dir) as news:
        hits = news.search("harbour", limit=5)
        results = news.search_results("harbour", limit=5)
        source = hits[0].id
        related = news.similar(source, limit=5)
        related_results = news.similar_results(source, limit=5)
    assert isinstance(hits, list) and isinstance(results, SearchResults)
    assert [h.id for h in results] == [h.id for h in hits] and len(results) == len(hits) and results[0] == hits[0]
    # similar() keeps returning SearchResults (backward compatible), which now behaves like the list.
    assert isinstance(related, SearchResults) and related.hits
    assert list(related) == related.hits and len(related) == len(related.hits) and related[0] == related.hits[0]
    assert related[:1] == related.hits[:1] and bool(related)
    assert [h.id for h in related_results] == [h.id for h in related] and related_results.total == related.total


def test_filter_notes_say_what_the_index_holds(index_dir: Path) -> None:
    with NewsSearch(index_dir) as news:
        assert news.filter_notes(lang="english") == ["no article has language 'english'; the index holds: en 2"]
        assert news.filter_notes("lang:english volcano") == news.filter_notes(lang="english")
        assert news.filter_notes(lang="en") == [] and news.filter_notes() == []
