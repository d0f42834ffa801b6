"""The optional recency boost, applied after fusion: newer articles rank higher, by a half-life.

Off by default (weight 0), and then the fused run is returned exactly as it came.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from search.ranking.fusion import by_score, normalize

K = TypeVar("K", bound=Hashable)


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
    return by_score({doc: scores[doc] + boosts.get(doc, 0.0) for doc, _score in fused}), boosts


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
