"""The two concurrent stages of ingest: extraction in worker processes, embedding in a thread.

Embedding on CPU is the slowest stage; everything else is arranged so that it never waits.
Extraction (trafilatura, MinHash) runs in worker processes, fed through a bounded window so an
archive is streamed, never held in memory; results come back in source order, which keeps ingest
deterministic (the same ids, groups and row ids on every run, interrupted or not). The encoder runs
in a thread of the main process: onnxruntime and torch release the GIL while they compute, so the
main thread classifies and commits the previous batch meanwhile.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from index.article import Article
from index.extract import to_article
from index.neardup import Signature, signature
from index.sources import Page, Record
from index.store import Skip

WorkItem = Page | Record | Article | Skip
# The first pages are extracted in-process: a small ingest never pays for starting workers (about
# a second: each imports trafilatura), a large one starts them once this many pages have gone by.
INLINE_PAGES = 48
CHUNK_ITEMS = 8  # pages per task sent to a worker: amortizes inter-process overhead
MAX_INFLIGHT_BYTES = 64 * 2**20  # page bytes queued for or inside the workers, whatever the archive's size


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


def _extract_chunk(chunk: list[tuple[WorkItem, str | None]]) -> tuple[list[Extracted], int]:
    """Runs in a worker: the chunk's results and the worker's peak RSS (KB) so far."""
    results = [extract_item(item, fingerprint) for item, fingerprint in chunk]
    return results, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group: let the main process decide how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Below the embedder in priority: extraction fills the cores' idle moments first.
    with contextlib.suppress(OSError):
        os.nice(5)


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def _item_bytes(item: WorkItem) -> int:
    if isinstance(item, Page):
        return len(item.content)
    if isinstance(item, Article):
        return len(item.text)
    return 1024


class ExtractionPool:
    """Ordered, bounded parallel extraction. ``workers=0`` extracts everything in-process."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self._executor: ProcessPoolExecutor | None = None
        self.peak_worker_rss_kb = 0  # workers are the forkserver's children, not ours: they report it

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

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
        # forkserver: workers start from a clean process, not a fork of one running encoder threads.
        context = multiprocessing.get_context("forkserver")
        self._executor = ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_init)
        pending: deque[tuple[Future[tuple[list[Extracted], int]], int]] = deque()
        inflight = 0
        max_chunks = self.workers * 4
        exhausted = False
        while True:
            while not exhausted and len(pending) < max_chunks and inflight < MAX_INFLIGHT_BYTES:
                chunk: list[tuple[WorkItem, str | None]] = []
                size = 0
                for pair in items:
                    chunk.append(pair)
                    size += _item_bytes(pair[0])
                    if len(chunk) >= CHUNK_ITEMS or size >= MAX_INFLIGHT_BYTES // 4:
                        break
                if not chunk:
                    exhausted = True
                    break
                pending.append((self._executor.submit(_extract_chunk, chunk), size))
                inflight += size
            if not pending:
                return
            future, size = pending.popleft()
            inflight -= size
            results, worker_rss = future.result()
            self.peak_worker_rss_kb = max(self.peak_worker_rss_kb, worker_rss)
            yield from results


T = TypeVar("T")


class EmbeddingStage(Generic[T]):
    """Encodes batches in a background thread; results come back in submission order.

    At most ``max_waiting`` batches wait for the encoder, which bounds memory and gives
    back-pressure to the reader when the encoder is the bottleneck (as it should be).
    """

    def __init__(self, encode: Callable[[list[str]], np.ndarray], *, max_waiting: int = 2) -> None:
        self._encode = encode
        self._todo: queue.Queue[tuple[T, list[str]] | None] = queue.Queue(maxsize=max_waiting)
        self._done: queue.Queue[tuple[T, np.ndarray | None, BaseException | None]] = queue.Queue()
        self._outstanding = 0
        self.seconds = 0.0
        self.texts = 0
        self._thread = threading.Thread(target=self._run, name="news-search-embed", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        failed: BaseException | None = None
        while True:
            job = self._todo.get()
            if job is None:
                return
            unit, texts = job
            if failed is not None or not texts:
                self._done.put((unit, None, failed))
                continue
            started = time.perf_counter()
            try:
                matrix = self._encode(texts)
            except BaseException as exc:  # handed to the main thread, which raises it
                failed = exc
                self._done.put((unit, None, exc))
                continue
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)
            self._done.put((unit, matrix, None))

    def submit(self, unit: T, texts: list[str]) -> None:
        self._outstanding += 1
        self._todo.put((unit, texts))

    def ready(self) -> Iterator[tuple[T, np.ndarray | None]]:
        """Batches already encoded, without waiting."""
        while self._outstanding:
            try:
                result = self._done.get_nowait()
            except queue.Empty:
                return
            yield self._take(result)

    def finish(self) -> Iterator[tuple[T, np.ndarray | None]]:
        """Every remaining batch, waiting for the encoder."""
        while self._outstanding:
            yield self._take(self._done.get())

    def _take(self, result: tuple[T, np.ndarray | None, BaseException | None]) -> tuple[T, np.ndarray | None]:
        self._outstanding -= 1
        unit, matrix, error = result
        if error is not None:
            raise error
        return unit, matrix

    def close(self) -> None:
        # Unblock the thread whatever state it is in; it holds no resources of its own.
        while True:
            try:
                self._todo.put_nowait(None)
                break
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self._todo.get_nowait()
        self._thread.join(timeout=60)
