"""Response headers that keep untrusted content inert, on every response of the app.

Everything the pages show comes from archived web pages, so the browser is told to run nothing but
the app's own script and style files (``CONTENT_SECURITY_POLICY``: no inline script, no inline
style, no plugins, no framing), not to guess content types, and not to tell the outlets linked to
where their reader came from. A response that already carries its own policy keeps it: ``/docs``
(``search.http.docs_page``) needs a wider one for Swagger UI and sets it itself.

The headers are added by a plain ASGI middleware rather than per route, so that static files,
starlette's own 404s and the 500s of an unexpected failure carry them too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)
_CSP = b"content-security-policy"


class SecurityHeaders:
    """Adds the policy (unless the response set its own) and ``HEADERS`` to every HTTP response.

    An exception that escapes the app would be answered by starlette's outermost error middleware,
    which sits outside every user middleware and so would send its 500 without these headers; it
    is answered here instead, by the app's own handler for ``Exception`` (``search.http.errors``,
    which logs it), through the same header-adding ``send``.
    """

    def __init__(self, app: ASGIApp, error_handler: Callable[[], Any]) -> None:
        self.app = app
        self._error_handler = error_handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = with_security_headers(list(message.get("headers", [])))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            handler = self._error_handler()
            if started or handler is None:
                raise
            response = await handler(Request(scope, receive), exc)
            await response(scope, receive, send_with_headers)


def with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` (raw ASGI pairs) with the policy added unless present, and ``HEADERS`` set."""
    ours = {name.lower().encode("latin-1"): value.encode("latin-1") for name, value in HEADERS}
    kept = [(name, value) for name, value in headers if name.lower() not in ours]
    if not any(name.lower() == _CSP for name, _ in kept):
        kept.append((_CSP, CONTENT_SECURITY_POLICY.encode("latin-1")))
    return kept + list(ours.items())


def install(app: FastAPI) -> None:
    """Add the security headers to every response of ``app``."""
    # Looked up per failure, not now: the handlers may be registered after this call.
    app.add_middleware(SecurityHeaders, error_handler=lambda: app.exception_handlers.get(Exception))
