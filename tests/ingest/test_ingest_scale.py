"""Archive-scale ingest: resuming after SIGKILL, parallel = in-process, near-duplicate groups, bounded memory."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import AEB_WARC, ROOT, SAMPLES, TEST_MODEL, CliResult, require, store_of, write_page

INGEST = f"""
import json, sys
from index.ingest.indexer import Indexer
index_dir, workers, batch, *paths = sys.argv[1:]
with Indexer(index_dir, model={TEST_MODEL!r}, workers=int(workers), batch_size=int(batch)) as indexer:
    report = indexer.add(paths)
# VmHWM, not ru_maxrss: Linux carries a parent's peak into the child (a test runner that has loaded a model).
peak = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]) / 1024
print(json.dumps({{"report": report.to_dict(), "peak_rss_mb": peak,
                  "worker_rss_mb": report.peak_worker_rss_mb}}))
"""

QUERIES = ("Lavrov Pyongyang", "election results", "harga beras", "football transfer", "climate summit", "bank interest rates")


def _ingest_command(index_dir: Path, paths: list[Path], *, workers: int = 1, batch: int = 8) -> list[str]:
    return [sys.executable, "-c", INGEST, str(index_dir), str(workers), str(batch), *map(str, paths)]


def _run_ingest(index_dir: Path, paths: list[Path], **options: int) -> dict[str, object]:
    done = subprocess.run(_ingest_command(index_dir, paths, **options), cwd=ROOT, capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _stored(index_dir: Path) -> list[tuple[int, str, str, str]]:
    with sqlite3.connect(index_dir / "articles.sqlite") as db:
        rows = db.execute("SELECT rowid, id, content_hash, coalesce(dup_group, id) FROM articles ORDER BY rowid").fetchall()
    return [(int(r), str(i), str(h), str(g)) for r, i, h, g in rows]


def _stored_count(index_dir: Path) -> int:
    try:
        with sqlite3.connect(f"file:{index_dir / 'articles.sqlite'}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def _answers(index_dir: Path) -> dict[str, list[str]]:
    with NewsSearch(index_dir) as engine:
        return {q: [hit.id for hit in engine.search(q, limit=10)] for q in QUERIES}


@pytest.mark.slow
def test_sigkilled_ingest_resumes_to_the_same_index_as_a_clean_run(tmp_path: Path) -> None:
    paths = [SAMPLES, require(AEB_WARC)]
    clean = tmp_path / "clean"
    clean_run = _run_ingest(clean, paths)
    clean_report = clean_run["report"]
    assert isinstance(clean_report, dict)
    total = clean_report["added"]

    killed = tmp_path / "killed"
    process = subprocess.Popen(_ingest_command(killed, paths), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _stored_count(killed) < 40 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    committed = _stored_count(killed)
    assert 0 < committed < total, "the kill must land mid-ingest for this test to mean anything"

    # Killed mid-way, the index opens and answers from what was committed.
    with NewsSearch(killed) as engine:
        engine.search("Pyongyang", limit=5)

    rerun = _run_ingest(killed, paths)["report"]
    assert isinstance(rerun, dict)
    assert rerun["added"] == total - committed  # finished work is not redone
    assert rerun["unchanged"] >= committed
    assert _stored(killed) == _stored(clean)  # same rows, ids, contents and near-duplicate groups
    assert _answers(killed) == _answers(clean)


@pytest.mark.slow
def test_parallel_extraction_gives_exactly_the_in_process_result(tmp_path: Path) -> None:
    paths = [SAMPLES, require(AEB_WARC)]
    parallel = _run_ingest(tmp_path / "parallel", paths, workers=2, batch=32)
    inline = _run_ingest(tmp_path / "inline", paths, workers=0, batch=32)
    parallel_report, inline_report = parallel["report"], inline["report"]
    assert isinstance(parallel_report, dict) and isinstance(inline_report, dict)
    assert parallel_report["added"] == inline_report["added"] > 200
    assert isinstance(parallel["worker_rss_mb"], float) and parallel["worker_rss_mb"] > 0  # the workers really ran
    assert _stored(tmp_path / "parallel") == _stored(tmp_path / "inline")


STORY = [
    "The finance ministry said on Thursday that rice imports would rise by a third next year after floods damaged "
    "harvests across three provinces, pushing market prices to their highest level in a decade.",
    "Officials told reporters in the capital that the state logistics agency had already signed contracts with "
    "suppliers in two neighbouring countries and expected the first shipments to arrive before the fasting month.",
    "Farmers' groups criticised the decision, arguing that imports arriving at harvest time would depress the price "
    "paid for local grain and leave smallholders unable to repay loans taken out after the floods.",
    "The ministry said the agency would buy domestic grain first and release imported stocks only in regions where "
    "prices stayed above the ceiling set by the government for more than two consecutive weeks.",
    "Economists said the plan could cool inflation, which reached its highest rate in four years last month, but "
    "warned that storage capacity at the main ports was already stretched by last year's stockpile.",
    "Parliament's agriculture committee is expected to question the minister about the import quota next week, "
    "and several members have asked for an audit of the agency's warehouses before any new contract is signed.",
]
OTHER_STORY = [
    "Rice farmers in the northern provinces began replanting on Monday as floodwaters receded, although officials "
    "warned that many irrigation channels remained blocked by mud and debris from the storms.",
    "Village heads said seed supplies distributed by the provincial government covered about half of the fields "
    "that were lost, and that families were borrowing from relatives to pay for fertiliser.",
    "The provincial agriculture office said it hoped the second planting would be ready before the dry season, "
    "but conceded that yields would probably fall short of last year's record harvest.",
]


def test_syndicated_copies_are_grouped_and_exact_copies_stored_once(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    body = "\n\n".join(STORY)
    write_page(pages / "portal-a.html", "Rice imports to rise by a third", body, url="https://portal-a.example/rice")
    # Another portal: its own headline, the same wire text.
    write_page(pages / "portal-b.html", "Government to import more rice after floods", body, url="https://portal-b.example/r/1")
    # A third: a word changed and a trailing paragraph of its own.
    edited = body.replace("highest level in a decade", "highest level in ten years") + (
        "\n\nThis story has been updated with comments from the farmers' union and the agriculture committee."
    )
    write_page(pages / "portal-c.html", "Rice imports up a third, ministry says", edited, url="https://portal-c.example/x")
    # The same page saved again under another name and URL: an exact duplicate, stored once.
    write_page(pages / "portal-d.html", "Rice imports to rise by a third", body, url="https://portal-d.example/copy")
    # Same topic, a different story: not a near-duplicate.
    write_page(
        pages / "other.html", "Farmers replant after floods", "\n\n".join(OTHER_STORY), url="https://portal-a.example/replant"
    )

    with Indexer(tmp_path / "index", encoder=HashingEncoder(256)) as indexer:
        report = indexer.add([pages])
        assert (report.added, report.duplicates, report.near_duplicates) == (4, 1, 2)
        store = store_of(indexer)
        groups = {url: store.group_of(store.get_by_url(url).id) for url in _urls(indexer)}  # type: ignore[union-attr]
    syndicated = {
        groups["https://portal-a.example/rice"],
        groups["https://portal-b.example/r/1"],
        groups["https://portal-c.example/x"],
    }
    assert len(syndicated) == 1
    assert groups["https://portal-a.example/replant"] not in syndicated

    # Search shows the story once, saying how many copies it stands for; the copies can be listed.
    with NewsSearch(tmp_path / "index") as engine:
        for mode in ("keyword", "semantic", "hybrid"):
            hits = engine.search("rice imports ministry floods", limit=10, mode=mode)
            story = [hit for hit in hits if hit.url != "https://portal-a.example/replant"]
            assert len(story) == 1 and story[0].similar_count == 2, mode
        every_copy = engine.search("rice imports ministry floods", limit=10, mode="keyword", collapse_copies=False)
        assert len([hit for hit in every_copy if hit.url != "https://portal-a.example/replant"]) == 3
        members = engine.group_members(story[0].id)
    assert {a.url for a in members} == {
        "https://portal-a.example/rice",
        "https://portal-b.example/r/1",
        "https://portal-c.example/x",
    }


def test_group_command_lists_the_copies(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    pages = tmp_path / "pages"
    body = "\n\n".join(STORY)
    write_page(pages / "a.html", "Rice imports to rise by a third", body, url="https://portal-a.example/rice")
    extended = body + "\n\nWith reporting by our correspondent in the capital."
    write_page(pages / "b.html", "Government to import more rice", extended, url="https://portal-b.example/r/1")
    index = tmp_path / "index"
    assert cli("index", pages, "--index", index, "--model", TEST_MODEL, "--quiet").exit_code == 0
    found = cli("rice imports", "--index", index, "--json").json()
    assert len(found["hits"]) == 1 and found["hits"][0]["similar_count"] == 1
    shown = cli("rice imports", "--index", index)
    assert "+1 near-identical (news-search group" in shown.stdout
    listed = cli("group", found["hits"][0]["id"], "--index", index, "--json").json()
    assert sorted(a["url"] for a in listed["articles"]) == ["https://portal-a.example/rice", "https://portal-b.example/r/1"]
    every = cli("rice imports", "--index", index, "--all-copies", "--json").json()
    assert len(every["hits"]) == 2


def _urls(indexer: Indexer) -> list[str]:
    return [article.url for _, article in store_of(indexer).iter_articles() if article.url]


def test_every_page_not_indexed_keeps_its_reason(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    write_page(pages / "story.html", "Harbour terminal", "\n\n".join(STORY), url="https://ex.org/a")
    write_page(pages / "copy.html", "Harbour terminal", "\n\n".join(STORY), url="https://ex.org/b")
    write_page(pages / "short.html", "Short", "Too short to be an article.", url="https://ex.org/c")
    (pages / "binary.html").write_bytes(bytes(range(256)) * 20)
    (pages / "export.jsonl").write_text('[1, 2]\n{"title": "no text"}\nnot json\n', encoding="utf-8")
    with Indexer(tmp_path / "index", encoder=HashingEncoder(256)) as indexer:
        report = indexer.add([pages])
        reasons = {Path(skip.source).name.split(":")[0] + ":" + skip.reason for skip in store_of(indexer).skips()}
    assert report.added == 1
    assert dict(report.skipped) == {
        "duplicate": 1,
        "too_short": 1,
        "not_html": 1,
        "not_an_object": 1,
        "missing_field": 1,
        "malformed_json": 1,
    }
    assert {"story.html:duplicate", "short.html:too_short", "binary.html:not_html"} <= reasons  # walked in name order


def _export_with_junk(path: Path, junk_lines: int) -> Path:
    """A JSONL export: three copies of one story (same headline and text, other URLs) among 2 MB lines of broken JSON."""
    junk = "x" * (2 * 2**20)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(junk_lines):
            if number % (junk_lines // 3) == 0:
                handle.write(json.dumps({"title": "Story", "text": " ".join(STORY), "url": f"https://ex.org/{number}"}))
                handle.write("\n")
            handle.write('{"text": "' + junk + "\n")  # malformed: the closing quote and brace are missing
    return path


@pytest.mark.slow
def test_a_large_input_streams_through_bounded_memory(tmp_path: Path) -> None:
    """Five times the input (60 MB, then 300 MB): the ingest process's peak memory does not grow with it."""
    small = _run_ingest(tmp_path / "small", [_export_with_junk(tmp_path / "small.jsonl", 30)], workers=1, batch=8)
    big_export = _export_with_junk(tmp_path / "big.jsonl", 150)
    assert big_export.stat().st_size > 300 * 2**20
    big = _run_ingest(tmp_path / "big", [big_export], workers=1, batch=8)
    report = big["report"]
    assert isinstance(report, dict)
    assert report["added"] == 1 and report["skipped"] == {"malformed_json": 150, "duplicate": 2}
    small_peak, big_peak = small["peak_rss_mb"], big["peak_rss_mb"]
    assert isinstance(small_peak, float) and isinstance(big_peak, float)
    assert big_peak < small_peak + 60, (small_peak, big_peak)
    assert big_peak < 400


