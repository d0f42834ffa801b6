"""Ingest throughput and memory: a corpus into a fresh index, beside the encoder alone on the same texts.

    python -m benchmarks.ingest --corpus ../shared/eval/retrieval/bbc-news/corpus_with_titles.jsonl --json
    python -m benchmarks.ingest --corpus ../shared/eval/warc/aeb-news-constructed.warc.gz --json
    python -m benchmarks.ingest --synthetic 100000 --json      # generates the WARC once, in benchmarks/.work

The embedder is the bottleneck by design, so the figure that matters is the ratio of end-to-end
docs/s to the same encoder's own docs/s on the same texts (``embed_only``), measured in the same run
and process: after the ingest, the stored articles' embedding inputs are encoded again in batches of
the same size. ``--embed-sample N`` times the encoder on N evenly spaced articles instead of all of
them (for archives where encoding everything twice would take hours). Peak RSS is that of the main
process (``peak_rss_mb``, encoder included) and of the largest extraction worker.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
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
    result = run(corpus, args.model, args.workers, args.embed_sample, args.keep_index)
    name = args.name or "ingest-" + (f"synthetic-{args.synthetic}" if args.synthetic else corpus[0].name.split(".")[0])
    write_result(name, result)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps({k: v for k, v in result.items() if k not in ("machine", "report")}, indent=2))


if __name__ == "__main__":
    main()
