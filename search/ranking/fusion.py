"""Rank fusion as small pure functions over ranked lists of (doc, score).

A run is a list of ``(doc_id, score)`` pairs, best first. Every function returns a fused run,
best first, ties broken by doc id so results are deterministic.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

K = TypeVar("K", bound=Hashable)
Run = Sequence[tuple[K, float]]
Normalization = Literal["minmax", "zscore"]

DEFAULT_RRF_K = 60


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
    return _sorted(fused)


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
    if not 0.0 <= alpha <= 1.0:
        raise ValueError("alpha must be between 0 and 1")
    keyword_scores = normalize(keyword_run, normalization)
    semantic_scores = normalize(semantic_run, normalization)
    keyword_floor = min(keyword_scores.values(), default=0.0)
    semantic_floor = min(semantic_scores.values(), default=0.0)
    fused: dict[K, float] = {}
    for doc in keyword_scores.keys() | semantic_scores.keys():
        fused[doc] = (1.0 - alpha) * keyword_scores.get(doc, keyword_floor) + alpha * semantic_scores.get(doc, semantic_floor)
    return _sorted(fused)


def _sorted(scores: Mapping[K, float]) -> list[tuple[K, float]]:
    return sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))


@dataclass(frozen=True)
class FusionSettings:
    """How hybrid mode combines the two runs. ``depth`` is the minimum candidate list length per retriever."""

    # Defaults chosen by the fusion sweep of benchmarks/relevance.py on the shared English (bbc-news)
    # and Indonesian (indosum-dev) sets: the best mean MRR@10 over both; see the README's table.
    method: Literal["rrf", "weighted"] = "weighted"
    rrf_k: float = DEFAULT_RRF_K
    alpha: float = 0.5
    normalization: Normalization = "zscore"
    depth: int = 100

    def fuse(self, keyword_run: Run[K], semantic_run: Run[K]) -> list[tuple[K, float]]:
        keyword_run, semantic_run = keyword_run[: self.depth], semantic_run[: self.depth]
        if self.method == "rrf":
            return reciprocal_rank_fusion([keyword_run, semantic_run], k=self.rrf_k)
        if self.method == "weighted":
            return weighted_fusion(keyword_run, semantic_run, alpha=self.alpha, normalization=self.normalization)
        raise ValueError(f"unknown fusion method {self.method!r}: use rrf or weighted")

    def contributions(self, keyword_run: Run[K], semantic_run: Run[K]) -> dict[K, tuple[float, float]]:
        """What each side added to each fused document's score (for explanations): (keyword, semantic)."""
        keyword_run, semantic_run = keyword_run[: self.depth], semantic_run[: self.depth]
        if self.method == "rrf":
            parts: dict[K, list[float]] = {}
            for side, run in enumerate((keyword_run, semantic_run)):
                for rank, (doc, _score) in enumerate(run, start=1):
                    parts.setdefault(doc, [0.0, 0.0])[side] = 1.0 / (self.rrf_k + rank)
            return {doc: (k, s) for doc, (k, s) in parts.items()}
        keyword_scores = normalize(keyword_run, self.normalization)
        semantic_scores = normalize(semantic_run, self.normalization)
        keyword_floor = min(keyword_scores.values(), default=0.0)
        semantic_floor = min(semantic_scores.values(), default=0.0)
        return {
            doc: (
                (1.0 - self.alpha) * keyword_scores.get(doc, keyword_floor),
                self.alpha * semantic_scores.get(doc, semantic_floor),
            )
            for doc in keyword_scores.keys() | semantic_scores.keys()
        }

    def describe(self) -> str:
        if self.method == "rrf":
            return f"rrf k={self.rrf_k:g} depth={self.depth}"
        return f"weighted alpha={self.alpha:g} {self.normalization} depth={self.depth}"


@dataclass(frozen=True)
class RecencySettings:
    """An optional boost for newer articles, applied after fusion. Off (weight 0) by default.

    The fused scores are rescaled to [0, 1] within the result set, then each article gains
    ``weight * 0.5 ** (age / half_life_days)``, its age counted back from the newest article in the
    archive (not from today, so results do not drift as time passes). Undated articles gain nothing.
    """

    weight: float = 0.0
    half_life_days: float = 365.0

    @property
    def active(self) -> bool:
        return self.weight > 0.0

    def __post_init__(self) -> None:
        if self.weight < 0:
            raise ValueError("the recency weight must be >= 0")
        if self.half_life_days <= 0:
            raise ValueError("the recency half-life must be > 0 days")


