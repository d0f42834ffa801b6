"""An extraction worker: pickled chunks of pages in on stdin, pickled results out on stdout.

``index.ingest.workers.ExtractionPool`` starts these as ``python -m index.ingest.worker``. A plain
subprocess rather than ``multiprocessing``: nothing of the parent's ``__main__`` is imported again
(a user's script without a main guard would otherwise run once more in every worker), and when the
parent dies, even by SIGKILL, the worker reads end-of-file on stdin and exits: no orphans.

Frame: 8 bytes little-endian length, then that many bytes of pickle.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Sequence
from typing import IO, Any

HEADER_BYTES = 8
CRASH_MARKER_ENV = "NEWS_SEARCH_FAULT_CRASH_ON"


def write_frame(stream: IO[bytes], payload: bytes) -> None:
    stream.write(len(payload).to_bytes(HEADER_BYTES, "little"))
    stream.write(payload)
    stream.flush()


def read_frame(stream: IO[bytes]) -> bytes | None:
    """The next frame, or None at end of stream (or if it ends mid-frame: the writer died)."""
    header = stream.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES:
        return None
    size = int.from_bytes(header, "little")
    payload = stream.read(size)
    return payload if len(payload) == size else None


def injected_crash(chunk: Sequence[tuple[Any, str | None]]) -> bool:
    """Fault injection for the tests: whether ``chunk`` holds a page with the marker that
    ``CRASH_MARKER_ENV`` names (the extraction process or task then dies like a crashing parser)."""
    marker = os.environ.get(CRASH_MARKER_ENV, "").encode()
    return bool(marker) and any(marker in getattr(item, "content", b"") for item, _ in chunk)


def main() -> None:
    # Ctrl-C reaches the whole process group: the parent decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Below the embedder in priority: extraction fills the cores' idle moments first.
    with contextlib.suppress(OSError):
        os.nice(5)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stdout carries the protocol: whatever a library prints goes elsewhere

    from index.ingest.workers import extract_chunk

    while (payload := read_frame(requests)) is not None:
        chunk = pickle.loads(payload)
        if injected_crash(chunk):
            os._exit(70)  # as a crashing parser dies
        write_frame(replies, pickle.dumps(extract_chunk(chunk), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
