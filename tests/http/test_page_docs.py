"""``/docs`` from local files (``search.http.docs_page``), under the app's content security policy.

The app is put together as ``create_app`` does, with FastAPI's CDN docs pages left out, until
``create_app`` installs this page itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]  # no stubs in the dev set
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from search.http import docs_page, errors, pages, security
from search.http.engine import SharedEngine
from search.http.render import page


@pytest.fixture(scope="module")
def client(sample_index: Path) -> Iterator[TestClient]:
    app = FastAPI(title="news-search", docs_url=None, redoc_url=None)
    engine = SharedEngine(sample_index)
    errors.install(app)
    security.install(app)
    pages.install(app, engine)
    docs_page.install(app)
    try:
        with TestClient(app) as test_client:
            yield test_client
    finally:
        engine.close()


def test_docs_load_swagger_ui_from_this_server_only(client: TestClient) -> None:
    if docs_page.swagger_assets() is None:
        pytest.skip("swagger-ui-py is not installed: /docs is the short page (see the next test)")
    response = client.get("/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == security.CONTENT_SECURITY_POLICY
    root = lxml.html.fromstring(response.text)
    scripts = root.xpath("//script/@src")
    assert scripts == ["/docs/assets/swagger-ui-bundle.js", "/static/docs.js"]
    assert not [s for s in root.xpath("//script") if s.text], "no inline script"
    assert root.xpath("//*[@id='swagger-ui']/@data-openapi") == ["/openapi.json"]
    for url in [*scripts, *root.xpath("//link[@rel='stylesheet']/@href")]:
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
        assert asset.headers["x-content-type-options"] == "nosniff"
        assert asset.headers["content-type"].split(";")[0] in ("text/javascript", "text/css"), url
    assert "SwaggerUIBundle" in client.get("/static/docs.js").text
    assert client.get("/docs/assets/swagger-editor.js").status_code == 404, "only the two files it needs"
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1"), "Swagger UI 5 reads 3.1"


def test_without_swagger_ui_the_docs_page_links_the_schema() -> None:
    html = bytes(page("docs.html", assets=None, title="news-search").body).decode()
    root = lxml.html.fromstring(html)
    assert root.xpath("//a/@href")[0] == "/openapi.json" and not root.xpath("//script")
