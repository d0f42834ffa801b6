"""whoosh's BM25F ranking of a bag-of-words query, computed with numpy over the segment columns.

For a plain query (words, each looked up in every text field with its boost: an ``Or`` of
``Term``s after whoosh's parser) whoosh's score of a document is the sum, over the query terms it
contains, of ``boost * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average length))``.
This module computes exactly that, with the idf and average field lengths of the live documents
of each document's own statistics group (its language: ``bm25.group_weights`` over
``statistics.CollectionStats``, which whoosh's weighting in bm25.py uses too),
for whole posting lists at once (``columns.py`` keeps them as arrays), then takes the
top of the page with a partial sort; equal scores go to the lower store row id, not to whoosh's
document number, which depends on the segment layout. tests/backends/local/test_keyword_scoring.py checks the
scores and order against whoosh's.

A plain query with exclusions (``a -b``, ``a NOT (b OR "c d")``: an ``Excluding`` at the top, see
exclusions.py) is scored the same way, without the documents that match the excluded part: found
in the columns when it is words, asked of whoosh when it is anything else (a phrase). Anything else
(phrases, AND, wildcards, a segment without columns) returns None from ``plan``, and the caller
asks whoosh.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.query import Or, Term

from index.backends.local.keyword import columns as keyword_columns
from index.backends.local.keyword.bm25 import group_weights
from index.backends.local.keyword.columns import SegmentColumns
from index.backends.local.keyword.exclusions import Excluding
from index.backends.local.keyword.statistics import collection_stats

_MAX_CACHED_TERMS = 100_000


@dataclass(frozen=True)
class TermClause:
    field: str
    text: bytes
    boost: float


@dataclass(frozen=True)
class ColumnPlan:
    """The term clauses that score a query, and the sub-queries whose documents it excludes."""

    clauses: tuple[TermClause, ...]
    excluded: tuple[Any, ...] = ()


@dataclass(frozen=True)
class TermWeights:
    """A term's BM25 statistics (``bm25.group_weights``): its idf, and its field's average length in
    each statistics group."""

    idf: float
    averages: np.ndarray


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
        self._stats: dict[tuple[str, bytes], TermWeights] = {}
        self._norms: dict[tuple[str, str, float, float], np.ndarray] = {}
        self.available = True
        for leaf, offset in keyword_columns.segment_readers(reader):
            columns = keyword_columns.load_for(reader, keyword_dir, leaf.segment().segment_id())
            if columns is None or columns.doc_count_all != leaf.doc_count_all():
                self.available = False
                self._segments = []
                return
            self._segments.append((columns, leaf, offset))
        self._live: list[np.ndarray | None] = [keyword_columns.live_mask(leaf) for _, leaf, _ in self._segments]
        # The same object whoosh's weighting finds for this reader (cached per reader).
        self._collection = collection_stats(reader, keyword_dir)
        self._groups = [self._collection.doc_groups(columns.segment_id) for columns, _, _ in self._segments]

    def live_rowids(self) -> np.ndarray:
        """The store row ids of every live document of the generation, sorted."""
        segments = zip(self._segments, self._live, strict=True)
        parts = [columns.rowids if live is None else columns.rowids[live] for (columns, _, _), live in segments]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def _global_stats(self, field: str, text: bytes) -> TermWeights:
        # The idf and average field length of each statistics group, as bm25.py's BM25F scorer
        # takes them; they hold for the life of this generation.
        key = (field, text)
        found = self._stats.get(key)
        if found is None:
            if len(self._stats) >= _MAX_CACHED_TERMS:
                self._stats.clear()
            idf, averages, _df = group_weights(self._collection, field, text)
            found = self._stats[key] = TermWeights(idf, averages)
        return found

    def _length_norms(self, segment: int, field: str, averages: np.ndarray, k1: float, b: float) -> np.ndarray:
        """BM25's length normalisation ``k1 * (1 - b + b * length / average)`` of every document of a
        field, each with its own group's average length, computed once per generation and setting:
        a query then only gathers its postings' rows."""
        columns = self._segments[segment][0]
        key = (columns.segment_id, field, k1, b)
        norms = self._norms.get(key)
        if norms is None:
            lengths = columns.field_lengths(field)
            assert lengths is not None
            norms = self._norms[key] = k1 * ((1.0 - b) + b * lengths.astype(np.float64) / averages[self._groups[segment]])
        return norms

    def plan(self, query: Any, schema: Any) -> ColumnPlan | None:
        """How to score a plain query (with or without exclusions), or None when its shape needs whoosh itself."""
        if not self.available:
            return None
        positive, excluded = split_exclusions(query)
        clauses: list[TermClause] = []
        if not _collect(positive, schema, clauses):
            return None
        return ColumnPlan(tuple(clauses), tuple(excluded))

    def matching_rowids(self, query: Any, searcher: Any) -> np.ndarray:
        """Store row ids of the live documents that match ``query`` (any query: words are looked up
        in the columns, anything else is asked of whoosh)."""
        found = [
            columns.rowids[mask & live if live is not None else mask]
            for (columns, _, _), live, mask in zip(self._segments, self._live, self._matching([query], searcher), strict=True)
        ]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def _matching(self, queries: Sequence[Any], searcher: Any) -> list[np.ndarray]:
        """Per segment, which documents match any of ``queries`` (deleted ones included)."""
        masks = [np.zeros(columns.doc_count_all, dtype=bool) for columns, _, _ in self._segments]
        for query in queries:
            terms: list[tuple[str, bytes]] = []
            if _matching_terms(query, searcher.schema, terms):
                for (columns, _, _), mask in zip(self._segments, masks, strict=True):
                    for field, text in terms:
                        found = columns.postings(field, text)
                        if found is not None:
                            mask[found[0]] = True
                continue
            # A phrase or a nested group: whoosh's matchers (with exclusions.py's Excluding) decide.
            docnums = np.fromiter(searcher.docs_for_query(query), dtype=np.int64)
            for (columns, _, offset), mask in zip(self._segments, masks, strict=True):
                inside = docnums[(docnums >= offset) & (docnums < offset + columns.doc_count_all)]
                mask[inside - offset] = True
        return masks

    def search(
        self,
        plan: ColumnPlan,
        searcher: Any,
        k: int,
        *,
        weighting: tuple[float, float],
        allowed_rowids: np.ndarray | None = None,
        watch: np.ndarray | None = None,
    ) -> KeywordMatches:
        """The ``k`` best documents (store row ids, scores), ties broken by lower store row id.

        ``weighting`` is (k1, b). ``allowed_rowids`` restricts the ranking to those rows. Of the
        ``watch`` rows, those that match are reported whether or not they make the top ``k``.
        """
        k1, b = weighting
        clauses = plan.clauses
        stats = {(c.field, c.text): self._global_stats(c.field, c.text) for c in clauses}
        excluded = self._matching(plan.excluded, searcher) if plan.excluded else [None] * len(self._segments)
        best_rows: list[np.ndarray] = []
        best_scores: list[np.ndarray] = []
        total = 0
        watched: list[np.ndarray] = []
        for segment, ((columns, _leaf, _offset), live, dropped) in enumerate(
            zip(self._segments, self._live, excluded, strict=True)
        ):
            scored = _segment_scores(columns, clauses, stats, k1, partial(self._length_norms, segment, k1=k1, b=b))
            if scored is None:
                continue
            scores, matched = scored
            if live is not None:
                matched &= live
            if dropped is not None:
                matched &= ~dropped
            if allowed_rowids is not None:
                matched &= np.isin(columns.rowids, allowed_rowids, assume_unique=False)
            docnums = np.flatnonzero(matched)
            total += int(docnums.shape[0])
            if watch is not None and watch.shape[0]:
                watched.append(columns.rowids[docnums][np.isin(columns.rowids[docnums], watch)])
            if docnums.shape[0] > k:
                docnums = _top(docnums, scores[docnums], k, columns.rowids[docnums])
            best_rows.append(columns.rowids[docnums])
            best_scores.append(scores[docnums])
        matched_of = np.concatenate(watched) if watched else np.zeros(0, dtype=np.int64)
        if not best_rows:
            empty = np.zeros(0)
            return KeywordMatches(rowids=empty.astype(np.int64), scores=empty, total=0, matched_of=matched_of)
        rows, found = np.concatenate(best_rows), np.concatenate(best_scores)
        # Ties by row id: a document's number depends on which segment holds it, so a resumed
        # or updated index would order equal scores otherwise than one written in one go.
        ranking = np.lexsort((rows, -found))[:k]
        return KeywordMatches(rowids=rows[ranking], scores=found[ranking], total=total, matched_of=matched_of)


