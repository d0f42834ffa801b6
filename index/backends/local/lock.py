"""The one write lock of an index folder: a single writer at a time, across processes.

Every write to a folder (an ingest, a removal, a rebuild, taking over an index of another format
version) happens inside one ``WriteLock``, held by the writer from the moment it opens the folder
until it closes. whoosh's own lock is not used for this: the writer holds one whoosh writer at a
time, and only while it holds this lock.
"""

from __future__ import annotations

import fcntl
import os

from index.backends.local.layout import IndexLayout
from index.errors import IndexLockedError


class WriteLock:
    """An exclusive ``flock`` on ``write.lock``, taken without waiting; closing the descriptor releases it."""

    def __init__(self, layout: IndexLayout) -> None:
        handle = os.open(layout.write_lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise IndexLockedError(f"another process is writing to the index at {layout.root}; wait for it to finish") from None
        self._handle: int | None = handle

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None
