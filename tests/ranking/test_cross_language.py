"""Search across languages (issue 15): the query's language, given or detected, and hybrid fusion of
the articles in another language, through the library, the CLI, the HTTP API and ``eval``.

The sample archive holds English and Indonesian articles (21 and 20), so it is an archive of
several languages; its hashing encoder has no cross-lingual meaning, which these tests do not need:
they check what is fused how, not how well.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from search.arguments import ArgumentTypeError, InvalidArgumentError
from search.evaluate import evaluate, render_report
from search.evaluation.runs import EvaluationRuns
from search.facade import NewsSearch
from search.http.app import create_app
from search.ranking.languages import QueryLanguage, foreign, keyword_language, query_language
from tests.conftest import CliResult

ENGLISH_QUERY = "Russian foreign minister arrives in Pyongyang for a two-day visit"
INDONESIAN_QUERY = "menteri luar negeri rusia tiba di pyongyang untuk kunjungan dua hari"


def test_languages_that_share_a_stemmer_count_as_one() -> None:
    assert [keyword_language(code) for code in ("ms", "id", "en", "fr", None, "")] == ["id", "id", "en", "fr", None, None]


def test_the_query_language_is_given_detected_or_left_unknown() -> None:
    archive = ["en", "id", "?"]
    assert query_language(ENGLISH_QUERY, None, archive) == QueryLanguage("en", detected=True)
    assert query_language(INDONESIAN_QUERY, None, archive) == QueryLanguage("id", detected=True)
    assert query_language("Lavrov", None, archive) is None  # a name alone: either language
    assert query_language(ENGLISH_QUERY, None, ["en", "?"]) is None  # one language: nothing to tell apart
    assert query_language(ENGLISH_QUERY, None, ["id", "ms"]) is None  # one keyword language
    assert query_language(ENGLISH_QUERY, "ID-id", ["en"]) == QueryLanguage("id", detected=False)
    assert QueryLanguage("id", detected=True).describe() == "id (detected)"


def test_foreign_documents_are_those_of_another_keyword_language() -> None:
    languages = {1: "en", 2: "id", 3: "ms", 4: None, 5: "fr"}
    assert foreign(languages, QueryLanguage("id", detected=False)) == {1, 5}
    assert foreign(languages, QueryLanguage("en", detected=True)) == {2, 3, 5}
    assert foreign(languages, None) == frozenset()


@pytest.fixture(scope="module")
def news(sample_index: Path) -> Iterator[NewsSearch]:
    with NewsSearch(sample_index) as engine:
        yield engine


@pytest.mark.parametrize(
    ("query", "given", "described"), [(ENGLISH_QUERY, "en", "en (given)"), (INDONESIAN_QUERY, None, "id (detected)")]
)
def test_hybrid_hits_in_another_language_say_how_they_were_fused(
    news: NewsSearch, query: str, given: str | None, described: str
) -> None:
    hits = news.search(query, limit=30, query_lang=given, collapse_copies=False)
    asked = described.split()[0]
    others = [hit for hit in hits if hit.lang != asked]
    assert others and len(others) < len(hits)
    for hit in hits:
        if hit.lang == asked:
            assert hit.cross_language is None
        else:
            assert hit.cross_language is not None
            assert f"query {described}, article {hit.lang}" in hit.cross_language
    semantic = news.search(query, limit=30, mode="semantic")  # not fused: no share to speak of
    assert not [hit for hit in semantic if hit.cross_language and "share" in hit.cross_language]


def test_hybrid_ranks_the_fusion_of_its_runs_with_the_articles_in_another_language(news: NewsSearch) -> None:
    """The page is fusion.py's ranking of the two runs, told which candidates are in another
    language (the result-set cut keeps the order of what stays)."""
    runs = EvaluationRuns(news)
    keyword, semantic = runs.candidates([INDONESIAN_QUERY], depth=100)[0]
    languages = runs.article_languages({doc for doc, _ in (*keyword, *semantic)})
    other = {doc for doc, lang in languages.items() if lang != "id"}
    expected = [doc for doc, _ in news.fusion.fuse(keyword, semantic, other, "id")]
    plain = [doc for doc, _ in news.fusion.fuse(keyword, semantic)]
    assert expected != plain  # the case does show the difference
    hits = [hit.id for hit in news.search(INDONESIAN_QUERY, limit=100, collapse_copies=False)]
    assert hits == [doc for doc in expected if doc in set(hits)]
    assert hits == [hit.id for hit in news.search(INDONESIAN_QUERY, limit=100, collapse_copies=False, query_lang="id")]
    assert hits != [hit.id for hit in news.search(INDONESIAN_QUERY, limit=100, collapse_copies=False, query_lang="en")]


def test_a_wrong_query_language_is_refused(news: NewsSearch) -> None:
    with pytest.raises(InvalidArgumentError, match="query_lang"):
        news.search("Lavrov", query_lang="english")
    with pytest.raises(ArgumentTypeError, match="query_lang"):
        news.search("Lavrov", query_lang=3)  # type: ignore[arg-type]


def test_the_cli_takes_the_query_language(sample_index: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("search", ENGLISH_QUERY, "--index", sample_index, "--query-lang", "en", "-n", "30", "--all-copies", "--json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert {hit["lang"] for hit in hits if hit["cross_language"]} == {"id"}
    explained = cli(
        "search", ENGLISH_QUERY, "--index", sample_index, "--query-lang", "en", "-n", "30", "--all-copies", "--explain"
    )
    assert explained.exit_code == 0, explained.stderr
    notes = {hit["cross_language"] for hit in hits if hit["cross_language"]}
    assert any(note in explained.stdout for note in notes), "--explain prints how a cross-language hit was fused"
    refused = cli("search", "Lavrov", "--index", sample_index, "--query-lang", "english")
    assert refused.exit_code == 2
    assert "query_lang" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_the_http_api_takes_the_query_language(sample_index: Path) -> None:
    with TestClient(create_app(sample_index)) as client:
        body = client.get(
            "/api/search", params={"q": ENGLISH_QUERY, "query_lang": "en", "limit": 30, "all_copies": "true"}
        ).json()
        assert {hit["lang"] for hit in body["hits"] if hit["cross_language"]} == {"id"}
        refused = client.get("/api/search", params={"q": "Lavrov", "query_lang": "english"})
        assert refused.status_code == 400, refused.text


def test_eval_reports_per_language_figures_when_the_judgments_span_languages(news: NewsSearch) -> None:
    hits = news.search("Lavrov Pyongyang Korea Putin Kim", limit=10, mode="keyword", collapse_copies=False)
    english = [hit for hit in hits if hit.lang == "en"][:2]
    indonesian = [hit for hit in hits if hit.lang == "id"][:2]
    assert len(english) == 2 and len(indonesian) == 2
    queries = {f"en{i}": hit.title for i, hit in enumerate(english)} | {f"id{i}": hit.title for i, hit in enumerate(indonesian)}
    # One English query judged against an Indonesian article: a cross-language judgment.
    queries["cross"] = ENGLISH_QUERY
    qrels = {q: {hit.id: 1} for q, hit in zip(queries, [*english, *indonesian], strict=False)}
    qrels["cross"] = {indonesian[0].id: 1}
    report = evaluate(news, queries, qrels)
    languages = EvaluationRuns(news).query_languages(list(queries.values()))
    labels = {
        f"{lang.code if lang else '?'} -> {'en' if q.startswith('en') else 'id'}"
        for q, lang in zip(queries, languages, strict=True)
    }
    assert set(report.by_language) == labels
    assert sum(group["queries"] for group in report.by_language.values()) == 5
    assert "en -> id" in report.by_language
    assert report.to_dict()["by_language"] == report.by_language
    assert "by language" in render_report(report)
    # One language on both sides: no breakdown.
    alone = evaluate(
        news, {q: t for q, t in queries.items() if q.startswith("en")}, {q: j for q, j in qrels.items() if q.startswith("en")}
    )
    assert alone.by_language == {}
    assert "by language" not in render_report(alone)
