"""What one ingest did (``IngestReport``): counts by outcome, skip and note reasons, time per stage.

The Indexer fills it in as pages go by and hands it to progress callbacks; the CLI renders it and
``--json`` prints ``to_dict``. Kept apart so that readers of a report need not import ingest itself.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

STAGES = ("read", "extract", "classify", "wait_for_embedder", "embed", "commit", "sync")


@dataclass
class NodeThroughput:
    """What one node of a Ray cluster did in an ingest (``news-search index --ray``): pages it
    extracted and articles it embedded, with the seconds its tasks and its actor were busy."""

    node: str
    pages: int = 0
    articles: int = 0
    extract_seconds: float = 0.0
    embed_seconds: float = 0.0
    device: str = "cpu"

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "pages": self.pages,
            "articles": self.articles,
            "extract_seconds": round(self.extract_seconds, 3),
            "embed_seconds": round(self.embed_seconds, 3),
            "pages_per_s": round(self.pages / self.extract_seconds, 2) if self.extract_seconds else None,
            "docs_per_s": round(self.articles / self.embed_seconds, 2) if self.embed_seconds else None,
            "device": self.device,
        }


@dataclass
class IngestReport:
    """What one ingest did. ``skipped`` counts pages not indexed, by reason."""

    pages: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # Pages kept with a note, by kind ("bad_date": a date field that is no date), as extracted this run.
    notes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    embedded: int = 0
    near_duplicates: int = 0  # articles stored and grouped with an earlier, near-identical one
    # Seconds per stage. "extract" sums the workers' time (they run side by side, so it can exceed
    # the wall time); "embed" is the encoder's own time; "wait_for_embedder" is the reader held back.
    stages: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    peak_worker_rss_mb: float = 0.0  # largest extraction worker
    input_bytes: int | None = None  # total size of the input files, once counted
    read_bytes: int = 0
    # On a Ray cluster: the cluster (address, nodes, cpus, gpus), pages shipped to it, work by node.
    cluster: dict[str, Any] | None = None
    shipped: int = 0  # pages (bytes to extract) sent to the cluster
    shipped_records: int = 0  # JSONL records and the like: no page fingerprint, compared by content as locally
    nodes: dict[str, NodeThroughput] = field(default_factory=dict)

    @property
    def duplicates(self) -> int:
        return self.skipped.get("duplicate", 0)

    @property
    def eta_seconds(self) -> float | None:
        if not self.input_bytes or not self.read_bytes or not self.seconds:
            return None
        return max(0.0, self.seconds * (self.input_bytes - self.read_bytes) / self.read_bytes)

    def to_dict(self) -> dict[str, Any]:
        summary = {
            "pages": self.pages,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "skipped": dict(self.skipped),
            "notes": dict(self.notes),
            "seconds": round(self.seconds, 3),
            "stages": {stage: round(seconds, 3) for stage, seconds in self.stages.items()},
        }
        if self.cluster is not None:
            summary["ray"] = {
                **self.cluster,
                "shipped_pages": self.shipped,
                "shipped_records": self.shipped_records,
                "nodes": [self.nodes[name].to_dict() for name in sorted(self.nodes)],
            }
        return summary


ProgressCallback = Callable[[IngestReport], None]


@contextmanager
def timed(report: IngestReport, stage: str) -> Iterator[None]:
    """Add the time the block takes to ``report.stages[stage]``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        report.stages[stage] += time.perf_counter() - started
