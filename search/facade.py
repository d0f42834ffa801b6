"""``NewsSearch``: the read-side facade used by the CLI and by Python callers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, get_args

from whoosh.query import NullQuery

from index.article import Article
from index.backends.local.keyword.bm25 import RobertsonBM25F, whoosh_top
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import Manifest, read_manifest
from index.backends.local.snapshot import CommittedState, RefreshingLock
from index.backends.local.store import ArticleStore
from index.embed.base import Encoder
from index.embed.loading import load_encoder, model_cache_dir
from index.errors import ArticleNotFoundError, IndexFormatError, ModelMismatchError, NewsSearchError
from search.arguments import check_article_id, check_search, check_similar, filter_notes, requires_open
from search.query.filters import SearchFilter
from search.query.parser import KeywordSettings, ParsedQuery, QueryParser
from search.ranking.collapse import collapse
from search.ranking.fusion import FusionSettings, RecencySettings, apply_recency, calibration_vectors, matching, semantic_floor
from search.results.hits import Hit, SearchResults
from search.results.snippets import best_passage

if TYPE_CHECKING:
    import faiss
    from whoosh.searching import Searcher

    from index.backends.local.keyword.scoring import ColumnScorer, KeywordMatches

Mode = Literal["hybrid", "keyword", "semantic"]
MODES: tuple[str, ...] = get_args(Mode)
Sort = Literal["relevance", "date"]
SORTS: tuple[str, ...] = get_args(Sort)
# Keyword mode returns every matching article (the true total), up to this many.
MAX_RESULTS = 10_000
# `similar`: a neighbour this close (cosine) to the source is a copy of it, not a related article.
# Measured with multilingual-e5-small on indosum-dev (3,463 articles, no copies among them): the
# closest two distinct stories reach 0.971; edited copies of 60 of its articles (last paragraph
# dropped, a paragraph added, a dateline added, one word in 30 replaced) stay at or above 0.986.
NEAR_COPY_COSINE = 0.98
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
            # The keyword generation and vector file one manifest names, re-opened together when a
            # writer commits (see index/snapshot.py): a query never mixes two states.
            self._state = CommittedState(self.layout, self.manifest)
        except BaseException:
            self._store.close()
            raise
        self._searcher: Searcher | None = None
        self._searcher_state = 0
        self._column_scorer: ColumnScorer | None = None
        self._shared_cache: tuple[int, dict[int, str]] | None = None
        self._floor_cache: tuple[int, float] | None = None
        self._calibration_vectors: Any = None
        self._lock = RefreshingLock(self._refresh_state)
        self.use_keyword_settings(keyword or KeywordSettings())

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> NewsSearch:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True  # every public method then raises NewsSearchClosedError (search/arguments.py)
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self._state.close()
        self._store.close()

    # -- queries -------------------------------------------------------------------------------

    @requires_open
    def search(
        self,
        query: str,
        limit: int = 10,
        mode: Mode = "hybrid",
        *,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        site: str | Sequence[str] | None = None,
        lang: str | Sequence[str] | None = None,
        author: str | Sequence[str] | None = None,
        sort: Sort = "relevance",
        recency: RecencySettings | float | None = None,
        collapse_copies: bool = True,
    ) -> list[Hit]:
        """The best ``limit`` articles for ``query`` (after skipping ``offset``); see ``search_results``."""
        return self.search_results(
            query, limit, mode, offset=offset, since=since, until=until, site=site, lang=lang, author=author,
            sort=sort, recency=recency, collapse_copies=collapse_copies,
        ).hits  # fmt: skip

    @requires_open
    def search_results(
        self,
        query: str,
        limit: int = 10,
        mode: Mode = "hybrid",
        *,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        site: str | Sequence[str] | None = None,
        lang: str | Sequence[str] | None = None,
        author: str | Sequence[str] | None = None,
        sort: Sort = "relevance",
        recency: RecencySettings | float | None = None,
        facets: bool = False,
        collapse_copies: bool = True,
    ) -> SearchResults:
        """One page of results for ``query``, with the size of the whole result set and optional facets.

        Filters (``since``/``until`` as YYYY, YYYY-MM or YYYY-MM-DD; ``site``, ``lang``, ``author``,
        each one value or several) combine with those written in the query and are applied inside
        both retrievers. ``sort="date"`` orders the result set newest first; ``recency`` boosts
        newer articles after fusion (off by default; a number is the weight). Pages are cut from one deterministic result
        set whose size depends on ``limit`` but not on ``offset``, so consecutive pages are disjoint
        and every page reports the same ``total``. Near-duplicates (one story syndicated by several
        outlets) count once: the best-ranked copy stands for its group, and its hit says how many
        other copies there are (``similar_count``; ``group_members(id)`` lists them), unless
        ``collapse_copies=False``. Raises ``QuerySyntaxError`` on malformed syntax, ``TypeError`` and
        ``ValueError`` (as ``NewsSearchError`` subclasses) on wrong arguments.
        """
        recency = check_search(
            query, limit, mode, offset=offset, since=since, until=until, site=site, lang=lang, author=author, sort=sort,
            recency=recency, modes=MODES, sorts=SORTS, flags={"facets": facets, "collapse_copies": collapse_copies},
        )  # fmt: skip
        if mode not in MODES:
            raise NewsSearchError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        if sort not in SORTS:
            raise NewsSearchError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        if limit < 1:
            raise NewsSearchError("limit must be at least 1")
        if offset < 0:
            raise NewsSearchError("offset must be 0 or more")
        recency = recency or RecencySettings()
        parsed = self._parser.parse(query)
        wanted = SearchFilter.build(since=since, until=until, site=site, lang=lang, author=author).merge(parsed.filter)
        allowed = self._allowed(wanted)
        depth = max(self.fusion.depth, 10 * limit)
        keyword_run: list[tuple[int, float]] = []
        semantic_run: list[tuple[int, float]] = []
        contributions: dict[int, tuple[float, float]] = {}
        if mode == "keyword" and sort == "relevance" and not facets and not recency.active and not parsed.browse:
            quick = self._keyword_page(parsed, allowed, offset, limit, collapse_copies)
            if quick is not None:
                run, ranked, total = quick
                hits = self._hits(ranked[offset : offset + limit], run, [], parsed, {}, {}, first_rank=offset + 1)
                return SearchResults(
                    query=query, mode=mode, hits=hits, total=total, offset=offset, limit=limit, sort=sort,
                    filter=wanted.describe(),
                )  # fmt: skip
        if parsed.browse:
            # Only filters: every matching article, newest first.
            fused = [(rowid, 0.0) for rowid in (allowed or [])]
            sort = "date"
        else:
            with self._lock:
                if mode != "semantic":
                    keyword_run = self._keyword_run(parsed, MAX_RESULTS if mode == "keyword" else depth, allowed)
                if mode != "keyword":
                    semantic_run = self._semantic_runs([parsed], depth, allowed)[0]
                    semantic_run = self._without_excluded(parsed, semantic_run)
                    # The result set is what the query matches, not every neighbour (README, "Result
                    # set and pages"): keyword matches, and neighbours above the index's floor.
                    members = self._keyword_members(parsed, keyword_run, semantic_run)
                    floor = self._semantic_floor()
            if mode == "keyword":
                fused = keyword_run
            elif mode == "semantic":
                fused = matching(semantic_run, members, dict(semantic_run), floor)
            else:
                settings = replace(self.fusion, depth=depth)
                # Fused over the whole candidate lists, then cut: the ranking of what stays is unchanged.
                fused = matching(settings.fuse(keyword_run, semantic_run), members, dict(semantic_run), floor)
                contributions = settings.contributions(keyword_run, semantic_run)
        metadata = self._store.metadata_for_rowids([rowid for rowid, _ in fused])
        fused = [(rowid, score) for rowid, score in fused if rowid in metadata]  # rows deleted since the indexes were written
        if collapse_copies:
            fused = collapse(fused, self._store.groups_for_rowids([rowid for rowid, _ in fused]))
        dates = {rowid: meta[0] for rowid, meta in metadata.items()}
        fused, boosts = apply_recency(fused, dates, recency, self._store.newest_published() if recency.active else None)
        if sort == "date":
            # Newest first; undated last; equal dates keep their relevance order (the sort is stable).
            fused = sorted(fused, key=lambda item: dates.get(item[0]) or "", reverse=True)
            fused = [item for item in fused if dates.get(item[0])] + [item for item in fused if not dates.get(item[0])]
        page = fused[offset : offset + limit]
        hits = self._hits(page, keyword_run, semantic_run, parsed, contributions, boosts, first_rank=offset + 1)
        return SearchResults(
            query=query,
            mode=mode,
            hits=hits,
            total=len(fused),
            offset=offset,
            limit=limit,
            sort=sort,
            filter=wanted.describe(),
            facets=_facets([metadata[rowid] for rowid, _ in fused]) if facets else None,
        )

    @requires_open
    def similar(
        self,
        article_id: str,
        limit: int = 10,
        *,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        site: str | Sequence[str] | None = None,
        lang: str | Sequence[str] | None = None,
        author: str | Sequence[str] | None = None,
    ) -> SearchResults:
        """Articles related to a stored one (by id or URL): its nearest neighbours in meaning, fused with
        the articles that share its most distinctive words, without the source and its near-copies.

        A near-copy is an article of the source's near-duplicate group, or one whose embedding is
        within ``NEAR_COPY_COSINE`` of the source's (the same story re-published or barely edited).

        Returns one page, like ``similar_results``: ``SearchResults`` is also the sequence of its hits.
        """
        check_similar(article_id, limit, offset=offset, since=since, until=until, site=site, lang=lang, author=author)
        if limit < 1:
            raise NewsSearchError("limit must be at least 1")
        source = self.get(article_id)
        rowid = self._store.rowid_for(source.id)
        vector = self._store.vectors([rowid], self.manifest.dim).get(rowid) if rowid is not None else None
        if rowid is None or vector is None:
            raise ArticleNotFoundError(f"article {article_id!r} has no stored embedding: run `news-search index --rebuild`")
        wanted = SearchFilter.build(since=since, until=until, site=site, lang=lang, author=author)
        allowed = self._allowed(wanted)
        depth = max(self.fusion.depth, 10 * limit)
        with self._lock:
            semantic_run = self._vector_run(vector, depth + 1, allowed)
            keyword_query, terms = self._more_like_query(source)
            keyword_run = self._keyword_run(keyword_query, depth + 1, allowed) if keyword_query is not None else []
        copies = self._near_copies(rowid, source.id, semantic_run)
        semantic_run = [(r, s) for r, s in semantic_run if r not in copies]
        keyword_run = [(r, s) for r, s in keyword_run if r not in copies]
        settings = replace(self.fusion, depth=depth)
        fused = settings.fuse(keyword_run, semantic_run)
        contributions = settings.contributions(keyword_run, semantic_run)
        metadata = self._store.metadata_for_rowids([r for r, _ in fused])
        fused = [(r, s) for r, s in fused if r in metadata]
        parsed = keyword_query or ParsedQuery(text="", keyword=NullQuery, free_text="", terms=terms, browse=True)
        page = fused[offset : offset + limit]
        hits = self._hits(page, keyword_run, semantic_run, parsed, contributions, {}, first_rank=offset + 1)
        return SearchResults(
            query=f"similar:{source.id}",
            mode="hybrid",
            hits=hits,
            total=len(fused),
            offset=offset,
            limit=limit,
            filter=wanted.describe(),
        )

    def similar_results(
        self,
        article_id: str,
        limit: int = 10,
        *,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        site: str | Sequence[str] | None = None,
        lang: str | Sequence[str] | None = None,
        author: str | Sequence[str] | None = None,
    ) -> SearchResults:
        """``similar``'s page with its total, named like ``search_results`` (``similar`` returns the same)."""
        return self.similar(
            article_id, limit, offset=offset, since=since, until=until, site=site, lang=lang, author=author
        )  # fmt: skip

    @requires_open
    def filter_notes(
        self,
        query: str = "",
        *,
        since: str | None = None,
        until: str | None = None,
        site: str | Sequence[str] | None = None,
        lang: str | Sequence[str] | None = None,
        author: str | Sequence[str] | None = None,
    ) -> list[str]:
        """Why a filter (the options and those written in ``query``) leaves nothing to search: each part
        that no stored article passes, with what the index holds ("no article has language 'english';
        the index holds: en 20, id 21"). Empty when some article passes the filter."""
        wanted = SearchFilter.build(since=since, until=until, site=site, lang=lang, author=author)
        if query.strip():
            wanted = wanted.merge(self._parser.parse(query).filter)
        return filter_notes(self._store, wanted)

    @requires_open
    def candidates(self, queries: Sequence[str], depth: int = 100) -> list[tuple[NamedRun, NamedRun]]:
        """Keyword and semantic runs (article id, score) for many queries at once, for evaluation.

        Query embeddings are computed in one batch; no fusion, no snippets.
        """
        parsed = [self._parser.parse(q) for q in queries]
        allowed = [self._allowed(p.filter) for p in parsed]  # filters written in a query apply here too
        with self._lock:
            keyword_runs = [self._keyword_run(p, depth, a) for p, a in zip(parsed, allowed, strict=True)]
            if all(a is None for a in allowed):
                semantic_runs = self._semantic_runs(parsed, depth)
            else:
                semantic_runs = [self._semantic_runs([p], depth, a)[0] for p, a in zip(parsed, allowed, strict=True)]
            semantic_runs = [self._without_excluded(p, run) for p, run in zip(parsed, semantic_runs, strict=True)]
        keyword, semantic = self._named(keyword_runs), self._named(semantic_runs)
        return list(zip(keyword, semantic, strict=True))

    @requires_open
    def keyword_runs(self, queries: Sequence[str], depth: int = 100) -> list[NamedRun]:
        """Keyword runs (article id, score) only, for evaluating keyword settings."""
        parsed = [self._parser.parse(q) for q in queries]
        with self._lock:
            return self._named([self._keyword_run(p, depth) for p in parsed])

    def _named(self, runs: list[list[tuple[int, float]]]) -> list[NamedRun]:
        ids = self._store.ids_for_rowids({r for run in runs for r, _ in run})
        return [[(ids[r], s) for r, s in run if r in ids] for run in runs]

    @requires_open
    def use_keyword_settings(self, settings: KeywordSettings) -> None:
        """Switch BM25F parameters and title weight (query-time settings: no re-indexing)."""
        with self._lock:
            self.keyword = settings
            self._parser = QueryParser(self._state.schema, settings)
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    @requires_open
    def query_terms(self, query: str) -> tuple[str, ...]:
        """The words of a query as matched in snippets (for highlighting)."""
        return self._parser.parse(query).terms

    @requires_open
    def published_dates(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """Publication day (ISO, or None) of stored articles by id; unknown ids are left out."""
        rowids = {article_id: self._store.rowid_for(article_id) for article_id in article_ids}
        metadata = self._store.metadata_for_rowids([r for r in rowids.values() if r is not None])
        return {a: metadata[r][0] for a, r in rowids.items() if r is not None and r in metadata}

    @requires_open
    def get(self, article_id: str) -> Article:
        """The stored article (full text) by id, or by URL."""
        check_article_id(article_id)
        article = self._store.get(article_id) or self._store.get_by_url(article_id)
        if article is None:
            raise ArticleNotFoundError(f"no article with id {article_id!r} in {self.layout.root}")
        return article

    @requires_open
    def group_members(self, article_id: str) -> list[Article]:
        """The article (by id or URL) and its near-duplicates: the same story from other outlets, oldest first."""
        article = self.get(article_id)
        return self._store.group_members(self._store.group_of(article.id) or article.id)

    @requires_open
    def skipped_pages(self) -> list[dict[str, str]]:
        """Every page that was not indexed, with its reason."""
        return [{"source": s.source, "reason": s.reason, "detail": s.detail} for s in self._store.skips()]

    def noted_pages(self) -> list[dict[str, str]]:
        """Every page that was indexed with a note (a date field that is no date, say), with the note."""
        return [{"source": source, "note": n.kind, "detail": n.detail} for source, n in self._store.notes()]

    @requires_open
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
            "notes": self._store.note_counts(),
            "pending_changes": len(self._store.pending()),
            "problems": self._state.problems,  # a missing or damaged keyword or vector index, and its repair
            "created": self.manifest.created,
            "updated": self.manifest.updated,
        }

    # -- internals -----------------------------------------------------------------------------

    def _keyword_page(
        self, parsed: ParsedQuery, allowed: list[int] | None, offset: int, limit: int, collapse_copies: bool
    ) -> tuple[list[tuple[int, float]], list[tuple[int, float]], int] | None:
        """Keyword mode by relevance without ranking every match: (run, collapsed ranking, total).

        The column scorer counts all matches (and which near-duplicates among them) while ranking
        only as deep as the page needs; None when the query needs whoosh itself.
        """
        import numpy as np

        with self._lock:
            shared = self._shared_groups() if collapse_copies else {}
            watch = np.fromiter(shared, dtype=np.int64, count=len(shared))
            window = offset + limit + 32
            while True:
                found = self._column_matches(parsed, min(window, MAX_RESULTS), allowed, watch=watch)
                if found is None:
                    return None
                run = list(zip(found.rowids.tolist(), found.scores.tolist(), strict=True))
                present = self._store.ids_for_rowids({rowid for rowid, _ in run})
                ranked = [(rowid, score) for rowid, score in run if rowid in present]  # rows deleted since the sync
                if collapse_copies:
                    ranked = collapse(ranked, {rowid: shared[rowid] for rowid, _ in ranked if rowid in shared})
                if len(ranked) >= offset + limit or window >= min(found.total, MAX_RESULTS):
                    break
                window *= 4
        matched_groups = [shared[rowid] for rowid in found.matched_of.tolist()]
        hidden = len(matched_groups) - len(set(matched_groups))  # copies that count once
        return run, ranked, min(found.total - hidden, MAX_RESULTS)

    def _shared_groups(self) -> dict[int, str]:
        if self._shared_cache is None or self._shared_cache[0] != self._state.generation:
            self._shared_cache = (self._state.generation, self._store.shared_groups())
        return self._shared_cache[1]

    def _column_matches(
        self, parsed: ParsedQuery, depth: int, allowed: list[int] | None, watch: Any = None
    ) -> KeywordMatches | None:
        """A plain query's top ``depth`` by whoosh's own BM25F, computed over the postings' column
        copies (search/keyword_scoring.py); None when the query or the index needs whoosh itself."""
        searcher = self._keyword_searcher()
        scorer = self._column_scorer
        plan = scorer.plan(parsed.keyword, searcher.schema) if scorer is not None else None
        if scorer is None or plan is None:
            return None
        import numpy as np

        restrict = np.unique(np.asarray(allowed, dtype=np.int64)) if allowed is not None else None
        weighting = (self.keyword.k1, self.keyword.b)
        return scorer.search(plan, searcher, depth, weighting=weighting, allowed_rowids=restrict, watch=watch)

    def _keyword_run(self, parsed: ParsedQuery, depth: int, allowed: list[int] | None = None) -> list[tuple[int, float]]:
        if parsed.browse or (allowed is not None and not allowed):
            return []
        found = self._column_matches(parsed, depth, allowed)
        if found is not None:
            return list(zip(found.rowids.tolist(), found.scores.tolist(), strict=True))
        searcher = self._keyword_searcher()
        restriction = self._docnum_restriction(searcher, allowed) if allowed is not None else {}
        return whoosh_top(searcher, parsed.keyword, depth, **restriction)

    def _without_excluded(self, parsed: ParsedQuery, run: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """The run without the articles that match what the query excludes, read as the keyword side
        reads it: the semantic side sees only the free text, so `a NOT b` would bring b back."""
        if parsed.excluded is None or not run:
            return run
        searcher = self._keyword_searcher()
        if self._column_scorer is not None:
            excluded = set(self._column_scorer.matching_rowids(parsed.excluded, searcher).tolist())
        else:
            from whoosh.reading import TermNotFound

            reader = searcher.reader()
            row_of: dict[int, int] = {}
            for rowid, _ in run:
                try:
                    row_of.update((docnum, rowid) for docnum in reader.postings("rowid", str(rowid)).all_ids())
                except TermNotFound:
                    continue
            found = searcher.search(parsed.excluded, filter=set(row_of), limit=None, scored=False)
            excluded = {row_of[docnum] for docnum in found.docs()}
        return [(rowid, score) for rowid, score in run if rowid not in excluded]

    def _refresh_state(self) -> None:
        if self._state.refresh():
            self.manifest = self._state.manifest

    def _keyword_searcher(self) -> Searcher:
        # Not whoosh's Searcher.refresh(): it opens the latest generation (maybe not yet committed by
        # the manifest) and whoosh-reloaded keeps the old segments in the refreshed reader.
        if self._searcher is None or self._searcher_state != self._state.generation:
            from whoosh.searching import Searcher as WhooshSearcher

            if self._searcher is not None:
                self._searcher.close()
            from index.backends.local.keyword.scoring import ColumnScorer

            weighting = RobertsonBM25F(B=self.keyword.b, K1=self.keyword.k1)
            self._searcher = WhooshSearcher(self._state.reader, weighting=weighting, closereader=False)
            self._searcher_state = self._state.generation
            scorer = ColumnScorer(self._state.reader, self.layout.keyword_dir)
            self._column_scorer = scorer if scorer.available else None
        return self._searcher

    def _docnum_restriction(self, searcher: Searcher, allowed: list[int]) -> dict[str, set[int]]:
        """whoosh's own filter (or mask, whichever is smaller) for the allowed store rows: the
        keyword side then ranks only inside the filter, and its page is full when enough match."""
        from whoosh.reading import TermNotFound

        reader = searcher.reader()
        total = self._store.count()
        if len(allowed) * 2 <= total:
            rows, key = allowed, "filter"
        else:
            keep = set(allowed)
            rows, key = [r for r in self._store.all_rowids() if r not in keep], "mask"
        docnums: set[int] = set()
        for row in rows:
            try:
                docnums.update(reader.postings("rowid", str(row)).all_ids())
            except TermNotFound:
                continue
        if key == "mask" and not docnums:
            return {}
        return {key: docnums}

    def _allowed(self, wanted: SearchFilter) -> list[int] | None:
        """Store row ids passing the filter; None when there is no filter."""
        if not wanted.active:
            return None
        return self._store.filter_rowids(
            since=wanted.since,
            until=wanted.until,
            sites=wanted.sites,
            langs=wanted.langs,
            authors=wanted.authors,
            not_sites=wanted.not_sites,
            not_langs=wanted.not_langs,
            not_authors=wanted.not_authors,
        )

    def _semantic_runs(
        self, parsed: Sequence[ParsedQuery], depth: int, allowed: list[int] | None = None
    ) -> list[list[tuple[int, float]]]:
        from index.backends.local import vectors

        index = self._vector_index()
        if index.ntotal == 0 or (allowed is not None and not allowed):
            return [[] for _ in parsed]
        if self._encoder is None:
            self._encoder = load_encoder(self.manifest.model)
        query_vectors = self._encoder.encode_queries([p.free_text for p in parsed])
        import numpy as np

        # The filter is applied inside the vector search, not to a short list after it.
        restrict = np.asarray(allowed, dtype=np.int64) if allowed is not None else None
        scores, ids = vectors.search(index, query_vectors, depth, allowed=restrict)
        return [
            [(int(i), float(s)) for i, s in zip(id_row, score_row, strict=True) if i >= 0]
            for id_row, score_row in zip(ids, scores, strict=True)
        ]

    def _keyword_members(
        self, parsed: ParsedQuery, keyword_run: list[tuple[int, float]], semantic_run: list[tuple[int, float]]
    ) -> set[int]:
        """The candidates that match the keyword query: the keyword run, and the semantic candidates
        that match it below the run's depth (the keyword query restricted to them)."""
        members = {rowid for rowid, _ in keyword_run}
        rest = [rowid for rowid, _ in semantic_run if rowid not in members]
        if rest:
            # A missing or damaged keyword index: semantic mode still answers, by the floor alone.
            with contextlib.suppress(IndexFormatError):
                members.update(rowid for rowid, _ in self._keyword_run(parsed, len(rest), rest))
        return members

    def semantic_floor(self) -> float:
        """The cosine a semantic neighbour must reach to be in a query's result set in this index
        (the mean plus three standard deviations of what meaningless queries reach: see
        ``search.fusion.semantic_floor``); calibrated once per committed state."""
        with self._lock:
            return self._semantic_floor()

    def _semantic_floor(self) -> float:
        generation = self._state.generation
        if self._floor_cache is None or self._floor_cache[0] != generation:
            import numpy as np

            from index.backends.local import vectors

            index = self._vector_index()
            best: list[float] = []
            if index.ntotal:
                if self._encoder is None:
                    self._encoder = load_encoder(self.manifest.model)
                if self._calibration_vectors is None:  # once per reader, and kept in the model cache
                    self._calibration_vectors = calibration_vectors(self._encoder, model_cache_dir())
                scores, ids = vectors.search(index, np.asarray(self._calibration_vectors), 1)
                best = [float(s) for s, i in zip(scores[:, 0], ids[:, 0], strict=True) if i >= 0]
            self._floor_cache = (generation, semantic_floor(best))
        return self._floor_cache[1]

    def _vector_run(self, vector: Any, depth: int, allowed: list[int] | None) -> list[tuple[int, float]]:
        """Nearest stored articles to a stored embedding (for ``similar``)."""
        import numpy as np

        from index.backends.local import vectors

        index = self._vector_index()
        if index.ntotal == 0 or (allowed is not None and not allowed):
            return []
        restrict = np.asarray(allowed, dtype=np.int64) if allowed is not None else None
        scores, ids = vectors.search(index, np.asarray(vector, dtype=np.float32)[None, :], depth, allowed=restrict)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _more_like_query(self, article: Article) -> tuple[ParsedQuery | None, tuple[str, ...]]:
        """A keyword query of the article's most distinctive words (tf-idf in its own language's field)."""
        from whoosh.query import Or, Term

        from index.backends.local.keyword.schema import document

        searcher = self._keyword_searcher()
        fields = document(0, article, self._state.schema)
        body_field = next(name for name in fields if name.startswith("body"))
        text = f"{article.title}\n{article.text}"
        terms = [t for t, _ in searcher.key_terms_from_text(body_field, text, numterms=15) if len(t) > 2]
        if not terms:
            return None, ()
        query = Or([Term(body_field, t) for t in terms])
        return ParsedQuery(text=" ".join(terms), keyword=query, free_text=" ".join(terms), terms=tuple(terms)), tuple(terms)

    def _near_copies(self, rowid: int, article_id: str, neighbours: list[tuple[int, float]]) -> set[int]:
        """The source, its near-duplicate group, and neighbours whose cosine says they are copies."""
        copies = {rowid} | {r for r, score in neighbours if score >= NEAR_COPY_COSINE}
        if self._store.has_groups:
            group = self._store.group_of(article_id)
            candidates = [r for r, _ in neighbours]
            copies |= {r for r, g in self._store.groups_for_rowids(candidates).items() if g == group}
        return copies

    def _vector_index(self) -> faiss.Index:
        index: faiss.Index = self._state.vectors
        return index

    def _hits(
        self,
        page: Sequence[tuple[int, float]],
        keyword_run: Sequence[tuple[int, float]],
        semantic_run: Sequence[tuple[int, float]],
        parsed: ParsedQuery,
        contributions: dict[int, tuple[float, float]],
        boosts: dict[int, float],
        *,
        first_rank: int = 1,
    ) -> list[Hit]:
        keyword_pos = {rowid: (rank, score) for rank, (rowid, score) in enumerate(keyword_run, start=1)}
        semantic_pos = {rowid: (rank, score) for rank, (rowid, score) in enumerate(semantic_run, start=1)}
        articles = self._store.get_many([rowid for rowid, _ in page])
        groups = self._store.groups_for_rowids([rowid for rowid, _ in page])
        group_sizes = self._store.group_sizes(groups.values())
        hits: list[Hit] = []
        for rowid, score in page:
            article = articles.get(rowid)
            if article is None:  # deleted between the metadata read and now
                continue
            k_rank, k_score = keyword_pos.get(rowid, (None, None))
            s_rank, s_score = semantic_pos.get(rowid, (None, None))
            k_part, s_part = contributions.get(rowid, (None, None))
            snippet = best_passage(article.text, parsed.terms, phrases=parsed.phrases, lang=article.lang)
            hits.append(
                Hit(
                    rank=first_rank + len(hits),
                    id=article.id,
                    title=article.display_title,
                    url=article.url,
                    published=article.published,
                    site=article.site,
                    author=article.author,
                    lang=article.lang,
                    score=float(score),
                    snippet=snippet.text,
                    keyword_rank=k_rank,
                    keyword_score=k_score,
                    semantic_rank=s_rank,
                    semantic_score=s_score,
                    highlights=list(snippet.spans),
                    keyword_contribution=k_part,
                    semantic_contribution=s_part,
                    recency_boost=boosts.get(rowid, 0.0),
                    similar_count=max(0, group_sizes.get(groups.get(rowid, ""), 1) - 1),
                )
            )
        return hits


def _facets(rows: Sequence[tuple[str | None, str | None, str | None]]) -> dict[str, dict[str, int]]:
    """Counts by site, language and month over the whole result set, largest first (months in order)."""
    from collections import Counter

    sites = Counter(site or "unknown" for _published, site, _lang in rows)
    langs = Counter(lang or "unknown" for _published, _site, lang in rows)
    months = Counter((published or "")[:7] or "unknown" for published, _site, _lang in rows)
    return {
        "site": dict(sites.most_common()),
        "lang": dict(langs.most_common()),
        "month": dict(sorted(months.items())),
    }