def _top(docnums: np.ndarray, scores: np.ndarray, k: int, rowids: np.ndarray | None = None) -> np.ndarray:
    """The ``k`` best of ``docnums`` (ascending), equal scores going to the lower store row id
    (``rowids``: those of ``docnums``; without them, to the lower document number). Ties are common
    (a one-byte field length, a term found once), and a page cut from an arbitrary pick among them
    would differ from the next page's pick."""
    threshold = -np.partition(-scores, k - 1)[k - 1]
    above = docnums[scores > threshold]
    at = scores == threshold
    tied = docnums[at] if rowids is None else docnums[at][np.argsort(rowids[at], kind="stable")]
    return np.concatenate([above, tied[: k - above.shape[0]]])


def split_exclusions(query: Any) -> tuple[Any, list[Any]]:
    """The part of the query that scores, and the sub-queries its top-level exclusions remove."""
    excluded: list[Any] = []
    while type(query) is Excluding:
        excluded.append(query.b)
        query = query.a
    return query, excluded


def _matching_terms(query: Any, schema: Any, out: list[tuple[str, bytes]]) -> bool:
    """The terms of an Or-of-Terms tree, for which documents match (boosts do not matter here)."""
    if type(query) is Term:
        if query.fieldname in schema:
            with contextlib.suppress(ValueError):  # a value the field cannot hold matches nothing
                out.append((query.fieldname, schema[query.fieldname].to_bytes(query.text)))
        return True
    if type(query) is Or and not query.minmatch:
        return all(_matching_terms(sub, schema, out) for sub in query.subqueries)
    return False


