"""The write side of the commit protocol: the store's journal -> keyword index + columns + vectors -> manifest.

The store commit is the point of no return for a batch of changes; the derived indexes are then
brought up to date from the store's journal (``store.py``), and the manifest, the commit point
readers open, is rewritten last. Each commit writes a new whoosh generation and a new vector file
beside those the manifest names; the manifest is replaced atomically; only then are the old files
removed and the journal cleared. Readers (``snapshot.py``, the read side of the same protocol)
open exactly what one manifest names, so they see the state before or after a commit, never a
mix, and a crash anywhere leaves the journal to replay: replaying it gives the same indexes.
"""

from __future__ import annotations

import contextlib
import shutil
from typing import Any

from index.backends.local import centering, vectors
from index.backends.local.keyword import columns as keyword_columns
from index.backends.local.keyword import schema as keyword
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import Manifest, write_manifest
from index.backends.local.store import ArticleStore, StoreRecipe


class DerivedIndexes:
    """The keyword index (with its column copies) and the vector index of one folder, kept by the writer."""

    def __init__(self, layout: IndexLayout, store: ArticleStore, manifest: Manifest) -> None:
        self.layout = layout
        self.store = store
        self.manifest = manifest
        self._keyword = keyword.open_or_create(layout.keyword_dir, manifest.analysis)
        try:
            self._vectors = vectors.load(layout.committed_vectors(manifest.vector_file), manifest.dim, writable=True)
        except (RuntimeError, ValueError):  # damaged file: empty until re-derived (``matches_store`` says so)
            self._vectors = vectors.new_index(manifest.dim)

    def matches_store(self) -> bool:
        """After a commit both indexes hold exactly the stored articles; a deleted or damaged one does not."""
        stored = self.store.count()
        return bool(self._keyword.doc_count() == stored and self._vectors.ntotal == stored)

    def commit(self, *, merge: bool = False) -> None:
        """Apply the store's journal to both derived indexes, then name the new state in the manifest."""
        self._record_recipe()
        ops = self.store.pending()
        generation = keyword.generation(self._keyword)
        if ops:
            last_op = {op.rowid: op.op for op in ops}  # journal order: the last word on a row wins
            existing = set(self.store.get_many(list(last_op)).keys())
            upserts = sorted(r for r, op in last_op.items() if op == "upsert" and r in existing)
            deletes = sorted(r for r in last_op if r not in upserts)
            generation = keyword.apply_changes(self._keyword, self.store.iter_articles(upserts), deletes)
            by_rowid = self.store.vectors(upserts, self.manifest.dim)
            ids = [r for r in upserts if r in by_rowid]
            matrix = _stack([by_rowid[r] for r in ids], self.manifest.dim)
            # Centered per language where the archive holds several (centering.py); as embedded otherwise.
            self._vectors = centering.apply_changes(self._vectors, self.store, self.manifest, ids, matrix, deletes)
        if merge and keyword.segment_count(self._keyword) > 1:
            generation = keyword.merge_segments(self._keyword)
        # Column copies of the new segments' postings, for fast scoring (keyword/columns.py);
        # also fills in those an older release or a crash left out.
        segments = keyword_columns.sync_generation(self.layout.keyword_dir, generation, keyword.text_fields(self._keyword.schema))
        vector_file = self.layout.vector_file(generation)
        if ops or not vector_file.exists():
            vectors.save(self._vectors, vector_file)
        self.manifest.keyword_generation = generation
        self.manifest.vector_file = str(vector_file.relative_to(self.layout.root))
        self.manifest.articles = self.store.count()
        write_manifest(self.layout, self.manifest)
        keyword.remove_unused(self._keyword, generation)
        keyword_columns.remove_unused(self.layout.keyword_dir, segments)
        for old in self.layout.vector_dir.glob("*.faiss"):  # includes the single file of older releases
            if old != vector_file:
                old.unlink(missing_ok=True)
        if ops:
            self.store.begin()
            self.store.clear_pending(ops[-1].seq)
            self.store.commit()
        _release_memory()

    def rebuild(self, analysis: str | None = None) -> int:
        """Re-derive both indexes from the store (stored embeddings, no re-extraction), optionally
        re-analysed; returns how many articles they hold."""
        self._keyword.close()
        shutil.rmtree(self.layout.keyword_dir, ignore_errors=True)
        for old in self.layout.vector_dir.glob("*.faiss"):
            old.unlink()
        self.manifest.analysis = analysis or self.manifest.analysis
        self._keyword = keyword.open_or_create(self.layout.keyword_dir, self.manifest.analysis)
        self._vectors = vectors.new_index(self.manifest.dim)
        self.store.begin()
        self.store.journal_all()
        self.store.commit()
        self.commit()
        return self.store.count()

    def close(self) -> None:
        self._keyword.close()

    def _record_recipe(self) -> None:
        """Keep the store's copy of the recipe equal to the manifest's, so a lost manifest can be
        written again (the manifest is the commit point: where they differ after a crash, it wins)."""
        m = self.manifest
        self.store.set_recipe(StoreRecipe(m.model, m.dim, m.embedded_text, m.analysis))


def _release_memory() -> None:
    """Give back what a commit used. whoosh's writers and readers hold large buffers in reference
    cycles, and glibc keeps freed arenas: without this, a 100k-page ingest grew by ~23 KB per
    article (2.1 GB at 91k); with it, memory stays flat from one commit to the next."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    libc_name = ctypes.util.find_library("c")
    if libc_name and "libc.so" in libc_name:  # glibc (musl has no malloc_trim)
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(libc_name).malloc_trim(0)


def _stack(rows: list[Any], dim: int) -> Any:
    import numpy as np

    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), dtype=np.float32)
