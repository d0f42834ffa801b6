"""Crash safety: SIGKILL a real ingest at random moments, then prove nothing was lost.

A clean run of ``news-search index`` over a real archive is timed first. Then the same command is
started again and again on a second index folder and killed with SIGKILL after a random delay
drawn from the whole length of a clean run (start-up, extraction, store commits, index syncs,
manifest write). After every kill the index must open and answer queries. When a run finishes
before its kill it is compared with the clean run, and the chain starts over from an empty
folder, so kills keep landing everywhere in an ingest. A final uninterrupted rerun must equal the
clean run: the same article ids with the same content hashes, the same skip reasons, the same
top-10 ids and scores for every query in every mode.

Then a failed write: the ingest runs with a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored, so
writes fail with EFBIG as on a full disk). It must exit with one clear line and leave the last
committed state intact.

    python benchmarks/crash.py [--kills 20] [--seed 7 --seed 20261201 ...] [--model hashing-384] [--json] [PATH ...]

Each seed (default 7, 20261201 and 4242) is a kill chain of its own, reported on its own. "The
same ranking" means the same ids in the same order with the same scores (to 1e-9 relative), not
only the same ids: BM25 statistics that still count replaced documents shift scores first.

Defaults to the aeb-news-constructed WARC (181 pages) from the shared evaluation data plus the
shipped samples/archive; with the hashing encoder a full run takes seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, machine, require_eval, write_result
from index.errors import IndexFormatError, IndexNotFoundError, NewsSearchError

MODES = ("keyword", "semantic", "hybrid")
DEFAULT_SEEDS = (7, 20261201, 4242)


def ingest_command(paths: list[Path], index_dir: Path, model: str) -> list[str]:
    script = Path(sys.executable).parent / "news-search"
    entry = [str(script)] if script.exists() else [sys.executable, "-c", "from search.cli.app import main; main()"]
    return [*entry, "index", *map(str, paths), "--index", str(index_dir), "--model", model, "--quiet"]


def derive_queries(index_dir: Path, count: int = 12) -> list[str]:
    """Queries from the clean index's own titles (first words), plus a few generic news words."""
    with sqlite3.connect(f"file:{index_dir / 'articles.sqlite'}?mode=ro", uri=True) as db:
        titles = [row[0] for row in db.execute("SELECT title FROM articles WHERE title != '' ORDER BY id LIMIT ?", (count,))]
    queries = [" ".join(title.split()[:3]) for title in titles]
    return [*queries, "government minister", "election results", "economy growth"]


def snapshot(index_dir: Path, queries: list[str]) -> dict[str, Any]:
    """What an index holds and answers: compared between the clean and the crashed run."""
    from search.facade import NewsSearch

    with sqlite3.connect(f"file:{index_dir / 'articles.sqlite'}?mode=ro", uri=True) as db:
        articles = dict(db.execute("SELECT id, content_hash FROM articles").fetchall())
        skips = dict(db.execute("SELECT source, reason FROM skips").fetchall())
    results: dict[str, list[tuple[str, float]]] = {}
    with NewsSearch(index_dir) as engine:
        for mode in MODES:
            for query in queries:
                hits = engine.search(query, limit=10, mode=mode)  # type: ignore[arg-type]
                results[f"{mode}:{query}"] = [(hit.id, float(hit.score)) for hit in hits]
        stats = engine.stats()
    return {"articles": articles, "skips": skips, "results": results, "pending": stats["pending_changes"]}


# Scores are compared, not only ids: a resumed index must rank as a clean one, and BM25 statistics
# that still count a replaced document move every score a little before they swap two hits.
SCORE_TOLERANCE = 1e-9


def _same_ranking(clean: list[tuple[str, float]], other: list[tuple[str, float]] | None) -> bool:
    if other is None or [i for i, _ in clean] != [i for i, _ in other]:
        return False
    return all(abs(a - b) <= SCORE_TOLERANCE * max(1.0, abs(a)) for (_, a), (_, b) in zip(clean, other, strict=True))


