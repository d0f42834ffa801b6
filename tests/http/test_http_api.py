"""The HTTP API (``search.http``) on the sample archive: every endpoint answers with the field names
and values of ``news-search --json``, errors have one shape and the right status, and the real
``news-search serve`` starts, answers and stops."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from search.cli.serve_command import is_loopback, url_of
from search.http.app import create_app
from search.http.limits import MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS
from tests.conftest import HARBOUR, CliResult
from tests.http.serving import get_json, served

QUERY = "Lavrov Pyongyang"


@pytest.fixture(scope="module")
def client(sample_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sample_index)) as test_client:
        yield test_client


def first_id(client: TestClient) -> str:
    hit_id = client.get("/api/search", params={"q": QUERY, "limit": 1}).json()["hits"][0]["id"]
    assert isinstance(hit_id, str)
    return hit_id


def assert_error(response: Any, status: int, kind: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.text
    if kind is not None:
        assert body["error"]["type"] == kind, body
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.parametrize(
    ("params", "options"),
    [
        ({"q": QUERY}, ""),
        ({"q": QUERY, "mode": "keyword", "limit": 3, "page": 2}, "--mode keyword -n 3 --page 2"),
        ({"q": "minister", "offset": 1, "limit": 4, "sort": "date", "facets": "true"}, "--offset 1 -n 4 --sort date --facets"),
        ({"q": "korea", "mode": "semantic", "all_copies": "true", "explain": "true"}, "--mode semantic --all-copies --explain"),
        ({"q": "korea", "since": "2020", "until": "2030-12",
         "lang": ["en", "id"]}, "--since 2020 --until 2030-12 --lang en --lang id"),
        ({"q": "korea", "recency": "0.5", "half_life": "30"}, "--recency 0.5 --half-life 30"),
        ({"q": "korea", "lang": "xx"}, "--lang xx"),  # nothing passes: the notes say why
    ],
)  # fmt: skip
def test_search_answers_as_the_cli_json(
    client: TestClient, cli: Callable[..., CliResult], sample_index: Path, params: dict[str, Any], options: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    expected = cli("search", "--index", sample_index, "--json", *options.split(), "--", params["q"])
    assert expected.exit_code == 0, expected.stderr
    assert response.json() == expected.json()


def test_search_finds_the_seed_story_first(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": QUERY, "facets": "true"}).json()
    assert body["total"] >= 1 and body["hits"][0]["rank"] == 1
    assert "lavrov" in (body["hits"][0]["title"] + body["hits"][0]["snippet"]).lower()
    assert set(body["facets"]) == {"site", "lang", "month"}


def test_site_and_author_filters_repeat(client: TestClient) -> None:
    hit = client.get("/api/search", params={"q": QUERY, "limit": 1}).json()["hits"][0]
    params = {"q": QUERY, "site": [hit["site"], "no-such-site"], "author": hit["author"] or []}
    narrowed = client.get("/api/search", params=params)
    assert narrowed.status_code == 200
    assert hit["id"] in [h["id"] for h in narrowed.json()["hits"]]


def test_article_similar_group_and_stats_answer_as_the_cli_json(
    client: TestClient, cli: Callable[..., CliResult], sample_index: Path
) -> None:
    article_id = first_id(client)
    for path, command in (
        (f"/api/articles/{article_id}", ["show", article_id]),
        (f"/api/articles/{article_id}/similar?limit=5", ["similar", article_id, "-n", "5"]),
        (f"/api/groups/{article_id}", ["group", article_id]),
        ("/api/stats", ["stats"]),
    ):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text)
        expected = cli(*command, "--index", sample_index, "--json")
        assert expected.exit_code == 0, expected.stderr
        assert response.json() == expected.json(), path


def test_article_by_url(client: TestClient) -> None:
    article = client.get(f"/api/articles/{first_id(client)}").json()
    assert article["url"], "the seed story has its URL"
    by_url = client.get(f"/api/articles/{article['url']}")
    assert by_url.status_code == 200 and by_url.json()["id"] == article["id"]


def test_group_lists_the_copies_of_a_syndicated_story(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    copies = [
        {"title": "Harbour terminal to open in March", "text": HARBOUR, "url": "https://harbour-times.example/terminal",
         "published": "2024-01-15", "site": "Harbour Times", "author": None, "lang": "en"},
        {"title": "New terminal for the port", "text": HARBOUR + "\n\nFirst published by Harbour Times.",
         "url": "https://port-news.example/terminal", "published": "2024-01-16", "site": "Port News", "author": None,
         "lang": "en"},
    ]  # fmt: skip
    with make_index() as indexer:
        indexer.add_articles(copies)
    with TestClient(create_app(tmp_path / "index")) as client:
        hit = client.get("/api/search", params={"q": "harbour terminal"}).json()["hits"][0]
        assert hit["similar_count"] == 1
        members = client.get(f"/api/groups/{hit['id']}").json()["articles"]
        assert len(client.get("/api/search", params={"q": "harbour terminal", "all_copies": "true"}).json()["hits"]) == 2
    assert len(members) == 2 and hit["id"] in [member["id"] for member in members]
    assert all("text" not in member for member in members)


def test_the_server_sees_what_an_ingest_commits_while_it_runs(tmp_path: Path, sample_index: Path) -> None:
    import shutil

    location = tmp_path / "growing"
    shutil.copytree(sample_index, location)
    story = {"title": "Zanzibar ferry timetable changes", "text": HARBOUR.replace("Harbour", "Zanzibar"),
             "url": "https://ferry.example/zanzibar", "published": "2024-02-01", "site": "Ferry News", "lang": "en"}  # fmt: skip
    with TestClient(create_app(location)) as client:
        before = client.get("/api/search", params={"q": "zanzibar", "mode": "keyword"}).json()
        with Indexer(location, encoder=HashingEncoder(256)) as indexer:  # another writer, as `news-search index` is
            indexer.add_articles([story])
        after = client.get("/api/search", params={"q": "zanzibar", "mode": "keyword"}).json()
        stats = client.get("/api/stats").json()
    assert before["total"] == 0
    assert [hit["title"] for hit in after["hits"]] == [story["title"]]
    assert stats["articles"] == client_articles(sample_index) + 1


def client_articles(location: Path) -> int:
    from search.facade import NewsSearch

    with NewsSearch(location) as ns:
        count = ns.stats()["articles"]
    assert isinstance(count, int)
    return count


def test_healthz_and_openapi(client: TestClient, sample_index: Path) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.json()["index"] == str(sample_index)
    schema = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/articles/{article_id}", "/api/articles/{article_id}/similar", "/api/groups/{article_id}"):
        assert path in schema["paths"], sorted(schema["paths"])
    search_params = {p["name"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert search_params >= {"q", "mode", "limit", "page", "offset", "since", "until", "site", "lang", "author", "sort",
                             "recency", "facets", "explain", "all_copies"}  # fmt: skip


@pytest.mark.parametrize(
    ("params", "kind", "words"),
    [
        ({"q": '"unclosed phrase'}, "QuerySyntaxError", ""),
        ({"q": "x", "limit": MAX_LIMIT + 1}, "InvalidArgumentError", "limit"),
        ({"q": "x", "limit": 0}, "InvalidArgumentError", "limit"),
        ({"q": "x", "limit": "ten"}, "InvalidArgumentError", "limit"),
        ({"q": "x", "offset": MAX_OFFSET + 1}, "InvalidArgumentError", "offset"),
        ({"q": "x", "page": 2000, "limit": 10}, "InvalidArgumentError", "page"),
        ({"q": "x", "page": 2, "offset": 3}, "InvalidArgumentError", "page or offset"),
        ({"q": "x" * (MAX_QUERY_CHARS + 1)}, "InvalidArgumentError", "q"),
        ({"q": "x", "mode": "fuzzy"}, "InvalidArgumentError", "mode"),
        ({"q": "x", "sort": "random"}, "InvalidArgumentError", "sort"),
        ({"q": "x", "recency": "inf"}, "InvalidArgumentError", "recency"),
        ({"q": "x", "since": "yesterday"}, None, ""),
        ({}, "InvalidArgumentError", "q"),
    ],
)
def test_bad_requests_are_400s(client: TestClient, params: dict[str, Any], kind: str | None, words: str) -> None:
    error = assert_error(client.get("/api/search", params=params), 400, kind)
    assert words in error["message"]


def test_unknown_ids_and_paths_are_404s(client: TestClient) -> None:
    for path in ("/api/articles/no-such-id", "/api/articles/no-such-id/similar", "/api/groups/no-such-id"):
        assert_error(client.get(path), 404, "ArticleNotFoundError")
    assert_error(client.get("/api/nothing-here"), 404, "NotFound")
    assert_error(client.post("/api/search?q=x"), 405, "MethodNotAllowed")


def test_timeline_counts_the_whole_set_as_the_library_does(client: TestClient, sample_index: Path) -> None:
    from search.facade import NewsSearch

    params: list[tuple[str, str | int | float | bool | None]] = [
        ("q", "korea"),
        ("q", QUERY),
        ("interval", "month"),
        ("by_site", "true"),
        ("lang", "en"),
    ]
    response = client.get("/api/timeline", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    with NewsSearch(sample_index) as ns:
        assert body == ns.timeline(["korea", QUERY], interval="month", by_site=True, lang="en").to_dict()
        assert body["series"][0]["total"] == ns.export("korea", lang="en").total
    assert [series["query"] for series in body["series"]] == ["korea", QUERY]
    for series in body["series"]:
        assert [b["period"] for b in series["buckets"]] == [p["period"] for p in body["periods"]]
        assert sum(b["count"] for b in series["buckets"]) + series["undated"] == series["total"]


def test_export_streams_the_whole_set_in_csv_and_jsonl(client: TestClient) -> None:
    import csv
    import io

    searched = client.get("/api/search", params={"q": "korea", "count_all": "true", "limit": 100}).json()
    wanted = [hit["id"] for hit in searched["hits"]]
    lines = client.get("/api/export", params={"q": "korea", "format": "jsonl", "fields": "rank,id,title,text"})
    assert lines.status_code == 200 and lines.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in lines.text.splitlines()]
    assert [row["id"] for row in rows] == wanted and all(row["text"] for row in rows)
    assert lines.headers["x-total-count"] == str(searched["total"]) and lines.headers["x-export-truncated"] == "false"
    table = client.get("/api/export", params={"q": "korea", "format": "csv", "fields": ["id", "published"]})
    assert table.status_code == 200 and "attachment" in table.headers["content-disposition"]
    parsed = list(csv.reader(io.StringIO(table.text)))
    assert parsed[0] == ["id", "published"] and [row[0] for row in parsed[1:]] == wanted


def test_a_capped_export_says_so_and_links_the_rest(client: TestClient) -> None:
    everything = [json.loads(line)["id"] for line in client.get("/api/export?q=korea&format=jsonl").text.splitlines()]
    assert len(everything) > 3
    collected: list[str] = []
    url: str | None = "/api/export?q=korea&format=jsonl&limit=3"
    while url is not None:
        part = client.get(url)
        assert part.status_code == 200
        collected += [json.loads(line)["id"] for line in part.text.splitlines()]
        truncated = part.headers["x-export-truncated"] == "true"
        assert truncated == ("link" in part.headers)
        url = part.headers["link"].split(">")[0].lstrip("<") if truncated else None
    assert collected == everything


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/api/export?q=korea&format=xml", "format"),
        ("/api/export?q=korea", "format"),
        ("/api/export?q=korea&format=csv&fields=body", "body"),
        ("/api/export?q=korea&format=csv&limit=0", "limit"),
        ('/api/export?q="open&format=csv', ""),
        ("/api/timeline", "q"),
        ("/api/timeline?q=korea&interval=hour", "interval"),
        ("/api/timeline?" + "&".join(["q=a"] * 9), "q"),
    ],
)
def test_bad_timeline_and_export_requests_are_400s(client: TestClient, path: str, words: str) -> None:
    error = assert_error(client.get(path), 400)
    assert words in error["message"]


def test_a_timeline_too_fine_for_its_span_is_a_400(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import search.results.timeline

    monkeypatch.setattr(search.results.timeline, "MAX_PERIODS", 100)  # the sample spans about 1,900 days
    assert_error(client.get("/api/timeline?q=korea&interval=day"), 400, "InvalidArgumentError")
    assert client.get("/api/timeline?q=korea&interval=month").status_code == 200


def test_an_index_that_is_not_there_yet_is_a_503_until_it_is(tmp_path: Path, sample_index: Path) -> None:
    import shutil

    location = tmp_path / "later"
    with TestClient(create_app(location)) as client:
        for path in ("/healthz", "/api/search?q=x", "/api/stats", "/api/articles/x"):
            assert_error(client.get(path), 503, "IndexNotFoundError")
        shutil.copytree(sample_index, location)  # built meanwhile: the next request opens it
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/search", params={"q": QUERY}).json()["total"] >= 1


def test_a_damaged_index_is_a_503(tmp_path: Path, sample_index: Path) -> None:
    import shutil

    location = tmp_path / "damaged"
    shutil.copytree(sample_index, location)
    manifest = next(location.glob("manifest*.json"), None)
    if manifest is None:
        pytest.skip("no manifest file to damage in this index layout")
    manifest.write_text("{not json", encoding="utf-8")
    with TestClient(create_app(location)) as client:
        assert_error(client.get("/api/search", params={"q": QUERY}), 503)


def test_an_unexpected_failure_is_a_plain_500(sample_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from search.facade import NewsSearch

    def broken(self: NewsSearch) -> dict[str, Any]:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(NewsSearch, "stats", broken)
    with TestClient(create_app(sample_index), raise_server_exceptions=False) as client:
        error = assert_error(client.get("/api/stats"), 500, "InternalError")
    assert "secret" not in error["message"]


def test_loopback_and_urls() -> None:
    assert all(is_loopback(host) for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(host) for host in ("0.0.0.0", "::", "192.168.1.5", "example.org"))
    assert url_of("127.0.0.1", 8765) == "http://127.0.0.1:8765/"
    assert url_of("::1", 80) == "http://[::1]:80/"


def test_serve_starts_answers_and_stops(sample_index: Path, tmp_path: Path) -> None:
    with served(sample_index, tmp_path / "serve.log") as server:
        status, body = get_json(f"{server.base}/healthz")
        assert status == 200 and body["status"] == "ok"
        status, body = get_json(f"{server.base}/api/search?q=Lavrov+Pyongyang&limit=3")
        assert status == 200 and body["total"] >= 1 and len(body["hits"]) <= 3
        status, body = get_json(f"{server.base}/api/articles/no-such-id")
        assert status == 404 and body["error"]["type"] == "ArticleNotFoundError"
    assert server.returncode in (0, -signal.SIGTERM), server.output()  # uvicorn shuts down, then re-raises the signal
    assert f"{server.base}/" in server.output()
    assert "warning" not in server.output()


def test_serve_warns_when_not_on_loopback(sample_index: Path, tmp_path: Path) -> None:
    with served(sample_index, tmp_path / "serve.log", host="0.0.0.0") as server:
        assert get_json(f"{server.base}/healthz")[0] == 200
    assert "warning: listening on 0.0.0.0, not loopback" in server.output()
