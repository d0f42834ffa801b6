"""One hit per near-duplicate group: a syndicated story shows once, saying how many copies it stands for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def collapse(ranked: Sequence[tuple[int, float]], group_of: Mapping[int, str]) -> list[tuple[int, float]]:
    """Keep the best-ranked member of each group, in rank order; rows without a group stand alone."""
    seen: set[str] = set()
    kept: list[tuple[int, float]] = []
    for rowid, score in ranked:
        group = group_of.get(rowid)
        if group is not None:
            if group in seen:
                continue
            seen.add(group)
        kept.append((rowid, score))
    return kept