def ranking_differences(clean: dict[str, Any], other: dict[str, Any]) -> list[dict[str, Any]]:
    """The query/mode pairs whose top 10 differs in ids or scores, with both rankings."""
    found = []
    for key, ranked in clean["results"].items():
        theirs = other["results"].get(key)
        if not _same_ranking(ranked, theirs):
            found.append(
                {
                    "query": key,
                    "clean": [[i, round(s, 6)] for i, s in ranked],
                    "resumed": [[i, round(s, 6)] for i, s in theirs or []],
                    "same_ids": theirs is not None and [i for i, _ in ranked] == [i for i, _ in theirs],
                }
            )
    return found


def differences(clean: dict[str, Any], other: dict[str, Any]) -> list[str]:
    diffs: list[str] = []
    if clean["articles"] != other["articles"]:
        missing = set(clean["articles"]) - set(other["articles"])
        extra = set(other["articles"]) - set(clean["articles"])
        changed = {k for k in set(clean["articles"]) & set(other["articles"]) if clean["articles"][k] != other["articles"][k]}
        diffs.append(f"articles: {len(missing)} missing, {len(extra)} extra, {len(changed)} with other content")
    if clean["skips"] != other["skips"]:
        diffs.append(f"skips differ: {len(set(clean['skips'].items()) ^ set(other['skips'].items()))} entries")
    differing = ranking_differences(clean, other)
    if differing:
        reordered = sum(not d["same_ids"] for d in differing)
        diffs.append(
            f"results differ for {len(differing)} of {len(clean['results'])} query/mode pairs "
            f"({reordered} in ids, the rest in scores only), e.g. {differing[0]['query']!r}"
        )
    if other["pending"]:
        diffs.append(f"{other['pending']} journal entries not applied")
    return diffs


def check_opens(index_dir: Path, queries: list[str]) -> str:
    """'answers' when the index opens and every mode answers; 'not_created' before a first commit."""
    from search.facade import NewsSearch

    try:
        with NewsSearch(index_dir) as engine:
            for mode in MODES:
                hits = engine.search(queries[0], limit=5, mode=mode)  # type: ignore[arg-type]
                for hit in hits[:1]:
                    engine.get(hit.id)
        return "answers"
    except IndexNotFoundError:
        return "not_created"
    except IndexFormatError as exc:
        # Only acceptable before the first manifest was ever written, with a message saying what to do.
        if "never finished" in str(exc):
            return "not_created"
        return f"FAILED: {exc}"
    except NewsSearchError as exc:
        return f"FAILED: {type(exc).__name__}: {exc}"
    except Exception as exc:
        return f"FAILED (traceback-class error): {type(exc).__name__}: {exc}"


