"""``benchmarks/serve.py --quick`` end to end: the real server and ingest processes on the sample
archive, a few seconds of load, and the JSON it writes.

Real processes throughout (``news-search serve``, ``news-search index``, httpx clients), started
as a user types the command, without PYTHONPATH; the result's figures are checked against each
other and against what the run must have done, not against fixed numbers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED, require

QUICK_INGEST = 20  # the articles --quick's ingest adds


def run_quick(work: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    require(SHARED / "eval" / "retrieval")  # the queries are the shared sets'
    out = work / "serve.json"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "NEWS_SEARCH_INDEX")}
    env["NEWS_SEARCH_EVAL_DIR"] = str(SHARED / "eval")
    proc = subprocess.run(
        [sys.executable, "benchmarks/serve.py", "--quick", "--json", "--work-dir", str(work), "--json-out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc, json.loads(out.read_text(encoding="utf-8"))


def assert_latencies(figures: dict[str, Any]) -> None:
    assert figures["requests"] > 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    assert figures["errors"] == {} and figures["error_count"] == 0


@pytest.mark.slow
def test_quick_run_serves_under_load_while_an_ingest_commits(tmp_path: Path) -> None:
    proc, result = run_quick(tmp_path)
    assert "Traceback" not in proc.stderr
    assert json.loads(proc.stdout) == result  # --json: the object on stdout is the one written

    # The same mix both ways, with every kind of request in it, and without a single error.
    assert result["quick"] is True and result["index"]["model"] == "hashing-256"
    kinds = {"hybrid", "keyword", "semantic", "filtered", "filter_lang", "filter_site", "filter_year", "facets", "paged"}
    assert set(result["mix"]["kinds"]) == kinds
    for side in ("library", "http"):
        assert result[side]["sequential"]["requests"] == 50
        assert_latencies(result[side]["sequential"])
        assert_latencies(result[side]["concurrent"])
        assert result[side]["concurrent"]["clients"] == 16 and result[side]["concurrent"]["requests_per_s"] > 0
        assert {"hybrid", "keyword", "semantic"} <= set(result[side]["concurrent"]["by_kind"])
    assert result["comparison"]["slices"] == 3

    load = result["load"]
    assert_latencies(load)
    assert load["error_examples"] == []
    cut = load["segments"]
    assert sum(part["requests"] for name, part in cut.items() if name != "without_ingest") <= load["requests"]

    server = result["server"]
    assert server["first_search_status"] == 200
    assert len(server["startup_runs_s"]) == 3 and 0 < server["startup_s"] < 60 and server["startup_cpu_s"] > 0
    assert all(value > 0 for value in server["rss_mb"].values()), server["rss_mb"]
    assert server["exit_status"] in (0, -15)  # stopped by SIGTERM to its own pid
    assert server["stderr_tail"] == []  # no tracebacks, no warnings

    # The ingest committed during the window, and the server picked its articles up.
    ingest = result["ingest"]
    assert ingest["returncode"] == 0 and ingest["added"] == QUICK_INGEST
    assert ingest["committed_in_window"] is True and "during_ingest" in cut
    assert ingest["started_s"] <= ingest["first_seen_by_server_s"]
    assert ingest["monitor_errors"] == {}
    assert ingest["server_articles_after"] == result["articles"] + QUICK_INGEST

    assert all(value is not None and value > 0 for value in result["ratios"].values()), result["ratios"]
    assert result["targets"]["no_errors"] is True and result["targets"]["ingest_committed_in_window"] is True
    assert {"news-search", "fastapi", "uvicorn", "httpx"} <= set(result["machine"]["versions"])

    # The ingest went into a scratch copy: the cached index is as it was built, and the copy is gone.
    cached = json.loads((tmp_path / "serve-sample-hashing-256" / "manifest.json").read_text(encoding="utf-8"))
    assert cached["articles"] == result["articles"]
    assert not list(tmp_path.glob("serve-run-*"))
