"""Query syntax: phrases, boolean operators, field prefixes, inline filters, and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index.backends.local.keyword.schema import build_schema
from index.errors import QuerySyntaxError
from search.facade import NewsSearch
from search.query.parser import QueryParser
from tests.conftest import TEST_MODEL, CliResult, write_page

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
    # A filter word not followed by a value is just a word.
    assert "site" in PARSER.parse("web site: news").terms


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "(a OR b", "a)", "AND", "foo AND", "OR bar", "foo OR OR bar", "NOT", "since:March", "date:2023-02-30", "()"],
)
def test_malformed_syntax_is_a_clear_error(query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        PARSER.parse(query)


def test_cli_syntax_errors_are_one_line(index_dir: Path, cli: Cli) -> None:
    for query in ('"unclosed', "harbour AND", "since:yesterday harbour"):
        result = cli(query, "--index", index_dir)
        assert result.exit_code == QuerySyntaxError.exit_code and "Traceback" not in result.stderr
        assert result.stderr.startswith("news-search: error:") and result.stderr.count("\n") == 1


def test_cli_and_library_agree_on_syntax(index_dir: Path, cli: Cli) -> None:
    query = 'minister -"harbour terminal"'
    data = cli(query, "--mode", "keyword", "--index", index_dir, "--json").json()
    assert {hit["title"] for hit in data["hits"]} == titles(index_dir, query)
