"""Ingest against real SQLite, whoosh and faiss: idempotence, updates, deletes, recovery, refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import faiss
import pytest
from whoosh import index as whoosh_index

from index.article import Article, Skip
from index.backends.local.layout import IndexLayout
from index.backends.local.store import ArticleStore
from index.embed.hashing import HashingEncoder
from index.errors import IndexFormatError, IndexLockedError, ModelMismatchError
from index.extract.sources import Page, Record
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import HARBOUR, VOLCANO, write_page


def derived_state(directory: Path) -> tuple[set[int], set[int], set[int]]:
    """Row ids in the store, in the whoosh index and in the faiss index, read from disk."""
    layout = IndexLayout(directory)
    store = ArticleStore(layout.store, readonly=True)
    stored = set(store.all_rowids())
    store.close()
    ix = whoosh_index.open_dir(str(layout.keyword_dir))
    with ix.searcher() as searcher:
        keyword_ids = {int(fields["rowid"]) for fields in searcher.all_stored_fields()}
    vectors = faiss.read_index(str(layout.committed_vectors(json.loads(layout.manifest.read_text())["vector_file"])))
    vector_ids = {int(i) for i in faiss.vector_to_array(vectors.id_map)}  # type: ignore[attr-defined]
    return stored, keyword_ids, vector_ids


def test_same_pages_twice_change_nothing(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    pages = tmp_path / "pages"
    write_page(pages / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    write_page(pages / "b.html", "Volcano erupts, airport closed", VOLCANO, url="https://ex.org/volcano")
    indexer = make_index()
    first = indexer.add([pages])
    assert (first.added, first.unchanged) == (2, 0)
    manifest_before = json.loads(IndexLayout(Path(indexer.info.location)).manifest.read_text())
    second = indexer.add([pages])
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    stored, keyword_ids, vector_ids = derived_state(Path(indexer.info.location))
    assert len(stored) == 2 and stored == keyword_ids == vector_ids
    assert (
        json.loads(IndexLayout(Path(indexer.info.location)).manifest.read_text())["articles"] == manifest_before["articles"] == 2
    )


def test_changed_page_replaces_its_old_version_in_both_indexes(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    page = write_page(tmp_path / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    indexer = make_index()
    indexer.add([page])
    write_page(
        page,
        "Harbour terminal opening delayed to June",
        HARBOUR.replace("March", "June") + " Dredging work overran.",
        url="https://ex.org/harbour",
    )
    report = indexer.add([page])
    assert (report.added, report.updated) == (0, 1)
    stored, keyword_ids, vector_ids = derived_state(Path(indexer.info.location))
    assert len(stored) == 1 and stored == keyword_ids == vector_ids
    with NewsSearch(Path(indexer.info.location)) as engine:
        assert [h.title for h in engine.search("dredging", mode="keyword")] == ["Harbour terminal opening delayed to June"]
        assert engine.search("March", mode="keyword") == []
        (hit,) = engine.search("harbour terminal", mode="semantic", limit=1)
        assert hit.title == "Harbour terminal opening delayed to June"


def test_remove_deletes_from_store_and_both_indexes(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    write_page(tmp_path / "p" / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    write_page(tmp_path / "p" / "b.html", "Volcano erupts, airport closed", VOLCANO, url="https://ex.org/volcano")
    indexer = make_index()
    indexer.add([tmp_path / "p"])
    with NewsSearch(Path(indexer.info.location)) as engine:
        (volcano,) = engine.search("volcano", mode="keyword")
    assert indexer.remove([volcano.id, "no-such-id"]) == [volcano.id]
    stored, keyword_ids, vector_ids = derived_state(Path(indexer.info.location))
    assert len(stored) == 1 and stored == keyword_ids == vector_ids
    with NewsSearch(Path(indexer.info.location)) as engine:
        assert engine.search("volcano", mode="keyword") == []
        assert all(h.id != volcano.id for h in engine.search("volcano ash airport", mode="semantic"))


def test_exact_duplicate_text_is_stored_once(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    write_page(tmp_path / "p" / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    write_page(tmp_path / "p" / "b.html", "Harbour terminal to open in March", HARBOUR, url="https://mirror.example.net/h")
    report = make_index().add([tmp_path / "p"])
    assert report.added == 1 and report.skipped == {"duplicate": 1}


def test_interrupted_sync_is_completed_by_the_next_run(tmp_path: Path) -> None:
    """A crash after the store commit but before the derived indexes caught up: reopening repairs it."""
    page = write_page(tmp_path / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    directory = tmp_path / "index"
    indexer = Indexer(directory, encoder=HashingEncoder(256))
    indexer.sync = lambda **_: None  # type: ignore[method-assign]  # simulate dying before the sync
    indexer.add([page])
    indexer.close()
    stored, keyword_ids, vector_ids = derived_state(directory)
    assert len(stored) == 1 and keyword_ids == vector_ids == set()
    with NewsSearch(directory) as engine:  # the index still opens and answers
        assert engine.search("harbour", mode="keyword") == []
        assert engine.stats()["pending_changes"] == 1
    with Indexer(directory, encoder=HashingEncoder(256)) as again:
        report = again.add([page])
    assert report.unchanged == 1
    stored, keyword_ids, vector_ids = derived_state(directory)
    assert len(stored) == 1 and stored == keyword_ids == vector_ids
    with NewsSearch(directory) as engine:
        assert [h.title for h in engine.search("harbour", mode="keyword")] == ["Harbour terminal to open in March"]


def test_rebuild_rederives_both_indexes_from_the_store(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    write_page(tmp_path / "p" / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    indexer = make_index()
    indexer.add([tmp_path / "p"])
    before = derived_state(Path(indexer.info.location))
    indexer.rebuild()
    assert derived_state(Path(indexer.info.location)) == before


def test_other_model_is_refused(tmp_path: Path) -> None:
    with Indexer(tmp_path / "ix", encoder=HashingEncoder(256)):
        pass
    with pytest.raises(ModelMismatchError, match="hashing-256"):
        Indexer(tmp_path / "ix", model="hashing-64")
    with pytest.raises(ModelMismatchError):
        NewsSearch(tmp_path / "ix", model="all-MiniLM-L6-v2")


def test_other_format_version_is_refused(tmp_path: Path) -> None:
    with Indexer(tmp_path / "ix", encoder=HashingEncoder(256)):
        pass
    manifest = tmp_path / "ix" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["format_version"] = 999
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexFormatError, match="format version 999"):
        NewsSearch(tmp_path / "ix")


def test_second_writer_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    with Indexer(tmp_path / "ix", encoder=HashingEncoder(256)), pytest.raises(IndexLockedError):
        Indexer(tmp_path / "ix", encoder=HashingEncoder(256))
    Indexer(tmp_path / "ix", encoder=HashingEncoder(256)).close()  # released on close


def test_add_articles_from_python(make_index: Callable[..., Indexer]) -> None:
    indexer = make_index()
    report = indexer.add_articles(
        [
            {
                "title": "Harbour terminal to open in March",
                "text": HARBOUR,
                "url": "https://ex.org/h",
                "date": "2024-02-01",
                "lang": "en",
            },
            {"title": "Bad", "text": 7},
        ]
    )
    assert report.added == 1 and report.skipped == {"missing_field": 1}
    with NewsSearch(Path(indexer.info.location)) as engine:
        (hit,) = engine.search("harbour", mode="keyword")
        assert (hit.url, hit.published) == ("https://ex.org/h", "2024-02-01")


def test_stemming_follows_each_articles_language(make_index: Callable[..., Indexer]) -> None:
    indexer = make_index()
    indexer.add_articles(
        [
            {
                "id": "id-1",
                "title": "Kedatangan menteri di ibu kota",
                "lang": "id",
                "text": "Kedatangan rombongan menteri disambut warga. " * 8,
            },
            {
                "id": "en-1",
                "title": "Elections held across the country",
                "lang": "en",
                "text": "Voters queued for hours as the elections began in every province. " * 5,
            },
        ]
    )
    with NewsSearch(Path(indexer.info.location)) as engine:
        assert [h.id for h in engine.search("datang", mode="keyword")] == ["id-1"]  # ke-an affixes removed
        assert [h.id for h in engine.search("election", mode="keyword")] == ["en-1"]
        assert [h.id for h in engine.search("rombongan", mode="keyword")] == ["id-1"]


def test_plain_analysis_does_not_stem(tmp_path: Path) -> None:
    with Indexer(tmp_path / "ix", encoder=HashingEncoder(256), analysis="plain") as indexer:
        indexer.add_articles(
            [{"id": "en-1", "title": "Elections held", "lang": "en", "text": "Voters queued as the elections began. " * 8}]
        )
        assert indexer.info.analysis == "plain"
    with NewsSearch(tmp_path / "ix") as engine:
        assert engine.search("election", mode="keyword") == []
        assert [h.id for h in engine.search("elections", mode="keyword")] == ["en-1"]


def test_unknown_keyword_analysis_from_another_release_is_rederived(tmp_path: Path) -> None:
    page = write_page(tmp_path / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    with Indexer(tmp_path / "ix", encoder=HashingEncoder(256)) as indexer:
        indexer.add([page])
    manifest = tmp_path / "ix" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["analysis"] = "some-old-analysis"
    manifest.write_text(json.dumps(data))
    with Indexer(tmp_path / "ix", encoder=HashingEncoder(256)) as indexer:
        assert indexer.problem is not None and "some-old-analysis" in indexer.problem  # opening changes nothing
        assert indexer.repair()  # the explicit repair re-derives the keyword index
        assert indexer.info.analysis == "snowball" and indexer.problem is None
    with NewsSearch(tmp_path / "ix") as engine:
        assert len(engine.search("harbour", mode="keyword")) == 1


def test_unknown_embedding_recipe_is_refused(tmp_path: Path) -> None:
    with Indexer(tmp_path / "ix", encoder=HashingEncoder(256)) as indexer:
        assert indexer.info.embedded_text == "title+lead-1200"
    manifest = tmp_path / "ix" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["embedded_text"] = "whole-article-v9"
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexFormatError, match="whole-article-v9"):
        Indexer(tmp_path / "ix", encoder=HashingEncoder(256))


def test_unchanged_pages_are_not_extracted_again(
    tmp_path: Path, make_index: Callable[..., Indexer], monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = tmp_path / "pages"
    write_page(pages / "a.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    write_page(pages / "b.html", "Volcano erupts, airport closed", VOLCANO, url="https://ex.org/volcano")
    (pages / "short.html").write_text("<html><body><p>Too short to be news.</p></body></html>")
    indexer = make_index()
    first = indexer.add([pages])
    assert (first.added, first.skipped) == (2, {"too_short": 1})

    from index.extract.pages import to_article

    extracted: list[str] = []

    def counting_to_article(item: Page | Record) -> Article | Skip:
        extracted.append(Path(item.source).name)
        return to_article(item)

    monkeypatch.setattr("index.ingest.workers.to_article", counting_to_article)  # small ingests extract in-process
    second = indexer.add([pages])
    assert (second.added, second.unchanged, second.skipped) == (0, 2, {"too_short": 1})
    assert extracted == []  # same bytes, same outcome: nothing re-extracted

    write_page(
        pages / "a.html", "Harbour terminal opening delayed to June", HARBOUR + " Dredging overran.", url="https://ex.org/harbour"
    )
    with NewsSearch(Path(indexer.info.location)) as engine:
        (volcano,) = engine.search("volcano", mode="keyword")
    indexer.remove([volcano.id])
    third = indexer.add([pages])
    assert sorted(extracted) == ["a.html", "b.html"]  # changed bytes, and a page whose article was removed
    assert (third.added, third.updated, third.unchanged) == (1, 1, 0)
