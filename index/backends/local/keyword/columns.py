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

BM25's collection statistics over live documents are computed from these folders by
``statistics.py`` beside this module.
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


# The columns of each open generation's segments, mapped when the generation is opened (``pin``):
# a writer deletes the folders of superseded segments once the manifest names its new generation,
# and a reader still answering from the older one must not find them gone halfway through a query.
_PINNED: weakref.WeakKeyDictionary[Any, dict[str, SegmentColumns | None]] = weakref.WeakKeyDictionary()
_PINNED_LOCK = threading.Lock()


def pin(reader: Any, keyword_dir: Path) -> None:
    """Map the columns of every segment of ``reader``'s generation now, for as long as it lives."""
    loaded = {segment_id: load(keyword_dir, segment_id) for segment_id in segment_ids(reader)}
    with _PINNED_LOCK:
        _PINNED[reader] = loaded


def load_for(reader: Any, keyword_dir: Path, segment_id: str) -> SegmentColumns | None:
    """The columns of one segment of ``reader``'s generation: those pinned when it was opened,
    else (a reader opened otherwise) read now."""
    with _PINNED_LOCK:
        pinned = _PINNED.get(reader)
    if pinned is not None and segment_id in pinned:
        return pinned[segment_id]
    return load(keyword_dir, segment_id)


def _write_segment(leaf: Any, folder: Path, fields: list[str]) -> None:
    keys: list[int] = []
    counts: list[int] = []
    docs = array("i")
    freqs = array("f")
    field_ends: list[int] = []
    for field in fields:
        for text in leaf.lexicon(field):
            before = len(docs)
            read_postings(leaf.postings(field, text), docs, freqs)
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


def read_postings(matcher: Any, docs: array[int], freqs: array[float]) -> None:
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
