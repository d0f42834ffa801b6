"""Ingest on a real two-node Ray cluster equals a single-process ingest, survives a lost worker node
and a killed driver, re-runs without shipping anything, and says how to install Ray when it is absent."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from index.ingest.ray.local_cluster import ENV, HEAD_IP, WORKER_IP, LocalCluster
from index.ingest.report import IngestReport
from tests.conftest import AEB_WARC, ROOT, SAMPLES, TEST_MODEL, require, write_page
from tests.ingest.ray.conftest import POISON_MARKER, assert_same_index, snapshot

# JSONL records in the sample archive: they carry no page fingerprint, so a re-run sends them to be
# extracted again and compared by content, as a local re-run does (only pages are skipped unread).
SAMPLE_RECORDS = 4


@pytest.fixture(scope="module")
def inputs() -> list[Path]:
    return [require(AEB_WARC), SAMPLES]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, inputs: list[Path]) -> tuple[dict[str, Any], IngestReport]:
    """The same inputs ingested by one process with the same encoder: what every cluster run must equal."""
    directory = tmp_path_factory.mktemp("clean") / "index"
    with Indexer(directory, model=TEST_MODEL) as indexer:
        report = indexer.add(inputs)
    return snapshot(directory), report


def _cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-c", "from search.cli.app import main; main()", *map(str, args)]


@pytest.mark.slow
def test_a_cluster_ingest_equals_a_single_process_one_and_a_rerun_ships_nothing(
    cluster: LocalCluster, clean: tuple[dict[str, Any], IngestReport], inputs: list[Path], tmp_path: Path
) -> None:
    expected, local = clean
    with Indexer(tmp_path / "index", model=TEST_MODEL, ray=cluster.address) as indexer:
        report = indexer.add(inputs)
    assert_same_index(expected, snapshot(tmp_path / "index"))
    assert (report.pages, report.added, report.near_duplicates) == (local.pages, local.added, local.near_duplicates)
    assert report.skipped == local.skipped and report.embedded == local.embedded
    summary = report.to_dict()["ray"]
    nodes = {node["node"]: node for node in summary["nodes"]}
    assert set(nodes) == {HEAD_IP, WORKER_IP}  # both nodes extracted pages
    assert sum(node["pages"] for node in nodes.values()) == summary["shipped_pages"] + summary["shipped_records"]
    assert sum(node["articles"] for node in nodes.values()) == report.embedded
    assert summary["shipped_pages"] == report.pages - SAMPLE_RECORDS - sum(report.skipped[r] for r in ("http_error", "not_html"))

    with Indexer(tmp_path / "index", ray=cluster.address) as indexer:
        again = indexer.add(inputs)
    assert again.shipped == 0, "pages whose fingerprint is on record were shipped to the cluster"
    assert again.shipped_records == SAMPLE_RECORDS
    assert (again.added, again.updated, again.embedded) == (0, 0, 0)
    assert again.unchanged == local.added + local.unchanged
    assert_same_index(expected, snapshot(tmp_path / "index"))


@pytest.mark.slow
def test_a_page_that_kills_its_task_is_skipped_and_every_other_page_kept(cluster: LocalCluster, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for number, page in enumerate(sorted(SAMPLES.rglob("*.html"))[:12]):
        shutil.copy(page, pages / f"{number:02d}-{page.name}")
    with Indexer(tmp_path / "clean", encoder=HashingEncoder(256)) as indexer:
        assert indexer.add([pages]).added >= 10  # the same pages without the poison, in one process
    expected = snapshot(tmp_path / "clean")
    poison = write_page(pages / "05-poison.html", "Poison", f"{POISON_MARKER} " + "A page the parser dies on. " * 40)
    with Indexer(tmp_path / "index", encoder=HashingEncoder(256), ray=cluster.address) as indexer:
        report = indexer.add([pages])
    got = snapshot(tmp_path / "index")
    assert [(source, reason) for source, reason, _ in got["skips"]] == [(str(poison.resolve()), "extraction_crashed")]
    assert report.added == len(expected["articles"])
    assert [row[1:] for row in got["articles"]] == [row[1:] for row in expected["articles"]]


@pytest.mark.slow
def test_a_worker_node_killed_mid_run_loses_and_doubles_nothing(
    cluster: LocalCluster, clean: tuple[dict[str, Any], IngestReport], inputs: list[Path], tmp_path: Path
) -> None:
    killed_at: list[int] = []

    def kill_once_the_worker_is_busy(report: IngestReport) -> None:
        worker = report.nodes.get(WORKER_IP)
        if not killed_at and worker is not None and worker.pages and report.pages >= 60:
            killed_at.append(report.pages)
            cluster.kill_worker()

    try:
        with Indexer(tmp_path / "index", model=TEST_MODEL, ray=cluster.address) as indexer:
            try:
                first: IngestReport | None = indexer.add(inputs, progress=kill_once_the_worker_is_busy)
            except Exception:  # a run the lost node broke is finished by the same command
                first = None
        assert killed_at and killed_at[0] < clean[1].pages, "the worker node was not killed mid-run"
        with Indexer(tmp_path / "index", ray=cluster.address) as indexer:
            again = indexer.add(inputs)
        assert_same_index(clean[0], snapshot(tmp_path / "index"))
        if first is not None:  # Ray retried the lost node's work on the head: nothing was left to do
            assert first.added == clean[1].added and again.added == 0
            assert WORKER_IP not in again.nodes
    finally:
        cluster.start_worker()


@pytest.mark.slow
def test_a_node_that_joins_mid_run_gets_an_encoder_and_pages(
    cluster: LocalCluster, clean: tuple[dict[str, Any], IngestReport], inputs: list[Path], tmp_path: Path
) -> None:
    cluster.stop_worker()
    cluster.wait_for_nodes(1)
    joined_at: list[int] = []

    def join_once_the_run_is_under_way(report: IngestReport) -> None:
        if not joined_at and report.pages >= 40:
            joined_at.append(report.pages)
            cluster.start_worker()  # returns once the cluster counts two nodes again

    try:
        # Small batches: the run still has many to send when the node joins.
        with Indexer(tmp_path / "index", model=TEST_MODEL, ray=cluster.address, batch_size=16) as indexer:
            report = indexer.add(inputs, progress=join_once_the_run_is_under_way)
        assert joined_at and joined_at[0] < clean[1].pages, "the worker node did not join mid-run"
        assert report.cluster is not None and report.cluster["nodes_at_start"] == 1
        joined = report.nodes.get(WORKER_IP)
        assert joined is not None and joined.pages > 0 and joined.articles > 0, "the node that joined got no work"
        assert_same_index(clean[0], snapshot(tmp_path / "index"))
    finally:
        if cluster.worker is None:
            cluster.start_worker()


@pytest.mark.slow
def test_a_killed_driver_is_finished_by_the_same_command(
    cluster: LocalCluster, clean: tuple[dict[str, Any], IngestReport], inputs: list[Path], tmp_path: Path
) -> None:
    directory = tmp_path / "index"
    command = _cli("index", *inputs, "--index", directory, "--model", TEST_MODEL, "--ray", cluster.address, "--json")
    env = {**os.environ, **ENV}
    driver = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stored = 0
    deadline = time.monotonic() + 120
    while driver.poll() is None and time.monotonic() < deadline and stored < 40:
        time.sleep(0.05)
        stored = _stored_articles(directory)
    os.kill(driver.pid, signal.SIGKILL)
    driver.communicate()
    assert 0 < stored < clean[1].added, f"the driver was not killed mid-run ({stored} articles stored)"

    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    resumed = json.loads(done.stdout)
    assert resumed["added"] == clean[1].added - _committed_before(resumed, clean[1])
    nodes = resumed["ray"]["nodes"]  # per-node throughput in --json
    assert {node["node"] for node in nodes} <= {HEAD_IP, WORKER_IP} and sum(node["pages"] for node in nodes) > 0
    assert all(node["pages_per_s"] for node in nodes if node["pages"])
    assert_same_index(clean[0], snapshot(directory))


def _stored_articles(directory: Path) -> int:
    try:
        with sqlite3.connect(f"file:{directory / 'articles.sqlite'}?mode=ro", uri=True, timeout=0.1) as db:
            count: int = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            return count
    except sqlite3.Error:
        return 0


def _committed_before(resumed: dict[str, Any], clean: IngestReport) -> int:
    """Articles the killed run had committed: the re-run found them unchanged."""
    committed: int = resumed["unchanged"] - clean.unchanged
    return committed


def test_without_ray_the_option_says_how_to_install_it(tmp_path: Path) -> None:
    # The interpreter as it would be without the extra: an import of ray fails.
    blocked = "import sys; sys.modules['ray'] = None; from search.cli.app import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", blocked, "index", str(SAMPLES), "--index", str(tmp_path / "index"), "--ray", "auto"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "pip install 'news-search[ray]'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "index").exists()  # said before anything was created


def test_an_address_nobody_answers_at_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    done = subprocess.run(
        _cli("index", SAMPLES, "--index", tmp_path / "index", "--ray", f"{HEAD_IP}:1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"cannot connect to the Ray cluster at {HEAD_IP}:1" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "index").exists()


@pytest.mark.slow
@pytest.mark.model
def test_the_default_model_embeds_on_the_cluster_as_it_does_here(cluster: LocalCluster, tmp_path: Path) -> None:
    with Indexer(tmp_path / "local") as indexer:
        indexer.add([SAMPLES])
    with Indexer(tmp_path / "ray", ray=cluster.address) as indexer:
        report = indexer.add([SAMPLES])
    assert report.embedded > 0
    assert_same_index(snapshot(tmp_path / "local"), snapshot(tmp_path / "ray"))
