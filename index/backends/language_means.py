"""The arithmetic of per-language centering, shared by both backends (issue 15).

An archive of several languages compares embeddings centered on their language's mean: each
article's vector less the mean of its language (then normalized again), and each query's less the
mean of the language means, so that no language is preferred. How the means are taken and kept is
each backend's own: the local index takes them over a sample of the stored articles and writes
the centered vectors into its vector file (``index.backends.local.centering``); a cluster keeps
sums per language in its commit record and centers the candidates of a k-NN search as it reads
them (``index.backends.opensearch.centering``).

A search may take out another share of the means: its ``strength`` (1 by default, the whole of
them; less, or more), which the read path chooses by the query's language. Both backends then
score their nearest candidates again from the embeddings as stored (``candidates`` and
``rescored_candidates`` say how many).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

# A language gets a mean once it has this many articles (measured on the mixed archive: a mean of
# 100 articles drawn at random centers as well as one of all of them, cross-language MRR@10 within
# 0.01; fewer, and one topic can pass for the language). Centering starts at two such languages.
MIN_ARTICLES = 100


def query_mean(means: Mapping[str, np.ndarray]) -> np.ndarray | None:
    """The mean of the language means, which queries (and articles of a language without a mean)
    are centered on; None below two languages, where nothing is centered."""
    if len(means) < 2:
        return None
    return np.asarray(np.stack([means[lang] for lang in sorted(means)]).mean(axis=0, dtype=np.float64))


def candidates(depth: int) -> int:
    """Neighbours to ask of each language of a cluster's centered k-NN search, probed with the
    centered query, for the language's best ``depth`` to be among them: a tenth more (on the mixed
    archive they held 99.7-100% of each language's exact centered top 100)."""
    return depth + depth // 10


def rescored_candidates(depth: int) -> int:
    """Neighbours to take from a vector file centered wholly for a query centered otherwise, to score
    again: twice ``depth``. On the mixed archive the best 10 of English queries at 0.7, re-scored
    from the nearest 110, were those of the exact scan for 99.97% of them, but fusion reads the
    whole list of 100 (hybrid MRR@10 0.873 from 110, 0.875 from 200 and exactly), and a shallow
    search (a page of 10) has no margin at all."""
    return 2 * depth


def center_rows(
    matrix: np.ndarray, langs: Sequence[str | None], means: Mapping[str, np.ndarray], strength: float = 1.0
) -> np.ndarray:
    """The rows of ``matrix`` less ``strength`` times their language's mean (the query mean for a
    language without one), normalized; the rows as given where nothing is centered."""
    fallback = query_mean(means)
    if fallback is None or not len(matrix):
        return np.asarray(matrix, dtype=np.float32)
    shifts = np.stack([means[lang] if lang is not None and lang in means else fallback for lang in langs])
    return _normalized(np.asarray(matrix, dtype=np.float64) - strength * shifts)


def center_queries(queries: np.ndarray, means: Mapping[str, np.ndarray], strength: float = 1.0) -> np.ndarray:
    """Query vectors less ``strength`` times the query mean, normalized (as given where nothing is centered)."""
    mean = query_mean(means)
    if mean is None:
        return np.asarray(queries, dtype=np.float32)
    return _normalized(np.asarray(queries, dtype=np.float64) - strength * mean)


def centered_cosines(
    query: np.ndarray,
    matrix: np.ndarray,
    langs: Sequence[str | None],
    means: Mapping[str, np.ndarray],
    strength: float = 1.0,
) -> np.ndarray:
    """The cosine of ``query`` (as embedded) with each row of ``matrix`` (as embedded, in ``langs``),
    both centered at ``strength``: 1 takes each language's whole mean out, 0 compares them as embedded."""
    rows = center_rows(matrix, langs, means, strength)
    centered = center_queries(np.asarray(query, dtype=np.float64)[None, :], means, strength)[0]
    return np.asarray(rows @ centered, dtype=np.float64)


def _normalized(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(rows / np.where(norms > 0, norms, 1.0), dtype=np.float32)
