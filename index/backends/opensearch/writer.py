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
refreshes on opening (the local backend's journal replay), and the same command then skips every
page whose fingerprint was written and redoes the rest by article id, giving the same documents.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from index.analysis import ANALYSES
from index.article import Article, Note, Skip
from index.backends.base import IndexInfo
from index.backends.opensearch import mapping
from index.backends.opensearch.client import connect, get_source, unavailable
from index.backends.opensearch.compile import IS_ARTICLE
from index.backends.opensearch.location import OpenSearchLocation
from index.backends.opensearch.lock import ClusterLock
from index.backends.opensearch.pending import Pending, Written
from index.backends.opensearch.reader import info_of, meta_name, read_meta
from index.embed.base import EMBEDDED_TEXT, Encoder
from index.errors import IndexNotFoundError, IndexWriteError, ModelMismatchError
from index.extract.neardup import Signature

COUNTER_ID = "counter"
COPY_CHUNK = 500  # documents per bulk request of a rebuild
# A bulk request that finds no node to take it is sent again this often, a little later each time.
SEND_ATTEMPTS = 5
SEND_PAUSE_S = 2.0
T = TypeVar("T")


SHARDS_ENV = "NEWS_SEARCH_OPENSEARCH_SHARDS"
REPLICAS_ENV = "NEWS_SEARCH_OPENSEARCH_REPLICAS"


def layout_from_environment(shards: int | None, replicas: int | None) -> tuple[int, int]:
    """Primary shards and replicas of a new index: given, else from the environment, else 1 and 0
    (one node). Read only when an index is created; replicas can be changed later with the
    settings API, shards only by a rebuild into a new index."""
    values = []
    for given, name, default in ((shards, SHARDS_ENV, 1), (replicas, REPLICAS_ENV, 0)):
        text = os.environ.get(name)
        if given is None and text:
            if not text.isdigit():
                raise IndexWriteError(f"{name} must be a whole number (got {text!r})")
            given = int(text)
        values.append(default if given is None else given)
    return max(values[0], 1), values[1]


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _key(kind: str, source: str) -> str:
    """A companion document's id: sources are paths and URLs of any length, ids are at most 512 bytes."""
    return f"{kind}:{hashlib.sha1(source.encode('utf-8')).hexdigest()}"


class OpenSearchWriter:
    """Opens (or creates) the index at ``location`` for writing; see the module docstring."""

    def __init__(
        self,
        location: OpenSearchLocation,
        *,
        requested_model: str | None,
        load_encoder: Callable[[], Encoder],
        analysis: str,
        shards: int | None = None,
        replicas: int | None = None,
    ) -> None:
        self.location = location
        self.client = connect(location)
        self._meta_index = meta_name(location.name)
        self._shards, self._replicas = layout_from_environment(shards, replicas)
        try:
            self._ensure_meta_index()
            self._lock = ClusterLock(self.client, self._meta_index, str(location))
        except Exception as error:
            self.client.close()
            if isinstance(error, OSError) or type(error).__module__.startswith("opensearchpy"):
                raise unavailable(location, error) from error
            raise
        try:
            self._open(requested_model, load_encoder, analysis)
        except BaseException:
            self._lock.release()
            self.client.close()
            raise
        self.problem: str | None = None

    # -- opening -------------------------------------------------------------------------------

    def _ensure_meta_index(self) -> None:
        from opensearchpy import RequestError

        if not self.client.indices.exists(index=self._meta_index):
            try:
                self.client.indices.create(
                    index=self._meta_index, body=mapping.meta_index_body(shards=1, replicas=self._replicas)
                )
            except RequestError as error:
                if "resource_already_exists" not in str(error):
                    raise

    def _open(self, requested: str | None, load_encoder: Callable[[], Encoder], analysis: str) -> None:
        try:
            self._meta = read_meta(self.client, self.location)
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
        self._analysis = str(self._meta["analysis"])
        if self._analysis not in ANALYSES:
            self._analysis = analysis
        # What a killed writer wrote but never committed becomes visible now (the local journal replay).
        self._refresh()
        self._generation = self._state().get("generation", 0)
        self._next = max(self._counter(), self._max_doc() + 1)
        self._pending = Pending()
        self._batch: list[dict[str, Any]] | None = None
        self._staged = Pending()
        self._staged_meta: dict[str, dict[str, Any] | None] = {}
        self._known: dict[str, dict[str, Any] | None] = {}
        self._count = self._committed_count()

    def _physical(self, number: int) -> str:
        return f"{self.location.name}-{number}"

    def _current_physical(self) -> str:
        found = self.client.indices.get_alias(name=self.location.name)
        return str(sorted(found)[-1])

    def _create(self, name: str, meta: dict[str, Any]) -> None:
        self.client.indices.create(index=name, body=mapping.index_body(meta, shards=self._shards, replicas=self._replicas))
        self.client.index(
            index=name, id=mapping.STATE_ID, body={"generation": 0, "updated": meta.get("created", "")}, refresh="true"
        )

    def _state(self) -> dict[str, Any]:
        return self._request(get_source, client=self.client, index=self.location.name, doc_id=mapping.STATE_ID) or {}

    def _counter(self) -> int:
        return int(
            (self._request(get_source, client=self.client, index=self._meta_index, doc_id=COUNTER_ID) or {}).get("next", 1)
        )

    def _max_doc(self) -> int:
        body = {"query": IS_ARTICLE, "size": 0, "aggs": {"top": {"max": {"field": "doc"}}}}
        value = self._request(self.client.search, index=self.location.name, body=body)["aggregations"]["top"]["value"]
        return int(value) if value is not None else 0

    def _committed_count(self) -> int:
        return int(self._request(self.client.count, index=self.location.name, body={"query": IS_ARTICLE})["count"])

    def _refresh(self) -> None:
        self.client.indices.refresh(index=f"{self.location.name},{self._meta_index}")

    # -- what ingest asks before writing -------------------------------------------------------

    @property
    def info(self) -> IndexInfo:
        return info_of(self.location, {**self._meta, "analysis": self._analysis}, str(self._state().get("updated", "")))

    def count(self) -> int:
        return self._count

    def _written(self, article_id: str) -> Written | None:
        return self._staged.get(article_id) or self._pending.get(article_id)

    def _stored(self, article_id: str) -> dict[str, Any] | None:
        """The stored document as of the last commit (realtime GET), asked once per commit: ingest
        asks about one article several times (its content hash, its number before and while it is
        written), and this writer is the only one, so nothing else changes it meanwhile."""
        if article_id not in self._known:
            source = get_source(
                self.client, self.location.name, article_id, _source_includes=["doc", "content_hash", "source", "group"]
            )
            self._known[article_id] = source if source is not None and "doc" in source else None
        return self._known[article_id]

    def seen(self, source: str, fingerprint: str) -> str | None:
        found = self._meta_doc(_key("seen", source))
        if found is None or found.get("fingerprint") != fingerprint:
            return None
        return str(found.get("outcome"))

    def _meta_doc(self, doc_id: str) -> dict[str, Any] | None:
        if doc_id in self._staged_meta:
            return self._staged_meta[doc_id]
        return self._request(get_source, client=self.client, index=self._meta_index, doc_id=doc_id)

    def document_number(self, article_id: str) -> int | None:
        written = self._written(article_id)
        if written is not None:
            return None if written.deleted else written.doc
        stored = self._stored(article_id)
        return int(stored["doc"]) if stored is not None else None

    def content_hash(self, article_id: str) -> str | None:
        written = self._written(article_id)
        if written is not None:
            return None if written.deleted else written.content_hash
        stored = self._stored(article_id)
        return str(stored["content_hash"]) if stored is not None else None

    def article_with_text(self, text_hash: str) -> str | None:
        for overlay in (self._staged, self._pending):
            found = overlay.with_text(text_hash)
            if found is not None:
                return found
        body = {
            "query": {"bool": {"filter": [{"term": {"text_hash": text_hash}}]}},
            "size": 50,
            "_source": False,
            "sort": [{"doc": "asc"}],
        }
        for hit in self._request(self.client.search, index=self.location.name, body=body)["hits"]["hits"]:
            if self._written(hit["_id"]) is None:  # rewritten or deleted since: the overlay answered for it
                return str(hit["_id"])
        return None

    def has_notes(self, source: str) -> bool:
        found = self._meta_doc(_key("note", source))
        return bool(found and found.get("notes"))

    def near_duplicate_candidates(self, band_keys: Sequence[int]) -> list[tuple[int, str, Signature, str]]:
        found: dict[str, tuple[int, str, Signature, str]] = {}
        body = {
            "query": {"bool": {"filter": [{"terms": {"bands": list(band_keys)}}]}},
            "size": 10_000,
            "_source": ["doc", "signature", "shingles", "group"],
            "sort": [{"doc": "asc"}],
        }
        for hit in self._request(self.client.search, index=self.location.name, body=body)["hits"]["hits"]:
            stored = mapping.signature_of(hit["_source"])
            if stored is None or self._written(hit["_id"]) is not None:
                continue
            found[hit["_id"]] = (
                int(hit["_source"]["doc"]),
                str(hit["_id"]),
                Signature.from_bytes(*stored),
                str(hit["_source"]["group"]),
            )
        # The staged batch is newer than the pending writes; a deleted or rewritten article that
        # no longer shares a band is left out (its committed hit was skipped above).
        for article_id, written in self._pending.merged(self._staged).sharing(set(band_keys)):
            assert written.signature is not None
            found[article_id] = (written.doc, article_id, Signature.from_bytes(*written.signature), written.group)
        return sorted(found.values(), key=lambda item: item[0])

    def ungrouped(self, after: int, limit: int) -> list[tuple[int, Article]]:
        body = {
            "query": {
                "bool": {
                    "filter": [IS_ARTICLE, {"range": {"doc": {"gt": after}}}],
                    "must_not": [{"exists": {"field": "signature"}}],
                }
            },
            "size": limit,
            "_source": mapping.ARTICLE_FIELDS,
            "sort": [{"doc": "asc"}],
        }
        hits = self._request(self.client.search, index=self.location.name, body=body)["hits"]["hits"]
        return [
            (int(hit["_source"]["doc"]), mapping.article_of(hit["_id"], hit["_source"]))
            for hit in hits
            if self._written(hit["_id"]) is None
        ]

    # -- changes -------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Changes collected in memory and sent in one bulk request at the end (none on an error)."""
        self._batch = []
        self._staged = Pending()
        self._staged_meta = {}
        next_before, count_before = self._next, self._count
        try:
            yield
            self._send(self._batch)
        except BaseException:
            self._next, self._count = next_before, count_before
            raise
        else:
            self._pending = self._pending.merged(self._staged)
        finally:
            self._batch = None
            self._staged = Pending()
            self._staged_meta = {}

    def _stage(self, action: dict[str, Any], body: dict[str, Any] | None = None) -> None:
        if self._batch is None:
            raise RuntimeError("writes to an OpenSearch index happen inside writer.batch()")
        self._batch.append(action)
        if body is not None:
            self._batch.append(body)

    def _request(self, method: Callable[..., T], **arguments: Any) -> T:
        """A read the writer needs, asked again when it fails for a passing reason: no node to take it
        (failover), a busy cluster, or a shard copy closing under it as its node leaves."""
        from opensearchpy import ConnectionError as NoConnection
        from opensearchpy import ConnectionTimeout, TransportError

        for attempt in range(SEND_ATTEMPTS):
            try:
                return method(**arguments)
            except (NoConnection, ConnectionTimeout):
                if attempt + 1 == SEND_ATTEMPTS:
                    raise
            except TransportError as error:
                passing = error.status_code in (429, 502, 503, 504) or (error.status_code == 400 and "is closed" in str(error))
                if not passing or attempt + 1 == SEND_ATTEMPTS:
                    raise
            time.sleep(SEND_PAUSE_S * (attempt + 1))
        raise AssertionError("unreachable")

    def _send(self, lines: list[dict[str, Any]]) -> None:
        if not lines:
            return
        from opensearchpy import ConnectionError as NoConnection
        from opensearchpy import ConnectionTimeout, TransportError

        for attempt in range(SEND_ATTEMPTS):
            try:
                answer = self.client.bulk(body=lines, refresh="false")
                break
            except (NoConnection, ConnectionTimeout) as error:
                # A node went away (failover) or is too busy to answer: every action names its
                # document, so sending the same request again gives the same documents.
                if attempt + 1 == SEND_ATTEMPTS:
                    raise IndexWriteError(f"the OpenSearch cluster at {self.location.url} took no write: {error}") from error
                time.sleep(SEND_PAUSE_S * (attempt + 1))
            except (TransportError, OSError) as error:
                raise IndexWriteError(f"the OpenSearch cluster at {self.location.url} refused a write: {error}") from error
        if answer.get("errors"):
            failed = [item for item in answer["items"] for result in item.values() if "error" in result]
            if failed:
                raise IndexWriteError(f"{len(failed)} writes to {self.location} failed, the first: {failed[0]}")

    def upsert(self, article: Article, vector: Any, signature: Signature | None, group: str) -> int:
        existing = self.document_number(article.id)
        if existing is None:
            doc, self._next = self._next, self._next + 1
            self._count += 1
        else:
            doc = existing
        packed = (signature.to_bytes(), signature.shingles, signature.band_keys()) if signature is not None else None
        vector_values = [float(x) for x in vector] if vector is not None else None
        body = mapping.document(doc, article, vector_values, packed, group, self._analysis, _now())
        self._stage({"index": {"_index": self.location.name, "_id": article.id}}, body)
        self._staged.articles[article.id] = Written(
            doc, article.content_hash, article.text_hash, group, article.source,
            (packed[0], packed[1]) if packed else None, tuple(packed[2]) if packed else (),
        )  # fmt: skip
        if article.source:
            self._stage({"delete": {"_index": self._meta_index, "_id": _key("skip", article.source)}})
        return doc

    def set_group(self, doc: int, signature: Signature | None, group: str) -> None:
        article_id = self._staged.by_doc(doc) or self._pending.by_doc(doc)
        if article_id is None:
            body = {"query": {"term": {"doc": doc}}, "size": 1, "_source": False}
            hits = self._request(self.client.search, index=self.location.name, body=body)["hits"]["hits"]
            if not hits:
                return
            article_id = str(hits[0]["_id"])
        update: dict[str, Any] = {"group": group, "copy": group != article_id}
        if signature is not None:
            update.update(mapping.signature_fields(signature.to_bytes(), signature.shingles, signature.band_keys()))
        self._stage({"update": {"_index": self.location.name, "_id": article_id}}, {"doc": update})
        written = self._written(article_id)
        if written is not None:
            written.group = group
            if signature is not None:
                written.signature, written.bands = (signature.to_bytes(), signature.shingles), tuple(signature.band_keys())

    def delete(self, article_id: str) -> bool:
        written = self._written(article_id)
        if written is not None and written.deleted:
            return False
        stored = None if written is not None else self._stored(article_id)
        if written is None and stored is None:
            return False
        doc = written.doc if written is not None else int(stored["doc"])  # type: ignore[index]
        source = written.source if written is not None else stored.get("source")  # type: ignore[union-attr]
        self._stage({"delete": {"_index": self.location.name, "_id": article_id}})
        if source:
            self._stage({"delete": {"_index": self._meta_index, "_id": _key("note", str(source))}})
            self._staged_meta[_key("note", str(source))] = None
        self._staged.articles[article_id] = Written(doc, "", "", "", source, deleted=True)
        self._count -= 1
        return True

    def record_skip(self, skip: Skip) -> None:
        body = {"kind": "skip", "source": skip.source, "reason": skip.reason, "detail": skip.detail[:500], "at": _now()}
        self._stage({"index": {"_index": self._meta_index, "_id": _key("skip", skip.source)}}, body)

    def record_notes(self, source: str, notes: Sequence[Note]) -> None:
        key = _key("note", source)
        if notes:
            body = {
                "kind": "note",
                "source": source,
                "notes": [{"kind": n.kind, "detail": n.detail[:500]} for n in notes],
                "at": _now(),
            }
            self._stage({"index": {"_index": self._meta_index, "_id": key}}, body)
            self._staged_meta[key] = body
        else:
            self._stage({"delete": {"_index": self._meta_index, "_id": key}})
            self._staged_meta[key] = None

    def mark_seen(self, source: str, fingerprint: str, outcome: str) -> None:
        key = _key("seen", source)
        body = {"kind": "seen", "source": source, "fingerprint": fingerprint, "outcome": outcome}
        self._stage({"index": {"_index": self._meta_index, "_id": key}}, body)
        self._staged_meta[key] = body

    # -- visibility and repair -----------------------------------------------------------------

    def commit(self, *, merge: bool = False) -> None:
        """The commit record and the counter, then one refresh of both indexes: every write visible at once."""
        self._generation += 1
        lines: list[dict[str, Any]] = [
            {"index": {"_index": self.location.name, "_id": mapping.STATE_ID}},
            {"generation": self._generation, "updated": _now()},
            {"index": {"_index": self._meta_index, "_id": COUNTER_ID}},
            {"kind": "counter", "next": self._next},
        ]
        self._send(lines)
        self._refresh()
        self._pending = Pending()
        self._known = {}
        self._count = self._committed_count()
        self._lock.renew()

    def rebuild(self, analysis: str | None = None) -> int:
        """A new articles index from the stored documents (their text, vectors and groups: nothing is
        extracted or embedded again), analysed with ``analysis``; the alias then moves to it in one step."""
        self.commit()
        old = self._current_physical()
        number = int(old.rsplit("-", 1)[1]) + 1 if old.rsplit("-", 1)[-1].isdigit() else 1
        target = self._physical(number)
        self._analysis = analysis or self._analysis
        meta = {**self._meta, "analysis": self._analysis}
        if self.client.indices.exists(index=target):  # a rebuild that was killed half-way
            self.client.indices.delete(index=target)
        self._create(target, meta)
        copied = 0
        lines: list[dict[str, Any]] = []
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": IS_ARTICLE, "size": COPY_CHUNK, "sort": [{"doc": "asc"}]}
            if after is not None:
                body["search_after"] = after
            hits = self._request(self.client.search, index=old, body=body)["hits"]["hits"]
            for hit in hits:
                source = hit["_source"]
                article = mapping.article_of(hit["_id"], source)
                stored = mapping.signature_of(source)
                packed = (stored[0], stored[1], list(source.get("bands") or [])) if stored is not None else None
                rewritten = mapping.document(
                    int(source["doc"]), article, source.get(mapping.VECTOR), packed, str(source.get("group") or hit["_id"]),
                    self._analysis, str(source.get("indexed_at") or ""),
                )  # fmt: skip
                lines += [{"index": {"_index": target, "_id": hit["_id"]}}, rewritten]
            self._send(lines)
            copied += len(hits)
            lines = []
            if len(hits) < COPY_CHUNK:
                break
            after = hits[-1]["sort"]
        self._send(
            [{"index": {"_index": target, "_id": mapping.STATE_ID}}, {"generation": self._generation + 1, "updated": _now()}]
        )
        self._generation += 1
        self.client.indices.refresh(index=target)
        self.client.indices.update_aliases(
            body={
                "actions": [
                    {"remove": {"index": old, "alias": self.location.name}},
                    {"add": {"index": target, "alias": self.location.name}},
                ]
            }
        )
        self.client.indices.delete(index=old)
        self._meta = meta
        self.problem = None
        return copied

    def repair(self) -> bool:
        """Make visible what a killed writer left written (opening already refreshed); nothing needs a rebuild."""
        self.commit()
        self.problem = None
        return False

    def close(self) -> None:
        if not self._lock.held:
            return
        try:
            self._lock.release()
        finally:
            self.client.close()
