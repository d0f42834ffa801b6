"""The HTTP API over one index: ``create_app(index_location)`` returns the FastAPI application.

Every answer has the field names and meanings of ``news-search --json`` (the library's
``to_dict``); errors are shaped by ``search.http.errors``. Read-only: no endpoint writes.

- ``GET /api/search``: the ``search`` command's options as query parameters (``site``, ``lang``
  and ``author`` repeatable; ``page`` or ``offset``, not both).
- ``GET /api/articles/{id}``, ``/api/articles/{id}/similar``, ``/api/groups/{id}``: ``show``,
  ``similar`` and ``group`` (an id, or a stored URL).
- ``GET /api/stats``: ``stats --json``; ``GET /healthz``: 200 once the index opens, else 503.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from search.arguments import InvalidArgumentError
from search.facade import NewsSearch
from search.http import errors
from search.http.engine import SharedEngine
from search.ranking.pipeline import Mode, Sort
from search.ranking.recency import RecencySettings
from search.results.hits import SearchResults, group_to_dict

MAX_QUERY_CHARS = 1_000
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_FILTER_VALUES = 20

Since = Annotated[str | None, Query(max_length=10, description="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")]
Until = Annotated[str | None, Query(max_length=10, description="Published on or before (YYYY-MM means through its end).")]
Site = Annotated[list[str] | None, Query(max_length=MAX_FILTER_VALUES, description="From this site (repeatable).")]
Lang = Annotated[list[str] | None, Query(max_length=MAX_FILTER_VALUES, description="In this language (repeatable).")]
Author = Annotated[list[str] | None, Query(max_length=MAX_FILTER_VALUES, description="By this author (repeatable).")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Results per page.")]
Page = Annotated[int | None, Query(ge=1, description="Page number (pages of `limit` results); default 1.")]
Offset = Annotated[int | None, Query(ge=0, le=MAX_OFFSET, description="Skip this many results (instead of `page`).")]
Explain = Annotated[
    bool, Query(description="Accepted as the CLI's --explain; the explanation fields are in every hit, as in --json.")
]


def first_result(page: int | None, offset: int | None, limit: int) -> int:
    """The offset of the page asked for: ``page`` and ``offset`` are two ways of saying it, so not both."""
    if page is not None and offset is not None:
        raise InvalidArgumentError(
            f"give page or offset, not both (page {page} is offset {(page - 1) * limit} with limit {limit})"
        )
    first = offset if offset is not None else ((page or 1) - 1) * limit
    if first > MAX_OFFSET:
        raise InvalidArgumentError(f"page {page} starts at result {first + 1}: results past {MAX_OFFSET} cannot be paged to")
    return first


def create_app(index_location: Path | str) -> FastAPI:
    """The API over the index at ``index_location``, opened on the first request that needs it."""
    engine = SharedEngine(index_location)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.close()

    app = FastAPI(
        title="news-search",
        summary="Search a news archive: keyword (BM25) and semantic search, fused.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.engine = engine
    errors.install(app)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        """200 once the index is open and searchable; otherwise the error (503) that keeps it from opening."""
        info = await engine.run(lambda ns: ns.info)
        return JSONResponse({"status": "ok", "index": info.location, "model": info.model, "updated": info.updated})

    @app.get("/api/search")
    async def search(
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="The query, in the CLI's query syntax.")],
        mode: Mode = "hybrid",
        limit: Limit = 10,
        page: Page = None,
        offset: Offset = None,
        since: Since = None,
        until: Until = None,
        site: Site = None,
        lang: Lang = None,
        author: Author = None,
        sort: Sort = "relevance",
        recency: Annotated[float, Query(ge=0.0, allow_inf_nan=False, description="Boost newer articles by up to this.")] = 0.0,
        half_life: Annotated[
            float, Query(ge=1.0, allow_inf_nan=False, description="Days after which the recency boost is halved.")
        ] = RecencySettings().half_life_days,
        facets: Annotated[bool, Query(description="Count the whole result set by site, language and month.")] = False,
        explain: Explain = False,
        all_copies: Annotated[bool, Query(description="Every copy of a syndicated story, not one hit per story.")] = False,
    ) -> JSONResponse:
        """One page of results, as ``news-search QUERY --json`` prints it."""
        first = first_result(page, offset, limit)

        def ask(ns: NewsSearch) -> SearchResults:
            return ns.search_results(
                q, limit=limit, mode=mode, offset=first, since=since, until=until, site=site, lang=lang, author=author,
                sort=sort, recency=RecencySettings(weight=recency, half_life_days=half_life), facets=facets,
                collapse_copies=not all_copies,
            )  # fmt: skip

        return JSONResponse((await engine.run(ask)).to_dict())

    # Before /api/articles/{id}: an id may be a stored URL, slashes and all.
    @app.get("/api/articles/{article_id:path}/similar")
    async def similar(
        article_id: str,
        limit: Limit = 10,
        page: Page = None,
        offset: Offset = None,
        since: Since = None,
        until: Until = None,
        site: Site = None,
        lang: Lang = None,
        author: Author = None,
        explain: Explain = False,
    ) -> JSONResponse:
        """More like this, as ``news-search similar ID --json`` prints it."""
        first = first_result(page, offset, limit)

        def ask(ns: NewsSearch) -> SearchResults:
            return ns.similar_results(
                article_id, limit=limit, offset=first, since=since, until=until, site=site, lang=lang, author=author
            )

        return JSONResponse((await engine.run(ask)).to_dict())

    @app.get("/api/articles/{article_id:path}")
    async def article(article_id: str) -> JSONResponse:
        """The stored article with its full text, as ``news-search show ID --json`` prints it."""
        found = await engine.run(lambda ns: ns.get(article_id))
        return JSONResponse(found.to_dict())

    @app.get("/api/groups/{article_id:path}")
    async def group(article_id: str) -> JSONResponse:
        """The article and its near-duplicates, oldest first, as ``news-search group ID --json`` prints them."""
        members = await engine.run(lambda ns: ns.group_members(article_id))
        return JSONResponse(group_to_dict(article_id, members))

    @app.get("/api/stats")
    async def stats() -> JSONResponse:
        """What the index holds, as ``news-search stats --json`` prints it."""

        return JSONResponse(await engine.run(lambda ns: ns.stats(pages=True)))

    return app
