"""whoosh's BM25F ranking of a bag-of-words query, computed with numpy over the segment columns.

For a plain query (words, each looked up in every text field with its boost: an ``Or`` of
``Term``s after whoosh's parser) whoosh's score of a document is the sum, over the query terms it
contains, of ``boost * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average length))``.
This module computes exactly that, with whoosh's own idf and average field lengths, for whole posting
lists at once (``index/keyword_columns.py`` keeps them as arrays), then takes the top of the page
with a partial sort. tests/test_keyword_scoring.py checks the scores and order against whoosh's.

Anything else (phrases, AND/NOT, wildcards, a segment without columns) returns None from ``plan``
or ``search``, and the caller asks whoosh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.backends.local.keyword import columns as keyword_columns
from index.backends.local.keyword.columns import SegmentColumns

_MAX_CACHED_TERMS = 100_000


@dataclass(frozen=True)
class TermClause:
    field: str
    text: bytes
    boost: float


@dataclass(frozen=True)
class KeywordMatches:
    """The ranked top of a keyword query, and how many documents matched in all."""

    rowids: np.ndarray
    scores: np.ndarray
    total: int
    matched_of: np.ndarray  # those of the ``watch`` rows that matched


class ColumnScorer:
    """Scores plain queries over one whoosh reader (a committed generation) with its column copies."""

    def __init__(self, reader: Any, keyword_dir: Path) -> None:
        self._segments: list[tuple[SegmentColumns, Any, int]] = []
        self._stats: dict[tuple[str, bytes], tuple[float, float]] = {}
        self._norms: dict[tuple[str, str, float, float, float], np.ndarray] = {}
        self.available = True
        for leaf, offset in keyword_columns.segment_readers(reader):
            columns = keyword_columns.load(keyword_dir, leaf.segment().segment_id())
            if columns is None or columns.doc_count_all != leaf.doc_count_all():
                self.available = False
                self._segments = []
                return
            self._segments.append((columns, leaf, offset))
        self._live: list[np.ndarray | None] = [_live_mask(leaf) for _, leaf, _ in self._segments]

    def _global_stats(self, searcher: Any, field: str, text: bytes) -> tuple[float, float]:
        # The idf and average field length whoosh's BM25F scorer takes from the top-level searcher;
        # they hold for the life of this generation, so each term asks whoosh once.
        key = (field, text)
        found = self._stats.get(key)
        if found is None:
            if len(self._stats) >= _MAX_CACHED_TERMS:
                self._stats.clear()
            found = self._stats[key] = (float(searcher.idf(field, text)), float(searcher.avg_field_length(field) or 1))
        return found

    def _length_norms(self, columns: SegmentColumns, field: str, average: float, k1: float, b: float) -> np.ndarray:
        """BM25's length normalisation ``k1 * (1 - b + b * length / average)`` of every document of a
        field, computed once per generation and setting: a query then only gathers its postings' rows."""
        key = (columns.segment_id, field, average, k1, b)
        norms = self._norms.get(key)
        if norms is None:
            lengths = columns.field_lengths(field)
            assert lengths is not None
            norms = self._norms[key] = k1 * ((1.0 - b) + b * lengths.astype(np.float64) / average)
        return norms

    def plan(self, query: Any, schema: Any) -> list[TermClause] | None:
        """The term clauses of a plain query, or None when its shape needs whoosh itself."""
        if not self.available:
            return None
        clauses: list[TermClause] = []
        if not _collect(query, schema, clauses):
            return None
        return clauses

    def search(
        self,
        clauses: Sequence[TermClause],
        searcher: Any,
        k: int,
        *,
        weighting: tuple[float, float],
        allowed_rowids: np.ndarray | None = None,
        watch: np.ndarray | None = None,
    ) -> KeywordMatches:
        """The ``k`` best documents (store row ids, scores), ties broken by index order as whoosh does.

        ``weighting`` is (k1, b). ``allowed_rowids`` restricts the ranking to those rows. Of the
        ``watch`` rows, those that match are reported whether or not they make the top ``k``.
        """
        k1, b = weighting
        stats = {(c.field, c.text): self._global_stats(searcher, c.field, c.text) for c in clauses}
        best_rows: list[np.ndarray] = []
        best_scores: list[np.ndarray] = []
        order_keys: list[np.ndarray] = []
        total = 0
        watched: list[np.ndarray] = []
        for (columns, _leaf, offset), live in zip(self._segments, self._live, strict=True):
            scored = _segment_scores(columns, clauses, stats, k1, lambda c, f, a: self._length_norms(c, f, a, k1, b))
            if scored is None:
                continue
            scores, matched = scored
            if live is not None:
                matched &= live
            if allowed_rowids is not None:
                matched &= np.isin(columns.rowids, allowed_rowids, assume_unique=False)
            docnums = np.flatnonzero(matched)
            total += int(docnums.shape[0])
            if watch is not None and watch.shape[0]:
                watched.append(columns.rowids[docnums][np.isin(columns.rowids[docnums], watch)])
            if docnums.shape[0] > k:
                docnums = _top(docnums, scores[docnums], k)
            best_rows.append(columns.rowids[docnums])
            best_scores.append(scores[docnums])
            order_keys.append(docnums.astype(np.int64) + offset)
        matched_of = np.concatenate(watched) if watched else np.zeros(0, dtype=np.int64)
        if not best_rows:
            empty = np.zeros(0)
            return KeywordMatches(rowids=empty.astype(np.int64), scores=empty, total=0, matched_of=matched_of)
        rows, found, docorder = np.concatenate(best_rows), np.concatenate(best_scores), np.concatenate(order_keys)
        ranking = np.lexsort((docorder, -found))[:k]
        return KeywordMatches(rowids=rows[ranking], scores=found[ranking], total=total, matched_of=matched_of)


