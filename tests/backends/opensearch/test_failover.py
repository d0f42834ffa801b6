"""A two-node cluster on loopback: one node stops while queries loop and an ingest runs.

The index has 2 primary shards and 1 replica, so each node holds a copy of every shard. While a
thread searches without pause and another ingests, one node is stopped (SIGTERM by its pid, as
``tools/opensearch.py stop`` does). Queries must keep being answered: errors are allowed only
around the failover and around the node's return (a new election; counted and printed), and
answers must come again after it. When the node
is back and the cluster green, every document written before, during and after is there.

The node stopped is the one that is not the elected cluster manager. With two manager-eligible
nodes the voting configuration holds one of them (it is kept odd), so a two-node cluster that
loses its elected manager blocks writes until that node returns (seen in CI: the ingest waited
250 s for it); surviving the loss of the manager takes three manager-eligible nodes.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from opensearchpy import OpenSearch

from index import HashingEncoder, Indexer, NewsSearchError
from search import NewsSearch
from tests.backends.conftest import SAMPLES
from tests.backends.expect import Mode
from tests.backends.opensearch import node as nodes

pytestmark = pytest.mark.opensearch

EXTRA = 400  # articles the ingest writes while the node goes away
WINDOW_S = 60.0  # errors are tolerated this long after the stop and after the return (detection, elections, promotion)


def article(number: int) -> dict[str, str]:
    draw = random.Random(number)  # distinct words per article: no two are near-duplicates of each other
    words = " ".join(f"kata{draw.randrange(100_000)}" for _ in range(60))
    return {
        "title": f"Laporan harian nomor {number}",
        "text": f"Laporan ini berisi catatan nomor {number}. {words}.",
        "url": f"https://failover.example.org/report/{number}",
        "published": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "site": "Failover Daily",
        "lang": "id",
    }


@dataclass
class Pair:
    a: nodes.Node
    b: nodes.Node
    started: list[nodes.Node] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"opensearch://127.0.0.1:{self.a.port},127.0.0.1:{self.b.port}/failover"


def health(url: str, nodes_wanted: int, within_s: float = 120.0) -> str:
    """The cluster's status once it has ``nodes_wanted`` nodes and is green, or what it was at the deadline."""
    client = OpenSearch(url, timeout=60)
    deadline = time.monotonic() + within_s
    status = "unknown"
    try:
        while time.monotonic() < deadline:
            # The server waits up to 30 s per call (its default); the client's own timeout is longer.
            found = client.cluster.health(wait_for_nodes=str(nodes_wanted), wait_for_status="green", ignore=[408])
            status = str(found.get("status"))
            if status == "green" and int(found.get("number_of_nodes", 0)) == nodes_wanted:
                return status
        return status
    finally:
        client.close()


def cluster_manager(url: str) -> str:
    """The name of the elected cluster manager."""
    client = OpenSearch(url, timeout=30)
    try:
        found = client.transport.perform_request("GET", "/_cat/cluster_manager", params={"format": "json"})
        return str(found[0]["node"])
    finally:
        client.close()


def allocation(url: str) -> str:
    """Why shards are unassigned, in the cluster's words (for a failure message)."""
    client = OpenSearch(url, timeout=30)
    try:
        found = client.cluster.allocation_explain(ignore=[400])
        return str(found)[:600]
    finally:
        client.close()


@pytest.fixture
def pair() -> Iterator[Pair]:
    reason = nodes.missing()
    if reason is not None:
        nodes.unavailable(reason)
    first = nodes.free_port(20200)
    cluster = f"ns-pair-{os.getpid()}"
    names = (f"ns-pair-a-{os.getpid()}", f"ns-pair-b-{os.getpid()}")
    seeds = ["--seed-hosts", f"127.0.0.1:{first + 100}", f"127.0.0.1:{first + 101}", "--initial-managers", *names]
    with ThreadPoolExecutor(2) as pool:  # each start returns once its node answers; the cluster forms when both do
        futures = [pool.submit(nodes.start, name, first + i, "--cluster", cluster, *seeds) for i, name in enumerate(names)]
        started = [f.result() for f in futures]
    built = Pair(started[0], started[1], started)
    try:
        assert health(built.a.url, 2) == "green"
        yield built
    finally:
        for each in started:
            nodes.stop(each)
            nodes.remove_data(each)


