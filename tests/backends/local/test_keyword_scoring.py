"""The column scorer ranks exactly as whoosh does, on real indexes of the sample archive."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from whoosh.searching import Searcher

from index.article import Article
from index.backends.local.keyword import columns as keyword_columns
from index.backends.local.keyword import schema as keyword
from index.backends.local.keyword.bm25 import RobertsonBM25F
from index.backends.local.keyword.scoring import ColumnScorer
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import read_manifest
from index.backends.query import KeywordSettings
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import SAMPLES
from tests.whoosh_queries import WhooshParser as QueryParser

QUERIES = [
    "Lavrov Pyongyang",
    "rudal balistik Korea Utara",
    "the minister said on Tuesday",
    "harga beras naik",
    "election results",
    "banjir Jakarta",
    "inflation",
    "Korea",
    "a an the di dan yang",
    "pemerintah mengumumkan kebijakan baru",
    "zzzznotaword",
]


@contextmanager
def generation_reader(root: Path) -> Iterator[Any]:
    layout = IndexLayout(root)
    ix, reader = keyword.open_generation(layout.keyword_dir, read_manifest(layout).keyword_generation)
    try:
        yield reader
    finally:
        reader.close()
        ix.close()


def sample_queries(root: Path) -> list[str]:
    """Fixed queries plus each stored headline and a run of words from each body."""
    with NewsSearch(root) as news:
        articles = [
            news.get(article_id)
            for article_id in cast(Any, news._reader)
            ._store.ids_for_rowids(set(cast(Any, news._reader)._store.all_rowids()))
            .values()
        ]
    words = [re.findall(r"\w+", a.text)[10:16] for a in articles]
    return QUERIES + [a.title for a in articles] + [" ".join(w) for w in words if w]


def whoosh_ranking(reader: Any, query: Any, k: int, settings: KeywordSettings) -> list[tuple[int, float]]:
    searcher = Searcher(reader, weighting=RobertsonBM25F(B=settings.b, K1=settings.k1), closereader=False)
    return [(int(hit["rowid"]), float(hit.score)) for hit in searcher.search(query, limit=k)]


def column_ranking(reader: Any, root: Path, query: Any, k: int, settings: KeywordSettings, allowed: Any = None) -> Any:
    scorer = ColumnScorer(reader, IndexLayout(root).keyword_dir)
    assert scorer.available
    clauses = scorer.plan(query, reader.schema)
    assert clauses is not None, query
    searcher = Searcher(reader, weighting=RobertsonBM25F(B=settings.b, K1=settings.k1), closereader=False)
    found = scorer.search(clauses, searcher, k, weighting=(settings.k1, settings.b), allowed_rowids=allowed)
    return list(zip(found.rowids.tolist(), found.scores.tolist(), strict=True)), found.total


def assert_same_ranking(ours: list[tuple[int, float]], theirs: list[tuple[int, float]]) -> None:
    assert len(ours) == len(theirs)
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-12)
    # Rows may swap only where whoosh's floating-point sums tie.
    for (row, score), (their_row, their_score) in zip(ours, theirs, strict=True):
        if row != their_row:
            assert score == pytest.approx(their_score, rel=1e-12)


def compare_all(root: Path, settings: KeywordSettings | None = None) -> int:
    settings = settings or KeywordSettings()
    compared = 0
    with generation_reader(root) as reader:
        parser = QueryParser(reader.schema, settings)
        for text in sample_queries(root):
            query = parser.parse(text).keyword
            for k in (1, 10, 1000):
                ours, total = column_ranking(reader, root, query, k, settings)
                assert_same_ranking(ours, whoosh_ranking(reader, query, k, settings))
                assert total == len(whoosh_ranking(reader, query, 10_000, settings))
                compared += 1
    return compared


EXCLUDED = ("Korea", '"Korea Utara"', "(Pyongyang OR Jakarta)", "(Korea NOT rudal)")


def compare_exclusions(root: Path) -> int:
    """``q -x`` on the column scorer and on whoosh (with ``Excluding``, index/backends/local/keyword/exclusions.py)
    against q's own whoosh ranking less every document that matches x."""
    settings = KeywordSettings()
    compared = 0
    with generation_reader(root) as reader:
        parser = QueryParser(reader.schema, settings)
        searcher = Searcher(reader, weighting=RobertsonBM25F(B=settings.b, K1=settings.k1), closereader=False)
        for text in QUERIES:
            everything = whoosh_ranking(reader, parser.parse(text).keyword, 10_000, settings)
            for negative in EXCLUDED:
                for form in (f"{text} -{negative}", f"{text} NOT {negative}"):
                    parsed = parser.parse(form)
                    assert parsed.excluded is not None
                    excluded = {int(searcher.stored_fields(d)["rowid"]) for d in searcher.docs_for_query(parsed.excluded)}
                    expected = [(row, score) for row, score in everything if row not in excluded]
                    for k in (1, 10, 1000):
                        ours, total = column_ranking(reader, root, parsed.keyword, k, settings)
                        assert_same_ranking(ours, expected[:k])
                        assert total == len(expected), form
                        assert_same_ranking(whoosh_ranking(reader, parsed.keyword, k, settings), expected[:k])
                        compared += 1
    return compared


