"""The HTTP API over one index: ``create_app(index_location)`` returns the FastAPI application.

Every answer has the field names and meanings of ``news-search --json`` (the library's
``to_dict``); errors are shaped by ``search.http.errors``. Read-only: no endpoint writes.

- ``GET /api/search``: the ``search`` command's options as query parameters (``site``, ``lang``
  and ``author`` repeatable; ``page`` or ``offset``, not both).
- ``GET /api/articles/{id}``, ``/api/articles/{id}/similar``, ``/api/groups/{id}``: ``show``,
  ``similar`` and ``group`` (an id, or a stored URL).
- ``GET /api/timeline``: each query's whole result set counted per day, week or month (``q``
  repeatable, to compare topics on one axis; ``by_site`` splits each period by site).
- ``GET /api/export?format=csv|jsonl``: the whole result set, streamed, with the ``fields`` asked
  for; at most ``MAX_EXPORT_ROWS`` rows a request, and the headers say when more remain
  (``X-Total-Count``, ``X-Export-Truncated``, ``X-Next-Offset`` and a ``Link: rel="next"``).
  At most ``MAX_CONCURRENT_EXPORTS`` run at once; another gets 429.
- ``GET /api/stats``: ``stats --json``; ``GET /healthz``: 200 once the index opens, else 503.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from search.arguments import InvalidArgumentError
from search.facade import NewsSearch
from search.http import docs_page, errors, pages, security
from search.http.engine import SharedEngine
from search.http.limits import (
    MAX_CONCURRENT_EXPORTS,
    MAX_FILTER_VALUES,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_QUERY_CHARS,
    MAX_TIMELINE_QUERIES,
)
from search.ranking.pipeline import Mode, Sort
from search.ranking.recency import RecencySettings
from search.results.export import FIELDS, MAX_EXPORT_ROWS, ExportFormat, ExportSet, encode_rows, header, rows_of
from search.results.hits import SearchResults, group_to_dict
from search.results.timeline import Interval

TOO_MANY_REQUESTS = 429
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}

Since = Annotated[str | None, Query(max_length=10, description="Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).")]
Until = Annotated[str | None, Query(max_length=10, description="Published on or before (YYYY-MM means through its end).")]
Site = Annotated[list[str] | None, Query(max_length=MAX_FILTER_VALUES, description="From this site (repeatable).")]
Lang = Annotated[list[str] | None, Query(max_length=MAX_FILTER_VALUES, description="In this language (repeatable).")]
Author = Annotated[list[str] | None, Query(max_length=MAX_FILTER_VALUES, description="By this author (repeatable).")]


@dataclass(frozen=True)
class Filters:
    """The filters that every endpoint over a result set takes, passed on to the library as they came."""

    since: str | None
    until: str | None
    site: list[str] | None
    lang: list[str] | None
    author: list[str] | None

    def arguments(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "site": self.site, "lang": self.lang, "author": self.author}


def filters(since: Since = None, until: Until = None, site: Site = None, lang: Lang = None, author: Author = None) -> Filters:
    """The filter query parameters, declared once for every endpoint that takes them (a FastAPI dependency)."""
    return Filters(since, until, site, lang, author)


FilterParameters = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Results per page.")]
Page = Annotated[int | None, Query(ge=1, description="Page number (pages of `limit` results); default 1.")]
Offset = Annotated[int | None, Query(ge=0, le=MAX_OFFSET, description="Skip this many results (instead of `page`).")]
AllCopies = Annotated[bool, Query(description="Every copy of a syndicated story, not one hit per story.")]
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


def check_queries(queries: list[str]) -> None:
    for query in queries:
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidArgumentError(f"q: a query is at most {MAX_QUERY_CHARS} characters, not {len(query)}")


def export_headers(request: Request, chosen: ExportSet, format: ExportFormat) -> dict[str, str]:
    """What a client needs to know besides the rows: the set's size, and where the rest starts."""
    headers = {
        "Content-Disposition": f'attachment; filename="news-search-export.{format}"',
        "X-Total-Count": str(chosen.total),
        "X-Export-Offset": str(chosen.offset),
        "X-Export-Rows": str(len(chosen.entries)),
        "X-Export-Truncated": "true" if chosen.truncated else "false",
    }
    if chosen.next_offset is not None:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
        params.append(("offset", str(chosen.next_offset)))
        headers["X-Next-Offset"] = str(chosen.next_offset)
        headers["Link"] = f'<{request.url.path}?{urlencode(params)}>; rel="next"'
    return headers


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
        docs_url=None,  # served by docs_page from local assets: the default loads Swagger UI from a CDN
        redoc_url=None,
    )
    app.state.engine = engine
    errors.install(app)
    security.install(app)
    pages.install(app, engine)
    docs_page.install(app)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        """200 once the index is open and searchable; otherwise the error (503) that keeps it from opening."""
        info = await engine.run(lambda ns: ns.info)
        return JSONResponse({"status": "ok", "index": info.location, "model": info.model, "updated": info.updated})

    @app.get("/api/search")
    async def search(
        chosen_filters: FilterParameters,
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="The query, in the CLI's query syntax.")],
        mode: Mode = "hybrid",
        query_lang: Annotated[
            str | None, Query(max_length=16, description="The query's language (ISO code); default: detected.")
        ] = None,
        limit: Limit = 10,
        page: Page = None,
        offset: Offset = None,
        sort: Sort = "relevance",
        recency: Annotated[float, Query(ge=0.0, allow_inf_nan=False, description="Boost newer articles by up to this.")] = 0.0,
        half_life: Annotated[
            float, Query(ge=1.0, allow_inf_nan=False, description="Days after which the recency boost is halved.")
        ] = RecencySettings().half_life_days,
        facets: Annotated[bool, Query(description="Count the whole result set by site, language and month.")] = False,
        explain: Explain = False,
        all_copies: AllCopies = False,
        count_all: Annotated[
            bool, Query(description="Count the whole result set in hybrid and semantic modes (see total_complete).")
        ] = False,
    ) -> JSONResponse:
        """One page of results, as ``news-search QUERY --json`` prints it."""
        first = first_result(page, offset, limit)

        def ask(ns: NewsSearch) -> SearchResults:
            return ns.search_results(
                q, limit=limit, mode=mode, offset=first, sort=sort, facets=facets,
                recency=RecencySettings(weight=recency, half_life_days=half_life),
                collapse_copies=not all_copies, count_all=count_all, query_lang=query_lang, **chosen_filters.arguments(),
            )  # fmt: skip

        return JSONResponse((await engine.run(ask)).to_dict())

    @app.get("/api/timeline")
    async def timeline(
        chosen_filters: FilterParameters,
        q: Annotated[
            list[str],
            Query(max_length=MAX_TIMELINE_QUERIES, description="A query; repeat to compare several on one axis."),
        ],
        interval: Interval = "auto",
        by_site: Annotated[bool, Query(description="Split each period's count by site.")] = False,
        mode: Mode = "hybrid",
        all_copies: AllCopies = False,
    ) -> JSONResponse:
        """Each query's whole result set (not a page) counted per day, ISO week or month."""
        check_queries(q)
        found = await engine.run(
            lambda ns: ns.timeline(
                q,
                interval=interval,
                by_site=by_site,
                mode=mode,
                collapse_copies=not all_copies,
                **chosen_filters.arguments(),
            )
        )
        return JSONResponse(found.to_dict())

    exports = asyncio.Semaphore(MAX_CONCURRENT_EXPORTS)

    @app.get(
        "/api/export",
        response_model=None,
        response_class=StreamingResponse,
        responses={
            200: {
                "description": "The rows: CSV with a header line, or one JSON object a line.",
                "content": {media: {"schema": {"type": "string"}} for media in MEDIA_TYPES.values()},
            }
        },
    )
    async def export(
        request: Request,
        chosen_filters: FilterParameters,
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="The query, in the CLI's query syntax.")],
        format: Annotated[ExportFormat, Query(description="csv (with a header line) or jsonl (one object a line).")],
        fields: Annotated[
            list[str] | None,
            Query(max_length=len(FIELDS), description=f"Fields (repeatable or comma-separated) of: {', '.join(FIELDS)}."),
        ] = None,
        mode: Mode = "hybrid",
        sort: Sort = "relevance",
        all_copies: AllCopies = False,
        offset: Annotated[int, Query(ge=0, description="Start at this result (the X-Next-Offset of a truncated export).")] = 0,
        limit: Annotated[
            int, Query(ge=1, le=MAX_EXPORT_ROWS, description=f"At most this many rows (at most {MAX_EXPORT_ROWS}).")
        ] = MAX_EXPORT_ROWS,
    ) -> Response:
        """The whole result set as CSV or JSON Lines, streamed; the headers give its size."""
        check_queries([q])
        if exports.locked():
            return errors.error_response(
                TOO_MANY_REQUESTS, "TooManyRequests", f"{MAX_CONCURRENT_EXPORTS} exports are running: try again shortly"
            )
        async with exports:
            chosen = await engine.run(
                lambda ns: ns.export(
                    q,
                    mode=mode,
                    sort=sort,
                    collapse_copies=not all_copies,
                    fields=fields,
                    offset=offset,
                    max_rows=limit,
                    **chosen_filters.arguments(),
                )
            )
        return StreamingResponse(
            stream_export(chosen, format), media_type=MEDIA_TYPES[format], headers=export_headers(request, chosen, format)
        )

    async def stream_export(chosen: ExportSet, format: ExportFormat) -> AsyncIterator[str]:
        yield header(chosen.fields, format)
        for chunk in chosen.chunks():
            ids = [entry.id for entry in chunk]
            articles = await engine.run(lambda ns, wanted=ids: ns.articles(wanted))  # type: ignore[misc]
            yield encode_rows(rows_of(chunk, articles, chosen.fields), chosen.fields, format)

    # Before /api/articles/{id}: an id may be a stored URL, slashes and all.
    @app.get("/api/articles/{article_id:path}/similar")
    async def similar(
        chosen_filters: FilterParameters,
        article_id: str,
        limit: Limit = 10,
        page: Page = None,
        offset: Offset = None,
        explain: Explain = False,
    ) -> JSONResponse:
        """More like this, as ``news-search similar ID --json`` prints it."""
        first = first_result(page, offset, limit)

        def ask(ns: NewsSearch) -> SearchResults:
            return ns.similar_results(article_id, limit=limit, offset=first, **chosen_filters.arguments())

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
