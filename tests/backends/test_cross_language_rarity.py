"""Contract: a query of a known language weighs its words in another language's fields as rare as it
has them in its own (issue 15), on every backend, and says so per hit.

The expected share comes from counts anyone can take of the sample archive (how many articles of
each language there are, and how many of them hold the word), through BM25's idf, which both
backends use; a single-word query's score is its one clause's, so the reweighed score is the plain
one times that share exactly.
"""

from __future__ import annotations

import math

import pytest

from search import NewsSearch

WORD = "Korea"  # in 7 of the sample archive's 21 English articles and 5 of its 20 Indonesian ones


def idf(news: NewsSearch, lang: str) -> float:
    """BM25's idf of ``WORD`` in the body field of ``lang``'s articles, from counts of the archive."""
    articles = news.stats()["languages"][lang]
    holding = news.search_results(f"body:{WORD}", limit=1, mode="keyword", lang=lang).total
    return math.log1p((articles - holding + 0.5) / (holding + 0.5))


def scores(news: NewsSearch, query_lang: str | None) -> dict[str, tuple[float, str | None]]:
    found = news.search_results(f"body:{WORD}", limit=100, mode="keyword", collapse_copies=False, query_lang=query_lang)
    return {hit.id: (hit.keyword_score or 0.0, hit.cross_language) for hit in found.hits}


def check_reweighed(news: NewsSearch, query_lang: str, other: str) -> None:
    """Articles in ``other`` score the plain score times the two idfs' ratio and say so; the query's own
    language's articles score as without a query language."""
    share = idf(news, query_lang) / idf(news, other)
    plain, reweighed = scores(news, None), scores(news, query_lang)
    assert plain.keys() == reweighed.keys()
    others = [doc for doc in plain if news.get(doc).lang == other]
    assert others and len(others) < len(plain)
    for doc, (score, note) in reweighed.items():
        if doc in others:
            assert score == pytest.approx(plain[doc][0] * share, rel=1e-6)
            assert note is not None and f"{WORD} (body {share:.2f})" in note, note
        else:
            assert score == pytest.approx(plain[doc][0], rel=1e-9)  # the query's own language is untouched
            assert note is None


def test_an_english_query_weighs_the_word_in_indonesian_articles_as_common_english(news: NewsSearch) -> None:
    assert idf(news, "en") / idf(news, "id") < 0.9, "the premise: the word is far commoner among English articles"
    check_reweighed(news, "en", "id")


def test_an_indonesian_query_weighs_the_word_in_english_articles_as_rare_indonesian(news: NewsSearch) -> None:
    check_reweighed(news, "id", "en")