def test_exclusions_equal_whoosh_and_leave_out_what_they_exclude(sample_index: Path) -> None:
    assert compare_exclusions(sample_index) > 100


def test_scores_and_order_equal_whoosh(sample_index: Path) -> None:
    with generation_reader(sample_index) as reader:
        assert len(keyword_columns.segment_readers(reader)) == 1  # one ingest of the whole archive: merged
    assert compare_all(sample_index) > 100


def test_other_bm25_settings_equal_whoosh(sample_index: Path) -> None:
    compare_all(sample_index, KeywordSettings(k1=0.9, b=0.4, title_boost=1.0))


def test_several_segments_and_deletions_equal_whoosh(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    root = tmp_path / "index"
    shutil.copytree(SAMPLES, tmp_path / "archive")
    indexer = make_index()
    indexer.add([tmp_path / "archive"])
    # A small later ingest is not merged: it makes a segment of its own.
    extra = [
        Article(id=f"extra{n}", url=f"https://example.org/{n}", title=f"Korea Utara dan rudal {n}", text="Pyongyang " * (n + 3),
                published="2024-02-01", site="example.org", author=None, lang="id")
        for n in range(3)
    ]  # fmt: skip
    indexer.add_articles(extra)
    with NewsSearch(root) as news:
        victim = news.search("Korea", limit=1, mode="keyword")[0].id
    indexer.remove([victim, "extra1"])
    indexer.close()
    with generation_reader(root) as reader:
        assert len(keyword_columns.segment_readers(reader)) >= 2
        assert any(leaf.has_deletions() for leaf, _ in keyword_columns.segment_readers(reader))
    compare_all(root)
    compare_exclusions(root)


def test_filter_ranks_inside_the_allowed_rows(sample_index: Path) -> None:
    settings = KeywordSettings()
    with generation_reader(sample_index) as reader:
        query = QueryParser(reader.schema, settings).parse("Korea rudal minister").keyword
        everything = whoosh_ranking(reader, query, 1000, settings)
        allowed = np.array(sorted(row for row, _ in everything[1::2]), dtype=np.int64)
        ours, total = column_ranking(reader, sample_index, query, 1000, settings, allowed=allowed)
    assert total == len(allowed)
    assert_same_ranking(ours, [(row, score) for row, score in everything if row in set(allowed.tolist())])


def test_queries_whoosh_must_answer_are_left_to_it(sample_index: Path) -> None:
    with generation_reader(sample_index) as reader:
        scorer = ColumnScorer(reader, IndexLayout(sample_index).keyword_dir)
        parser = QueryParser(reader.schema)
        for text in ('"Korea Utara" rudal', "Korea AND rudal", "Korea -rudal", "title:Korea", "Korea OR (rudal -Pyongyang)"):
            query = parser.parse(text).keyword
            clauses = scorer.plan(query, reader.schema)
            if text in ("title:Korea", "Korea -rudal"):
                assert clauses is not None  # an Or of title fields, and its exclusions, are still plain
            else:
                assert clauses is None, text


def test_missing_columns_fall_back_to_whoosh_and_the_next_run_rebuilds_them(
    tmp_path: Path, make_index: Callable[..., Indexer]
) -> None:
    root = tmp_path / "index"
    indexer = make_index()
    indexer.add([SAMPLES])
    indexer.close()
    with NewsSearch(root) as news:
        before = news.search_results("Korea Utara rudal", limit=5, mode="keyword")
    shutil.rmtree(keyword_columns.columns_root(IndexLayout(root).keyword_dir))
    with generation_reader(root) as reader:
        assert not ColumnScorer(reader, IndexLayout(root).keyword_dir).available
    with NewsSearch(root) as news:  # answered by whoosh alone
        after = news.search_results("Korea Utara rudal", limit=5, mode="keyword")
    assert [h.id for h in after.hits] == [h.id for h in before.hits]
    assert after.total == before.total
    with make_index() as indexer:
        indexer.repair()  # the explicit repair commits, which builds the missing columns
    with generation_reader(root) as reader:
        assert ColumnScorer(reader, IndexLayout(root).keyword_dir).available


def test_columns_of_merged_segments_are_removed(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    root = tmp_path / "index"
    indexer = make_index()
    indexer.add_articles([Article(id="a", title="Korea", text="Pyongyang rudal " * 5, lang="id")])
    indexer.add_articles([Article(id="b", title="Korea", text="Seoul rudal " * 5, lang="id")])
    indexer.close()
    with generation_reader(root) as reader:
        live = set(keyword_columns.segment_ids(reader))
    on_disk = {p.name for p in keyword_columns.columns_root(IndexLayout(root).keyword_dir).iterdir()}
    assert on_disk == live


def test_keyword_pages_equal_the_full_ranking(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    """Keyword mode ranks only as deep as the page needs; pages and totals are those of the whole
    ranked set (the path with facets ranks and collapses every match)."""
    root = tmp_path / "index"
    indexer = make_index()
    indexer.add([SAMPLES])
    with NewsSearch(root) as news:
        story = news.get(news.search("rudal balistik Korea Utara", limit=1, mode="keyword")[0].id)
    copies = [
        Article(id=f"copy{n}", title=story.title, text=f"{story.text}\nDisiarkan ulang oleh media {n}.",
                url=f"https://copy{n}.example/story", site=f"copy{n}.example", published="2024-03-01", lang=story.lang)
        for n in range(3)
    ]  # fmt: skip
    indexer.add_articles(copies)
    indexer.close()
    with NewsSearch(root) as news:
        assert len(news.group_members("copy0")) == 4  # the story and its three copies
        for text in ("rudal balistik Korea Utara", "Korea", "the", "di", "harga", "zzzznotaword"):
            for collapse_copies in (True, False):
                for offset in (0, 3, 7, 40):
                    kwargs: dict[str, Any] = {"limit": 3, "offset": offset, "mode": "keyword", "collapse_copies": collapse_copies}
                    quick = news.search_results(text, **kwargs)
                    full = news.search_results(text, facets=True, **kwargs)
                    assert quick.total == full.total, (text, collapse_copies, offset)
                    assert [h.id for h in quick.hits] == [h.id for h in full.hits], (text, collapse_copies, offset)
                    assert [h.similar_count for h in quick.hits] == [h.similar_count for h in full.hits]


def test_equal_scores_rank_by_index_order_on_every_page(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    """Many articles with the same score (same length, the word once): pages cut from windows of
    different depths must still be the same ranking, which is whoosh's (lower document first)."""
    root = tmp_path / "index"
    indexer = make_index()
    fillers = ["harbour", "market", "weather", "council", "budget", "railway"]
    tied = [
        Article(id=f"tied{n:03d}", title=f"Report {n}", lang="en",
                text=f"The {fillers[n % 6]} story mentions tolling once and other words here {n}.")
        for n in range(120)
    ]  # fmt: skip
    indexer.add_articles(tied)
    indexer.close()
    settings = KeywordSettings()
    with generation_reader(root) as reader:
        query = QueryParser(reader.schema, settings).parse("tolling").keyword
        ours, total = column_ranking(reader, root, query, 30, settings)
        theirs = whoosh_ranking(reader, query, 30, settings)
    assert total == 120
    assert [row for row, _ in ours] == [row for row, _ in theirs]  # ties in whoosh's order, exactly
    with NewsSearch(root) as news:
        # (collapse_copies=False: these articles are near-duplicates of one another)
        pages = [
            news.search_results("tolling", limit=7, offset=offset, mode="keyword", collapse_copies=False)
            for offset in range(0, 120, 7)
        ]
    ids = [hit.id for page in pages for hit in page.hits]
    assert len(ids) == len(set(ids)) == 120
    assert all(page.total == 120 for page in pages)


def test_top_keeps_the_lowest_document_numbers_among_equal_scores() -> None:
    from index.backends.local.keyword.scoring import _top

    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(2, 400))
        docnums = np.sort(rng.choice(5000, size=n, replace=False))
        scores = rng.integers(0, 4, size=n).astype(np.float64)  # few distinct values: many ties
        k = int(rng.integers(1, n))
        expected = sorted(zip(-scores, docnums, strict=True))[:k]
        found = _top(docnums, scores, k)
        assert sorted(found.tolist()) == sorted(int(d) for _, d in expected)
