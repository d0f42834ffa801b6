"""The API's errors: JSON ``{"error": {"type", "message"}}`` with a status chosen from the error type.

One table, most specific class first, as ``search/cli/exit_codes.py`` chooses exit codes: 400 for a
malformed query or a wrong parameter, 404 for an unknown article, 503 while the index cannot be
searched (missing, being built, damaged, locked, its model not loadable). Anything else is a 500
with a plain message, never a traceback. Request parameters FastAPI refuses (a limit above the
bound, a word where a number goes) are 400s of type ``InvalidArgumentError``, like the library's.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.errors import (
    ArticleNotFoundError,
    IndexFormatError,
    IndexLockedError,
    IndexNotFoundError,
    ModelLoadError,
    ModelMismatchError,
    NewsSearchError,
    QuerySyntaxError,
)
from search.arguments import ArgumentTypeError, InvalidArgumentError, NewsSearchClosedError

BAD_REQUEST = 400
NOT_FOUND = 404
INTERNAL = 500
UNAVAILABLE = 503

STATUSES: tuple[tuple[type[NewsSearchError], int], ...] = (
    (InvalidArgumentError, BAD_REQUEST),
    (ArgumentTypeError, BAD_REQUEST),
    (QuerySyntaxError, BAD_REQUEST),
    (ArticleNotFoundError, NOT_FOUND),
    (IndexNotFoundError, UNAVAILABLE),
    (IndexFormatError, UNAVAILABLE),
    (IndexLockedError, UNAVAILABLE),
    (ModelMismatchError, UNAVAILABLE),
    (ModelLoadError, UNAVAILABLE),
    (NewsSearchClosedError, UNAVAILABLE),
    (NewsSearchError, INTERNAL),
)
# Statuses starlette raises itself (an unknown path, a wrong method), named like the library's errors.
_HTTP_TYPES = {404: "NotFound", 405: "MethodNotAllowed"}
INTERNAL_MESSAGE = "internal error: the server could not answer this request (its log says why)"

log = logging.getLogger("search.http")


def status_of(error: BaseException) -> int:
    """The status for ``error``: that of the first class in ``STATUSES`` it is an instance of."""
    return next((status for kind, status in STATUSES if isinstance(error, kind)), INTERNAL)


def error_response(status: int, kind: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "message": message}}, status_code=status)


def _type_name(error: NewsSearchError) -> str:
    return type(error).__name__


def validation_message(exc: RequestValidationError) -> str:
    """FastAPI's refusal in one line per parameter: ``limit: Input should be ... (got '500')``."""
    parts = []
    for problem in exc.errors():
        location = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path")]
        name = ".".join(location) or "request"
        got = f" (got {problem['input']!r})" if "input" in problem and problem["input"] is not None else ""
        parts.append(f"{name}: {problem.get('msg', 'invalid value')}{got}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the ``{"error": ...}`` shape."""

    @app.exception_handler(NewsSearchError)
    async def library_error(request: Request, exc: NewsSearchError) -> JSONResponse:
        status = status_of(exc)
        if status == INTERNAL:
            log.error("request %s failed: %s", request.url.path, exc)
        return error_response(status, _type_name(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(BAD_REQUEST, InvalidArgumentError.__name__, validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = _HTTP_TYPES.get(exc.status_code, "HTTPError")
        return error_response(exc.status_code, kind, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("request %s failed", request.url.path)
        return error_response(INTERNAL, "InternalError", INTERNAL_MESSAGE)
