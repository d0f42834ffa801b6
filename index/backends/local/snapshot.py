"""The read side of the commit protocol: open exactly the state the manifest names, as a whole.

A commit (``index/backends/local/commit.py``) writes a new whoosh generation and a new vector file beside the ones the
manifest names, replaces the manifest atomically, and only then deletes the old files. A reader
that opens the keyword generation and the vector file named by one manifest therefore sees one
committed state: never new keywords with old vectors, never a half-applied change. When a writer
moves on and deletes the files just as a reader reads an older manifest, the reader reads the
manifest again; a reader that already holds a state keeps answering from it.

The keyword generation is opened whole: whoosh opens some of a segment's files on first use, by
name, so ``keyword.schema.open_generation`` opens those too, and maps the column copies, before
the state is handed out (a search in flight when the writer deletes them still reads them).

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
                from index.backends.local import vectors  # faiss: only once a vector search happens

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
                    raise IndexFormatError(vectors_unusable(IndexLayout(self.root), self.path, "damaged")) from exc
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
    index: Any  # whoosh FileIndex (read-only); None when the keyword index is missing or damaged
    reader: Any  # whoosh reader of exactly manifest.keyword_generation; None with index
    vectors: _PinnedVectors | None  # the faiss index of exactly manifest.vector_file, loaded on first use
    number: int = 0  # counts the states a CommittedState has opened (see CommittedState.generation)
    # Why a part is unusable, in words for the person at the terminal (the state opened without it).
    keyword_problem: str | None = None
    vector_problem: str | None = None

    def close(self) -> None:
        if self.vectors is not None:
            self.vectors.close()
        if self.reader is not None:
            self.reader.close()
        if self.index is not None:
            self.index.close()


class CommittedState:
    """The keyword reader and vector index of the latest committed state, re-opened when it changes."""

    def __init__(self, layout: IndexLayout) -> None:
        self.layout = layout
        self._current: _Opened | None = None
        self._opened = 0
        self._open_latest()

    @property
    def manifest(self) -> Manifest:
        assert self._current is not None
        return self._current.manifest

    @property
    def generation(self) -> int:
        """Changes whenever a new state is opened (callers cache searchers per generation). A count,
        not the reader's id: a state opened without its keyword index has no reader, and an id can
        be reused once the old state is freed."""
        assert self._current is not None
        return self._current.number

    @property
    def reader(self) -> Any:
        """The whoosh reader; a clear ``IndexFormatError`` when the keyword index is missing or damaged."""
        assert self._current is not None
        if self._current.reader is None:
            raise IndexFormatError(self._current.keyword_problem or "the keyword index is missing")
        return self._current.reader

    @property
    def schema(self) -> Any:
        assert self._current is not None
        if self._current.reader is None:  # the parser still needs the fields: the analysis defines them
            return keyword.build_schema(self._current.manifest.analysis)
        return self._current.reader.schema

    @property
    def vectors(self) -> Any:
        """The faiss index of the current state: loaded on first access, from the file its manifest named."""
        assert self._current is not None
        if self._current.vectors is None:
            raise IndexFormatError(self._current.vector_problem or "the vector index is missing")
        return self._current.vectors.get()

    @property
    def problems(self) -> list[str]:
        """What is missing or damaged in the open state (empty when both indexes opened)."""
        assert self._current is not None
        return [p for p in (self._current.keyword_problem, self._current.vector_problem) if p]

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

    def _open_latest(self) -> bool:
        last_error: Exception | None = None
        key: tuple[int, int, int] | None = None
        manifest: Manifest | None = None
        opened: _Opened | None = None
        damaged = False
        for attempt in range(_ATTEMPTS):
            try:
                # The key before the content, always read here: a manifest replaced in between is
                # opened again at the next refresh, whereas one read earlier by the caller (as once
                # passed in) could open the older state under the newer key, left there for good.
                key = _manifest_key(self.layout)
                manifest = None
                manifest = read_manifest(self.layout)
                opened = self._open(key, manifest)
            except Exception as exc:  # whoosh raises assorted types for a missing or damaged index
                last_error = exc
                # Files vanish under a reader only when a writer has committed since: then the
                # manifest has changed too. The same manifest twice means damage, not a race (and
                # only damage may open a state without a part, below).
                try:
                    unchanged = _manifest_key(self.layout) == key
                except OSError:
                    unchanged = False
                if unchanged and attempt >= 1:
                    damaged = True
                    break
                time.sleep(0.005 * 2**attempt)
                continue
            break
        if opened is None and self._current is not None:
            return False  # keep answering from the state already open
        if opened is None:
            if manifest is None or key is None:  # the manifest itself is the trouble: its error says what to run
                if isinstance(last_error, IndexFormatError):
                    raise last_error
                raise IndexFormatError(f"cannot read the manifest of the index at {self.layout.root}") from last_error
            if not damaged:  # a writer committed on every attempt: its files came and went faster than they opened
                raise IndexFormatError(
                    f"the index at {self.layout.root} changed on every attempt to open it (a writer is committing): try again"
                ) from last_error
            # Damage, not a race: open what is there. The store alone answers `show` and `stats`,
            # the keyword index keyword mode, the vectors semantic mode; a search that needs a
            # missing part is refused when it asks for it, with the command that repairs it.
            opened = self._open(key, manifest, partial=True)
        self._opened += 1
        opened.number = self._opened
        previous, self._current = self._current, opened
        if previous is not None:
            previous.close()
        return True

    def _open(self, key: tuple[int, int, int], manifest: Manifest, *, partial: bool = False) -> _Opened:
        """Both parts of the state one manifest names; with ``partial``, each part that cannot be
        opened is left out and described instead of failing the whole state."""
        index = reader = None
        keyword_problem = None
        try:
            index, reader = keyword.open_generation(self.layout.keyword_dir, manifest.keyword_generation)
        except Exception:  # whoosh raises assorted types for a missing or damaged index
            if not partial:
                raise
            keyword_problem = keyword_unusable(self.layout)
        pinned = None
        vector_problem = None
        path = self.layout.committed_vectors(manifest.vector_file)
        try:
            pinned = _PinnedVectors(self.layout.root, path, manifest.dim, required=manifest.vector_file is not None)
        except BaseException as exc:
            if not partial or not isinstance(exc, Exception):
                if reader is not None and index is not None:
                    reader.close()
                    index.close()
                raise
            vector_problem = vectors_unusable(self.layout, path, "missing" if isinstance(exc, FileNotFoundError) else "damaged")
        return _Opened(key, manifest, index, reader, pinned, keyword_problem=keyword_problem, vector_problem=vector_problem)


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


def keyword_unusable(layout: IndexLayout) -> str:
    state = "damaged" if layout.keyword_dir.is_dir() else "missing"
    return (
        f"the keyword index of the index at {layout.root} (keyword/) is {state}, and keyword and hybrid search need it: "
        f"run `{layout.rebuild_command()}` to re-derive it from the stored articles (--mode semantic works meanwhile)"
    )


def vectors_unusable(layout: IndexLayout, path: Path, state: str) -> str:
    where = path.relative_to(layout.root) if path.is_relative_to(layout.root) else path
    return (
        f"the vector index of the index at {layout.root} ({where}) is {state}, and semantic and hybrid search need it: "
        f"run `{layout.rebuild_command()}` to re-derive it from the stored articles (--mode keyword works meanwhile)"
    )


def _manifest_key(layout: IndexLayout) -> tuple[int, int, int]:
    # The manifest is replaced by rename, so a new commit always shows a new inode.
    st = os.stat(layout.manifest)
    return (st.st_ino, st.st_mtime_ns, st.st_size)
