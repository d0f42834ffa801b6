"""Resolved filters are remembered per committed state: a commit brings in what it added."""

from __future__ import annotations

import shutil
from pathlib import Path

from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import HARBOUR


def test_a_cached_filter_follows_each_commit(tmp_path: Path, sample_index: Path) -> None:
    location = tmp_path / "index"
    shutil.copytree(sample_index, location)
    story = {"title": "Zanzibar ferry timetable changes", "text": HARBOUR.replace("Harbour", "Zanzibar"),
             "url": "https://ferry.example/zanzibar", "published": "2024-02-01", "site": "Ferry News", "lang": "en"}  # fmt: skip
    with NewsSearch(location) as ns:
        english = ns.search_results("harbour OR zanzibar", mode="keyword", lang="en", site="ferry", count_all=True)
        again = ns.search_results("harbour OR zanzibar", mode="keyword", lang="en", site="ferry", count_all=True)
        assert english.total == again.total == 0
        with Indexer(location, encoder=HashingEncoder(256)) as indexer:
            indexer.add_articles([story])
        after = ns.search_results("harbour OR zanzibar", mode="keyword", lang="en", site="ferry", count_all=True)
        assert [hit.title for hit in after.hits] == [story["title"]]
        other = ns.search_results("harbour OR zanzibar", mode="keyword", lang="id", site="ferry")
        assert other.total == 0