def run_kills(
    paths: list[Path],
    work: Path,
    model: str,
    kills: int,
    seed: int,
    clean_seconds: float,
    clean: dict[str, Any],
    queries: list[str],
) -> dict[str, Any]:
    rng = random.Random(seed)
    target = work / "crashed"
    shutil.rmtree(target, ignore_errors=True)
    outcomes: dict[str, int] = {}
    failures: list[str] = []
    completed_chains = 0
    completed_equal = 0
    chain_mismatches: list[int] = []  # query/mode pairs ranked otherwise than the clean run, per completed chain
    examples: list[dict[str, Any]] = []
    delays: list[float] = []
    killed = 0
    while killed < kills:
        delay = rng.uniform(0.0, clean_seconds)
        # Its own process group, killed as a whole: the ingest's extraction workers die with it, as
        # in a power cut or an OOM kill of the whole job (stderr goes to a file, never a pipe that
        # an orphaned worker could hold open).
        with open(work / "stderr.txt", "w+b") as err:
            proc = subprocess.Popen(
                ingest_command(paths, target, model), stdout=subprocess.DEVNULL, stderr=err, start_new_session=True
            )
            try:
                proc.wait(timeout=delay)
                finished = True
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                finished = False
            err.seek(0)
            stderr = err.read().decode(errors="replace")
        if finished:
            # The run beat its kill: it must equal the clean run; then start a new chain from nothing.
            if proc.returncode != 0:
                failures.append(f"run exited {proc.returncode}: {stderr.strip()[-300:]}")
            completed_chains += 1
            state = snapshot(target, queries)
            diffs = differences(clean, state)
            ranking = ranking_differences(clean, state)
            chain_mismatches.append(len(ranking))
            examples.extend({"chain": completed_chains, **d} for d in ranking[: max(0, 3 - len(examples))])
            if diffs:
                failures.append(f"completed chain {completed_chains}: {'; '.join(diffs)}")
            else:
                completed_equal += 1
            shutil.rmtree(target, ignore_errors=True)
            continue
        killed += 1
        delays.append(round(delay, 3))
        outcome = check_opens(target, queries)
        outcomes[outcome.split(":")[0]] = outcomes.get(outcome.split(":")[0], 0) + 1
        if outcome.startswith("FAILED"):
            failures.append(f"kill {killed} at {delay:.2f}s: {outcome}")
        print(f"kill {killed:3d} at {delay:5.2f}s: {outcome}", file=sys.stderr)
    # The final rerun, uninterrupted, must equal the clean run.
    proc_final = subprocess.run(ingest_command(paths, target, model), capture_output=True, text=True, check=False)
    if proc_final.returncode != 0:
        failures.append(f"final rerun exited {proc_final.returncode}: {proc_final.stderr.strip()[-300:]}")
    final_state = snapshot(target, queries)
    final_diffs = differences(clean, final_state)
    final_ranking = ranking_differences(clean, final_state)
    return {
        "kills": killed,
        "after_kill": outcomes,
        "kill_delays_seconds": {"min": min(delays), "max": max(delays), "mean": round(sum(delays) / len(delays), 3)},
        "chains_completed_between_kills": completed_chains,
        "chains_equal_to_clean": completed_equal,
        "chain_mismatched_pairs": chain_mismatches,
        "final_equals_clean": not final_diffs,
        "final_mismatched_pairs": len(final_ranking),
        "final_differences": final_diffs,
        "examples": [*examples, *({"chain": "final", **d} for d in final_ranking[:3])],
        "failures": failures,
    }


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def run_disk_full(base: list[Path], more: list[Path], work: Path, model: str, queries: list[str]) -> list[dict[str, Any]]:
    """Commit ``base``, then ingest ``more`` with too little room to write: clear error, base intact.

    Tried with several amounts of room, so the failed write lands in the store, the keyword index,
    the vector file or the manifest.
    """
    base_dir = work / "disk-full-base"
    shutil.rmtree(base_dir, ignore_errors=True)
    subprocess.run(ingest_command(base, base_dir, model), check=True, capture_output=True)
    before = snapshot(base_dir, queries)
    largest = max(p.stat().st_size for p in base_dir.rglob("*") if p.is_file())
    rows = []
    for margin_kb in (0, 16, 256, 1024, 4096):
        target = work / f"disk-full-{margin_kb}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base_dir, target)
        limit = largest + margin_kb * 1024
        proc = subprocess.run(
            ingest_command(more, target, model),
            capture_output=True,
            text=True,
            check=False,
            preexec_fn=lambda limit=limit: _limit_file_size(limit),  # type: ignore[misc]
        )
        stderr_lines = [line for line in proc.stderr.splitlines() if line.strip()]
        after = snapshot(target, queries)
        # Whole batches may have committed before the limit was hit: those are committed state too.
        # What must hold: everything from before is still there, unchanged, and the index answers.
        lost = {k for k, v in before["articles"].items() if after["articles"].get(k) != v}
        opens = check_opens(target, queries)
        rerun = subprocess.run(ingest_command(more, target, model), capture_output=True, text=True, check=False)
        rows.append(
            {
                "file_size_limit_bytes": limit,
                "exit_code": proc.returncode,
                "stderr": stderr_lines[-3:],
                "one_line_error": proc.returncode != 0 and len(stderr_lines) == 1 and "Traceback" not in proc.stderr,
                "articles_before": len(before["articles"]),
                "articles_after_failure": len(after["articles"]),
                "committed_articles_lost_or_changed": len(lost),
                "opens_after": opens,
                "rerun_without_limit_exit_code": rerun.returncode,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--kills", type=int, default=20, help="Kills per seed.")
    parser.add_argument(
        "--seed",
        type=int,
        action="append",
        dest="seeds",
        help=f"Seed of the kill delays; repeat for several (default: {', '.join(map(str, DEFAULT_SEEDS))}).",
    )
    parser.add_argument("--model", default="hashing-384")
    parser.add_argument("--work", type=Path, default=None, help="Scratch folder (default: a temporary one, removed after).")
    parser.add_argument("--skip-disk-full", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-record", action="store_true", help="Do not write benchmarks/results/crash.json (short test runs).")
    args = parser.parse_args()
    seeds: list[int] = args.seeds or list(DEFAULT_SEEDS)
    paths = args.paths or [require_eval("warc/aeb-news-constructed.warc.gz"), ROOT / "samples" / "archive"]
    work = args.work or Path(tempfile.mkdtemp(prefix="news-search-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        clean_dir = work / "clean"
        shutil.rmtree(clean_dir, ignore_errors=True)
        subprocess.run(ingest_command(paths, clean_dir, args.model), check=True, capture_output=True)
        clean_seconds = time.perf_counter() - started
        queries = derive_queries(clean_dir)
        clean = snapshot(clean_dir, queries)
        result: dict[str, Any] = {
            "data": [str(p) for p in paths],
            "model": args.model,
            "seeds": seeds,
            "kills_per_seed": args.kills,
            "clean_run_seconds": round(clean_seconds, 2),
            "clean_articles": len(clean["articles"]),
            "clean_skips": len(clean["skips"]),
            "queries": len(queries),
            "compared_query_mode_pairs": len(clean["results"]),
        }
        # Several seeds: each draws other kill moments, so kills land in other batches, syncs and
        # merges (seed 20261201 found statistics that still counted replaced documents; 7 did not).
        result["crash"] = [
            {"seed": seed, **run_kills(paths, work, args.model, args.kills, seed, clean_seconds, clean, queries)}
            for seed in seeds
        ]
        if not args.skip_disk_full and len(paths) >= 2:
            result["disk_full"] = run_disk_full(paths[1:], paths[:1], work, args.model, queries)
        result["seconds"] = round(time.perf_counter() - started, 1)
        result["machine"] = machine()
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if not args.no_record:
        write_result("crash", result)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for crash in result["crash"]:
            print(
                f"seed {crash['seed']}: {crash['kills']} kills: after each {crash['after_kill']}; "
                f"completed chains equal to clean: {crash['chains_equal_to_clean']}"
                f" of {crash['chains_completed_between_kills']}; "
                f"final rerun equals clean run: {crash['final_equals_clean']}; failures: {len(crash['failures'])}"
            )
        if "disk_full" in result:
            for row in result["disk_full"]:
                print(f"disk full: {json.dumps(row)}")
    if any(crash["failures"] or not crash["final_equals_clean"] for crash in result["crash"]):
        sys.exit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    try:
        main()
    except subprocess.CalledProcessError as exc:  # an input the ingest refused: its one-line error, no traceback
        said = (exc.stderr or b"").decode(errors="replace").strip().splitlines() or [f"exit status {exc.returncode}"]
        sys.exit(f"crash.py: error: the ingest failed: {said[-1]}")
