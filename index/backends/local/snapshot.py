"""The read side of the commit protocol: open exactly the state the manifest names, as a whole.

A sync (``Indexer.sync``) writes a new whoosh generation and a new vector file beside the ones the
manifest names, replaces the manifest atomically, and only then deletes the old files. A reader
that opens the keyword generation and the vector file named by one manifest therefore sees one
committed state: never new keywords with old vectors, never a half-applied change. When a writer
moves on and deletes the files just as a reader reads an older manifest, the reader reads the
manifest again; a reader that already holds a state keeps answering from it.

The vector index is loaded on first use (a keyword query never needs it, and loading it imports
faiss), but the file is pinned when the state is opened: the reader holds an open descriptor of the
very file the manifest names and later loads it through that descriptor, so a writer that commits
and deletes the file in between changes nothing for this state. Where a file cannot be loaded
through a descriptor (no ``/proc/self/fd``), the vector index is loaded when the state is opened.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from index.backends.local.keyword import schema as keyword
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import Manifest, read_manifest
from index.errors import IndexFormatError

# How often a reader re-reads the manifest when the files it names vanish under it (a writer
# committed twice in between); each attempt waits a little longer.
_ATTEMPTS = 8
# Opening /proc/self/fd/N opens the file descriptor N refers to, even once its name is deleted.
_PINNED = Path("/proc/self/fd")
_PINNING = _PINNED.is_dir()


class _PinnedVectors:
    """The vector file one manifest names, held open from the moment the state is opened and
    loaded (memory-mapped) through that descriptor on first use."""

    def __init__(self, root: Path, path: Path, dim: int, *, required: bool) -> None:
        self.root = root
        self.path = path
        self.dim = dim
        self._fd: int | None = None
        self._loaded: Any = None  # faiss index
        self._lock = threading.Lock()
        self._closed = False
        try:
            self._fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            if required:
                raise  # removed by a writer that has moved on: read the manifest again
            # An older index that has no vector file yet: searching it finds nothing.
        if not _PINNING:
            try:
                self.get()
            except BaseException:
                self.close()
                raise

    def get(self) -> Any:
        """The faiss index (loaded on the first call)."""
        with self._lock:
            if self._loaded is None:
                from index import vectors  # faiss: only once a vector search happens

                if self._closed:
                    raise ValueError(f"the state of {self.path} was closed")
                if self._fd is None:
                    self._loaded = vectors.new_index(self.dim)  # no vector file: an empty index
                    return self._loaded
                if not _PINNING and not self.path.exists():
                    raise FileNotFoundError(self.path)  # loaded at once: read the manifest again
                source = _PINNED / str(self._fd) if _PINNING else self.path
                try:
                    self._loaded = vectors.load(source, self.dim)
                except (RuntimeError, ValueError) as exc:  # faiss's error for a damaged file, or other dimensions
                    raise IndexFormatError(_damaged(self.root, exc)) from exc
                self._release()  # the index holds its own mapping of the file now
            return self._loaded

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._release()
            self._loaded = None

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@dataclass
class _Opened:
    key: tuple[int, int, int]
    manifest: Manifest
    index: Any  # whoosh FileIndex (read-only)
    reader: Any  # whoosh reader of exactly manifest.keyword_generation
    vectors: _PinnedVectors  # the faiss index of exactly manifest.vector_file, loaded on first use

    def close(self) -> None:
        self.vectors.close()
        self.reader.close()
        self.index.close()


class CommittedState:
    """The keyword reader and vector index of the latest committed state, re-opened when it changes."""

    def __init__(self, layout: IndexLayout, manifest: Manifest) -> None:
        self.layout = layout
        self._current: _Opened | None = None
        self._open_latest(first=manifest)

    @property
    def manifest(self) -> Manifest:
        assert self._current is not None
        return self._current.manifest

    @property
    def generation(self) -> int:
        """Changes whenever a new state is opened (callers cache searchers per generation)."""
        return id(self.reader)

    @property
    def reader(self) -> Any:
        assert self._current is not None
        return self._current.reader

    @property
    def schema(self) -> Any:
        return self.reader.schema

    @property
    def vectors(self) -> Any:
        """The faiss index of the current state: loaded on first access, from the file its manifest named."""
        assert self._current is not None
        return self._current.vectors.get()

    def refresh(self) -> bool:
        """Open the newest committed state if the manifest changed; True when it did."""
        try:
            key = _manifest_key(self.layout)
        except OSError:
            return False  # the manifest is being replaced this instant: the current state stands
        if self._current is not None and key == self._current.key:
            return False
        return self._open_latest()

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None

    def _open_latest(self, first: Manifest | None = None) -> bool:
        last_error: Exception | None = None
        key: tuple[int, int, int] | None = None
        for attempt in range(_ATTEMPTS):
            try:
                key = _manifest_key(self.layout)
                manifest = first if first is not None and attempt == 0 else read_manifest(self.layout)
                opened = self._open(key, manifest)
            except (OSError, RuntimeError, ValueError, IndexFormatError) as exc:
                last_error = exc
                # Files vanish under a reader only when a writer has committed since: then the
                # manifest has changed too. The same manifest twice means damage, not a race.
                try:
                    unchanged = _manifest_key(self.layout) == key
                except OSError:
                    unchanged = False
                if unchanged and attempt >= 1:
                    break
                time.sleep(0.005 * 2**attempt)
                continue
            except Exception as exc:  # whoosh raises assorted types for a missing or damaged index
                last_error = exc
                break
            previous, self._current = self._current, opened
            if previous is not None:
                previous.close()
            return True
        if self._current is not None:
            return False  # keep answering from the state already open
        if isinstance(last_error, IndexFormatError):
            raise last_error
        raise IndexFormatError(_damaged(self.layout.root, last_error)) from last_error

    def _open(self, key: tuple[int, int, int], manifest: Manifest) -> _Opened:
        index, reader = keyword.open_generation(self.layout.keyword_dir, manifest.keyword_generation)
        try:
            path = self.layout.committed_vectors(manifest.vector_file)
            pinned = _PinnedVectors(self.layout.root, path, manifest.dim, required=manifest.vector_file is not None)
        except BaseException:
            reader.close()
            index.close()
            raise
        return _Opened(key, manifest, index, reader, pinned)


class RefreshingLock:
    """A lock that brings the committed state up to date each time it is taken.

    Every query takes it once around both retrievers, so both read the same state.
    """

    def __init__(self, on_enter: Callable[[], object]) -> None:
        self._lock = threading.Lock()
        self._on_enter = on_enter

    def __enter__(self) -> RefreshingLock:
        self._lock.acquire()
        try:
            self._on_enter()
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._lock.release()


def _damaged(root: Path, error: BaseException | None) -> str:
    return (
        f"the indexes in {root} are missing or damaged ({type(error).__name__}: {error}): "
        "run `news-search index --rebuild` to re-derive them from the stored articles"
    )


def _manifest_key(layout: IndexLayout) -> tuple[int, int, int]:
    # The manifest is replaced by rename, so a new commit always shows a new inode.
    st = os.stat(layout.manifest)
    return (st.st_ino, st.st_mtime_ns, st.st_size)
