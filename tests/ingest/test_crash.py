"""Short runs of the crash harness: SIGKILL a real ingest a few times, then compare with a clean run.

The full run (20 kills for each of three seeds over the aeb WARC and the sample archive) is
``benchmarks/crash.py``. "Equal" there means the same articles, skip reasons and journal, and for
every query in every mode the same top 10 ids with the same scores.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AEB_WARC, ROOT, SAMPLES, require


def _crash_run(tmp_path: Path, paths: list[Path], kills: int, seed: int, model: str) -> dict[str, Any]:
    options = ["--kills", str(kills), "--seed", str(seed), "--work", str(tmp_path), "--skip-disk-full", "--no-record", "--json"]
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "crash.py"), *map(str, paths), *options, "--model", model],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.stdout, result.stderr[-2000:]
    runs = json.loads(result.stdout)["crash"]
    assert [run["seed"] for run in runs] == [seed]
    crash: dict[str, Any] = runs[0]
    assert result.returncode == 0, json.dumps(crash, indent=1)[-3000:]
    return crash


@pytest.mark.slow
def test_killed_ingests_leave_an_index_that_answers_and_a_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    crash = _crash_run(tmp_path, [SAMPLES], kills=4, seed=3, model="hashing-256")
    assert crash["kills"] == 4 and not crash["failures"]
    assert crash["final_equals_clean"], crash["final_differences"]
    assert set(crash["after_kill"]) <= {"answers", "not_created"}


@pytest.mark.slow
def test_a_resumed_ingest_ranks_as_a_clean_one_with_the_seed_that_found_the_difference(tmp_path: Path) -> None:
    """Seed 20261201 over the aeb WARC and the samples: before live BM25 statistics and row-id
    tie-breaks, every resumed run scored 30 of 45 query/mode pairs otherwise than a clean run."""
    crash = _crash_run(tmp_path, [require(AEB_WARC), SAMPLES], kills=4, seed=20261201, model="hashing-384")
    assert crash["kills"] == 4 and not crash["failures"], crash["failures"]
    assert crash["final_mismatched_pairs"] == 0 and crash["final_equals_clean"], crash["examples"]
    assert not any(crash["chain_mismatched_pairs"]), crash["examples"]
    assert set(crash["after_kill"]) <= {"answers", "not_created"}
