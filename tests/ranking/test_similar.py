"""More like this: related articles, never the source itself nor its near-copies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from index.errors import ArticleNotFoundError
from search.facade import NewsSearch
from tests.conftest import HARBOUR, TEST_MODEL, VOLCANO, CliResult, write_page

Cli = Callable[..., CliResult]

RELATED = (
    "Shipping lines welcomed the harbour's new container terminal, saying the port's extra capacity would cut "
    "waiting times for ships and cargo.\n\n"
    "The harbour authority plans a second terminal and a rail link to the port within five years."
)
ALSO_RELATED = (
    "Dock workers at the port said the container terminal would bring new jobs to the harbour district.\n\n"
    "The union asked the harbour authority to train local people for the cranes at the terminal."
)


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from search.cli.app import main

    root = tmp_path_factory.mktemp("similar")
    pages = root / "pages"
    write_page(
        pages / "source.html", "Harbour terminal to open in March", HARBOUR, url="https://a.example/harbour", date="2024-02-01"
    )
    # The same wire story on another portal: another headline, a line added at the end.
    copy = HARBOUR + "\n\nFollow our port coverage for more."
    write_page(
        pages / "copy.html", "New terminal for the harbour", copy, url="https://b.example/port-terminal", date="2024-02-01"
    )
    write_page(
        pages / "related.html", "Shipping lines welcome terminal", RELATED, url="https://c.example/lines", date="2024-02-03"
    )
    write_page(pages / "also.html", "Jobs at the new terminal", ALSO_RELATED, url="https://c.example/jobs", date="2024-03-10")
    write_page(
        pages / "volcano.html", "Volcano erupts, airport closed", VOLCANO, url="https://c.example/volcano", date="2023-07-04"
    )
    # The same words in another order: no shared word 3-grams, so no near-duplicate group, but the
    # same bag of words, so the (bag-of-words) test encoder puts it at cosine 1: caught by the threshold.
    words = HARBOUR.split()
    scrambled = " ".join(words[1::2] + words[::2])
    write_page(
        pages / "scrambled.html", "March in open to terminal Harbour", scrambled, url="https://d.example/x", date="2024-02-02"
    )
    try:
        main(["index", str(pages), "--index", str(root / "index"), "--model", TEST_MODEL, "-q"])
    except SystemExit as exc:
        assert not exc.code
    return root / "index"


def test_similar_returns_related_articles_not_copies(index_dir: Path) -> None:
    with NewsSearch(index_dir) as news:
        source = news.get("https://a.example/harbour")
        copy = news.get("https://b.example/port-terminal")
        results = news.similar(source.id, limit=10)
        titles = [hit.title for hit in results.hits]
        scrambled = news.get("https://d.example/x")
        found = {h.id for h in results.hits}
        assert source.id not in found and copy.id not in found and scrambled.id not in found
        assert set(titles[:2]) == {"Shipping lines welcome terminal", "Jobs at the new terminal"}
        assert titles[-1] == "Volcano erupts, airport closed"
        assert results.total == 3
        # The two kinds of copy are caught by the two different tests.
        store = cast(Any, news._reader)._store
        assert store.group_of(copy.id) == store.group_of(source.id) != store.group_of(scrambled.id)
        # Filters work the same way as in search.
        assert [h.title for h in news.similar(source.id, limit=10, since="2024-03").hits] == ["Jobs at the new terminal"]
        with pytest.raises(ArticleNotFoundError):
            news.similar("no-such-id")


def test_similar_on_the_cli_matches_the_library(index_dir: Path, cli: Cli) -> None:
    with NewsSearch(index_dir) as news:
        source = news.get("https://a.example/harbour")
        library = [h.id for h in news.similar(source.id, limit=2).hits]
    data = cli("similar", source.id, "-n", "2", "--index", index_dir, "--json").json()
    assert [h["id"] for h in data["hits"]] == library
    text = cli("similar", "https://a.example/harbour", "-n", "2", "--explain", "--index", index_dir).stdout
    assert "Shipping lines welcome terminal" in text and "explain: keyword #" in text
    missing = cli("similar", "nope", "--index", index_dir)
    assert missing.exit_code == 7 and missing.stderr.count("\n") == 1  # ArticleNotFoundError
