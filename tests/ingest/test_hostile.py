"""Hostile input: every bad file gets an article or a recorded skip reason, and good pages survive.

The inputs are generated into the test's folder by ``benchmarks/hostile.py`` (the 100 MB page and
the 1 GiB gzip bomb included); the two shared WARCs are read in place.
"""

from __future__ import annotations

import resource
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks import hostile
from index.article import Article, Skip
from index.backends.local.store import ArticleStore
from index.embed.hashing import HashingEncoder
from index.extract.pages import to_article
from index.extract.sources import Page, Record, iter_sources
from index.ingest.indexer import Indexer
from tests.conftest import SHARED, require

# Every reason a hostile file may be given; anything else (or an exception) fails the test.
KNOWN_REASONS = {
    "empty",
    "not_html",
    "not_text",
    "unreadable",
    "too_large",
    "too_short",
    "not_article",
    "malformed_json",
    "not_an_object",
    "missing_field",
    "unsupported_type",
    "http_error",
    "duplicate",
}
SECONDS_PER_FILE = 30.0
EXTRA_RSS_MB = 400


def outcomes(paths: list[Path]) -> list[Article | Skip]:
    """Read and extract like ingest does, one item at a time, with a time bound per item."""
    results: list[Article | Skip] = []
    started = time.perf_counter()
    for item in iter_sources(paths):
        result = item if isinstance(item, Skip) else to_article(item)
        assert isinstance(item, Page | Record | Skip)
        assert isinstance(result, Article | Skip)
        if isinstance(result, Skip):
            assert result.reason in KNOWN_REASONS, result
        results.append(result)
        assert time.perf_counter() - started < SECONDS_PER_FILE * len(paths)
    return results


def reasons(results: list[Article | Skip]) -> Counter[str]:
    return Counter(r.reason if isinstance(r, Skip) else "article" for r in results)


def titles(results: list[Article | Skip]) -> list[str]:
    return [r.title for r in results if isinstance(r, Article)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(generator: Callable[[Path], list[Path]], folder: Path) -> list[Article | Skip]:
    before = peak_rss_mb()
    results = outcomes(generator(folder))
    assert peak_rss_mb() - before < EXTRA_RSS_MB, "memory must stay bounded"
    return results


def test_empty_files(tmp_path: Path) -> None:
    assert reasons(run(hostile.empty_file, tmp_path)) == {"not_html": 1, "empty": 2}


def test_binary_files_named_html(tmp_path: Path) -> None:
    assert reasons(run(hostile.binary_as_html, tmp_path)) == {"not_html": 2}


def test_truncated_and_fake_gzip(tmp_path: Path) -> None:
    assert reasons(run(hostile.truncated_gzip, tmp_path)) == {"unreadable": 2}


def test_gzip_bomb_is_decompressed_only_up_to_the_page_limit(tmp_path: Path) -> None:
    started = time.perf_counter()
    results = run(hostile.gzip_bomb, tmp_path)
    assert reasons(results) == {"too_large": 1}
    assert time.perf_counter() - started < SECONDS_PER_FILE


def test_a_100_mb_page(tmp_path: Path) -> None:
    results = run(hostile.huge_html, tmp_path)
    assert reasons(results) == {"too_large": 1}


def test_html_nested_200000_levels_deep(tmp_path: Path) -> None:
    results = run(hostile.deep_nesting, tmp_path)
    assert titles(results) == ["Deep"]  # the article inside the deep nest is found
    assert reasons(results) == {"article": 1, "not_article": 1}


def test_wrong_and_undeclared_charsets_decode_to_the_right_text(tmp_path: Path) -> None:
    results = run(hostile.charsets, tmp_path)
    assert reasons(results) == {"article": 5}
    by_title = {r.title: r.text for r in results if isinstance(r, Article)}
    assert "café" in by_title["Le café rouvre"] and "Ã" not in by_title["Le café rouvre"]
    assert "地铁" in by_title["地铁新线明年开通"]
    budget = next(text for title, text in by_title.items() if title.startswith("Council bud") and "José Álvarez" in text)
    assert "“We will deliver" in budget  # the valid UTF-8 around a broken byte is kept intact


def test_broken_warc_records_are_skipped_and_the_good_ones_kept(tmp_path: Path) -> None:
    results = run(hostile.broken_warc, tmp_path)
    assert titles(results) == ["First good record", "Last good record"]
    assert reasons(results)["unreadable"] == 3  # garbage, a wrong length, an unknown WARC version


def test_warc_0_18_with_malformed_dates(tmp_path: Path) -> None:
    require(SHARED / "eval" / "warc" / "clueweb-quirk.warc.gz")
    results = run(hostile.clueweb_quirk, tmp_path)
    assert len(results) == 29  # every response record is read
    assert reasons(results)["article"] >= 25
    assert all("\ufffd" not in r.title for r in results if isinstance(r, Article))  # EUC-JP decoded


def test_jsonl_lines_that_are_not_objects_or_have_wrong_types(tmp_path: Path) -> None:
    results = run(hostile.bad_jsonl, tmp_path)
    assert reasons(results) == {
        "not_an_object": 4,
        "missing_field": 3,
        "malformed_json": 2,
        "too_short": 1,
        "article": 3,
    }


def test_pages_that_are_not_articles(tmp_path: Path) -> None:
    require(SHARED / "eval" / "warc" / "cc-main-2020-34-sample.filtered.warc.gz")
    results = run(hostile.not_articles, tmp_path)
    assert len(results) == 6 and reasons(results)["not_article"] >= 2


def test_a_hostile_batch_keeps_its_good_pages(tmp_path: Path) -> None:
    """All generated inputs (not the two largest) in one folder with a good page, through the real ingest."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for generator in (
        hostile.empty_file,
        hostile.binary_as_html,
        hostile.truncated_gzip,
        hostile.deep_nesting,
        hostile.charsets,
        hostile.broken_warc,
        hostile.bad_jsonl,
    ):
        generator(folder)
    good = hostile.good_page(folder)
    with Indexer(tmp_path / "index", encoder=HashingEncoder(256)) as indexer:
        report = indexer.add([folder])
    store = ArticleStore(tmp_path / "index" / "articles.sqlite", readonly=True)
    try:
        sources = {article.source for _, article in store.iter_articles()}
        stored_titles = {article.title for _, article in store.iter_articles()}
        skipped = store.skip_counts()
    finally:
        store.close()
    assert str(good.resolve()) in sources
    assert {"Deep", "First good record", "Last good record", "Le café rouvre", "地铁新线明年开通"} <= stored_titles
    assert report.added == len(sources)
    assert set(skipped) <= KNOWN_REASONS and sum(skipped.values()) == sum(report.skipped.values())


@pytest.mark.slow
def test_every_hostile_input_through_the_cli_without_traceback_in_bounded_memory(tmp_path: Path) -> None:
    """Each input in its own `news-search index` process: exit 0, no traceback, good page kept, RSS bounded."""
    for name in hostile.GENERATORS:
        row = hostile.measure(name, tmp_path / "scratch")
        if row.get("outcome") == "data not found":
            continue
        assert row["exit_code"] == 0 and not row["traceback"], row
        assert row["good_page_kept"], row
        assert row["peak_rss_mb"] < 1024 and row["seconds"] < 120, row
