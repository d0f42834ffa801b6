"""The HTTP API under load: `news-search serve` answering concurrent clients while an ingest commits.

    python benchmarks/serve.py --articles 100000 [--seconds 60] [--clients 16] [--work-dir DIR] [--json]
    python benchmarks/serve.py --quick          # the sample archive, a few seconds (the smoke test)

Builds (or reuses) the index of ``benchmarks/latency.py`` (same builder, same ``--work-dir`` cache:
the real bbc-news and indosum-dev articles with their e5 embeddings from ``--real-index``, then
synthetic ones up to N), copies it to a scratch folder (the ingest below adds to the copy, so the
cached index stays as latency.py expects it), starts the real ``news-search serve`` on it as a
process (timed to its first 200 on /healthz, then its first search, which loads the query model),
and measures in one run:

- the comparison: the same requests through one ``NewsSearch`` in this process (on one engine
  thread, as the server holds it) and over HTTP (httpx, one kept-alive connection per client), in
  turns so that the shared machine's other work weighs on both alike: ``--sequential`` requests one
  at a time, then ``--clients`` clients for ``--seconds`` each way in alternating ``--slice`` turns.
  Their ratio is what the HTTP layer costs;
- the load: ``--clients`` clients over HTTP for ``--seconds`` while a separate ``news-search index``
  process adds a JSONL export of ``--ingest-articles`` new articles to the served index. The window
  is stretched until that ingest has committed (said so in the output); a monitor asks for a word
  only the new articles contain, to time when the server first sees them.

The request mix: real queries of the shared sets (as latency.py loads them), mostly hybrid, some
keyword and semantic, some with a language, site or year filter, some with facets, and some
followed by their pages 2 and 3; every client sends one request after another, without pause.
Queries are embedded by the index's model (the real multilingual-e5-small for the latency index;
the model-free hashing-256 for ``--quick``).

Prints one JSON object and writes it to ``benchmarks/results/serve-N.json`` (``--json-out``):
requests/s, p50/p95/p99 latency and errors by status of each part, server RSS (VmRSS) and CPU,
and the HTTP/library ratios.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ArgumentParser, fail, machine, require_index, write_result

if TYPE_CHECKING:
    from index.article import Article
    from search.facade import NewsSearch

REAL_INDEXES = (
    ROOT / "benchmarks" / ".work" / "bbc-news-multilingual-e5-small",
    ROOT / "benchmarks" / ".work" / "indosum-dev-multilingual-e5-small",
)
SAMPLES = ROOT / "samples" / "archive"
DEFAULT_WORK = Path(tempfile.gettempdir()) / "news-search-latency"  # latency.py's default: one cache for both
STARTUP_TARGET_S = 2.0
P95_TARGET_MS = 100.0
WARMUP = 10  # requests before any clock runs (the query model loads on the first semantic one)
MONITOR_EVERY_S = 0.5
TAIL_AFTER_INGEST_S = 1.0  # when the window is stretched to the ingest's commit: a little of "after" too
MAX_STRETCH_S = 600.0
MIN_SEGMENT_S = 0.5  # a shorter stretch of the window (the ingest started at once) is left out of the segments
EXTRA_STARTS = 2  # server starts before the measured one: startup is the median of all of them
LIMIT = 10
# A word no archive has: only the ingested articles carry it, so its first hit is the commit seen.
MARKER = "zqxservebench"
MODE_WEIGHTS = {"hybrid": 70, "keyword": 15, "semantic": 15}
FILTERED_SHARE = 0.15
FACETS_SHARE = 0.05
PAGED_SHARE = 0.10  # a query followed by its page 2 (and half the time page 3), as a reader pages on


# --- the request mix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One search, said once and sent both ways: as /api/search parameters and as library arguments."""

    query: str
    mode: str
    page: int = 1
    lang: str | None = None
    site: str | None = None
    year: str | None = None
    facets: bool = False

    def params(self) -> dict[str, str]:
        params = {"q": self.query, "mode": self.mode, "limit": str(LIMIT)}
        if self.page > 1:
            params["page"] = str(self.page)
        for name in ("lang", "site"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        if self.year is not None:
            params["since"] = params["until"] = self.year
        if self.facets:
            params["facets"] = "true"
        return params

    def kwargs(self) -> dict[str, Any]:
        return {
            "limit": LIMIT,
            "mode": self.mode,
            "offset": (self.page - 1) * LIMIT,
            "lang": self.lang,
            "site": self.site,
            "since": self.year,
            "until": self.year,
            "facets": self.facets,
        }

    def kinds(self) -> list[str]:
        """The groups this request is counted in: its mode, and filtered (and by which filter),
        facets, paged when it is."""
        kinds = [self.mode]
        filters = [name for name in ("lang", "site", "year") if getattr(self, name) is not None]
        if filters:
            kinds += ["filtered", *(f"filter_{name}" for name in filters)]
        if self.facets:
            kinds.append("facets")
        if self.page > 1:
            kinds.append("paged")
        return kinds


@dataclass(frozen=True)
class FilterValues:
    """Filter values the index holds, so filtered requests find something."""

    langs: list[str]
    sites: list[str]
    years: list[str]


def filter_values(news: NewsSearch, queries: Sequence[str]) -> FilterValues:
    """The most common languages, sites and years among the articles a broad keyword query matches."""
    probe = news.search_results(" ".join(queries[:10]), limit=1, mode="keyword", facets=True)
    facets = probe.facets or {}

    def top(name: str, count: int) -> list[str]:
        counts = facets.get(name, {})
        return sorted(counts, key=lambda key: -counts[key])[:count]

    years = sorted({month[:4] for month in top("month", 24)})
    return FilterValues(langs=top("lang", 3), sites=top("site", 4), years=years[-4:])


def request_plan(queries: Sequence[str], values: FilterValues, seed: int = 0) -> list[Request]:
    """The mix, in a fixed order (seeded): each query once, some followed by their next pages."""
    rng = random.Random(seed)
    modes, weights = list(MODE_WEIGHTS), list(MODE_WEIGHTS.values())
    choices = [kind for kind, found in (("lang", values.langs), ("site", values.sites), ("year", values.years)) if found]
    plan: list[Request] = []
    for query in queries:
        options: dict[str, Any] = {"mode": rng.choices(modes, weights)[0]}
        if choices and rng.random() < FILTERED_SHARE:
            kind = rng.choice(choices)
            options[kind] = rng.choice({"lang": values.langs, "site": values.sites, "year": values.years}[kind])
        options["facets"] = rng.random() < FACETS_SHARE
        plan.append(Request(query, **options))
        if rng.random() < PAGED_SHARE:
            for page in range(2, 4 if rng.random() < 0.5 else 3):
                plan.append(Request(query, page=page, **options))
    return plan


# --- samples and their figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    began: float  # seconds since the phase started
    seconds: float
    status: str  # "ok" / "200", else the status code or the exception's type
    request: Request


OK = ("ok", "200")


def quantile(ordered: Sequence[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def figures(samples: Sequence[Sample], seconds: float | None = None) -> dict[str, Any]:
    """Count, rate, latency percentiles (over every answered request, errors included) and errors by status."""
    ordered = sorted(s.seconds for s in samples)
    result: dict[str, Any] = {"requests": len(samples)}
    if seconds:
        result["seconds"] = round(seconds, 2)
        result["requests_per_s"] = round(len(samples) / seconds, 1)
    if ordered:
        result.update(
            {
                "p50_ms": round(1000 * quantile(ordered, 0.50), 2),
                "p95_ms": round(1000 * quantile(ordered, 0.95), 2),
                "p99_ms": round(1000 * quantile(ordered, 0.99), 2),
                "max_ms": round(1000 * ordered[-1], 2),
                "mean_ms": round(1000 * sum(ordered) / len(ordered), 2),
            }
        )
    errors = Counter(s.status for s in samples if s.status not in OK)
    result["errors"] = dict(sorted(errors.items()))
    result["error_count"] = sum(errors.values())
    return result


def by_kind(samples: Sequence[Sample]) -> dict[str, Any]:
    groups: dict[str, list[float]] = {}
    for sample in samples:
        for kind in sample.request.kinds():
            groups.setdefault(kind, []).append(sample.seconds)
    result = {}
    for kind, values in sorted(groups.items()):
        ordered = sorted(values)
        result[kind] = {
            "requests": len(ordered),
            "p50_ms": round(1000 * quantile(ordered, 0.5), 2),
            "p95_ms": round(1000 * quantile(ordered, 0.95), 2),
        }
    return result


def proc_status(pid: int, field: str) -> float | None:
    """A memory line of /proc/PID/status (VmRSS, VmHWM), in MB."""
    with contextlib.suppress(OSError, StopIteration, ValueError, IndexError):
        text = Path(f"/proc/{pid}/status").read_text()
        line = next(line for line in text.splitlines() if line.startswith(f"{field}:"))
        return round(int(line.split()[1]) / 1024, 1)
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (fields 14 and 15 of /proc/PID/stat)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


# --- one request, through the library or over HTTP -------------------------------------------------


class Library:
    """One ``NewsSearch`` on a thread of its own, as ``search.http.engine.SharedEngine`` holds it
    (the facade's SQLite connection belongs to the thread that opened it), so concurrent callers
    queue for it exactly as the server's requests do."""

    def __init__(self, location: Path) -> None:
        from search.facade import NewsSearch

        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library-engine")
        self.news: NewsSearch = self._executor.submit(NewsSearch, location).result()
        self._closed = False

    def on_thread(self, call: Callable[[NewsSearch], Any]) -> Any:
        return self._executor.submit(call, self.news).result()

    def send(self, _client: int, request: Request) -> str:
        status: str = self.on_thread(functools.partial(library_search, request=request))
        return status

    def timed(self, request: Request) -> tuple[str, float]:
        """The status and the seconds of one search, timed on the engine's thread (no hand-over)."""

        def run(news: NewsSearch) -> tuple[str, float]:
            began = time.perf_counter()
            status = library_search(news, request)
            return status, time.perf_counter() - began

        result: tuple[str, float] = self.on_thread(run)
        return result

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._executor.submit(self.news.close).result()
            self._executor.shutdown(wait=True)


def library_search(news: NewsSearch, request: Request) -> str:
    from index.errors import NewsSearchError

    try:
        news.search_results(request.query, **request.kwargs())
    except NewsSearchError as error:
        return type(error).__name__
    return "ok"


class HttpClients:
    """One kept-alive httpx connection per client to ``GET /api/search``; notes the first few
    distinct failures with the parameters that reproduce them."""

    def __init__(self, base: str, clients: int) -> None:
        import httpx

        self.sessions = [httpx.Client(base_url=base, timeout=60) for _ in range(clients)]
        self.examples: dict[str, dict[str, Any]] = {}

    def send(self, client: int, request: Request) -> str:
        import httpx

        try:
            response = self.sessions[client].get("/api/search", params=request.params())
        except httpx.HTTPError as error:
            self._note(type(error).__name__, request, str(error))
            return type(error).__name__
        if response.status_code != 200:
            self._note(str(response.status_code), request, response.text[:500])
        return str(response.status_code)

    def _note(self, status: str, request: Request, detail: str) -> None:
        if len(self.examples) < 10:
            self.examples.setdefault(
                f"{status} {request.params()}", {"status": status, "params": request.params(), "body": detail}
            )

    def close(self) -> None:
        for session in self.sessions:
            session.close()


# --- load: clients going round the mix --------------------------------------------------------------

Send = Callable[[int, Request], str]


class Load:
    """``clients`` threads, each going round the plan from its own place and sending one request
    after another (no pause). The places carry over from one run to the next, so a run does not
    repeat what the run before it asked (and found in the caches)."""

    def __init__(self, clients: int, plan: Sequence[Request], send: Send) -> None:
        self.plan, self.send = plan, send
        self.positions = [number * len(plan) // clients for number in range(clients)]
        self.samples: list[Sample] = []
        self.origin = 0.0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._stop.clear()
        self.samples = []
        self.origin = time.perf_counter()
        self._threads = [threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(len(self.positions))]
        for thread in self._threads:
            thread.start()

    def stop(self) -> tuple[list[Sample], float]:
        """Stop the clients (each finishes the request it is in); their samples and the seconds run."""
        self._stop.set()
        for thread in self._threads:
            thread.join()
        return list(self.samples), time.perf_counter() - self.origin

    def run_for(self, seconds: float) -> tuple[list[Sample], float]:
        self.start()
        time.sleep(seconds)
        return self.stop()

    def _client(self, number: int) -> None:
        while not self._stop.is_set():
            request = self.plan[self.positions[number] % len(self.plan)]
            self.positions[number] += 1
            began = time.perf_counter()
            status = self.send(number, request)
            self.samples.append(Sample(began - self.origin, time.perf_counter() - began, status, request))


@dataclass
class Measured:
    """What a load did over all its slices: samples, seconds run, CPU of this process and of the server."""

    samples: list[Sample]
    seconds: float = 0.0
    own_cpu: float = 0.0
    server_cpu: float = 0.0

    def report(self, server_side: bool) -> dict[str, Any]:
        n = max(1, len(self.samples))
        if server_side:
            cpu = {"server_cpu_ms_per_request": round(1000 * self.server_cpu / n, 2)}
            cpu["client_cpu_ms_per_request"] = round(1000 * self.own_cpu / n, 2)
        else:
            cpu = {"cpu_ms_per_request": round(1000 * self.own_cpu / n, 2)}
        return {**figures(self.samples, self.seconds), **cpu, "by_kind": by_kind(self.samples)}


def interleaved(loads: dict[str, Load], seconds: float, slice_seconds: float, server_pid: int) -> dict[str, Measured]:
    """Each load for ``seconds`` in all, in alternating slices (ABBA...), so whatever else the shared
    machine is doing weighs on both alike: the ratio of their figures is what the comparison is for."""
    measured = {name: Measured([]) for name in loads}
    turns = max(1, round(seconds / slice_seconds))
    names = list(loads)
    for turn in range(turns):
        for name in names if turn % 2 == 0 else reversed(names):
            own, server = time.process_time(), cpu_seconds(server_pid)
            samples, elapsed = loads[name].run_for(seconds / turns)
            total = measured[name]
            total.samples += [Sample(s.began + total.seconds, s.seconds, s.status, s.request) for s in samples]
            total.seconds += elapsed
            total.own_cpu += time.process_time() - own
            total.server_cpu += cpu_seconds(server_pid) - server
    return measured


def sequential(library: Library, http: HttpClients, plan: Sequence[Request]) -> tuple[list[Sample], list[Sample]]:
    """Each request once through the library and once over HTTP, one at a time, the two in turns
    (alternating which goes first)."""
    through_library: list[Sample] = []
    over_http: list[Sample] = []
    origin = time.perf_counter()
    for number, request in enumerate(plan):
        for side in ("library", "http") if number % 2 == 0 else ("http", "library"):
            began = time.perf_counter()
            if side == "library":
                status, seconds = library.timed(request)
                through_library.append(Sample(began - origin, seconds, status, request))
            else:
                status = http.send(0, request)
                over_http.append(Sample(began - origin, time.perf_counter() - began, status, request))
    return through_library, over_http


# --- the server and the ingest ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def executable() -> str:
    return str(Path(sys.executable).with_name("news-search"))


def child_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "NEWS_SEARCH_INDEX"}


def tail(path: Path, lines: int = 20) -> list[str]:
    with contextlib.suppress(OSError):
        return path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return []


def stop_process(proc: subprocess.Popen[bytes]) -> int | None:
    """SIGTERM to the process by its own pid (uvicorn shuts down cleanly), SIGKILL if it lingers."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    return proc.returncode


class Server:
    """``news-search serve`` as a user starts it, on a free port; stopped by its own pid on exit.
    ``startup`` is the seconds from the process start to its first 200 on /healthz (which opens
    the index)."""

    def __init__(self, index: Path, logs: Path) -> None:
        self.index, self.logs = index, logs
        self.base = ""
        self.proc: subprocess.Popen[bytes] | None = None
        self.startup = 0.0
        self.startup_cpu = 0.0  # CPU seconds the process had used by then: what an idle machine's wall time nears

    def __enter__(self) -> Server:
        import httpx

        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        command = [executable(), "serve", "--index", str(self.index), "--port", str(port)]
        with (self.logs / "server.out").open("wb") as out, (self.logs / "server.err").open("wb") as err:
            started = time.perf_counter()
            self.proc = subprocess.Popen(command, stdout=out, stderr=err, env=child_env(), cwd=ROOT)
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base}/healthz", timeout=5).status_code == 200:
                    self.startup = time.perf_counter() - started
                    self.startup_cpu = cpu_seconds(self.proc.pid)
                    return self
            if self.proc.poll() is not None or time.perf_counter() - started > 120:
                why = f"exited with status {self.proc.returncode}" if self.proc.poll() is not None else "gave no 200 in 120 s"
                self.stop()
                fail(f"news-search serve {why} on /healthz: {' | '.join(tail(self.logs / 'server.err', 5))}")
            time.sleep(0.01)

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss_mb(self, field: str = "VmRSS") -> float | None:
        return proc_status(self.pid, field)

    def stop(self) -> int | None:
        return stop_process(self.proc) if self.proc is not None else None


def ingest_export(templates: Sequence[Article], count: int, folder: Path) -> Path:
    """A JSONL export of ``count`` new articles (extracted: title, text, url, date, site, lang), each
    carrying ``MARKER``; made of the templates' words like latency.py's synthetic articles."""
    from benchmarks.latency import synthetic_articles

    path = folder / "new-articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number, article in enumerate(synthetic_articles(templates, count, seed=7)):
            record = {
                "url": f"https://ingest.example/serve-benchmark/{number}",
                "title": f"{article.title} {MARKER}",
                "text": f"{article.text} {MARKER.capitalize()} {number}.",
                "published": article.published,
                "site": "ingest.example",
                "lang": article.lang,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


class Monitor(threading.Thread):
    """Asks the server for ``MARKER`` twice a second: when the ingested articles first show up."""

    def __init__(self, base: str, origin: float) -> None:
        super().__init__(daemon=True)
        self.base, self.origin = base, origin
        self.stop = threading.Event()
        self.first_seen: float | None = None
        self.requests = 0
        self.errors: Counter[str] = Counter()

    def run(self) -> None:
        import httpx

        params = {"q": MARKER, "mode": "keyword", "limit": "1"}
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self.stop.wait(MONITOR_EVERY_S):
                self.requests += 1
                try:
                    response = client.get("/api/search", params=params)
                except httpx.HTTPError as error:
                    self.errors[type(error).__name__] += 1
                    continue
                if response.status_code != 200:
                    self.errors[str(response.status_code)] += 1
                elif self.first_seen is None and response.json()["total"] > 0:
                    self.first_seen = time.perf_counter() - self.origin


@dataclass
class IngestRun:
    proc: subprocess.Popen[bytes] | None = None
    started: float | None = None
    finished: float | None = None


def loaded_window(
    load: Load, base: str, seconds: float, ingest_command: list[str], ingest_delay: float, logs: Path
) -> tuple[list[Sample], float, IngestRun, Monitor]:
    """The load for ``seconds``, with the ingest started ``ingest_delay`` in; stretched, if need be,
    until the ingest has committed (and a second more), so the commit always falls inside."""
    load.start()
    monitor = Monitor(base, load.origin)
    monitor.start()
    ingest = IngestRun()
    with (logs / "ingest.out").open("wb") as out, (logs / "ingest.err").open("wb") as err:
        try:
            while True:
                now = time.perf_counter() - load.origin
                if ingest.proc is None and now >= ingest_delay:
                    ingest.proc = subprocess.Popen(ingest_command, stdout=out, stderr=err, env=child_env(), cwd=ROOT)
                    ingest.started = now
                if ingest.proc is not None and ingest.finished is None and ingest.proc.poll() is not None:
                    ingest.finished = now
                end = seconds
                if ingest.finished is not None:
                    end = max(end, ingest.finished + TAIL_AFTER_INGEST_S)
                elif now < seconds + MAX_STRETCH_S:
                    end = max(end, now + 1)  # still ingesting: keep the load on until it commits
                if now >= end:
                    break
                time.sleep(0.02)
        finally:
            samples, window = load.stop()
            monitor.stop.set()
            monitor.join()
            if ingest.proc is not None and ingest.proc.poll() is None:
                ingest.proc.wait(timeout=MAX_STRETCH_S)  # let it commit: a killed ingest would leave work to repair
                ingest.finished = time.perf_counter() - load.origin
    return samples, window, ingest, monitor


def segments(samples: Sequence[Sample], ingest: IngestRun, window: float) -> dict[str, Any]:
    """The window cut at the ingest's start and end: load alone, load beside the ingest, after its
    commit, and before and after together (the load with no ingest beside it)."""
    started = ingest.started if ingest.started is not None else window
    finished = ingest.finished if ingest.finished is not None else window
    cuts = {
        "before_ingest": (0.0, started),
        "during_ingest": (started, finished),
        "after_ingest": (finished, window),
    }
    result = {}
    for name, (low, high) in cuts.items():
        inside = [s for s in samples if low <= s.began < high]
        if inside and high - low >= MIN_SEGMENT_S:
            result[name] = figures(inside, high - low)
    quiet = [s for s in samples if not started <= s.began < finished]
    if quiet:
        result["without_ingest"] = figures(quiet, window - (finished - started))
    return result


# --- indexes ----------------------------------------------------------------------------------------


def sample_index(work: Path) -> Path:
    """The shipped sample archive indexed with the model-free hashing-256 encoder (built once in ``work``)."""
    from index.embed.hashing import HashingEncoder
    from index.ingest.indexer import Indexer

    root = work / "serve-sample-hashing-256"
    if not (root / "manifest.json").exists():
        shutil.rmtree(root, ignore_errors=True)
        with Indexer(root, encoder=HashingEncoder(256), workers=0) as indexer:
            indexer.add([SAMPLES])
    return root


def stored_articles(root: Path) -> list[Article]:
    from index.backends.local.layout import IndexLayout
    from index.backends.local.store import ArticleStore

    store = ArticleStore(IndexLayout(root).store, readonly=True)
    try:
        return [article for _, article in store.iter_articles()]
    finally:
        store.close()


def scratch_copy(source: Path, work: Path) -> Path:
    """A fresh copy of ``source`` to serve and ingest into, leaving the cached index as it was."""
    target = work / f"serve-run-{source.name}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("write.lock"))
    return target


def manifest_articles(root: Path) -> int:
    articles: int = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["articles"]
    return articles


def extra_versions() -> dict[str, str]:
    found = {}
    for package in ("fastapi", "uvicorn", "starlette", "httpx"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    return found


# --- the run ----------------------------------------------------------------------------------------


def prepare(args: Any, say: Callable[[str], None]) -> tuple[Path, dict[str, Any], list[Article], list[str]]:
    """The index to serve (built or reused), what it is, the ingest's templates and the queries."""
    from benchmarks.latency import build_index, load_queries, real_articles

    queries = load_queries(args.queries)  # first: without the shared data, stop before anything is written
    args.work_dir.mkdir(parents=True, exist_ok=True)
    if args.quick:
        source = sample_index(args.work_dir)
        templates = stored_articles(source)
        described: dict[str, Any] = {"source": "samples/archive", "encoder": "hashing-256 (documents and queries)"}
        return source, described, templates, queries
    real = real_articles(args.real_index)
    if not real:
        fail(f"--real-index {' '.join(map(str, args.real_index))}: no articles with 384-d embeddings there")
    source = args.work_dir / f"index-{args.articles}"
    say(f"{len(real)} real articles with e5 embeddings; building or reusing {args.articles} in {source}")
    build = build_index(source, args.articles, real)
    described = {
        "source": str(source),
        "build": build,
        "real_articles": min(len(real), args.articles),
        "synthetic_articles": max(0, args.articles - len(real)),
        "document_embeddings": "real e5 for the real articles, 384-d feature hashing for the synthetic ones (latency.py)",
        "query_embeddings": "multilingual-e5-small, int8 ONNX, as in production",
    }
    return source, described, [article for article, _ in real], queries


def warm_up(library: Library, http: HttpClients, queries: Sequence[str], plan: Sequence[Request]) -> dict[str, Any]:
    """The server's first search (it loads the query model), then a few of the mix both ways, off the clock."""
    first = Request(queries[0], "hybrid")
    began = time.perf_counter()
    status = http.send(0, first)
    first_search = time.perf_counter() - began
    for request in plan[:WARMUP]:
        library.send(0, request)
        http.send(0, request)
    return {"first_search_ms": round(1000 * first_search, 1), "first_search_status": int(status) if status.isdigit() else status}


def comparison(
    library: Library, server: Server, http: HttpClients, plan: Sequence[Request], args: Any, say: Callable[[str], None]
) -> dict[str, Any]:
    """The same requests through the library and over HTTP, no ingest: one at a time, then from
    ``args.clients`` clients in alternating slices."""
    say(f"library and HTTP in turns: {args.sequential} requests one at a time")
    by_library, by_http = sequential(library, http, plan[: args.sequential])
    say(f"library and HTTP in turns: {args.clients} clients, {args.seconds} s each")
    loads = {"library": Load(args.clients, plan, library.send), "http": Load(args.clients, plan, http.send)}
    measured = interleaved(loads, args.seconds, args.slice, server.pid)
    return {
        "library": {
            "sequential": {**figures(by_library), "by_kind": by_kind(by_library)},
            "concurrent": {"clients": args.clients, **measured["library"].report(server_side=False)},
        },
        "http": {
            "sequential": {**figures(by_http), "by_kind": by_kind(by_http)},
            "concurrent": {"clients": args.clients, "keep_alive": True, **measured["http"].report(server_side=True)},
        },
        "comparison": {
            "slices": max(1, round(args.seconds / args.slice)),
            "slice_s": round(args.seconds / max(1, round(args.seconds / args.slice)), 2),
            "load_average": load_average(),
        },
    }


def load_phase(
    server: Server, http: HttpClients, served: Path, plan: Sequence[Request], templates: Sequence[Article], args: Any
) -> dict[str, Any]:
    """The clients over HTTP for the window while ``news-search index`` adds new articles to the index."""
    import httpx

    export_dir = Path(tempfile.mkdtemp(prefix="serve-ingest-", dir=args.work_dir))
    try:
        export = ingest_export(templates, args.ingest_articles, export_dir)
        command = [executable(), "index", str(export), "--index", str(served), "--json", "--workers", "0"]
        load = Load(args.clients, plan, http.send)
        load.positions = [p + len(plan) // 2 for p in load.positions]  # not where the comparison left the caches
        server_cpu, own_cpu, load_before = cpu_seconds(server.pid), time.process_time(), load_average()
        samples, window, ingest, monitor = loaded_window(load, server.base, args.seconds, command, args.ingest_delay, server.logs)
        measured = Measured(samples, window, time.process_time() - own_cpu, cpu_seconds(server.pid) - server_cpu)
    finally:
        shutil.rmtree(export_dir, ignore_errors=True)
    stats = httpx.get(f"{server.base}/api/stats", timeout=60).json()
    summary: dict[str, Any] = {}
    with contextlib.suppress(ValueError):
        summary = json.loads((server.logs / "ingest.out").read_text(encoding="utf-8"))
    failed = ingest.proc is not None and ingest.proc.returncode != 0
    return {
        "load": {
            "clients": args.clients,
            "keep_alive": True,
            **measured.report(server_side=True),
            "segments": segments(samples, ingest, window),
            "error_examples": list(http.examples.values()),
            "load_average": {"before": load_before, "after": load_average()},
        },
        "ingest": {
            "command": "news-search index EXPORT.jsonl --index DIR --json --workers 0",
            "articles": args.ingest_articles,
            "started_s": round(ingest.started, 2) if ingest.started is not None else None,
            "finished_s": round(ingest.finished, 2) if ingest.finished is not None else None,
            "returncode": ingest.proc.returncode if ingest.proc is not None else None,
            "added": summary.get("added"),
            "seconds": summary.get("seconds"),
            "committed_in_window": not failed and ingest.finished is not None and ingest.finished <= window,
            "window_stretched": window > args.seconds + 0.5,
            "first_seen_by_server_s": round(monitor.first_seen, 2) if monitor.first_seen is not None else None,
            "monitor_requests": monitor.requests,
            "monitor_errors": dict(monitor.errors),
            "server_articles_after": stats.get("articles"),
            "stderr_tail": tail(server.logs / "ingest.err") if failed else [],
        },
    }


def measure(args: Any, say: Callable[[str], None]) -> dict[str, Any]:
    from index.backends.local.layout import IndexLayout

    source, described, templates, queries = prepare(args, say)
    served = scratch_copy(source, args.work_dir)
    described["index_mb"] = round(IndexLayout(served).size_bytes() / 1e6, 1)
    described["model"] = json.loads((served / "manifest.json").read_text(encoding="utf-8"))["model"]
    result: dict[str, Any] = {"articles": manifest_articles(served), "quick": args.quick, "index": described}
    logs = args.work_dir / f"serve-logs-{served.name}"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    try:
        say(f"library and server over {served}")
        library = Library(served)
        try:
            values = library.on_thread(lambda news: filter_values(news, queries))
            plan = request_plan(queries, values)
            result["queries"] = len(queries)
            result["mix"] = {
                "requests": len(plan),
                "kinds": dict(Counter(kind for request in plan for kind in request.kinds())),
                "filters": {"lang": values.langs, "site": values.sites, "year": values.years},
            }
            starts = []
            for _ in range(args.extra_starts):
                with Server(served, logs) as server:
                    starts.append((server.startup, server.startup_cpu))
            with Server(served, logs) as server:
                starts.append((server.startup, server.startup_cpu))
                http = HttpClients(server.base, args.clients)
                try:
                    rss = {"started": server.rss_mb()}
                    started = {
                        "startup_s": round(statistics.median(wall for wall, _ in starts), 3),
                        "startup_runs_s": [round(wall, 3) for wall, _ in starts],
                        "startup_cpu_s": round(statistics.median(cpu for _, cpu in starts), 3),
                        **warm_up(library, http, queries, plan),
                    }
                    rss["warm"] = server.rss_mb()
                    result.update(comparison(library, server, http, plan, args, say))
                    rss["after_comparison"] = server.rss_mb()
                    library.close()  # the load phase is the server's alone
                    say(f"{args.clients} clients for {args.seconds} s, ingesting {args.ingest_articles} articles beside them")
                    result.update(load_phase(server, http, served, plan, templates, args))
                    rss.update({"after_load": server.rss_mb(), "peak": server.rss_mb("VmHWM")})
                finally:
                    http.close()
                exit_status = server.stop()
            result["server"] = {
                "command": "news-search serve --index DIR --port PORT",
                **started,
                "startup_target_s": STARTUP_TARGET_S,
                "rss_mb": rss,
                "exit_status": exit_status,
                "stderr_tail": tail(logs / "server.err"),
            }
        finally:
            library.close()  # if the comparison did not get to it
    finally:
        if not args.keep:
            shutil.rmtree(served, ignore_errors=True)
    result["ratios"] = ratios(result)
    result["targets"] = {
        "startup_under_2_s": result["server"]["startup_s"] < STARTUP_TARGET_S,
        "no_errors": all(
            part["error_count"] == 0
            for part in (*result["library"].values(), *result["http"].values(), result["load"])
        ) and not result["ingest"]["monitor_errors"],
        "load_p95_under_100_ms": result["load"].get("p95_ms", float("inf")) < P95_TARGET_MS,
        "ingest_committed_in_window": result["ingest"]["committed_in_window"],
    }  # fmt: skip
    result["machine"] = machine()
    result["machine"]["versions"].update(extra_versions())
    return result


def ratios(result: dict[str, Any]) -> dict[str, float | None]:
    """What the HTTP layer (uvicorn, FastAPI, JSON, and the client's side) costs over the library,
    measured in turns on the same machine: one request at a time, and at the same concurrency; and
    the loaded window (with the ingest beside it) against the library without one."""
    library, http, load = result["library"], result["http"], result["load"]
    return {
        "sequential_p50_http_vs_library": ratio(http["sequential"].get("p50_ms"), library["sequential"].get("p50_ms")),
        "concurrent_p50_http_vs_library": ratio(http["concurrent"].get("p50_ms"), library["concurrent"].get("p50_ms")),
        "concurrent_requests_per_s_http_vs_library": ratio(
            http["concurrent"].get("requests_per_s"), library["concurrent"].get("requests_per_s")
        ),
        "load_p50_vs_library_concurrent_p50": ratio(load.get("p50_ms"), library["concurrent"].get("p50_ms")),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


def check_inputs(parser: ArgumentParser, args: Any) -> None:
    if args.quick:
        args.seconds = 3.0 if args.seconds is None else args.seconds
        args.ingest_articles = 20 if args.ingest_articles is None else args.ingest_articles
        args.sequential = min(args.sequential, 50)
        args.queries = min(args.queries, 200)
        args.ingest_delay = 0.0 if args.ingest_delay is None else args.ingest_delay
        args.slice = min(args.slice, 1.0)
    else:
        if args.articles <= 0:
            parser.error(f"--articles must be at least 1 (got {args.articles})")
        for root in args.real_index:
            require_index(root, "--real-index", "build it with benchmarks/relevance.py --models multilingual-e5-small")
        args.seconds = 60.0 if args.seconds is None else args.seconds
        args.ingest_articles = 300 if args.ingest_articles is None else args.ingest_articles
        args.ingest_delay = 0.1 * args.seconds if args.ingest_delay is None else args.ingest_delay
    if args.extra_starts < 0:
        parser.error(f"--extra-starts must be 0 or more (got {args.extra_starts})")
    if args.clients < 1 or args.seconds <= 0 or args.ingest_articles < 1 or args.slice <= 0 or args.sequential < 1:
        parser.error("--clients, --seconds, --slice, --sequential and --ingest-articles must be positive")


def main(argv: Sequence[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=100_000, help="archive size N (default 100000)")
    parser.add_argument("--seconds", type=float, help="length of each measured load (default 60; 3 with --quick)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--queries", type=int, default=1000, help="distinct real queries in the mix (default 1000)")
    parser.add_argument("--sequential", type=int, default=300, help="requests sent one at a time each way (default 300)")
    parser.add_argument("--slice", type=float, default=5.0, help="seconds of each turn of the library/HTTP comparison")
    parser.add_argument("--ingest-articles", type=int, help="articles the concurrent ingest adds (default 300; 20 with --quick)")
    parser.add_argument("--ingest-delay", type=float, help="seconds into the window the ingest starts (default a tenth)")
    parser.add_argument("--work-dir", type=Path, default=DEFAULT_WORK, help=f"cache of built indexes (default {DEFAULT_WORK})")
    parser.add_argument(
        "--real-index",
        type=Path,
        nargs="*",
        default=list(REAL_INDEXES),
        metavar="DIR",
        help="multilingual-e5-small indexes whose articles and embeddings are reused (default the two in benchmarks/.work/)",
    )
    parser.add_argument(
        "--extra-starts", type=int, default=EXTRA_STARTS, help="server starts timed before the measured one (default 2)"
    )
    parser.add_argument("--json-out", type=Path, help="where to write the result (default benchmarks/results/serve-N.json)")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--quick", action="store_true", help="a few seconds on the sample archive (the smoke test)")
    parser.add_argument("--keep", action="store_true", help="keep the served copy of the index")
    args = parser.parse_args(argv)
    check_inputs(parser, args)
    say: Callable[[str], None] = (lambda _: None) if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    result = measure(args, say)
    if args.json_out is None:
        path = write_result("serve-quick" if args.quick else f"serve-{args.articles}", result)
    else:
        path = args.json_out
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=None if args.json else 2))
    say(f"written to {path}")
    load, ratios_ = result["load"], result["ratios"]
    say(
        f"under load: {load['requests_per_s']} requests/s, p50 {load.get('p50_ms')} ms, p95 {load.get('p95_ms')} ms, "
        f"{load['error_count']} errors; startup {result['server']['startup_s']} s; HTTP/library p50 "
        f"{ratios_['sequential_p50_http_vs_library']} one at a time, {ratios_['concurrent_p50_http_vs_library']} concurrent"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
