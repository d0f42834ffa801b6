"""Per-language centering of the vector index (index/backends/local/centering.py), on real indexes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index.article import Article
from index.backends.local import centering, vectors
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import read_manifest
from index.backends.local.store import ArticleStore
from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.evaluation.runs import EvaluationRuns
from search.facade import NewsSearch
from search.ranking import languages

WORDS = {
    "en": ["harbour", "council", "budget", "railway", "market", "weather", "storm", "flood", "the", "of", "and"],
    "id": ["pelabuhan", "dewan", "anggaran", "kereta", "pasar", "cuaca", "badai", "banjir", "yang", "dan", "di"],
    "fr": ["port", "conseil", "marché", "météo", "tempête", "le", "la", "et", "des"],
}


@pytest.fixture(autouse=True)
def small_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    # Four articles make a language mean here (100 in use), so that small archives show every case.
    monkeypatch.setattr(centering, "MIN_ARTICLES", 4)


def articles(lang: str, count: int, start: int = 0) -> list[Article]:
    rng = np.random.default_rng(len(lang) * 1000 + start)
    words = WORDS[lang]
    return [
        Article(id=f"{lang}{n:03d}", title=" ".join(rng.choice(words, 3)), text=" ".join(rng.choice(words, 30)), lang=lang)
        for n in range(start, start + count)
    ]


def stored(root: Path) -> tuple[dict[int, np.ndarray], dict[int, str | None]]:
    """Every stored embedding (as the encoder made it) and language, by row id."""
    store = ArticleStore(IndexLayout(root).store, readonly=True)
    try:
        rows = store.all_rowids()
        return store.vectors(rows, read_manifest(IndexLayout(root)).dim), {
            row: meta[2] for row, meta in store.metadata_for_rowids(rows).items()
        }
    finally:
        store.close()


def index_vectors(root: Path) -> tuple[dict[int, np.ndarray], np.ndarray | None]:
    layout = IndexLayout(root)
    manifest = read_manifest(layout)
    index = vectors.load(layout.committed_vectors(manifest.vector_file), manifest.dim)
    ids, matrix = vectors.all_vectors(index)
    return dict(zip(ids.tolist(), matrix, strict=True)), vectors.query_mean(index)


def expected(root: Path) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """The centered vectors and query mean computed here from the store, by the documented rule."""
    raw, langs = stored(root)
    means = {}
    for lang in sorted({lang for lang in langs.values() if lang}):
        rows = sorted(row for row, found in langs.items() if found == lang)
        size = centering.sample_size(len(rows))
        if size:
            means[lang] = np.mean([raw[row] for row in rows[:size]], axis=0, dtype=np.float64)
    query = np.mean([means[lang] for lang in sorted(means)], axis=0)
    out = {}
    for row, vector in raw.items():
        shifted = vector - means.get(langs[row] or "", query)
        out[row] = shifted / np.linalg.norm(shifted)
    return out, query


def build(root: Path, batches: list[list[Article]], removals: list[list[str]] | None = None) -> Path:
    for number, batch in enumerate(batches):
        with Indexer(root, encoder=HashingEncoder(64), workers=0) as indexer:
            indexer.add_articles(batch)
            if removals and removals[number]:
                indexer.remove(removals[number])
    return root


def test_an_archive_of_one_language_keeps_its_vectors_as_embedded(tmp_path: Path) -> None:
    root = build(tmp_path / "en", [articles("en", 12)])
    held, mean = index_vectors(root)
    raw, _ = stored(root)
    assert mean is None
    for row, vector in raw.items():
        np.testing.assert_allclose(held[row], vector, atol=2e-3)  # float16 codes
    record = read_manifest(IndexLayout(root)).centering
    assert record is not None and record["active"] is False
    with NewsSearch(root, encoder=HashingEncoder(64)) as news:
        assert news.stats()["centered_languages"] == []


def test_two_languages_are_centered_on_their_means_and_queries_on_the_mean_of_means(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(languages, "CENTERING_STRENGTH", {})  # every query takes the whole means out
    root = build(tmp_path / "mixed", [articles("en", 10) + articles("id", 9) + articles("fr", 3)])
    held, mean = index_vectors(root)
    want, query = expected(root)
    assert mean is not None
    np.testing.assert_allclose(mean, query, atol=1e-6)
    for row, vector in want.items():  # French has too few articles for a mean: it is centered on the query mean
        np.testing.assert_allclose(held[row], vector, atol=2e-3)
    record = read_manifest(IndexLayout(root)).centering
    assert record is not None and record["active"] is True
    with NewsSearch(root, encoder=HashingEncoder(64)) as news:
        assert news.stats()["centered_languages"] == ["en", "id"]  # what `news-search stats` shows
    assert {lang: m["articles"] for lang, m in record["languages"].items()} == {"en": 8, "id": 8}
    # A search scores by the cosine of the centered query and the centered article.
    text = "harbour council budget storm"
    q = HashingEncoder(64).encode_queries([text])[0] - query
    q /= np.linalg.norm(q)
    with NewsSearch(root, encoder=HashingEncoder(64)) as news:
        _keyword, semantic = EvaluationRuns(news).candidates([text], depth=5)[0]
        rows = news._reader._store.ids_for_rowids(set(want))  # type: ignore[attr-defined]
    best = sorted(((float(want[row] @ q), rows[row]) for row in want), reverse=True)[:5]
    assert [doc for doc, _ in semantic] == [doc for _, doc in best]
    assert [score for _, score in semantic] == pytest.approx([score for score, _ in best], abs=3e-3)
    # A language filter still searches inside the centered index (faiss's id selector).
    text = "pelabuhan dewan anggaran badai"
    q = HashingEncoder(64).encode_queries([text])[0] - query
    q /= np.linalg.norm(q)
    with NewsSearch(root, encoder=HashingEncoder(64)) as news:
        filtered = news.search_results(text, limit=20, mode="hybrid", lang="id", collapse_copies=False)
    assert filtered.hits and {hit.lang for hit in filtered.hits} == {"id"}
    assert any(hit.semantic_score is not None for hit in filtered.hits)
    scores = {rows[row]: float(want[row] @ q) for row in want}
    for hit in filtered.hits:
        if hit.semantic_score is not None:
            assert hit.semantic_score == pytest.approx(scores[hit.id], abs=3e-3)


@pytest.mark.parametrize("indonesian", [1.6, None])
def test_a_query_centered_otherwise_is_scored_from_the_stored_embeddings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indonesian: float | None
) -> None:
    """A query takes out CENTERING_STRENGTH of the means for its language (here an English one 0.4,
    an Indonesian one 1.6): its neighbours and cosines are those of an exact scan over the stored
    embeddings centered at that strength; a query in a language without an entry is centered
    wholly, as the vector file holds them."""
    strengths = {"en": 0.4} | ({"id": indonesian} if indonesian else {})
    monkeypatch.setattr(languages, "CENTERING_STRENGTH", strengths)
    root = build(tmp_path / "mixed", [articles("en", 10) + articles("id", 9) + articles("fr", 3)])
    raw, langs = stored(root)
    _, query_mean = expected(root)
    means = {
        lang: np.mean([raw[row] for row in sorted(r for r, f in langs.items() if f == lang)[:8]], axis=0) for lang in ("en", "id")
    }

    def exact(text: str, strength: float) -> list[tuple[float, int]]:
        q = HashingEncoder(64).encode_queries([text])[0] - strength * query_mean
        q /= np.linalg.norm(q)
        scores = []
        for row, vector in raw.items():
            shifted = vector - strength * means.get(langs[row] or "", query_mean)
            scores.append((float(shifted @ q / np.linalg.norm(shifted)), row))
        return sorted(scores, reverse=True)

    with NewsSearch(root, encoder=HashingEncoder(64)) as news:
        rows = news._reader._store.ids_for_rowids(set(raw))  # type: ignore[attr-defined]
        for text, strength in (("harbour council budget storm", 0.4), ("pelabuhan dewan anggaran badai", indonesian or 1.0)):
            _keyword, semantic = EvaluationRuns(news).candidates([text], depth=len(raw))[0]  # as the language is detected
            best = exact(text, strength)
            assert [doc for doc, _ in semantic] == [rows[row] for _, row in best]
            assert [score for _, score in semantic] == pytest.approx([score for score, _ in best], abs=3e-3)
            top = news.search_results(text, limit=3, mode="semantic").hits
            share = f"{strength:g} times the means" if strength != 1 else "the whole of the means"
            assert top and all(hit.semantic_centering and share in hit.semantic_centering for hit in top)
            # The page shows those cosines (which neighbours are on it is the result set's floor's
            # to say, calibrated per strength: with this tiny hashing archive, centered more, only
            # keyword matches reach it).
            cosines = {rows[row]: score for score, row in best}
            assert [hit.semantic_score for hit in top] == pytest.approx([cosines[hit.id] for hit in top], abs=3e-3)
            assert [hit.semantic_score for hit in top] == sorted((hit.semantic_score or 0.0 for hit in top), reverse=True)
    # Centered otherwise, a query scores otherwise than centered wholly (else this proves nothing).
    for text, strength in (("harbour council budget storm", 0.4), ("pelabuhan dewan anggaran badai", 1.6)):
        other, whole = exact(text, strength)[:5], exact(text, 1.0)[:5]
        assert max(abs(a[0] - b[0]) for a, b in zip(other, whole, strict=True)) > 0.01


def test_growing_updating_and_removing_gives_the_index_of_one_clean_run(tmp_path: Path) -> None:
    """The means are a function of the stored articles: an archive built in steps (a language
    doubling, an article changed, one removed, a language arriving late) holds the vectors of the
    same articles indexed in one go."""
    changed = articles("en", 1, start=1)[0]
    changed.text += " railway railway"
    steps = [
        articles("en", 5),  # one language: not centered
        articles("id", 4),  # the second language reaches its minimum: everything is centered
        articles("en", 4, start=5) + articles("fr", 6),  # en doubles (4 -> 8), fr gets a mean
        [changed],  # an article among those en's mean is taken over
        articles("id", 3, start=4),
    ]
    stepwise = build(tmp_path / "steps", steps, removals=[[], [], [], ["fr002"], ["id001"]])
    final = [a for batch in steps[:3] + steps[4:] for a in batch if a.id not in ("fr002", "id001")]
    # The same rows in the same order as the stepwise archive (row ids decide which articles a mean is over).
    with NewsSearch(stepwise, encoder=HashingEncoder(64)) as news:
        order = list(news._reader._store.ids_for_rowids(set(news._reader._store.all_rowids())).values())  # type: ignore[attr-defined]
    by_id = {a.id: a for a in final} | {changed.id: changed}
    clean = build(tmp_path / "clean", [[by_id[article_id] for article_id in order]])
    ours, our_mean = index_vectors(stepwise)
    theirs, their_mean = index_vectors(clean)
    assert our_mean is not None and their_mean is not None
    np.testing.assert_array_equal(our_mean, their_mean)
    ours_by_id, theirs_by_id = _by_article(stepwise, ours), _by_article(clean, theirs)
    assert ours_by_id.keys() == theirs_by_id.keys()
    for article_id, vector in ours_by_id.items():
        np.testing.assert_array_equal(vector, theirs_by_id[article_id])
    want, _ = expected(stepwise)
    for row, vector in want.items():
        np.testing.assert_allclose(ours[row], vector, atol=2e-3)


def _by_article(root: Path, held: dict[int, np.ndarray]) -> dict[str, np.ndarray]:
    store = ArticleStore(IndexLayout(root).store, readonly=True)
    try:
        ids = store.ids_for_rowids(set(held))
    finally:
        store.close()
    return {ids[row]: vector for row, vector in held.items()}


def test_an_index_from_before_centering_is_centered_by_a_rebuild(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    root = tmp_path / "index"
    indexer = make_index()
    indexer.add_articles(articles("en", 8) + articles("id", 8))
    indexer.close()
    # What an older release wrote: the vectors as embedded, no centering in the manifest.
    layout = IndexLayout(root)
    manifest_path = layout.manifest
    data = json.loads(manifest_path.read_text())
    data.pop("centering")
    manifest_path.write_text(json.dumps(data))
    raw, _ = stored(root)
    old = vectors.apply_changes(vectors.new_index(256), sorted(raw), np.stack([raw[r] for r in sorted(raw)]), [])
    vectors.save(old, layout.committed_vectors(data["vector_file"]))
    assert index_vectors(root)[1] is None
    with make_index() as indexer:
        indexer.rebuild()
    held, mean = index_vectors(root)
    want, query = expected(root)
    assert mean is not None
    np.testing.assert_allclose(mean, query, atol=1e-6)
    for row, vector in want.items():
        np.testing.assert_allclose(held[row], vector, atol=2e-3)
    assert read_manifest(layout).centering is not None


def test_sample_size_doubles() -> None:
    assert [centering.sample_size(n) for n in (0, 3, 4, 7, 8, 15, 16, 100)] == [0, 0, 4, 4, 8, 8, 16, 64]


def test_a_record_from_another_method_or_minimum_is_not_reused() -> None:
    kept = centering.Centering({"en": centering.LanguageMean(4, 9, np.ones(3)), "id": centering.LanguageMean(4, 12, np.zeros(3))})
    record = kept.record()
    assert record is not None
    again = centering.Centering.from_record(record)
    assert again.active and again.means["en"].last_row == 9
    np.testing.assert_array_equal(again.query_mean(), np.full(3, 0.5))
    assert not centering.Centering.from_record({**record, "min_articles": 50}).means
    assert not centering.Centering.from_record({**record, "method": "other"}).means
    assert not centering.Centering.from_record(None).means


def test_similar_still_leaves_out_copies_in_a_centered_archive(tmp_path: Path) -> None:
    """A copy is told by the stored embeddings, not by the search's scores: centered, an article
    scores well below 1 against its own words in another order (cosine 1 as embedded)."""
    from search.ranking.similar import NEAR_COPY_COSINE

    story = "harbour council budget railway market weather storm flood the of and harbour council budget"
    scrambled = " ".join(reversed(story.split()))  # no shared 3-grams: no near-duplicate group
    pair = [Article(id="source", title="harbour budget", text=story, lang="en"),
            Article(id="scrambled", title="budget harbour", text=scrambled, lang="en")]  # fmt: skip
    root = build(tmp_path / "index", [articles("en", 8) + articles("id", 8) + pair])
    assert read_manifest(IndexLayout(root)).centering is not None
    with NewsSearch(root) as news:
        with news._reader.snapshot() as snapshot:
            docs = snapshot.documents_of(["source", "scrambled"])
            embedding = snapshot.embedding(docs["source"])
            assert embedding is not None
            searched = dict(snapshot.nearest(embedding[None, :], 20, None)[0])
            assert snapshot.group_of("source") != snapshot.group_of("scrambled")
        assert searched[docs["scrambled"]] < NEAR_COPY_COSINE  # the search's own score would miss it
        found = [hit.id for hit in news.similar("source", limit=20).hits]
    assert found and "source" not in found and "scrambled" not in found
