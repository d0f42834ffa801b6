"""Shared helpers for benchmark scripts: where evaluation data lives, and the machine record."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = Path(os.environ.get("NEWS_SEARCH_EVAL", ROOT.parent / "shared" / "eval"))
RESULTS = ROOT / "benchmarks" / "results"
PACKAGES = (
    "news-search",
    "trafilatura",
    "whoosh-reloaded",
    "faiss-cpu",
    "sentence-transformers",
    "torch",
    "onnxruntime",
    "numpy",
)


def require_eval(relative: str) -> Path:
    path = SHARED_EVAL / relative
    if not path.exists():
        sys.exit(f"evaluation data not found: {path} (set NEWS_SEARCH_EVAL to the shared eval folder)")
    return path


def own_peak_rss_mb() -> float:
    """Peak resident memory of this process since it started Python (VmHWM).

    Not ``ru_maxrss``: Linux carries the parent's peak into a child through fork and exec, so a
    child started by a large process (a test runner that has loaded a model) would report that."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "versions": versions,
    }


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
