"""Rank fusion as small pure functions over ranked lists of (doc, score), and hybrid mode's settings.

A run is a list of ``(doc_id, score)`` pairs, best first. Every function returns a fused run,
best first, ties broken by doc id so results are deterministic. What stays of a fused run (the
result set) is ``result_set.py``'s; the recency boost after fusion is ``recency.py``'s.

Articles in another language than the query's (``foreign``) cannot match its words, except names
and numbers: the keyword side's silence about them is no evidence against them, and fusing them
like any other article pulled good cross-language hits below semantic search alone (issue 15).
For them, ``cross_language`` of their semantic evidence stands in for the keyword evidence they
cannot have (their own keyword evidence counts where it is higher): 0 fuses them like any other
article, 1 by their semantic rank alone. The share is the query language's (``CROSS_LANGUAGE_SHARE``)
unless the settings fix one. Measured in docs/relevance.md ("One archive, several languages").
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

K = TypeVar("K", bound=Hashable)
Run = Sequence[tuple[K, float]]
Normalization = Literal["minmax", "zscore"]

DEFAULT_RRF_K = 60
# The share of an article's semantic evidence that stands in for its keyword evidence when it is in
# another language than the query, for a query language not measured below: the smallest share at
# which hybrid was not below semantic search alone in either direction (docs/relevance.md).
DEFAULT_CROSS_LANGUAGE = 0.5
# By the query's language (its keyword fields' code), chosen on our cross-language development set
# with the query's words weighed by their rarity in its language and each language's centering
# (search.ranking.languages.CENTERING_STRENGTH), hybrid MRR@10 on the mixed archive. English
# headlines / English translations of Indonesian headlines: 0.876 / 0.899 at 0.5, 0.876 / 0.919 at
# 0.75, 0.875 / 0.921 at 1. Indonesian headlines / Indonesian translations of English headlines,
# centered wholly: 0.9734 / 0.684 at 0.5, 0.9727 / 0.701 at 0.65, 0.9720 / 0.708 at 0.75, 0.9717 /
# 0.710 at 0.8 (0.9766 on indosum-dev alone; the target is within 0.005 and at least 0.70).
CROSS_LANGUAGE_SHARE: Mapping[str, float] = {"en": 0.75, "id": 0.75}


def reciprocal_rank_fusion(
    runs: Sequence[Run[K]], *, k: float = DEFAULT_RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[K, float]]:
    """RRF (Cormack et al. 2009): score(d) = sum over runs of w / (k + rank(d)), ranks from 1."""
    if k < 0:
        raise ValueError("rrf k must be >= 0")
    weights = weights or [1.0] * len(runs)
    fused: dict[K, float] = {}
    for run, weight in zip(runs, weights, strict=True):
        for rank, (doc, _score) in enumerate(run, start=1):
            fused[doc] = fused.get(doc, 0.0) + weight / (k + rank)
    return by_score(fused)


def rrf_parts(
    keyword_run: Run[K], semantic_run: Run[K], *, k: float, foreign: Collection[K] = (), cross_language: float = 0.0
) -> dict[K, tuple[float, float]]:
    """What each side adds to each document's RRF score: (keyword, semantic). A ``foreign``
    document's keyword part is at least ``cross_language`` times its semantic part."""
    if k < 0:
        raise ValueError("rrf k must be >= 0")
    if not 0.0 <= cross_language <= 1.0:
        raise ValueError("cross_language must be between 0 and 1")
    parts: dict[K, list[float]] = {}
    for side, run in enumerate((keyword_run, semantic_run)):
        for rank, (doc, _score) in enumerate(run, start=1):
            parts.setdefault(doc, [0.0, 0.0])[side] = 1.0 / (k + rank)
    for doc in foreign:
        if doc in parts:
            parts[doc][0] = max(parts[doc][0], cross_language * parts[doc][1])
    return {doc: (keyword, semantic) for doc, (keyword, semantic) in parts.items()}


def normalize(run: Run[K], method: Normalization = "minmax") -> dict[K, float]:
    """Scores of one run mapped to a common scale: min-max to [0, 1], or z-scores."""
    if not run:
        return {}
    scores = [score for _doc, score in run]
    if method == "minmax":
        low, high = min(scores), max(scores)
        span = high - low
        # A run whose scores are all equal carries rank information only: give each doc full weight.
        return {doc: (score - low) / span if span > 0 else 1.0 for doc, score in run}
    if method == "zscore":
        mean = sum(scores) / len(scores)
        std = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
        return {doc: (score - mean) / std if std > 0 else 0.0 for doc, score in run}
    raise ValueError(f"unknown normalization {method!r}")


def weighted_fusion(
    keyword_run: Run[K], semantic_run: Run[K], *, alpha: float = 0.5, normalization: Normalization = "minmax"
) -> list[tuple[K, float]]:
    """alpha * semantic + (1 - alpha) * keyword, each normalized within its own run.

    A document missing from a run gets that run's lowest normalized score (0 for min-max), the
    same as the weakest document the retriever did return: absence is weak evidence, not a penalty
    below everything the retriever found.
    """
    parts = weighted_parts(keyword_run, semantic_run, alpha=alpha, normalization=normalization)
    return by_score({doc: keyword + semantic for doc, (keyword, semantic) in parts.items()})


