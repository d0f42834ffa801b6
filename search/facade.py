"""``NewsSearch``: the read-side facade used by the CLI and by Python callers."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, get_args

from index.article import Article
from index.embeddings import Encoder, load_encoder
from index.errors import ArticleNotFoundError, IndexFormatError, ModelMismatchError, NewsSearchError
from index.keyword import open_for_reading
from index.layout import IndexLayout
from index.manifest import Manifest, read_manifest
from index.store import ArticleStore
from search.fusion import FusionSettings
from search.hits import Hit
from search.query import KeywordSettings, ParsedQuery, QueryParser
from search.scoring import RobertsonBM25F
from search.snippets import make_snippet

if TYPE_CHECKING:
    import faiss
    from whoosh.searching import Searcher

Mode = Literal["hybrid", "keyword", "semantic"]
MODES: tuple[str, ...] = get_args(Mode)
NamedRun = list[tuple[str, float]]
FUSIONS = ("rrf", "weighted")


class NewsSearch:
    """Search an index built by ``news-search index`` (or ``index.Indexer``).

    >>> ns = NewsSearch("my-index")                              # doctest: +SKIP
    >>> for hit in ns.search("Lavrov Pyongyang", limit=5): ...   # doctest: +SKIP
    """

    def __init__(
        self,
        index_dir: Path | str,
        *,
        model: str | None = None,
        encoder: Encoder | None = None,
        fusion: FusionSettings | None = None,
        keyword: KeywordSettings | None = None,
    ) -> None:
        self.layout = IndexLayout(Path(index_dir).expanduser())
        self.manifest: Manifest = read_manifest(self.layout)
        requested = encoder.name if encoder is not None else model
        if requested is not None and requested != self.manifest.model:
            raise ModelMismatchError(
                f"index at {self.layout.root} was built with model {self.manifest.model!r}, not {requested!r}: "
                "search it without --model, or rebuild it with the model you want"
            )
        self.fusion = fusion or FusionSettings()
        if self.fusion.method not in FUSIONS:
            raise NewsSearchError(f"unknown fusion {self.fusion.method!r}: use one of {', '.join(FUSIONS)}")
        self._encoder = encoder
        self._store = ArticleStore(self.layout.store, readonly=True)
        try:
            self._keyword_index = open_for_reading(self.layout.keyword_dir)
        except Exception as exc:  # whoosh raises several unrelated types for a missing or damaged index
            self._store.close()
            raise IndexFormatError(
                f"the keyword index in {self.layout.root} is missing or damaged ({type(exc).__name__}): "
                "run `news-search index --rebuild` to re-derive it from the stored articles"
            ) from exc
        self._searcher: Searcher | None = None
        self._vectors: faiss.Index | None = None
        self._vectors_mtime = 0.0
        self._lock = threading.Lock()
        self.use_keyword_settings(keyword or KeywordSettings())

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> NewsSearch:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._keyword_index.close()
        self._store.close()

    # -- queries -------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 10, mode: Mode = "hybrid") -> list[Hit]:
        """The best ``limit`` articles for ``query``; raises ``QuerySyntaxError`` on malformed syntax."""
        if mode not in MODES:
            raise NewsSearchError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        if limit < 1:
            raise NewsSearchError("limit must be at least 1")
        parsed = self._parser.parse(query)
        depth = max(self.fusion.depth, 10 * limit)
        with self._lock:
            keyword_run = self._keyword_run(parsed, depth) if mode != "semantic" else []
            semantic_run = self._semantic_runs([parsed], depth)[0] if mode != "keyword" else []
        if mode == "keyword":
            fused = keyword_run
        elif mode == "semantic":
            fused = semantic_run
        else:
            fused = replace(self.fusion, depth=depth).fuse(keyword_run, semantic_run)
        return self._hits(fused, keyword_run, semantic_run, parsed, limit)

    def candidates(self, queries: Sequence[str], depth: int = 100) -> list[tuple[NamedRun, NamedRun]]:
        """Keyword and semantic runs (article id, score) for many queries at once, for evaluation.

        Query embeddings are computed in one batch; no fusion, no snippets.
        """
        parsed = [self._parser.parse(q) for q in queries]
        with self._lock:
            keyword_runs = [self._keyword_run(p, depth) for p in parsed]
            semantic_runs = self._semantic_runs(parsed, depth)
        keyword, semantic = self._named(keyword_runs), self._named(semantic_runs)
        return list(zip(keyword, semantic, strict=True))

    def keyword_runs(self, queries: Sequence[str], depth: int = 100) -> list[NamedRun]:
        """Keyword runs (article id, score) only, for evaluating keyword settings."""
        parsed = [self._parser.parse(q) for q in queries]
        with self._lock:
            return self._named([self._keyword_run(p, depth) for p in parsed])

    def _named(self, runs: list[list[tuple[int, float]]]) -> list[NamedRun]:
        ids = self._store.ids_for_rowids({r for run in runs for r, _ in run})
        return [[(ids[r], s) for r, s in run if r in ids] for run in runs]

    def use_keyword_settings(self, settings: KeywordSettings) -> None:
        """Switch BM25F parameters and title weight (query-time settings: no re-indexing)."""
        with self._lock:
            self.keyword = settings
            self._parser = QueryParser(self._keyword_index.schema, settings)
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def query_terms(self, query: str) -> tuple[str, ...]:
        """The words of a query as matched in snippets (for highlighting)."""
        return self._parser.parse(query).terms

    def get(self, article_id: str) -> Article:
        """The stored article (full text) by id, or by URL."""
        article = self._store.get(article_id) or self._store.get_by_url(article_id)
        if article is None:
            raise ArticleNotFoundError(f"no article with id {article_id!r} in {self.layout.root}")
        return article

    def skipped_pages(self) -> list[dict[str, str]]:
        """Every page that was not indexed, with its reason."""
        return [{"source": s.source, "reason": s.reason, "detail": s.detail} for s in self._store.skips()]

    def stats(self) -> dict[str, Any]:
        return {
            "index": str(self.layout.root),
            "articles": self._store.count(),
            "model": self.manifest.model,
            "dim": self.manifest.dim,
            "embedded_text": self.manifest.embedded_text,
            "analysis": self.manifest.analysis,
            "format_version": self.manifest.format_version,
            "size_bytes": self.layout.size_bytes(),
            "languages": self._store.languages(),
            "skipped": self._store.skip_counts(),
            "pending_changes": len(self._store.pending()),
            "created": self.manifest.created,
            "updated": self.manifest.updated,
        }

    # -- internals -----------------------------------------------------------------------------

    def _keyword_run(self, parsed: ParsedQuery, depth: int) -> list[tuple[int, float]]:
        if self._searcher is None:
            weighting = RobertsonBM25F(B=self.keyword.b, K1=self.keyword.k1)
            self._searcher = self._keyword_index.searcher(weighting=weighting)
        else:
            self._searcher = self._searcher.refresh()  # picks up a newer commit, cheap otherwise
        results = self._searcher.search(parsed.keyword, limit=depth)
        return [(int(hit["rowid"]), float(hit.score)) for hit in results]

    def _semantic_runs(self, parsed: Sequence[ParsedQuery], depth: int) -> list[list[tuple[int, float]]]:
        index = self._vector_index()
        if index.ntotal == 0:
            return [[] for _ in parsed]
        if self._encoder is None:
            self._encoder = load_encoder(self.manifest.model)
        query_vectors = self._encoder.encode_queries([p.free_text for p in parsed])
        scores, ids = index.search(query_vectors, min(depth, index.ntotal))
        return [
            [(int(i), float(s)) for i, s in zip(id_row, score_row, strict=True) if i >= 0]
            for id_row, score_row in zip(ids, scores, strict=True)
        ]

    def _vector_index(self) -> faiss.Index:
        from index import vectors

        path = self.layout.vector_index
        mtime = path.stat().st_mtime if path.exists() else 0.0
        if self._vectors is None or mtime != self._vectors_mtime:
            try:
                self._vectors = vectors.load(path, self.manifest.dim)
            except (RuntimeError, ValueError) as exc:  # faiss reports a damaged file as RuntimeError
                raise IndexFormatError(
                    f"the vector index {path} is damaged ({exc}): run `news-search index --rebuild` to re-derive it"
                ) from exc
            self._vectors_mtime = mtime
        return self._vectors

    def _hits(
        self,
        fused: Sequence[tuple[int, float]],
        keyword_run: Sequence[tuple[int, float]],
        semantic_run: Sequence[tuple[int, float]],
        parsed: ParsedQuery,
        limit: int,
    ) -> list[Hit]:
        keyword_pos = {rowid: (rank, score) for rank, (rowid, score) in enumerate(keyword_run, start=1)}
        semantic_pos = {rowid: (rank, score) for rank, (rowid, score) in enumerate(semantic_run, start=1)}
        # Fetch a little more than the page: a row deleted since the derived indexes were written
        # is skipped, and the page is still filled.
        wanted = [rowid for rowid, _ in fused[: limit + 20]]
        articles = self._store.get_many(wanted)
        hits: list[Hit] = []
        for rowid, score in fused:
            article = articles.get(rowid)
            if article is None:
                if rowid not in wanted:
                    articles.update(self._store.get_many([rowid]))
                    article = articles.get(rowid)
                if article is None:
                    continue
            k_rank, k_score = keyword_pos.get(rowid, (None, None))
            s_rank, s_score = semantic_pos.get(rowid, (None, None))
            hits.append(
                Hit(
                    rank=len(hits) + 1,
                    id=article.id,
                    title=article.display_title,
                    url=article.url,
                    published=article.published,
                    site=article.site,
                    author=article.author,
                    lang=article.lang,
                    score=float(score),
                    snippet=make_snippet(article.text, parsed.terms),
                    keyword_rank=k_rank,
                    keyword_score=k_score,
                    semantic_rank=s_rank,
                    semantic_score=s_score,
                )
            )
            if len(hits) == limit:
                break
        return hits
