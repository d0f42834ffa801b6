"""BM25F with the Robertson-Sparck Jones idf that Lucene and bm25s use, over live documents.

whoosh's default idf, log(N / (df + 1)) + 1, adds 1 to every term: a word found in half the
archive keeps 1.7 against about 7 for a rare name, so the common words of a headline-style query
("to", "in", "the", "di", "dan") outweigh the distinctive ones far more than in standard BM25.
Measured on the shared English and Indonesian query sets (see the table in docs/relevance.md).

The collection statistics (N, df, average field length) are those of the live documents
(``index.backends.local.keyword.statistics.CollectionStats``), not whoosh's, which count deleted and replaced
documents until a merge: an index resumed after a crash then ranks as one written in one go. They
are taken per language (``schema.statistics_group``, ``schema.holds``): a document's length is
normalized by the average of its own language, and N and df are those of the documents that can
have the field (a stemmed field's language; every language of the plain fields), so an English
article ranks in a mixed archive exactly as in an English one (``group_weights``). The column
scorer (``index/backends/local/keyword/scoring.py``) takes the same weights, so the two stay equal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.scoring import BM25F, BM25FScorer, bm25

from index.backends.local.keyword.statistics import CollectionStats, collection_stats


def robertson_idf(n: Any, df: Any) -> Any:
    """log(1 + (N - df + 0.5) / (df + 0.5)), for numbers or numpy arrays alike (one formula, so
    the two scorers agree to the last bit)."""
    return np.log1p((n - df + 0.5) / (df + 0.5))


def group_weights(stats: CollectionStats, field: str, text: bytes) -> tuple[float, np.ndarray, np.ndarray]:
    """The term's idf over the documents that can have the field (``CollectionStats.field_holders``:
    a stemmed field's own language, or all the languages of the plain fields), and per statistics
    group the field's average length (1 where a group has none, as whoosh takes an average of 0)
    and the term's document frequency."""
    counts = stats.group_doc_counts.astype(np.float64)
    df = stats.group_frequencies(field, text)
    holders = stats.field_holders(field)
    idf = robertson_idf(counts[holders].sum(), float(df[holders].sum()))
    lengths = stats.group_field_lengths(field)
    averages = np.divide(lengths, counts, out=np.zeros_like(lengths), where=counts > 0)
    return float(idf), np.where(averages > 0, averages, 1.0), df


class RobertsonBM25F(BM25F):  # type: ignore[misc]  # whoosh ships no type information
    def idf(self, searcher: Any, fieldname: str, text: bytes) -> float:
        """The idf over every live document (the scorers use each group's own: ``group_weights``)."""
        stats = collection_stats(searcher.get_parent().reader())
        return float(robertson_idf(stats.doc_count, stats.doc_frequency(fieldname, text)))

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return _LiveBM25FScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)


class _LiveBM25FScorer(BM25FScorer):  # type: ignore[misc]
    """whoosh's BM25F scorer with the live statistics instead of whoosh's, each document's length
    normalized by its own group's average.

    ``searcher`` is the segment's (sub)searcher, so ``matcher.id()`` numbers documents within the
    segment, as ``CollectionStats.doc_groups`` does. The quality bounds whoosh prunes blocks with
    are taken over every group that holds the term, so pruning stays safe."""

    def __init__(self, searcher: Any, fieldname: str, text: bytes, B: float, K1: float, qf: int = 1) -> None:
        stats = collection_stats(searcher.get_parent().reader())
        idf, averages, df = group_weights(stats, fieldname, text)
        self.idf, self._avgfl = idf, averages.tolist()
        self._groups = stats.doc_groups(searcher.reader().segment().segment_id())
        holding = [g for g in range(len(df)) if df[g] > 0] or list(range(len(df)))
        self._bounds = [self._avgfl[g] for g in holding]
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.setup(searcher, fieldname, text)

    def score(self, matcher: Any) -> float:
        docnum = matcher.id()
        average = self._avgfl[self._groups[docnum]]
        return float(bm25(self.idf, matcher.weight(), self.dfl(docnum), average, self.B, self.K1))

    def _score(self, weight: float, length: float) -> float:
        # Only for whoosh's quality bounds (max_quality, block_quality): the best any group allows.
        return max(float(bm25(self.idf, weight, length, average, self.B, self.K1)) for average in self._bounds)


def whoosh_top(searcher: Any, query: Any, depth: int, **options: Any) -> list[tuple[int, float]]:
    """whoosh's ``depth`` best (store row id, score), equal scores in row id order as the column
    scorer orders them. whoosh breaks ties by its document number, which depends on the segment
    layout (a resumed or updated index holds the same articles in other segments), so a few more
    are asked for until the last one scores below the cut: every tie at the cut is then in hand."""
    if depth < 1:
        return []
    limit = depth + 1
    while True:
        hits = [(int(hit["rowid"]), float(hit.score)) for hit in searcher.search(query, limit=limit, **options)]
        if len(hits) < limit or hits[-1][1] < hits[depth - 1][1]:
            break
        limit *= 2
    hits.sort(key=lambda hit: (-hit[1], hit[0]))
    return hits[:depth]
