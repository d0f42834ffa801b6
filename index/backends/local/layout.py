"""File names inside an index folder: defined here once, used by both the write and read path."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

# Bump when the on-disk layout or the meaning of a stored field changes; readers refuse versions
# outside READABLE_FORMATS. 2: the vector file of an archive of several languages may be centered per
# language (``centering.py``), which a release that reads only 1 would search wrongly, so it must
# refuse it. A version-1 index is read as it is (the vector file says whether it is centered) and written
# as 2 by its next commit.
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)


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

    def vector_file(self, generation: int) -> Path:
        """The vector index of one committed state; older ones are removed once the manifest moves on."""
        return self.vector_dir / f"vectors-{generation}.faiss"

    def committed_vectors(self, name: str | None) -> Path:
        """The vector file a manifest names (the single file of older indexes when it names none)."""
        return self.root / name if name else self.vector_index

    @property
    def write_lock(self) -> Path:
        return self.root / "write.lock"

    def command(self, *arguments: str) -> str:
        """The exact command line that acts on this index, for recovery advice in error messages.

        It always names ``--index``: the person reading the message may have reached this index
        through ``$NEWS_SEARCH_INDEX`` in another shell, and a command that works whatever the
        environment beats a shorter one that only works in theirs.
        """
        return " ".join(["news-search", *arguments, "--index", shlex.quote(str(self.root))])

    def rebuild_command(self, *, model: str | None = None) -> str:
        """``news-search index --rebuild --index DIR`` (with ``--model`` where the store cannot say which)."""
        return self.command("index", "--rebuild", *(["--model", shlex.quote(model)] if model else []))

    def size_bytes(self) -> int:
        """Total size of every file the index holds."""
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())
