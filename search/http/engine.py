"""One warm ``NewsSearch`` shared by every request of a server.

The facade is not shared across threads: its SQLite connection belongs to the thread that opened
it (``ArticleStore``: "not shared across threads"). So the engine lives on one worker thread of
its own, opened there on first use, and every call runs on that thread, one at a time; the event
loop awaits it without blocking. The facade picks up what a running ingest commits by itself
(each query takes a snapshot of the latest committed state). An index that cannot be opened yet
(missing, being built, locked) is tried again by the next request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from index.backends import is_cluster_location
from search.facade import NewsSearch

T = TypeVar("T")


class SharedEngine:
    """The ``NewsSearch`` over ``location``, opened lazily and used from one worker thread."""

    def __init__(self, location: Path | str) -> None:
        # A cluster address (opensearch://HOST:PORT/NAME) stays a string: a Path would fold its "//".
        self.location: Path | str = location if is_cluster_location(str(location)) else Path(location)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="news-search-engine")
        self._engine: NewsSearch | None = None

    async def run(self, call: Callable[[NewsSearch], T]) -> T:
        """``call(engine)`` on the engine's thread (opening the engine first if need be)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: call(self._opened()))

    def _opened(self) -> NewsSearch:
        if self._engine is None:
            self._engine = NewsSearch(self.location)
        return self._engine

    def close(self) -> None:
        """Close the engine on its own thread and stop the thread."""

        def close_engine() -> None:
            if self._engine is not None:
                self._engine.close()
                self._engine = None

        self._executor.submit(close_engine).result()
        self._executor.shutdown(wait=True)
