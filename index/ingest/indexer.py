"""The write path's orchestration: sources -> extraction -> classification -> embedding -> writer.

``Indexer`` reads pages (``index.extract``), extracts them in worker processes (``workers.py``),
classifies them (``classify.py``), embeds the new and changed articles in a thread
(``embedding.py``) and writes each batch through a backend ``Writer`` (``index.backends``), which
it talks to alone: no store, keyword or vector internals here. Each batch is one durable unit with
the fingerprints of its pages; the writer's commits make batches visible, every ``SYNC_EVERY``
articles and at the end, so a crash loses only the batch in flight and the same command resumes.

Opening an ``Indexer`` creates a new index, or opens an existing one as it is: a repair or a
rebuild is asked for explicitly (``repair``, ``rebuild``; ``news-search index`` repairs first).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import numpy as np

from index.analysis import DEFAULT_ANALYSIS
from index.article import Article
from index.backends import open_writer
from index.backends.base import IndexInfo, Writer
from index.embed.base import Encoder, embedding_input
from index.embed.loading import load_encoder
from index.extract.pages import page_fingerprint
from index.extract.sources import Page, Record, iter_sources
from index.ingest.classify import Classifier, Unit, backfill_groups, near_duplicate_group
from index.ingest.embedding import EmbeddingStage
from index.ingest.progress import InputProgress
from index.ingest.report import IngestReport, ProgressCallback, timed
from index.ingest.workers import ExtractionPool

# Texts per call to the encoder: large enough to keep it busy between commits (a sentence-transformers
# model sorts them into sub-batches of similar length; the ONNX one embeds each alone), small enough
# that a crash loses little and memory stays flat. Also the commit batch.
EMBED_BATCH = 256
MIN_EMBED_BATCH = 32
PROGRESS_EVERY = 0.2  # seconds between progress callbacks
# Derived indexes are synced after this many changed articles, or a tenth of the archive if more
# (and at the end): often enough that a crash leaves little to replay and readers see progress,
# rarely enough that a sync, which rewrites the vector file, costs O(n log n) over a whole ingest.
SYNC_EVERY = 2048
# An ingest that writes at least 1/MERGE_FRACTION of the archive merges the keyword segments.
MERGE_FRACTION = 4

__all__ = ["EMBED_BATCH", "Indexer", "IngestReport", "ProgressCallback"]


class Extraction(Protocol):
    """Pages in, ``Extracted`` out in source order: ``ExtractionPool`` here, Ray tasks on a cluster."""

    peak_worker_rss_kb: int

    def map(self, work: Iterable[tuple[Any, str | None]]) -> Iterator[Any]: ...


class Embedder(Protocol):
    """Batches in, matrices out in submission order: ``EmbeddingStage`` here, Ray actors on a cluster."""

    seconds: float
    texts: int

    @property
    def idle(self) -> bool: ...

    def submit(self, unit: Unit, texts: list[str]) -> None: ...

    def ready(self) -> Iterator[tuple[Unit, np.ndarray | None]]: ...

    def finish(self) -> Iterator[tuple[Unit, np.ndarray | None]]: ...

    def close(self) -> None: ...


class Indexer:
    """Creates or opens an index for writing. Holds its write lock until closed.

    >>> with Indexer("my-index") as indexer:          # doctest: +SKIP
    ...     indexer.repair()
    ...     report = indexer.add(["~/news/"])
    """

    def __init__(
        self,
        index_dir: Path | str,
        *,
        model: str | None = None,
        encoder: Encoder | None = None,
        analysis: str = DEFAULT_ANALYSIS,
        workers: int | None = None,
        batch_size: int = EMBED_BATCH,
        take_over: bool = False,
        ray: str | None = None,
    ) -> None:
        """``workers``: extraction processes (default: one per core but one, at most 4; 0 = in-process).
        ``batch_size``: articles per encoder call and per commit. ``take_over``: an index of another
        format version is opened for ``rebuild`` (its store kept) instead of refused. ``ray``: the
        address of a Ray cluster ("auto": the one this machine is part of) that extracts and embeds,
        the index's model loaded by name on its nodes; reading, classifying and writing stay here."""
        self.workers = workers
        self.ray = ray
        self.batch_size = batch_size
        self._model = model
        # Loaded on first use when the index exists: removing articles or re-deriving indexes needs no model.
        self._encoder = encoder
        requested = encoder.name if encoder is not None else model
        self.writer: Writer = open_writer(
            index_dir, requested_model=requested, load_encoder=self._load_encoder, analysis=analysis, take_over=take_over
        )
        self._units = 0

    def _load_encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self._model)
        return self._encoder

    @property
    def info(self) -> IndexInfo:
        """What the index is: its location, model, dimension, embedded text and keyword analysis."""
        return self.writer.info

    @property
    def articles(self) -> int:
        """How many articles the index holds."""
        return self.writer.count()

    @property
    def problem(self) -> str | None:
        """What opening found wrong with the index (``repair`` fixes it), or None."""
        return self.writer.problem

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.writer.info.model)
        return self._encoder

    # -- context manager ---------------------------------------------------------------------

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.writer.close()

    # -- explicit repairs ----------------------------------------------------------------------

    def repair(self) -> bool:
        """Bring the index to a sound state: what a crash left uncommitted is committed, a lost or
        wrong manifest is written from the store, derived indexes that miss articles are rebuilt, and
        articles from before near-duplicate groups are grouped. True when that took a rebuild."""
        rebuilt = self.writer.repair()
        backfill_groups(self.writer)
        return rebuilt

    def rebuild(self, analysis: str | None = None) -> int:
        """Re-derive both indexes from the store (stored embeddings, no re-extraction), optionally
        re-analysed; returns how many articles they hold."""
        count = self.writer.rebuild(analysis)
        backfill_groups(self.writer)
        return count

    def sync(self, *, merge: bool = False) -> None:
        """Make everything written so far visible to readers (``merge``: compact the keyword index)."""
        self.writer.commit(merge=merge)

    # -- ingest ------------------------------------------------------------------------------

    def add(self, paths: Iterable[Path | str], *, progress: ProgressCallback | None = None) -> IngestReport:
        """Ingest files and folders (HTML, WARC, JSONL, text clippings)."""
        paths = list(paths)
        # Sizing the input walks it a second time (in a thread): only worth it for a progress display.
        return self._ingest(iter_sources(paths), progress, InputProgress(paths) if progress else None)

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
        with self.writer.batch():
            removed = [article_id for article_id in article_ids if self.writer.delete(article_id)]
        self.sync()
        return removed

    def _ingest(
        self, items: Iterable[Any], progress: ProgressCallback | None, where: InputProgress | None = None
    ) -> IngestReport:
        """Read -> extract (workers) -> classify -> embed (thread) -> commit, in source order.

        Each batch is committed in one transaction with the fingerprints of its pages, so after a
        crash the same command skips what was committed and redoes the rest in the same order.
        """
        report = IngestReport()
        started = time.perf_counter()
        last_progress = 0.0
        since_sync = 0
        unit = Unit(self._next_unit())
        classifier = Classifier(self.writer)
        sync_every = max(SYNC_EVERY, self.writer.count() // 10)
        extraction, embedder = self._stages(report)
        try:
            with extraction as pool:
                for extracted in pool.map(self._pages_to_extract(items, report, where, classifier)):
                    report.stages["extract"] += extracted.seconds
                    with timed(report, "classify"):
                        classifier.classify(extracted, unit, report)
                    # A full batch, or enough for one encoder sub-batch while the encoder has nothing
                    # to do: it starts on the first pages instead of waiting for a whole batch.
                    if unit.size >= self.batch_size or (embedder.idle and len(unit.writes) >= MIN_EMBED_BATCH):
                        self._submit(embedder, unit, report)
                        unit = Unit(self._next_unit())
                    for done, matrix in embedder.ready():
                        since_sync += self._commit(done, matrix, report, classifier)
                    if since_sync >= sync_every:
                        with timed(report, "sync"):
                            self.sync()
                        since_sync = 0
                        sync_every = max(SYNC_EVERY, self.writer.count() // 10)
                    now = time.perf_counter()
                    if progress and now - last_progress >= PROGRESS_EVERY:
                        last_progress = now
                        self._report_progress(report, started, where, progress)
                report.peak_worker_rss_mb = pool.peak_worker_rss_kb / 1024
            self._submit(embedder, unit, report)
            for done, matrix in embedder.finish():
                self._commit(done, matrix, report, classifier)
        finally:
            embedder.close()
            report.stages["embed"] = embedder.seconds
            report.embedded = embedder.texts
            classifier.clear()
        with timed(report, "sync"):
            # After a large ingest (a quarter of the archive or more), merge whoosh's segments into
            # one: queries whoosh answers itself (phrases, AND/NOT) then walk one posting list per
            # term instead of one per segment. Small ingests leave whoosh's own merge policy to it.
            written = report.added + report.updated
            self.sync(merge=written > 0 and written * MERGE_FRACTION >= self.writer.count())
        if where is not None:
            where.finish()
        if progress:
            self._report_progress(report, started, where, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _stages(self, report: IngestReport) -> tuple[AbstractContextManager[Extraction], Embedder]:
        """The parallel stages: worker processes and an encoder thread here, or a Ray cluster's."""
        if self.ray is None:
            return ExtractionPool(self.workers), EmbeddingStage(self._encode)
        from index.ingest.ray.stages import ray_stages

        return ray_stages(self.ray, self.writer.info.model, report)

    def _report_progress(
        self, report: IngestReport, started: float, where: InputProgress | None, progress: ProgressCallback
    ) -> None:
        report.seconds = time.perf_counter() - started
        if where is not None:
            report.input_bytes = where.total_bytes
            report.read_bytes = where.read_bytes
        progress(report)

    def _pages_to_extract(
        self, items: Iterable[Any], report: IngestReport, where: InputProgress | None, classifier: Classifier
    ) -> Iterator[tuple[Any, str | None]]:
        """Items still to extract: pages whose bytes and outcome are already on record are counted here."""
        iterator = iter(items)
        while True:
            read_started = time.perf_counter()
            item = next(iterator, None)
            report.stages["read"] += time.perf_counter() - read_started
            if item is None:
                return
            report.pages += 1
            if where is not None:
                where.advance(getattr(item, "source", None))
            fingerprint = None
            if isinstance(item, Page):
                fingerprint = page_fingerprint(item)
                if classifier.unchanged_page(item.source, fingerprint, report):
                    continue
            yield item, fingerprint

    def _next_unit(self) -> int:
        self._units += 1
        return self._units

    def _encode(self, texts: list[str]) -> Any:
        return self.encoder.encode_documents(texts)

    def _submit(self, embedder: Embedder, unit: Unit, report: IngestReport) -> None:
        if not unit.size:
            return
        waited = time.perf_counter()
        embedder.submit(unit, [embedding_input(w.article, self.writer.info.embedded_text) for w in unit.writes])
        report.stages["wait_for_embedder"] += time.perf_counter() - waited

    def _commit(self, unit: Unit, matrix: Any, report: IngestReport, classifier: Classifier) -> int:
        """Write one embedded unit, its skips and its page fingerprints as one durable batch."""
        started = time.perf_counter()
        writer = self.writer
        with writer.batch():
            for row, write in enumerate(unit.writes):
                article = write.article
                existing = writer.document_number(article.id)
                group = near_duplicate_group(writer, existing, article.id, write.signature)
                writer.upsert(article, matrix[row], write.signature, group)
                report.near_duplicates += group != article.id
                if write.fingerprint and article.source:
                    writer.mark_seen(article.source, write.fingerprint, article.id)
                if article.source:
                    writer.record_notes(article.source, article.notes)
                if existing is not None:
                    report.updated += 1
                else:
                    report.added += 1
            for skip in unit.skips:
                writer.record_skip(skip)
            for source, notes in unit.notes:
                writer.record_notes(source, notes)
            for source, fingerprint, outcome in unit.seen:
                writer.mark_seen(source, fingerprint, outcome)
        classifier.committed(unit)
        report.stages["commit"] += time.perf_counter() - started
        return len(unit.writes)
