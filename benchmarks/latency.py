"""Query latency at a given archive size, beside peers on the same articles and queries.

    python benchmarks/latency.py --articles 100000 --real-index DIR [DIR ...] [--json] [--cold-runs 5] [--work-dir DIR]

Builds (or reuses, in --work-dir) an index of N articles and prints one JSON object: warm
``keyword``, ``semantic`` and ``hybrid`` latency of a kept-open ``NewsSearch`` (p50/p95 over at
least 200 varied real queries), ``rss_mb``, ``index_mb``, build time, cold whole-process CLI times,
and the peers measured in the same run on the same articles and queries: bm25s and tantivy for
keyword search, a plain faiss flat scan for vectors (against our vector search alone, queries
embedded beforehand).

Articles: the real articles of the shared bbc-news and indosum-dev sets, taken with their real e5
embeddings from indexes built by ``benchmarks/relevance.py`` (``--real-index``, required:
``benchmarks/.work/bbc-news-multilingual-e5-small benchmarks/.work/indosum-dev-multilingual-e5-small``), then
synthetic articles up to N, each made of words drawn from one real article and from the whole
corpus vocabulary (so keyword queries meet realistic postings), embedded by a cheap deterministic
encoder (feature hashing, 384-d) instead of the model: 100k passages through e5 would take an hour
on two cores. The output says how many are synthetic. Queries are embedded by the real model.
Recall@10 of the vector index against an exact scan is measured separately on real embeddings only
(``--recall-vectors``: an .npy of e5 document embeddings, ``--recall-queries``: e5 query embeddings).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ArgumentParser, fail, machine, require_eval, require_index, write_result
from index.article import Article
from index.backends.local import vectors
from index.backends.local.layout import IndexLayout
from index.backends.local.store import ArticleStore
from index.embed.base import embedding_input
from index.embed.hashing import HashingEncoder
from index.embed.loading import E5_SMALL
from index.ingest.indexer import Indexer

SETS = ("bbc-news", "indosum-dev")
DIM = 384
WARMUP = 5
_WORD = re.compile(r"\w+", re.UNICODE)


# --- articles and queries ---------------------------------------------------------------------------


def real_articles(real_indexes: Sequence[Path]) -> list[tuple[Article, np.ndarray]]:
    """Articles and their stored e5 embeddings from already built indexes."""
    found: list[tuple[Article, np.ndarray]] = []
    for root in real_indexes:
        store = ArticleStore(IndexLayout(root).store, readonly=True)
        try:
            rows = list(store.iter_articles())
            by_rowid = store.vectors([r for r, _ in rows], DIM)
            found += [(article, by_rowid[r].copy()) for r, article in rows if r in by_rowid]
        finally:
            store.close()
    return found


def synthetic_articles(templates: Sequence[Article], count: int, seed: int = 0) -> Iterator[Article]:
    """Articles of real news words: 60% from one real article, 40% from the corpus vocabulary by frequency."""
    rng = np.random.default_rng(seed)
    counts: Counter[str] = Counter()
    words_of = []
    for article in templates:
        words = _WORD.findall(f"{article.title} {article.text}")
        words_of.append(words)
        counts.update(words)
    vocabulary = list(counts)
    weights = np.array([counts[w] for w in vocabulary], dtype=np.float64)
    weights /= weights.sum()
    for number in range(count):
        template = int(rng.integers(len(templates)))
        own = words_of[template]
        length = int(rng.integers(80, 250))
        local = [own[i] for i in rng.integers(len(own), size=int(length * 0.6))]
        common = [vocabulary[i] for i in rng.choice(len(vocabulary), size=length - len(local), p=weights)]
        body = local + common
        rng.shuffle(body)
        title = " ".join(own[i] for i in rng.integers(len(own), size=8)).capitalize()
        sentences = [" ".join(body[i : i + 15]).capitalize() + "." for i in range(0, len(body), 15)]
        year, month, day = 2015 + number % 10, 1 + number % 12, 1 + number % 28
        yield Article(
            id=f"syn{number:010d}",
            url=f"https://synthetic.example/{number}",
            title=title,
            text=" ".join(sentences),
            published=f"{year:04d}-{month:02d}-{day:02d}",
            site=f"synthetic{number % 7}.example",
            author=None,
            lang=templates[template].lang,
        )


def load_queries(count: int) -> list[str]:
    """Real queries of both sets, interleaved, deduplicated."""
    per_set = []
    for name in SETS:
        path = require_eval(f"retrieval/{name}/queries.jsonl")
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        per_set.append([str(r.get("text") or r.get("query")) for r in rows])
    queries: list[str] = []
    for pair in zip(*per_set, strict=False):
        for query in pair:
            if query not in queries:
                queries.append(query)
    return queries[:count]


class BenchEncoder:
    """Real e5 vectors for the real articles, feature hashing for synthetic ones (documents only).

    ``strict`` refuses a text it has no vector for instead (every article must keep its real
    embedding); ``misses`` counts the texts that were hashed.
    """

    def __init__(self, known: dict[str, np.ndarray], *, strict: bool = False) -> None:
        self._known = known
        self._strict = strict
        self._hashing = HashingEncoder(DIM)
        self.misses = 0

    @property
    def name(self) -> str:
        return E5_SMALL

    @property
    def dim(self) -> int:
        return DIM

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        result = self._hashing.encode_documents(texts)
        for row, text in enumerate(texts):
            found = self._known.get(text)
            if found is not None:
                result[row] = found
            elif self._strict:
                raise RuntimeError(f"no stored embedding for {text[:60]!r}")
            else:
                self.misses += 1
        return result

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("the benchmark encoder embeds documents only; queries use the model")


def build_index(index_dir: Path, n: int, real: list[tuple[Article, np.ndarray]]) -> dict[str, Any]:
    if (index_dir / "manifest.json").exists():
        manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("articles") == n:
            return {"reused": True}
        shutil.rmtree(index_dir)
    real = real[:n]
    known = {embedding_input(a): v for a, v in real}
    started = time.perf_counter()
    with Indexer(index_dir, encoder=BenchEncoder(known)) as indexer:
        indexer.add_articles([a for a, _ in real])
        indexer.add_articles(synthetic_articles([a for a, _ in real], n - len(real)))
        stored = indexer.articles
    return {"reused": False, "seconds": round(time.perf_counter() - started, 1), "stored": stored}


# --- measuring --------------------------------------------------------------------------------------


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
        "n": len(ordered),
    }


def timed(run: Callable[[str], Any], queries: Sequence[str]) -> dict[str, float]:
    for query in queries[:WARMUP]:
        run(query)
    samples = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def ours(index_dir: Path, queries: Sequence[str]) -> tuple[dict[str, Any], np.ndarray]:
    from search.evaluation.runs import EvaluationRuns
    from search.facade import NewsSearch

    result: dict[str, Any] = {}
    with NewsSearch(index_dir) as news:
        for mode in ("keyword", "semantic", "hybrid"):
            result[mode] = timed(lambda q, m=mode: news.search(q, limit=10, mode=m), queries)  # type: ignore[misc]
        # What the keyword peers do: the ids of the top 10, without the page (store reads, snippets).
        runs = EvaluationRuns(news)
        result["keyword_ids"] = timed(lambda q: runs.keyword_runs([q], depth=10), queries)
        encoder = news._encoder
        assert encoder is not None
        query_vectors = np.concatenate([encoder.encode_queries([q]) for q in queries])
        index = cast(Any, news._reader)._state.vectors
        result["vector_search"] = timed_vectors(lambda v: vectors.search(index, v, 100), query_vectors)
        result["vector_index"] = type(index).__name__
        result["rss_mb"] = rss_mb()
    return result, query_vectors


def timed_vectors(run: Callable[[np.ndarray], Any], query_vectors: np.ndarray) -> dict[str, float]:
    samples = []
    for row in range(len(query_vectors)):
        started = time.perf_counter()
        run(query_vectors[row : row + 1])
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def corpus_texts(index_dir: Path) -> tuple[list[int], list[str], np.ndarray]:
    store = ArticleStore(IndexLayout(index_dir).store, readonly=True)
    try:
        rows = list(store.iter_articles())
        by_rowid = store.vectors([r for r, _ in rows], DIM)
    finally:
        store.close()
    matrix = np.stack([by_rowid[r] for r, _ in rows]).astype(np.float32)
    return [r for r, _ in rows], [f"{a.title}\n{a.text}" for _, a in rows], matrix


def peer_bm25s(texts: Sequence[str], queries: Sequence[str]) -> dict[str, Any]:
    import bm25s  # type: ignore[import-untyped]

    started = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(list(texts), show_progress=False), show_progress=False)
    built = time.perf_counter() - started

    def run(query: str) -> Any:
        return retriever.retrieve(bm25s.tokenize([query], show_progress=False), k=10, show_progress=False)

    return {**timed(run, queries), "build_seconds": round(built, 1)}


def peer_tantivy(texts: Sequence[str], queries: Sequence[str], work: Path) -> dict[str, Any]:
    import tantivy

    started = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False)
    builder.add_integer_field("row", stored=True)
    schema = builder.build()
    folder = work / "tantivy"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    index = tantivy.Index(schema, path=str(folder))
    writer = index.writer()
    for row, text in enumerate(texts):
        writer.add_document(tantivy.Document(body=text, row=row))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    built = time.perf_counter() - started
    searcher = index.searcher()

    def run(query: str) -> Any:
        words = " ".join(_WORD.findall(query)) or "empty"
        return searcher.search(index.parse_query(words, ["body"]), 10).hits

    return {**timed(run, queries), "build_seconds": round(built, 1)}


def peer_faiss_flat(matrix: np.ndarray, query_vectors: np.ndarray) -> dict[str, Any]:
    import faiss

    faiss.omp_set_num_threads(1)  # as our search does for single queries (OpenMP spin-waits on a busy machine)
    index = faiss.IndexFlatIP(matrix.shape[1])
    index.add(matrix)
    return timed_vectors(lambda v: index.search(v, 100), query_vectors)


def cold_cli(index_dir: Path, query: str, runs: int) -> dict[str, Any]:
    """Median wall and CPU time of whole `news-search` processes (page cache warm, interpreter cold).

    Wall time on a shared two-core machine includes waiting for a core; the load average is recorded."""
    exe = str(Path(sys.executable).with_name("news-search"))
    cases = {
        "hybrid": [exe, query, "--index", str(index_dir)],
        "keyword": [exe, query, "--mode", "keyword", "--index", str(index_dir)],
        "help": [exe, "--help"],
    }
    result: dict[str, Any] = {"load_average": os.getloadavg()}
    for name, command in cases.items():
        subprocess.run(command, capture_output=True, check=True)  # page cache, .pyc files
        samples, cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            samples.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        result[name] = {
            "median_s": round(statistics.median(samples), 3),
            "runs": [round(s, 3) for s in samples],
            # CPU time (user + system) of the process: what a quiet machine's wall time approaches.
            "median_cpu_s": round(statistics.median(cpu), 3),
        }
    return result


def recall(doc_file: Path, query_file: Path, sizes: Sequence[int]) -> list[dict[str, Any]]:
    """Recall@10 against an exact float32 scan, on real e5 embeddings, of the index each size gets,
    and of the inverted file at several probe counts (to show the margin)."""
    import faiss

    docs = np.load(doc_file).astype(np.float32)
    queries = np.load(query_file).astype(np.float32)
    rows = []
    for n in sizes:
        if n > len(docs):
            continue
        base = docs[:n]
        exact = faiss.IndexFlatIP(DIM)
        exact.add(base)
        _, truth = exact.search(queries, 10)
        ids = np.arange(n, dtype=np.int64)

        def recall_of(found: np.ndarray, truth: np.ndarray = truth) -> float:
            return float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))

        flat16 = vectors.new_index(DIM)
        flat16.add_with_ids(base, ids)
        row: dict[str, Any] = {"vectors": n, "exact_fp16": recall_of(vectors.search(flat16, queries, 10)[1])}
        ivf: Any = vectors.build_ivf(ids, base, DIM)
        row["ivf_nlist"] = ivf.nlist
        row["ivf_default_nprobe"] = ivf.nprobe
        row["ivf"] = {}
        for nprobe in sorted({1, 2, 4, 8, 16, 32, ivf.nprobe}):
            if nprobe > ivf.nlist:
                continue
            ivf.nprobe = nprobe
            row["ivf"][nprobe] = round(recall_of(vectors.search(ivf, queries, 10)[1]), 4)
        rows.append(row)
    return rows


def vector_scale(n: int, query_vectors: np.ndarray) -> dict[str, Any]:
    """Vectors only, at n (random unit vectors: latency and memory, not recall): our index kind vs a flat scan."""
    import faiss

    rng = np.random.default_rng(0)
    before = rss_mb()
    matrix = rng.standard_normal((n, DIM), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = np.arange(n, dtype=np.int64)
    started = time.perf_counter()
    index = vectors.new_index(DIM)
    index.add_with_ids(matrix, ids)
    index = vectors.resized(index)
    built = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "v.faiss"
        vectors.save(index, path)
        size = path.stat().st_size

    def run(query: np.ndarray, searched: Any = index) -> Any:
        return vectors.search(searched, query, 100)

    ours_ms = timed_vectors(run, query_vectors)
    del index
    gc.collect()
    faiss.omp_set_num_threads(1)
    flat = faiss.IndexFlatIP(DIM)
    flat.add(matrix)
    flat_ms = timed_vectors(lambda v: flat.search(v, 100), query_vectors)
    return {
        "vectors": n,
        "ours": ours_ms,
        "faiss_flat": flat_ms,
        "build_seconds": round(built, 1),
        "file_mb": round(size / 1e6, 1),
        "rss_before_mb": before,
    }


def keyword_scale(
    n: int, templates: Sequence[Article], queries: Sequence[str], work: Path, *, peers: bool = True
) -> dict[str, Any]:
    """The keyword side alone at n synthetic articles: a whoosh index of the product's schema and
    documents (``index.backends.local.keyword.schema``, written by whoosh's two-process writer, then
    its column copies), queried as ``NewsSearch`` does (our parser, then the column scorer, top 100),
    beside bm25s and tantivy on the same texts. For sizes where building a whole index (store,
    near-duplicates, vectors) takes hours."""
    from whoosh.searching import Searcher

    from index.backends.local.keyword import columns as keyword_columns
    from index.backends.local.keyword import schema as keyword
    from index.backends.local.keyword.bm25 import RobertsonBM25F
    from index.backends.local.keyword.compile import QueryCompiler
    from index.backends.local.keyword.scoring import ColumnScorer
    from index.backends.query import KeywordSettings
    from search.query.parser import QueryParser

    folder = work / f"keyword-{n}"
    done = folder / "built.json"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        ix = keyword.open_or_create(folder)
        # whoosh's two-process writer (the product writes in one process, beside its other stages).
        writer = ix.writer(procs=2, multisegment=True, limitmb=512)
        for rowid, article in enumerate(synthetic_articles(templates, n, seed=1), start=1):
            writer.add_document(**keyword.document(rowid, article, ix.schema))
        writer.commit()
        generation = keyword.generation(ix)
        segments = keyword_columns.sync_generation(folder, generation, keyword.text_fields(ix.schema))
        keyword.remove_unused(ix, generation)
        keyword_columns.remove_unused(folder, segments)
        ix.close()
        built = {"seconds": round(time.perf_counter() - started, 1), "segments": len(segments)}
        done.write_text(json.dumps(built), encoding="utf-8")
    built = json.loads(done.read_text(encoding="utf-8"))
    rss_before = rss_mb()
    started = time.perf_counter()
    ix, reader = keyword.open_generation(folder, None)
    searcher = Searcher(reader, weighting=RobertsonBM25F(), closereader=False)
    parser = QueryParser(lambda text: tuple(dict.fromkeys(t.text for t in keyword.build_analyzer()(text))))
    compiler = QueryCompiler(reader.schema, KeywordSettings().title_boost)
    scorer = ColumnScorer(reader, folder)
    opened = time.perf_counter() - started

    def run(query: str) -> Any:
        clauses = scorer.plan(compiler.compile(cast(Any, parser.parse(query).query)), reader.schema)
        assert clauses is not None
        return scorer.search(clauses, searcher, 100, weighting=(1.2, 0.75))

    result: dict[str, Any] = {
        "articles": n,
        "build": built,
        "keyword_mb": round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1),
        "open_seconds": round(opened, 3),
        "ours": timed(run, queries),
        "rss_mb": rss_mb(),
        "rss_before_open_mb": rss_before,
    }
    reader.close()
    ix.close()
    if peers:
        texts = [f"{a.title}\n{a.text}" for a in synthetic_articles(templates, n, seed=1)]
        result["peers"] = {"bm25s": peer_bm25s(texts, queries), "tantivy": peer_tantivy(texts, queries, work)}
        del texts
        gc.collect()
        result["ratios"] = {name: round(result["ours"]["p50_ms"] / peer["p50_ms"], 2) for name, peer in result["peers"].items()}
    return result


def assemble_index(n: int, templates: Sequence[Article], work: Path) -> tuple[Path, dict[str, Any]]:
    """A whole index of n synthetic articles put together from parts instead of ingested (the ingest
    of 1M articles takes hours here): the keyword index ``keyword_scale`` wrote (hard-linked), a
    store holding the same articles under the same row ids, and their feature-hashing vectors in the
    vector index the size calls for. Readers cannot tell it from an ingested one; only the near-
    duplicate groups are absent (synthetic articles have none)."""
    from index.analysis import DEFAULT_ANALYSIS
    from index.backends.local.keyword.schema import generation, open_for_reading
    from index.backends.local.manifest import Manifest, write_manifest
    from index.embed.base import EMBEDDED_TEXT

    root = work / f"assembled-{n}"
    layout = IndexLayout(root)
    if layout.manifest.exists():
        return root, json.loads((root / "assembled.json").read_text(encoding="utf-8"))
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    source = work / f"keyword-{n}"
    for path in source.rglob("*"):
        if path.is_file() and path.name != "built.json":
            target = layout.keyword_dir / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    keyword_index = open_for_reading(layout.keyword_dir)
    keyword_generation = generation(keyword_index)
    keyword_index.close()
    encoder = HashingEncoder(DIM)
    store = ArticleStore(layout.store)
    index = vectors.new_index(DIM)
    store.begin()
    batch: list[Article] = []

    def flush() -> None:
        matrix = encoder.encode_documents([embedding_input(a) for a in batch])
        rowids = [store.upsert(article, row) for article, row in zip(batch, matrix, strict=True)]
        index.add_with_ids(matrix, np.asarray(rowids, dtype=np.int64))
        batch.clear()

    for article in synthetic_articles(templates, n, seed=1):
        batch.append(article)
        if len(batch) == 10_000:
            flush()
    flush()
    pending = store.pending()
    if pending:
        store.clear_pending(pending[-1].seq)
    store.commit()
    assert store.count() == n
    store.close()
    index = vectors.resized(index)
    layout.vector_dir.mkdir(parents=True, exist_ok=True)
    vector_file = layout.vector_file(keyword_generation)
    vectors.save(index, vector_file)
    manifest = Manifest(model=E5_SMALL, dim=DIM, embedded_text=EMBEDDED_TEXT, analysis=DEFAULT_ANALYSIS, articles=n)
    manifest.keyword_generation = keyword_generation
    manifest.vector_file = str(vector_file.relative_to(root))
    write_manifest(layout, manifest)
    built = {"seconds": round(time.perf_counter() - started, 1), "vector_index": type(index).__name__}
    (root / "assembled.json").write_text(json.dumps(built), encoding="utf-8")
    return root, built


def whole_index(
    args: argparse.Namespace, real: list[tuple[Article, np.ndarray]], queries: Sequence[str], say: Callable[[str], None]
) -> dict[str, Any]:
    """Build (or reuse) an index of ``args.articles`` and measure it whole: warm, cold, peers, vectors."""
    index_dir = args.work_dir / f"index-{args.articles}"
    say(f"{len(real)} real articles with e5 embeddings; building {args.articles} in {index_dir}")
    build = build_index(index_dir, args.articles, real)
    say(f"{len(queries)} queries; measuring ours")
    result: dict[str, Any] = {
        "articles": args.articles,
        "real_articles": min(len(real), args.articles),
        "synthetic_articles": max(0, args.articles - len(real)),
        "document_embeddings": "real e5 for the real articles, 384-d feature hashing for the synthetic ones",
        "query_embeddings": "multilingual-e5-small, int8 ONNX, as in production",
        "queries": len(queries),
        "build": build,
        "index_mb": round(IndexLayout(index_dir).size_bytes() / 1e6, 1),
    }
    measured, query_vectors = ours(index_dir, queries)
    result.update(measured)
    if args.cold_runs:
        say("cold CLI")
        result["cold_cli"] = cold_cli(index_dir, "Lavrov Pyongyang", args.cold_runs)
    if not args.no_peers:
        say("peers")
        _, texts, matrix = corpus_texts(index_dir)
        peers = {
            "bm25s": peer_bm25s(texts, queries),
            "tantivy": peer_tantivy(texts, queries, args.work_dir),
            "faiss_flat": peer_faiss_flat(matrix, query_vectors),
        }
        result["peers"] = peers
        result["ratios"] = {
            "keyword_vs_bm25s": round(result["keyword"]["p50_ms"] / peers["bm25s"]["p50_ms"], 2),
            "keyword_vs_tantivy": round(result["keyword"]["p50_ms"] / peers["tantivy"]["p50_ms"], 2),
            "keyword_ids_vs_bm25s": round(result["keyword_ids"]["p50_ms"] / peers["bm25s"]["p50_ms"], 2),
            "keyword_ids_vs_tantivy": round(result["keyword_ids"]["p50_ms"] / peers["tantivy"]["p50_ms"], 2),
            "vector_search_vs_faiss_flat": round(result["vector_search"]["p50_ms"] / peers["faiss_flat"]["p50_ms"], 2),
        }
    if args.recall_vectors and args.recall_queries:
        say("recall on real embeddings")
        result["recall_at_10_real"] = recall(args.recall_vectors, args.recall_queries, [5_000, 10_000, 20_000, 40_000])
    for n in args.vector_scale:
        say(f"vectors alone at {n}")
        result.setdefault("vector_scale", []).append(vector_scale(n, query_vectors))
    return result


REAL_INDEX_EXAMPLE = "benchmarks/.work/bbc-news-multilingual-e5-small benchmarks/.work/indosum-dev-multilingual-e5-small"


def check_inputs(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Every input the run needs, checked before anything is built: one line saying what to pass."""
    if args.articles is None or args.articles <= 0:
        parser.error("give --articles N: the archive size to measure, e.g. --articles 10000")
    if not args.real_index:
        # Every measurement draws its synthetic articles from the real ones (none: numpy fails deep inside).
        parser.error(f"give --real-index DIR...: {E5_SMALL} indexes built by benchmarks/relevance.py, e.g. {REAL_INDEX_EXAMPLE}")
    for root in args.real_index:
        require_index(root, "--real-index", f"build it with benchmarks/relevance.py --models {E5_SMALL}")
    if (args.recall_vectors is None) != (args.recall_queries is None):
        parser.error("give --recall-vectors and --recall-queries together (.npy document and query embeddings)")
    for option, path in (("--recall-vectors", args.recall_vectors), ("--recall-queries", args.recall_queries)):
        if path is not None and not path.is_file():
            parser.error(f"{option} {path}: no such file")


