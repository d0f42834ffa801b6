"""The embedding stage of ingest: the encoder runs in a thread while the main thread goes on.

Embedding on CPU is the slowest stage of ingest; everything else is arranged so that it never
waits. The encoder runs in a thread of the main process: onnxruntime and torch release the GIL while
they compute, so the main thread classifies and commits the previous batch meanwhile, and the
extraction workers (``index.ingest.workers``) fill the cores' idle moments. A bounded queue gives
back-pressure, and an encoder's failure is raised in the main thread.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

import numpy as np

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
        self._encoding = 0  # batches submitted and not yet encoded
        self._count_lock = threading.Lock()
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
                self._finished_one()
                continue
            started = time.perf_counter()
            try:
                matrix = self._encode(texts)
            except BaseException as exc:  # handed to the main thread, which raises it
                failed = exc
                self._done.put((unit, None, exc))
                self._finished_one()
                continue
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)
            self._done.put((unit, matrix, None))
            self._finished_one()

    @property
    def idle(self) -> bool:
        """Nothing to encode: a batch submitted now starts at once."""
        return self._encoding == 0

    def _finished_one(self) -> None:
        with self._count_lock:
            self._encoding -= 1

    def submit(self, unit: T, texts: list[str]) -> None:
        self._outstanding += 1
        with self._count_lock:
            self._encoding += 1
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
