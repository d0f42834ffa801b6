"""A writer killed mid-ingest (SIGKILL), then the same command, gives the documents of a clean run.

The writer runs in its own process through the public library; its encoder is slowed down (the
encoder is not what is tested) so the kill lands after some batches were written and before the
ingest ends. The documents are compared through the public read API, field by field.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

from index import HashingEncoder, Indexer
from index.backends.opensearch.admin import delete_index
from index.backends.opensearch.location import parse_location
from search import NewsSearch
from tests.backends.conftest import ROOT, SAMPLES
from tests.backends.opensearch.node import Node

pytestmark = pytest.mark.opensearch

WRITER = """
import sys, time
from index import HashingEncoder, Indexer

class Slow(HashingEncoder):
    def encode_documents(self, texts):
        time.sleep(float(sys.argv[3]))
        return super().encode_documents(texts)

def progress(report):
    print("added", report.added, flush=True)

with Indexer(sys.argv[1], encoder=Slow(256), batch_size=4, workers=0) as indexer:
    indexer.add([sys.argv[2]], progress=progress)
print("done", flush=True)
"""


def run_writer(location: str, delay: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, location, str(SAMPLES), str(delay)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def everything(location: str) -> dict[str, Any]:
    """Every stored article with its group, the skipped pages and the stats that count them."""
    with NewsSearch(location) as news:
        listed = news.search_results("since:1900", limit=100, mode="keyword")
        articles = {hit.id: news.get(hit.id).to_dict() for hit in listed.hits}
        for article in articles.values():
            article.pop("indexed_at")
        groups = {article_id: [a.id for a in news.group_members(article_id)] for article_id in articles}
        stats = news.stats()
        return {
            "total": listed.total,
            "articles": articles,
            "groups": groups,
            "skipped": news.skipped_pages(),
            "counts": (stats["articles"], stats["skipped"], stats["languages"]),
        }


def test_sigkill_mid_ingest_then_the_same_command_gives_the_clean_documents(opensearch_node: Node) -> None:
    base = f"opensearch://127.0.0.1:{opensearch_node.port}"
    clean, resumed = f"{base}/resume-clean", f"{base}/resume-killed"
    try:
        with Indexer(clean, encoder=HashingEncoder(256), batch_size=4, workers=0) as indexer:
            indexer.add([SAMPLES])
        writer = run_writer(resumed, 0.4)
        assert writer.stdout is not None
        killed_at = -1
        deadline = time.monotonic() + 120
        for line in writer.stdout:
            if line.startswith("added") and int(line.split()[1]) >= 12:
                killed_at = int(line.split()[1])
                os.kill(writer.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline
        writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL and 12 <= killed_at < 41, "the kill must land mid-ingest"
        again = run_writer(resumed, 0.0)
        output, _ = again.communicate(timeout=180)
        assert again.returncode == 0 and "done" in output
        assert everything(resumed) == everything(clean)
        with NewsSearch(resumed) as news:
            assert news.search("Lavrov Pyongyang", limit=1)[0].id == "17ecbb609660a28a"
    finally:
        for location in (clean, resumed):
            delete_index(parse_location(location))
