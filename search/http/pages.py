"""The server-rendered pages of ``news-search serve``: search, article, similar and group views.

HTML routes over the same library calls as the JSON API, with the same parameter names and
bounds; they work without JavaScript (``/static/app.js`` only adds the "/" shortcut). A request's
library calls run together on the engine's thread (``SharedEngine.run``). Errors are pages with
the status ``search.http.errors.status_of`` gives the API (400, 404, 503), never a traceback; a
path that matches no route is a 404 page too, except under the API's own paths, which keep their
JSON errors.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.errors import NewsSearchError
from search.http.engine import SharedEngine
from search.http.errors import INTERNAL, INTERNAL_MESSAGE, status_of
from search.http.render import STATIC, error_page, page
from search.http.views.article_page import article_page, similar_page
from search.http.views.form import SearchForm, api_limits, parse_form
from search.http.views.group_page import group_page
from search.http.views.search_page import search_page

log = logging.getLogger("search.http")
# Paths whose errors stay JSON (the API's clients read them): everything else is a page.
_JSON_PATHS = ("/api/", "/healthz", "/openapi.json", "/docs")


async def _answered(request: Request, build: Callable[[], Awaitable[HTMLResponse]], form: SearchForm | None) -> HTMLResponse:
    """``build()``'s page, or the error page for what it raised (the form kept, to fix a query)."""
    try:
        return await build()
    except NewsSearchError as exc:
        status = status_of(exc)
        if status == INTERNAL:
            log.error("page %s failed: %s", request.url.path, exc)
        return error_page(status, str(exc), form=form)
    except Exception:
        log.exception("page %s failed", request.url.path)
        return error_page(INTERNAL, INTERNAL_MESSAGE, form=form)


def install(app: FastAPI, engine: SharedEngine) -> None:
    """Register the HTML pages and ``/static`` on ``app``, and 404/405 pages for paths outside the API."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def search(request: Request) -> HTMLResponse:
        try:
            form = parse_form(request.query_params)
        except NewsSearchError as exc:  # the form comes back with the query as typed, to fix it
            typed = (request.query_params.get("q") or "").strip()[: api_limits().query_chars]
            return error_page(status_of(exc), str(exc), form=SearchForm(q=typed))

        async def build() -> HTMLResponse:
            return page("search.html", page=await engine.run(lambda ns: search_page(ns, form)), form=form)

        return await _answered(request, build, form)

    @app.get("/articles/{article_id:path}/similar", response_class=HTMLResponse, include_in_schema=False)
    async def similar(request: Request, article_id: str) -> HTMLResponse:
        async def build() -> HTMLResponse:
            form = parse_form(request.query_params)
            return page("similar.html", page=await engine.run(lambda ns: similar_page(ns, article_id, form)))

        return await _answered(request, build, None)

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def article(request: Request, article_id: str) -> HTMLResponse:
        async def build() -> HTMLResponse:
            return page("article.html", page=await engine.run(lambda ns: article_page(ns, article_id)))

        return await _answered(request, build, None)

    @app.get("/groups/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def group(request: Request, article_id: str) -> HTMLResponse:
        async def build() -> HTMLResponse:
            return page("group.html", page=await engine.run(lambda ns: group_page(ns, article_id)))

        return await _answered(request, build, None)

    json_errors = app.exception_handlers.get(StarletteHTTPException)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if json_errors is not None and (path.startswith(_JSON_PATHS) or path == "/api"):
            answer = json_errors(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        message = "no page at this address" if exc.status_code == 404 else str(exc.detail)
        return error_page(exc.status_code, message, headers=exc.headers)