def _collect(query: Any, schema: Any, out: list[TermClause]) -> bool:
    """Flatten an Or-of-Terms tree into clauses; False for any other query shape."""
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
    stats: dict[tuple[str, bytes], TermWeights],
    k1: float,
    length_norms: Callable[[str, np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray] | None:
    """Scores of every document of the segment, and which documents matched at all."""
    scores: np.ndarray | None = None
    matched: np.ndarray | None = None
    for clause in clauses:
        found = columns.postings(clause.field, clause.text)
        if found is None or columns.field_lengths(clause.field) is None:
            continue
        docs, stored_freqs = found
        weights = stats[(clause.field, clause.text)]
        # In float64, as whoosh computes in Python floats: the scores then agree to the last bits.
        freqs = stored_freqs.astype(np.float64)
        norm = length_norms(clause.field, weights.averages)[docs]
        part = (clause.boost * weights.idf) * (freqs * (k1 + 1.0)) / (freqs + norm)
        if scores is None or matched is None:
            scores = np.zeros(columns.doc_count_all, dtype=np.float64)
            matched = np.zeros(columns.doc_count_all, dtype=bool)
        # A posting list names each document once, so fancy-index addition is exact (np.add.at,
        # needed only when indexes repeat, is several times slower).
        scores[docs] += part
        matched[docs] = True
    return None if scores is None or matched is None else (scores, matched)
