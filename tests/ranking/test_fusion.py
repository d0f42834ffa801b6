"""Fusion functions against expectations computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import HashingEncoder
from search import NewsSearch
from search.ranking.fusion import (
    CROSS_LANGUAGE_SHARE,
    DEFAULT_CROSS_LANGUAGE,
    FusionSettings,
    normalize,
    reciprocal_rank_fusion,
    weighted_fusion,
)


def test_rrf_matches_hand_computed_scores() -> None:
    keyword = [("a", 12.0), ("b", 9.0), ("c", 1.0)]
    semantic = [("b", 0.9), ("d", 0.8), ("a", 0.1)]
    fused = dict(reciprocal_rank_fusion([keyword, semantic], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 63)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert fused["d"] == pytest.approx(1 / 62)
    assert [doc for doc, _ in reciprocal_rank_fusion([keyword, semantic], k=60)] == ["b", "a", "d", "c"]


def test_rrf_k_changes_how_much_top_ranks_dominate() -> None:
    keyword = [("a", 1.0), ("b", 0.5), ("c", 0.1)]
    semantic = [("c", 1.0), ("x", 0.9), ("y", 0.8), ("b", 0.1)]
    # k=0: rank 1 in one list (1/1) beats ranks 2 and 4 in both (1/2 + 1/4).
    assert [d for d, _ in reciprocal_rank_fusion([keyword, semantic], k=0)][:2] == ["c", "a"]
    fused = dict(reciprocal_rank_fusion([keyword, semantic], k=0))
    assert fused["b"] == pytest.approx(1 / 2 + 1 / 4)
    assert fused["c"] == pytest.approx(1 / 3 + 1 / 1)


def test_rrf_ties_are_broken_deterministically() -> None:
    fused = reciprocal_rank_fusion([[("z", 1.0)], [("y", 1.0)]], k=60)
    assert [doc for doc, _ in fused] == ["y", "z"]
    assert [score for _, score in fused] == pytest.approx([1 / 61, 1 / 61])


def test_minmax_and_zscore_normalization() -> None:
    run = [("a", 10.0), ("b", 6.0), ("c", 2.0)]
    assert normalize(run, "minmax") == {"a": 1.0, "b": 0.5, "c": 0.0}
    z = normalize(run, "zscore")
    std = (32 / 3) ** 0.5
    assert z["a"] == pytest.approx(4 / std)
    assert z["b"] == pytest.approx(0.0)
    assert z["c"] == pytest.approx(-4 / std)
    assert normalize([("only", 3.0)], "minmax") == {"only": 1.0}


def test_weighted_fusion_hand_computed() -> None:
    keyword = [("a", 10.0), ("b", 6.0), ("c", 2.0)]  # min-max: a 1, b 0.5, c 0
    semantic = [("c", 0.9), ("a", 0.5), ("d", 0.1)]  # min-max: c 1, a 0.5, d 0
    fused = dict(weighted_fusion(keyword, semantic, alpha=0.25))
    assert fused["a"] == pytest.approx(0.75 * 1.0 + 0.25 * 0.5)
    assert fused["b"] == pytest.approx(0.75 * 0.5 + 0.25 * 0.0)  # missing from semantic: that run's floor
    assert fused["c"] == pytest.approx(0.75 * 0.0 + 0.25 * 1.0)
    assert fused["d"] == pytest.approx(0.0)


def test_document_found_by_one_retriever_is_not_pushed_below_the_runs_floor() -> None:
    keyword = [("k1", 5.0), ("k2", 4.0)]
    semantic = [("s1", 0.8), ("s2", 0.7), ("k2", 0.2)]
    fused = dict(weighted_fusion(keyword, semantic, alpha=0.5, normalization="zscore"))
    semantic_floor = min(normalize(semantic, "zscore").values())
    # k1 is absent from the semantic run: it gets the semantic floor, exactly like the weakest semantic hit.
    assert fused["k1"] == pytest.approx(0.5 * normalize(keyword, "zscore")["k1"] + 0.5 * semantic_floor)


def test_alpha_extremes_reduce_to_one_retriever() -> None:
    keyword = [("a", 3.0), ("b", 2.0), ("c", 1.0)]
    semantic = [("c", 0.9), ("b", 0.5), ("a", 0.1)]
    assert [d for d, _ in weighted_fusion(keyword, semantic, alpha=0.0)] == ["a", "b", "c"]
    assert [d for d, _ in weighted_fusion(keyword, semantic, alpha=1.0)] == ["c", "b", "a"]


def test_invalid_parameters_are_rejected() -> None:
    with pytest.raises(ValueError):
        weighted_fusion([], [], alpha=1.5)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[("a", 1.0)]], k=-1)
    with pytest.raises(ValueError):
        normalize([("a", 1.0)], "rank")  # type: ignore[arg-type]


def test_empty_runs() -> None:
    assert reciprocal_rank_fusion([[], []]) == []
    assert weighted_fusion([], [("a", 0.3)]) == [("a", 0.5)]  # alpha 0.5 x normalized 1.0, keyword side empty


@pytest.mark.parametrize("normalization", ["zscore", "minmax"])
def test_a_single_keyword_match_counts_in_weighted_fusion(normalization: str) -> None:
    # One keyword match: z-scores of a one-entry run are all 0, and so was the floor given to the
    # documents it did not return, so the keyword side added nothing and "x" (semantic only) led.
    semantic = [("x", 0.9), ("only", 0.85), ("y", 0.8), ("z", 0.6)]
    fused = weighted_fusion([("only", 21.6)], semantic, alpha=0.5, normalization=normalization)  # type: ignore[arg-type]
    assert fused[0][0] == "only"
    parts = FusionSettings(normalization=normalization).contributions([("only", 21.6)], semantic)  # type: ignore[arg-type]
    assert parts["only"][0] > parts["x"][0] == 0.0


def test_the_only_article_with_the_words_leads_in_hybrid_mode(sample_index: Path) -> None:
    with NewsSearch(sample_index, encoder=HashingEncoder(256)) as news:
        keyword = news.search("solar eclipse", mode="keyword")
        hybrid = news.search("solar eclipse", mode="hybrid")
    assert len(keyword) == 1
    assert hybrid[0].id == keyword[0].id and (hybrid[0].keyword_contribution or 0.0) > 0.0


# -- articles in another language than the query (issue 15) ---------------------------------------

KEYWORD = [("same1", 9.0), ("same2", 4.0), ("other1", 3.0), ("same3", 1.0)]
SEMANTIC = [("other2", 0.9), ("same1", 0.8), ("other1", 0.7), ("same2", 0.6), ("same4", 0.5)]


def test_without_foreign_articles_fusion_is_unchanged() -> None:
    for settings in (FusionSettings(), FusionSettings(method="rrf"), FusionSettings(normalization="minmax")):
        assert settings.fuse(KEYWORD, SEMANTIC, frozenset()) == settings.fuse(KEYWORD, SEMANTIC)
    assert FusionSettings().fuse(KEYWORD, SEMANTIC) == weighted_fusion(KEYWORD, SEMANTIC, alpha=0.5, normalization="zscore")
    assert FusionSettings(method="rrf").fuse(KEYWORD, SEMANTIC) == reciprocal_rank_fusion([KEYWORD, SEMANTIC], k=60)


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_a_foreign_article_gets_a_share_of_its_semantic_evidence_for_the_keyword_side(share: float) -> None:
    settings = FusionSettings(alpha=0.5, normalization="zscore", cross_language=share)
    keyword, floor = normalize(KEYWORD, "zscore"), min(normalize(KEYWORD, "zscore").values())
    semantic = normalize(SEMANTIC, "zscore")
    parts = settings.contributions(KEYWORD, SEMANTIC, frozenset({"other1", "other2"}))
    # other2: no keyword match at all, so its keyword part is the floor moved `share` of the way to its semantic score.
    assert parts["other2"] == pytest.approx((0.5 * (floor + share * (semantic["other2"] - floor)), 0.5 * semantic["other2"]))
    # other1: matched some words (a name); the higher of its own keyword score and the stand-in counts.
    stand_in = floor + share * (semantic["other1"] - floor)
    assert parts["other1"][0] == pytest.approx(0.5 * max(keyword["other1"], stand_in))
    # Articles in the query's language are fused as always.
    plain = FusionSettings(alpha=0.5, normalization="zscore").contributions(KEYWORD, SEMANTIC)
    for doc in ("same1", "same2", "same3", "same4"):
        assert parts[doc] == pytest.approx(plain[doc])
    fused = settings.fuse(KEYWORD, SEMANTIC, frozenset({"other1", "other2"}))
    assert dict(fused) == pytest.approx({doc: k + s for doc, (k, s) in parts.items()})


def test_fused_by_semantic_rank_alone_a_foreign_article_keeps_its_semantic_place() -> None:
    """With the whole share, the article the semantic side ranks first is not pulled down because
    the keyword side cannot find it; with none, it is (what fusion did before issue 15)."""
    foreign = frozenset({"other2"})
    assert FusionSettings(cross_language=1.0).fuse(KEYWORD, SEMANTIC, foreign)[0][0] == "other2"
    assert FusionSettings(cross_language=0.0).fuse(KEYWORD, SEMANTIC, foreign)[0][0] == "same1"


def test_rrf_gives_a_foreign_article_a_share_of_its_semantic_rank() -> None:
    settings = FusionSettings(method="rrf", rrf_k=60, cross_language=0.5)
    parts = settings.contributions(KEYWORD, SEMANTIC, frozenset({"other1", "other2"}))
    assert parts["other2"] == pytest.approx((0.5 / 61, 1 / 61))
    assert parts["other1"] == pytest.approx((max(1 / 63, 0.5 / 63), 1 / 63))
    assert parts["same4"] == pytest.approx((0.0, 1 / 65))
    assert dict(settings.fuse(KEYWORD, SEMANTIC, frozenset({"other1", "other2"})))["other2"] == pytest.approx(1.5 / 61)


def test_the_share_must_be_between_0_and_1() -> None:
    with pytest.raises(ValueError, match="cross_language"):
        FusionSettings(cross_language=1.5).fuse(KEYWORD, SEMANTIC, frozenset({"other2"}))
    assert "cross-language=1" in FusionSettings(cross_language=1.0).describe()
    assert "cross-language" not in FusionSettings().describe()
    with pytest.raises(ValueError, match="cross_language"):
        FusionSettings(method="rrf", cross_language=-0.1).fuse(KEYWORD, SEMANTIC, frozenset({"other2"}))


def test_the_default_share_is_the_query_languages() -> None:
    """The measured query languages have a share of their own (``CROSS_LANGUAGE_SHARE``), the others
    and a query of no known language the default; a fixed share applies to every query language."""
    default, foreign = FusionSettings(), frozenset({"other1", "other2"})
    assert default.share("en") == CROSS_LANGUAGE_SHARE["en"] != DEFAULT_CROSS_LANGUAGE
    assert default.share("id") == CROSS_LANGUAGE_SHARE["id"] != DEFAULT_CROSS_LANGUAGE
    assert default.share("fr") == default.share(None) == DEFAULT_CROSS_LANGUAGE
    english = FusionSettings(cross_language=CROSS_LANGUAGE_SHARE["en"])
    assert default.contributions(KEYWORD, SEMANTIC, foreign, "en") == english.contributions(KEYWORD, SEMANTIC, foreign)
    assert default.fuse(KEYWORD, SEMANTIC, foreign, "en") != default.fuse(KEYWORD, SEMANTIC, foreign, "fr")
    assert FusionSettings(cross_language=0.25).share("en") == 0.25
