"""What ingest asks the writer before writing (``Writer.seen``, ``document_number``, ...), answered
from the committed state corrected by what the writer wrote since (``Overlays``).

Searches see only the committed (refreshed) state; the writer's own writes since are in its
overlays, which answer first. The committed state is asked one question at a time (realtime GETs
and searches) until the questions have cost as much as reading it all, then read in bulk and
answered from memory (``known.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from index.article import Article
from index.backends.opensearch import mapping
from index.backends.opensearch.client import get_source
from index.backends.opensearch.compile import IS_ARTICLE
from index.backends.opensearch.known import PAGE, Committed, Light
from index.backends.opensearch.pending import Pending, Written
from index.backends.opensearch.transport import request
from index.extract.neardup import Signature

LOADED_FIELDS = ["doc", "content_hash", "text_hash", "source", "group", "bands"]
LOOKED_UP_KINDS = ["seen", "note"]  # the companion documents ingest asks about


@dataclass
class Overlays:
    """What the writer wrote since its last commit, which searches cannot see yet."""

    staged: Pending = field(default_factory=Pending)  # the batch in progress
    pending: Pending = field(default_factory=Pending)  # batches sent since the last commit
    staged_meta: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    pending_meta: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    # New groups (and band keys) of stored articles that were not rewritten: folded in at commit.
    regrouped: dict[str, dict[str, Any]] = field(default_factory=dict)
    staged_regrouped: dict[str, dict[str, Any]] = field(default_factory=dict)

    def written(self, article_id: str) -> Written | None:
        return self.staged.get(article_id) or self.pending.get(article_id)

    def meta(self, key: str) -> tuple[bool, dict[str, Any] | None]:
        for layer in (self.staged_meta, self.pending_meta):
            if key in layer:
                return True, layer[key]
        return False, None

    def begin(self) -> None:
        self.staged, self.staged_meta, self.staged_regrouped = Pending(), {}, {}

    def keep(self) -> None:
        """The batch was sent: it is pending until the next commit."""
        self.pending = self.pending.merged(self.staged)
        self.pending_meta.update(self.staged_meta)
        self.regrouped.update(self.staged_regrouped)
        self.begin()

    def committed(self) -> None:
        self.pending, self.pending_meta, self.regrouped = Pending(), {}, {}


class Lookups:
    """The questions of ``index.backends.base.Writer`` that ingest asks before writing."""

    def __init__(
        self, client: Any, articles: str, meta_index: str, overlays: Overlays, committed_count: Callable[[], int]
    ) -> None:
        self._client = client
        self._articles = articles  # the alias
        self._meta_index = meta_index
        self._overlays = overlays
        self._committed_count = committed_count
        self.committed = Committed()
        self._asked: dict[str, Light | None] = {}  # realtime GETs since the last commit, before the bulk read

    # -- the committed state -------------------------------------------------------------------

    def _bulk_read(self) -> bool:
        """Whether the committed state is in memory, reading it now when the look-ups so far have cost that much."""
        if not self.committed.worth_loading(self._committed_count()):
            return False
        if not self.committed.loaded:
            self.committed.load(
                self._sweep(self._articles, IS_ARTICLE, LOADED_FIELDS, [{"doc": "asc"}]),
                self._sweep(self._meta_index, {"terms": {"kind": LOOKED_UP_KINDS}}, True, [{"kind": "asc"}, {"source": "asc"}]),
            )
            self._asked = {}
        return True

    def _sweep(self, index: str, query: dict[str, Any], source: list[str] | bool, sort: list[dict[str, str]]) -> Any:
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": query, "size": PAGE, "sort": sort, "_source": source, "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            hits = request(self._client.search, index=index, body=body)["hits"]["hits"]
            yield from hits
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"]

    def after_commit(self) -> None:
        """The overlays became part of the committed state (call before clearing them)."""
        o = self._overlays
        self.committed.fold(o.pending.articles, o.pending_meta, o.regrouped)
        self._asked = {}

    def stored(self, article_id: str) -> Light | None:
        """The stored article as of the last commit: from memory, else by realtime GET (once per commit:
        ingest asks about one article several times, and nothing but this writer changes it)."""
        if self._bulk_read():
            return self.committed.articles.get(article_id)
        if article_id not in self._asked:
            source = request(
                get_source, client=self._client, index=self._articles, doc_id=article_id,
                _source_includes=["doc", "content_hash", "source", "group"],
            )  # fmt: skip
            self._asked[article_id] = (
                Light(int(source["doc"]), str(source.get("content_hash") or ""), "", source.get("source"),
                      str(source.get("group") or article_id), 0)
                if source is not None and "doc" in source else None
            )  # fmt: skip
        return self._asked[article_id]

    def meta_doc(self, key: str) -> dict[str, Any] | None:
        known, body = self._overlays.meta(key)
        if known:
            return body
        if self._bulk_read():
            return self.committed.meta.get(key)
        return request(get_source, client=self._client, index=self._meta_index, doc_id=key)

    # -- the questions -------------------------------------------------------------------------

    def document_number(self, article_id: str) -> int | None:
        written = self._overlays.written(article_id)
        if written is not None:
            return None if written.deleted else written.doc
        stored = self.stored(article_id)
        return stored.doc if stored is not None else None

    def content_hash(self, article_id: str) -> str | None:
        written = self._overlays.written(article_id)
        if written is not None:
            return None if written.deleted else written.content_hash
        stored = self.stored(article_id)
        return stored.content_hash if stored is not None else None

    def article_with_text(self, text_hash: str) -> str | None:
        o = self._overlays
        for overlay in (o.staged, o.pending):
            found = overlay.with_text(text_hash)
            if found is not None:
                return found

        def overlaid(article_id: str) -> bool:  # rewritten or deleted since: the overlays answered for it
            return o.written(article_id) is not None

        if self._bulk_read():
            return self.committed.with_text(text_hash, overlaid)
        body = {
            "query": {"bool": {"filter": [{"term": {"text_hash": text_hash}}]}},
            "size": 50,
            "_source": False,
            "sort": [{"doc": "asc"}],
        }
        for hit in request(self._client.search, index=self._articles, body=body)["hits"]["hits"]:
            if not overlaid(hit["_id"]):
                return str(hit["_id"])
        return None

    def near_duplicate_candidates(self, band_keys: Sequence[int]) -> list[tuple[int, str, Signature, str]]:
        fields = ["doc", "signature", "shingles", "group"]
        if self._bulk_read():
            wanted = [i for i in self.committed.sharing(band_keys) if self._overlays.written(i) is None]
            # The signatures are not kept in memory (400 bytes an article): read for the few candidates.
            found_docs = (
                request(self._client.mget, index=self._articles, body={"ids": wanted}, _source_includes=fields)["docs"]
                if wanted else []
            )  # fmt: skip
            hits = [d for d in found_docs if d.get("found")]
        else:
            body = {"query": {"bool": {"filter": [{"terms": {"bands": list(band_keys)}}]}}, "size": 10_000, "_source": fields}
            hits = request(self._client.search, index=self._articles, body=body)["hits"]["hits"]
        found: dict[str, tuple[int, str, Signature, str]] = {}
        for hit in hits:
            stored = mapping.signature_of(hit["_source"])
            if stored is None or self._overlays.written(hit["_id"]) is not None:
                continue
            found[hit["_id"]] = (
                int(hit["_source"]["doc"]),
                str(hit["_id"]),
                Signature.from_bytes(*stored),
                str(hit["_source"]["group"]),
            )
        # The staged batch is newer than the pending writes; a deleted or rewritten article that
        # no longer shares a band is left out (its committed hit was skipped above).
        wanted_bands = set(band_keys)
        staged = self._overlays.staged
        newer = [(i, w) for i, w in self._overlays.pending.sharing(wanted_bands) if i not in staged.articles]
        for article_id, written in newer + staged.sharing(wanted_bands):
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
        hits = request(self._client.search, index=self._articles, body=body)["hits"]["hits"]
        return [
            (int(hit["_source"]["doc"]), mapping.article_of(hit["_id"], hit["_source"]))
            for hit in hits
            if self._overlays.written(hit["_id"]) is None
        ]
