"""Backends under contract, and the indexes the suite shares: the sample archive, and it with a syndicated story.

Each backend is a small factory (``Backend``): fresh index locations (a folder for ``local``; an
``opensearch://HOST:PORT/NAME`` address for a cluster backend), a copy of a committed index, and
how to open an ``Indexer`` and a ``NewsSearch`` on a location. To put another backend under
contract, write its factory, add it to ``FACTORIES`` and its name to ``BACKENDS``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from index import HashingEncoder, Indexer, IngestReport
from search import NewsSearch
from tests.backends.opensearch.node import Node

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "archive"
EXPECTED = ROOT / "samples" / "expected.jsonl"
ENCODER_DIM = 256  # the tiny deterministic encoder, "hashing-256"
MODEL = f"hashing-{ENCODER_DIM}"


@dataclass(frozen=True)
class Backend:
    """How the suite reaches one backend. ``exact``: held to the local engine's exact rankings."""

    name: str
    exact: bool
    new_location: Callable[[str], str]  # a fresh, empty index location, named after its use
    copy_location: Callable[[str, str], str]  # (committed index, name) -> a new location holding a copy

    def indexer(self, location: str) -> Indexer:
        return Indexer(location, encoder=HashingEncoder(ENCODER_DIM))

    def search(self, location: str) -> NewsSearch:
        return NewsSearch(location)


def local_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Today's engine: a folder (SQLite store, whoosh keyword index, faiss vectors)."""
    tmp: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")

    def new_location(name: str) -> str:
        return str(tmp.mktemp(f"local-{name}") / "index")

    def copy_location(source: str, name: str) -> str:
        target = new_location(name)
        shutil.copytree(source, target)  # the source is committed and has no writer
        return target

    yield Backend("local", exact=True, new_location=new_location, copy_location=copy_location)


@pytest.fixture(scope="session")
def opensearch_node() -> Iterator[Node]:
    """A real single-node OpenSearch cluster (tools/opensearch.py: OpenSearch 3.6.0 with k-NN, from
    Maven Central) for the session, on a free port, stopped by its own pid at the end. Skips with
    the reason where the machine cannot run one, and fails instead under CI."""
    from tests.backends.opensearch import node as nodes

    reason = nodes.missing()
    if reason is not None:
        nodes.unavailable(reason)
    started = nodes.start(f"ns-test-{os.getpid()}", nodes.free_port())
    try:
        yield started
    finally:
        nodes.stop(started)
        nodes.remove_data(started)


def opensearch_backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """Indexes on the session's OpenSearch node: each location an index of its own, copied with the
    reindex API, and deleted after the session."""
    from index.backends.opensearch.admin import copy_index, delete_index
    from index.backends.opensearch.location import parse_location

    started: Node = request.getfixturevalue("opensearch_node")
    made: list[str] = []

    def new_location(name: str) -> str:
        location = f"opensearch://127.0.0.1:{started.port}/contract-{len(made)}-{name}"
        made.append(location)
        return location

    def copy_location(source: str, name: str) -> str:
        target = new_location(name)
        copy_index(parse_location(source), parse_location(target))
        return target

    try:
        yield Backend("opensearch", exact=False, new_location=new_location, copy_location=copy_location)
    finally:
        for location in made:
            delete_index(parse_location(location))


FACTORIES: dict[str, Callable[[pytest.FixtureRequest], Iterator[Backend]]] = {
    "local": local_backend,
    "opensearch": opensearch_backend,
}
# The OpenSearch backend's runs are marked, so `-m opensearch` selects them and `-m "not opensearch"` leaves them out.
BACKENDS = ["local", pytest.param("opensearch", marks=pytest.mark.opensearch)]


@dataclass
class Built:
    """An index the suite built, with the report of its ingest and a reader open on it."""

    location: str
    report: IngestReport
    news: NewsSearch


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    yield from FACTORIES[request.param](request)


@pytest.fixture(scope="session")
def sample(backend: Backend) -> Iterator[Built]:
    """The sample archive, ingested once per session per backend (read-only use)."""
    location = backend.new_location("sample")
    with backend.indexer(location) as indexer:
        report = indexer.add([SAMPLES])
    with backend.search(location) as news:
        yield Built(location, report, news)


@pytest.fixture(scope="session")
def news(sample: Built) -> NewsSearch:
    return sample.news


# A story of the sample archive (Asia Pacific Wire, 2023-08-30) republished by two other outlets,
# as a wire story is: their own headline, a trailing line, a changed word. The sample archive holds
# no near-duplicate group of its own, so the suite adds this one.
SYNDICATED_SOURCE = "5a3222df77312a6f"


def syndicated_copies(news: NewsSearch) -> list[dict[str, str | None]]:
    text = news.get(SYNDICATED_SOURCE).text
    return [
        {
            "title": "Pyongyang launches two ballistic missiles, Seoul military says",
            "text": text + "\n\nFirst published by Asia Pacific Wire; republished under a syndication agreement.",
            "url": "https://www.meridianpost.com/world/2023/08/31/pyongyang-launches-two-ballistic-missiles",
            "published": "2023-08-31",
            "site": "Meridian Post",
            "author": "Min-ji Park",
            "lang": "en",
        },
        {
            "title": "N. Korea test-fires two missiles into the sea",
            "text": text.replace("Seoul", "Seoul's military", 1) + "\n\nWith reporting by our Tokyo desk.",
            "url": "https://www.thedailyledger.co.uk/world/2023/09/01/north-korea-test-fires-two-missiles",
            "published": "2023-09-01",
            "site": "The Daily Ledger",
            "author": None,
            "lang": "en",
        },
    ]


@pytest.fixture(scope="session")
def syndicated(backend: Backend, sample: Built) -> Iterator[Built]:
    """A copy of the sample index with the syndicated story's two copies added (read-only use)."""
    location = backend.copy_location(sample.location, "syndicated")
    with backend.indexer(location) as indexer:
        report = indexer.add_articles(syndicated_copies(sample.news))
    with backend.search(location) as news:
        yield Built(location, report, news)


@pytest.fixture
def writable(backend: Backend, sample: Built) -> Callable[[str], str]:
    """Fresh copies of the sample index for tests that write."""
    return lambda name: backend.copy_location(sample.location, name)
