"""The write path: sources -> extraction -> store -> keyword and vector indexes.

The store commit is the point of no return for a batch; both derived indexes are then brought up
to date from the store's journal (see ``store.py``), and the manifest is rewritten last. Running
the same ingest again after a crash replays whatever the journal still holds, so the two indexes
always end up describing the same articles as the store.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from index.article import Article, Note
from index.backends.local import vectors
from index.backends.local.keyword import columns as keyword_columns
from index.backends.local.keyword import schema as keyword
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import Manifest, identify_model, read_manifest_if_usable, unknown_model_advice, write_manifest
from index.backends.local.store import ArticleStore, Skip, StoreRecipe, missing_store_message
from index.embed.base import EMBEDDED_TEXT, LEAD_CHARS, Encoder, embedding_input
from index.embed.loading import load_encoder
from index.errors import IndexFormatError, IndexLockedError, ModelMismatchError
from index.extract.neardup import Signature, is_near_duplicate, signature
from index.extract.pages import page_fingerprint
from index.extract.sources import Page, Record, iter_sources
from index.ingest.embedding import EmbeddingStage
from index.ingest.progress import InputProgress
from index.ingest.workers import Extracted, ExtractionPool

# Texts per call to the encoder: large enough for length-sorted sub-batches of similar lengths,
# small enough that a crash loses little and memory stays flat. Also the commit batch.
EMBED_BATCH = 256
MIN_EMBED_BATCH = 32
PROGRESS_EVERY = 0.2  # seconds between progress callbacks
_STAGES = ("read", "extract", "classify", "wait_for_embedder", "embed", "commit", "sync")
# Skip reasons that depend only on the page's own bytes, so the same bytes give the same reason.
_LASTING_SKIPS = frozenset({"not_html", "not_text", "too_short", "not_article", "missing_field"})
# Derived indexes are synced after this many changed articles, or a tenth of the archive if more
# (and at the end): often enough that a crash leaves little to replay and readers see progress,
# rarely enough that a sync, which rewrites the vector file, costs O(n log n) over a whole ingest.
SYNC_EVERY = 2048
# An ingest that writes at least 1/MERGE_FRACTION of the archive merges the keyword segments.
MERGE_FRACTION = 4


@dataclass
class IngestReport:
    """What one ingest did. ``skipped`` counts pages not indexed, by reason."""

    pages: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # Pages kept with a note, by kind ("bad_date": a date field that is no date), as extracted this run.
    notes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    embedded: int = 0
    near_duplicates: int = 0  # articles stored and grouped with an earlier, near-identical one
    # Seconds per stage. "extract" sums the workers' time (they run side by side, so it can exceed
    # the wall time); "embed" is the encoder's own time; "wait_for_embedder" is the reader held back.
    stages: dict[str, float] = field(default_factory=lambda: dict.fromkeys(_STAGES, 0.0))
    peak_worker_rss_mb: float = 0.0  # largest extraction worker
    input_bytes: int | None = None  # total size of the input files, once counted
    read_bytes: int = 0

    @property
    def duplicates(self) -> int:
        return self.skipped.get("duplicate", 0)

    @property
    def eta_seconds(self) -> float | None:
        if not self.input_bytes or not self.read_bytes or not self.seconds:
            return None
        return max(0.0, self.seconds * (self.input_bytes - self.read_bytes) / self.read_bytes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "skipped": dict(self.skipped),
            "notes": dict(self.notes),
            "seconds": round(self.seconds, 3),
            "stages": {stage: round(seconds, 3) for stage, seconds in self.stages.items()},
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
        workers: int | None = None,
        batch_size: int = EMBED_BATCH,
    ) -> None:
        """``workers``: extraction processes (default: one per core but one, at most 4; 0 = in-process).
        ``batch_size``: articles per encoder call and per commit."""
        self.workers = workers
        self.batch_size = batch_size
        self.layout = IndexLayout(Path(index_dir).expanduser())
        self.layout.root.mkdir(parents=True, exist_ok=True)
        self._lock_handle: int | None = _acquire_lock(self.layout.write_lock)
        try:
            self._open(model, encoder, analysis)
        except BaseException:
            self._release()
            raise

    def _open(self, model: str | None, encoder: Encoder | None, analysis: str) -> None:
        # A missing or damaged manifest is written again from the store, the source of truth, never
        # made up from the defaults: that is how a lost hashing-256 manifest came back claiming e5's 384.
        manifest = read_manifest_if_usable(self.layout)
        if not self.layout.store.exists() and (
            manifest.articles > 0 if manifest is not None else self.layout.keyword_dir.exists() or self.layout.vector_dir.exists()
        ):
            # A new empty store would make the next sync wipe the derived indexes, the last trace of the articles.
            raise IndexFormatError(missing_store_message(self.layout.store))
        # Loaded on first use when the index exists: removing articles or re-deriving indexes needs no model.
        self._encoder = encoder
        if manifest is None and not self.layout.store.exists():
            manifest = self._new_manifest(model, analysis)
            self.store = ArticleStore(self.layout.store)
        else:
            self.store = ArticleStore(self.layout.store)
            try:
                manifest = self._manifest_agreeing_with_store(manifest, model, analysis)
            except BaseException:
                self.store.close()
                raise
        self.manifest = manifest
        # Articles classified but not yet committed (id -> content hash, text hash -> id), with the
        # number of the batch that carries them: the store cannot answer for them yet.
        self._inflight_ids: dict[str, tuple[str, int]] = {}
        self._inflight_text: dict[str, tuple[str, int]] = {}
        self._units = 0
        self._backfill_near_dups()
        stale_analysis = self.manifest.analysis not in keyword.ANALYSES
        if stale_analysis:  # written by an older release: the keyword index is re-derived below
            self.manifest.analysis = analysis
            shutil.rmtree(self.layout.keyword_dir, ignore_errors=True)
        self._record_recipe()
        self._keyword = keyword.open_or_create(self.layout.keyword_dir, self.manifest.analysis)
        try:
            self._vectors = vectors.load(
                self.layout.committed_vectors(self.manifest.vector_file), self.manifest.dim, writable=True
            )
        except (RuntimeError, ValueError):  # damaged file: re-derived from the store below
            self._vectors = vectors.new_index(self.manifest.dim)
        # An empty index that opens cleanly exists from the first moment, so a crash during the
        # first build leaves something that opens and that the next run completes.
        self.sync()
        if stale_analysis or not self._derived_indexes_match_store():
            self.rebuild()

    def _new_manifest(self, model: str | None, analysis: str) -> Manifest:
        self._encoder = self._encoder or load_encoder(model)
        return Manifest(model=self._encoder.name, dim=self._encoder.dim, embedded_text=EMBEDDED_TEXT, analysis=analysis)

    def _manifest_agreeing_with_store(self, manifest: Manifest | None, model: str | None, analysis: str) -> Manifest:
        """The manifest to commit for an existing store: the one on disk when it agrees with what the
        store holds, else one written from the store (its recorded recipe, or for an older store the
        dimension of its embeddings and a model they prove or the one asked for)."""
        root = self.layout.root
        requested = self._encoder.name if self._encoder is not None else model
        if manifest is not None and manifest.embedded_text not in LEAD_CHARS:
            raise IndexFormatError(
                f"index at {root} embeds {manifest.embedded_text!r}, which this release does not know: "
                "index your pages into a new folder"
            )
        recipe = self.store.recipe()
        stored_dim = self.store.embedding_dim()
        if recipe is not None:
            if manifest is None:
                manifest = Manifest(recipe.model, recipe.dim, recipe.embedded_text, recipe.analysis)
            elif (manifest.model, manifest.dim, manifest.embedded_text) != (recipe.model, recipe.dim, recipe.embedded_text):
                # Edited, or written by a release that guessed: the store says how its articles were
                # embedded. The vector file the manifest names then fails to load and is re-derived.
                manifest.model, manifest.dim, manifest.embedded_text = recipe.model, recipe.dim, recipe.embedded_text
        elif stored_dim is None:
            if manifest is None:  # nothing stored yet: a first build that never finished
                manifest = self._new_manifest(model, analysis)
        elif manifest is None or manifest.dim != stored_dim:
            manifest = self._manifest_for_older_store(manifest, stored_dim, model, analysis)
        if requested is not None and requested != manifest.model:
            raise ModelMismatchError(
                f"index at {root} was built with model {manifest.model!r}, not {requested!r}: "
                "leave out --model, or build a new index in another folder"
            )
        return manifest

    def _manifest_for_older_store(self, manifest: Manifest | None, stored_dim: int, model: str | None, analysis: str) -> Manifest:
        """A store from before recipes were recorded, whose manifest is lost or claims another dimension."""
        proven = identify_model(self.store)
        if self._encoder is not None or model is not None:
            encoder = self._encoder = self._encoder or load_encoder(model)
            if encoder.dim != stored_dim:
                raise ModelMismatchError(
                    f"the index at {self.layout.root} holds {stored_dim}-dimensional embeddings, and model {encoder.name!r} "
                    f"makes {encoder.dim}: run `{self.layout.rebuild_command(model='NAME')}` with the model it was built with"
                )
            name = encoder.name
            if proven is not None and proven[0] == name:
                embedded_text = proven[1]
            else:
                embedded_text = manifest.embedded_text if manifest is not None else EMBEDDED_TEXT
        elif proven is not None:
            name, embedded_text = proven
        else:
            what = (
                "has lost its manifest.json"
                if manifest is None
                else f"has a manifest.json that says {manifest.dim}-dimensional {manifest.model!r} embeddings, "
                "which its store does not hold"
            )
            raise IndexFormatError(f"the index at {self.layout.root} {what}; {unknown_model_advice(self.layout, stored_dim)}")
        return Manifest(name, stored_dim, embedded_text, manifest.analysis if manifest is not None else analysis)

    def _record_recipe(self) -> None:
        """Keep the store's copy of the recipe equal to the manifest's, so a lost manifest can be
        written again (the manifest is the commit point: where they differ after a crash, it wins)."""
        m = self.manifest
        self.store.set_recipe(StoreRecipe(m.model, m.dim, m.embedded_text, m.analysis))

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
        for old in self.layout.vector_dir.glob("*.faiss"):
            old.unlink()
        self.manifest.analysis = analysis or self.manifest.analysis
        self._record_recipe()
        self._keyword = keyword.open_or_create(self.layout.keyword_dir, self.manifest.analysis)
        self._vectors = vectors.new_index(self.manifest.dim)
        self.store.begin()
        self.store.journal_all()
        self.store.commit()
        self.sync()

    def sync(self, *, merge: bool = False) -> None:
        """Apply the store's journal to both derived indexes, then name the new state in the manifest.

        Each sync writes a new whoosh generation and a new vector file beside those the manifest
        names. The manifest is replaced atomically; only then are the old files removed and the
        journal cleared. Readers open exactly what the manifest names, so they see the state before
        or after a sync, never a mix, and a crash anywhere leaves the journal to replay.
        """
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
            self._vectors = vectors.apply_changes(self._vectors, ids, matrix, deletes)
        if merge and keyword.segment_count(self._keyword) > 1:
            generation = keyword.merge_segments(self._keyword)
        # Column copies of the new segments' postings, for fast scoring (index/keyword_columns.py);
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

    def _derived_indexes_match_store(self) -> bool:
        """After a sync both indexes hold exactly the stored articles; a deleted or damaged one does not."""
        stored = self.store.count()
        return bool(self._keyword.doc_count() == stored and self._vectors.ntotal == stored)

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
        unit = _Unit(self._next_unit())
        embedder: EmbeddingStage[_Unit] = EmbeddingStage(self._encode)
        try:
            with ExtractionPool(self.workers) as pool:
                for extracted in pool.map(self._pages_to_extract(items, report, where)):
                    report.stages["extract"] += extracted.seconds
                    with _timed(report, "classify"):
                        self._classify(extracted, unit, report)
                    # A full batch, or enough for one encoder sub-batch while the encoder has nothing
                    # to do: it starts on the first pages instead of waiting for a whole batch.
                    if unit.size >= self.batch_size or (embedder.idle and len(unit.writes) >= MIN_EMBED_BATCH):
                        self._submit(embedder, unit, report)
                        unit = _Unit(self._next_unit())
                    for done, matrix in embedder.ready():
                        since_sync += self._commit(done, matrix, report)
                    if since_sync >= max(SYNC_EVERY, self.manifest.articles // 10):
                        with _timed(report, "sync"):
                            self.sync()
                        since_sync = 0
                    now = time.perf_counter()
                    if progress and now - last_progress >= PROGRESS_EVERY:
                        last_progress = now
                        self._report_progress(report, started, where, progress)
                report.peak_worker_rss_mb = pool.peak_worker_rss_kb / 1024
            self._submit(embedder, unit, report)
            for done, matrix in embedder.finish():
                self._commit(done, matrix, report)
        finally:
            embedder.close()
            report.stages["embed"] = embedder.seconds
            report.embedded = embedder.texts
            self._inflight_ids.clear()
            self._inflight_text.clear()
        with _timed(report, "sync"):
            # After a large ingest (a quarter of the archive or more), merge whoosh's segments into
            # one: queries whoosh answers itself (phrases, AND/NOT) then walk one posting list per
            # term instead of one per segment. Small ingests leave whoosh's own merge policy to it.
            written = report.added + report.updated
            self.sync(merge=written > 0 and written * MERGE_FRACTION >= self.store.count())
        if where is not None:
            where.finish()
        if progress:
            self._report_progress(report, started, where, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _report_progress(
        self, report: IngestReport, started: float, where: InputProgress | None, progress: ProgressCallback
    ) -> None:
        report.seconds = time.perf_counter() - started
        if where is not None:
            report.input_bytes = where.total_bytes
            report.read_bytes = where.read_bytes
        progress(report)

    def _pages_to_extract(
        self, items: Iterable[Any], report: IngestReport, where: InputProgress | None
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
                if self._count_if_unchanged(item.source, fingerprint, report):
                    continue
            yield item, fingerprint

    def _next_unit(self) -> int:
        self._units += 1
        return self._units

    def _encode(self, texts: list[str]) -> Any:
        return self.encoder.encode_documents(texts)

    def _submit(self, embedder: EmbeddingStage[_Unit], unit: _Unit, report: IngestReport) -> None:
        if not unit.size:
            return
        waited = time.perf_counter()
        embedder.submit(unit, [embedding_input(w.article, self.manifest.embedded_text) for w in unit.writes])
        report.stages["wait_for_embedder"] += time.perf_counter() - waited

    def _classify(self, extracted: Extracted, unit: _Unit, report: IngestReport) -> None:
        """Decide what a page becomes before anything is embedded: a write, an unchanged page, or a skip."""
        result = extracted.result
        source, fingerprint = extracted.source, extracted.fingerprint
        if isinstance(result, Skip):
            report.skipped[result.reason] += 1
            unit.skips.append(result)
            if fingerprint and result.reason in _LASTING_SKIPS:
                unit.seen.append((result.source, fingerprint, f"skip:{result.reason}"))
            return
        article = result
        inflight = self._inflight_ids.get(article.id)
        known = inflight[0] if inflight else (self.store.lookup_hashes(article.id) or (0, None))[1]
        if known == article.content_hash:
            report.unchanged += 1
            if fingerprint and source:
                unit.seen.append((source, fingerprint, article.id))
            report.notes.update(note.kind for note in article.notes)
            # What is stored stays, but its notes may have changed (or predate this release).
            if source and (article.notes or self.store.has_notes(source)):
                unit.notes.append((source, article.notes))
            return
        same = self._inflight_text.get(article.text_hash)
        same_text = same[0] if same else self.store.find_by_text_hash(article.text_hash)
        if same_text is not None and same_text != article.id:
            # Not remembered by fingerprint: whether a page is a duplicate depends on the other pages.
            report.skipped["duplicate"] += 1
            unit.skips.append(Skip(source or article.id, "duplicate", f"same text as article {same_text}"))
            return
        unit.writes.append(_Write(article, extracted.signature, fingerprint))
        report.notes.update(note.kind for note in article.notes)
        self._inflight_ids[article.id] = (article.content_hash, unit.number)
        self._inflight_text[article.text_hash] = (article.id, unit.number)

    def _commit(self, unit: _Unit, matrix: Any, report: IngestReport) -> int:
        """Write one embedded batch, its skips and its page fingerprints in one transaction."""
        started = time.perf_counter()
        self.store.begin()
        try:
            for row, write in enumerate(unit.writes):
                article = write.article
                existed = self.store.rowid_for(article.id) is not None
                rowid = self.store.upsert(article, matrix[row])
                group = self._near_dup_group(rowid, article.id, write.signature)
                self.store.set_near_dup(rowid, write.signature, group)
                report.near_duplicates += group != article.id
                if write.fingerprint and article.source:
                    self.store.mark_seen(article.source, write.fingerprint, article.id)
                if article.source:
                    self.store.replace_notes(article.source, article.notes)
                if existed:
                    report.updated += 1
                else:
                    report.added += 1
            for skip in unit.skips:
                self.store.record_skip(skip)
            for source, notes in unit.notes:
                self.store.replace_notes(source, notes)
            for source, fingerprint, outcome in unit.seen:
                self.store.mark_seen(source, fingerprint, outcome)
            self.store.commit()
        except BaseException:
            self.store.rollback()
            raise
        for write in unit.writes:  # committed: the store answers for them from now on
            if self._inflight_ids.get(write.article.id, (None, 0))[1] == unit.number:
                del self._inflight_ids[write.article.id]
            if self._inflight_text.get(write.article.text_hash, (None, 0))[1] == unit.number:
                del self._inflight_text[write.article.text_hash]
        report.stages["commit"] += time.perf_counter() - started
        return len(unit.writes)

    def _near_dup_group(self, rowid: int, article_id: str, signature: Signature | None) -> str:
        """The group of the most similar earlier article that is a near-duplicate, else a new group."""
        if signature is None:
            return article_id
        best: tuple[float, str] | None = None
        for other_rowid, _other_id, other, group in self.store.near_dup_candidates(signature.band_keys()):
            if other_rowid == rowid:
                continue
            similar, jaccard = is_near_duplicate(signature, other)
            if similar and (best is None or jaccard > best[0]):
                best = (jaccard, group)
        return best[1] if best else article_id

    def _backfill_near_dups(self) -> None:
        """Stores written before near-duplicate groups existed get signatures and groups once."""
        rowids = self.store.rowids_without_signature()
        for start in range(0, len(rowids), 1000):
            self.store.begin()
            try:
                for rowid, article in self.store.iter_articles(rowids[start : start + 1000]):
                    sig = signature(article.text)
                    self.store.set_near_dup(rowid, sig, self._near_dup_group(rowid, article.id, sig))
                self.store.commit()
            except BaseException:
                self.store.rollback()
                raise

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


@dataclass
class _Write:
    article: Article
    signature: Signature | None
    fingerprint: str | None


@dataclass
class _Unit:
    """Consecutive pages committed together: articles to write (in source order), skips, fingerprints."""

    number: int
    writes: list[_Write] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, list[Note]]] = field(default_factory=list)  # (source, notes now) of unchanged articles

    @property
    def size(self) -> int:
        return len(self.writes) + len(self.skips) + len(self.seen) + len(self.notes)


@contextmanager
def _timed(report: IngestReport, stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        report.stages[stage] += time.perf_counter() - started


def _release_memory() -> None:
    """Give back what a sync used. whoosh's writers and readers hold large buffers in reference
    cycles, and glibc keeps freed arenas: without this, a 100k-page ingest grew by ~23 KB per
    article (2.1 GB at 91k); with it, memory stays flat from one sync to the next."""
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


def _acquire_lock(path: Path) -> int:
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise IndexLockedError(f"another process is writing to the index at {path.parent}; wait for it to finish") from None
    return handle
