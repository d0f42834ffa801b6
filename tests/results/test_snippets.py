"""Snippets: the passage that shows why a hit matched, with the query's words marked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from search.cli.render import render_results
from search.results.hits import Hit, SearchResults
from search.results.snippets import best_passage, term_spans
from tests.conftest import TEST_MODEL, CliResult, write_page

Cli = Callable[..., CliResult]

STORY = (
    "The city council met on Monday to discuss the annual budget for parks and libraries.\n\n"
    "Several members asked for more money for street lighting in the northern districts.\n\n"
    "The transport minister later said the ferry service to the islands would resume in May, "
    "ending a suspension that lasted two winters.\n\n"
    "Residents welcomed the news about the ferry."
)


def test_the_passage_with_most_query_words_is_chosen_and_marked() -> None:
    snippet = best_passage(STORY, ["ferry", "minister", "islands"], max_chars=400)
    assert snippet.text.startswith("The transport minister later said the ferry service")
    marked = [snippet.text[a:b] for a, b in snippet.spans]
    assert marked == ["minister", "ferry", "islands", "ferry"]
    assert "[minister]" in snippet.marked()


def test_stemmed_forms_match_in_the_articles_language() -> None:
    text = (
        "Harga beras naik lagi minggu ini di banyak pasar tradisional.\n\n"
        "Pertemuan para menteri membahas kenaikan harga pangan di seluruh provinsi."
    )
    snippet = best_passage(text, ["temu", "pangan"], lang="id")
    assert snippet.text.startswith("Pertemuan")
    assert [snippet.text[a:b] for a, b in snippet.spans] == ["Pertemuan", "pangan"]
    assert term_spans("Pertemuan", ["temu"]) == ()  # without the language, no stemming


def test_a_quoted_phrase_outweighs_scattered_words() -> None:
    text = "Online shops and transport firms grew fast.\n\nDrivers of transportasi online protested in Jakarta."
    snippet = best_passage(text, ["transportasi", "online"], phrases=["transportasi online"], max_chars=60)
    assert snippet.text.startswith("Drivers of transportasi online")


def test_hits_carry_highlights_in_json_and_colour_on_a_terminal(tmp_path: Path, cli: Cli) -> None:
    write_page(tmp_path / "pages" / "council.html", "Council budget and ferry news", STORY, url="https://ex.org/council")
    index_dir = tmp_path / "index"
    assert cli("index", tmp_path / "pages", "--index", index_dir, "--model", TEST_MODEL, "-q").exit_code == 0
    for mode in ("keyword", "semantic", "hybrid"):
        hit = cli("ferry minister", "--mode", mode, "--index", index_dir, "--json").json()["hits"][0]
        words = [hit["snippet"][a:b].lower() for a, b in hit["highlights"]]
        assert {"ferry", "minister"} <= set(words), mode
    hit = cli("ferry", "--index", index_dir, "--json").json()["hits"][0]
    results = SearchResults(
        query="ferry",
        mode="hybrid",
        hits=[Hit(**{**hit, "highlights": [tuple(s) for s in hit["highlights"]]})],
        total=1,
        offset=0,
        limit=10,
    )
    coloured = render_results(results, color=True)
    start, end = hit["highlights"][0]
    assert f"\x1b[33m\x1b[1m{hit['snippet'][start:end]}\x1b[0m" in coloured
    assert "\x1b[" not in render_results(results, color=False)
