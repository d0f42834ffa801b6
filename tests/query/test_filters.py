"""Filters (--since/--until/--site/--lang/--author and their query-syntax forms), inside both retrievers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index.backends.filters import SearchFilter, date_bound
from index.errors import QuerySyntaxError
from search.facade import NewsSearch
from tests.conftest import TEST_MODEL, CliResult, write_page
from tests.newsroom import RARE_ROWS, RARE_SITE, SIZE, record, write_corpus

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 600-article newsroom archive, indexed once through the CLI from its JSONL export."""
    from search.cli.app import main

    root = tmp_path_factory.mktemp("newsroom")
    corpus = write_corpus(root / "export.jsonl")
    index_dir = root / "index"
    try:
        main(["index", str(corpus), "--index", str(index_dir), "--model", TEST_MODEL, "--quiet"])
    except SystemExit as exc:
        assert not exc.code
    return index_dir


def test_jsonl_fields_are_mapped_for_filters(archive: Path) -> None:
    with NewsSearch(archive) as news:
        assert news.stats()["articles"] == SIZE
        # "published" and "date", "site" and "source" spellings all land in the filterable columns.
        assert news.get("art-0004").published == record(4)["published"]
        assert news.get("art-0003").published == record(3)["date"]
        assert news.get("art-0005").site == RARE_SITE and news.get("art-0006").site == "Capital Wire"
        assert news.get("art-0001").author == "Budi Santoso" and news.get("art-0009").lang == "id"


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_a_filter_keeping_one_percent_still_fills_the_page(archive: Path, mode: str) -> None:
    """The rare site's articles are all about the harbour; the query is about the volcano, so an
    unfiltered top 100 holds volcano stories and a post-filter would come back short. ("harbour" is
    in it because semantic and hybrid modes list only articles the query matches; the volcano words
    twice, so that the test encoder's query vector stays a volcano one.)"""
    query = "harbour terminal" if mode == "keyword" else "volcano volcano erupted erupted ash ash airport airport harbour"
    with NewsSearch(archive) as news:
        results = news.search_results(query, limit=len(RARE_ROWS), mode=mode, site="rare")  # type: ignore[arg-type]
        unfiltered = [h.site for h in news.search(query, limit=100, mode=mode)]  # type: ignore[arg-type]
    assert len(results.hits) == len(RARE_ROWS) == results.total
    assert {h.id for h in results.hits} == {f"art-{n:04d}" for n in RARE_ROWS}
    if mode != "keyword":
        assert RARE_SITE not in unfiltered  # so the filter really works inside the retriever


def test_dates_sites_languages_and_authors_combine(archive: Path) -> None:
    with NewsSearch(archive) as news:
        results = news.search_results(
            "report", limit=50, since="2023-03", until="2023-08", site=["harbour", "island"], lang="en", author="clara"
        )
        hits = results.hits
        assert len(hits) == results.total > 3
        for hit in hits:
            assert hit.published is not None and "2023-03-01" <= hit.published <= "2023-08-31"
            assert hit.site in ("Harbour Times", "Island Post") and hit.lang == "en" and hit.author == "Clara Moss"
        # The same filter written in the query string gives the same result set.
        inline = news.search_results(
            'report since:2023-03 until:2023-08 site:harbour site:island lang:en author:"clara"', limit=50
        )
        assert [h.id for h in inline.hits] == [h.id for h in hits]
        excluded = news.search_results("report -site:harbour NOT lang:id", limit=200, mode="keyword")
        assert excluded.hits and all(h.site != "Harbour Times" and h.lang != "id" for h in excluded.hits)


def test_filter_only_query_lists_the_articles_newest_first(archive: Path) -> None:
    with NewsSearch(archive) as news:
        results = news.search_results("site:rare", limit=10)
    assert results.total == len(RARE_ROWS) and results.sort == "date"
    dates = [h.published or "" for h in results.hits]
    assert dates == sorted(dates, reverse=True)


def test_cli_filters_match_the_library(archive: Path, cli: Cli) -> None:
    args = ["election ballots", "--index", archive, "--since", "2023-06-01", "--until", "2024-01", "--lang", "en", "-n", "10"]
    data = cli(*args, "--site", "capital", "--json").json()
    with NewsSearch(archive) as news:
        library = news.search("election ballots", 10, since="2023-06-01", until="2024-01", lang="en", site="capital")
    assert [h["id"] for h in data["hits"]] == [h.id for h in library]
    assert len(data["hits"]) == 10 and data["filter"] == "2023-06-01 to 2024-01-31, site capital, lang en"
    assert all("2023-06-01" <= h["published"] <= "2024-01-31" and h["site"] == "Capital Wire" for h in data["hits"])
    text = cli(*args, "--site", "capital").stdout
    assert text.startswith(f"{data['total']} results · 2023-06-01 to 2024-01-31")


def test_html_pages_filter_by_author_and_date(tmp_path: Path, cli: Cli) -> None:
    pages = tmp_path / "pages"
    # Three distinct visits (near-identical texts would be one near-duplicate group, shown once).
    topics = {
        "2023-10-02": "Talks on fishing rights and a new rail link filled most of the first afternoon.",
        "2023-10-20": "Delegations signed an agreement on student exchanges and the reopening of a consulate.",
        "2023-11-05": "Officials disagreed over grain deliveries, and a joint statement was postponed twice.",
    }
    for day, topic in topics.items():
        body = (
            f"Foreign minister Sergei Lavrov met officials in Pyongyang on {day} to discuss cooperation, trade and the "
            f"visit of the president next year, the ministry said in a statement after the talks ended. {topic}"
        )
        write_page(
            pages / f"lavrov-{day}.html", f"Lavrov in Pyongyang {day}", body, url=f"https://kompas.example/{day}", date=day
        )
    index_dir = tmp_path / "index"
    assert cli("index", pages, "--index", index_dir, "--model", TEST_MODEL, "-q").exit_code == 0
    data = cli("lavrov", "--since", "2023-10", "--until", "2023-10", "--author", "test writer", "--index", index_dir, "--json")
    assert sorted(h["published"] for h in data.json()["hits"]) == ["2023-10-02", "2023-10-20"]
    assert cli("lavrov date:2023-11", "--index", index_dir, "--json").json()["total"] == 1
    assert cli("lavrov", "--author", "nobody", "--index", index_dir, "--json").json()["hits"] == []


def test_date_bounds_and_errors() -> None:
    assert date_bound("2024", end=False) == "2024-01-01" and date_bound("2024", end=True) == "2024-12-31"
    assert date_bound("2024-02", end=True) == "2024-02-29" and date_bound("2023-10-05", end=True) == "2023-10-05"
    for bad in ("yesterday", "2023-13", "2023-02-30", "23-10-01"):
        with pytest.raises(QuerySyntaxError):
            date_bound(bad, end=False)
    with pytest.raises(QuerySyntaxError, match="empty"):
        SearchFilter.build(since="2024-02", until="2024-01")


def test_bad_dates_on_the_cli_are_one_line_errors(archive: Path, cli: Cli) -> None:
    for args in (("x", "--since", "March"), ("x", "--since", "2024", "--until", "2023"), ("x since:2023-02-31",)):
        result = cli(*args, "--index", archive)
        assert result.exit_code == 5  # QuerySyntaxError
        assert result.stderr.startswith("news-search: error:") and result.stderr.count("\n") == 1
