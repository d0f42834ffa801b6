"""What to embed for each article: title + lead, a longer window, or passages scored by the best one.

Embeds the corpus of a shared set in each variant with the given encoder (timed, cached in
--work-dir), retrieves exactly with numpy, and measures semantic and hybrid MRR@10 against the
keyword runs of an index built by relevance.py (same articles). Writes
benchmarks/results/embedded_text-<set>.json.

    python benchmarks/embedded_text.py --set bbc-news --index benchmarks/.work/bbc-news-multilingual-e5-small
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ArgumentParser, machine, require_eval, require_index, write_result
from index.embed.loading import load_encoder
from search.evaluate import load_qrels, load_queries, measure, retrieve
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings

PASSAGE_WORDS = 120


def variants(title: str, text: str) -> dict[str, list[str]]:
    words = text.split()
    head = f"{title}\n" if title else ""
    passages = [" ".join(words[i : i + PASSAGE_WORDS]) for i in range(0, max(len(words), 1), PASSAGE_WORDS)]
    return {
        "title+lead (1200 chars)": [head + text[:1200]],
        "title+lead (600 chars)": [head + text[:600]],
        "passages (max)": [head + p for p in passages],
    }


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="bbc-news", help="shared retrieval set (default: bbc-news)")
    parser.add_argument(
        "--index", type=Path, help="index of the same corpus, built by relevance.py (for keyword runs and the model)"
    )
    parser.add_argument("--variants", nargs="+", help="only these variants (default: all)")
    parser.add_argument("--work-dir", type=Path, default=Path(__file__).resolve().parent / ".work")
    args = parser.parse_args()
    if args.index is None:
        example = f"benchmarks/.work/{args.set}-multilingual-e5-small"
        parser.error(f"give --index DIR: an index of the {args.set} corpus built by benchmarks/relevance.py, e.g. {example}")
    require_index(args.index, "--index", f"build it with benchmarks/relevance.py --sets {args.set}")
    folder = require_eval(f"retrieval/{args.set}")
    docs = [json.loads(line) for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    queries, qrels = load_queries(folder / "queries.jsonl"), load_qrels(folder / "qrels.tsv")
    qids = [q for q in queries if q in qrels]
    with NewsSearch(args.index) as engine:
        model = engine.info.model
        runs = retrieve(engine, {q: queries[q] for q in qids}, 100)
    keyword = {q: k for q, (k, _s) in zip(qids, runs, strict=True)}
    encoder = load_encoder(model)
    query_vectors = encoder.encode_queries([queries[q] for q in qids])
    results: dict[str, Any] = {
        "benchmark": "embedded_text",
        "set": args.set,
        "model": model,
        "machine": machine(),
        "variants": {},
    }
    per_doc = [variants(d.get("title") or "", d["text"]) for d in docs]
    for name in args.variants or list(per_doc[0]):
        texts, owner = [], []
        for index, doc_variants in enumerate(per_doc):
            texts.extend(doc_variants[name])
            owner.extend([index] * len(doc_variants[name]))
        slug = re.sub(r"\W+", "-", name).strip("-")
        cache = args.work_dir / f"emb-{args.set}-{model}-{slug}-{len(texts)}.npy"
        started = time.perf_counter()
        if cache.exists():
            matrix, seconds = np.load(cache), None
        else:
            matrix = encoder.encode_documents(texts)
            seconds = time.perf_counter() - started
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, matrix)
        scores = query_vectors @ matrix.T
        owners = np.asarray(owner)
        semantic: dict[str, list[tuple[str, float]]] = {}
        for position, qid in enumerate(qids):
            best = np.full(len(docs), -1.0, dtype=np.float32)
            np.maximum.at(best, owners, scores[position])  # an article scores as its best passage
            top = np.argsort(-best)[:100]
            semantic[qid] = [(str(docs[i]["id"]), float(best[i])) for i in top]
        judged = {q: qrels[q] for q in qids}
        hybrid_rrf = {q: FusionSettings(method="rrf").fuse(keyword[q], semantic[q])[:100] for q in qids}
        hybrid_z = {
            q: FusionSettings(method="weighted", alpha=0.6, normalization="zscore").fuse(keyword[q], semantic[q])[:100]
            for q in qids
        }
        row: dict[str, Any] = {
            "texts": len(texts),
            "embed_seconds": None if seconds is None else round(seconds, 1),
            "semantic": measure(semantic, judged),
            "hybrid_rrf60": measure(hybrid_rrf, judged),
            "hybrid_weighted_zscore_0.6": measure(hybrid_z, judged),
        }
        results["variants"][name] = row
        print(
            f"{name:<26} texts {len(texts):>6}  embed {row['embed_seconds']} s  semantic {row['semantic']['mrr@10']:.4f}  "
            f"rrf {row['hybrid_rrf60']['mrr@10']:.4f}  weighted {row['hybrid_weighted_zscore_0.6']['mrr@10']:.4f}",
            flush=True,
        )
    write_result(f"embedded_text-{args.set}", results)
    print("variants:", ", ".join(per_doc[0]))


if __name__ == "__main__":
    main()
