"""The writer of an index folder (``Writer`` of ``index.backends.base``): SQLite store + derived indexes.

It holds the folder's one write lock (``lock.py``) from opening to closing. Opening never rebuilds
or rewrites an index: a new folder is created (an empty index that opens cleanly exists from the
first moment, so a crash during the first build leaves something the next run completes), and an
existing one is only examined. What opening finds wrong (a manifest lost or disagreeing with the
store, a keyword analysis of another release, derived indexes that do not hold the stored
articles) is kept as ``problem``; writes are refused until ``repair`` or ``rebuild`` fixes it.
A journal left by a crash is no problem: the next ``commit`` replays it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from index.analysis import ANALYSES
from index.article import Article, Note, Skip
from index.backends.base import IndexInfo
from index.backends.local.commit import DerivedIndexes
from index.backends.local.layout import FORMAT_VERSION, IndexLayout
from index.backends.local.lock import WriteLock
from index.backends.local.manifest import read_manifest_if_usable, take_over_other_format
from index.backends.local.opening import agreeing_manifest, new_manifest
from index.backends.local.store import ArticleStore, missing_store_message
from index.embed.base import Encoder
from index.errors import IndexFormatError
from index.extract.neardup import Signature


class LocalWriter:
    """Opens (or creates) the index folder ``root`` for writing; see the module docstring."""

    def __init__(
        self,
        root: Path,
        *,
        requested_model: str | None,
        load_encoder: Callable[[], Encoder],
        analysis: str,
        take_over: bool = False,
    ) -> None:
        self.layout = IndexLayout(root)
        self.layout.root.mkdir(parents=True, exist_ok=True)
        self._lock = WriteLock(self.layout)
        try:
            if take_over:  # an index of another format version: keep the store, drop what it derived
                take_over_other_format(self.layout)
            self._open(requested_model, load_encoder, analysis)
        except BaseException:
            self._lock.release()
            raise

    def _open(self, requested: str | None, load_encoder: Callable[[], Encoder], analysis: str) -> None:
        layout = self.layout
        manifest = read_manifest_if_usable(layout)
        found = manifest is not None
        if not layout.store.exists() and (
            manifest.articles > 0 if manifest is not None else layout.keyword_dir.exists() or layout.vector_dir.exists()
        ):
            # A new empty store would make the next commit wipe the derived indexes, the last trace of the articles.
            raise IndexFormatError(missing_store_message(layout.store))
        self._analysis = analysis
        problems: list[str] = []
        existed = layout.store.exists()
        self.store = ArticleStore(layout.store)
        try:
            if manifest is None and not existed:
                manifest = new_manifest(load_encoder, analysis)
            else:
                on_disk = None if manifest is None else (manifest.model, manifest.dim, manifest.embedded_text)
                manifest = agreeing_manifest(layout, self.store, manifest, requested, load_encoder, analysis)
                if on_disk != (manifest.model, manifest.dim, manifest.embedded_text) and self.store.count():
                    problems.append(f"its manifest.json is {'missing' if on_disk is None else 'not what its store holds'}")
            self.manifest = manifest
            self._stale_analysis = manifest.analysis not in ANALYSES
            if self._stale_analysis:  # written by an older release: the keyword index must be re-derived
                problems.append(f"its keyword analysis {manifest.analysis!r} is not one this release knows")
                manifest.analysis = analysis
            self._derived = DerivedIndexes(layout, self.store, manifest)
        except BaseException:
            self.store.close()
            raise
        if not self.store.pending() and not self._derived.matches_store():
            problems.append("its keyword or vector index does not hold the stored articles")
        self.problem: str | None = "; ".join(problems) or None
        if self.problem is None and not found and not self.store.count():
            # Nothing to lose: a new index, or a first build that never finished.
            self._derived.commit()

    # -- what ingest asks before writing -----------------------------------------------------------

    @property
    def info(self) -> IndexInfo:
        m = self.manifest
        return IndexInfo(str(self.layout.root), m.model, m.dim, m.embedded_text, m.analysis, FORMAT_VERSION, m.created, m.updated)

    def count(self) -> int:
        return self.store.count()

    def seen(self, source: str, fingerprint: str) -> str | None:
        return self.store.seen_outcome(source, fingerprint)

    def document_number(self, article_id: str) -> int | None:
        return self.store.rowid_for(article_id)

    def content_hash(self, article_id: str) -> str | None:
        found = self.store.lookup_hashes(article_id)
        return found[1] if found else None

    def article_with_text(self, text_hash: str) -> str | None:
        return self.store.find_by_text_hash(text_hash)

    def has_notes(self, source: str) -> bool:
        return self.store.has_notes(source)

    def near_duplicate_candidates(self, band_keys: Sequence[int]) -> list[tuple[int, str, Signature, str]]:
        return self.store.near_dup_candidates(band_keys)

    def ungrouped(self, after: int, limit: int) -> list[tuple[int, Article]]:
        """Up to ``limit`` stored articles numbered above ``after`` without a near-duplicate signature."""
        docs = [doc for doc in self.store.rowids_without_signature() if doc > after][:limit]
        return list(self.store.iter_articles(docs))

    # -- changes -----------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One store transaction: every change inside is kept, or (on an error) none is."""
        if self.problem is not None:
            raise IndexFormatError(
                f"the index at {self.layout.root} needs a repair before it takes changes ({self.problem}): "
                f"run `{self.layout.rebuild_command()}`"
            )
        self.store.begin()
        try:
            yield
            self.store.commit()
        except BaseException:
            self.store.rollback()
            raise

    def upsert(self, article: Article, vector: Any, signature: Signature | None, group: str) -> int:
        rowid = self.store.upsert(article, vector)
        self.store.set_near_dup(rowid, signature, group)
        return rowid

    def set_group(self, doc: int, signature: Signature | None, group: str) -> None:
        self.store.set_near_dup(doc, signature, group)

    def delete(self, article_id: str) -> bool:
        return self.store.delete(article_id) is not None

    def record_skip(self, skip: Skip) -> None:
        self.store.record_skip(skip)

    def record_notes(self, source: str, notes: Sequence[Note]) -> None:
        self.store.replace_notes(source, notes)

    def mark_seen(self, source: str, fingerprint: str, outcome: str) -> None:
        self.store.mark_seen(source, fingerprint, outcome)

    def commit(self, *, merge: bool = False) -> None:
        self._derived.commit(merge=merge)

    def rebuild(self, analysis: str | None = None) -> int:
        count = self._derived.rebuild(analysis)
        self._stale_analysis = False
        self.problem = None
        return count

    def repair(self) -> bool:
        """Fix what opening found (``problem``) and replay a journal a crash left; True when a rebuild was needed."""
        if self._stale_analysis:
            self.rebuild(self._analysis)
            return True
        self._derived.commit()
        if not self._derived.matches_store():
            self.rebuild()
            return True
        self.problem = None
        return False

    def close(self) -> None:
        if not self._lock.held:
            return
        try:
            self.store.close()
            self._derived.close()
        finally:
            self._lock.release()
