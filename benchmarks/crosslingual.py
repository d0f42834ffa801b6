"""Cross-language development set (issue 15): our hand translations of the shared headline queries.

``benchmarks/data/crosslingual/`` holds only our translations, keyed by the shared query ids
(how they were made: its README.md): 300 bbc-news headlines in Indonesian and 300 indosum-dev
headlines in English. The original queries, the corpora and the judgments stay in the shared
evaluation folder and are read in place.

For cross-language search both corpora go into one index: ``mixed_corpus`` gives every article an
id prefixed by its set (``bbc:business-002``, ``indosum:idsum-8e99f503d3``), so ids of the two sets
cannot collide. Query ids are not prefixed: each set's queries are evaluated on their own, against
``mixed_qrels(set_name, ...)``, the set's judgments with the same prefix on every judged document.

    python benchmarks/crosslingual.py

checks both translation files against the shared queries and prints how many there are.

The mixed index is built from the embeddings the two single-set indexes already hold
(``build_mixed_index`` with ``StoredEmbeddings``): embedding its 5,550 passages again through e5
would take most of an hour on the 2-core machine, and the vectors would be the same.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import EVAL_ENV, ArgumentParser, eval_dir, fail
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import read_manifest
from index.backends.local.store import ArticleStore
from index.embed.base import embedding_input
from index.ingest.indexer import Indexer
from search.evaluate import load_qrels, load_queries

DATA = Path(__file__).resolve().parent / "data" / "crosslingual"
# Each shared set, the file of our translations of its queries, and the language they are in.
TRANSLATIONS: dict[str, tuple[str, str]] = {
    "bbc-news": ("bbc-news.id.jsonl", "id"),
    "indosum-dev": ("indosum-dev.en.jsonl", "en"),
}
# The prefix each set's document ids carry in the mixed corpus.
DOC_PREFIX: dict[str, str] = {"bbc-news": "bbc:", "indosum-dev": "indosum:"}


class CrosslingualDataError(ValueError):
    """A translation file or a shared input is missing, malformed, or names a query the set lacks.

    Not a ``NewsSearchError``: those are the library's errors, each with its exit code in the README
    (tests/test_docs.py checks every subclass it can find)."""


def _check_set(set_name: str) -> str:
    if set_name not in TRANSLATIONS:
        raise CrosslingualDataError(f"unknown query set {set_name!r}; expected one of {', '.join(TRANSLATIONS)}")
    return set_name


def _shared_file(set_name: str, eval_dir: Path, name: str) -> Path:
    path = eval_dir / "retrieval" / _check_set(set_name) / name
    if not path.is_file():
        raise CrosslingualDataError(f"evaluation data not found: {path} (set {EVAL_ENV} to the shared eval folder)")
    return path


def translation_file(set_name: str) -> Path:
    """Where our translations of ``set_name``'s queries are stored."""
    return DATA / TRANSLATIONS[_check_set(set_name)][0]


def load_translations(set_name: str) -> dict[str, str]:
    """Our translations alone, query id to text, in file order; needs no shared data.

    A repeated id or an empty text is an error rather than a silent overwrite: either would
    quietly change what the set measures."""
    path = translation_file(set_name)
    translations: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            query_id, text = str(obj["id"]), str(obj["text"]).strip()
        except (ValueError, KeyError, TypeError) as exc:
            raise CrosslingualDataError(f"{path}:{number}: expected a JSON object with 'id' and 'text'") from exc
        if query_id in translations:
            raise CrosslingualDataError(f"{path}:{number}: query id {query_id!r} is translated twice")
        if not text:
            raise CrosslingualDataError(f"{path}:{number}: empty translation for {query_id!r}")
        translations[query_id] = text
    return translations


def translated_queries(set_name: str, eval_dir: Path) -> dict[str, str]:
    """Our translations of ``set_name``'s queries, each id checked against the shared query set."""
    translations = load_translations(set_name)
    shared = load_queries(_shared_file(set_name, eval_dir, "queries.jsonl"))
    unknown = [query_id for query_id in translations if query_id not in shared]
    if unknown:
        examples = ", ".join(unknown[:5])
        raise CrosslingualDataError(
            f"{translation_file(set_name)}: {len(unknown)} query id(s) not in the shared {set_name} queries "
            f"({eval_dir / 'retrieval' / set_name / 'queries.jsonl'}): {examples}"
        )
    return translations


