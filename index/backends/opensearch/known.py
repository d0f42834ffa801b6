"""What the writer knows of the committed state, read in bulk instead of asked page by page.

Ingest asks the writer about every page and article: what a page's fingerprint gave last time, an
article's stored number and content hash, an article with the same text, the stored articles
sharing a near-duplicate band. Asked of the cluster one at a time, these are three or four
requests per article (realtime GETs and searches: 2 to 8 ms each on one loaded machine), more
than the bulk write of the article itself. Ingest asks them one page at a time, in order, so
they cannot be batched as they come; instead the writer reads what they are answered from
(article ids, numbers, hashes, groups and band keys; page fingerprints and notes) for the whole
committed state in a few large sorted searches, and answers from memory.

That read costs about as much as a few dozen single look-ups per thousand articles, so it is
made once the look-ups asked so far have cost as much (``worth_loading``: a small ingest into a
large index keeps asking one at a time), and not at all past ``MOST`` articles (the memory it
takes). The writer is the only one (its lock), so nothing but its own writes changes the
committed state: those are folded in at each commit (``fold``), and until then the writer's
overlays of uncommitted writes answer first, as they do for the searches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.backends.opensearch.pending import Written

# Past this many articles the maps (about 1 KB an article with band keys) are not worth their memory.
MOST = 500_000
# A bulk read answers this many look-ups for the cost of one (a page of 5,000 small sources vs a GET).
LOOKUPS_PER_READ = 50
FIRST_READ_AFTER = 64  # look-ups before the first bulk read, however small the index
PAGE = 5_000
CHUNKS_BEFORE_MERGE = 16


@dataclass(slots=True)
class Light:
    """What the look-ups need of a stored article; ``version`` tells its current band keys from stale ones."""

    doc: int
    content_hash: str
    text_hash: str
    source: str | None
    group: str
    version: int


class BandIndex:
    """Band key -> articles holding it, in sorted numpy chunks (one per read page or commit)."""

    def __init__(self) -> None:
        self._chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self.owners: list[tuple[str, int]] = []  # (article id, version) per owner number

    def add(self, rows: Iterable[tuple[str, int, Iterable[int]]]) -> None:
        keys: list[int] = []
        owners: list[int] = []
        for article_id, version, bands in rows:
            number = len(self.owners)
            self.owners.append((article_id, version))
            for key in bands:
                keys.append(int(key))
                owners.append(number)
        if not keys:
            return
        key_array = np.asarray(keys, dtype=np.int64)
        order = np.argsort(key_array, kind="stable")
        self._chunks.append((key_array[order], np.asarray(owners, dtype=np.int64)[order]))
        if len(self._chunks) > CHUNKS_BEFORE_MERGE:
            merged_keys = np.concatenate([k for k, _ in self._chunks])
            merged_owners = np.concatenate([o for _, o in self._chunks])
            order = np.argsort(merged_keys, kind="stable")
            self._chunks = [(merged_keys[order], merged_owners[order])]

    def owners_of(self, band_keys: Iterable[int]) -> set[tuple[str, int]]:
        wanted = np.asarray(sorted({int(k) for k in band_keys}), dtype=np.int64)
        found: set[tuple[str, int]] = set()
        if not len(wanted):
            return found
        for keys, owners in self._chunks:
            left = np.searchsorted(keys, wanted, side="left")
            right = np.searchsorted(keys, wanted, side="right")
            for start, end in zip(left.tolist(), right.tolist(), strict=True):
                found.update(self.owners[number] for number in owners[start:end].tolist())
        return found


class Committed:
    """The committed state's articles and companion records, once ``load`` has read them."""

    def __init__(self) -> None:
        self.loaded = False
        self.lookups = 0
        self.articles: dict[str, Light] = {}
        self.by_text: dict[str, dict[str, int]] = {}  # text hash -> {article id: document number}
        self.bands = BandIndex()
        self.meta: dict[str, dict[str, Any]] = {}  # companion documents (fingerprints, notes) by id
        self._version = 0

    def worth_loading(self, committed_articles: int) -> bool:
        """Whether the look-ups asked so far have cost what reading everything would (and it fits)."""
        self.lookups += 1
        if self.loaded or committed_articles > MOST:
            return self.loaded
        if not committed_articles:
            return True  # nothing to read but the companion documents: read them at once
        return self.lookups >= FIRST_READ_AFTER + committed_articles // LOOKUPS_PER_READ

    def load(self, articles: Iterator[dict[str, Any]], meta: Iterator[dict[str, Any]]) -> None:
        """Every article hit (``_id`` and the ``doc``, hashes, source, group, bands of its source) and
        every companion document of the kinds looked up (``seen`` and ``note``)."""
        rows: list[tuple[str, int, list[int]]] = []
        for hit in articles:
            source = hit["_source"]
            self._put(hit["_id"], int(source["doc"]), source, rows)
            if len(rows) >= PAGE:
                self.bands.add(rows)
                rows = []
        self.bands.add(rows)
        for hit in meta:
            self.meta[hit["_id"]] = hit["_source"]
        self.loaded = True

    def _put(self, article_id: str, doc: int, source: dict[str, Any], rows: list[tuple[str, int, list[int]]]) -> None:
        self._drop(article_id)
        self._version += 1
        text_hash = str(source.get("text_hash") or "")
        self.articles[article_id] = Light(
            doc, str(source.get("content_hash") or ""), text_hash, source.get("source"),
            str(source.get("group") or article_id), self._version,
        )  # fmt: skip
        if text_hash:
            self.by_text.setdefault(text_hash, {})[article_id] = doc
        rows.append((article_id, self._version, list(source.get("bands") or [])))

    def _drop(self, article_id: str) -> None:
        old = self.articles.pop(article_id, None)
        if old is not None and old.text_hash in self.by_text:
            self.by_text[old.text_hash].pop(article_id, None)
            if not self.by_text[old.text_hash]:
                del self.by_text[old.text_hash]

    def fold(
        self, written: dict[str, Written], meta: dict[str, dict[str, Any] | None], regrouped: dict[str, dict[str, Any]]
    ) -> None:
        """A commit made these writes part of the committed state: articles written or deleted since
        the last one, companion documents written (None: deleted), groups set on stored articles."""
        if not self.loaded:
            return
        rows: list[tuple[str, int, list[int]]] = []
        for article_id, update in regrouped.items():
            light = self.articles.get(article_id)
            if light is None or article_id in written:
                continue
            if "bands" not in update:  # a new group, the same signature: its band keys stand
                light.group = str(update["group"])
                continue
            source = {"content_hash": light.content_hash, "text_hash": light.text_hash, "source": light.source, **update}
            self._put(article_id, light.doc, source, rows)
        for article_id, w in written.items():
            if w.deleted:
                self._drop(article_id)
                continue
            source = {
                "content_hash": w.content_hash, "text_hash": w.text_hash, "source": w.source, "group": w.group,
                "bands": list(w.bands),
            }  # fmt: skip
            self._put(article_id, w.doc, source, rows)
        self.bands.add(rows)
        for key, body in meta.items():
            if body is None:
                self.meta.pop(key, None)
            else:
                self.meta[key] = body

    def with_text(self, text_hash: str, overlaid: Callable[[str], bool]) -> str | None:
        """The lowest-numbered committed article with this text that no uncommitted write overlays."""
        found = sorted((doc, article_id) for article_id, doc in self.by_text.get(text_hash, {}).items())
        return next((article_id for _, article_id in found if not overlaid(article_id)), None)

    def sharing(self, band_keys: Iterable[int]) -> list[str]:
        """Committed articles holding one of ``band_keys`` now (not by a band key they have been rewritten without)."""
        return sorted(
            article_id
            for article_id, version in self.bands.owners_of(band_keys)
            if (light := self.articles.get(article_id)) is not None and light.version == version
        )
