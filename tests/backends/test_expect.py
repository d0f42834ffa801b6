"""The exact and relaxed checks themselves, on made-up rankings (no backend needed)."""

from __future__ import annotations

import pytest

from tests.backends.conftest import Backend
from tests.backends.expect import TOP10_OVERLAP, expect_matches, expect_ranking


def fake(exact: bool) -> Backend:
    def nowhere(*_: str) -> str:
        raise AssertionError("not used")

    return Backend("fake", exact=exact, new_location=nowhere, copy_location=nowhere)


PINNED = [f"doc{n}" for n in range(12)]


def test_an_exact_backend_must_give_the_pinned_order() -> None:
    expect_ranking(fake(True), PINNED, PINNED)
    with pytest.raises(AssertionError):
        expect_ranking(fake(True), [PINNED[0], PINNED[2], PINNED[1], *PINNED[3:]], PINNED)


def test_a_relaxed_backend_may_reorder_below_the_top_hit_but_keeps_most_of_the_top_10() -> None:
    relaxed = fake(False)
    expect_ranking(relaxed, [PINNED[0], *reversed(PINNED[1:10])], PINNED)
    kept = round(10 * TOP10_OVERLAP)
    expect_ranking(relaxed, [*PINNED[:kept], "other1", "other2", "other3"], PINNED)
    with pytest.raises(AssertionError, match="top hit"):
        expect_ranking(relaxed, [PINNED[1], PINNED[0], *PINNED[2:]], PINNED)
    with pytest.raises(AssertionError, match="overlap"):
        expect_ranking(relaxed, [*PINNED[: kept - 1], "x1", "x2", "x3", "x4"], PINNED)


def test_matches_are_exact_for_every_backend_but_ignore_order() -> None:
    expect_matches(["b", "a"], ("a", "b"))
    with pytest.raises(AssertionError):
        expect_matches(["a"], ("a", "b"))
