"""BM25F with the Robertson-Sparck Jones idf that Lucene and bm25s use, over live documents.

whoosh's default idf, log(N / (df + 1)) + 1, adds 1 to every term: a word found in half the
archive keeps 1.7 against about 7 for a rare name, so the common words of a headline-style query
("to", "in", "the", "di", "dan") outweigh the distinctive ones far more than in standard BM25.
Measured on the shared English and Indonesian query sets (see the table in docs/relevance.md).

The collection statistics (N, df, average field length) are those of the live documents
(``index.backends.local.keyword.columns.CollectionStats``), not whoosh's, which count deleted and replaced
documents until a merge: an index resumed after a crash then ranks as one written in one go. The
column scorer (``index/backends/local/keyword/scoring.py``) takes the same statistics, so the two stay equal.
"""

from __future__ import annotations

from math import log
from typing import Any

from whoosh.scoring import BM25F, BM25FScorer

from index.backends.local.keyword.columns import collection_stats


class RobertsonBM25F(BM25F):  # type: ignore[misc]  # whoosh ships no type information
    def idf(self, searcher: Any, fieldname: str, text: bytes) -> float:
        stats = collection_stats(searcher.get_parent().reader())
        df = stats.doc_frequency(fieldname, text)
        n = stats.doc_count
        return log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scorer(self, searcher: Any, fieldname: str, text: bytes, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return _LiveBM25FScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)


class _LiveBM25FScorer(BM25FScorer):  # type: ignore[misc]
    """whoosh's BM25F scorer with the live average field length instead of whoosh's."""

    def __init__(self, searcher: Any, fieldname: str, text: bytes, B: float, K1: float, qf: int = 1) -> None:
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)
        self.avgfl = collection_stats(parent.reader()).avg_field_length(fieldname) or 1
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.setup(searcher, fieldname, text)


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