@pytest.mark.parametrize("workers", [0, 1])
def test_progress_reports_position_in_the_input(tmp_path: Path, workers: int) -> None:
    seen: list[tuple[int, int | None, int]] = []
    with Indexer(tmp_path / "index", encoder=HashingEncoder(256), workers=workers, batch_size=4) as indexer:
        indexer.add([SAMPLES], progress=lambda r: seen.append((r.pages, r.input_bytes, r.read_bytes)))
    pages, total, read = seen[-1]
    assert pages == 43 and total is not None and total > 0 and read == total
    assert any(0 < r < total for _, _, r in seen), "progress is reported along the way, not only at the end"
    assert all(later[2] >= earlier[2] for earlier, later in itertools.pairwise(seen))


def _many_pages(folder: Path, count: int) -> Path:
    for number in range(count):
        sentences = " ".join(f"{STORY[(number + k) % len(STORY)]}" for k in range(3))
        write_page(
            folder / f"page-{number:03d}.html",
            f"Story number {number}",
            f"Dispatch {number}. {sentences}",
            url=f"https://ex.org/story/{number}",
        )
    return folder


def test_a_page_that_kills_its_worker_is_skipped_and_the_rest_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _many_pages(tmp_path / "pages", 70)  # past the in-process start, so workers do the extraction
    poison = write_page(pages / "page-060-poison.html", "Poison", "POISON-PAGE " + " ".join(STORY), url="https://ex.org/poison")
    monkeypatch.setenv("NEWS_SEARCH_FAULT_CRASH_ON", "POISON-PAGE")
    with Indexer(tmp_path / "index", encoder=HashingEncoder(256), workers=1) as indexer:
        report = indexer.add([pages])
        skips = {skip.source: skip.reason for skip in store_of(indexer).skips()}
    assert report.added == 70
    assert skips == {str(poison.resolve()): "extraction_crashed"}


def test_workers_are_recycled_without_changing_the_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import index.ingest.workers as ingest_workers

    pages = _many_pages(tmp_path / "pages", 120)
    started: list[int] = []
    original = ingest_workers._Worker.__init__

    def counting(self: ingest_workers._Worker) -> None:
        original(self)
        started.append(self.process.pid)

    monkeypatch.setattr(ingest_workers._Worker, "__init__", counting)
    monkeypatch.setattr(ingest_workers, "RECYCLE_PAGES", 16)
    with Indexer(tmp_path / "recycled", encoder=HashingEncoder(256), workers=1) as indexer:
        recycled = indexer.add([pages])
    assert len(started) >= 4  # (120 - 48 in-process) pages / 16 per worker
    with Indexer(tmp_path / "inline", encoder=HashingEncoder(256), workers=0) as indexer:
        inline = indexer.add([pages])
    assert recycled.added == inline.added == 120
    assert _stored(tmp_path / "recycled") == _stored(tmp_path / "inline")
