"""Coverage-guided fuzzing (atheris / libFuzzer) of the extraction entry point, for a fixed time.

Each input is taken as the raw bytes of a saved page and passed to ``index.extract.pages.to_article``,
as ingest does (HTML, or a text clipping when the first byte is odd; the second byte picks a
declared charset). trafilatura, its helpers and our extraction code are instrumented for coverage;
the seed corpus is the shipped sample archive. ``to_article`` must return an article or a skip:

- an exception escaping it, or a run over ``--timeout`` seconds, or RSS over ``--rss-mb``, is a crash
  (libFuzzer stops, the input is saved, fuzzing resumes in a fresh process);
- a skip with reason ``extraction_failed`` (an exception caught inside) is a finding, counted and
  sampled, since it means some library raised on that input.

    python benchmarks/fuzz_extract.py [--seconds 300] [--json]

Needs ``pip install atheris``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ArgumentParser, fail, machine, write_result

CHARSETS = (None, "utf-8", "latin-1", "gb2312", "shift_jis", "x-unknown", "utf-16", "cp1252")


def worker(stats_path: Path, corpus: Path, seconds: int, timeout: int, rss_mb: int, artifacts: Path) -> None:
    import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

    with atheris.instrument_imports():
        import trafilatura  # noqa: F401  (instrumented for coverage)

        from index.article import Skip
        from index.extract import pages as extract
        from index.extract.sources import Page

    reasons: Counter[str] = Counter()
    samples: list[str] = []
    state = {"runs": 0, "last_write": time.monotonic()}

    def flush() -> None:
        stats = {"runs": state["runs"], "reasons": dict(reasons), "failures": samples[:20]}
        stats_path.write_text(json.dumps(stats), encoding="utf-8")
        state["last_write"] = time.monotonic()

    def one_input(data: bytes) -> None:
        kind = "text" if data[:1] and data[0] % 2 else "html"
        charset = CHARSETS[data[1] % len(CHARSETS)] if len(data) > 1 else None
        result = extract.to_article(Page("fuzz", data[2:], url="https://fuzz.example/a", charset=charset, kind=kind))  # type: ignore[arg-type]
        reason = result.reason if isinstance(result, Skip) else "article"
        reasons[reason] += 1
        if reason == "extraction_failed" and len(samples) < 20 and result.detail not in samples:  # type: ignore[union-attr]
            samples.append(result.detail)  # type: ignore[union-attr]
        state["runs"] += 1
        if time.monotonic() - state["last_write"] > 2:
            flush()

    flush()
    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        f"-timeout={timeout}",
        f"-rss_limit_mb={rss_mb}",
        "-max_len=65536",
        f"-artifact_prefix={artifacts}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(argv, one_input)
    try:
        atheris.Fuzz()
    finally:
        flush()


def seed_corpus(target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted((ROOT / "samples" / "archive").rglob("*")):
        if path.is_file() and path.suffix in (".html", ".htm", ".txt") and path.stat().st_size <= 65536:
            (target / f"seed-{count}").write_bytes(b"\x00\x00" + path.read_bytes())
            count += 1
    return count


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--timeout", type=int, default=20, help="Seconds one input may take before it counts as a hang.")
    parser.add_argument("--rss-mb", type=int, default=2048)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", nargs=3, metavar=("STATS", "CORPUS", "SECONDS"), help=argparse.SUPPRESS)
    parser.add_argument("--artifacts", type=Path, default=None, help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()
    if args.worker:
        stats, corpus, seconds = args.worker
        worker(Path(stats), Path(corpus), int(seconds), args.timeout, args.rss_mb, args.artifacts)
        return
    if importlib.util.find_spec("atheris") is None:
        fail("atheris is not installed: pip install atheris")

    scratch = Path(tempfile.mkdtemp(prefix="news-search-fuzz-"))
    corpus, artifacts = scratch / "corpus", ROOT / "benchmarks" / ".work" / "fuzz-artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    seeds = seed_corpus(corpus)
    started = time.monotonic()
    runs, reasons, failures = 0, Counter[str](), []
    crashes: list[dict[str, Any]] = []
    try:
        while (left := args.seconds - (time.monotonic() - started)) > 5:
            stats_path = scratch / f"stats-{len(crashes)}.json"
            command = [sys.executable, __file__, "--worker", str(stats_path), str(corpus), str(int(left))]
            command += ["--timeout", str(args.timeout), "--rss-mb", str(args.rss_mb), "--artifacts", str(artifacts)]
            proc = subprocess.run(command, capture_output=True, text=True, check=False)
            if stats_path.exists():
                stats = json.loads(stats_path.read_text(encoding="utf-8"))
                runs += stats["runs"]
                reasons.update(stats["reasons"])
                failures += [f for f in stats["failures"] if f not in failures]
            if proc.returncode != 0:  # libFuzzer found a crash, hang or memory blow-up: note it, go on
                lines = [
                    line for line in proc.stderr.splitlines() if "ERROR" in line or "Exception" in line or "artifact" in line
                ]
                crashes.append({"exit_code": proc.returncode, "lines": lines[:6]})
                if len(crashes) >= 10:
                    break
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started
    result: dict[str, Any] = {
        "target": "index.extract.pages.to_article (trafilatura instrumented), raw page bytes",
        "seconds": round(elapsed, 1),
        "inputs_run": runs,
        "inputs_per_second": round(runs / elapsed, 1) if elapsed else 0.0,
        "seed_pages": seeds,
        "outcomes": dict(reasons),
        "crashes": crashes,
        "extraction_failed_samples": failures[:20],
        "machine": machine(),
    }
    write_result("fuzz_extract", result)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{runs} inputs in {elapsed:.0f} s: {dict(reasons)}; crashes: {len(crashes)}")


if __name__ == "__main__":
    main()
