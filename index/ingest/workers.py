"""Extraction in worker processes: pages in, articles out, in source order, within bounded memory.

Extraction (trafilatura, MinHash) is CPU work in pure Python, so it runs in worker processes
(``python -m index.ingest.worker``), while the embedding stage (``index.ingest.embedding``) keeps the
main process's encoder busy. Work is fed through a bounded window, so an archive is streamed, never
held in memory; results come back in source order, which keeps ingest deterministic (the same ids,
groups and row ids on every run, interrupted or not). This module owns the pool: when to start
workers at all, chunking, the window, recycling workers whose caches grew, and recovering from a
worker that died on a page.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import resource
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from index.article import Article, Skip
from index.extract.neardup import Signature, signature
from index.extract.pages import to_article
from index.extract.sources import Page, Record
from index.ingest.worker import read_frame, write_frame

WorkItem = Page | Record | Article | Skip
# The first pages are extracted in-process: a small ingest never pays for starting workers (about
# a second: each imports trafilatura), a large one starts them once this many pages have gone by.
INLINE_PAGES = 48
CHUNK_ITEMS = 8  # pages per task sent to a worker: amortizes inter-process overhead
MAX_INFLIGHT_BYTES = 64 * 2**20  # page bytes queued for or inside the workers, whatever the archive's size
RECYCLE_PAGES = 2000  # a worker is replaced after this many pages (see ExtractionPool._worker_for)


@dataclass(frozen=True)
class Extracted:
    """What extraction made of one input item, with what ingest needs to remember about it."""

    result: Article | Skip
    signature: Signature | None
    source: str | None
    fingerprint: str | None  # of the page bytes, when the item was a page
    seconds: float


def extract_item(item: WorkItem, fingerprint: str | None = None) -> Extracted:
    """Page or record -> Article (with its MinHash) or Skip. Never raises for bad input."""
    started = time.perf_counter()
    result = item if isinstance(item, Article | Skip) else to_article(item)
    sig = signature(result.text) if isinstance(result, Article) else None
    source = result.source if isinstance(result, Article | Skip) else None
    return Extracted(result, sig, source, fingerprint, time.perf_counter() - started)


def extract_chunk(chunk: list[tuple[WorkItem, str | None]]) -> tuple[list[Extracted], int]:
    """Runs in a worker: the chunk's results and the worker's resident memory (KB) now."""
    results = [extract_item(item, fingerprint) for item, fingerprint in chunk]
    return results, _resident_kb()


def _resident_kb() -> int:
    # Not ru_maxrss: a worker is forked from the main process before it execs Python, and that
    # peak would report the parent's size (the encoder included), not the worker's own.
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def _item_bytes(item: WorkItem) -> int:
    if isinstance(item, Page):
        return len(item.content)
    if isinstance(item, Article):
        return len(item.text)
    return 1024


def _item_source(item: WorkItem) -> str:
    return item.source or "" if isinstance(item, Article) else item.source


Chunk = list[tuple[WorkItem, str | None]]


class _Worker:
    """One ``python -m index.ingest.worker`` process; a feeder thread writes its requests so that
    the main thread, reading replies in order, never deadlocks on a full pipe."""

    def __init__(self) -> None:
        env = dict(os.environ)
        # The worker imports exactly what this process imports (a source checkout, a venv, ...).
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "index.ingest.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.pages = 0  # sent to it so far
        self.outstanding = 0  # requests sent and not yet answered
        self._requests: queue.Queue[bytes | None] = queue.Queue()
        self._feeder = threading.Thread(target=self._feed, name="news-search-extract-feed", daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        assert self.process.stdin is not None
        try:
            while (payload := self._requests.get()) is not None:
                write_frame(self.process.stdin, payload)
        except OSError:  # the worker died: its reply will be missing, and the pool recovers
            return
        finally:
            with contextlib.suppress(OSError):
                self.process.stdin.close()

    def send(self, chunk: Chunk) -> None:
        self.pages += len(chunk)
        self.outstanding += 1
        self._requests.put(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))

    def receive(self) -> tuple[list[Extracted], int] | None:
        """The reply to the oldest request, or None if the worker died before giving it."""
        assert self.process.stdout is not None
        payload = read_frame(self.process.stdout)
        self.outstanding -= 1
        if payload is None:
            return None
        reply: tuple[list[Extracted], int] = pickle.loads(payload)
        return reply

    def close(self) -> None:
        self._requests.put(None)
        self._feeder.join(timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class ExtractionPool:
    """Ordered, bounded parallel extraction. ``workers=0`` extracts everything in-process."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self._running: list[_Worker] = []
        self._retiring: list[_Worker] = []  # replaced, finishing the chunks they were sent
        self.peak_worker_rss_kb = 0  # the largest resident size a worker reported

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._running + self._retiring:
            worker.close()
        self._running, self._retiring = [], []

    def map(self, work: Iterable[tuple[WorkItem, str | None]]) -> Iterator[Extracted]:
        items = iter(work)
        inline = self.workers == 0
        for done_inline, (item, fingerprint) in enumerate(items, start=1):
            yield extract_item(item, fingerprint)
            if not inline and done_inline >= INLINE_PAGES:
                break
        else:
            return
        yield from self._map_parallel(items)

    def _map_parallel(self, items: Iterator[tuple[WorkItem, str | None]]) -> Iterator[Extracted]:
        self._running = [_Worker() for _ in range(self.workers)]
        pending: deque[tuple[_Worker, Chunk, int]] = deque()  # (worker, chunk, bytes), in source order
        inflight = 0
        max_chunks = self.workers * 4
        exhausted = False
        sent = 0
        while True:
            while not exhausted and len(pending) < max_chunks and inflight < MAX_INFLIGHT_BYTES:
                chunk: Chunk = []
                size = 0
                for pair in items:
                    chunk.append(pair)
                    size += _item_bytes(pair[0])
                    if len(chunk) >= CHUNK_ITEMS or size >= MAX_INFLIGHT_BYTES // 4:
                        break
                if not chunk:
                    exhausted = True
                    break
                worker = self._worker_for(sent % self.workers)
                sent += 1
                worker.send(chunk)
                pending.append((worker, chunk, size))
                inflight += size
            if not pending:
                return
            worker, chunk, size = pending.popleft()
            inflight -= size
            reply = worker.receive()
            if reply is None:
                yield from self._recover(worker, chunk, pending)
                continue
            self._retire_if_done(worker)
            results, worker_rss = reply
            self.peak_worker_rss_kb = max(self.peak_worker_rss_kb, worker_rss)
            yield from results

    def _worker_for(self, slot: int) -> _Worker:
        """The slot's worker, replaced by a fresh one after RECYCLE_PAGES pages: trafilatura's and
        lxml's caches grow with every page parsed (500 MB after 10k pages), a new process starts
        empty. The old one finishes what it was sent, then exits."""
        worker = self._running[slot]
        if worker.pages >= RECYCLE_PAGES:
            self._retiring.append(worker)
            self._retire_if_done(worker)
            worker = self._running[slot] = _Worker()
        return worker

    def _retire_if_done(self, worker: _Worker) -> None:
        if worker in self._retiring and worker.outstanding == 0:
            self._retiring.remove(worker)
            worker.close()

    def _recover(self, dead: _Worker, chunk: Chunk, pending: deque[tuple[_Worker, Chunk, int]]) -> Iterator[Extracted]:
        """A worker died (a page crashed the parser, or the OOM killer struck): extract that chunk's
        pages one at a time in fresh workers, skipping the page that kills it, then hand the dead
        worker's other chunks to its replacement, in order."""
        dead.close()
        for item, fingerprint in chunk:
            single = _Worker()
            single.send([(item, fingerprint)])
            reply = single.receive()
            single.close()
            if reply is None:
                code = single.process.returncode
                skip = Skip(_item_source(item), "extraction_crashed", f"the extraction process died (exit status {code})")
                yield Extracted(skip, None, _item_source(item), None, 0.0)
            else:
                yield from reply[0]
        replacement = _Worker()
        if dead in self._retiring:
            self._retiring.remove(dead)
            self._retiring.append(replacement)
        else:
            self._running[self._running.index(dead)] = replacement
        for position, (worker, later, size) in enumerate(pending):
            if worker is dead:
                replacement.send(later)
                pending[position] = (replacement, later, size)
        self._retire_if_done(replacement)
