"""The HTTP API and the search page over every backend: the server works unchanged on a cluster."""

from __future__ import annotations

from fastapi.testclient import TestClient

from search.http.app import create_app
from tests.backends.conftest import Built

QUERY = "Lavrov Pyongyang"


def test_the_api_and_the_page_answer_from_the_backend(sample: Built) -> None:
    with TestClient(create_app(sample.location)) as client:
        health = client.get("/healthz")
        assert health.status_code == 200, health.text
        found = client.get("/api/search", params={"q": QUERY, "facets": "true"}).json()
        assert found["total"] >= 1 and "lavrov" in found["hits"][0]["title"].lower()
        first = found["hits"][0]["id"]
        assert client.get(f"/api/articles/{first}").json()["id"] == first
        assert client.get(f"/api/articles/{first}/similar").status_code == 200
        timeline = client.get("/api/timeline", params={"q": QUERY}).json()
        assert timeline["series"][0]["total"] >= found["hits"][0]["rank"]
        exported = client.get("/api/export", params={"q": QUERY, "format": "jsonl"})
        assert exported.status_code == 200 and exported.headers["x-total-count"] == str(timeline["series"][0]["total"])
        page = client.get("/", params={"q": QUERY})
        assert page.status_code == 200 and f'href="/articles/{first}"' in page.text
        assert client.get(f"/articles/{first}").status_code == 200
