"""A reader opened while a writer commits answers from the state its manifest names, store reads included.

The writer commits the store first and the manifest last (``index/backends/local/commit.py``), so
between the two the store already holds the new articles that the named keyword generation and
vector file do not. These tests stop a real ingest in that window (a hook that runs just before
the manifest is written, then lets the commit go on) instead of hoping a race hits it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index.backends.local import commit, manifest, snapshot
from index.backends.local.keyword.retrieval import committed_rows
from index.backends.local.keyword.schema import open_generation
from index.backends.local.keyword.scoring import ColumnScorer
from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.backends.expect import MODES
from tests.conftest import SAMPLES

# Filters alone list what the store holds; the others go through the keyword and vector indexes.
QUERIES = ("site:kabar", "lang:en", "Pyongyang site:warta", "Lavrov Pyongyang")
OLD = ("asiapacificwire", "suarapagi")
ADDED = ("wartanusantara", "kabarharian", "meridianpost")


def answers(news: NewsSearch) -> list[tuple[list[str], int]]:
    out = []
    for query in QUERIES:
        for mode in MODES:
            results = news.search_results(query, limit=20, mode=mode)
            out.append(([hit.id for hit in results.hits], results.total))
    return out


def index_of(location: Path, outlets: tuple[str, ...]) -> None:
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        indexer.add([SAMPLES / outlet for outlet in outlets])


def test_a_reader_opened_before_the_manifest_is_written_sees_the_old_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = tmp_path / "index"
    index_of(location, OLD)
    with NewsSearch(location) as reader:
        old = answers(reader)
    assert old[0] == ([], 0), "the old state has no kabar article: the window would prove nothing"
    in_window: list[list[tuple[list[str], int]]] = []
    write_manifest: Callable[..., Any] = manifest.write_manifest

    def stopped_before_the_manifest(*args: Any, **kwargs: Any) -> None:
        with NewsSearch(location) as mid_commit:  # the store already holds the added articles
            in_window.append(answers(mid_commit))
        write_manifest(*args, **kwargs)

    monkeypatch.setattr(commit, "write_manifest", stopped_before_the_manifest)
    index_of(location, ADDED)
    with NewsSearch(location) as reader:
        new = answers(reader)
    assert in_window, "the hook never ran: the commit no longer writes the manifest through commit.write_manifest"
    assert new[0][1] > 0 and new != old
    assert in_window[-1] == old


def test_the_rows_of_a_generation_are_the_same_with_or_without_column_copies(tmp_path: Path) -> None:
    location = tmp_path / "index"
    index_of(location, OLD)
    with NewsSearch(location) as reader:
        gone = [hit.id for hit in reader.search_results("site:suara", limit=2).hits]
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        assert indexer.remove(gone) == gone  # deletions: the rows must be the live ones only
    keyword_dir = location / "keyword"
    ix, reader = open_generation(keyword_dir, None)
    try:
        scorer = ColumnScorer(reader, keyword_dir)
        assert scorer.available
        from_columns = committed_rows(reader, scorer)
        assert from_columns.tolist() == sorted(from_columns.tolist()) and len(from_columns) == reader.doc_count()
        assert committed_rows(reader, None).tolist() == from_columns.tolist()
    finally:
        reader.close()
        ix.close()
    shutil.rmtree(keyword_dir / "columns")
    with NewsSearch(location) as news:  # an index without columns (an older release) lists the same
        listed = news.search_results("site:suara", limit=20, mode="keyword")
        assert listed.total == 5 - len(gone) and not set(gone) & {hit.id for hit in listed.hits}


def test_a_reader_opened_as_the_manifest_is_replaced_moves_on_to_the_new_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader whose opening reads the manifest just before a writer replaces it must not keep
    the older state under the newer manifest's key: once the commit is done it answers as the new."""
    location = tmp_path / "index"
    index_of(location, OLD)
    opened: list[NewsSearch] = []
    read_manifest: Callable[..., Any] = manifest.read_manifest
    write_manifest: Callable[..., Any] = manifest.write_manifest

    def replaced_as_a_reader_opens(*args: Any, **kwargs: Any) -> None:
        written: list[bool] = []

        def read_then_replace(*read_args: Any, **read_kwargs: Any) -> Any:
            content = read_manifest(*read_args, **read_kwargs)
            if not written:  # the writer's replacement lands right after the reader's first read
                write_manifest(*args, **kwargs)
                written.append(True)
            return content

        with monkeypatch.context() as patch:
            patch.setattr(snapshot, "read_manifest", read_then_replace)
            opened.append(NewsSearch(location))
        if not written:
            write_manifest(*args, **kwargs)

    monkeypatch.setattr(commit, "write_manifest", replaced_as_a_reader_opens)
    index_of(location, ADDED)
    assert opened, "the hook never ran: the commit no longer writes the manifest through commit.write_manifest"
    with NewsSearch(location) as reader:
        new = answers(reader)
    try:
        assert answers(opened[0]) == new
    finally:
        opened[0].close()


def test_a_state_still_answers_after_the_writer_deleted_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search in flight on the older state when a writer finishes its commit (and deletes the
    files that state was opened from) answers from that state, to the end: whoosh's lazily opened
    files and the column copies are held from the moment the state is opened."""
    location = tmp_path / "index"
    index_of(location, OLD)
    queries = (*QUERIES, '"tiba di pyongyang"', "Korea")  # a phrase: whoosh's own path, not the columns
    with NewsSearch(location) as reader:
        old = [reader.search_results(q, limit=20, mode=m).hits for q in queries for m in MODES]
    # The search starts on the older state (its refresh found nothing new) and the commit lands
    # meanwhile: the state does not move on, as within one search.
    monkeypatch.setattr(snapshot.CommittedState, "refresh", lambda self: False)
    in_flight = NewsSearch(location)  # its state is opened here; nothing of it is used yet
    columns = location / "keyword" / "columns"
    opened_from = {folder.name for folder in columns.iterdir()}
    try:
        index_of(location, ADDED)
        assert opened_from.isdisjoint(folder.name for folder in columns.iterdir()), "the writer must delete them"
        answered = [in_flight.search_results(q, limit=20, mode=m).hits for q in queries for m in MODES]
    finally:
        in_flight.close()
    assert [[h.id for h in hits] for hits in answered] == [[h.id for h in hits] for hits in old]
    assert [[h.score for h in hits] for hits in answered] == [[h.score for h in hits] for hits in old]
