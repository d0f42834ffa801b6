"""Readers that turn the paths a user gives into pages and records, one at a time.

Everything is streamed: a WARC or a JSONL file is read record by record and a folder is walked
lazily, so an archive never has to fit in memory. A bad record becomes a ``Skip`` with a reason
and the walk goes on; only a path that cannot be read at all raises ``SourceError``.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, Literal

from index.article import Skip
from index.errors import SourceError

# Larger "pages" are dumps or attacks, not articles; decompression is bounded by the same figure.
MAX_PAGE_BYTES = 20 * 1024 * 1024

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_WARC_SUFFIXES = (".warc", ".arc")
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_TEXT_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Page:
    """Raw page bytes to be extracted: HTML, or a plain-text clipping."""

    source: str
    content: bytes
    url: str | None = None
    charset: str | None = None
    kind: Literal["html", "text"] = "html"


@dataclass(frozen=True)
class Record:
    """An article that arrives already extracted (a JSONL export line)."""

    source: str
    fields: dict[str, Any] = field(default_factory=dict)


SourceItem = Page | Record | Skip


def iter_sources(paths: Iterable[Path | str]) -> Iterator[SourceItem]:
    """Pages, records and skips from files and folders (walked recursively, in a stable order)."""
    resolved = [Path(p).expanduser() for p in paths]
    for path in resolved:
        if not path.exists():
            raise SourceError(f"cannot read {path}: no such file or folder")
        if not os.access(path, os.R_OK):
            raise SourceError(f"cannot read {path}: permission denied")
    for path in resolved:
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, explicit=False)
        else:
            yield from _read_file(path, explicit=True)


def source_kind(path: Path) -> str | None:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(_HTML_SUFFIXES):
        return "html"
    if name.endswith(_WARC_SUFFIXES):
        return "warc"
    if name.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(_TEXT_SUFFIXES):
        return "text"
    return None


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(directory) / name


def _read_file(path: Path, *, explicit: bool) -> Iterator[SourceItem]:
    kind = source_kind(path)
    source = str(path.resolve())
    if kind is None:
        # Inside a folder, images, stylesheets and the like are simply not pages.
        if explicit:
            yield Skip(source, "unsupported_type", f"no reader for {path.suffix or 'files without extension'}")
        return
    try:
        if kind == "warc":
            yield from _read_warc(path, source)
        elif kind == "jsonl":
            yield from _read_jsonl(path, source)
        else:
            content = _read_bounded(path)
            if content is None:
                yield Skip(source, "too_large", f"more than {MAX_PAGE_BYTES // 2**20} MB")
            else:
                yield Page(source, content, kind="text" if kind == "text" else "html")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Skip(source, "unreadable", f"{type(exc).__name__}: {exc}")


def _open(path: Path) -> BinaryIO:
    if path.name.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # GzipFile is a binary file object
    return open(path, "rb")


def _read_bounded(path: Path) -> bytes | None:
    with _open(path) as handle:
        content = handle.read(MAX_PAGE_BYTES + 1)
    return None if len(content) > MAX_PAGE_BYTES else content


def _read_jsonl(path: Path, source: str) -> Iterator[SourceItem]:
    found = False
    with _open(path) as handle:
        for lineno, raw in enumerate(_bounded_lines(handle), start=1):
            where = f"{source}:{lineno}"
            if raw is None:
                found = True
                yield Skip(where, "too_large", f"line of more than {MAX_PAGE_BYTES // 2**20} MB")
                continue
            if not raw.strip():
                continue
            found = True
            try:
                # A stray invalid byte costs that character, not the line.
                obj = json.loads(raw.decode("utf-8", errors="replace"))
            except ValueError as exc:
                yield Skip(where, "malformed_json", str(exc)[:500])
                continue
            if not isinstance(obj, dict):
                yield Skip(where, "not_an_object", f"line holds a JSON {type(obj).__name__}")
                continue
            if b"\\ud" in raw.lower():
                obj = _without_lone_surrogates(obj)
            html = obj.get("html")
            if isinstance(html, str) and html.strip():
                url = obj.get("url") if isinstance(obj.get("url"), str) else None
                yield Page(where, html.encode("utf-8"), url=url, charset="utf-8")
            else:
                yield Record(where, obj)
    if not found:
        yield Skip(source, "empty", "no JSON lines")


def _bounded_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """Lines of at most MAX_PAGE_BYTES (None stands for a longer one, which is read past, not kept)."""
    while True:
        line = handle.readline(MAX_PAGE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_PAGE_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def _without_lone_surrogates(obj: dict[str, Any]) -> dict[str, Any]:
    """JSON escapes can spell lone surrogates (\\ud800), which no UTF-8 store accepts: replace them."""
    text = json.dumps(obj, ensure_ascii=False)
    try:
        text.encode("utf-8")
        return obj
    except UnicodeEncodeError:
        cleaned: dict[str, Any] = json.loads(text.encode("utf-8", errors="replace").decode("utf-8"))
        return cleaned


def _read_warc(path: Path, source: str) -> Iterator[SourceItem]:
    """Records of a WARC; past a damaged record, reading resumes at the next record header found."""
    from warcio.archiveiterator import ArchiveIterator  # imported here: only WARC ingests need it

    next_start: int | None = 0
    resyncs, found = 0, False
    with open(path, "rb") as handle:
        while next_start is not None and resyncs <= _MAX_RESYNCS:
            start = next_start
            handle.seek(start)
            records = ArchiveIterator(handle)
            records.INC_RECORD = ""  # warcio prints a warning per bad length to stderr; we record a skip instead
            last = start  # offset of the last record read (warcio reports file offsets)
            end = start  # where the last record read ends
            try:
                for record in records:
                    found = True
                    if record.rec_type is None:  # warcio's way of passing on bytes it could not parse
                        last = records.get_record_offset()
                        raise ValueError("data that is not a WARC record")
                    # Requests, metadata, warcinfo are not pages. warcio knows a record's offset only
                    # once its payload has been read or passed over, so the item is made first.
                    item = _warc_item(record) if record.rec_type in ("response", "resource") else None
                    last = records.get_record_offset()
                    end = last + records.get_record_length()
                    if item is not None:
                        yield replace(item, source=f"{source}#{last}")
                # warcio can also stop early without a word (a stray gzip header ends its stream):
                # whatever is left but blank space was not read, so resume past it.
                next_start = None
                if _unread_data_after(handle, end):
                    found = True
                    yield Skip(f"{source}#{end}+", "unreadable", "bytes after the last readable record could not be read")
                    next_start = _next_record_start(handle, max(end, start + 1))
                    resyncs += 1
            except Exception as exc:  # warcio raises assorted types on a damaged file
                found = True
                yield Skip(f"{source}#{last}+", "unreadable", f"damaged WARC record: {type(exc).__name__}: {exc}"[:500])
                next_start = _next_record_start(handle, last + 1)
                resyncs += 1
    if not found:
        yield Skip(source, "empty", "no WARC records")


def _unread_data_after(handle: BinaryIO, end: int) -> bool:
    handle.seek(end)
    return bool(handle.read(4096).strip() or handle.read(1))


# A file that is garbage through and through is given up after this many attempts to resume.
_MAX_RESYNCS = 1000


def _warc_item(record: Any) -> Page | Skip:
    url = record.rec_headers.get_header("WARC-Target-URI")
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    content_type = headers.get_header("Content-Type") or ""
    reason = _warc_skip_reason(status, content_type)
    if reason:
        return Skip("", *reason)
    content = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(content) > MAX_PAGE_BYTES:
        return Skip("", "too_large", f"more than {MAX_PAGE_BYTES // 2**20} MB")
    return Page("", content, url=url, charset=_charset(content_type))


# Where a record may start: a gzip member (record-at-a-time compression) or a WARC header line.
_RECORD_MARKERS = (b"\x1f\x8b\x08", b"WARC/")


def _next_record_start(handle: BinaryIO, position: int) -> int | None:
    """Offset of the next possible record start from ``position``, or None at the end of the file.

    Not only at line starts: garbage before a record need not end with a newline. A false start
    (the marker inside a payload) costs one more failed parse and one more resume.
    """
    chunk_size = 1 << 20
    while True:
        handle.seek(position)
        chunk = handle.read(chunk_size + 4)
        if len(chunk) < 3:
            return None
        found = [at for at in (chunk.find(marker) for marker in _RECORD_MARKERS) if 0 <= at <= chunk_size]
        if found:
            return position + min(found)
        position += chunk_size


def _warc_skip_reason(status: str | None, content_type: str) -> tuple[str, str] | None:
    if status and not status.startswith("2"):
        return ("http_error", f"HTTP status {status}")
    if content_type and "html" not in content_type.lower():
        return ("not_html", content_type.split(";")[0].strip())
    return None


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
