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

    @property
    def duplicates(self) -> int:
        return self.skipped.get("duplicate", 0)

    @property
    def eta_seconds(self) -> float | None:
        if not self.input_bytes or not self.read_bytes or not self.seconds:
            return None
        return max(0.0, self.seconds * (self.input_bytes - self.read_bytes) / self.read_bytes)

    def to_dict(self) -> dict[str, Any]:
        return {
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


ProgressCallback = Callable[[IngestReport], None]


@contextmanager
def timed(report: IngestReport, stage: str) -> Iterator[None]:
    """Add the time the block takes to ``report.stages[stage]``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        report.stages[stage] += time.perf_counter() - started
