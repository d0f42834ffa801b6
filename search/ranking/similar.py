"""More like this: the articles related to a stored one, ranked by the search pipeline.

Two retrievals replace the query's: the source's nearest neighbours by its stored embedding, and
the articles sharing its most distinctive words (the backend's tf-idf over the source's own
language, as ``Term`` nodes). The source and its near-copies leave both runs; the rest is the
pipeline's fusion and page, with nothing cut by the floor and no collapse (the neighbours are the
result set).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.article import Article
from index.backends.base import Run, Snapshot
from index.backends.query import Bool, Term
from index.errors import ArticleNotFoundError
from search.query.parser import ParsedQuery
from search.ranking.pipeline import Page, Pipeline, Request

# A neighbour this close (cosine of the embeddings as the encoder made them) to the source is a copy
# of it, not a related article. Measured with multilingual-e5-small on indosum-dev (3,463 articles,
# no copies among them): the closest two distinct stories reach 0.971; edited copies of 60 of its
# articles (last paragraph dropped, a paragraph added, a dateline added, one word in 30 replaced)
# stay at or above 0.986.
NEAR_COPY_COSINE = 0.98
# The nearest neighbours whose stored embeddings are compared with the source's. The search's own
# scores cannot tell: in an archive centered per language (index.backends.local.centering) an
# article scores about 0.94 against itself, and a copy at 0.986 about 0.88, below any threshold
# that spares related stories. Copies are the nearest neighbours, so the first few are enough.
COPY_CHECKS = 20
# A source scoring this against itself is searched as embedded (float32 rounding aside).
AS_EMBEDDED = 0.9999
# How many distinctive words make the keyword side's query.
KEY_TERMS = 15


def similar(
    pipeline: Pipeline, snapshot: Snapshot, doc: int, source: Article, *, limit: int, offset: int, allowed: Sequence[int] | None
) -> Page:
    """One page of the articles related to ``source`` (stored as ``doc``), inside ``allowed``."""
    vector = snapshot.embedding(doc)
    if vector is None:
        raise ArticleNotFoundError(f"article {source.id!r} has no stored embedding: run `news-search index --rebuild`")
    depth = max(pipeline.fusion.depth, 10 * limit)
    semantic_run = snapshot.nearest(vector[None, :], depth + 1, allowed)[0]
    parsed = more_like_query(snapshot, pipeline, source)
    keyword_run = pipeline.keyword_run(snapshot, parsed, depth + 1, allowed)
    copies = _near_copies(snapshot, doc, source.id, vector, semantic_run)
    semantic_run = [(d, s) for d, s in semantic_run if d not in copies]
    keyword_run = [(d, s) for d, s in keyword_run if d not in copies]
    fused = pipeline.fuse(keyword_run, semantic_run, depth)
    request = Request(parsed, "hybrid", limit, offset, list(allowed) if allowed is not None else None, collapse_copies=False)
    return pipeline.finish(snapshot, fused, parsed, request)


def more_like_query(snapshot: Snapshot, pipeline: Pipeline, article: Article) -> ParsedQuery:
    """A keyword query of the article's most distinctive words (none: a query that finds nothing)."""
    terms = tuple(snapshot.distinctive_words(article, KEY_TERMS, pipeline.keyword))
    text = " ".join(terms)
    if not terms:
        return ParsedQuery(text="", query=None, free_text="", terms=(), browse=True)
    query = Bool(should=tuple(Term(term, article.lang) for term in terms))
    return ParsedQuery(text=text, query=query, free_text=text, terms=terms)


def _near_copies(snapshot: Snapshot, doc: int, article_id: str, vector: np.ndarray, neighbours: Run) -> set[int]:
    """The source, its near-duplicate group, and neighbours whose embeddings say they are copies."""
    copies = {doc} | {d for d, score in neighbours if score >= NEAR_COPY_COSINE}
    if dict(neighbours).get(doc, 0.0) >= AS_EMBEDDED:
        # The source scores 1 against itself: the search compares the vectors as embedded, so its
        # scores already are the cosines to judge by (and no backend is asked for more embeddings).
        return copies | _grouped(snapshot, article_id, neighbours)
    for neighbour, _score in neighbours[:COPY_CHECKS]:
        if neighbour in copies:
            continue
        stored = snapshot.embedding(neighbour)
        if stored is not None and _cosine(vector, stored) >= NEAR_COPY_COSINE:
            copies.add(neighbour)
    return copies | _grouped(snapshot, article_id, neighbours)


def _grouped(snapshot: Snapshot, article_id: str, neighbours: Run) -> set[int]:
    """The neighbours in the source's near-duplicate group."""
    group = snapshot.group_of(article_id)
    return {d for d, g in snapshot.groups([d for d, _ in neighbours]).items() if g == group}


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b)) / norms if norms else 0.0
