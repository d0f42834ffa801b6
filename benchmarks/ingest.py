"""Ingest throughput and memory: a corpus into a fresh index, beside the encoder alone on the same texts.

    python -m benchmarks.ingest --corpus ../shared/eval/retrieval/bbc-news/corpus_with_titles.jsonl --json
    python -m benchmarks.ingest --corpus ../shared/eval/warc/aeb-news-constructed.warc.gz --json
    python -m benchmarks.ingest --synthetic 100000 --json      # generates the WARC once, in benchmarks/.work
    python -m benchmarks.ingest --ray --corpus ../shared/eval/warc/aeb-news-constructed.warc.gz --corpus samples/archive

The embedder is the bottleneck by design, so the figure that matters is the ratio of end-to-end
docs/s to the same encoder's own docs/s on the same texts (``embed_only``), measured in the same run
and process: after the ingest, the stored articles' embedding inputs are encoded again in batches of
the same size. ``--embed-sample N`` times the encoder on N evenly spaced articles instead of all of
them (for archives where encoding everything twice would take hours). Peak RSS is that of the main
process (``peak_rss_mb``, encoder included) and of the largest extraction worker.

``--ray`` starts a two-node Ray cluster on this machine (``index.ingest.ray.local_cluster``: one CPU
per node) and ingests the same corpus with the same encoder twice in the same run: the
single-process pipeline, then ``--ray`` through the cluster. With the model-free hashing encoder
(always run first) the difference is Ray's plumbing, reported per document; ``--model`` adds a run
with a real model. Written to benchmarks/results/ingest-ray.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ArgumentParser, machine, own_peak_rss_mb, write_result
from benchmarks.synthetic_archive import default_path, write_warc
from index.backends.local.layout import IndexLayout
from index.backends.local.store import ArticleStore
from index.embed.base import embedding_input
from index.ingest.indexer import EMBED_BATCH, Indexer


def run(
    corpus: list[Path], model: str | None, workers: int | None, embed_sample: int | None, keep: Path | None
) -> dict[str, Any]:
    work = keep or Path(tempfile.mkdtemp(prefix="ingest-", dir=ROOT / "benchmarks" / ".work"))
    if keep is None or not keep.exists():
        shutil.rmtree(work, ignore_errors=True)
    try:
        started = time.perf_counter()
        with Indexer(work, model=model, workers=workers) as indexer:
            opened = time.perf_counter() - started
            report = indexer.add(corpus)
            ingest_rss = own_peak_rss_mb()
            worker_rss = report.peak_worker_rss_mb
            encoder = indexer.encoder
            store = ArticleStore(IndexLayout(work).store, readonly=True)  # the articles the encoder is timed on
            rowids = store.all_rowids()
            if embed_sample and len(rowids) > embed_sample:
                step = len(rowids) / embed_sample
                rowids = [rowids[int(i * step)] for i in range(embed_sample)]
            texts = [embedding_input(a, indexer.info.embedded_text) for _, a in store.iter_articles(rowids)]
            store.close()
            embed_started = time.perf_counter()
            for start in range(0, len(texts), EMBED_BATCH):
                encoder.encode_documents(texts[start : start + EMBED_BATCH])
            embed_seconds = time.perf_counter() - embed_started
            model_name = indexer.info.model
        docs = report.added + report.updated
        docs_per_s = docs / report.seconds if report.seconds else 0.0
        embed_only = len(texts) / embed_seconds if embed_seconds else 0.0
        return {
            "corpus": [str(p) for p in corpus],
            "model": model_name,
            "workers": workers if workers is not None else "default",
            "pages": report.pages,
            "docs": docs,
            "seconds": round(report.seconds, 2),
            "open_seconds": round(opened, 2),
            "docs_per_s": round(docs_per_s, 2),
            "embed_only_docs_per_s": round(embed_only, 2),
            "embed_only_texts": len(texts),
            "ratio": round(docs_per_s / embed_only, 3) if embed_only else None,
            "peak_rss_mb": round(ingest_rss, 1),
            "peak_worker_rss_mb": round(worker_rss, 1),
            "stages_seconds": {k: round(v, 2) for k, v in report.stages.items()},
            "report": report.to_dict(),
            "index_mb": round(sum(p.stat().st_size for p in work.rglob("*") if p.is_file()) / 2**20, 1),
            "machine": machine(),
        }
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def run_ray(corpus: list[Path], models: list[str], repeat: int = 1, plumbing: Path | None = None) -> dict[str, Any]:
    """Single-process vs the local two-node cluster, per model, on the same corpus in the same run."""
    from index.ingest.ray.local_cluster import ENV, LocalCluster

    os.environ.update(ENV)
    load_before = os.getloadavg()
    cluster = LocalCluster().start()
    runs = []
    plumbing_result: dict[str, Any] | None = None
    try:
        for model in models:
            local = _best_of(repeat, corpus, model, None, None)
            # The cluster runs two extraction tasks at once: the same parallelism, locally, is the
            # fair baseline for what Ray's plumbing costs.
            local_2 = _best_of(repeat, corpus, model, None, 2)
            remote = _best_of(repeat, corpus, model, cluster.address, None)
            docs = local["docs"]
            runs.append(
                {
                    "model": model,
                    "single_process": local,
                    "single_process_2_workers": local_2,
                    "ray_two_nodes": remote,
                    "ray_over_single_docs_per_s": _ratio(remote["docs_per_s"], local["docs_per_s"]),
                    "ray_over_single_2_workers_docs_per_s": _ratio(remote["docs_per_s"], local_2["docs_per_s"]),
                    # Wall time Ray adds (saves, when negative) per document against two local workers.
                    "ray_added_ms_per_doc": round(1000 * (remote["seconds"] - local_2["seconds"]) / docs, 2) if docs else None,
                    # Extraction time per page inside a local worker and inside a Ray task: the same
                    # code, so a difference is contention (Ray's own processes share the cores here).
                    "extract_ms_per_page": {
                        "single_process": round(1000 * local["stages_seconds"]["extract"] / local["pages"], 2),
                        "single_process_2_workers": round(1000 * local_2["stages_seconds"]["extract"] / local_2["pages"], 2),
                        "ray_task": round(1000 * remote["remote_busy_extract_s"] / max(1, remote["shipped"]), 2),
                    },
                }
            )
        if plumbing is not None:
            # Records of an export cost little to extract, and the hashing encoder nothing to embed:
            # what remains between the two runs is what Ray adds per document (ship, schedule, return).
            local = _best_of(repeat, [plumbing], "hashing-256", None, None)
            remote = _best_of(repeat, [plumbing], "hashing-256", cluster.address, None)
            docs = local["docs"]
            plumbing_result = {
                "corpus": str(plumbing),
                "model": "hashing-256",
                "single_process": local,
                "ray_two_nodes": remote,
                "ray_over_single_docs_per_s": _ratio(remote["docs_per_s"], local["docs_per_s"]),
                "ray_added_ms_per_doc": round(1000 * (remote["seconds"] - local["seconds"]) / docs, 2) if docs else None,
            }
    finally:
        import ray

        if ray.is_initialized():
            ray.shutdown()
        cluster.stop()
    return {
        "corpus": [str(p) for p in corpus],
        "cluster": {"nodes": 2, "cpus_per_node": 1, "where": "both nodes and the driver on this machine's cores"},
        "repeat": repeat,
        "runs": runs,
        "plumbing": plumbing_result,
        "load_avg_1_5_15_before": [round(x, 2) for x in load_before],
        "versions": {"ray": metadata.version("ray")},
        "machine": machine(),
    }


def _best_of(repeat: int, corpus: list[Path], model: str, address: str | None, workers: int | None) -> dict[str, Any]:
    """The fastest of ``repeat`` runs (a shared machine's load only ever slows a run down), with all their times."""
    runs = [_timed_ingest(corpus, model, address, workers) for _ in range(repeat)]
    best = min(runs, key=lambda run: float(run["seconds"]))
    return {**best, "seconds_of_each_run": [run["seconds"] for run in runs]}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def _timed_ingest(corpus: list[Path], model: str, address: str | None, workers: int | None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="ingest-ray-", dir=ROOT / "benchmarks" / ".work"))
    try:
        with Indexer(work / "index", model=model, ray=address, workers=workers) as indexer:
            report = indexer.add(corpus)
        docs = report.added + report.updated
        summary = report.to_dict()
        result: dict[str, Any] = {
            "pages": report.pages,
            "docs": docs,
            "seconds": round(report.seconds, 2),
            "docs_per_s": round(docs / report.seconds, 2) if report.seconds else 0.0,
            "workers": "ray" if address else workers or "default",
            "stages_seconds": {k: round(v, 2) for k, v in report.stages.items()},
        }
        if address is not None:
            result["nodes"] = summary["ray"]["nodes"]
            result["shipped"] = report.shipped + report.shipped_records
            result["remote_busy_extract_s"] = round(sum(n.extract_seconds for n in report.nodes.values()), 2)
            result["remote_busy_embed_s"] = round(sum(n.embed_seconds for n in report.nodes.values()), 2)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="File or folder to ingest (repeatable).")
    parser.add_argument("--synthetic", type=int, help="Generate (once) and ingest a synthetic WARC of this many pages.")
    parser.add_argument("--model", help="Embedding model (default: the project's default model).")
    parser.add_argument("--workers", type=int, help="Extraction processes (default: the library's default).")
    parser.add_argument("--embed-sample", type=int, help="Time the encoder alone on this many articles only.")
    parser.add_argument("--keep-index", type=Path, help="Build the index here and keep it.")
    parser.add_argument("--name", help="Result file name in benchmarks/results (default from the corpus).")
    parser.add_argument("--json", action="store_true", help="Print the result as one JSON object.")
    parser.add_argument(
        "--ray", action="store_true", help="Single process vs a two-node local Ray cluster (needs news-search[ray])."
    )
    parser.add_argument("--repeat", type=int, default=1, help="With --ray: runs of each configuration, the fastest kept.")
    parser.add_argument("--plumbing", type=Path, help="With --ray: a JSONL export too (hashing encoder): Ray's cost a document.")
    args = parser.parse_args()
    missing = [path for path in args.corpus if not path.exists()]
    if missing:
        parser.error(f"--corpus {missing[0]}: no such file or folder")
    if args.synthetic is not None and args.synthetic <= 0:
        parser.error("--synthetic N: N must be a positive number of pages")
    corpus = list(args.corpus)
    if args.synthetic:
        corpus.append(write_warc(default_path(args.synthetic), args.synthetic))
    if not corpus:
        parser.error("give --corpus PATH or --synthetic N")
    (ROOT / "benchmarks" / ".work").mkdir(parents=True, exist_ok=True)
    if args.ray:
        models = ["hashing-256"] + ([args.model] if args.model and args.model != "hashing-256" else [])
        result = run_ray(corpus, models, args.repeat, args.plumbing)
        write_result(args.name or "ingest-ray", result)
        print(json.dumps(result, ensure_ascii=False) if args.json else json.dumps(result["runs"], indent=2))
        return
    result = run(corpus, args.model, args.workers, args.embed_sample, args.keep_index)
    name = args.name or "ingest-" + (f"synthetic-{args.synthetic}" if args.synthetic else corpus[0].name.split(".")[0])
    write_result(name, result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps({k: v for k, v in result.items() if k not in ("machine", "report")}, indent=2))


if __name__ == "__main__":
    main()
