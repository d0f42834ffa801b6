"""The manifest: the commit point of an index, written last and replaced atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.backends.local.layout import FORMAT_VERSION, IndexLayout
from index.errors import IndexFormatError, IndexNotFoundError


@dataclass
class Manifest:
    model: str
    dim: int
    embedded_text: str
    analysis: str
    format_version: int = FORMAT_VERSION
    articles: int = 0
    # The committed state readers open, as a whole: this whoosh generation with this vector file
    # (relative to the index folder). None in manifests written before snapshots were named.
    keyword_generation: int | None = None
    vector_file: str | None = None
    created: str = field(default_factory=lambda: _now())
    updated: str = field(default_factory=lambda: _now())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def read_manifest(layout: IndexLayout) -> Manifest:
    path = layout.manifest
    if not path.exists():
        if layout.store.exists():
            raise IndexFormatError(
                f"index at {layout.root} has no manifest (its first build never finished): "
                "run `news-search index` again to complete it"
            )
        raise IndexNotFoundError(
            f"no index at {layout.root}: build one with `news-search index PATH...` "
            "(or point --index / NEWS_SEARCH_INDEX at an existing one)"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"cannot read {path}: {exc}") from exc
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexFormatError(
            f"index at {layout.root} has format version {version}, this news-search reads version "
            f"{FORMAT_VERSION}: rebuild it with `news-search index --rebuild` or with the matching release"
        )
    known = Manifest.__dataclass_fields__
    try:
        return Manifest(**{k: v for k, v in data.items() if k in known})
    except TypeError as exc:
        raise IndexFormatError(f"{path} is incomplete: {exc}") from exc


def write_manifest(layout: IndexLayout, manifest: Manifest) -> None:
    """Write to a temporary file, fsync, then rename over the old one: readers see old or new, never half."""
    manifest.updated = _now()
    payload = json.dumps(manifest.to_dict(), indent=2, sort_keys=True) + "\n"
    write_atomic(layout.manifest, payload.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def prepare_rebuild(layout: IndexLayout) -> bool:
    """Let ``news-search index --rebuild`` take over an index written by another format version.

    The store is the source of truth and is kept; the derived indexes, whose format is what
    changed, are deleted, and the manifest is rewritten with this release's version. Opening the
    index for writing then finds the derived indexes empty and re-derives both from the store, so
    nothing is re-crawled. Returns True when the index was prepared. Holds the write lock while it works.
    """
    import fcntl
    import shutil

    from index.errors import IndexLockedError

    try:
        data = json.loads(layout.manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # no manifest or an unreadable one: opening reports it
    if not isinstance(data, dict) or data.get("format_version") == FORMAT_VERSION or not layout.store.exists():
        return False
    handle = os.open(layout.write_lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLockedError(f"another process is writing to the index at {layout.root}; wait for it to finish") from None
        shutil.rmtree(layout.keyword_dir, ignore_errors=True)
        for old in layout.vector_dir.glob("*.faiss"):
            old.unlink()
        data.update(format_version=FORMAT_VERSION, keyword_generation=None, vector_file=None)
        write_atomic(layout.manifest, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    finally:
        os.close(handle)  # closing the descriptor releases the lock
    return True
