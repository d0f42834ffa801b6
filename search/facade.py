"""``NewsSearch``: the read-side facade used by the CLI and by Python callers.

It opens a backend (``index.backends.open_reader``: a folder is the local backend), checks the
arguments at the library's boundary (``search.arguments``), parses the query (``search.query``)
and hands each request to the ranking pipeline (``search.ranking.pipeline``) over one snapshot of
the backend's latest committed state. Nothing here knows which engine answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from index.article import Article
from index.backends import open_reader
from index.backends.base import IndexInfo, Run, Snapshot
from index.backends.filters import SearchFilter
from index.backends.query import KeywordSettings
from index.embed.base import Encoder
from index.embed.loading import load_encoder
from index.errors import ArticleNotFoundError, ModelMismatchError, NewsSearchError
from search.arguments import (
    InvalidArgumentError,
    check_article_id,
    check_export,
    check_query_lang,
    check_search,
    check_similar,
    check_timeline,
    empty_filter_notes,
    filter_notes,
    requires_open,
)
from search.query.parser import ParsedQuery, QueryParser
from search.ranking.fusion import FusionSettings
from search.ranking.pipeline import MODES, SORTS, Mode, Pipeline, Request, Sort
from search.ranking.recency import RecencySettings
from search.ranking.similar import similar
from search.ranking.whole_set import WholeSets
from search.results.export import MAX_EXPORT_ROWS, Entry, ExportSet
from search.results.hits import Hit, SearchResults
from search.results.timeline import INTERVALS, Dated, Interval, Timeline, TooManyPeriodsError, build_timeline

FUSIONS = ("rrf", "weighted")
# One timeline compares this many queries at most (each is a whole result set).
MAX_TIMELINE_QUERIES = 8


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
        fusion = fusion or FusionSettings()
        self._reader = open_reader(index_dir)
        try:
            info = self._reader.info
            requested = encoder.name if encoder is not None else model
            if requested is not None and requested != info.model:
                raise ModelMismatchError(
                    f"index at {info.location} was built with model {info.model!r}, not {requested!r}: "
                    "search it without --model, or rebuild it with the model you want"
                )
            if fusion.method not in FUSIONS:
                raise NewsSearchError(f"unknown fusion {fusion.method!r}: use one of {', '.join(FUSIONS)}")
        except BaseException:
            self._reader.close()
            raise
        self._encoder = encoder
        self._parser = QueryParser(self._reader.query_words)
        self._pipeline = Pipeline(self._query_encoder, fusion, keyword or KeywordSettings())
        self._closed = False
        self._whole_sets = WholeSets(self._pipeline)

    @property
    def info(self) -> IndexInfo:
        """What the index is: its location, model, dimension, analysis, format and dates."""
        return self._reader.info

    @property
    def fusion(self) -> FusionSettings:
        return self._pipeline.fusion

    @property
    def keyword(self) -> KeywordSettings:
        return self._pipeline.keyword

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> NewsSearch:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True  # every public method then raises NewsSearchClosedError (search/arguments.py)
        self._reader.close()

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
        query_lang: str | None = None,
    ) -> list[Hit]:
        """The best ``limit`` articles for ``query`` (after skipping ``offset``); see ``search_results``."""
        return self.search_results(
            query, limit, mode, offset=offset, since=since, until=until, site=site, lang=lang, author=author,
            sort=sort, recency=recency, collapse_copies=collapse_copies, query_lang=query_lang,
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
        count_all: bool = False,
        query_lang: str | None = None,
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
        ``collapse_copies=False``. ``total`` counts the whole set (every keyword match and every
        neighbour above the floor) in keyword mode, with ``facets`` and with ``count_all``; otherwise
        the set as deep as fusion ranks (``total_complete`` says which). ``query_lang`` (an ISO code)
        says which language the query is in; without it, hybrid mode detects it among the archive's
        languages, and articles in another language are fused on their meaning (``Hit.cross_language``).
        Raises ``QuerySyntaxError`` on malformed syntax, ``TypeError`` and
        ``ValueError`` (as ``NewsSearchError`` subclasses) on wrong arguments.
        """
        settings = check_search(
            query, limit, mode, offset=offset, since=since, until=until, site=site, lang=lang, author=author, sort=sort,
            recency=recency, modes=MODES, sorts=SORTS,
            flags={"facets": facets, "collapse_copies": collapse_copies, "count_all": count_all},
        )  # fmt: skip
        whole = facets or count_all
        query_lang = check_query_lang(query_lang)
        given = SearchFilter.build(since=since, until=until, site=site, lang=lang, author=author)
        parsed = self._parse(query, given)
        wanted = given.merge(parsed.filter)
        with self._reader.snapshot() as snapshot:
            allowed = snapshot.resolve_filter(wanted)
            request = Request(
                parsed, mode, limit, offset, allowed, sort, settings or RecencySettings(), facets, collapse_copies,
                whole=whole, query_lang=query_lang,
            )  # fmt: skip
            page = self._pipeline.search(snapshot, request)
            self._whole_sets.remember(snapshot, request, wanted, page.ranked)
            notes = empty_filter_notes(snapshot, wanted, page.total)
        return SearchResults(
            query=query, mode=mode, hits=page.hits, total=page.total, offset=offset, limit=limit, sort=page.sort,
            filter=wanted.describe(), facets=page.facets, notes=notes,
            total_complete=whole or mode == "keyword" or parsed.browse,
        )  # fmt: skip

    @requires_open
    def timeline(
        self,
        queries: str | Sequence[str],
        *,
        interval: Interval = "auto",
        by_site: bool = False,
        mode: Mode = "hybrid",
        since: str | None = None,
        until: str | None = None,
        site: str | Sequence[str] | None = None,
        lang: str | Sequence[str] | None = None,
        author: str | Sequence[str] | None = None,
        collapse_copies: bool = True,
    ) -> Timeline:
        """Coverage over time: each query's whole result set (not a page) counted per day, ISO week
        or month (``"auto"``: days up to two months, weeks up to two years, else months), on one
        axis for all queries; with ``by_site``, each period's count split by site. Undated articles
        are counted apart (``undated``). The filters apply to every query, with those it writes."""
        texts = check_timeline(queries, interval, intervals=INTERVALS, most=MAX_TIMELINE_QUERIES)
        wanted = SearchFilter.build(since=since, until=until, site=site, lang=lang, author=author)
        sets: list[tuple[str, list[Dated]]] = []
        notes: list[str] = []
        with self._reader.snapshot() as snapshot:
            for text in texts:
                run, query_filter = self._whole_set(snapshot, text, mode, wanted, "relevance", collapse_copies)
                facts = snapshot.facts([doc for doc, _ in run])
                sets.append((text, [Dated(facts[doc].published, facts[doc].site) for doc, _ in run if doc in facts]))
                if not run:
                    notes.extend(empty_filter_notes(snapshot, query_filter, 0))
        try:
            chosen, periods, series = build_timeline(sets, interval, by_site=by_site)
        except TooManyPeriodsError as error:
            raise InvalidArgumentError(str(error)) from None
        return Timeline(chosen, periods, series, filter=wanted.describe(), mode=mode, notes=list(dict.fromkeys(notes)))

    @requires_open
    def export(
        self,
        query: str,
        *,
        mode: Mode = "hybrid",
        since: str | None = None,
        until: str | None = None,
        site: str | Sequence[str] | None = None,
        lang: str | Sequence[str] | None = None,
        author: str | Sequence[str] | None = None,
        sort: Sort = "relevance",
        collapse_copies: bool = True,
        fields: Sequence[str] | None = None,
        offset: int = 0,
        max_rows: int = MAX_EXPORT_ROWS,
    ) -> ExportSet:
        """The whole result set of ``query``, ranked as its pages are, for export: up to ``max_rows``
        entries from ``offset`` (``truncated`` and ``next_offset`` say when more remain). Read the
        rows with ``ExportSet.rows(ns.articles)``; ``fields`` from ``search.results.export.FIELDS``."""
        check_search(
            query, 1, mode, offset=offset, since=since, until=until, site=site, lang=lang, author=author, sort=sort,
            recency=None, modes=MODES, sorts=SORTS, flags={"collapse_copies": collapse_copies},
        )  # fmt: skip
        chosen = check_export(fields, max_rows, most=MAX_EXPORT_ROWS)
        wanted = SearchFilter.build(since=since, until=until, site=site, lang=lang, author=author)
        with self._reader.snapshot() as snapshot:
            run, _ = self._whole_set(snapshot, query, mode, wanted, sort, collapse_copies)
            part = run[offset : offset + max_rows]
            ids = snapshot.article_ids(doc for doc, _ in part)
        entries = [
            Entry(offset + index + 1, ids[doc], score) for index, (doc, score) in enumerate(part) if doc in ids
        ]  # fmt: skip
        return ExportSet(query, mode, wanted.describe(), len(run), offset, entries, chosen)

    @requires_open
    def articles(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The stored articles (full text) with these ids; unknown ids are left out."""
        with self._reader.snapshot() as snapshot:
            docs = snapshot.documents_of(article_ids)
            found = snapshot.articles(list(docs.values()))
        return {article_id: found[doc] for article_id, doc in docs.items() if doc in found}

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

        A near-copy is an article of the source's near-duplicate group, or one whose stored embedding
        is within ``search.ranking.similar.NEAR_COPY_COSINE`` of the source's (the same story
        re-published or barely edited; compared as embedded, also in an archive centered per language).

        Returns one page, like ``similar_results``: ``SearchResults`` is also the sequence of its hits.
        """
        check_similar(article_id, limit, offset=offset, since=since, until=until, site=site, lang=lang, author=author)
        wanted = SearchFilter.build(since=since, until=until, site=site, lang=lang, author=author)
        with self._reader.snapshot() as snapshot:
            doc, source = self._find(snapshot, article_id)
            allowed = snapshot.resolve_filter(wanted)
            page = similar(self._pipeline, snapshot, doc, source, limit=limit, offset=offset, allowed=allowed)
            notes = empty_filter_notes(snapshot, wanted, page.total)
        return SearchResults(
            query=f"similar:{source.id}", mode="hybrid", hits=page.hits, total=page.total, offset=offset, limit=limit,
            filter=wanted.describe(), notes=notes,
        )  # fmt: skip

    # ``similar``'s page with its total, named like ``search_results`` (``similar`` returns the same).
    similar_results = similar

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
        with self._reader.snapshot() as snapshot:
            return filter_notes(snapshot, wanted)

    @requires_open
    def query_terms(self, query: str) -> tuple[str, ...]:
        """The words of a query as matched in snippets (for highlighting)."""
        return self._parser.parse(query).terms

    @requires_open
    def published_dates(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """Publication day (ISO, or None) of stored articles by id; unknown ids are left out."""
        with self._reader.snapshot() as snapshot:
            docs = snapshot.documents_of(article_ids)
            facts = snapshot.facts(list(docs.values()))
        return {article_id: facts[doc].published for article_id, doc in docs.items() if doc in facts}

    @requires_open
    def get(self, article_id: str) -> Article:
        """The stored article (full text) by id, or by URL."""
        with self._reader.snapshot() as snapshot:
            return self._find(snapshot, article_id)[1]

    @requires_open
    def group_members(self, article_id: str) -> list[Article]:
        """The article (by id or URL) and its near-duplicates: the same story from other outlets, oldest first."""
        with self._reader.snapshot() as snapshot:
            return snapshot.group_members(self._find(snapshot, article_id)[1].id)

    @requires_open
    def skipped_pages(self) -> list[dict[str, str]]:
        """Every page that was not indexed, with its reason."""
        with self._reader.snapshot() as snapshot:
            return [{"source": s.source, "reason": s.reason, "detail": s.detail} for s in snapshot.skipped()]

    @requires_open
    def noted_pages(self) -> list[dict[str, str]]:
        """Every page that was indexed with a note (a date field that is no date, say), with the note."""
        with self._reader.snapshot() as snapshot:
            return [{"source": source, "note": n.kind, "detail": n.detail} for source, n in snapshot.noted()]

    @requires_open
    def stats(self, *, pages: bool = False) -> dict[str, Any]:
        """What the index holds; with ``pages``, also every skipped and noted page (``stats --json``)."""
        with self._reader.snapshot() as snapshot:
            data = snapshot.stats()
        if pages:
            data["skipped_pages"] = self.skipped_pages()
            data["noted_pages"] = self.noted_pages()
        return data

    # -- internals -----------------------------------------------------------------------------

    def _parse(self, query: str, given: SearchFilter) -> ParsedQuery:
        """The parsed query; an empty one under a filter browses it (every article passing it, newest first)."""
        if not query.strip() and given.active:
            return ParsedQuery(text="", query=None, free_text="", terms=(), browse=True)
        return self._parser.parse(query)

    def _whole_set(
        self, snapshot: Snapshot, query: str, mode: Mode, wanted: SearchFilter, sort: Sort, collapse_copies: bool
    ) -> tuple[Run, SearchFilter]:
        """The whole ranked result set of ``query`` (``search.ranking.whole_set``), and the filter it ran under."""
        if mode not in MODES:
            raise InvalidArgumentError(f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        parsed = self._parse(query, wanted)
        query_filter = wanted.merge(parsed.filter)
        return self._whole_sets.ranked(snapshot, parsed, mode, query_filter, sort, collapse_copies), query_filter

    def _find(self, snapshot: Snapshot, article_id: str) -> tuple[int, Article]:
        check_article_id(article_id)
        found = snapshot.find(article_id)
        if found is None:
            raise ArticleNotFoundError(f"no article with id {article_id!r} in {snapshot.info.location}")
        return found

    def _query_encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.info.model)
        return self._encoder
