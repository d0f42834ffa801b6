"""Shared helpers for benchmark scripts: where evaluation data lives, argument parsing, the machine record.

The shared evaluation data is read in place, never copied into the repository: from the folder
named by $NEWS_SEARCH_EVAL_DIR, else ``../shared/eval`` beside the repository root.

    python benchmarks/common.py      # or: python -m benchmarks.common

prints where the evaluation data is looked for, whether it is there, and this machine's record.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parent.parent
EVAL_ENV = "NEWS_SEARCH_EVAL_DIR"
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"


def eval_dir() -> Path:
    """The shared evaluation folder: $NEWS_SEARCH_EVAL_DIR when set (and not empty), else ../shared/eval."""
    configured = os.environ.get(EVAL_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_EVAL


SHARED_EVAL = eval_dir()
EVAL_HELP = (
    f"Shared evaluation data is read in place from ${EVAL_ENV} when it is set, "
    f"else from ../shared/eval beside the repository ({DEFAULT_EVAL})."
)
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


class ArgumentParser(argparse.ArgumentParser):
    """The benchmarks' parser: ``--help`` says where evaluation data is read from, and a usage error
    is one line (what is wrong, what to pass), not the usage block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("epilog", EVAL_HELP)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def fail(message: str) -> NoReturn:
    """Stop with one line on stderr, naming the script, and exit status 2 (a missing or wrong input)."""
    print(f"{Path(sys.argv[0]).name}: error: {message}", file=sys.stderr)
    sys.exit(2)


def require_eval(relative: str) -> Path:
    """A path inside the shared evaluation data; stops with one line when it is not there."""
    path = SHARED_EVAL / relative
    if not path.exists():
        fail(f"evaluation data not found: {path} (set {EVAL_ENV} to the shared eval folder; default ../shared/eval)")
    return path


def require_index(path: Path, option: str, hint: str) -> Path:
    """An existing index folder given as ``option``; stops with one line saying what to pass."""
    if not (path / "manifest.json").is_file():
        fail(f"{option} {path}: no index there; {hint}")
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


SIMD_FLAGS = frozenset({"avx2", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8"})


def machine() -> dict[str, Any]:
    cpu, flags = "", set()
    with contextlib.suppress(OSError):
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "")
        flags = set(next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), []))
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
        # int8 kernels differ by these, and so did the default model's embeddings (index.embed.e5.optimize)
        "simd": sorted(flags & SIMD_FLAGS),
        "versions": versions,
    }


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    found = SHARED_EVAL.is_dir()
    print(json.dumps({"eval_dir": str(SHARED_EVAL), "eval_found": found, "machine": machine()}, indent=2))
    return 0 if found else 1


if __name__ == "__main__":
    raise SystemExit(main())