def main(argv: Sequence[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, help="archive size N (required)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "news-search-latency")
    parser.add_argument(
        "--real-index",
        type=Path,
        nargs="*",
        default=[],
        metavar="DIR",
        help=f"indexes built with {E5_SMALL} by benchmarks/relevance.py, whose articles and embeddings are reused "
        f"(required; e.g. {REAL_INDEX_EXAMPLE})",
    )
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--recall-vectors", type=Path)
    parser.add_argument("--recall-queries", type=Path)
    parser.add_argument("--vector-scale", type=int, nargs="*", default=[], help="also time vectors alone at these sizes")
    parser.add_argument(
        "--keyword-scale", type=int, nargs="*", default=[], help="also time the keyword side alone at these sizes"
    )
    parser.add_argument(
        "--assembled", action="store_true", help="measure a whole index put together from keyword-N (see assemble_index)"
    )
    parser.add_argument("--only-scale", action="store_true", help="skip the whole-index measurements (with --*-scale)")
    args = parser.parse_args(argv)
    check_inputs(parser, args)
    say: Callable[[str], None] = (lambda _: None) if args.json else (lambda m: print(m, file=sys.stderr, flush=True))

    queries = load_queries(args.queries)
    real = real_articles(args.real_index)
    if not real:
        given = " ".join(map(str, args.real_index))
        fail(f"--real-index {given}: no articles with {DIM}-d embeddings there; pass indexes built with {E5_SMALL}")
    result: dict[str, Any]
    if args.assembled:
        say(f"assembling a whole index of {args.articles} articles")
        root, built = assemble_index(args.articles, [a for a, _ in real], args.work_dir)
        result = {"articles": args.articles, "assembled": built, "queries": len(queries)}
        result["index_mb"] = round(IndexLayout(root).size_bytes() / 1e6, 1)
        measured, _ = ours(root, queries)
        result.update(measured)
        if args.cold_runs:
            result["cold_cli"] = cold_cli(root, "Lavrov Pyongyang", args.cold_runs)
        name = f"latency-assembled-{args.articles}"
    elif args.only_scale:
        result = {"articles": args.articles, "queries": len(queries)}
        name = "latency-scale-" + "-".join(str(n) for n in args.keyword_scale)
    else:
        result = whole_index(args, real, queries, say)
        name = f"latency-{args.articles}"
    for n in args.keyword_scale:
        say(f"keyword side alone at {n}")
        result.setdefault("keyword_scale", []).append(
            keyword_scale(n, [a for a, _ in real], queries, args.work_dir, peers=not args.no_peers)
        )
    result["machine"] = machine()
    result["cpu_count"] = os.cpu_count()
    path = write_result(name, result)
    print(json.dumps(result, indent=None if args.json else 2))
    say(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
