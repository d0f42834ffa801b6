"""Keyword retrieval over one committed whoosh generation: the column scorer first, whoosh itself otherwise.

A plain query (words, with or without exclusions) is ranked by the column scorer (``scoring.py``),
which counts every match and ranks only as deep as asked; anything else (phrases, AND, ``+word``,
a segment without columns) by whoosh's searcher with the project's BM25F (``bm25.py``), inside a
filter of whoosh document numbers for the allowed store rows. Both rank by the same scores, equal
scores by store row id. ``KeywordSide`` holds what one generation needs: the searcher (per BM25
setting), the column scorer and the compiled queries; the reader makes a new one for each new
committed state.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.article import Article
from index.backends.base import KeywordMatches
from index.backends.local.keyword.bm25 import RobertsonBM25F, group_weights, whoosh_top
from index.backends.local.keyword.compile import QueryCompiler
from index.backends.local.keyword.schema import document
from index.backends.local.keyword.scoring import ColumnScorer
from index.backends.local.keyword.statistics import collection_stats
from index.backends.query import KeywordSettings, Node, excluded_by

_CACHED_QUERIES = 256


class KeywordSide:
    """The keyword index of one committed state: compiles, ranks and matches neutral queries."""

    def __init__(self, reader: Any, keyword_dir: Path) -> None:
        self._reader = reader
        self._keyword_dir = keyword_dir
        self._searcher: Any = None
        self._weighting: tuple[float, float] | None = None
        scorer = ColumnScorer(reader, keyword_dir)
        self._scorer = scorer if scorer.available else None
        # Compiled queries and the words they weighed by the query language's rarity (``QueryCompiler.reweighed``).
        self._compiled: dict[tuple[Node, float, str | None], tuple[Any, dict[str, float]]] = {}
        self._rows: np.ndarray | None = None
        self._lock = threading.Lock()

    def rows(self) -> np.ndarray:
        """The store rows this generation holds (live documents), sorted: the committed state's
        articles, which the store can be ahead of while a writer commits (see ``committed_rows``)."""
        with self._lock:
            if self._rows is None:
                self._rows = committed_rows(self._reader, self._scorer)
            return self._rows

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def searcher(self, settings: KeywordSettings) -> Any:
        # Not whoosh's Searcher.refresh(): it opens the latest generation (maybe not yet committed by
        # the manifest) and whoosh-reloaded keeps the old segments in the refreshed reader.
        weighting = (settings.k1, settings.b)
        if self._searcher is None or self._weighting != weighting:
            from whoosh.searching import Searcher

            self.close()
            bm25 = RobertsonBM25F(B=settings.b, K1=settings.k1)
            self._searcher = Searcher(self._reader, weighting=bm25, closereader=False)
            self._weighting = weighting
        return self._searcher

    def compile(self, query: Node, settings: KeywordSettings, language: str | None = None) -> Any:
        """``query`` as whoosh's, for a query in ``language`` (see ``QueryCompiler``) when given."""
        return self._compile(query, settings, language)[0]

    def _compile(self, query: Node, settings: KeywordSettings, language: str | None) -> tuple[Any, dict[str, float]]:
        key = (query, settings.title_boost, language)
        with self._lock:
            found = self._compiled.get(key)
        if found is None:
            rarity = self._rarity if language else None
            compiler = QueryCompiler(self._reader.schema, settings.title_boost, language, rarity)
            found = (compiler.compile(query), compiler.reweighed)
            with self._lock:
                if len(self._compiled) >= _CACHED_QUERIES:
                    self._compiled.pop(next(iter(self._compiled)))
                self._compiled[key] = found
        return found

    def keyword(
        self,
        query: Node,
        depth: int,
        allowed: Sequence[int] | None,
        settings: KeywordSettings,
        watch: Sequence[int] | None,
        restriction: Any,
        language: str | None = None,
    ) -> KeywordMatches:
        """See ``Snapshot.keyword``; ``restriction`` turns the allowed rows into whoosh's filter."""
        if allowed is not None and not allowed:
            return KeywordMatches(run=[], total=0)
        compiled, reweighed = self._compile(query, settings, language)
        searcher = self.searcher(settings)
        plan = self._scorer.plan(compiled, searcher.schema) if self._scorer is not None else None
        if self._scorer is not None and plan is not None:
            restrict = sorted_unique(allowed) if allowed is not None else None
            watched = np.fromiter(watch, dtype=np.int64, count=len(watch)) if watch is not None else None
            found = self._scorer.search(
                plan, searcher, depth, weighting=(settings.k1, settings.b), allowed_rowids=restrict, watch=watched
            )
            run = list(zip(found.rowids.tolist(), found.scores.tolist(), strict=True))
            return KeywordMatches(run=run, total=found.total, watched=found.matched_of.tolist(), reweighed=reweighed)
        options = restriction(searcher, allowed) if allowed is not None else {}
        return KeywordMatches(run=whoosh_top(searcher, compiled, depth, **options), total=None, reweighed=reweighed)

    def _rarity(self, field: str, text: bytes) -> float:
        """The idf both scorers give ``text`` in ``field`` in this generation; infinite where no
        article can have the field (a query language the archive has no articles in reweighs nothing)."""
        stats = collection_stats(self._reader, self._keyword_dir)
        if not stats.group_doc_counts[stats.field_holders(field)].sum():
            return math.inf
        return group_weights(stats, field, text)[0]

    def excluded(self, query: Node, docs: Sequence[int], settings: KeywordSettings) -> set[int]:
        """Those of ``docs`` that match what ``query`` excludes (see ``index.backends.query.excluded_by``)."""
        excluded = excluded_by(query)
        if excluded is None or not docs:
            return set()
        compiled = self.compile(excluded, settings)
        searcher = self.searcher(settings)
        if self._scorer is not None:
            return set(self._scorer.matching_rowids(compiled, searcher).tolist()) & set(docs)
        row_of = docnums_of(searcher, docs)
        found = searcher.search(compiled, filter=set(row_of), limit=None, scored=False)
        return {row_of[docnum] for docnum in found.docs()}

    def distinctive_words(self, article: Article, count: int, settings: KeywordSettings) -> list[str]:
        """The article's ``count`` most distinctive words by tf-idf in its own language's body field
        (whoosh's key terms), words of one or two letters left out."""
        searcher = self.searcher(settings)
        body_field = next(name for name in document(0, article, self._reader.schema) if name.startswith("body"))
        text = f"{article.title}\n{article.text}"
        return [t for t, _ in searcher.key_terms_from_text(body_field, text, numterms=count) if len(t) > 2]


