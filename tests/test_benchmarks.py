"""The benchmark scripts run as documented: both ``python benchmarks/NAME.py`` and
``python -m benchmarks.NAME`` from the repository root, and a run that lacks an input stops with one
line saying what to pass (no traceback), before anything is built.

Each case is a real process started without PYTHONPATH, as a user types the command; none runs a
benchmark itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(path.stem for path in (ROOT / "benchmarks").glob("*.py") if path.stem != "__init__")
# crash.py's argument parser is left to the branch that changes it; every other --help names the variable.
WITHOUT_EVAL_NOTE = {"crash"}


def run(args: list[str], *, eval_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "NEWS_SEARCH_EVAL_DIR")}
    if eval_dir is not None:
        env["NEWS_SEARCH_EVAL_DIR"] = str(eval_dir)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_every_script_is_covered() -> None:
    assert {"crash", "common", "latency", "relevance", "synthetic_archive"} <= set(SCRIPTS)


@pytest.mark.parametrize("how", ["path", "module"])
@pytest.mark.parametrize("name", SCRIPTS)
def test_help(name: str, how: str) -> None:
    args = [f"benchmarks/{name}.py"] if how == "path" else ["-m", f"benchmarks.{name}"]
    proc = run([*args, "--help"])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage:"), proc.stdout
    assert "Traceback" not in proc.stderr
    if name not in WITHOUT_EVAL_NOTE:
        assert "NEWS_SEARCH_EVAL_DIR" in proc.stdout


def assert_one_line(proc: subprocess.CompletedProcess[str], *expected: str) -> str:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1, proc.stderr
    assert proc.stdout == ""
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def test_latency_without_real_index_says_what_to_pass() -> None:
    # It used to die inside numpy (``ValueError: high <= 0``) drawing synthetic articles from no real ones.
    line = assert_one_line(run(["benchmarks/latency.py", "--articles", "10"]), "latency.py: error:", "--real-index DIR")
    assert "benchmarks/relevance.py" in line


def test_latency_module_without_articles() -> None:
    assert_one_line(run(["-m", "benchmarks.latency"]), "--articles N")


def test_latency_real_index_that_is_no_index(tmp_path: Path) -> None:
    proc = run(["benchmarks/latency.py", "--articles", "10", "--real-index", str(tmp_path), "--work-dir", str(tmp_path / "w")])
    assert_one_line(proc, f"--real-index {tmp_path}: no index there")
    assert not (tmp_path / "w").exists()


def test_latency_without_shared_data(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")  # passes the check; never opened
    proc = run(["benchmarks/latency.py", "--articles", "10", "--real-index", str(tmp_path)], eval_dir=tmp_path / "absent")
    assert_one_line(proc, "NEWS_SEARCH_EVAL_DIR", str(tmp_path / "absent"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["benchmarks/embedded_text.py"], "give --index DIR"),
        (["-m", "benchmarks.ingest"], "give --corpus PATH or --synthetic N"),
        (["benchmarks/ingest.py", "--corpus", "no/such/archive.warc.gz"], "no/such/archive.warc.gz: no such file or folder"),
        (["benchmarks/hostile.py", "--only", "no such input"], "no such input"),
    ],
)
def test_missing_option(args: list[str], expected: str) -> None:
    assert_one_line(run(args), expected)


@pytest.mark.parametrize(
    "args",
    [
        ["benchmarks/crash.py", "--no-record"],
        ["benchmarks/extraction.py"],
        ["-m", "benchmarks.relevance"],
        ["benchmarks/embedded_text.py", "--index", "{index}"],
        ["-m", "benchmarks.synthetic_archive", "--pages", "5", "--out", "{out}"],
        ["benchmarks/serve.py", "--quick", "--work-dir", "{out}"],
    ],
)
def test_missing_shared_data(args: list[str], tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / "manifest.json").write_text("{}", encoding="utf-8")
    args = [arg.format(index=index, out=tmp_path / "out" / "x.warc.gz") for arg in args]
    assert_one_line(run(args, eval_dir=tmp_path / "absent"), "NEWS_SEARCH_EVAL_DIR", str(tmp_path / "absent"))
    assert not (tmp_path / "out").exists()  # nothing half-written
