"""BM25 statistics per language: an archive of several languages ranks each language's articles as
an archive of that language alone does (issue 15), in the column scorer and in whoosh's own scoring."""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path

import pytest
from whoosh.searching import Searcher

from index.article import Article
from index.backends.local.keyword import columns as keyword_columns
from index.backends.local.keyword import statistics as keyword_statistics
from index.backends.local.keyword.bm25 import RobertsonBM25F, group_weights, robertson_idf
from index.backends.local.keyword.scoring import ColumnScorer
from index.backends.local.layout import IndexLayout
from index.backends.query import KeywordSettings
from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.backends.local.test_keyword_scoring import generation_reader
from tests.whoosh_queries import WhooshParser

ENGLISH = [
    "harbour",
    "council",
    "budget",
    "railway",
    "market",
    "weather",
    "minister",
    "election",
    "storm",
    "flood",
    "port",
    "tax",
]
INDONESIAN = [
    "pelabuhan",
    "dewan",
    "anggaran",
    "kereta",
    "pasar",
    "cuaca",
    "menteri",
    "pemilu",
    "badai",
    "banjir",
    "pajak",
    "harbour",
]
FRENCH = ["port", "conseil", "budget", "marché", "météo", "ministre", "élection", "tempête", "inondation", "impôt"]
GERMAN = ["hafen", "rat", "haushalt", "markt", "wetter", "minister", "wahl", "sturm", "flut", "steuer", "budget"]


