"""Every CLI command and error path, through the real console-script entry point."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from search.cli.app import app
from tests.conftest import HARBOUR, TEST_MODEL, VOLCANO, CliResult, write_page

Cli = Callable[..., CliResult]


@pytest.fixture
def built(tmp_path: Path, cli: Cli) -> Path:
    pages = tmp_path / "pages"
    write_page(
        pages / "harbour.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour", date="2024-02-01"
    )
    write_page(pages / "volcano.html", "Volcano erupts, airport closed", VOLCANO, url="https://ex.org/volcano", date="2023-07-04")
    index_dir = tmp_path / "index"
    result = cli("index", pages, "--index", index_dir, "--model", TEST_MODEL, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["added"] == 2
    return index_dir


def test_bare_query_routes_to_search(built: Path, cli: Cli) -> None:
    result = cli("volcano airport", "--index", built, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["query"] == "volcano airport" and data["mode"] == "hybrid"
    top = data["hits"][0]
    assert top["title"] == "Volcano erupts, airport closed"
    for key in (
        "id",
        "title",
        "url",
        "published",
        "site",
        "author",
        "lang",
        "score",
        "snippet",
        "keyword_rank",
        "keyword_score",
        "semantic_rank",
        "semantic_score",
    ):
        assert key in top
    assert (top["published"], top["url"], top["author"], top["lang"]) == (
        "2023-07-04",
        "https://ex.org/volcano",
        "Test Writer",
        "en",
    )
    assert top["keyword_rank"] == 1 and top["semantic_rank"] is not None


def test_index_option_may_come_first_and_env_var_works(built: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("--index", built, "harbour", "--json").json()["hits"][0]["title"].startswith("Harbour")
    monkeypatch.setenv("NEWS_SEARCH_INDEX", str(built))
    assert cli("harbour", "--json", "--mode", "keyword").json()["hits"][0]["title"].startswith("Harbour")


def test_search_word_that_is_a_command_name(built: Path, cli: Cli) -> None:
    result = cli("search", "index", "--index", built, "--json")
    assert result.exit_code == 0
    assert result.json()["query"] == "index"


def test_modes_and_limit(built: Path, cli: Cli) -> None:
    for mode in ("keyword", "semantic", "hybrid"):
        data = cli("harbour terminal", "--index", built, "--mode", mode, "-n", "1", "--json").json()
        assert data["mode"] == mode and len(data["hits"]) == 1
        assert data["hits"][0]["title"] == "Harbour terminal to open in March"
    keyword_only = cli("harbour", "--index", built, "--mode", "keyword", "--json").json()["hits"]
    assert all(h["semantic_rank"] is None for h in keyword_only)


def test_weighted_fusion_option(built: Path, cli: Cli) -> None:
    data = cli("volcano", "--index", built, "--fusion", "weighted", "--alpha", "0.3", "--json").json()
    assert data["hits"][0]["title"] == "Volcano erupts, airport closed"


def test_human_output_shows_rank_title_site_date_url_snippet(built: Path, cli: Cli) -> None:
    out = cli("volcano", "--index", built, "-n", "1").stdout
    assert " 1. Volcano erupts, airport closed" in out
    assert "2023-07-04" in out and "https://ex.org/volcano" in out and "ash four kilometres" in out


def test_show_and_show_json(built: Path, cli: Cli) -> None:
    hit = cli("volcano", "--index", built, "--json").json()["hits"][0]
    shown = cli("show", hit["id"], "--index", built, "--json")
    assert shown.exit_code == 0
    article = shown.json()
    assert {"id", "title", "url", "published", "author", "site", "lang", "text"} <= article.keys()
    assert "three thousand residents" in article["text"] and "Most read" not in article["text"]
    assert cli("show", "https://ex.org/volcano", "--index", built, "--json").json()["id"] == hit["id"]
    assert "three thousand residents" in cli("show", hit["id"], "--index", built).stdout


def test_stats(built: Path, cli: Cli) -> None:
    data = cli("stats", "--index", built, "--json").json()
    assert data["articles"] == 2 and data["model"] == TEST_MODEL and data["size_bytes"] > 0
    assert "articles   2" in cli("stats", "--index", built).stdout


def test_reindex_is_idempotent_and_remove_works(built: Path, cli: Cli, tmp_path: Path) -> None:
    again = cli("index", tmp_path / "pages", "--index", built, "--json").json()
    assert (again["added"], again["unchanged"]) == (0, 2)
    assert cli("stats", "--index", built, "--json").json()["articles"] == 2
    hit = cli("volcano", "--index", built, "--mode", "keyword", "--json").json()["hits"][0]
    removed = cli("remove", hit["id"], "--index", built, "--json")
    assert removed.exit_code == 0 and removed.json() == {"removed": [hit["id"]], "missing": []}
    assert cli("volcano", "--index", built, "--mode", "keyword", "--json").json()["hits"] == []
    assert cli("stats", "--index", built, "--json").json()["articles"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("volcano",), "no index at"),
        (("show", "abc"), "no index at"),
        (("stats",), "no index at"),
        (("remove", "abc"), "no index at"),
    ],
)
def test_no_index_is_one_clear_line(tmp_path: Path, cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args, "--index", tmp_path / "nothing-here")
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "nothing-here").exists() or not any((tmp_path / "nothing-here").iterdir())


def test_error_paths(built: Path, cli: Cli, tmp_path: Path) -> None:
    cases = {
        "unreadable path": cli("index", tmp_path / "missing-folder", "--index", built),
        "malformed query": cli('"unclosed phrase', "--index", built),
        "unbalanced parenthesis": cli("(volcano OR ash", "--index", built),
        "empty query": cli("   ", "--index", built),
        "unknown id": cli("show", "0000000000000000", "--index", built),
        "other model": cli("volcano", "--index", built, "--model", "hashing-64"),
        "other model on index": cli("index", tmp_path / "pages", "--index", built, "--model", "hashing-64"),
    }
    for name, result in cases.items():
        assert result.exit_code != 0, name
        assert result.stderr.startswith("news-search: error: "), (name, result.stderr)
        assert result.stderr.count("\n") == 1, (name, result.stderr)
    data = json.loads(cli("stats", "--index", built, "--json").stdout)
    manifest = built / "manifest.json"
    raw = json.loads(manifest.read_text())
    raw["format_version"] = 0
    manifest.write_text(json.dumps(raw))
    result = cli("volcano", "--index", built)
    assert result.exit_code != 0 and "format version 0" in result.stderr and result.stderr.count("\n") == 1
    assert data["articles"] == 2


def test_every_command_is_documented(cli: Cli) -> None:
    import typer.main

    group = typer.main.get_group(app)
    assert set(group.commands) == {"search", "similar", "group", "index", "show", "stats", "remove", "eval", "serve"}
    top = cli("--help").stdout
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help text"
        assert name in top
        assert cli(name, "--help").exit_code == 0


def test_console_script_in_a_subprocess_exits_cleanly(tmp_path: Path) -> None:
    """The installed entry point: a real process, a real exit code, no traceback."""
    env = {**os.environ, "NEWS_SEARCH_INDEX": str(tmp_path / "none")}
    proc = subprocess.run(
        [sys.executable, "-m", "search.cli", "Lavrov Pyongyang"], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("news-search: error: no index at") and "Traceback" not in proc.stderr


def test_usage_errors_exit_2_without_traceback(built: Path, cli: Cli) -> None:
    for args in (("volcano", "--mode", "fuzzy"), ("volcano", "--bogus"), ("index",)):
        result = cli(*args, "--index", built)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.stderr


def test_damaged_derived_indexes_are_reported_and_rebuild_repairs_them(built: Path, cli: Cli) -> None:
    import shutil

    shutil.rmtree(built / "keyword")
    result = cli("volcano", "--index", built)
    assert result.exit_code != 0 and "--rebuild" in result.stderr and result.stderr.count("\n") == 1
    (built / "vector" / "vectors.faiss").write_bytes(b"garbage")
    rebuilt = cli("index", "--rebuild", "--index", built, "--json")
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert cli("volcano", "--index", built, "--json").json()["hits"][0]["title"] == "Volcano erupts, airport closed"


def test_stats_json_lists_skipped_pages_with_reasons(tmp_path: Path, cli: Cli) -> None:
    pages = tmp_path / "pages"
    write_page(pages / "harbour.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    (pages / "short.html").write_text("<html><body><p>Too short to be news.</p></body></html>")
    (pages / "binary.html").write_bytes(bytes(range(256)) * 8)
    index_dir = tmp_path / "index"
    assert cli("index", pages, "--index", index_dir, "--model", TEST_MODEL, "--quiet").exit_code == 0
    data = cli("stats", "--index", index_dir, "--json").json()
    assert data["skipped"] == {"not_html": 1, "too_short": 1}
    listed = {Path(p["source"]).name: p["reason"] for p in data["skipped_pages"]}
    assert listed == {"short.html": "too_short", "binary.html": "not_html"}


def test_a_query_may_start_with_a_dash(built: Path, cli: Cli) -> None:
    """`-word` and `-site:x` are query syntax (exclusions), not options, wherever they stand."""
    first = cli("-site:nosuch volcano", "--index", built, "--json")
    assert first.exit_code == 0, first.stderr
    assert first.json()["query"] == "-site:nosuch volcano" and first.json()["hits"][0]["title"].startswith("Volcano")
    excluded = cli("-volcano", "harbour", "-n1", "--mode", "keyword", "--index", built, "--json")
    assert excluded.exit_code == 0, excluded.stderr
    assert excluded.json()["query"] == "-volcano harbour" and excluded.json()["limit"] == 1
    assert [h["title"] for h in excluded.json()["hits"]] == ["Harbour terminal to open in March"]
    attached = cli("harbour", "-nope", "--mode", "keyword", "--index", built, "--json")  # not `-n ope`
    assert attached.exit_code == 0 and attached.json()["query"] == "harbour -nope"
    # Options, their values (even "-1") and option-like mistakes are still the parser's.
    assert "--recency must be at least 0 (got -1)" in cli("harbour", "--recency", "-1", "--index", built).stderr
    assert "no such option: --limt" in cli("harbour", "--limt", "3", "--index", built).stderr
    ended = cli("search", "--index", built, "--json", "--", "-harbour", "-n", "volcano")  # `--` still ends the options
    assert ended.exit_code == 0 and ended.json()["query"] == "-harbour -n volcano" and ended.json()["limit"] == 10


def test_options_before_the_command_name_still_run_that_command(built: Path, cli: Cli) -> None:
    """`news-search --index DIR stats` runs stats, not a search for the word "stats"."""
    stats = cli("--index", built, "--json", "stats")
    assert stats.exit_code == 0, stats.stderr
    assert stats.json()["articles"] == 2
    assert cli(f"--index={built}", "stats", "--json").json()["articles"] == 2
    hit = cli("volcano", "--index", built, "--mode", "keyword", "--json").json()["hits"][0]
    removed = cli("--index", built, "--json", "remove", hit["id"])
    assert removed.exit_code == 0 and removed.json() == {"removed": [hit["id"]], "missing": []}
    assert cli("stats", "--index", built, "--json").json()["articles"] == 1
    # Options the command does not have, and dash words, leave the word a query, as before.
    searched = cli("-n", "3", "--index", built, "--json", "stats")
    assert searched.exit_code == 0 and searched.json()["query"] == "stats" and searched.json()["limit"] == 3
    assert cli("-volcano", "stats", "--index", built, "--json").json()["query"] == "-volcano stats"


@pytest.mark.parametrize(
    ("args", "routed"),
    [
        (["--index", "D", "stats"], ["stats", "--index", "D"]),
        (["--index=D", "--json", "remove", "a", "b"], ["remove", "--index=D", "--json", "a", "b"]),
        (["--json", "-q", "index", "p"], ["index", "--json", "-q", "p"]),
        (["--index", "stats", "stats"], ["stats", "--index", "stats"]),  # the first "stats" is the option's value
        (["stats"], ["stats"]),
        (["volcano", "stats"], ["search", "volcano", "stats"]),
        (["-n", "5", "stats"], ["search", "-n", "5", "stats"]),  # stats has no -n: a search, limit 5
        (["-n5", "--mode", "keyword", "show"], ["search", "-n5", "--mode", "keyword", "show"]),
        (["--", "stats"], ["search", "--", "stats"]),
        (["--index", "D"], ["search", "--index", "D"]),
        (["-stats"], ["search", "-stats"]),
    ],
)
def test_the_group_routes_to_the_command_after_leading_options(args: list[str], routed: list[str]) -> None:
    import typer.main

    group = typer.main.get_group(app)
    assert group.route(args) == routed  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("volcano", "-n", "0"), "-n/--limit must be at least 1 (got 0)"),
        (("volcano", "-n", "1001"), "-n/--limit must be at most 1000 (got 1001)"),
        (("volcano", "--limit", "ten"), "-n/--limit must be a whole number (got 'ten')"),
        (("volcano", "--mode", "bogus"), "--mode must be one of hybrid, keyword, semantic (got 'bogus')"),
        (("volcano", "--sort", "oldest"), "--sort must be one of relevance, date (got 'oldest')"),
        (("volcano", "--alpha", "2"), "--alpha must be at most 1 (got 2)"),
        (("volcano", "--recency", "inf"), "--recency must be a finite number (got 'inf')"),
        (("volcano", "--half-life", "0"), "--half-life must be at least 1 (got 0)"),
        (("volcano", "--page", "0"), "--page must be at least 1 (got 0)"),
        (("volcano", "--fusion", "max"), "--fusion must be one of rrf, weighted (got 'max')"),
        (("similar", "abc", "--offset", "-2"), "--offset must be at least 0 (got -2)"),
        (("index", "x", "--workers", "many"), "--workers must be a whole number (got 'many')"),
        (("index", "x", "--analysis", "stem"), "--analysis must be one of snowball, plain (got 'stem')"),
        (("index",), "give one or more files or folders to index (or --rebuild)"),
        (("volcano", "--page", "2", "--offset", "3"), "give --page or --offset, not both"),
        (("volcano", "--bogus"), "no such option: --bogus (see `news-search search --help`)"),
        (("eval", "--queries", "q.jsonl"), "missing option '--qrels'"),
    ],
)
def test_usage_errors_are_one_line_in_our_words(built: Path, cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args, "--index", built)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"news-search: error: {message}"), result.stderr
    assert result.stderr.count("\n") == 1 and "╭" not in result.stderr and result.stdout == ""


def test_remove_says_which_ids_were_not_found(built: Path, cli: Cli) -> None:
    hit = cli("volcano", "--index", built, "--mode", "keyword", "--json").json()["hits"][0]
    result = cli("remove", hit["id"], "0000000000000000", "--index", built)
    assert result.exit_code == 7  # ArticleNotFoundError: a typo in a script's list does not pass unnoticed
    assert result.stdout == f"removed {hit['id']}\n"
    assert result.stderr.count("\n") == 1 and "no article with id 0000000000000000" in result.stderr
    assert "1 other removed" in result.stderr
    assert cli("stats", "--index", built, "--json").json()["articles"] == 1  # the known one is gone all the same
    again = cli("remove", "0000000000000000", "--index", built, "--json")
    assert again.exit_code == 7 and again.json() == {"removed": [], "missing": ["0000000000000000"]}


def test_a_filter_that_matches_nothing_says_what_the_index_holds(built: Path, cli: Cli) -> None:
    text = cli("volcano", "--lang", "english", "--index", built).stdout
    assert "note: no article has language 'english'; the index holds: en 2" in text
    data = cli("volcano", "--site", "nosuchsite", "--index", built, "--json").json()
    assert data["total"] == 0 and len(data["notes"]) == 1 and data["notes"][0].startswith("no site matches 'nosuchsite'; sites: ")
    dated = cli("volcano since:2030", "--index", built, "--json").json()
    assert dated["notes"] == ["no article is dated 2030-01-01 to …; the articles are dated 2023-07-04 to 2024-02-01"]
    # A filter that some article passes, with a query that finds nothing there: no note, and none without a filter.
    assert cli("xyzzy", "--lang", "en", "--mode", "keyword", "--index", built, "--json").json()["notes"] == []
    assert cli("volcano", "--index", built, "--json").json()["notes"] == []


def test_human_output_wraps_to_the_terminal_width_keeping_the_indent(
    built: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from search.cli.render import render_hits
    from search.facade import NewsSearch

    def snippet_lines(text: str) -> list[str]:
        block = text.split("\n\n")[1].splitlines()
        return [line for line in block[3:] if not line.strip().startswith("id ")]  # after title, meta, url

    monkeypatch.setenv("COLUMNS", "60")
    narrow = cli("harbour terminal", "--mode", "keyword", "-n", "1", "--index", built).stdout
    lines = snippet_lines(narrow)
    assert len(lines) > 1 and all(len(line) <= 60 and line.startswith("    ") and line[4] != " " for line in lines), lines
    monkeypatch.setenv("COLUMNS", "200")
    wide = snippet_lines(cli("harbour terminal", "--mode", "keyword", "-n", "1", "--index", built).stdout)
    assert len(wide) < len(lines) and " ".join(w.strip() for w in wide) == " ".join(n.strip() for n in lines)
    # On a terminal (colour on) the same width holds: escape codes are not columns.
    monkeypatch.setenv("COLUMNS", "60")
    with NewsSearch(built) as news:
        hits = news.search("harbour terminal", limit=1, mode="keyword")
    coloured = render_hits(hits, (), color=True).splitlines()
    visible = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in coloured]
    assert any("\x1b[" in line for line in coloured[3:])
    assert visible == render_hits(hits, (), color=False).splitlines()
    assert all(len(line) <= 60 for line in visible if not line.strip().startswith("http"))


def test_rebuild_says_what_it_rebuilt(built: Path, cli: Cli) -> None:
    result = cli("index", "--rebuild", "--index", built)
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        r"rebuilt the keyword and vector indexes \(snowball analysis\) from 2 stored articles in \d+\.\d s\n", result.stdout
    ), result.stdout
    data = cli("index", "--rebuild", "--index", built, "--json").json()
    assert data["rebuilt"]["articles"] == 2 and data["pages"] == 0
