"""The HTTP surface: ``news-search serve`` runs ``create_app`` (FastAPI) on uvicorn.

FastAPI, starlette and uvicorn are imported only under this package and inside the ``serve``
command, so the CLI's other commands never load them.
"""

from __future__ import annotations

from search.http.app import create_app

__all__ = ["create_app"]
