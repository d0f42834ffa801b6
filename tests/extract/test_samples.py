"""Extraction of every page in the shipped sample archive against its written expectations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index.article import Article, Skip, normalize_text
from index.extract.pages import to_article
from index.extract.sources import Page, Record, iter_sources
from search.facade import NewsSearch
from tests.conftest import SAMPLES, CliResult, expected_samples


def extracted() -> dict[str, Article | Skip]:
    """Every item of the archive by its expectation key (path, or path#id for JSONL records)."""
    results: dict[str, Article | Skip] = {}
    for item in iter_sources([SAMPLES]):
        result = item if isinstance(item, Skip) else to_article(item)
        relative = Path(item.source.split(":")[0] if isinstance(item, Record) else item.source).relative_to(SAMPLES)
        key = str(relative)
        if isinstance(item, Record | Page) and isinstance(result, Article) and key.endswith(".jsonl"):
            key = f"{key}#{item.fields.get('id') if isinstance(item, Record) else result.id}"
        results[key] = result
    return results


EXTRACTED = extracted()
EXPECTED = expected_samples()


def test_archive_is_big_and_varied_enough() -> None:
    articles = [e for e in EXPECTED if e["kind"] == "article"]
    assert len(articles) >= 30
    assert {e["lang"] for e in articles} == {"id", "en"}
    assert min(sum(e["lang"] == lang for e in articles) for lang in ("id", "en")) >= 12
    assert len({e["published"][:4] for e in articles}) >= 5
    assert set(EXTRACTED) == {e["path"] for e in EXPECTED}


@pytest.mark.parametrize("expected", [e for e in EXPECTED if e["kind"] == "article"], ids=lambda e: e["path"])
def test_article_metadata_and_text(expected: dict[str, Any]) -> None:
    article = EXTRACTED[expected["path"]]
    assert isinstance(article, Article), article
    assert article.title == expected["title"]
    assert article.published == expected["published"]
    assert article.author == expected["author"]
    assert article.lang == expected["lang"]
    assert article.url == expected["url"]
    if not expected["path"].startswith("clippings/"):
        assert article.site == expected["site"]
    assert expected["must_contain"] in article.text
    for furniture in expected["must_not_contain"]:
        assert furniture not in article.text, furniture


@pytest.mark.parametrize("expected", [e for e in EXPECTED if e["kind"] == "not_article"], ids=lambda e: e["path"])
def test_pages_that_are_not_articles_are_skipped_with_a_reason(expected: dict[str, Any]) -> None:
    result = EXTRACTED[expected["path"]]
    assert isinstance(result, Skip) and result.reason in {"not_article", "too_short"}


def test_lavrov_pyongyang_ranks_the_arrival_story_first(sample_index: Path) -> None:
    with NewsSearch(sample_index) as engine:
        for mode in ("keyword", "hybrid"):
            top = engine.search("Lavrov Pyongyang", limit=5, mode=mode)
            assert "Lavrov" in top[0].title and "Pyongyang" in top[0].title, (mode, [h.title for h in top])
            assert top[0].published == "2023-10-18"


def test_no_body_repeats_its_headline_as_first_line() -> None:
    """Asia Pacific Wire, Meridian Post and Suara Pagi print the headline again inside the article
    element; the body must start with the story, or snippets and `show` repeat the title."""
    repeated = [
        key
        for key, article in EXTRACTED.items()
        if isinstance(article, Article) and normalize_text(article.text.split("\n")[0]) == normalize_text(article.title)
    ]
    assert repeated == []


def test_show_prints_the_headline_once(sample_index: Path, cli: Callable[..., CliResult]) -> None:
    title = "Hundreds of foreign runners join Pyongyang marathon"
    with NewsSearch(sample_index) as engine:
        (hit,) = [h for h in engine.search(title, limit=5, mode="keyword") if h.title == title]
    assert not hit.snippet.startswith(title)
    shown = cli("show", "--index", sample_index, hit.id)
    assert shown.exit_code == 0, shown.stderr
    assert shown.stdout.count(title) == 1, shown.stdout[:400]
