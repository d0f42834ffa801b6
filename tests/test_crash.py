"""A short run of the crash harness: SIGKILL a real ingest a few times, then compare with a clean run.

The full run (50+ kills over the aeb WARC and the sample archive) is ``benchmarks/crash.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES


@pytest.mark.slow
def test_killed_ingests_leave_an_index_that_answers_and_a_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    options = ["--kills", "4", "--seed", "3", "--work", str(tmp_path), "--skip-disk-full", "--no-record", "--json"]
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "crash.py"), str(SAMPLES), *options, "--model", "hashing-256"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    crash = json.loads(result.stdout)["crash"]
    assert crash["kills"] == 4 and not crash["failures"]
    assert crash["final_equals_clean"], crash["final_differences"]
    assert set(crash["after_kill"]) <= {"answers", "not_created"}
