"""The OpenSearch backend next to the local one: relevance, ingest throughput, warm latency, size.

    python benchmarks/opensearch.py [--parts relevance mixed scale ingest facets] [--articles 10000] [--url http://127.0.0.1:9200]

Without ``--url`` the script starts its own node with ``tools/opensearch.py`` (full JIT, 1 GB heap,
on a free port) and stops it by its pid at the end.

- ``relevance``: MRR@10 of keyword, semantic and hybrid search on the shared bbc-news and
  indosum-dev sets, local and OpenSearch, with the same model (multilingual-e5-small). The
  OpenSearch index is written from the local index that ``benchmarks/relevance.py`` built
  (``benchmarks/.work/<set>-multilingual-e5-small``), with its stored embeddings: nothing is
  embedded again but the queries. Writes ``benchmarks/results/opensearch-relevance.json``.
- ``mixed``: issue 15's four language rows (English and Indonesian headlines, and our translations
  each way) on the mixed archive of both sets, local and OpenSearch: the cluster's index is written
  from the local mixed index (``benchmarks/.work/mixed-multilingual-e5-small``) with its stored
  embeddings, and centers per language as the local one does. Writes
  ``benchmarks/results/opensearch-mixed.json``.
- ``scale``: the same N articles (the real articles of both sets with their e5 embeddings, then
  synthetic ones as ``benchmarks/latency.py`` makes them, hashed) ingested into a new local index
  and into OpenSearch in one run (articles/s), then warm keyword, semantic and hybrid p50/p95 of
  both over the real queries, and each index's size per article (what the sizing sketch in
  docs/backends.md is computed from). Writes ``benchmarks/results/opensearch-<N>.json``.
- ``ingest``: the same N articles ingested into a local index and twice into OpenSearch in one
  run, the writer's look-ups asked one at a time and then answered from the committed state read
  in bulk (``index/backends/opensearch/known.py``). Writes ``benchmarks/results/opensearch-ingest-<N>.json``.
- ``facets``: searches with facets, and facet counts by ``terms`` aggregation beside counting the
  documents' facts on the client, local and OpenSearch on the same N articles. Writes
  ``benchmarks/results/opensearch-facets-<N>.json``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ArgumentParser, fail, machine, require_eval, write_result
from benchmarks.latency import SETS, BenchEncoder, load_queries, percentiles, real_articles, synthetic_articles
from index.article import Article
from index.embed.base import embedding_input
from index.embed.loading import E5_SMALL
from index.ingest.indexer import Indexer
from search.evaluate import evaluate, load_qrels
from search.evaluate import load_queries as load_set_queries
from search.facade import NewsSearch
from search.ranking.pipeline import Mode

TOOL = ROOT / "tools" / "opensearch.py"
WORK = Path(__file__).resolve().parent / ".work"
MODES: tuple[Mode, ...] = ("keyword", "semantic", "hybrid")
WARMUP = 10


# --- the node -------------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    for port in range(19500, 19900):
        with socket.socket() as a, socket.socket() as b:
            try:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 100))
            except OSError:
                continue
            return port
    fail("no free port pair for a benchmark node")


def start_node(name: str, port: int) -> str:
    command = [sys.executable, str(TOOL), "start", "--name", name, "--port", str(port), "--heap", "1g"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        fail(f"tools/opensearch.py start failed: {done.stderr.strip()[-500:]}")
    return f"http://127.0.0.1:{port}"


def stop_node(name: str) -> None:
    """Stop the node by its pid file, then remove its folder (config, data, logs) from the cache."""
    import importlib.util

    subprocess.run([sys.executable, str(TOOL), "stop", "--name", name], capture_output=True, check=False)
    spec = importlib.util.spec_from_file_location("news_search_opensearch_tool", TOOL)
    if spec is not None and spec.loader is not None:
        tool = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = tool
        spec.loader.exec_module(tool)
        shutil.rmtree(tool.node_dir(tool.cache_root(), name), ignore_errors=True)


def node_heap(url: str) -> str:
    """The heap of a node the script did not start, as the node reports it."""
    from opensearchpy import OpenSearch

    client = OpenSearch(url)
    try:
        nodes = client.nodes.stats(metric="jvm")["nodes"].values()
        return ", ".join(f"{round(n['jvm']['mem']['heap_max_in_bytes'] / 2**30, 2)}g" for n in nodes)
    finally:
        client.close()


def location_of(url: str, name: str) -> str:
    return f"opensearch://{url.split('://', 1)[1]}/{name}"


MERGE_TIMEOUT_S = 600


def fresh(location: str) -> None:
    from index.backends.opensearch.admin import delete_index
    from index.backends.opensearch.location import parse_location

    delete_index(parse_location(location))


def opensearch_size(location: str) -> tuple[int, bool]:
    """Bytes on disk of the articles index and its companion (primaries), and whether they were merged
    to one segment first. At 100k articles on the 2-core machine that merge (Lucene rebuilds the
    vector graph) outlasted 600 s and the run died before writing its results: the size is then
    taken as it stands, and the result says so."""
    from opensearchpy import OpenSearch
    from opensearchpy.exceptions import ConnectionTimeout

    from index.backends.opensearch.location import parse_location

    parsed = parse_location(location)
    client = OpenSearch(parsed.url)
    try:
        try:
            client.indices.forcemerge(index=parsed.name, max_num_segments=1, request_timeout=MERGE_TIMEOUT_S)
            merged = True
        except ConnectionTimeout:
            merged = False
        stats = client.indices.stats(index=f"{parsed.name},{parsed.name}-meta", metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"]), merged
    finally:
        client.close()


def folder_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


# --- relevance ------------------------------------------------------------------------------------


def copy_into_opensearch(local: Path, location: str) -> dict[str, Any]:
    """The local index's articles, with their stored embeddings, ingested into ``location``."""
    real = real_articles([local])
    encoder = BenchEncoder({embedding_input(a): v for a, v in real}, strict=True)
    fresh(location)
    started = time.perf_counter()
    with Indexer(location, encoder=encoder, workers=0) as indexer:
        report = indexer.add_articles([a for a, _ in real])
        stored = indexer.articles
    return {"articles": stored, "added": report.added, "seconds": round(time.perf_counter() - started, 1)}


