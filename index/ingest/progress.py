"""How far through its input an ingest is, in bytes, for a progress bar and an ETA.

The total is counted in a background thread (walking a folder of a million files takes a while
and must not delay the first page). The position comes from each item's source string: a WARC
record names its byte offset (``file.warc.gz#1234``), a JSONL record its line (``file.jsonl:12``,
turned into a fraction of the file's lines), any other file counts whole once reached.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path

from index.extract.sources import source_kind

_WARC_OFFSET = re.compile(r"^(.*)#(\d+)$")
_JSONL_LINE = re.compile(r"^(.*):(\d+)$")


class InputProgress:
    def __init__(self, paths: Iterable[Path | str]) -> None:
        self._paths = [Path(p).expanduser() for p in paths]
        self.total_bytes: int | None = None
        self._finished_bytes = 0  # files entirely behind us
        self._current: str | None = None
        self._current_size = 0
        self._current_fraction = 0.0
        self._lines: dict[str, int] = {}
        threading.Thread(target=self._count_total, name="news-search-input-size", daemon=True).start()

    @property
    def read_bytes(self) -> int:
        return self._finished_bytes + int(self._current_size * self._current_fraction)

    def advance(self, source: str | None) -> None:
        """Note that ingest has reached ``source`` (a path, ``path#offset`` or ``path:line``)."""
        if not source:
            return
        path, position, kind = source, 0, "file"
        if match := _WARC_OFFSET.match(source):
            path, position, kind = match.group(1), int(match.group(2)), "warc"
        elif (match := _JSONL_LINE.match(source)) and not os.path.exists(source):
            path, position, kind = match.group(1), int(match.group(2)), "jsonl"
        if path != self._current:
            self._finished_bytes += self._current_size
            self._current = path
            self._current_size = _size(path)
            self._current_fraction = 0.0
        if kind == "warc":
            self._current_fraction = min(1.0, position / self._current_size) if self._current_size else 1.0
        elif kind == "jsonl":
            lines = self._lines.get(path)
            if lines is None:
                lines = self._lines[path] = _count_lines(path)
            self._current_fraction = min(1.0, position / lines) if lines else 1.0
        else:
            self._current_fraction = 1.0

    def finish(self) -> None:
        """Everything has been read (a WARC's last offset is where its last record starts, not ends)."""
        if self.total_bytes is not None:
            self._finished_bytes, self._current_size, self._current = self.total_bytes, 0, None

    def _count_total(self) -> None:
        total = 0
        for path in self._paths:
            if path.is_dir():
                for directory, subdirs, files in os.walk(path):
                    subdirs[:] = [d for d in subdirs if not d.startswith(".")]
                    for name in files:
                        if not name.startswith(".") and source_kind(Path(name)) is not None:
                            total += _size(os.path.join(directory, name))
            else:
                total += _size(str(path))
        self.total_bytes = total


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _count_lines(path: str) -> int:
    """Lines of a (possibly gzipped) JSONL file, read in large blocks: about a second per GB."""
    import gzip

    try:
        opener = gzip.open if path.lower().endswith(".gz") else open
        with opener(path, "rb") as handle:
            return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    except (OSError, EOFError):
        return 0
