"""The result set of semantic and hybrid queries: what a query matches, not every neighbour.

A retriever of nearest neighbours always answers; ``matching`` keeps the keyword matches and the
neighbours above the index's own floor, which ``SemanticFloor`` calibrates once per committed
state from meaningless queries (measurements below).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from index.backends.base import Snapshot
    from index.embed.base import Encoder

K = TypeVar("K", bound=Hashable)

#
# A retriever of nearest neighbours always answers, so in semantic and hybrid modes the articles a
# query *matches* are its keyword matches plus the semantic neighbours that are closer than a
# meaningless query gets: every index calibrates its own floor from CALIBRATION_QUERIES random
# letter strings (the same for every index), as the mean plus NULL_MARGIN_SD standard deviations
# of the best cosine each of them reaches in the archive. Cosine scales differ between models and
# archives (the calibration strings' best cosine with multilingual-e5-small: 0.820 +- 0.008 on
# bbc-news, 0.854 +- 0.011 on indosum-dev; floors 0.835 e5, 0.512 MiniLM, 0.284 hashing-256 on the
# 41-article sample), so no absolute floor fits them all. Measured by benchmarks/result_set.py
# (docs/design.md, "Result set"): at 2, 2.5 or 3 deviations every relevant article that was a
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


# Across languages the keyword side cannot match, so the floor alone decided whether an article in
# another language than the query's was in the set, and a floor calibrated on letter strings sits
# above many good cross-language hits: on the mixed bbc-news + indosum-dev archive the pages a
# search showed found English->Indonesian queries' articles at MRR@10 0.850 and Indonesian->English
# at 0.684, against 0.911 / 0.706 for the fused runs (docs/relevance.md). So a query that matches
# some article by its words (a meaningless one does not, and the floor alone still guards it) also
# keeps the articles in other languages among its CROSS_LANGUAGE_NEIGHBOURS nearest neighbours
# that are closer than a meaningless query's best on average (NEIGHBOUR_MARGIN_SD deviations above
# the calibration strings' mean). Measured on cached runs of that set (exact cosines, the default
# centering), MRR@10 of the cut pages English / Indonesian / en->id / id->en, and the articles
# this lets into the set per English / Indonesian headline query, none of them the judged one:
#   floor alone         0.8743 0.9710 0.8597 0.6820   0    0
#   10 nearest, mean    0.8735 0.9691 0.9120 0.7062   0.12 2.02
#   10 nearest, +1 sd   0.8738 0.9695 0.9085 0.7006   0.03 1.07
#   10 nearest, +2 sd   0.8743 0.9703 0.8859 0.6944   0    0.36
#   10 nearest, any     0.8733 0.9685 0.9112 0.7070   0.79 3.20
# The same-language pages lose what the floor had won by cutting other-language neighbours that
# fusion ranked on them (0.0008 English, 0.0019 Indonesian at the mean).
CROSS_LANGUAGE_NEIGHBOURS = 10
NEIGHBOUR_MARGIN_SD = 0.0


@dataclass(frozen=True)
class Floors:
    """The cosines of one index's result set: ``match``, the one any neighbour must reach;
    ``neighbour``, the lower one an article in another language than the query's must reach among
    the query's nearest neighbours (``cross_language_neighbours``)."""

    match: float
    neighbour: float


def cross_language_neighbours(
    semantic_run: Sequence[tuple[K, float]],
    foreign: Collection[K],
    keyword_matches: Collection[K],
    floor: float,
    count: int = CROSS_LANGUAGE_NEIGHBOURS,
) -> set[K]:
    """The candidates in another language than the query's (``foreign``) among its ``count`` nearest
    neighbours whose cosine reaches ``floor``, for a query that matches some article by its words;
    none for one that matches none."""
    if not keyword_matches or not foreign:
        return set()
    return {doc for doc, cosine in semantic_run[:count] if doc in foreign and cosine >= floor}


def calibration_vectors(encoder: Any, cache_dir: Path | None = None) -> Any:
    """The calibration queries embedded by ``encoder`` (an ``index.embed.base.Encoder``), as a float32 matrix.

    Embedding them costs a cold query more than its whole budget (multilingual-e5-small on the
    2-core machine: 0.57 s one by one, 3.1 s as one padded batch), so they are embedded once per
    machine and model and kept in ``cache_dir`` (the model cache), keyed by the model, its revision,
    dimension and strings; an unwritable cache only means embedding them again next time.
    """
    import hashlib

    import numpy as np

    queries = calibration_queries()
    # A conversion of the model in another format embeds them slightly differently (``OnnxEncoder.revision``).
    revision = getattr(encoder, "revision", None)
    key = hashlib.sha256(
        json.dumps([encoder.name, encoder.dim, *([revision] if revision else []), queries]).encode()
    ).hexdigest()[:16]
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


class SemanticFloor:
    """The floor of one index, calibrated once per committed state (its generation number) and
    centering strength (``search.ranking.languages.centering_strength``: a query centered less
    scores its neighbours higher, one centered more lower); the calibration vectors are embedded
    once per reader (and kept in the model cache)."""

    def __init__(self) -> None:
        self._floors: dict[tuple[int, float], Floors] = {}  # replaced whole: readers may share it across threads
        self._vectors: Any = None

    def of(self, snapshot: Snapshot, encoder: Callable[[], Encoder], strength: float = 1.0) -> float:
        """The cosine a semantic neighbour must reach to be in a query's result set in this state."""
        return self.levels(snapshot, encoder, strength).match

    def levels(self, snapshot: Snapshot, encoder: Callable[[], Encoder], strength: float = 1.0) -> Floors:
        """Both floors of this state (see ``Floors``), from one calibration."""
        key = (snapshot.generation, strength)
        floors = self._floors.get(key)
        if floors is None:
            best: list[float] = []
            if snapshot.vector_count():
                if self._vectors is None:
                    from index.embed.loading import model_cache_dir

                    self._vectors = calibration_vectors(encoder(), model_cache_dir())
                strengths = [strength] * len(self._vectors)
                best = [run[0][1] for run in snapshot.nearest(self._vectors, 1, None, strengths) if run]
            floors = Floors(semantic_floor(best), semantic_floor(best, NEIGHBOUR_MARGIN_SD))
            self._floors = {**{k: v for k, v in self._floors.items() if k[0] == snapshot.generation}, key: floors}
        return floors
