"""The write path: sources -> extraction -> store -> keyword and vector indexes.

The store commit is the point of no return for a batch; both derived indexes are then brought up
to date from the store's journal (see ``store.py``), and the manifest is rewritten last. Running
the same ingest again after a crash replays whatever the journal still holds, so the two indexes
always end up describing the same articles as the store.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from index import keyword, vectors
from index.article import Article
from index.embeddings import EMBEDDED_TEXT, LEAD_CHARS, Encoder, embedding_input, load_encoder
from index.errors import IndexFormatError, IndexLockedError, ModelMismatchError
from index.extract import page_fingerprint, to_article
from index.layout import IndexLayout
from index.manifest import Manifest, read_manifest, write_manifest
from index.sources import Page, Record, iter_sources
from index.store import ArticleStore, Skip

BATCH_SIZE = 64
# Skip reasons that depend only on the page's own bytes, so the same bytes give the same reason.
_LASTING_SKIPS = frozenset({"not_html", "not_text", "too_short", "not_article", "missing_field"})
# Derived indexes are synced after this many changed articles (and at the end): often enough that
# a crash loses little replay work, rarely enough that whoosh segments and faiss writes stay cheap.
SYNC_EVERY = 2048


@dataclass
class IngestReport:
    """What one ingest did. ``skipped`` counts pages not indexed, by reason."""

    pages: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def duplicates(self) -> int:
        return self.skipped.get("duplicate", 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "skipped": dict(self.skipped),
            "seconds": round(self.seconds, 3),
        }


ProgressCallback = Callable[[IngestReport], None]


class Indexer:
    """Creates or opens an index for writing. Holds an exclusive lock until closed.

    >>> with Indexer("my-index") as indexer:          # doctest: +SKIP
    ...     report = indexer.add(["~/news/"])
    """

    def __init__(
        self,
        index_dir: Path | str,
        *,
        model: str | None = None,
        encoder: Encoder | None = None,
        analysis: str = keyword.DEFAULT_ANALYSIS,
    ) -> None:
        self.layout = IndexLayout(Path(index_dir).expanduser())
        self.layout.root.mkdir(parents=True, exist_ok=True)
        self._lock_handle: int | None = _acquire_lock(self.layout.write_lock)
        try:
            self._open(model, encoder, analysis)
        except BaseException:
            self._release()
            raise

    def _open(self, model: str | None, encoder: Encoder | None, analysis: str) -> None:
        requested = encoder.name if encoder is not None else model
        if self.layout.manifest.exists():
            self.manifest = read_manifest(self.layout)
            if self.manifest.embedded_text not in LEAD_CHARS:
                raise IndexFormatError(
                    f"index at {self.layout.root} embeds {self.manifest.embedded_text!r}, which this release does not know: "
                    "index your pages into a new folder"
                )
            if requested is not None and requested != self.manifest.model:
                raise ModelMismatchError(
                    f"index at {self.layout.root} was built with model {self.manifest.model!r}, not {requested!r}: "
                    "leave out --model, or build a new index in another folder"
                )
            # Loaded on first use: removing articles or re-deriving indexes needs no model.
            self._encoder = encoder
        else:
            self._encoder = encoder or load_encoder(model)
            self.manifest = Manifest(
                model=self._encoder.name,
                dim=self._encoder.dim,
                embedded_text=EMBEDDED_TEXT,
                analysis=analysis,
            )
        self.store = ArticleStore(self.layout.store)
        # Page fingerprints of extracted pages whose batch has not committed yet.
        self._fingerprints: dict[str, str] = {}
        stale_analysis = self.manifest.analysis not in keyword.ANALYSES
        if stale_analysis:  # written by an older release: the keyword index is re-derived below
            self.manifest.analysis = analysis
            shutil.rmtree(self.layout.keyword_dir, ignore_errors=True)
        self._keyword = keyword.open_or_create(self.layout.keyword_dir, self.manifest.analysis)
        try:
            self._vectors = vectors.load(self.layout.vector_index, self.manifest.dim)
        except (RuntimeError, ValueError):  # damaged file: re-derived from the store below
            self._vectors = vectors.new_index(self.manifest.dim)
        # An empty index that opens cleanly exists from the first moment, so a crash during the
        # first build leaves something that opens and that the next run completes.
        self.sync()
        if stale_analysis or not self._derived_indexes_match_store():
            self.rebuild()

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.manifest.model)
        return self._encoder

    # -- context manager ---------------------------------------------------------------------

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._lock_handle is None:
            return
        try:
            self.store.close()
            self._keyword.close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            os.close(self._lock_handle)
            self._lock_handle = None

    # -- ingest ------------------------------------------------------------------------------

    def add(self, paths: Iterable[Path | str], *, progress: ProgressCallback | None = None) -> IngestReport:
        """Ingest files and folders (HTML, WARC, JSONL, text clippings)."""
        return self._ingest(iter_sources(paths), progress)

    def add_articles(
        self, articles: Iterable[Article | Mapping[str, Any]], *, progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Ingest articles built in Python: ``Article`` objects, or dicts with the JSONL fields."""

        def items() -> Iterator[Article | Record]:
            for number, article in enumerate(articles, start=1):
                yield article if isinstance(article, Article) else Record(f"python:{number}", dict(article))

        return self._ingest(items(), progress)

    def remove(self, article_ids: Iterable[str]) -> list[str]:
        """Delete articles from the store and both indexes; returns the ids that existed."""
        removed: list[str] = []
        self.store.begin()
        try:
            for article_id in article_ids:
                if self.store.delete(article_id) is not None:
                    removed.append(article_id)
            self.store.commit()
        except BaseException:
            self.store.rollback()
            raise
        self.sync()
        return removed

    def rebuild(self, analysis: str | None = None) -> None:
        """Re-derive both indexes from the store (stored embeddings, no re-extraction), optionally re-analysed."""
        self._keyword.close()
        shutil.rmtree(self.layout.keyword_dir, ignore_errors=True)
        self.layout.vector_index.unlink(missing_ok=True)
        self.manifest.analysis = analysis or self.manifest.analysis
        self._keyword = keyword.open_or_create(self.layout.keyword_dir, self.manifest.analysis)
        self._vectors = vectors.new_index(self.manifest.dim)
        self.store.begin()
        self.store.journal_all()
        self.store.commit()
        self.sync()

    def sync(self) -> None:
        """Apply the store's journal to both derived indexes, then rewrite the manifest."""
        ops = self.store.pending()
        if ops:
            last_op = {op.rowid: op.op for op in ops}  # journal order: the last word on a row wins
            existing = set(self.store.get_many(list(last_op)).keys())
            upserts = sorted(r for r, op in last_op.items() if op == "upsert" and r in existing)
            deletes = sorted(r for r in last_op if r not in upserts)
            keyword.apply_changes(self._keyword, self.store.iter_articles(upserts), deletes)
            by_rowid = self.store.vectors(upserts, self.manifest.dim)
            ids = [r for r in upserts if r in by_rowid]
            matrix = _stack([by_rowid[r] for r in ids], self.manifest.dim)
            vectors.apply_changes(self._vectors, ids, matrix, deletes)
            vectors.save(self._vectors, self.layout.vector_index)
            self.store.begin()
            self.store.clear_pending(ops[-1].seq)
            self.store.commit()
        elif not self.layout.vector_index.exists():
            vectors.save(self._vectors, self.layout.vector_index)
        self.manifest.articles = self.store.count()
        write_manifest(self.layout, self.manifest)

    def _derived_indexes_match_store(self) -> bool:
        """After a sync both indexes hold exactly the stored articles; a deleted or damaged one does not."""
        stored = self.store.count()
        return bool(self._keyword.doc_count() == stored and self._vectors.ntotal == stored)

    def _ingest(self, items: Iterable[Any], progress: ProgressCallback | None) -> IngestReport:
        report = IngestReport()
        started = time.perf_counter()
        batch: list[Article] = []
        since_sync = 0
        for item in items:
            report.pages += 1
            if isinstance(item, Page):
                fingerprint = page_fingerprint(item)
                if self._count_if_unchanged(item.source, fingerprint, report):
                    continue
                self._fingerprints[item.source] = fingerprint  # recorded with the batch's commit
            result = item if isinstance(item, Article | Skip) else to_article(item)
            if isinstance(result, Skip):
                self._skip(result, report)
            else:
                batch.append(result)
            if len(batch) >= BATCH_SIZE:
                since_sync += self._write_batch(batch, report)
                batch = []
                if since_sync >= SYNC_EVERY:
                    self.sync()
                    since_sync = 0
                if progress:
                    report.seconds = time.perf_counter() - started
                    progress(report)
        if batch:
            self._write_batch(batch, report)
        self.sync()
        report.seconds = time.perf_counter() - started
        if progress:
            progress(report)
        return report

    def _count_if_unchanged(self, source: str, fingerprint: str, report: IngestReport) -> bool:
        """Same bytes as last time and their outcome still stands: count it without extracting again."""
        outcome = self.store.seen_outcome(source, fingerprint)
        if outcome is None:
            return False
        if outcome.startswith("skip:"):
            report.skipped[outcome.removeprefix("skip:")] += 1
            return True
        if self.store.rowid_for(outcome) is None:  # removed since: extract and index it again
            return False
        report.unchanged += 1
        return True

    def _remember(self, source: str | None, outcome: str) -> None:
        fingerprint = self._fingerprints.pop(source or "", None)
        if fingerprint is not None:
            self.store.mark_seen(source or "", fingerprint, outcome)

    def _skip(self, skip: Skip, report: IngestReport) -> None:
        report.skipped[skip.reason] += 1
        self.store.begin()
        self.store.record_skip(skip)
        if skip.reason in _LASTING_SKIPS:
            self._remember(skip.source, f"skip:{skip.reason}")
        self.store.commit()

    def _write_batch(self, batch: list[Article], report: IngestReport) -> int:
        """Classify, embed and commit one batch; returns how many articles changed."""
        to_write: dict[str, tuple[Article, bool]] = {}
        seen_text: dict[str, str] = {}
        skips: list[Skip] = []
        unchanged: list[Article] = []
        for article in batch:
            known = self.store.lookup_hashes(article.id)
            if known is not None and known[1] == article.content_hash:
                report.unchanged += 1
                unchanged.append(article)
                continue
            same_text = seen_text.get(article.text_hash) or self.store.find_by_text_hash(article.text_hash)
            if same_text is not None and same_text != article.id:
                skips.append(Skip(article.source or article.id, "duplicate", f"same text as article {same_text}"))
                continue
            if article.id in to_write:  # the same page twice in one batch: the later copy wins
                report.unchanged += 1
            to_write[article.id] = (article, known is not None)
            seen_text[article.text_hash] = article.id
        texts = [embedding_input(article, self.manifest.embedded_text) for article, _ in to_write.values()]
        matrix = self.encoder.encode_documents(texts) if texts else None
        self.store.begin()
        try:
            for row, (article, existed) in enumerate(to_write.values()):
                assert matrix is not None
                self.store.upsert(article, matrix[row])
                if existed:
                    report.updated += 1
                else:
                    report.added += 1
            for skip in skips:
                report.skipped[skip.reason] += 1
                self.store.record_skip(skip)
                self._fingerprints.pop(skip.source, None)  # a duplicate's outcome depends on other pages
            for article in unchanged + [a for a, _ in to_write.values()]:
                self._remember(article.source, article.id)
            self.store.commit()
        except BaseException:
            self.store.rollback()
            raise
        return len(to_write)


def _stack(rows: list[Any], dim: int) -> Any:
    import numpy as np

    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), dtype=np.float32)


def _acquire_lock(path: Path) -> int:
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise IndexLockedError(f"another process is writing to the index at {path.parent}; wait for it to finish") from None
    return handle
