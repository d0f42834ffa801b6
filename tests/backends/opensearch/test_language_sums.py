"""The writer's bookkeeping of language sums (index/backends/opensearch/centering.py), without a
cluster: what a batch stages, replaces and deletes, and what a failed batch leaves."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from index.backends import language_means
from index.backends.opensearch import mapping
from index.backends.opensearch.centering import LanguageSums, Stored, centered_scores, decoded, means_of


def vec(*values: float) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def stored_as(versions: dict[str, tuple[str, np.ndarray | None]]) -> Stored:
    """The stored versions a real-time mget would return, for the ids asked."""

    def stored(ids: Sequence[str]) -> dict[str, tuple[str, np.ndarray | None]]:
        return {i: versions[i] for i in ids if i in versions}

    return stored


def test_a_batch_adds_new_articles_and_takes_out_the_versions_it_replaces_or_deletes() -> None:
    sums = LanguageSums()
    sums.begin()
    sums.stage("a", "en", vec(1, 0), existed=False)
    sums.stage("b", "id", vec(0, 1), existed=False)
    sums.settle(stored_as({}))
    sums.keep()
    sums.begin()
    sums.stage("a", "id", vec(0, 2), existed=True)  # changed, and now in another language
    sums.stage("c", "en", vec(3, 0), existed=False)
    sums.stage("c", "en", vec(4, 0), existed=False)  # staged twice in one batch: the last counts
    sums.stage_delete("b")
    sums.settle(stored_as({"a": ("en", vec(1, 0)), "b": ("id", vec(0, 1))}))
    sums.keep()
    assert sums.counts == {"en": 1, "id": 1}
    np.testing.assert_allclose(sums.sums["en"], vec(4, 0))
    np.testing.assert_allclose(sums.sums["id"], vec(0, 2))


def test_a_failed_batch_leaves_the_sums_as_they_were() -> None:
    sums = LanguageSums({"en": 1}, {"en": vec(1, 0)})
    sums.begin()
    sums.stage("x", "en", vec(5, 5), existed=False)
    sums.stage_delete("y")
    sums.rollback()
    assert sums.counts == {"en": 1}
    np.testing.assert_allclose(sums.sums["en"], vec(1, 0))


def test_the_record_round_trips_and_means_need_min_articles_of_a_named_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language_means, "MIN_ARTICLES", 2)
    sums = LanguageSums({"en": 2, "id": 1, "": 5}, {"en": vec(2, 0), "id": vec(0, 1), "": vec(5, 5)})
    again = LanguageSums.from_record(sums.record())
    assert again is not None and again.counts == sums.counts
    assert sorted(means_of(sums.record())) == ["en"]  # "id" is too small, "" names no language
    assert LanguageSums.from_record({"method": "another"}) is None and means_of(None) == {}


def test_centered_scores_are_cosines_of_vectors_less_their_language_mean() -> None:
    means = {"en": vec(0.6, 0.0, 0.0), "id": vec(0.0, 0.6, 0.0)}
    query = vec(0.8, 0.0, 0.6)
    docs = [(1, "en", vec(0.8, 0.6, 0.0)), (2, "id", vec(0.6, 0.8, 0.0)), (3, "fr", vec(0.0, 0.0, 1.0)), (4, "en", None)]
    scores = dict(centered_scores(query, docs, means))
    assert set(scores) == {1, 2, 3}  # a candidate without a vector is left out
    centre = (means["en"] + means["id"]) / 2
    q = (query - centre) / np.linalg.norm(query - centre)
    for doc, lang, values in docs[:3]:
        shifted = values - means.get(str(lang), centre)
        assert scores[doc] == pytest.approx(float(q @ shifted / np.linalg.norm(shifted)), abs=1e-6)


def test_vector_codes_are_float16() -> None:
    values = [0.1, -0.25, 0.3333, 1.0]
    back = decoded(mapping.vector_codes(values))
    assert back is not None
    np.testing.assert_allclose(back, values, atol=1e-3)
    assert decoded(None) is None
