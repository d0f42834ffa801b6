"""The writer of an index on a cluster (``Writer`` of ``index.backends.base``), through the bulk API.

Layout on the cluster, for an index named NAME: the alias NAME points at the articles index
NAME-<n> (a rebuild writes NAME-<n+1> and moves the alias in one step), and NAME-meta holds page
fingerprints, skip reasons, notes, the document counter and the write lock (``lock.py``). Each
article is one document, its id the article id (so a re-run overwrites, never duplicates), with
``doc`` its document number from the counter.

Batches are collected in memory and sent as one bulk request when the ``batch`` block ends (an
error inside the block drops them whole); ``commit`` writes the commit record (the generation) and
refreshes both indexes, which is what makes writes visible, since both have ``refresh_interval:
-1``. A writer killed mid-ingest leaves written but unrefreshed documents behind: the next writer
refreshes on opening and, when that showed anything new, commits it under a generation of its own
(the local backend's journal replay, so that readers' caches keyed by the generation turn over);
the same command then skips every page whose fingerprint was written and redoes the rest by
article id, giving the same documents. What else opening finds wrong is ``problem``
(``health.py``): writes are refused until ``repair`` or ``rebuild``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from index.analysis import ANALYSES
from index.article import Article, Note, Skip
from index.backends.base import IndexInfo
from index.backends.opensearch import centering, health, mapping
from index.backends.opensearch.admin import force_merge
from index.backends.opensearch.client import connect, get_source, unavailable
from index.backends.opensearch.compile import IS_ARTICLE
from index.backends.opensearch.layout import companion_key as _key
from index.backends.opensearch.layout import ensure_meta_index, layout_from_environment
from index.backends.opensearch.layout import now as _now
from index.backends.opensearch.location import OpenSearchLocation
from index.backends.opensearch.lock import ClusterLock
from index.backends.opensearch.lookups import Lookups, Overlays
from index.backends.opensearch.pending import Written
from index.backends.opensearch.reader import info_of, meta_name, read_meta
from index.backends.opensearch.rebuild import copy_articles, drop_leftovers, move_alias
from index.backends.opensearch.transport import request, send
from index.embed.base import EMBEDDED_TEXT, Encoder
from index.errors import IndexFormatError, IndexNotFoundError, ModelMismatchError
from index.extract.neardup import Signature

COUNTER_ID = "counter"
MERGE_WAIT_S = 60.0  # how long a commit waits for the forcemerge it asked for (``admin.force_merge``)


class OpenSearchWriter:
    """Opens (or creates) the index at ``location`` for writing; see the module docstring.

    ``take_over``: an index of another format version is opened for a rebuild (``news-search index
    --rebuild``) instead of refused; its stored documents are kept, and ``problem`` says a rebuild
    is needed."""

    def __init__(
        self,
        location: OpenSearchLocation,
        *,
        requested_model: str | None,
        load_encoder: Callable[[], Encoder],
        analysis: str,
        shards: int | None = None,
        replicas: int | None = None,
        take_over: bool = False,
    ) -> None:
        self.location = location
        self.client = connect(location)
        self._meta_index = meta_name(location.name)
        self._shards, self._replicas = layout_from_environment(shards, replicas)
        # The task id of the last forcemerge a ``commit(merge=True)`` started (it runs on the cluster).
        self.merge_task: str | None = None
        try:
            ensure_meta_index(self.client, self._meta_index, self._replicas)
            self._lock = ClusterLock(self.client, self._meta_index, str(location))
        except Exception as error:
            self.client.close()
            if isinstance(error, OSError) or type(error).__module__.startswith("opensearchpy"):
                raise unavailable(location, error) from error
            raise
        try:
            self._open(requested_model, load_encoder, analysis, take_over)
        except BaseException:
            self._lock.release()
            self.client.close()
            raise

    # -- opening -------------------------------------------------------------------------------

    def _open(self, requested: str | None, load_encoder: Callable[[], Encoder], analysis: str, take_over: bool) -> None:
        problems: list[str] = []
        try:
            self._meta = read_meta(self.client, self.location, any_version=take_over)
        except IndexNotFoundError:
            encoder = load_encoder()
            self._meta = mapping.new_meta(encoder.name, encoder.dim, EMBEDDED_TEXT, analysis, _now())
            self._create(self._physical(1), self._meta)
            self.client.indices.put_alias(index=self._physical(1), name=self.location.name)
        if requested is not None and requested != self._meta["model"]:
            raise ModelMismatchError(
                f"index at {self.location} was built with model {self._meta['model']!r}, not {requested!r}: "
                "leave out --model, or build a new index under another name"
            )
        if self._meta.get("format_version") != mapping.FORMAT_VERSION:  # taken over: a rebuild writes this version
            problems.append(
                f"its format version {self._meta.get('format_version')} is not this release's {mapping.FORMAT_VERSION}"
            )
        self._stale = bool(problems)
        self._analysis = str(self._meta["analysis"])
        # What a killed writer wrote but never committed: visible now, and committed below.
        indexes = (self.location.name, self._meta_index)
        before = health.visible_marks(self.client, indexes)
        self._refresh()
        replayed = health.visible_marks(self.client, indexes) != before
        state = self._state()
        self._generation = int(state.get("generation", 0))
        self._sums = centering.open_sums(self.client, self.location.name, state, recount=replayed)
        found = health.problems(self.client, self.location.name, self._meta, state)
        self._stale = self._stale or any("analysis" in p for p in found)
        if self._stale:
            self._analysis = analysis if self._analysis not in ANALYSES else self._analysis
        self.problem: str | None = "; ".join(problems + found) or None
        self._next = max(self._counter(), self._max_doc() + 1)
        self._batch: list[dict[str, Any]] | None = None
        self._overlays = Overlays()
        self._count = self._committed_count()
        self._lookups = Lookups(self.client, self.location.name, self._meta_index, self._overlays, lambda: self._count)
        if replayed and self.problem is None:
            self.commit()

    def _physical(self, number: int) -> str:
        return f"{self.location.name}-{number}"

    def _current_physical(self) -> str:
        current, _ = health.physical_indexes(self.client, self.location.name)
        if current is None:
            raise IndexNotFoundError(f"no index at {self.location}")
        return current

    def _create(self, name: str, meta: dict[str, Any]) -> None:
        self.client.indices.create(index=name, body=mapping.index_body(meta, shards=self._shards, replicas=self._replicas))
        self.client.index(
            index=name, id=mapping.STATE_ID, body={"generation": 0, "updated": meta.get("created", "")}, refresh="true"
        )

    def _state_record(self) -> dict[str, Any]:
        """The commit record: the generation, and the language sums of what it commits."""
        return {"generation": self._generation, "updated": _now(), mapping.CENTERING: self._sums.record()}

    def _state(self) -> dict[str, Any]:
        return request(get_source, client=self.client, index=self.location.name, doc_id=mapping.STATE_ID) or {}

    def _counter(self) -> int:
        return int((request(get_source, client=self.client, index=self._meta_index, doc_id=COUNTER_ID) or {}).get("next", 1))

    def _max_doc(self) -> int:
        body = {"query": IS_ARTICLE, "size": 0, "aggs": {"top": {"max": {"field": "doc"}}}}
        value = request(self.client.search, index=self.location.name, body=body)["aggregations"]["top"]["value"]
        return int(value) if value is not None else 0

    def _committed_count(self) -> int:
        return int(request(self.client.count, index=self.location.name, body={"query": IS_ARTICLE})["count"])

    def _refresh(self) -> None:
        self.client.indices.refresh(index=f"{self.location.name},{self._meta_index}")

    # -- what ingest asks before writing -------------------------------------------------------

    @property
    def info(self) -> IndexInfo:
        return info_of(self.location, {**self._meta, "analysis": self._analysis}, str(self._state().get("updated", "")))

    def count(self) -> int:
        return self._count

    @property
    def answers_from_memory(self) -> bool:
        """Whether ingest's questions are answered from the committed state read in bulk (``known.py``)."""
        return self._lookups.committed.loaded

    def seen(self, source: str, fingerprint: str) -> str | None:
        found = self._lookups.meta_doc(_key("seen", source))
        if found is None or found.get("fingerprint") != fingerprint:
            return None
        return str(found.get("outcome"))

    def document_number(self, article_id: str) -> int | None:
        return self._lookups.document_number(article_id)

    def content_hash(self, article_id: str) -> str | None:
        return self._lookups.content_hash(article_id)

    def article_with_text(self, text_hash: str) -> str | None:
        return self._lookups.article_with_text(text_hash)

    def has_notes(self, source: str) -> bool:
        found = self._lookups.meta_doc(_key("note", source))
        return bool(found and found.get("notes"))

    def near_duplicate_candidates(self, band_keys: Sequence[int]) -> list[tuple[int, str, Signature, str]]:
        return self._lookups.near_duplicate_candidates(band_keys)

    def ungrouped(self, after: int, limit: int) -> list[tuple[int, Article]]:
        return self._lookups.ungrouped(after, limit)

    # -- changes -------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Changes collected in memory and sent in one bulk request at the end (none on an error)."""
        if self.problem is not None:
            raise IndexFormatError(
                f"the index at {self.location} needs a repair before it takes changes ({self.problem}): "
                f"run `{self.location.rebuild_command()}`"
            )
        self._batch = []
        self._overlays.begin()
        self._sums.begin()
        next_before, count_before = self._next, self._count
        try:
            yield
            # Before the versions it replaces are overwritten: their vectors leave the sums.
            self._sums.settle(lambda ids: centering.stored_versions(self.client, self.location.name, ids))
            send(self.client, self.location, self._batch)
        except BaseException:
            self._next, self._count = next_before, count_before
            self._overlays.begin()
            self._sums.rollback()
            raise
        else:
            self._overlays.keep()
            self._sums.keep()
        finally:
            self._batch = None

    def _stage(self, action: dict[str, Any], body: dict[str, Any] | None = None) -> None:
        if self._batch is None:
            raise RuntimeError("writes to an OpenSearch index happen inside writer.batch()")
        self._batch.append(action)
        if body is not None:
            self._batch.append(body)

    def _stage_meta(self, key: str, body: dict[str, Any] | None) -> None:
        if body is None:
            self._stage({"delete": {"_index": self._meta_index, "_id": key}})
        else:
            self._stage({"index": {"_index": self._meta_index, "_id": key}}, body)
        self._overlays.staged_meta[key] = body

    def upsert(self, article: Article, vector: Any, signature: Signature | None, group: str) -> int:
        existing = self.document_number(article.id)
        if existing is None:
            doc, self._next = self._next, self._next + 1
            self._count += 1
        else:
            doc = existing
        self._sums.stage(article.id, article.lang, vector, existed=existing is not None)
        packed = (signature.to_bytes(), signature.shingles, signature.band_keys()) if signature is not None else None
        vector_values = [float(x) for x in vector] if vector is not None else None
        body = mapping.document(doc, article, vector_values, packed, group, self._analysis, _now())
        self._stage({"index": {"_index": self.location.name, "_id": article.id}}, body)
        self._overlays.staged.articles[article.id] = Written(
            doc, article.content_hash, article.text_hash, group, article.source,
            (packed[0], packed[1]) if packed else None, tuple(packed[2]) if packed else (),
        )  # fmt: skip
        if article.source:
            self._stage({"delete": {"_index": self._meta_index, "_id": _key("skip", article.source)}})
        return doc

    def set_group(self, doc: int, signature: Signature | None, group: str) -> None:
        article_id = self._overlays.staged.by_doc(doc) or self._overlays.pending.by_doc(doc)
        if article_id is None:
            body = {"query": {"term": {"doc": doc}}, "size": 1, "_source": False}
            hits = request(self.client.search, index=self.location.name, body=body)["hits"]["hits"]
            if not hits:
                return
            article_id = str(hits[0]["_id"])
        update: dict[str, Any] = {"group": group, "copy": group != article_id}
        if signature is not None:
            update.update(mapping.signature_fields(signature.to_bytes(), signature.shingles, signature.band_keys()))
        self._stage({"update": {"_index": self.location.name, "_id": article_id}}, {"doc": update})
        written = self._overlays.written(article_id)
        if written is not None:
            written.group = group
            if signature is not None:
                written.signature, written.bands = (signature.to_bytes(), signature.shingles), tuple(signature.band_keys())
        else:
            self._overlays.staged_regrouped[article_id] = {"group": group, **({"bands": update["bands"]} if signature else {})}

    def delete(self, article_id: str) -> bool:
        written = self._overlays.written(article_id)
        if written is not None and written.deleted:
            return False
        stored = None if written is not None else self._lookups.stored(article_id)
        if written is None and stored is None:
            return False
        doc = written.doc if written is not None else stored.doc  # type: ignore[union-attr]
        source = written.source if written is not None else stored.source  # type: ignore[union-attr]
        self._stage({"delete": {"_index": self.location.name, "_id": article_id}})
        self._sums.stage_delete(article_id)
        if source:
            self._stage_meta(_key("note", str(source)), None)
        self._overlays.staged.articles[article_id] = Written(doc, "", "", "", source, deleted=True)
        self._count -= 1
        return True

    def record_skip(self, skip: Skip) -> None:
        body = {"kind": "skip", "source": skip.source, "reason": skip.reason, "detail": skip.detail[:500], "at": _now()}
        self._stage({"index": {"_index": self._meta_index, "_id": _key("skip", skip.source)}}, body)

    def record_notes(self, source: str, notes: Sequence[Note]) -> None:
        body = {
            "kind": "note",
            "source": source,
            "notes": [{"kind": n.kind, "detail": n.detail[:500]} for n in notes],
            "at": _now(),
        }
        self._stage_meta(_key("note", source), body if notes else None)

    def mark_seen(self, source: str, fingerprint: str, outcome: str) -> None:
        self._stage_meta(_key("seen", source), {"kind": "seen", "source": source, "fingerprint": fingerprint, "outcome": outcome})

    # -- visibility and repair -----------------------------------------------------------------

    def commit(self, *, merge: bool = False) -> None:
        """The commit record and the counter, then one refresh of both indexes: every write visible at
        once. ``merge``: then a forcemerge of the articles index to one segment (``admin.force_merge``)."""
        self._generation += 1
        send(
            self.client,
            self.location,
            [
                {"index": {"_index": self.location.name, "_id": mapping.STATE_ID}},
                self._state_record(),
                {"index": {"_index": self._meta_index, "_id": COUNTER_ID}},
                {"kind": "counter", "next": self._next},
            ],
        )
        self._refresh()
        self._lookups.after_commit()
        self._overlays.committed()
        self._count = self._committed_count()
        self._lock.renew()
        if merge:
            # The merged segment is searchable after a refresh: made here when the merge finished in
            # time (nothing was written since the commit's own), else by the next commit.
            self.merge_task, finished = force_merge(self.client, self.location.name, MERGE_WAIT_S)
            if finished:
                self._refresh()

    def rebuild(self, analysis: str | None = None) -> int:
        """A new articles index from the stored documents (their text, vectors and groups: nothing is
        extracted or embedded again), analysed with ``analysis`` and mapped as this release maps; the
        alias then moves to it in one step. Fixes every ``problem``."""
        self.commit()
        old = self._current_physical()
        number = int(old.rsplit("-", 1)[1]) + 1 if old.rsplit("-", 1)[-1].isdigit() else 1
        drop_leftovers(self.client, self.location.name)
        target = self._physical(number)
        self._analysis = analysis or self._analysis
        meta = {**self._meta, "analysis": self._analysis, "format_version": mapping.FORMAT_VERSION}
        self._create(target, meta)
        copied = copy_articles(
            lambda index, body: request(self.client.search, index=index, body=body),
            lambda lines: send(self.client, self.location, lines),
            old, target, self._analysis,
        )  # fmt: skip
        self._generation += 1
        send(
            self.client,
            self.location,
            [{"index": {"_index": target, "_id": mapping.STATE_ID}}, self._state_record()],
        )
        self.client.indices.refresh(index=target)
        move_alias(self.client, self.location.name, old, target)
        self._meta = meta
        self._stale = False
        self.problem = None
        return copied

    def repair(self) -> bool:
        """Fix ``problem`` and commit what a killed writer left written; True when that took a rebuild
        (another format version or analysis)."""
        if self._stale:
            self.rebuild()
            return True
        drop_leftovers(self.client, self.location.name)
        self.commit()  # also writes a missing commit record
        self.problem = None
        return False

    def close(self) -> None:
        if not self._lock.held:
            return
        try:
            self._lock.release()
        finally:
            self.client.close()