def apply_recency(
    fused: Sequence[tuple[K, float]], dates: Mapping[K, str | None], settings: RecencySettings, reference: str | None
) -> tuple[list[tuple[K, float]], dict[K, float]]:
    """The fused run re-ranked with the recency boost, and the boost each document got.

    With the boost off the run is returned exactly as it came: same order, same scores.
    """
    if not settings.active or not fused or reference is None:
        return list(fused), {}
    newest = _day(reference)
    if newest is None:
        return list(fused), {}
    scores = normalize(list(fused), "minmax")
    boosts: dict[K, float] = {}
    for doc, _score in fused:
        day = _day(dates.get(doc))
        if day is not None:
            age = max(0, (newest - day).days)
            boosts[doc] = settings.weight * 0.5 ** (age / settings.half_life_days)
    return _sorted({doc: scores[doc] + boosts.get(doc, 0.0) for doc, _score in fused}), boosts


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# -- the result set of semantic and hybrid queries -----------------------------------------------
#
# A retriever of nearest neighbours always answers, so in semantic and hybrid modes the articles a
# query *matches* are its keyword matches plus the semantic neighbours that are closer than a
# meaningless query gets: every index calibrates its own floor from CALIBRATION_QUERIES random
# letter strings (the same for every index), as the mean plus NULL_MARGIN_SD standard deviations
# of the best cosine each of them reaches in the archive. Cosine scales differ between models and
# archives (the calibration strings' best cosine with multilingual-e5-small: 0.820 +- 0.008 on
# bbc-news, 0.854 +- 0.011 on indosum-dev; floors 0.835 e5, 0.512 MiniLM, 0.284 hashing-256 on the
# 41-article sample), so no absolute floor fits them all. Measured by benchmarks/result_set.py
# (README, "Result set and pages"): at 2, 2.5 or 3 deviations every relevant article that was a
# fused candidate stays in the set on both sets and hybrid MRR@10 is unchanged; 3 is the strictest
# of them against nonsense: 0 of 20 fresh random strings match anything (an earlier run with 300
# strings of another seed: 0-1 of 300 keep one article at 3 deviations, 1-4 at 2.5, 5-6 at 2).
CALIBRATION_QUERIES = 32
CALIBRATION_SEED = 20_240_601
NULL_MARGIN_SD = 3.0


def calibration_queries(count: int = CALIBRATION_QUERIES, seed: int = CALIBRATION_SEED) -> list[str]:
    """Meaningless queries: one to three random lower-case letter strings of 4 to 12 letters."""
    import random
    import string

    rng = random.Random(seed)
    return [
        " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 12))) for _ in range(rng.randint(1, 3)))
        for _ in range(count)
    ]


def semantic_floor(null_best: Sequence[float], margin_sd: float = NULL_MARGIN_SD) -> float:
    """The cosine a semantic neighbour must reach to match, from the best cosines meaningless
    queries reach in the archive; +inf (nothing passes) when there are none (an empty archive)."""
    if not null_best:
        return math.inf
    mean = sum(null_best) / len(null_best)
    std = math.sqrt(sum((s - mean) ** 2 for s in null_best) / len(null_best))
    return mean + margin_sd * std


def matching(
    run: Sequence[tuple[K, float]], keyword_matches: Collection[K], cosines: Mapping[K, float], floor: float
) -> list[tuple[K, float]]:
    """The run without the candidates that the query does not match: a candidate stays when it
    matches the keyword query or its cosine reaches ``floor``. Order and scores are kept, so the
    ranking of what stays is the ranking before the cut."""
    return [(doc, score) for doc, score in run if doc in keyword_matches or cosines.get(doc, -math.inf) >= floor]


def calibration_vectors(encoder: Any, cache_dir: Path | None = None) -> Any:
    """The calibration queries embedded by ``encoder`` (an ``index.embeddings.Encoder``), as a float32 matrix.

    Embedding them costs a cold query more than its whole budget (multilingual-e5-small on the
    2-core machine: 0.57 s one by one, 3.1 s as one padded batch), so they are embedded once per
    machine and model and kept in ``cache_dir`` (the model cache), keyed by the model, dimension
    and strings; an unwritable cache only means embedding them again next time.
    """
    import hashlib

    import numpy as np

    queries = calibration_queries()
    key = hashlib.sha256(json.dumps([encoder.name, encoder.dim, queries]).encode()).hexdigest()[:16]
    path = cache_dir / "calibration" / f"{key}.npy" if cache_dir is not None else None
    if path is not None and path.is_file():
        with contextlib.suppress(OSError, ValueError):
            cached = np.load(path)
            if cached.shape == (len(queries), encoder.dim):
                return cached.astype(np.float32)
    # One at a time: a padded batch of short, oddly tokenized strings is slower than its parts.
    matrix = np.vstack([np.asarray(encoder.encode_queries([q]), dtype=np.float32) for q in queries])
    if path is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as handle:
                np.save(handle, matrix)
            os.replace(tmp, path)
    return matrix
