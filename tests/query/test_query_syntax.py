"""Query syntax: phrases, boolean operators, field prefixes, inline filters, and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from index.backends.local.keyword.schema import build_schema
from index.errors import QuerySyntaxError
from search.facade import NewsSearch
from tests.conftest import TEST_MODEL, CliResult, write_page
from tests.whoosh_queries import WhooshParser as QueryParser

Cli = Callable[..., CliResult]
PARSER = QueryParser(build_schema("snowball"))

STORIES = {
    "minister": (
        "Minister says the harbour must wait",
        "The transport minister said the new harbour terminal must wait another year for funding from the budget.\n\n"
        "Critics said the delay would cost the port its best customers and many jobs on the docks.",
    ),
    "harbour": (
        "Harbour jobs at risk",
        "Dock workers fear for their jobs after the port lost two shipping lines this spring to a rival harbour.\n\n"
        "The union asked the minister to meet workers before the summer holidays.",
    ),
    "budget": (
        "Budget vote delayed again",
        "Parliament delayed the budget vote because the coalition could not agree on the funding of schools.\n\n"
        "The finance minister said a compromise was close and the vote would come next week.",
    ),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from search.cli.app import main

    root = tmp_path_factory.mktemp("syntax")
    for name, (title, body) in STORIES.items():
        write_page(root / "pages" / f"{name}.html", title, body, url=f"https://ex.org/{name}")
    try:
        main(["index", str(root / "pages"), "--index", str(root / "index"), "--model", TEST_MODEL, "-q"])
    except SystemExit as exc:
        assert not exc.code
    return root / "index"


def titles(index_dir: Path, query: str) -> set[str]:
    with NewsSearch(index_dir) as news:
        return {hit.title for hit in news.search(query, limit=10, mode="keyword")}


def test_phrases_and_operators(index_dir: Path) -> None:
    assert titles(index_dir, '"harbour terminal"') == {STORIES["minister"][0]}
    assert titles(index_dir, "minister AND harbour") == {STORIES["minister"][0], STORIES["harbour"][0]}
    assert titles(index_dir, "minister NOT harbour") == {STORIES["budget"][0]}
    assert titles(index_dir, "minister -harbour") == {STORIES["budget"][0]}
    assert titles(index_dir, "+budget parliament") == {STORIES["minister"][0], STORIES["budget"][0]}
    assert titles(index_dir, "schools OR customers") == {STORIES["minister"][0], STORIES["budget"][0]}
    assert titles(index_dir, "(union AND summer) OR (coalition NOT minister)") == {STORIES["harbour"][0]}
    assert titles(index_dir, 'minister -"harbour terminal"') == {STORIES["harbour"][0], STORIES["budget"][0]}


def test_title_prefix_searches_headlines_in_every_language_field(index_dir: Path) -> None:
    # The English pages are indexed in the stemmed English fields: title: must reach them.
    assert titles(index_dir, "title:harbour") == {STORIES["minister"][0], STORIES["harbour"][0]}
    assert titles(index_dir, 'title:"budget vote"') == {STORIES["budget"][0]}
    assert titles(index_dir, "body:parliament") == {STORIES["budget"][0]}


def test_semantic_side_receives_only_the_free_text() -> None:
    parsed = PARSER.parse('title:lavrov AND "north korea" -putin site:kompas since:2023-10 lang:id')
    assert parsed.free_text == "lavrov north korea"
    assert parsed.filter.sites == ("kompas",) and parsed.filter.since == "2023-10-01" and parsed.filter.langs == ("id",)
    assert parsed.phrases == ("north korea",)
    dated = PARSER.parse("banjir date:2017-03-01..2017-03-15").filter
    assert (dated.since, dated.until) == ("2017-03-01", "2017-03-15")
    negated = PARSER.parse('banjir -site:cnn NOT author:"Budi S"').filter
    assert negated.not_sites == ("cnn",) and negated.not_authors == ("budi s",)
    assert PARSER.parse("jokowi AND site:kumparan").free_text == "jokowi"


def test_plain_queries_never_need_escaping() -> None:
    for query in ("jam 10:30 di Jakarta", "covid-19: apa kabar?", "http://example.com/a", "note:this", "Rp 16.000", "top-up"):
        parsed = PARSER.parse(query)
        assert parsed.terms and not parsed.filter.active, query
    assert "10" in PARSER.parse("jam 10:30").terms and "note" in PARSER.parse("note:this").terms
    assert {"covid", "19", "update"} <= set(PARSER.parse("covid-19: update").terms)


def test_field_prefixes_are_case_insensitive(index_dir: Path) -> None:
    assert PARSER.parse("LANG:id korea").filter.langs == ("id",)
    assert PARSER.parse("Site:Kompas -AUTHOR:Budi korea").filter.sites == ("kompas",)
    assert PARSER.parse("Site:Kompas -AUTHOR:Budi korea").filter.not_authors == ("budi",)
    assert PARSER.parse("Title:Lavrov").free_text == "Lavrov"
    assert (
        titles(index_dir, "Title:harbour")
        == titles(index_dir, "title:harbour")
        == {STORIES["minister"][0], STORIES["harbour"][0]}
    )
    assert titles(index_dir, "BODY:parliament") == {STORIES["budget"][0]}
    assert titles(index_dir, "harbour DATE:2024-01") == titles(index_dir, "harbour")


@pytest.mark.parametrize(
    "query",
    ["site:", "lang:", "date:", "title:", "body:", "text:", "author:", "since:", "until:", "LANG:", "Title:",
     "lavrov site: kompas", "web site: news", "lavrov (title:)", 'site:"" lavrov', 'title:"" lavrov', "korea -site: x",
     "korea NOT lang: x", "korea date:"],
)  # fmt: skip
def test_an_empty_field_prefix_is_one_clear_error(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match=r"^empty field prefix '(\w+):'; write \1:VALUE") as caught:
        PARSER.parse(query)
    assert caught.value.args[0].split("'")[1] in query.lower()


def test_possessives_fold_to_the_word(sample_index: Path) -> None:
    with NewsSearch(sample_index) as news:
        for possessive, word in (("Kim's", "Kim"), ("Britain\u2019s", "Britain"), ("KIM'S", "kim")):
            assert news.query_terms(possessive) == news.query_terms(word)
            found = news.search_results(possessive, limit=50, mode="keyword")
            assert {h.id for h in found.hits} == {h.id for h in news.search(word, limit=50, mode="keyword")}
            assert 0 < found.total < 10


def test_an_index_analysed_before_possessives_were_folded_still_opens_and_folds_queries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.article import Article
    from index.backends.local.keyword import schema as keyword
    from index.embed.hashing import HashingEncoder
    from index.ingest.indexer import Indexer

    texts = ["Kim's train crossed the border at dawn", "Grade s is the top mark", "The border stayed closed"]
    with monkeypatch.context() as previous_release:
        # The word pattern of the previous release, pickled into the index's schema: "Kim's" is "kim" and "s".
        previous_release.setattr(keyword, "WORD_PATTERN", r"\w+(?:[.,]\d+)*")
        with Indexer(tmp_path / "index", encoder=HashingEncoder(256)) as indexer:
            indexer.add_articles(
                Article(id=f"a{n}", url=f"https://ex.org/{n}", title=f"Story {n}", text=text, published="2024-01-02",
                        site="ex.org", author=None, lang=None)
                for n, text in enumerate(texts)
            )  # fmt: skip
    with NewsSearch(tmp_path / "index") as news:
        stored = cast(Any, news._reader)._state.schema["body"].analyzer
        assert [t.text for t in stored("Kim's")] == ["kim", "s"]  # the index keeps its own analysis
        assert [h.id for h in news.search("Kim's", mode="keyword")] == ["a0"]
        assert {h.id for h in news.search("s", mode="keyword")} == {"a0", "a1"}