def weighted_parts(
    keyword_run: Run[K],
    semantic_run: Run[K],
    *,
    alpha: float,
    normalization: Normalization,
    foreign: Collection[K] = (),
    cross_language: float = 0.0,
) -> dict[K, tuple[float, float]]:
    """What each side adds to each document's weighted-fusion score: (keyword, semantic).

    A ``foreign`` document's normalized keyword score is at least ``cross_language`` of the way
    from the keyword floor to its normalized semantic score (see the module docstring)."""
    if not 0.0 <= alpha <= 1.0:
        raise ValueError("alpha must be between 0 and 1")
    if not 0.0 <= cross_language <= 1.0:
        raise ValueError("cross_language must be between 0 and 1")
    keyword_scores, keyword_floor = _scaled(keyword_run, normalization)
    semantic_scores, semantic_floor = _scaled(semantic_run, normalization)
    parts: dict[K, tuple[float, float]] = {}
    for doc in keyword_scores.keys() | semantic_scores.keys():
        keyword = keyword_scores.get(doc, keyword_floor)
        semantic = semantic_scores.get(doc, semantic_floor)
        if doc in foreign:
            keyword = max(keyword, keyword_floor + cross_language * (semantic - keyword_floor))
        parts[doc] = ((1.0 - alpha) * keyword, alpha * semantic)
    return parts


def _scaled(run: Run[K], method: Normalization) -> tuple[dict[K, float], float]:
    """A run's normalized scores and what a document it did not return gets.

    A run whose scores are all equal (a query with one keyword match, say) says only which documents
    were found: they get 1 and the others 0, on either scale. With the floor at the run's minimum, as
    for other runs, they would equal the documents it never returned and the side would add nothing:
    on the sample archive the one article containing "solar eclipse" ranked third in hybrid mode,
    behind two unrelated stories.
    """
    scores = normalize(run, method)
    if len({score for _doc, score in run}) == 1:
        return dict.fromkeys(scores, 1.0), 0.0
    return scores, min(scores.values(), default=0.0)


def by_score(scores: Mapping[K, float]) -> list[tuple[K, float]]:
    return sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))


@dataclass(frozen=True)
class FusionSettings:
    """How hybrid mode combines the two runs. ``depth`` is the minimum candidate list length per retriever."""

    # Defaults chosen by the fusion sweep of benchmarks/relevance.py on the shared English (bbc-news)
    # and Indonesian (indosum-dev) sets: the best mean MRR@10 over both; see the table in docs/relevance.md.
    method: Literal["rrf", "weighted"] = "weighted"
    rrf_k: float = DEFAULT_RRF_K
    alpha: float = 0.5
    normalization: Normalization = "zscore"
    depth: int = 100
    # None: the query language's share (``share``); a number: that share for every query language.
    cross_language: float | None = None

    def share(self, language: str | None) -> float:
        """The cross-language share for a query in ``language`` (a keyword-field code, or None)."""
        if self.cross_language is not None:
            return self.cross_language
        return CROSS_LANGUAGE_SHARE.get(language or "", DEFAULT_CROSS_LANGUAGE)

    def fuse(
        self, keyword_run: Run[K], semantic_run: Run[K], foreign: Collection[K] = (), language: str | None = None
    ) -> list[tuple[K, float]]:
        """The fused run; ``foreign`` are the documents in another language than the query's, which
        is ``language`` (a keyword-field code: it picks the cross-language share)."""
        if self.method not in ("rrf", "weighted"):
            raise ValueError(f"unknown fusion method {self.method!r}: use rrf or weighted")
        if self.method == "rrf" and not foreign:
            return reciprocal_rank_fusion([keyword_run[: self.depth], semantic_run[: self.depth]], k=self.rrf_k)
        return by_score(
            {
                doc: keyword + semantic
                for doc, (keyword, semantic) in self.contributions(keyword_run, semantic_run, foreign, language).items()
            }
        )

    def contributions(
        self, keyword_run: Run[K], semantic_run: Run[K], foreign: Collection[K] = (), language: str | None = None
    ) -> dict[K, tuple[float, float]]:
        """What each side added to each fused document's score (for explanations): (keyword, semantic)."""
        keyword_run, semantic_run = keyword_run[: self.depth], semantic_run[: self.depth]
        share = self.share(language)
        if self.method == "rrf":
            return rrf_parts(keyword_run, semantic_run, k=self.rrf_k, foreign=foreign, cross_language=share)
        return weighted_parts(
            keyword_run, semantic_run, alpha=self.alpha, normalization=self.normalization, foreign=foreign,
            cross_language=share,
        )  # fmt: skip

    def describe(self) -> str:
        across = f" cross-language={self.cross_language:g}" if self.cross_language is not None else ""
        if self.method == "rrf":
            return f"rrf k={self.rrf_k:g} depth={self.depth}{across}"
        return f"weighted alpha={self.alpha:g} {self.normalization} depth={self.depth}{across}"
