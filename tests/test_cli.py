"""Every CLI command and error path, through the real console-script entry point."""

from __future__ import annotations

import json
import os
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
    assert set(group.commands) == {"search", "similar", "group", "index", "show", "stats", "remove", "eval"}
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
