"""``/docs``: the API's Swagger UI from local files, under a content security policy.

FastAPI's own ``/docs`` loads Swagger UI from a CDN (unreachable offline, and a third party told of
every visit) and starts it with an inline script, which the app's policy forbids. Here the two
files it needs come from the ``swagger-ui-py`` package (which ships Swagger UI 5's release files,
Apache-2.0; Swagger UI 4, as in ``swagger-ui-bundle``, cannot read the OpenAPI 3.1 that FastAPI
writes), served under ``/docs/assets/``, and Swagger UI is started by ``/static/docs.js``. Without
that package, ``/docs`` is a short page that links ``/openapi.json``.

To use it, the app is created with ``FastAPI(..., docs_url=None, redoc_url=None)`` (so FastAPI's
CDN pages are not registered first) and ``install(app)`` is called.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from search.http.render import page

ASSETS = "/docs/assets"
# No policy of its own: Swagger UI 5 runs under the app's (search.http.security), since it sets
# styles through the DOM, not in markup, and "try it out" asks this same server. Checked in
# Chromium: loading, expanding an operation, executing it and expanding a model report no violation.
FILES = {"swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8"}


def swagger_assets() -> Path | None:
    """The folder of Swagger UI's files in the ``swagger-ui-py`` package, or None without it."""
    spec = importlib.util.find_spec("swagger_ui")  # found, not imported: its module pulls in YAML and more
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static"
    return folder if all((folder / name).is_file() for name in FILES) else None


def install(app: FastAPI) -> None:
    """Serve ``/docs`` and the two Swagger UI files it loads from local files."""
    assets = swagger_assets()
    if assets is not None:
        folder = assets

        @app.get(ASSETS + "/{name}", include_in_schema=False)
        async def asset(name: str) -> FileResponse:
            if name not in FILES:
                raise HTTPException(status_code=404, detail="Not Found")
            return FileResponse(folder / name, media_type=FILES[name], headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return page("docs.html", assets=ASSETS if assets is not None else None, title=app.title)
