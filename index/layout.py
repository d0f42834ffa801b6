"""File names inside an index folder: defined here once, used by both the write and read path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Bump when the on-disk layout or the meaning of a stored field changes; readers refuse other versions.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class IndexLayout:
    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def store(self) -> Path:
        return self.root / "articles.sqlite"

    @property
    def keyword_dir(self) -> Path:
        return self.root / "keyword"

    @property
    def vector_dir(self) -> Path:
        return self.root / "vector"

    @property
    def vector_index(self) -> Path:
        return self.vector_dir / "vectors.faiss"

    @property
    def write_lock(self) -> Path:
        return self.root / "write.lock"

    def size_bytes(self) -> int:
        """Total size of every file the index holds."""
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())
