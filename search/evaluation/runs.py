"""Candidate runs for evaluation: each retriever's ranked list, before fusion, for many queries at once.

``news-search eval`` (``search/evaluate.py``) and the relevance and result-set benchmarks fuse the
runs themselves under many settings, so they need what the public ``NewsSearch`` does not offer:
the keyword and semantic runs by article id, the index's semantic floor, and the keyword settings
switched in place. ``EvaluationRuns`` gives them over the same reader, parser and pipeline the
facade uses, so the runs are exactly those a search would fuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from index.backends.base import Run, Snapshot
from index.backends.query import KeywordSettings
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings
from search.ranking.languages import QueryLanguage, centering_strength
from search.ranking.result_set import Floors

NamedRun = list[tuple[str, float]]


class EvaluationRuns:
    """The candidate runs of one open ``NewsSearch``."""

    def __init__(self, engine: NewsSearch) -> None:
        self._engine = engine
        self._pipeline = engine._pipeline
        self._reader = engine._reader
        self._parser = engine._parser

    @property
    def fusion(self) -> FusionSettings:
        return self._pipeline.fusion

    @property
    def keyword(self) -> KeywordSettings:
        return self._pipeline.keyword

    def use_keyword_settings(self, settings: KeywordSettings) -> None:
        """Switch BM25F parameters and title weight (query-time settings: no re-indexing)."""
        self._pipeline.keyword = settings

    def candidates(self, queries: Sequence[str], depth: int = 100) -> list[tuple[NamedRun, NamedRun]]:
        """Keyword and semantic runs (article id, score) for many queries at once.

        Query embeddings are computed in one batch; no fusion, no snippets. Filters written in a
        query apply here too.
        """
        parsed = [self._parser.parse(q) for q in queries]
        pipeline = self._pipeline
        with self._reader.snapshot() as snapshot:
            allowed = [snapshot.resolve_filter(p.filter) for p in parsed]
            # Keyword runs weighed and semantic runs centered as a search does: by the language it detects.
            languages = [pipeline.query_language(snapshot, p, None) for p in parsed]
            keyword_runs = [
                pipeline.keyword_run(snapshot, p, depth, a, language)
                for p, a, language in zip(parsed, allowed, languages, strict=True)
            ]
            strengths = [centering_strength(language) for language in languages]
            if all(a is None for a in allowed):
                semantic_runs = pipeline.semantic_runs(snapshot, parsed, depth, None, strengths)
            else:
                semantic_runs = [
                    pipeline.semantic_runs(snapshot, [p], depth, a, [strength])[0]
                    for p, a, strength in zip(parsed, allowed, strengths, strict=True)
                ]
            semantic_runs = [pipeline.without_excluded(snapshot, p, run) for p, run in zip(parsed, semantic_runs, strict=True)]
            keyword, semantic = _named(snapshot, keyword_runs), _named(snapshot, semantic_runs)
        return list(zip(keyword, semantic, strict=True))

    def keyword_runs(self, queries: Sequence[str], depth: int = 100) -> list[NamedRun]:
        """Keyword runs (article id, score) only, for evaluating keyword settings."""
        parsed = [self._parser.parse(q) for q in queries]
        pipeline = self._pipeline
        with self._reader.snapshot() as snapshot:
            runs = [pipeline.keyword_run(snapshot, p, depth, None, pipeline.query_language(snapshot, p, None)) for p in parsed]
            return _named(snapshot, runs)

    def query_languages(self, queries: Sequence[str]) -> list[QueryLanguage | None]:
        """The language each query is ranked as in hybrid mode (detected as a search detects it)."""
        parsed = [self._parser.parse(q) for q in queries]
        with self._reader.snapshot() as snapshot:
            return [self._pipeline.query_language(snapshot, p, None) for p in parsed]

    def article_languages(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The language of each stored article (unknown ids are left out)."""
        with self._reader.snapshot() as snapshot:
            docs = snapshot.documents_of(article_ids)
            facts = snapshot.facts(list(docs.values()))
        return {article_id: facts[doc].lang for article_id, doc in docs.items() if doc in facts}

    def semantic_floor(self) -> float:
        """The cosine a semantic neighbour must reach to be in a query's result set in this index
        (``search.ranking.result_set``); calibrated once per committed state."""
        with self._reader.snapshot() as snapshot:
            return self._pipeline.semantic_floor(snapshot)

    def floors(self) -> Floors:
        """Both cosines of the result set (``search.ranking.result_set.Floors``), uncentered queries'."""
        with self._reader.snapshot() as snapshot:
            return self._pipeline.floors(snapshot)


def _named(snapshot: Snapshot, runs: list[Run]) -> list[NamedRun]:
    ids = snapshot.article_ids({doc for run in runs for doc, _ in run})
    return [[(ids[doc], score) for doc, score in run if doc in ids] for run in runs]