def test_queries_answer_through_a_node_failure_and_no_document_is_lost(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWS_SEARCH_OPENSEARCH_SHARDS", "2")
    monkeypatch.setenv("NEWS_SEARCH_OPENSEARCH_REPLICAS", "1")
    with Indexer(pair.location, encoder=HashingEncoder(256), workers=0) as indexer:
        base = indexer.add([SAMPLES]).added
    assert health(pair.a.url, 2) == "green"
    manager = cluster_manager(pair.a.url)
    victim, survivor = (pair.b, pair.a) if manager == pair.a.name else (pair.a, pair.b)
    assert survivor.name == manager

    answered: list[float] = []
    failed: list[tuple[float, str]] = []
    done = threading.Event()

    def query_loop() -> None:
        with NewsSearch(pair.location) as news:
            queries: list[tuple[str, Mode]] = [
                ("Lavrov Pyongyang", "hybrid"),
                ("laporan harian", "keyword"),
                ("banjir Jakarta", "semantic"),
            ]
            turn = 0
            while not done.is_set():
                query, mode = queries[turn % len(queries)]
                turn += 1
                try:
                    news.search(query, limit=10, mode=mode)
                    answered.append(time.monotonic())
                except NewsSearchError as error:
                    failed.append((time.monotonic(), f"{type(error).__name__}: {str(error)[:160]}"))
                    time.sleep(0.2)

    ingest_errors: list[str] = []

    def ingest() -> None:
        try:
            with Indexer(pair.location, encoder=HashingEncoder(256), workers=0, batch_size=20) as writer:
                writer.add_articles(article(n) for n in range(EXTRA))
        except Exception as error:  # recorded and reported; the same command is run again below
            ingest_errors.append(f"{type(error).__name__}: {str(error)[:300]}")

    # Daemon threads, and the loop ended in `finally`: a failing assertion must not leave a thread
    # that keeps the test process alive.
    searcher = threading.Thread(target=query_loop, daemon=True)
    writer = threading.Thread(target=ingest, daemon=True)
    searcher.start()
    writer.start()
    try:
        time.sleep(3.0)
        stopped_at = time.monotonic()
        nodes.stop(victim)
        time.sleep(12.0)  # queries and the ingest run on one node
        writer.join(timeout=900)
        assert not writer.is_alive(), "the ingest did not finish on the surviving node"
        if ingest_errors and not writer.is_alive():  # a write caught by the failover: the same command finishes the job
            ingest()
        after_failover = len([t for t in answered if t > stopped_at + WINDOW_S / 3])
        returning_at = time.monotonic()
        restarted = nodes.start(victim.name, victim.port, "--cluster", f"ns-pair-{os.getpid()}",
                                "--seed-hosts", f"127.0.0.1:{pair.a.port + 100}", f"127.0.0.1:{pair.b.port + 100}",
                                "--initial-managers", pair.a.name, pair.b.name)  # fmt: skip
        status = health(survivor.url, 2, within_s=240.0)
        assert status == "green", f"the cluster is {status} after the node returned: {allocation(survivor.url)}"
        green_at = time.monotonic()
        time.sleep(3.0)  # queries on the whole cluster again
    finally:
        done.set()
        searcher.join(timeout=60)

    def in_failover(t: float) -> bool:
        return stopped_at <= t <= stopped_at + WINDOW_S or returning_at <= t <= green_at + WINDOW_S

    late = [(round(t - stopped_at, 1), what) for t, what in failed if not in_failover(t)]
    print(
        f"\nfailover: {len(answered)} queries answered, {len(failed)} failed "
        f"(first {min((round(t - stopped_at, 1) for t, _ in failed), default=None)} s after the stop, "
        f"last {max((round(t - stopped_at, 1) for t, _ in failed), default=None)} s; the node returned at "
        f"+{returning_at - stopped_at:.1f} s, green at +{green_at - stopped_at:.1f} s); ingest errors: {ingest_errors or 'none'}"
    )
    for when, what in failed[:5]:
        print(f"  +{when - stopped_at:.1f} s {what}")
    assert not late, f"queries failed outside the failover window: {late[:3]}"
    assert any(t > stopped_at for t in answered), "no query was answered after the node stopped"
    assert after_failover > 0 or len(answered) > len(failed)
    assert restarted.port == victim.port
    with NewsSearch(pair.location) as news:
        assert news.stats()["articles"] == base + EXTRA
        listed = news.search_results("site:failover", limit=EXTRA, mode="keyword")
        assert listed.total == EXTRA
        for number in (0, EXTRA // 2, EXTRA - 1):
            assert news.get(f"https://failover.example.org/report/{number}").title == f"Laporan harian nomor {number}"
