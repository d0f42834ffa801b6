"""The ingest progress bar on a terminal: bytes of input read, pages, articles added, rate, ETA."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from index.ingest.indexer import IngestReport


class IngestProgressBar:
    """A callback for ``Indexer.add(progress=...)`` drawing one rich progress line on stderr."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        # Fits an 80-column terminal: counts, a short bar, the share of input bytes read, the ETA.
        self._progress: Progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=12),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: TaskID = self._progress.add_task("starting", total=None)

    def __enter__(self) -> IngestProgressBar:
        self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.stop()

    def __call__(self, report: IngestReport) -> None:
        rate = report.pages / report.seconds if report.seconds else 0.0
        skipped = sum(report.skipped.values())
        changed = f"{report.added:,} added" + (f" · {report.updated:,} updated" if report.updated else "")
        description = f"{report.pages:,} pages · {changed} · {skipped:,} skipped · {rate:,.1f}/s"
        self._progress.update(self._task, description=description, total=report.input_bytes, completed=report.read_bytes)
