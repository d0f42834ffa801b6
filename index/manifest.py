"""The manifest: the commit point of an index, written last and replaced atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.errors import IndexFormatError, IndexNotFoundError
from index.layout import FORMAT_VERSION, IndexLayout


@dataclass
class Manifest:
    model: str
    dim: int
    embedded_text: str
    analysis: str
    format_version: int = FORMAT_VERSION
    articles: int = 0
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
