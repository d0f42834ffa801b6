"""Readers during a commit see the old state or the new one; a second writer is refused, not let in.

The ingest runs as a real ``news-search index`` process while this process searches in a loop,
with one long-lived ``NewsSearch`` and with a fresh one per round.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from search.ranking.pipeline import MODES
from tests.conftest import HARBOUR, SAMPLES, TEST_MODEL, two_article_index, write_page

# Words of the sample archive too: semantic and hybrid modes list only what a query matches, not
# every article, so a query must match the ingested pages for the ingest to change its answer.
QUERIES = ("harbour terminal", "volcano erupted airport", "government minister said", "korea Pyongyang", "banjir Jakarta")


def cli_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-c", "from search.cli.app import main; main()", *map(str, args)]


def answers(engine: NewsSearch) -> tuple[tuple[tuple[str, int], ...], ...]:
    # With the copies each hit stands for: a new near-duplicate of a story changes the state even
    # when the story's first copy stays its hit (equal scores go to the lower row id).
    return tuple(
        tuple((hit.id, hit.similar_count) for hit in engine.search(q, limit=10, mode=m))  # type: ignore[arg-type]
        for q in QUERIES
        for m in MODES
    )


def test_searches_during_an_ingest_see_the_old_or_the_new_state(tmp_path: Path) -> None:
    directory = two_article_index(tmp_path)
    long_lived = NewsSearch(directory)
    old = answers(long_lived)
    seen: list[tuple[tuple[tuple[str, int], ...], ...]] = []
    during = 0
    ingest = subprocess.Popen(
        cli_command("index", SAMPLES, "--index", directory, "--model", TEST_MODEL, "--quiet"), stderr=subprocess.PIPE
    )
    try:
        while ingest.poll() is None:
            seen.append(answers(long_lived))
            with NewsSearch(directory) as fresh:  # a reader that opens mid-commit
                seen.append(answers(fresh))
            during += 1
    finally:
        _, stderr = ingest.communicate(timeout=120)
    assert ingest.returncode == 0, stderr.decode()
    seen.append(answers(long_lived))
    with NewsSearch(directory) as after:
        new = answers(after)
    long_lived.close()
    assert new != old, "the ingest must change the answers, or this test proves nothing"
    assert during >= 3, "too few searches overlapped the ingest to say anything"
    # Each single search must match the old or the new state (the state may change between searches).
    mixed = [(i, k) for i, state in enumerate(seen) for k, hits in enumerate(state) if hits not in (old[k], new[k])]
    assert not mixed, f"{len(mixed)} of {len(seen) * len(old)} searches saw neither the old nor the new state"
    assert sum(o != n for o, n in zip(old, new, strict=True)) >= len(old) // 2  # most searches tell the states apart
    assert seen[-1] == new  # the long-lived reader moves on to the new state


def test_a_second_ingest_is_refused_with_a_clear_error_and_changes_nothing(tmp_path: Path) -> None:
    directory = two_article_index(tmp_path)
    with NewsSearch(directory) as engine:
        before = answers(engine)
    with Indexer(directory, encoder=HashingEncoder(256)):  # the first writer, holding the lock
        started = time.perf_counter()
        second = subprocess.run(
            cli_command("index", SAMPLES, "--index", directory, "--quiet"), capture_output=True, text=True, check=False
        )
        assert time.perf_counter() - started < 60  # fails at once, does not hang
    assert second.returncode == 8
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "another process is writing" in lines[0], second.stderr
    with NewsSearch(directory) as engine:
        assert answers(engine) == before


def test_readers_never_block_the_writer_and_the_writer_never_breaks_readers(tmp_path: Path) -> None:
    """Many commits in a row while one reader keeps searching: every answer is some committed state."""
    directory = two_article_index(tmp_path)
    engine = NewsSearch(directory)
    states = {answers(engine)}
    with Indexer(directory, encoder=HashingEncoder(256)) as indexer:
        for number in range(6):
            page = write_page(tmp_path / "more" / f"{number}.html", f"Harbour story {number}", HARBOUR + f" Update {number}.")
            indexer.add([page])
            with NewsSearch(directory) as fresh:
                committed = answers(fresh)
            assert committed not in states  # each commit is a new state
            states.add(committed)
            assert answers(engine) == committed  # the long-lived reader follows, without duplicates
    engine.close()
