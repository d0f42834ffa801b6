"""BM25F with the Robertson-Sparck Jones idf that Lucene and bm25s use.

whoosh's default idf, log(N / (df + 1)) + 1, adds 1 to every term: a word found in half the
archive keeps 1.7 against about 7 for a rare name, so the common words of a headline-style query
("to", "in", "the", "di", "dan") outweigh the distinctive ones far more than in standard BM25.
Measured on the shared English and Indonesian query sets (see the README's relevance table).
"""

from __future__ import annotations

from math import log
from typing import Any

from whoosh.scoring import BM25F


class RobertsonBM25F(BM25F):  # type: ignore[misc]  # whoosh ships no type information
    def idf(self, searcher: Any, fieldname: str, text: bytes) -> float:
        parent = searcher.get_parent()
        df = parent.doc_frequency(fieldname, text)
        n = parent.doc_count_all()
        return log(1.0 + (n - df + 0.5) / (df + 0.5))
