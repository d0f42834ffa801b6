"""The two parallel stages of ingest on a Ray cluster, as drop-ins for the local ones.

``RayExtraction`` stands for ``workers.ExtractionPool`` (pages in, ``Extracted`` out, in source
order) and ``RayEmbedding`` for ``embedding.EmbeddingStage`` (batches in, matrices out, in
submission order), so ``Indexer._ingest`` runs unchanged around them: the driver reads the pages,
drops those whose fingerprint is on record before anything is shipped, classifies, groups, commits
and syncs exactly as in a local ingest. Only what is parallel leaves the machine.

Order is kept by holding the object refs in a queue and taking them oldest first; a bounded window
of refs in flight keeps every node busy and the driver's memory flat. Tasks are retried by Ray
when a node dies (``max_retries``) and a lost actor's batches are sent to the other actors, so a
lost worker node costs time, not pages; a task that keeps failing on its own pages (a page that crashes the parser) is
redone one page at a time, and the page that still fails becomes a skip, as locally. A node that
joins mid-run is found within ``NODE_CHECK_S``: it gets an encoder actor, and the window of
extraction tasks grows with the cluster's CPUs.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np

from index.article import Article, Skip
from index.errors import NewsSearchError
from index.extract.sources import Page
from index.ingest.ray.cluster import Cluster, connect, first_line
from index.ingest.ray.remote import Done, EmbedActor, extract_on_node
from index.ingest.report import IngestReport, NodeThroughput
from index.ingest.workers import (
    CHUNK_ITEMS,
    MAX_INFLIGHT_BYTES,
    RECYCLE_PAGES,
    Chunk,
    Extracted,
    _item_bytes,
    _item_source,
    extract_item,
)

T = TypeVar("T")

# Chunks in flight per cluster CPU: enough that a node never waits for the driver's next chunk.
CHUNKS_PER_CPU = 3
# Batches in flight per embedding actor: one computing, one waiting in its queue.
BATCHES_PER_ACTOR = 2
# Retries of a task whose worker or node died: a node lost mid-run is survived, a poison page is not retried forever.
TASK_RETRIES = 3
# How often the stages look for nodes that joined since the ingest started (seconds): a new node
# gets an encoder actor, and the window of extraction tasks grows with the cluster's CPUs.
NODE_CHECK_S = 5.0
# Actors a batch may lose before the ingest gives up: nodes do die, an encoder failing to load
# on every node is an error to report.
MAX_ACTOR_LOSSES = 4


@dataclass
class ClusterStats:
    """Per-node work, filled in as results come back, and the pages shipped to the cluster."""

    report: IngestReport
    nodes: dict[str, NodeThroughput] = field(default_factory=dict)

    def node(self, done: Done) -> NodeThroughput:
        if done.node not in self.nodes:
            self.nodes[done.node] = self.report.nodes[done.node] = NodeThroughput(done.node)
        return self.nodes[done.node]


class RayExtraction:
    """Ordered extraction in Ray tasks, within a bounded window of chunks and bytes."""

    def __init__(self, cluster: Cluster, stats: ClusterStats) -> None:
        self._ray = cluster.ray
        self._stats = stats
        self._window = max(2, int(cluster.cpus * CHUNKS_PER_CPU))
        # A Ray worker process is reused for task after task; like a local worker it is replaced once
        # trafilatura's and lxml's caches have grown (max_calls), and retried when its node dies.
        self._task = self._ray.remote(num_cpus=1, max_retries=TASK_RETRIES, max_calls=max(1, RECYCLE_PAGES // CHUNK_ITEMS))(
            extract_on_node
        )
        self._pending: deque[tuple[Any, Chunk, int]] = deque()  # (ref or None: done here, chunk, bytes)
        self.peak_worker_rss_kb = 0
        self._cluster = cluster
        self._checked = time.monotonic()

    def __enter__(self) -> RayExtraction:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for ref, _chunk, _size in self._pending:
            if ref is not None:
                self._ray.cancel(ref, force=True)
        self._pending.clear()

    def map(self, work: Iterable[tuple[Any, str | None]]) -> Iterator[Extracted]:
        items = iter(work)
        inflight = 0
        exhausted = False
        while True:
            if time.monotonic() - self._checked >= NODE_CHECK_S:  # a node joined: more tasks in flight
                self._checked = time.monotonic()
                self._window = max(2, int(self._cluster.alive()[1] * CHUNKS_PER_CPU))
            while not exhausted and len(self._pending) < self._window and inflight < MAX_INFLIGHT_BYTES:
                chunk, size, local = _next_chunk(items)
                if chunk:
                    self._stats.report.shipped += sum(isinstance(item, Page) for item, _ in chunk)
                    self._stats.report.shipped_records += sum(not isinstance(item, Page) for item, _ in chunk)
                    self._pending.append((self._task.remote(chunk), chunk, size))
                    inflight += size
                if local is not None:  # a reader's skip or a ready article: nothing to ship
                    self._pending.append((None, [local], 0))
                exhausted = not chunk and local is None
            if not self._pending:
                return
            ref, chunk, size = self._pending.popleft()
            inflight -= size
            if ref is None:
                yield extract_item(*chunk[0])
            else:
                yield from self._results(ref, chunk)

    def _results(self, ref: Any, chunk: Chunk) -> Iterator[Extracted]:
        try:
            results, rss_kb, done = self._ray.get(ref)
        except self._ray.exceptions.RayError:  # retried and still failing: find the page that kills it
            yield from self._one_by_one(chunk)
            return
        self._count(done, len(results), rss_kb)
        yield from results

    def _one_by_one(self, chunk: Chunk) -> Iterator[Extracted]:
        single = self._task.options(max_retries=1)
        for item, fingerprint in chunk:
            try:
                results, rss_kb, done = self._ray.get(single.remote([(item, fingerprint)]))
            except self._ray.exceptions.RayError as exc:
                source = _item_source(item)
                skip = Skip(source, "extraction_crashed", f"the extraction task failed: {type(exc).__name__}")
                yield Extracted(skip, None, source, None, 0.0)
                continue
            self._count(done, len(results), rss_kb)
            yield from results

    def _count(self, done: Done, pages: int, rss_kb: int) -> None:
        node = self._stats.node(done)
        node.pages += pages
        node.extract_seconds += done.seconds
        self.peak_worker_rss_kb = max(self.peak_worker_rss_kb, rss_kb)


def _next_chunk(items: Iterator[tuple[Any, str | None]]) -> tuple[Chunk, int, tuple[Any, str | None] | None]:
    """Pages and records to ship together, and the item that ended the chunk if it needs no work."""
    chunk: Chunk = []
    size = 0
    for pair in items:
        if isinstance(pair[0], Skip | Article):
            return chunk, size, pair
        chunk.append(pair)
        size += _item_bytes(pair[0])
        if len(chunk) >= CHUNK_ITEMS or size >= MAX_INFLIGHT_BYTES // 4:
            break
    return chunk, size, None


class RayEmbedding(Generic[T]):
    """Batches embedded by a pool of actors, one per node; results in submission order.

    The same interface as ``EmbeddingStage``. The actors are started on the first batch, so an
    ingest with nothing new to embed (a re-run) loads no model anywhere.
    """

    def __init__(self, cluster: Cluster, model: str, stats: ClusterStats) -> None:
        self._cluster = cluster
        self._ray = cluster.ray
        self._model = model
        self._stats = stats
        self._actors: list[Any] = []
        self._actor_nodes: list[str | None] = []  # the node each actor is pinned to (None: anywhere)
        self._checked = time.monotonic()
        self._lost: set[int] = set()  # actors whose node died
        self._next_actor = 0
        self._pending: deque[tuple[T, Any, list[str], int]] = deque()  # (unit, ref, texts, actor), oldest first
        self._done: deque[tuple[T, np.ndarray | None]] = deque()  # taken early to bound the window
        self.seconds = 0.0
        self.texts = 0

    def _start_actors(self) -> None:
        # One actor per node, pinned there: a soft affinity lets Ray put two on one node when the
        # other is briefly short of worker processes, which leaves a node without an encoder. No CPU
        # reserved: an actor holding a node's only CPU would starve extraction there; the encoder
        # shares the node's cores. On a node with a GPU the actor asks for one: Ray then makes it
        # visible to onnxruntime's CUDA provider.
        for node_id, gpus in zip(self._cluster.node_ids, self._cluster.node_gpus, strict=True):
            self._start_actor_on(node_id, gpus)
        self._checked = time.monotonic()

    def _start_actor_on(self, node_id: str, gpus: float) -> None:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        strategy = NodeAffinitySchedulingStrategy(node_id, soft=False)
        self._actors.append(self._actor(num_gpus=1 if gpus >= 1 else 0, scheduling_strategy=strategy))
        self._actor_nodes.append(node_id)

    def _join_new_nodes(self) -> None:
        """An actor on each node that joined since the last look (every ``NODE_CHECK_S``)."""
        if time.monotonic() - self._checked < NODE_CHECK_S:
            return
        self._checked = time.monotonic()
        served = set(self._actor_nodes)
        for node_id, gpus in self._cluster.alive()[0]:
            if node_id not in served:
                self._start_actor_on(node_id, gpus)

    def _actor(self, **options: Any) -> Any:
        # Not restarted by Ray (its node is gone): the batches it held go to the other actors instead.
        return self._ray.remote(num_cpus=0, max_restarts=0, max_task_retries=0)(EmbedActor).options(**options).remote(self._model)

    @property
    def idle(self) -> bool:
        """An actor has nothing to do: a batch submitted now starts at once."""
        return len(self._pending) < max(1, len(self._actors) - len(self._lost) or self._cluster.nodes)

    def submit(self, unit: T, texts: list[str]) -> None:
        if not self._actors:
            self._start_actors()
        else:
            self._join_new_nodes()
        while len(self._pending) >= max(1, len(self._actors) - len(self._lost)) * BATCHES_PER_ACTOR:
            self._done.append(self._take())
        slot = self._pick()
        ref = self._actors[slot].encode.remote(texts) if texts else None
        self._pending.append((unit, ref, texts, slot))

    def _pick(self) -> int:
        """The live actor with the fewest batches waiting: a node busy with other work (the head,
        beside the driver) or slower (CPU against GPU) gets fewer; in turn among equals."""
        live = [slot for slot in range(len(self._actors)) if slot not in self._lost]
        if not live:  # every node it started on is gone: one actor wherever Ray can place it
            self._actors.append(self._actor())
            self._actor_nodes.append(None)
            live = [len(self._actors) - 1]
        busy = Counter(slot for _unit, _ref, _texts, slot in self._pending)
        slot = min(live, key=lambda s: (busy[s], (s - self._next_actor) % len(self._actors)))
        self._next_actor = slot + 1
        return slot

    def ready(self) -> Iterator[tuple[T, np.ndarray | None]]:
        """Batches already embedded, in order, without waiting."""
        while self._done:
            yield self._done.popleft()
        while self._pending and self._is_ready(self._pending[0][1]):
            yield self._take()

    def finish(self) -> Iterator[tuple[T, np.ndarray | None]]:
        """Every remaining batch, in order, waiting for the actors."""
        yield from self.ready()
        while self._pending:
            yield self._take()

    def _is_ready(self, ref: Any) -> bool:
        return ref is None or bool(self._ray.wait([ref], timeout=0)[0])

    def _take(self) -> tuple[T, np.ndarray | None]:
        unit, ref, texts, slot = self._pending.popleft()
        if ref is None:
            return unit, None
        waited = time.perf_counter()
        lost = (self._ray.exceptions.RayActorError, self._ray.exceptions.ActorUnschedulableError)
        for attempt in range(MAX_ACTOR_LOSSES + 1):
            try:
                matrix, done = self._ray.get(ref)
                break
            except lost as exc:  # its node died: the same texts to a live actor
                if attempt == MAX_ACTOR_LOSSES:  # not a lost node but an encoder that cannot start
                    raise NewsSearchError(f"embedding on the Ray cluster failed: {first_line(exc)}") from exc
                self._lost.add(slot)
                slot = self._pick()
                ref = self._actors[slot].encode.remote(texts)
        stages = self._stats.report.stages
        stages["wait_for_cluster"] = stages.get("wait_for_cluster", 0.0) + time.perf_counter() - waited
        node = self._stats.node(done)
        node.articles += len(texts)
        node.embed_seconds += done.seconds
        node.device = done.device
        self.seconds += done.seconds
        self.texts += len(texts)
        return unit, np.array(matrix, dtype=np.float32)  # a writable copy of the object store's read-only array

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors, self._actor_nodes = [], []
        self._pending.clear()
        self._done.clear()


def ray_stages(address: str, model: str, report: IngestReport) -> tuple[RayExtraction, RayEmbedding[Any]]:
    """Connect to the cluster and make both stages; per-node figures go into ``report.nodes``."""
    cluster = connect(address)
    report.cluster = {"address": address, "nodes_at_start": cluster.nodes, "cpus": cluster.cpus, "gpus": cluster.gpus}
    stats = ClusterStats(report)
    return RayExtraction(cluster, stats), RayEmbedding(cluster, model, stats)
