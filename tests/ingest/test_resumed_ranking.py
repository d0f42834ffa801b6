"""An index that reached its articles through replacements, deletions and merges ranks exactly as
one written in one go: the same ids in the same order with the same scores.

A resumed ingest (after a crash) replays journal entries that a killed run had already written to
whoosh, and an archive re-crawled over time updates articles: both leave replaced documents in
older segments, and often a merge. whoosh's own BM25 statistics count those replaced documents
until their segment is merged away (document count, document frequencies, field-length totals), a
merge re-adds field lengths from their one-byte approximation, and whoosh breaks equal scores by
its document number, which depends on the segment layout. ``benchmarks/crash.py`` (seed 20261201)
found 30 of 45 query/mode pairs scored otherwise after a resumed ingest.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.backends.local import vectors
from index.backends.local.keyword import schema as keyword
from index.backends.local.keyword import statistics as keyword_statistics
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import read_manifest
from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.facade import NewsSearch

VOCABULARY = [
    "harbour",
    "minister",
    "election",
    "budget",
    "flood",
    "rice",
    "price",
    "court",
    "police",
    "river",
    "school",
    "market",
    "bank",
    "train",
    "airport",
    "storm",
    "village",
    "doctor",
    "hospital",
    "festival",
    "museum",
    "bridge",
    "factory",
    "farmer",
    "teacher",
    "ferry",
    "road",
    "island",
    "mountain",
    "coffee",
    "tea",
    "fish",
    "energy",
    "water",
    "forest",
    "city",
    "council",
    "mayor",
    "rain",
    "winter",
    "summer",
]
QUERIES = [
    "common",  # in every body once, bodies of equal length: equal scores, ordered by row id
    "harbour minister",
    "election budget flood",
    "rice price court police river",
    "storm village",
    "number7",
    '"common story"',  # a phrase: scored by whoosh itself, not the column copies
    "title:story",
    "harbour AND minister",
]


def _articles(altered: bool) -> list[dict[str, Any]]:
    """40 short English articles; ``altered`` rewrites every fifth body (an earlier version)."""
    out = []
    for number in range(40):
        rng = random.Random(number)
        words = [rng.choice(VOCABULARY) for _ in range(40)]
        if altered and number % 5 == 0:
            words = [rng.choice(VOCABULARY) for _ in range(30 + number)]  # other words, another length
        out.append(
            {
                "url": f"https://news.example.org/{number}",
                "title": f"Story {number} {words[0]} {words[1]}",
                "text": f"common story number{number} " + " ".join(words),
                "published": "2024-01-02",
                "site": "Example News",
                "lang": "en",
            }
        )
    return out


def _build(root: Path, history: str) -> Path:
    with Indexer(root, encoder=HashingEncoder(256), workers=0) as indexer:
        if history == "clean":
            indexer.add_articles(_articles(altered=False))
            return root
        indexer.add_articles(_articles(altered=True))
        # The final versions: 8 of 40 articles change, too few to merge at the end of this ingest,
        # so their earlier versions stay in the first segment as deleted documents.
        report = indexer.add_articles(_articles(altered=False))
        assert (report.updated, report.unchanged) == (8, 32)
        if history == "merged":
            indexer.sync(merge=True)
    return root


def _segments(root: Path) -> list[tuple[int, int]]:
    layout = IndexLayout(root)
    ix, reader = keyword.open_generation(layout.keyword_dir, read_manifest(layout).keyword_generation)
    try:
        return [(leaf.doc_count_all(), leaf.doc_count()) for leaf, _ in reader.leaf_readers()]
    finally:
        reader.close()
        ix.close()


def _rankings(root: Path) -> dict[str, list[tuple[str, float]]]:
    found = {}
    with NewsSearch(root) as news:
        for mode in ("keyword", "semantic", "hybrid"):
            for query in QUERIES:
                hits = news.search(query, limit=15, mode=mode)
                found[f"{mode}:{query}"] = [(hit.id, float(hit.score)) for hit in hits]
    return found


@pytest.fixture(scope="module")
def clean_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("clean"), "clean")


@pytest.mark.parametrize("history", ["replaced", "merged"])
def test_an_index_with_replaced_documents_ranks_as_one_written_cleanly(clean_index: Path, tmp_path: Path, history: str) -> None:
    other = _build(tmp_path / history, history)
    with (
        sqlite3.connect(clean_index / "articles.sqlite") as a,
        sqlite3.connect(other / "articles.sqlite") as b,
    ):
        query = "SELECT rowid, id, content_hash FROM articles ORDER BY rowid"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()  # the same articles under the same rows
    assert _segments(clean_index) == [(40, 40)]
    if history == "replaced":
        assert _segments(other) == [(40, 32), (8, 8)]  # 8 replaced documents still counted by whoosh
    else:
        assert _segments(other) == [(40, 40)]  # merged: whoosh re-added the lengths from one byte each
    clean, theirs = _rankings(clean_index), _rankings(other)
    for key, ranked in clean.items():
        assert ranked, key
        assert [i for i, _ in theirs[key]] == [i for i, _ in ranked], key
        assert [s for _, s in theirs[key]] == pytest.approx([s for _, s in ranked], rel=1e-12, abs=1e-12), key


def test_live_statistics_count_only_live_documents_with_exact_lengths(clean_index: Path, tmp_path: Path) -> None:
    other = _build(tmp_path / "replaced", "replaced")
    stats = []
    for root in (clean_index, other):
        layout = IndexLayout(root)
        ix, reader = keyword.open_generation(layout.keyword_dir, read_manifest(layout).keyword_generation)
        try:
            found = keyword_statistics.CollectionStats(reader, layout.keyword_dir)
            assert found.exact
            stats.append(
                (
                    found.doc_count,
                    found.avg_field_length("body_en"),
                    found.avg_field_length("title_en"),
                    found.doc_frequency("body_en", b"harbour"),
                    found.doc_frequency("body_en", b"common"),
                )
            )
            if root == clean_index:  # one segment written in one go: whoosh's own figures are exact
                assert found.avg_field_length("body_en") == reader.field_length("body_en") / reader.doc_count_all()
        finally:
            reader.close()
            ix.close()
    assert stats[0] == stats[1]
    assert stats[0][0] == 40 and stats[0][4] == 40


def test_equal_cosines_come_in_row_id_order_whatever_the_order_in_the_index() -> None:
    index = vectors.new_index(8)
    same = np.ones((1, 8), dtype=np.float32) / np.sqrt(8)
    other = np.eye(8, dtype=np.float32)[:1]
    # Added out of row order, and one removed and added again (as a replayed journal does).
    index = vectors.apply_changes(index, [9, 4, 7, 2, 5], np.vstack([same] * 4 + [other]), [])
    index = vectors.apply_changes(index, [4], same, [])
    scores, ids = vectors.search(index, same, 3)
    assert ids.tolist() == [[2, 4, 7]]
    assert scores[0, 0] == scores[0, 2]
    scores, ids = vectors.search(index, same, 3, allowed=np.array([9, 7, 5, 4]))
    assert ids.tolist() == [[4, 7, 9]]