def mixed_corpus(eval_dir: Path) -> list[dict[str, Any]]:
    """Both shared corpora in one list, each article's ``id`` prefixed by its set (``DOC_PREFIX``).

    Every other field is kept as the set has it (``title`` is empty in both ``corpus.jsonl``; the
    headlines are the queries)."""
    articles: list[dict[str, Any]] = []
    for set_name, prefix in DOC_PREFIX.items():
        path = _shared_file(set_name, eval_dir, "corpus.jsonl")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                article = json.loads(line)
                articles.append({**article, "id": prefix + str(article["id"])})
            except (ValueError, KeyError, TypeError) as exc:
                raise CrosslingualDataError(f"{path}:{number}: expected a JSON object with an 'id'") from exc
    return articles


def mixed_qrels(set_name: str, eval_dir: Path) -> dict[str, dict[str, int]]:
    """``set_name``'s judgments with document ids as ``mixed_corpus`` has them; query ids unchanged."""
    prefix = DOC_PREFIX[_check_set(set_name)]
    qrels = load_qrels(_shared_file(set_name, eval_dir, "qrels.tsv"))
    return {query_id: {prefix + doc_id: grade for doc_id, grade in judged.items()} for query_id, judged in qrels.items()}


class StoredEmbeddings:
    """An encoder that gives back the embeddings other indexes already hold, looked up by the text
    that was embedded (``embedding_input`` of each stored article, with that index's recipe).

    It has the sources' model name, so the index it builds is one of that model: ``NewsSearch``
    then loads the real model for queries. A passage none of the sources embedded is an error,
    never a vector made up.
    """

    def __init__(self, sources: Sequence[Path]) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        recipes = set()
        for root in sources:
            manifest = read_manifest(IndexLayout(root))
            recipes.add((manifest.model, manifest.dim, manifest.embedded_text))
            store = ArticleStore(IndexLayout(root).store, readonly=True)
            try:
                rows = store.all_rowids()
                vectors = store.vectors(rows, manifest.dim)
                for row, article in store.iter_articles(rows):
                    self._vectors[embedding_input(article, manifest.embedded_text)] = vectors[row]
            finally:
                store.close()
        if len(recipes) != 1:
            raise CrosslingualDataError(f"the source indexes were embedded differently: {sorted(recipes)}")
        self._model, self._dim, self.embedded_text = recipes.pop()

    @property
    def name(self) -> str:
        return self._model

    @property
    def dim(self) -> int:
        return self._dim

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        missing = [text[:60] for text in texts if text not in self._vectors]
        if missing:
            raise CrosslingualDataError(f"{len(missing)} passage(s) not embedded by the source indexes, e.g. {missing[0]!r}")
        return np.vstack([self._vectors[text] for text in texts]).astype(np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        raise CrosslingualDataError("stored embeddings are passages only: search the index with its real model")


def build_mixed_index(index_dir: Path, eval_dir: Path, sources: Sequence[Path], analysis: str = "snowball") -> dict[str, Any]:
    """The mixed archive (``mixed_corpus``) in ``index_dir``, embedded from ``sources`` (the single-set
    indexes, already built); an index already there with every article is reused as it is."""
    import time

    started = time.perf_counter()
    corpus = mixed_corpus(eval_dir)
    built = False
    if not (index_dir / "manifest.json").is_file():
        encoder = StoredEmbeddings(sources)
        with Indexer(index_dir, encoder=encoder, analysis=analysis, workers=0) as indexer:
            indexer.add_articles(corpus)
        built = True
    with Indexer(index_dir, analysis=analysis) as indexer:
        indexer.repair()
        if indexer.info.analysis != analysis:
            indexer.rebuild(analysis)
        articles = indexer.articles
    # Exact copies within a set are stored once, as in the single-set indexes: the counts must agree.
    expected = sum(read_manifest(IndexLayout(root)).articles for root in sources)
    if articles != expected:
        raise CrosslingualDataError(f"{index_dir} holds {articles} articles, the source indexes {expected}: remove it to rebuild")
    return {"articles": articles, "seconds": round(time.perf_counter() - started, 1), "built": built}


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    folder = eval_dir()
    try:
        for set_name, (_, lang) in TRANSLATIONS.items():
            queries = translated_queries(set_name, folder)
            print(f"{set_name}: {len(queries)} queries translated into {lang} ({translation_file(set_name).name})")
    except CrosslingualDataError as exc:
        fail(str(exc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
