"""Result sets: pagination, date sorting, recency boost, facets and explanations (library and CLI)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from search.facade import NewsSearch
from search.ranking.recency import RecencySettings
from tests.conftest import TEST_MODEL, CliResult
from tests.newsroom import record, write_corpus

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from search.cli.app import main

    root = tmp_path_factory.mktemp("results")
    corpus = write_corpus(root / "export.jsonl")
    try:
        main(["index", str(corpus), "--index", str(root / "index"), "--model", TEST_MODEL, "--quiet"])
    except SystemExit as exc:
        assert not exc.code
    return root / "index"


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_pages_are_disjoint_stable_and_agree_on_the_total(archive: Path, mode: str) -> None:
    with NewsSearch(archive) as news:
        pages = [news.search_results("harbour terminal ships", 10, mode, offset=offset) for offset in (0, 10, 20, 30)]  # type: ignore[arg-type]
        again = news.search_results("harbour terminal ships", 10, mode, offset=10)  # type: ignore[arg-type]
        whole = news.search_results("harbour terminal ships", 40, mode)  # type: ignore[arg-type]
    ids = [hit.id for page in pages for hit in page.hits]
    assert len(ids) == len(set(ids)) == 40
    assert {page.total for page in pages} == {pages[0].total} and pages[0].total >= 40
    assert [h.id for h in again.hits] == [h.id for h in pages[1].hits]
    assert [hit.rank for hit in pages[2].hits] == list(range(21, 31))
    if mode == "keyword":  # every matching article is in the result set, so page size does not change it
        assert ids == [hit.id for hit in whole.hits]


def test_cli_pages_match_the_library(archive: Path, cli: Cli) -> None:
    page3 = cli("election", "--page", "3", "-n", "5", "--index", archive, "--json").json()
    by_offset = cli("election", "--offset", "10", "-n", "5", "--index", archive, "--json").json()
    with NewsSearch(archive) as news:
        library = news.search_results("election", 5, offset=10)
    assert [h["id"] for h in page3["hits"]] == [h["id"] for h in by_offset["hits"]] == [h.id for h in library.hits]
    assert page3["total"] == library.total and page3["offset"] == 10
    assert "page 3 of" in cli("election", "--page", "3", "-n", "5", "--index", archive).stdout.splitlines()[0]


def test_sort_by_date_orders_the_result_set_newest_first(archive: Path, cli: Cli) -> None:
    with NewsSearch(archive) as news:
        relevance = news.search_results("football goal", 20, "keyword")
        by_date = news.search_results("football goal", 20, "keyword", sort="date")
    dates = [hit.published or "" for hit in by_date.hits]
    assert dates == sorted(dates, reverse=True) and by_date.total == relevance.total
    assert dates != [hit.published for hit in relevance.hits]
    data = cli("football goal", "--mode", "keyword", "--sort", "date", "-n", "20", "--index", archive, "--json").json()
    assert [h["id"] for h in data["hits"]] == [h.id for h in by_date.hits] and data["sort"] == "date"


def test_recency_boost_is_off_by_default_and_lifts_newer_articles_when_on(archive: Path) -> None:
    with NewsSearch(archive) as news:
        default = news.search_results("markets inflation", 30)
        off = news.search_results("markets inflation", 30, recency=RecencySettings(weight=0.0))
        on = news.search_results("markets inflation", 30, recency=RecencySettings(weight=2.0, half_life_days=60))
    assert [(h.id, h.score) for h in off.hits] == [(h.id, h.score) for h in default.hits]
    assert all(h.recency_boost == 0.0 for h in default.hits)
    assert any(h.recency_boost > 0 for h in on.hits)

    def mean_date(hits: list[str | None]) -> float:
        return sum(int((d or "0000")[:4]) * 12 + int((d or "0000-00")[5:7]) for d in hits) / len(hits)

    top = 10
    assert mean_date([h.published for h in on.hits[:top]]) > mean_date([h.published for h in default.hits[:top]])


def test_facets_count_the_whole_result_set(archive: Path, cli: Cli) -> None:
    with NewsSearch(archive) as news:
        results = news.search_results("volcano ash", 5, "keyword", facets=True)
        everything = news.search_results("volcano ash", 1000, "keyword")
    assert results.facets is not None and len(results.hits) == 5
    assert sum(results.facets["site"].values()) == results.total == len(everything.hits) > 5
    assert results.facets["site"] == dict(Counter(h.site for h in everything.hits).most_common())
    assert results.facets["lang"] == dict(Counter(h.lang for h in everything.hits).most_common())
    months = Counter((h.published or "")[:7] for h in everything.hits)
    assert results.facets["month"] == dict(sorted(months.items())) and list(results.facets["month"]) == sorted(months)
    data = cli("volcano ash", "--mode", "keyword", "-n", "5", "--facets", "--index", archive, "--json").json()
    assert data["facets"] == results.facets
    text = cli("volcano ash", "--mode", "keyword", "-n", "5", "--facets", "--index", archive).stdout
    assert "Facets (whole result set):" in text and "month " in text
    assert "facets" not in cli("volcano ash", "--index", archive, "--json").json()


def test_explain_shows_ranks_scores_fusion_and_boost(archive: Path, cli: Cli) -> None:
    with NewsSearch(archive) as news:
        hits = news.search("election ballots parliament", 10)
        alpha = news.fusion.alpha
    for hit in hits:
        assert hit.keyword_contribution is not None and hit.semantic_contribution is not None
        assert hit.score == pytest.approx(hit.keyword_contribution + hit.semantic_contribution)
    both = next(h for h in hits if h.keyword_rank and h.semantic_rank)
    assert both.keyword_score is not None and both.semantic_score is not None and 0 < alpha < 1
    text = cli("election ballots parliament", "-n", "3", "--explain", "--index", archive).stdout
    explained = [line.strip() for line in text.splitlines() if line.strip().startswith("explain:")]
    assert len(explained) == 3
    first = hits[0]
    assert f"keyword #{first.keyword_rank} ({first.keyword_score:.3f})" in explained[0]
    assert f"semantic #{first.semantic_rank} ({first.semantic_score:.3f})" in explained[0]
    assert "recency boost +0.000" in explained[0]
    boosted = cli("election", "-n", "3", "--explain", "--recency", "1", "--index", archive).stdout
    assert "recency boost +0.000" not in boosted.split("explain:")[1].split("\n")[0]


def test_eval_shows_recency_off_changes_nothing(archive: Path, tmp_path: Path, cli: Cli) -> None:
    queries = tmp_path / "queries.jsonl"
    qrels = tmp_path / "qrels.tsv"
    beats = ["harbour", "volcano", "election", "football", "markets"]
    queries.write_text("".join(json.dumps({"id": b, "text": f"{b} report"}) + "\n" for b in beats))
    judged = [(record(n)["title"], record(n)["id"]) for n in range(0, 600, 7)]
    qrels.write_text("".join(f"{str(title).split()[0].lower()}\t{doc}\t1\n" for title, doc in judged))
    data = cli("eval", "--queries", queries, "--qrels", qrels, "--index", archive, "--json").json()
    recency = data["recency"]
    assert recency["off_same_ranking"] is True and recency["off"] == data["modes"]["hybrid"]
    assert recency["on_settings"]["weight"] == 0.2 and set(recency["on"]) == set(recency["off"])
    text = cli("eval", "--queries", queries, "--qrels", qrels, "--index", archive).stdout
    assert "same ranking as hybrid" in text
