"""Choosing the OpenSearch backend by location: parsing, credentials from the environment only, the
CLI passing an address through, and a clear message where opensearch-py is missing (no node needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from index.backends import is_cluster_location
from index.backends.opensearch.location import (
    API_KEY_ENV,
    PASSWORD_ENV,
    USER_ENV,
    credentials_from_environment,
    parse_location,
)
from index.errors import IndexNotFoundError
from search.cli.options import index_dir
from tests.backends.opensearch.node import ROOT


@pytest.mark.parametrize(
    ("text", "scheme", "hosts", "name"),
    [
        ("opensearch://127.0.0.1:9200/news", "http", (("127.0.0.1", 9200),), "news"),
        ("opensearch://search.example.org/news-2024", "http", (("search.example.org", 9200),), "news-2024"),
        ("opensearchs://search.example.org:443/news", "https", (("search.example.org", 443),), "news"),
        ("https://search.example.org:9243/news/", "https", (("search.example.org", 9243),), "news"),
        ("http://localhost:9201/a.b_c", "http", (("localhost", 9201),), "a.b_c"),
        ("OpenSearch://a:9200,b:9201/news", "http", (("a", 9200), ("b", 9201)), "news"),
    ],
)
def test_locations_parse(text: str, scheme: str, hosts: tuple[tuple[str, int], ...], name: str) -> None:
    location = parse_location(text)
    assert (location.scheme, location.hosts, location.name) == (scheme, hosts, name)
    assert parse_location(str(location)) == location
    assert is_cluster_location(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("opensearch://user:secret@host:9200/news", "credentials"),
        ("opensearch://host:9200/", "names a host and an index"),
        ("opensearch:///news", "names a host and an index"),
        ("opensearch://host:port/news", "not a port number"),
        ("opensearch://host:9200/News", "no usable index name"),
        ("opensearch://host:9200/_hidden", "no usable index name"),
        ("opensearch://host:9200/news?x=1", "no query"),
    ],
)
def test_bad_locations_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(IndexNotFoundError, match=says) as caught:
        parse_location(text)
    assert "secret" not in str(caught.value)


def test_folders_are_not_cluster_locations(tmp_path: Path) -> None:
    for folder in (tmp_path, str(tmp_path), "my-index", "./opensearch", "C:/data/index", Path("opensearch://x/y")):
        assert not is_cluster_location(folder)


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (USER_ENV, PASSWORD_ENV, API_KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    assert credentials_from_environment().user is None
    monkeypatch.setenv(USER_ENV, "reader")
    with pytest.raises(IndexNotFoundError, match=PASSWORD_ENV):
        credentials_from_environment()
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    found = credentials_from_environment()
    assert (found.user, found.password, found.api_key) == ("reader", "pw", None)
    monkeypatch.setenv(API_KEY_ENV, "key")
    assert credentials_from_environment().api_key == "key"


def test_the_cli_passes_an_address_through_and_a_folder_as_a_path(tmp_path: Path) -> None:
    address = "opensearch://127.0.0.1:9200/news"
    assert index_dir(address) == address  # a Path would fold the "//"
    assert index_dir(str(tmp_path / "x")) == tmp_path / "x"
    assert index_dir("~/idx") == Path.home() / "idx"


def test_without_opensearch_py_the_error_says_what_to_install() -> None:
    # A real interpreter in which importing opensearchpy fails, as where the extra is not installed.
    script = (
        "import sys; sys.modules['opensearchpy'] = None\n"
        "from search import NewsSearch, NewsSearchError\n"
        "try:\n    NewsSearch('opensearch://127.0.0.1:1/news')\n"
        "except NewsSearchError as error:\n    print(type(error).__name__, error)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert "pip install 'news-search[opensearch]'" in done.stdout, done.stdout + done.stderr
