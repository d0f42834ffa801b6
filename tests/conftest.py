"""Shared fixtures: the shipped sample archive, evaluation data when present, small real indexes."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from index.backends.local.store import ArticleStore
from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "archive"
EXPECTED = ROOT / "samples" / "expected.jsonl"
SHARED = ROOT.parent / "shared"
SEED_HTML = SHARED / "fixtures" / "seed" / "kompas-lavrov-pyongyang.html"
SEED_TXT = SHARED / "fixtures" / "seed" / "kompas-lavrov-pyongyang.txt"
AEB_WARC = SHARED / "eval" / "warc" / "aeb-news-constructed.warc.gz"
TEST_MODEL = "hashing-256"
# Two short stories the tests write into pages of their own.
HARBOUR = (
    "The harbour authority said on Monday that the new container terminal would open in March after two years of work.\n\n"
    "Officials expect the terminal to double the port's capacity and cut waiting times for ships by half."
)
VOLCANO = (
    "A volcano on the island erupted on Tuesday night, sending a column of ash four kilometres into the sky.\n\n"
    "Authorities closed the airport and moved three thousand residents from villages on its slopes to shelters."
)


def require(path: Path) -> Path:
    """Evaluation data lives outside the repository; skip clearly where it is absent."""
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (expected beside the repository in ../shared)")
    return path


def expected_samples() -> list[dict[str, Any]]:
    return [json.loads(line) for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample archive indexed with the tiny deterministic encoder (read-only use)."""
    directory = tmp_path_factory.mktemp("sample-index")
    with Indexer(directory, encoder=HashingEncoder(256)) as indexer:
        indexer.add([SAMPLES])
    return directory


@pytest.fixture
def make_index(tmp_path: Path) -> Iterator[Callable[..., Indexer]]:
    """A fresh writable index in this test's folder, with the tiny encoder."""
    opened: list[Indexer] = []

    def factory(name: str = "index") -> Indexer:
        indexer = Indexer(tmp_path / name, encoder=HashingEncoder(256))
        opened.append(indexer)
        return indexer

    yield factory
    for indexer in opened:
        indexer.close()


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """Runs the real console-script entry point in-process, capturing output and exit code."""
    from search.cli.app import main

    def run(*args: str | Path) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        code = 0
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


def write_page(path: Path, title: str, body: str, *, url: str | None = None, date: str = "2024-01-15", lang: str = "en") -> Path:
    """A small but realistic article page (with furniture) written by the tests themselves."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}">{canonical}
<meta property="article:published_time" content="{date}T08:00:00+00:00"><meta name="author" content="Test Writer">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>Most read</h3><ul><li><a href="/x">Unrelated celebrity gossip headline</a></li></ul></aside>
<footer>Copyright Test Times</footer></body></html>""",
        encoding="utf-8",
    )
    return path


def two_article_index(tmp_path: Path) -> Path:
    """A small real index (harbour and volcano stories, tiny encoder) in ``tmp_path/index``."""
    pages = tmp_path / "pages"
    write_page(pages / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    write_page(pages / "b.html", "Volcano erupts, airport closed", VOLCANO, url="https://ex.org/volcano")
    directory = tmp_path / "index"
    with Indexer(directory, encoder=HashingEncoder(256)) as indexer:
        indexer.add([pages])
    return directory


def store_of(indexer: Indexer) -> ArticleStore:
    """The SQLite store behind a local ``Indexer``, for tests of exactly what was stored."""
    from index.backends.local.writer import LocalWriter

    assert isinstance(indexer.writer, LocalWriter)
    return indexer.writer.store


def pytest_configure(config: pytest.Config) -> None:
    # Registered here rather than in pyproject.toml: the OpenSearch backend's tests start real nodes.
    config.addinivalue_line("markers", "opensearch: needs a real OpenSearch node (tools/opensearch.py; Java 21+, Maven)")