def articles(lang: str, words: list[str], count: int, length: tuple[int, int], seed: int) -> list[Article]:
    """``count`` articles of random words, of lengths in ``length``: the languages differ in length on
    purpose, so that statistics pooled over every language would rank each one otherwise."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(*length)))
        title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 6)))
        made.append(Article(id=f"{lang}{n:03d}", title=title, text=text, lang=lang, url=f"https://{lang}.example/{n}"))
    return made


def build(root: Path, corpus: list[Article]) -> Path:
    with Indexer(root, encoder=HashingEncoder(64), workers=0) as indexer:
        indexer.add_articles(corpus)
    return root


def keyword_hits(root: Path, query: str) -> list[tuple[str, float]]:
    with NewsSearch(root) as news:
        results = news.search_results(query, limit=500, mode="keyword", collapse_copies=False)
    return [(hit.id, hit.keyword_score or 0.0) for hit in results.hits]


def only(hits: list[tuple[str, float]], prefix: str) -> list[tuple[str, float]]:
    return [(doc, score) for doc, score in hits if doc.startswith(prefix)]


def assert_same(ours: list[tuple[str, float]], theirs: list[tuple[str, float]]) -> None:
    assert ours, "the query matched nothing"
    assert [doc for doc, _ in ours] == [doc for doc, _ in theirs]
    assert [score for _, score in ours] == pytest.approx([score for _, score in theirs], rel=1e-12)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    english = articles("en", ENGLISH, 40, (8, 40), seed=1)
    indonesian = articles("id", INDONESIAN, 60, (60, 200), seed=2)
    french = articles("fr", FRENCH, 25, (10, 30), seed=3)
    german = articles("de", GERMAN, 35, (80, 160), seed=4)
    folder = tmp_path_factory.mktemp("languages")
    return {
        "en": build(folder / "en", english),
        "fr": build(folder / "fr", french),
        # Interleaved, so that the documents of one language are not one block of row ids.
        "mixed": build(folder / "mixed", [a for group in zip_longest(english, indonesian, french, german) for a in group if a]),
    }


QUERIES = ["harbour council budget", "storm flood", "minister election tax weather", "railway"]


@pytest.mark.parametrize("query", QUERIES)
def test_an_english_query_ranks_english_articles_as_an_english_archive_does(indexes: dict[str, Path], query: str) -> None:
    mixed = keyword_hits(indexes["mixed"], query)
    if query == QUERIES[0]:  # "harbour" is an Indonesian word here too, "budget" a French and German one
        assert {doc[:2] for doc, _ in mixed} == {"en", "id", "fr", "de"}
    assert_same(only(mixed, "en"), keyword_hits(indexes["en"], query))


@pytest.mark.parametrize("word", ["budget", "tempête", "impôt"])
def test_languages_sharing_the_plain_fields_keep_their_own_length_normalization(indexes: dict[str, Path], word: str) -> None:
    """French and German have no stemmer here: both go into the plain title/body fields, whose idf
    is taken over both (a word common in one is not rare in the other), while each article's
    length is normalized by its own language's average. With one word in one field, whose idf
    scales every score alike, the French articles then rank as in a French archive, their scores in
    one ratio."""
    query = f"body:{word}"
    mixed, alone = only(keyword_hits(indexes["mixed"], query), "fr"), keyword_hits(indexes["fr"], query)
    assert len(mixed) > 3
    assert [doc for doc, _ in mixed] == [doc for doc, _ in alone]
    ratios = [ours / theirs for (_, ours), (_, theirs) in zip(mixed, alone, strict=True)]
    assert ratios == pytest.approx([ratios[0]] * len(ratios), rel=1e-12)
    with generation_reader(indexes["mixed"]) as reader:
        stats = keyword_statistics.CollectionStats(reader, IndexLayout(indexes["mixed"]).keyword_dir)
        idf, _averages, df = group_weights(stats, "body", word.encode())
        french, german = stats.groups.index("fr"), stats.groups.index("de")
        assert idf == pytest.approx(float(robertson_idf(60.0, float(df[french] + df[german]))))


@pytest.mark.parametrize("query", ['"harbour council" budget', "+storm flood", "title:railway OR market"])
def test_queries_whoosh_answers_itself_keep_the_same_statistics(indexes: dict[str, Path], query: str) -> None:
    assert_same(only(keyword_hits(indexes["mixed"], query), "en"), keyword_hits(indexes["en"], query))


def test_the_column_scorer_and_whoosh_agree_on_the_mixed_archive(indexes: dict[str, Path]) -> None:
    root = indexes["mixed"]
    settings = KeywordSettings()
    with generation_reader(root) as reader:
        parser = WhooshParser(reader.schema, settings)
        scorer = ColumnScorer(reader, IndexLayout(root).keyword_dir)
        searcher = Searcher(reader, weighting=RobertsonBM25F(B=settings.b, K1=settings.k1), closereader=False)
        for text in [*QUERIES, "port budget", "harbour pelabuhan hafen", "minister menteri ministre"]:
            query = parser.parse(text).keyword
            plan = scorer.plan(query, reader.schema)
            assert plan is not None
            found = scorer.search(plan, searcher, 1000, weighting=(settings.k1, settings.b))
            theirs = [(int(hit["rowid"]), float(hit.score)) for hit in searcher.search(query, limit=1000)]
            assert found.total == len(theirs)
            assert found.scores.tolist() == pytest.approx([score for _, score in theirs], rel=1e-12)
            for (row, score), (their_row, their_score) in zip(
                zip(found.rowids.tolist(), found.scores.tolist(), strict=True), theirs, strict=True
            ):
                assert row == their_row or score == pytest.approx(their_score, rel=1e-12)  # only ties may swap


def test_each_language_has_its_own_statistics(indexes: dict[str, Path]) -> None:
    with generation_reader(indexes["mixed"]) as reader:
        stats = keyword_statistics.CollectionStats(reader, IndexLayout(indexes["mixed"]).keyword_dir)
        assert stats.exact
        counts = dict(zip(stats.groups, stats.group_doc_counts.tolist(), strict=True))
        assert {group: count for group, count in counts.items() if count} == {"en": 40, "id": 60, "fr": 25, "de": 35}
        english = stats.groups.index("en")
        per_english = stats.group_field_lengths("body_en")[english] / 40
        # What the scorers used before: every document counted, so English bodies seemed short.
        assert stats.avg_field_length("body_en") == pytest.approx(per_english * 40 / 160)
    with generation_reader(indexes["en"]) as reader:
        alone = keyword_statistics.CollectionStats(reader, IndexLayout(indexes["en"]).keyword_dir)
        assert alone.avg_field_length("body_en") == per_english


def test_a_deleted_article_leaves_its_language_statistics(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    english = articles("en", ENGLISH, 12, (8, 40), seed=5)
    indonesian = articles("id", INDONESIAN, 12, (60, 200), seed=6)
    indexer = make_index()
    indexer.add_articles(english + indonesian)
    indexer.remove(["en003", "id004"])
    indexer.close()
    build(tmp_path / "clean", [a for a in english if a.id != "en003"])
    assert_same(only(keyword_hits(tmp_path / "index", "storm budget"), "en"), keyword_hits(tmp_path / "clean", "storm budget"))


def test_without_columns_whoosh_keeps_each_language_apart(indexes: dict[str, Path], tmp_path: Path) -> None:
    """An index whose column copies are missing (an older release, a crash before they were built)
    is answered by whoosh alone, with whoosh's own totals shared out by language."""
    import shutil

    root = tmp_path / "mixed"
    shutil.copytree(indexes["mixed"], root)
    shutil.rmtree(keyword_columns.columns_root(IndexLayout(root).keyword_dir))
    with generation_reader(root) as reader:
        assert not ColumnScorer(reader, IndexLayout(root).keyword_dir).available
    for query in QUERIES:
        assert_same(only(keyword_hits(root, query), "en"), keyword_hits(indexes["en"], query))
