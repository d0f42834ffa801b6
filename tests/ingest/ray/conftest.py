"""The two-node cluster the Ray tests share, and what "the same index" means for them."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from index.ingest.ray.local_cluster import ENV, LocalCluster
from index.ingest.worker import CRASH_MARKER_ENV

# Pages holding this kill the extraction task that reads them (``index.ingest.worker.injected_crash``).
POISON_MARKER = "NEWS-SEARCH-POISON-PAGE"


def require_ray() -> ModuleType:
    """The ray module; without it these tests skip here, and fail under CI (which installs the dev extra)."""
    try:
        import ray
    except ImportError:
        message = "ray is not installed: pip install 'news-search[ray]' (the dev extra includes it)"
        if os.environ.get("CI"):
            pytest.fail(message)  # a missing ray there is a broken setup, not a reason to skip
        pytest.skip(message)
    return ray


@pytest.fixture(scope="session")
def cluster() -> Iterator[LocalCluster]:
    """A real head and worker node, started for these tests; this process joins as a driver."""
    ray = require_ray()
    # The nodes inherit the fault injection (a task dies on a page holding POISON_MARKER), and the
    # driver sees what the nodes see (RAY_AUTH_MODE above all).
    environment = {**ENV, CRASH_MARKER_ENV: POISON_MARKER}
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    local = LocalCluster()
    try:
        yield local.start()
    finally:
        if ray.is_initialized():
            ray.shutdown()
        local.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def snapshot(index_dir: Path) -> dict[str, Any]:
    """Everything ingest decides, read from the store: articles by row, embeddings, skips, fingerprints."""
    with sqlite3.connect(f"file:{index_dir / 'articles.sqlite'}?mode=ro", uri=True) as db:
        articles = db.execute(
            "SELECT rowid, id, title, text, published, author, site, lang, source, content_hash, dup_group"
            " FROM articles ORDER BY rowid"
        ).fetchall()
        vectors = {
            rowid: np.frombuffer(blob, dtype=np.float32) for rowid, blob in db.execute("SELECT rowid, vector FROM embeddings")
        }
        skips = db.execute("SELECT source, reason, detail FROM skips ORDER BY source").fetchall()
        seen = db.execute("SELECT source, fingerprint, outcome FROM seen_pages ORDER BY source").fetchall()
        pending = db.execute("SELECT count(*) FROM pending").fetchone()[0]
    return {"articles": articles, "vectors": vectors, "skips": skips, "seen": seen, "pending": pending}


def assert_same_index(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Same article ids on the same rows, same texts and groups, same skips, the same embeddings (on
    CPU nodes an article's embedding depends on its text only, not on the batch it travelled in)."""
    assert [row[:2] for row in actual["articles"]] == [row[:2] for row in expected["articles"]]
    assert actual["articles"] == expected["articles"]  # texts, metadata, near-duplicate groups
    assert actual["skips"] == expected["skips"]
    assert actual["seen"] == expected["seen"]
    assert actual["pending"] == 0
    assert sorted(actual["vectors"]) == sorted(expected["vectors"])
    differing = [row for row in expected["vectors"] if not np.array_equal(expected["vectors"][row], actual["vectors"][row])]
    worst = min((float(np.dot(expected["vectors"][row], actual["vectors"][row])) for row in differing), default=1.0)
    assert not differing, f"{len(differing)} embeddings differ from the single-process ones (worst cosine {worst:.6f})"
