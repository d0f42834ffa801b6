"""Column copies of whoosh's postings, one folder per whoosh segment, for scoring with numpy.

whoosh scores a query by stepping through every posting of every query term in Python: about a
microsecond per posting, so a headline-length query over 100k articles, whose common words match
most of them, took 0.4-3 s. The same postings laid out as flat arrays (term -> document numbers and
term frequencies, plus each document's quantized field lengths) let the read side compute exactly
whoosh's BM25F scores for a whole posting list in one vectorized step (``scoring.py`` beside this module).

whoosh stays the keyword index: these folders are derived from its segments by reading them back
through its own reader, after each commit, and they are keyed by segment id. A whoosh segment never
changes once written (deletions are recorded in the table of contents, not in the segment), so a
folder is built once per segment and removed with it. The scorer checks a folder exists for every
segment of the generation it reads; if any is missing (an index written by an older release, or a
crash between the commit and the build) the query is answered by whoosh itself, unchanged.

Files in ``<keyword dir>/columns/<segment id>/`` (plain ``.npy``, memory-mapped on read):

- ``keys.npy``: uint64 hash of ``field NUL term`` for every term of the segment, sorted;
- ``starts.npy``/``counts.npy``: where each key's postings lie in the two posting arrays;
- ``docs.npy`` (int32 document numbers) and ``freqs.npy`` (float32 term frequencies);
- ``lengths.npy``: float32 [fields x documents], each document's field length as whoosh stores it
  (one byte, decoded), because BM25F's length normalisation must use the same value;
- ``tokens.npy``: int32 [fields x documents], each document's exact field length (its number of
  tokens: the sum of its term frequencies, which is what whoosh adds to a segment's length total);
- ``rowids.npy``: int64 store row id of each document number (saves a stored-field read per hit);
- ``fields.json``: the field order of ``lengths.npy`` and the layout version. Written last: a
  folder without it, or of an older version, is incomplete and is built again.

BM25's collection statistics (``CollectionStats``) are computed here from the live documents only.
whoosh's own count deleted and replaced documents until their segment is merged away (document
count, document frequencies, field-length totals), and a merge re-adds field lengths from their
one-byte approximation: so an index resumed after a crash, or updated, would rank otherwise than
one written in one go over the same articles. From live documents and exact lengths, the
statistics depend on the articles alone, not on how they came to be in the segments.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import weakref
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

COLUMNS_DIR = "columns"
_COMPLETE = "fields.json"
# 2: ``tokens.npy`` (exact field lengths) added; folders of version 1 are rebuilt by the next writer.
_VERSION = 2
_ARRAYS = ("keys", "starts", "counts", "docs", "freqs", "lengths", "tokens", "rowids")


def term_key(field: str, text: bytes) -> int:
    """The 64-bit key of one term of one field (a collision among a segment's terms is ~1e-8 at 1M terms)."""
    digest = hashlib.blake2b(field.encode("utf-8") + b"\0" + text, digest_size=8).digest()
    return int.from_bytes(digest, "little")


@dataclass(frozen=True)
class SegmentColumns:
    """The postings of one whoosh segment as arrays (memory-mapped)."""

    segment_id: str
    fields: tuple[str, ...]
    keys: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    docs: np.ndarray
    freqs: np.ndarray
    lengths: np.ndarray
    tokens: np.ndarray
    rowids: np.ndarray

    @property
    def doc_count_all(self) -> int:
        return int(self.rowids.shape[0])

    def postings(self, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """Document numbers and term frequencies of a term, or None when the segment lacks it."""
        key = np.uint64(term_key(field, text))
        at = int(np.searchsorted(self.keys, key))
        if at >= self.keys.shape[0] or self.keys[at] != key:
            return None
        start, count = int(self.starts[at]), int(self.counts[at])
        return self.docs[start : start + count], self.freqs[start : start + count]

    def field_lengths(self, field: str) -> np.ndarray | None:
        try:
            row: np.ndarray = self.lengths[self.fields.index(field)]
        except ValueError:
            return None
        return row

    def field_tokens(self, field: str) -> np.ndarray | None:
        """Each document's exact length in ``field`` (not the one-byte approximation), or None."""
        try:
            row: np.ndarray = self.tokens[self.fields.index(field)]
        except ValueError:
            return None
        return row


def columns_root(keyword_dir: Path) -> Path:
    return keyword_dir / COLUMNS_DIR


def segment_ids(reader: Any) -> list[str]:
    return [leaf.segment().segment_id() for leaf, _offset in segment_readers(reader)]


def segment_readers(reader: Any) -> list[tuple[Any, int]]:
    """(segment reader, first document number) of each segment; an empty index has none."""
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None]


def build_missing(reader: Any, keyword_dir: Path, text_fields: list[str]) -> None:
    """Write the column folder of every segment of ``reader`` that has none."""
    root = columns_root(keyword_dir)
    for leaf, _offset in segment_readers(reader):
        folder = root / leaf.segment().segment_id()
        if not _is_complete(folder):
            _write_segment(leaf, folder, [f for f in text_fields if f in leaf.schema])


def _is_complete(folder: Path) -> bool:
    try:
        return int(json.loads((folder / _COMPLETE).read_text(encoding="utf-8")).get("version", 1)) >= _VERSION
    except (OSError, ValueError, AttributeError):
        return False


def remove_unused(keyword_dir: Path, keep: list[str]) -> None:
    """Delete the folders of segments the kept generation no longer uses (merged or superseded)."""
    root = columns_root(keyword_dir)
    if not root.is_dir():
        return
    wanted = set(keep)
    for folder in root.iterdir():
        if folder.name not in wanted:
            shutil.rmtree(folder, ignore_errors=True)


def load(keyword_dir: Path, segment_id: str) -> SegmentColumns | None:
    """The columns of one segment, or None when its folder is missing or incomplete."""
    folder = columns_root(keyword_dir) / segment_id
    try:
        meta = json.loads((folder / _COMPLETE).read_text(encoding="utf-8"))
        if int(meta.get("version", 1)) < _VERSION:
            return None  # an older layout, without exact lengths: whoosh answers until it is rebuilt
        fields = tuple(meta["fields"])
        # Plain array views of the mappings: numpy's memmap subclass costs microseconds per indexing.
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r").view(np.ndarray) for name in _ARRAYS}
    except (OSError, ValueError, KeyError):
        return None
    return SegmentColumns(segment_id=segment_id, fields=fields, **arrays)


def _write_segment(leaf: Any, folder: Path, fields: list[str]) -> None:
    keys: list[int] = []
    counts: list[int] = []
    docs = array("i")
    freqs = array("f")
    field_ends: list[int] = []
    for field in fields:
        for text in leaf.lexicon(field):
            before = len(docs)
            _read_postings(leaf.postings(field, text), docs, freqs)
            keys.append(term_key(field, text))
            counts.append(len(docs) - before)
        field_ends.append(len(docs))
    doc_count = leaf.doc_count_all()
    doc_array = np.frombuffer(docs, dtype=np.int32) if docs else np.zeros(0, dtype=np.int32)
    freq_array = np.frombuffer(freqs, dtype=np.float32) if freqs else np.zeros(0, dtype=np.float32)
    key_array = np.array(keys, dtype=np.uint64)
    count_array = np.array(counts, dtype=np.int32)
    start_array = np.zeros(len(counts), dtype=np.int64)
    if counts:
        start_array[1:] = np.cumsum(count_array[:-1], dtype=np.int64)
    order = np.argsort(key_array, kind="stable")
    arrays: dict[str, np.ndarray] = {
        "keys": key_array[order],
        "starts": start_array[order],
        "counts": count_array[order],
        "docs": doc_array,
        "freqs": freq_array,
        "lengths": np.stack([_field_lengths(leaf, f, doc_count) for f in fields])
        if fields
        else np.zeros((0, doc_count), dtype=np.float32),
        "tokens": _field_tokens(doc_array, freq_array, field_ends, doc_count),
        "rowids": np.array([int(leaf.stored_fields(d).get("rowid", -1)) for d in range(doc_count)], dtype=np.int64),
    }
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, values in arrays.items():
        np.save(staging / f"{name}.npy", values)
    (staging / _COMPLETE).write_text(json.dumps({"fields": fields, "version": _VERSION}), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(staging, folder)


def _read_postings(matcher: Any, docs: array[int], freqs: array[float]) -> None:
    """Append a posting list's document numbers and frequencies.

    whoosh's own format decodes a block of up to 128 postings at once; stepping posting by posting
    through the generic matcher API is ten times slower, so the block is taken whole when the
    matcher is the whoosh 3 leaf matcher, and the generic API serves any other.
    """
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights")):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            docs.extend(matcher._ids)
            freqs.extend(matcher._weights)
            matcher._next_block()
        return
    while matcher.is_active():
        docs.append(matcher.id())
        freqs.append(matcher.weight())
        matcher.next()


def _field_lengths(leaf: Any, field: str, doc_count: int) -> np.ndarray:
    # The length whoosh's scorer uses: one byte per document, decoded (0 when the field is empty).
    lengths = np.zeros(doc_count, dtype=np.float32)
    for docnum in range(doc_count):
        lengths[docnum] = leaf.doc_field_length(docnum, field, 0) or 0
    return lengths


def _field_tokens(docs: np.ndarray, freqs: np.ndarray, field_ends: list[int], doc_count: int) -> np.ndarray:
    """Exact field lengths: whoosh counts a field's length as the sum of its term frequencies (the
    analyzer drops no token), and the postings keep those exactly, before and after a merge."""
    rows = np.zeros((len(field_ends), doc_count), dtype=np.int32)
    start = 0
    for row, end in enumerate(field_ends):
        if end > start:
            rows[row] = np.bincount(docs[start:end], weights=freqs[start:end], minlength=doc_count).round()
        start = end
    return rows


def sync_generation(keyword_dir: Path, generation: int, text_fields: list[str]) -> list[str]:
    """Build the columns of every segment of ``generation`` that lacks them; returns its segment ids."""
    from index.backends.local.keyword.schema import open_generation

    ix, reader = open_generation(keyword_dir, generation)
    try:
        build_missing(reader, keyword_dir, text_fields)
        return segment_ids(reader)
    finally:
        reader.close()
        ix.close()


def live_mask(leaf: Any) -> np.ndarray | None:
    """Which documents of a segment are live (None: all of them)."""
    if not leaf.has_deletions():
        return None
    live = np.ones(leaf.doc_count_all(), dtype=bool)
    deleted = np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)
    live[deleted] = False
    return live


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
        loaded = [load(keyword_dir, leaf.segment().segment_id()) if keyword_dir else None for leaf in self._leaves]
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
                _read_postings(leaf.postings("lang", text), docs, array("f"))
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
