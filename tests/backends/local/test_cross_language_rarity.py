"""A query of a known language weighs its words in another language's fields as rare as they are in
its own (issue 15): an English word quoted in an Indonesian article is common English, not a rare
Indonesian word, and an Indonesian query's English word is as rare as Indonesian makes it. Column
scorer and whoosh's own scoring stay equal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from whoosh.searching import Searcher

from index.backends.local.keyword.bm25 import RobertsonBM25F, group_weights
from index.backends.local.keyword.compile import QueryCompiler
from index.backends.local.keyword.scoring import ColumnScorer
from index.backends.local.keyword.statistics import CollectionStats
from index.backends.local.layout import IndexLayout
from index.backends.query import Bool, KeywordSettings, Word
from search.facade import NewsSearch
from tests.backends.local.test_keyword_scoring import generation_reader
from tests.backends.local.test_language_statistics import ENGLISH, INDONESIAN, articles, build, only
from tests.whoosh_queries import WhooshParser


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # "harbour" is an English word of many English articles, quoted in three Indonesian ones: common
    # in English, rare in Indonesian.
    english = articles("en", ENGLISH, 40, (8, 40), seed=11)
    indonesian = articles("id", [word for word in INDONESIAN if word != "harbour"], 60, (60, 200), seed=12)
    quoting = [
        replace(article, text=f"{article.text} harbour") if n % 20 == 0 else article for n, article in enumerate(indonesian)
    ]
    return build(tmp_path_factory.mktemp("rarity") / "mixed", english + quoting)


def idf(root: Path, field: str, word: str) -> float:
    with generation_reader(root) as reader:
        return group_weights(CollectionStats(reader, IndexLayout(root).keyword_dir), field, word.encode())[0]


def scores(root: Path, query: str, query_lang: str | None) -> dict[str, float]:
    with NewsSearch(root) as news:
        results = news.search_results(query, limit=500, mode="keyword", collapse_copies=False, query_lang=query_lang)
    return {hit.id: hit.keyword_score or 0.0 for hit in results.hits}


def test_an_english_word_in_indonesian_articles_weighs_as_common_english(mixed: Path) -> None:
    english_idf, indonesian_idf = idf(mixed, "body_en", "harbour"), idf(mixed, "body_id", "harbour")
    assert english_idf < indonesian_idf  # the premise: common in English, rare in Indonesian
    plain, as_english = scores(mixed, "body:harbour", None), scores(mixed, "body:harbour", "en")
    indonesian = [doc for doc in plain if doc.startswith("id")]
    assert indonesian, "no Indonesian article holds the word"
    for doc in indonesian:
        assert as_english[doc] == pytest.approx(plain[doc] * english_idf / indonesian_idf, rel=1e-9)
    # The query's own language is untouched.
    assert only(list(as_english.items()), "en") == only(list(plain.items()), "en")


def test_a_word_the_query_language_lacks_weighs_as_rare_as_it_is_there(mixed: Path) -> None:
    """An English query weighs "pasar", in no English article, at the highest rarity there is,
    above what the Indonesian articles it is common in give it; every Indonesian match rises alike."""
    english_idf, indonesian_idf = idf(mixed, "body_en", "pasar"), idf(mixed, "body_id", "pasar")
    assert english_idf > indonesian_idf
    plain, as_english = scores(mixed, "body:pasar", None), scores(mixed, "body:pasar", "en")
    assert plain and plain.keys() == as_english.keys()
    for doc, score in plain.items():
        assert as_english[doc] == pytest.approx(score * english_idf / indonesian_idf, rel=1e-9)


def test_an_indonesian_query_weighs_an_english_word_as_indonesian_rarity_does(mixed: Path) -> None:
    plain, as_indonesian = scores(mixed, "harbour pasar", None), scores(mixed, "harbour pasar", "id")
    assert only(list(as_indonesian.items()), "id") == only(list(plain.items()), "id")  # its own language untouched
    # "harbour" is rarer in Indonesian than in English: English articles holding it rise by the ratio.
    english_idf, indonesian_idf = idf(mixed, "body_en", "harbour"), idf(mixed, "body_id", "harbour")
    plain, as_indonesian = scores(mixed, "body:harbour", None), scores(mixed, "body:harbour", "id")
    english = [doc for doc in plain if doc.startswith("en")]
    assert english
    for doc in english:
        assert as_indonesian[doc] == pytest.approx(plain[doc] * indonesian_idf / english_idf, rel=1e-9)


def test_the_column_scorer_and_whoosh_agree_on_reweighed_queries(mixed: Path) -> None:
    settings = KeywordSettings()
    with generation_reader(mixed) as reader:
        stats = CollectionStats(reader, IndexLayout(mixed).keyword_dir)
        compiler = QueryCompiler(
            reader.schema, settings.title_boost, "en", lambda field, text: group_weights(stats, field, text)[0]
        )
        parser = WhooshParser(reader.schema, settings)
        scorer = ColumnScorer(reader, IndexLayout(mixed).keyword_dir)
        searcher = Searcher(reader, weighting=RobertsonBM25F(B=settings.b, K1=settings.k1), closereader=False)
        for text in ["harbour", "harbour council pasar", "storm badai tax pajak"]:
            parsed = parser.parse(text).keyword
            reweighed = compiler.compile(Bool(should=tuple(Word(word) for word in text.split())))
            assert reweighed != parsed  # the weights changed the query
            plan = scorer.plan(reweighed, reader.schema)
            assert plan is not None
            found = scorer.search(plan, searcher, 1000, weighting=(settings.k1, settings.b))
            theirs = [float(hit.score) for hit in searcher.search(reweighed, limit=1000)]
            assert found.total == len(theirs) > 0
            assert found.scores.tolist() == pytest.approx(theirs, rel=1e-12)
