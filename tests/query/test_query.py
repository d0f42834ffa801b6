"""Query parsing: plain queries never need escaping; operators work where they are meant."""

from __future__ import annotations

import pytest

from index.backends.local.keyword.schema import build_schema
from index.errors import QuerySyntaxError
from tests.whoosh_queries import WhooshParser as QueryParser

PARSER = QueryParser(build_schema("plain"))


def terms_of(query: str) -> set[str]:
    return {text.decode() if isinstance(text, bytes) else text for _field, text in PARSER.parse(query).keyword.all_terms()}


def test_hyphenated_words_are_not_negations() -> None:
    for query in ("French wine gets top-up", "anti-poverty budget", "covid-19 vaccine"):
        assert "ANDNOT" not in str(PARSER.parse(query).keyword), query
    assert {"top", "up"} <= terms_of("top-up")


def test_plus_and_minus_at_word_start_are_operators() -> None:
    assert "ANDNOT" in str(PARSER.parse("lavrov -putin").keyword)
    assert "ANDMAYBE" in str(PARSER.parse("+lavrov pyongyang").keyword)


def test_free_text_for_the_semantic_side_drops_syntax() -> None:
    parsed = PARSER.parse('title:lavrov AND "north korea" -putin')
    assert parsed.free_text == "lavrov north korea"
    assert PARSER.parse("korea NOT missile").free_text == "korea"


@pytest.mark.parametrize("query", ['"unclosed', "(a OR b", "a)", "   ", "()"])
def test_malformed_queries_raise_a_clear_error(query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        PARSER.parse(query)


def test_ordinary_punctuation_needs_no_escaping() -> None:
    for query in ("U.S. sanctions: what next?", "Rp 16.000 per kilogram", "C++ and C#", "50% off!", "who's who"):
        assert PARSER.parse(query).terms, query


def test_possessives_are_the_word_they_belong_to() -> None:
    from search.results.snippets import term_spans

    assert terms_of("Kim's") == terms_of("Kim") == {"kim"}
    assert terms_of("Britain\u2019s trains") == {"britain", "trains"}
    assert PARSER.parse("Kim's").terms == ("kim",)
    # "l'amour", "Jum'at", "isn't" keep both their parts; only the possessive s goes.
    assert {"l", "amour", "jum", "at", "isn", "t"} <= terms_of("l'amour Jum'at isn't")
    # Snippets mark the same words: the possessive s is no match for a query "s".
    assert term_spans("Kim's train", ["s"]) == ()
    assert term_spans("Kim's train", ["kim"]) == ((0, 3),)