def committed_rows(reader: Any, scorer: ColumnScorer | None) -> np.ndarray:
    """The store row ids of the live documents of ``reader``'s generation, sorted.

    A writer commits the store first and names the new keyword generation and vector file in the
    manifest after (``commit.py``), so a reader of the old state meanwhile finds the new rows in the
    store already; what it lists from the store alone (a filter's articles) is cut to these rows.
    From the column copies when they exist; else from whoosh's ``rowid`` postings (an older index).
    """
    if scorer is not None:
        return scorer.live_rowids()
    from whoosh.reading import TermNotFound

    rows: list[int] = []
    for text in reader.lexicon("rowid"):
        try:
            if any(True for _ in reader.postings("rowid", text).all_ids()):  # deleted documents are left out
                rows.append(int(text))
        except TermNotFound:
            continue
    return np.unique(np.asarray(rows, dtype=np.int64))


def docnums_of(searcher: Any, rows: Iterable[int]) -> dict[int, int]:
    """whoosh's document number of each store row that the keyword index holds: {docnum: row}."""
    from whoosh.reading import TermNotFound

    reader = searcher.reader()
    row_of: dict[int, int] = {}
    for row in rows:
        try:
            row_of.update((docnum, row) for docnum in reader.postings("rowid", str(row)).all_ids())
        except TermNotFound:
            continue
    return row_of


def sorted_unique(rows: Sequence[int]) -> np.ndarray:
    """``rows`` as a sorted array without repeats. A resolved filter already is one (in document-number
    order), and checking that costs a tenth of ``np.unique``'s sort (at 50k rows: 0.2 ms against 2.5)."""
    found = np.asarray(rows, dtype=np.int64)
    if len(found) > 1 and not bool(np.all(found[1:] > found[:-1])):
        found = np.unique(found)
    return found