def _top(docnums: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best of ``docnums`` (ascending), equal scores going to the lower document number as
    in whoosh. Ties are common (a one-byte field length, a term found once), and a page cut from
    an arbitrary pick among them would differ from the next page's pick."""
    threshold = -np.partition(-scores, k - 1)[k - 1]
    above = docnums[scores > threshold]
    tied = docnums[scores == threshold][: k - above.shape[0]]
    return np.concatenate([above, tied])


def _collect(query: Any, schema: Any, out: list[TermClause]) -> bool:
    """Flatten an Or-of-Terms tree into clauses; False for any other query shape."""
    from whoosh.query import Or, Term

    if type(query) is Term:
        if query.fieldname not in schema:
            return True  # whoosh matches nothing for it
        try:
            text = schema[query.fieldname].to_bytes(query.text)
        except ValueError:
            return True
        out.append(TermClause(query.fieldname, text, float(query.boost)))
        return True
    if type(query) is Or and not query.scale and not query.minmatch and query.boost == 1.0:
        return all(_collect(sub, schema, out) for sub in query.subqueries)
    return False


def _segment_scores(
    columns: SegmentColumns,
    clauses: Sequence[TermClause],
    stats: dict[tuple[str, bytes], tuple[float, float]],
    k1: float,
    length_norms: Callable[[SegmentColumns, str, float], np.ndarray],
) -> tuple[np.ndarray, np.ndarray] | None:
    """Scores of every document of the segment, and which documents matched at all."""
    scores: np.ndarray | None = None
    matched: np.ndarray | None = None
    for clause in clauses:
        found = columns.postings(clause.field, clause.text)
        if found is None or columns.field_lengths(clause.field) is None:
            continue
        docs, stored_freqs = found
        idf, average = stats[(clause.field, clause.text)]
        # In float64, as whoosh computes in Python floats: the scores then agree to the last bits.
        freqs = stored_freqs.astype(np.float64)
        norm = length_norms(columns, clause.field, average)[docs]
        part = (clause.boost * idf) * (freqs * (k1 + 1.0)) / (freqs + norm)
        if scores is None or matched is None:
            scores = np.zeros(columns.doc_count_all, dtype=np.float64)
            matched = np.zeros(columns.doc_count_all, dtype=bool)
        # A posting list names each document once, so fancy-index addition is exact (np.add.at,
        # needed only when indexes repeat, is several times slower).
        scores[docs] += part
        matched[docs] = True
    return None if scores is None or matched is None else (scores, matched)


def _live_mask(leaf: Any) -> np.ndarray | None:
    if not leaf.has_deletions():
        return None
    live = np.ones(leaf.doc_count_all(), dtype=bool)
    deleted = np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)
    live[deleted] = False
    return live
