"""BM25's collection statistics, from the live documents of a generation, per language.

``CollectionStats`` computes them from the live documents only, with the column copies (``columns.py``).
whoosh's own count deleted and replaced documents until their segment is merged away (document
count, document frequencies, field-length totals), and a merge re-adds field lengths from their
one-byte approximation: so an index resumed after a crash, or updated, would rank otherwise than
one written in one go over the same articles. From live documents and exact lengths, the
statistics depend on the articles alone, not on how they came to be in the segments.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from pathlib import Path
from typing import Any

import numpy as np

from index.backends.local.keyword.columns import SegmentColumns, live_mask, load_for, read_postings, segment_readers


class CollectionStats:
    """BM25's collection statistics of one generation, over its live documents only, per language.

    ``doc_count`` counts live documents; ``doc_frequency`` the live documents holding a term;
    ``avg_field_length`` their exact lengths over ``doc_count``. With column copies for every
    segment these are exact whatever the segment layout, so a resumed or updated index ranks as
    one written in one go. Without them (an index of an older release, or a crash between a commit
    and its columns: the next writer builds them) the totals come from whoosh, less each deleted
    document's one-byte length, exact only for segments never merged.

    The same figures exist per *statistics group* (``schema.statistics_group``: the documents
    sharing one language's stemmed fields, or one language in the plain fields): ``groups`` names
    them, ``group_doc_counts``, ``group_frequencies`` and ``group_field_lengths`` give one value per
    group, ``field_holders`` the groups that can have a field, and ``doc_groups`` each document's
    group. BM25 normalizes a document's length by its own group's average and takes N and df over
    the groups that can have the field (``bm25.group_weights``), so an archive of several languages
    ranks each stemmed language as an archive of that language alone would. Each document's group
    comes from the ``lang`` field whoosh indexes (its postings, read once per generation).

    The column scorer (``scoring.py``) and whoosh's own scoring (``bm25.py``)
    both take their statistics from here, so they stay equal.
    """

    def __init__(self, reader: Any, keyword_dir: Path | None) -> None:
        self._leaves = [leaf for leaf, _offset in segment_readers(reader)]
        self.doc_count = int(reader.doc_count())
        loaded = [load_for(reader, keyword_dir, leaf.segment().segment_id()) if keyword_dir else None for leaf in self._leaves]
        pairs = zip(loaded, self._leaves, strict=True)
        complete = all(c is not None and c.doc_count_all == leaf.doc_count_all() for c, leaf in pairs)
        self._columns: list[SegmentColumns] | None = [c for c in loaded if c is not None] if complete else None
        self._live = [live_mask(leaf) for leaf in self._leaves]
        self._schema = reader.schema
        self.groups, self._codes = _document_groups(reader.schema, self._leaves)
        self._by_segment = {leaf.segment().segment_id(): codes for leaf, codes in zip(self._leaves, self._codes, strict=True)}
        counts = np.zeros(len(self.groups), dtype=np.int64)
        for codes, live in zip(self._codes, self._live, strict=True):
            counts += np.bincount(codes if live is None else codes[live], minlength=len(self.groups))
        self.group_doc_counts = counts
        self._lengths: dict[str, np.ndarray] = {}
        self._holders: dict[str, np.ndarray] = {}
        self._frequencies: dict[tuple[str, bytes], np.ndarray] = {}

    @property
    def exact(self) -> bool:
        """True when computed from column copies (exact lengths); False for whoosh's approximation."""
        return self._columns is not None

    def field_holders(self, field: str) -> np.ndarray:
        """Which groups can have text in ``field`` (``schema.holds``): those its N and df are taken over."""
        found = self._holders.get(field)
        if found is None:
            from index.backends.local.keyword.schema import holds

            found = self._holders[field] = np.array([holds(group, field, self._schema) for group in self.groups], dtype=bool)
        return found

    def doc_groups(self, segment_id: str) -> np.ndarray:
        """The statistics group (an index into ``groups``) of each document of one segment."""
        return self._by_segment[segment_id]

    def avg_field_length(self, field: str) -> float:
        """The average length of ``field`` over every live document (all groups together)."""
        return float(self.group_field_lengths(field).sum()) / (self.doc_count or 1)

    def doc_frequency(self, field: str, text: bytes) -> int:
        """How many live documents hold the term (all groups together)."""
        return int(self.group_frequencies(field, text).sum())

    def group_field_lengths(self, field: str) -> np.ndarray:
        """The total length of ``field`` in each group's live documents (exact with columns)."""
        found = self._lengths.get(field)
        if found is None:
            found = self._lengths[field] = self._field_totals(field)
        return found

    def group_frequencies(self, field: str, text: bytes) -> np.ndarray:
        """How many live documents of each group hold the term."""
        key = (field, text)
        found = self._frequencies.get(key)
        if found is None:
            if len(self._frequencies) >= _MAX_CACHED_TERMS:
                self._frequencies.clear()
            found = self._frequencies[key] = self._live_frequencies(field, text)
        return found

    def _field_totals(self, field: str) -> np.ndarray:
        groups = len(self.groups)
        totals = np.zeros(groups, dtype=np.float64)
        if self._columns is not None:
            for columns, live, codes in zip(self._columns, self._live, self._codes, strict=True):
                tokens = columns.field_tokens(field)
                if tokens is not None:
                    keep = slice(None) if live is None else live
                    totals += np.bincount(codes[keep], weights=tokens[keep].astype(np.float64), minlength=groups)
            return totals.round()
        total = 0
        for leaf in self._leaves:
            total += int(leaf.field_length(field))
            if leaf.has_deletions():
                total -= sum(int(leaf.doc_field_length(d, field, 0) or 0) for d in leaf.segment().deleted_docs())
        total = max(total, 0)
        shares = self.group_doc_counts.astype(np.float64)
        if np.count_nonzero(shares) > 1:
            # Several groups: whoosh keeps one total per field, so it is shared out in proportion
            # to the documents' one-byte lengths; exact when one group alone has text in the field
            # (a stemmed field holds one language).
            shares = np.zeros(groups, dtype=np.float64)
            for leaf, live, codes in zip(self._leaves, self._live, self._codes, strict=True):
                count = leaf.doc_count_all()
                lengths = np.array([leaf.doc_field_length(d, field, 0) or 0 for d in range(count)], dtype=np.float64)
                keep = slice(None) if live is None else live
                shares += np.bincount(codes[keep], weights=lengths[keep], minlength=groups)
        holding = np.flatnonzero(shares)
        if holding.shape[0] == 1:
            totals[holding[0]] = total
        elif holding.shape[0] > 1:
            totals = total * shares / shares.sum()
        return totals

    def _live_frequencies(self, field: str, text: bytes) -> np.ndarray:
        counts = np.zeros(len(self.groups), dtype=np.int64)
        if self._columns is not None:
            for columns, live, codes in zip(self._columns, self._live, self._codes, strict=True):
                found = columns.postings(field, text)
                if found is not None:
                    docs = found[0] if live is None else found[0][live[found[0]]]
                    counts += np.bincount(codes[docs], minlength=len(self.groups))
            return counts
        single = np.count_nonzero(self.group_doc_counts) <= 1
        for leaf, codes in zip(self._leaves, self._codes, strict=True):
            if (field, text) not in leaf:
                continue
            if single and not leaf.has_deletions():
                counts[int(np.argmax(self.group_doc_counts))] += int(leaf.doc_frequency(field, text))
                continue
            docs = np.fromiter((d for d in leaf.postings(field, text).all_ids() if not leaf.is_deleted(d)), dtype=np.int64)
            counts += np.bincount(codes[docs], minlength=len(self.groups))
        return counts


def _document_groups(schema: Any, leaves: list[Any]) -> tuple[tuple[str, ...], list[np.ndarray]]:
    """The statistics groups of an index and each segment's documents' group codes, read from the
    postings of the ``lang`` field (a document without one is in the group of unknown language)."""
    from index.backends.local.keyword.schema import statistics_group

    names: dict[str, int] = {statistics_group(None, schema): 0}
    codes: list[np.ndarray] = []
    for leaf in leaves:
        found = np.zeros(leaf.doc_count_all(), dtype=np.int32)
        if "lang" in schema:
            for text in leaf.lexicon("lang"):
                group = statistics_group(text.decode("utf-8"), schema)
                code = names.setdefault(group, len(names))
                docs = array("i")
                read_postings(leaf.postings("lang", text), docs, array("f"))
                if code and docs:
                    found[np.frombuffer(docs, dtype=np.int32)] = code
        codes.append(found)
    return tuple(names), codes


_MAX_CACHED_TERMS = 100_000
_STATS: weakref.WeakKeyDictionary[Any, CollectionStats] = weakref.WeakKeyDictionary()
_STATS_LOCK = threading.Lock()


def collection_stats(reader: Any, keyword_dir: Path | None = None) -> CollectionStats:
    """The live statistics of ``reader``'s generation, computed once per reader object.

    ``keyword_dir`` defaults to the folder the reader's segments are stored in, so that whoosh's
    weighting, which sees only a searcher, finds the same columns as the column scorer.
    """
    with _STATS_LOCK:
        found = _STATS.get(reader)
        if found is None:
            found = _STATS[reader] = CollectionStats(reader, keyword_dir or _storage_folder(reader))
        return found


def _storage_folder(reader: Any) -> Path | None:
    for leaf, _offset in segment_readers(reader):
        folder = getattr(leaf.storage(), "folder", None)  # a FileStorage; in-memory storages have none
        return Path(folder) if folder else None
    return None
