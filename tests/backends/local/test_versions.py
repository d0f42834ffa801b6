"""Version safety: the manifest says how an index was built; other versions and models are refused
with a message that says what to do, and ``news-search index --rebuild`` recovers without a re-crawl.
Also: a failed write (disk full, simulated by a file-size limit) leaves the last commit intact.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from index.backends.local.layout import FORMAT_VERSION, IndexLayout
from index.embed.hashing import HashingEncoder
from index.errors import IndexFormatError, ModelMismatchError
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import SAMPLES, TEST_MODEL, CliResult, two_article_index


def edit_manifest(directory: Path, **changes: object) -> None:
    path = IndexLayout(directory).manifest
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


def test_the_manifest_records_version_model_analysis_and_the_committed_files(tmp_path: Path) -> None:
    directory = two_article_index(tmp_path)
    manifest = json.loads(IndexLayout(directory).manifest.read_text())
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model"] == TEST_MODEL and manifest["dim"] == 256
    assert manifest["analysis"] == "snowball" and manifest["embedded_text"]
    assert manifest["articles"] == 2
    assert (directory / manifest["vector_file"]).exists()
    assert (directory / "keyword" / f"_MAIN_{manifest['keyword_generation']}.toc").exists()


def test_another_format_version_is_refused_with_what_to_do(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    directory = two_article_index(tmp_path)
    edit_manifest(directory, format_version=FORMAT_VERSION + 1)
    with pytest.raises(IndexFormatError, match="news-search index --rebuild"):
        NewsSearch(directory)
    with pytest.raises(IndexFormatError, match="news-search index --rebuild"):
        Indexer(directory, encoder=HashingEncoder(256))
    result = cli("--index", directory, "harbour")
    assert result.exit_code == 3 and "--rebuild" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_rebuild_recovers_an_index_of_another_format_version_from_the_store(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    directory = two_article_index(tmp_path)
    with NewsSearch(directory) as engine:
        before = [hit.id for hit in engine.search("harbour terminal", mode="hybrid")]
    edit_manifest(directory, format_version=0)
    result = cli("index", "--rebuild", "--index", directory, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert json.loads(IndexLayout(directory).manifest.read_text())["format_version"] == FORMAT_VERSION
    with NewsSearch(directory) as engine:
        assert [hit.id for hit in engine.search("harbour terminal", mode="hybrid")] == before
        assert engine.stats()["articles"] == 2


def test_another_model_is_refused_with_what_to_do(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    directory = two_article_index(tmp_path)
    with pytest.raises(ModelMismatchError, match=TEST_MODEL):
        NewsSearch(directory, model="hashing-384")
    with pytest.raises(ModelMismatchError, match="build a new index"):
        Indexer(directory, model="hashing-384")
    result = cli("index", SAMPLES, "--index", directory, "--model", "hashing-384", "--quiet")
    assert result.exit_code == 3 and TEST_MODEL in result.stderr


def test_damaged_derived_indexes_are_refused_then_rebuilt(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    directory = two_article_index(tmp_path)
    manifest = json.loads(IndexLayout(directory).manifest.read_text())
    (directory / manifest["vector_file"]).write_bytes(b"not a faiss index")
    result = cli("--index", directory, "harbour")
    assert result.exit_code == 3 and "--rebuild" in result.stderr
    assert cli("index", "--rebuild", "--index", directory, "--quiet").exit_code == 0
    with NewsSearch(directory) as engine:
        assert engine.search("harbour", mode="semantic")


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_gives_one_clear_line_and_keeps_the_last_commit(tmp_path: Path) -> None:
    directory = two_article_index(tmp_path)
    with NewsSearch(directory) as engine:
        before = [hit.id for hit in engine.search("harbour volcano", limit=10)]
    limit = max(p.stat().st_size for p in directory.rglob("*") if p.is_file()) + 4096
    entry = [sys.executable, "-c", "from search.cli.app import main; main()"]
    command = [*entry, "index", str(SAMPLES), "--index", str(directory), "--quiet"]
    failed = subprocess.run(
        command, capture_output=True, text=True, check=False, preexec_fn=lambda: _limit_file_size(limit), timeout=300
    )
    assert failed.returncode == 9, failed.stderr
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1 and "disk is full" in lines[0] and "Traceback" not in failed.stderr
    with NewsSearch(directory) as engine:  # the last commit opens and answers as before
        assert [hit.id for hit in engine.search("harbour volcano", limit=10)][: len(before)] == before
    again = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    assert again.returncode == 0, again.stderr  # with room again, the same command completes
    with NewsSearch(directory) as engine:
        assert engine.stats()["articles"] > 2 and engine.stats()["pending_changes"] == 0


def test_an_index_of_the_version_before_centering_is_read_and_written_as_this_version(tmp_path: Path) -> None:
    """Version 1 (before per-language centering) holds vectors as embedded, which this release reads
    as they are; its next commit writes version 2, which an older release refuses instead of
    searching centered vectors as if they were not."""
    directory = two_article_index(tmp_path)
    edit_manifest(directory, format_version=1)
    with NewsSearch(directory) as engine:
        assert engine.search("harbour terminal", mode="hybrid")
        assert engine.info.format_version == 1
    with Indexer(directory, encoder=HashingEncoder(256)) as indexer:
        third = {"url": "https://example.org/third", "title": "Harbour cranes", "text": "Cranes at the harbour terminal."}
        indexer.add_articles([third])
    assert json.loads(IndexLayout(directory).manifest.read_text())["format_version"] == FORMAT_VERSION == 2