def relevance(url: str, sets: Sequence[str], limit: int | None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in sets:
        local = WORK / f"{name}-{E5_SMALL}"
        if not (local / "manifest.json").is_file():
            fail(f"no local index at {local}: build it with `python benchmarks/relevance.py --sets {name}`")
        folder = require_eval(f"retrieval/{name}")
        queries, qrels = load_set_queries(folder / "queries.jsonl"), load_qrels(folder / "qrels.tsv")
        if limit:
            queries = dict(list(queries.items())[:limit])
        location = location_of(url, f"bench-{name}")
        copied = copy_into_opensearch(local, location)
        results[name] = {"queries": len(queries), "copy": copied, **on_both(name, local, location, queries, qrels)}
        fresh(location)
    return results


def on_both(label: str, local: Path, location: str, queries: dict[str, str], qrels: dict[str, dict[str, int]]) -> dict[str, Any]:
    """The same queries evaluated on the local index and on the cluster, printed as one line."""
    row: dict[str, Any] = {}
    for where, target in (("local", str(local)), ("opensearch", location)):
        started = time.perf_counter()
        with NewsSearch(target) as engine:
            report = evaluate(engine, queries, qrels)
        row[where] = {"modes": report.modes, "seconds": round(time.perf_counter() - started, 1)}
    hybrid = {where: row[where]["modes"]["hybrid"]["mrr@10"] for where in ("local", "opensearch")}
    row["hybrid_difference"] = round(hybrid["opensearch"] - hybrid["local"], 4)
    cells = "  ".join(
        f"{mode} {row['local']['modes'][mode]['mrr@10']:.4f}/{row['opensearch']['modes'][mode]['mrr@10']:.4f}" for mode in MODES
    )
    print(f"{label[:44]:<44} MRR@10 local/opensearch: {cells}", flush=True)
    return row


def mixed_rows(url: str, limit: int | None) -> dict[str, Any]:
    """Issue 15's language rows on the mixed archive, local and on the cluster."""
    from benchmarks.common import eval_dir
    from benchmarks.crosslingual import mixed_qrels, translated_queries
    from benchmarks.relevance import LANGUAGE_ROWS, MIXED

    local = WORK / f"{MIXED}-{E5_SMALL}"
    if not (local / "manifest.json").is_file():
        fail(f"no local index at {local}: build it with `python benchmarks/relevance.py --parts languages`")
    folder = eval_dir()
    location = location_of(url, "bench-mixed")
    result: dict[str, Any] = {"copy": copy_into_opensearch(local, location), "rows": []}
    for label, name, translated in LANGUAGE_ROWS:
        set_folder = require_eval(f"retrieval/{name}")
        queries = translated_queries(name, folder) if translated else load_set_queries(set_folder / "queries.jsonl")
        qrels = mixed_qrels(name, folder)
        if limit:
            queries = dict(list(queries.items())[:limit])
        result["rows"].append({"label": label, "queries": len(queries), **on_both(label, local, location, queries, qrels)})
    fresh(location)
    return result


# --- scale ----------------------------------------------------------------------------------------


def corpus(n: int) -> tuple[list[Article], dict[str, np.ndarray], int]:
    """N articles: the real ones of both sets (with e5 embeddings), then synthetic ones."""
    real = real_articles([WORK / f"{name}-{E5_SMALL}" for name in SETS])[:n]
    known = {embedding_input(a): v for a, v in real}
    articles = [a for a, _ in real] + list(synthetic_articles([a for a, _ in real], n - len(real)))
    return articles, known, len(real)


def ingest(where: str | Path, articles: list[Article], known: dict[str, np.ndarray]) -> dict[str, Any]:
    started = time.perf_counter()
    with Indexer(where, encoder=BenchEncoder(known, strict=False), workers=0) as indexer:
        report = indexer.add_articles(iter(articles))
        stored = indexer.articles
    seconds = time.perf_counter() - started
    return {
        "articles": stored,
        "added": report.added,
        "seconds": round(seconds, 1),
        "articles_per_s": round(stored / seconds, 1),
        # "sync" holds the commits, the last one with its merge (whoosh's; a forcemerge on OpenSearch).
        "stages_s": {stage: round(value, 1) for stage, value in report.stages.items()},
    }


def ingest_lookups(url: str, n: int, rounds: int) -> dict[str, Any]:
    """The same N articles into new local indexes and into OpenSearch, in one run and alternating
    (the machine is shared: load drifts): with the writer asking the cluster about each article
    (realtime GETs and searches, as before ``index/backends/opensearch/known.py``), and with the
    committed state read in bulk. Rates with and without the "sync" stage (the commits, the last
    one with its merge) are both given, since the merge at the end of an ingest is new too."""
    from index.backends.opensearch import known

    articles, embeddings, real = corpus(n)
    result: dict[str, Any] = {"articles": n, "real_articles": real, "synthetic_articles": n - real, "rounds": []}
    most = known.MOST
    for _ in range(rounds):
        row: dict[str, Any] = {}
        with tempfile.TemporaryDirectory(prefix="ns-bench-") as tmp:
            row["local"] = ingest(Path(tmp) / "index", articles, embeddings)
        for label, limit in (("opensearch_one_at_a_time", -1), ("opensearch_bulk_read", most)):
            location = location_of(url, f"bench-ingest-{n}")
            fresh(location)
            known.MOST = limit  # -1: never read in bulk
            try:
                row[label] = ingest(location, articles, embeddings)
            finally:
                known.MOST = most
            fresh(location)
        for label, found in row.items():
            found["articles_per_s_without_sync"] = round(n / (found["seconds"] - found["stages_s"].get("sync", 0.0)), 1)
            found["ratio_to_local"] = round(found["articles_per_s"] / row["local"]["articles_per_s"], 3)
            print(f"{label:<26} {found['articles_per_s']} articles/s ({found['ratio_to_local']} of local), "
                  f"{found['articles_per_s_without_sync']} without the sync stage", flush=True)  # fmt: skip
        row["speedup"] = round(
            row["opensearch_bulk_read"]["articles_per_s"] / row["opensearch_one_at_a_time"]["articles_per_s"], 2
        )
        result["rounds"].append(row)
    return result


def facet_costs(url: str, n: int, query_count: int) -> dict[str, Any]:
    """What facets cost, local and OpenSearch, on the same N articles in one run: searches with
    ``facets=True`` (the whole result set counted), and ``Snapshot.facets`` over result sets of
    100, 1,000 and 10,000 documents (OpenSearch: ``terms`` aggregations) beside counting the same
    documents' facts on the client (``facet_counts(snapshot.facts(docs))``: how OpenSearch facets
    were counted before), each in a fresh snapshot."""
    from index.backends import open_reader
    from index.backends.base import facet_counts

    articles, known, real = corpus(n)
    queries = load_queries(query_count)
    location = location_of(url, f"bench-facets-{n}")
    fresh(location)
    result: dict[str, Any] = {"articles": n, "real_articles": real, "queries": len(queries)}
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory(prefix="ns-bench-") as tmp:
        for label, where in (("local", str(Path(tmp) / "index")), ("opensearch", location)):
            row: dict[str, Any] = {"ingest": ingest(where, articles, known)}
            with NewsSearch(where) as news:
                for mode in ("keyword", "hybrid"):
                    for query in queries[:WARMUP]:
                        news.search_results(query, limit=10, mode=mode, facets=True)
                    samples = []
                    for query in queries:
                        started = time.perf_counter()
                        news.search_results(query, limit=10, mode=mode, facets=True)
                        samples.append(time.perf_counter() - started)
                    row[f"{mode}_with_facets"] = percentiles(samples)
            reader = open_reader(where)
            try:
                with reader.snapshot() as snapshot:
                    every = snapshot.documents()
                for size in (100, 1000, 10_000):
                    timings: dict[str, list[float]] = {"facets": [], "facts_counted": []}
                    for _ in range(20):
                        docs = sorted(rng.choice(every, size=min(size, len(every)), replace=False).tolist())
                        for way in timings:
                            with reader.snapshot() as snapshot:
                                started = time.perf_counter()
                                if way == "facets":
                                    snapshot.facets(docs)
                                else:
                                    facet_counts(snapshot.facts(docs).values())
                                timings[way].append(time.perf_counter() - started)
                    row[f"docs_{size}"] = {way: percentiles(values) for way, values in timings.items()}
            finally:
                reader.close()
            result[label] = row
            print(f"{label:<10} " + "  ".join(f"{k} {v}" for k, v in row.items() if k != "ingest"), flush=True)
    fresh(location)
    return result


def latency(where: str | Path, queries: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    with NewsSearch(where) as news:
        for mode in MODES:
            for query in queries[:WARMUP]:
                news.search(query, limit=10, mode=mode)
            samples = []
            for query in queries:
                started = time.perf_counter()
                news.search(query, limit=10, mode=mode)
                samples.append(time.perf_counter() - started)
            found[mode] = percentiles(samples)
    return found


def scale(url: str, n: int, query_count: int) -> dict[str, Any]:
    articles, known, real = corpus(n)
    queries = load_queries(query_count)
    location = location_of(url, f"bench-scale-{n}")
    fresh(location)
    result: dict[str, Any] = {"articles": n, "real_articles": real, "synthetic_articles": n - real, "queries": len(queries)}
    with tempfile.TemporaryDirectory(prefix="ns-bench-") as tmp:
        local = Path(tmp) / "index"
        for label, where in (("local", local), ("opensearch", location)):
            result[label] = {"ingest": ingest(where, articles, known)}
            print(f"{label:<10} ingest {result[label]['ingest']['articles_per_s']} articles/s", flush=True)
        for label, where in (("local", local), ("opensearch", location)):
            result[label]["latency"] = latency(where, queries)
            print(
                f"{label:<10} "
                + "  ".join(f"{m} p50 {v['p50_ms']} p95 {v['p95_ms']} ms" for m, v in result[label]["latency"].items())
            )
        result["local"]["bytes"] = folder_size(local)
    result["opensearch"]["bytes"], result["opensearch"]["merged_to_one_segment"] = opensearch_size(location)
    for label in ("local", "opensearch"):
        result[label]["bytes_per_article"] = round(result[label]["bytes"] / n, 1)
    fresh(location)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parts = ("relevance", "mixed", "scale", "ingest", "facets")
    parser.add_argument("--parts", nargs="+", choices=parts, default=["relevance", "scale"])
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--articles", type=int, default=10_000, help="archive size of the scale part (default 10000)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of the ingest part")
    parser.add_argument("--queries", type=int, default=300, help="queries timed per mode in the scale part")
    parser.add_argument("--limit-queries", type=int, default=None, help="relevance on the first N queries of each set only")
    parser.add_argument("--url", default=None, help="a running node (default: start one with tools/opensearch.py)")
    args = parser.parse_args(argv)
    for name in SETS:
        require_eval(f"retrieval/{name}/queries.jsonl")
    node = None
    url = args.url
    if url is None:
        node = f"ns-bench-{os.getpid()}"
        url = start_node(node, free_port())
    try:
        record: dict[str, Any] = {
            "machine": machine(),
            "node": {"url": url, "started_here": node is not None, "heap": "1g" if node else node_heap(url)},
        }
        if "relevance" in args.parts:
            data = {
                "benchmark": "opensearch-relevance",
                **record,
                "model": E5_SMALL,
                "sets": relevance(url, args.sets, args.limit_queries),
            }
            print(f"results written to {write_result('opensearch-relevance', data)}")
        if "mixed" in args.parts:
            data = {"benchmark": "opensearch-mixed", **record, "model": E5_SMALL, **mixed_rows(url, args.limit_queries)}
            print(f"results written to {write_result('opensearch-mixed', data)}")
        if "ingest" in args.parts:
            data = {"benchmark": "opensearch-ingest", **record, **ingest_lookups(url, args.articles, args.rounds)}
            print(f"results written to {write_result(f'opensearch-ingest-{args.articles}', data)}")
        if "facets" in args.parts:
            data = {"benchmark": "opensearch-facets", **record, **facet_costs(url, args.articles, args.queries)}
            print(f"results written to {write_result(f'opensearch-facets-{args.articles}', data)}")
        if "scale" in args.parts:
            data = {"benchmark": "opensearch-scale", **record, **scale(url, args.articles, args.queries)}
            print(f"results written to {write_result(f'opensearch-{args.articles}', data)}")
    finally:
        if node is not None:
            stop_node(node)
    return 0


if __name__ == "__main__":
    sys.exit(main())
