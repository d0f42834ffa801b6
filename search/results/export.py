"""Exports: a whole result set as CSV or JSON Lines rows with the fields asked for.

``NewsSearch.export`` ranks the set once and keeps only article ids; the rows are read in chunks
afterwards (``ExportSet.rows``), so a large export streams without holding every text in memory.
An article removed between ranking and reading is left out of the rows (and counted in
``missing``), never invented.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from index.article import Article

ExportFormat = Literal["csv", "jsonl"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
# Every field an export row can carry; ``text`` is the full article text.
FIELDS: tuple[str, ...] = (
    "rank", "id", "score", "title", "url", "published", "site", "author", "lang", "source", "indexed_at", "text",
)  # fmt: skip
DEFAULT_FIELDS: tuple[str, ...] = ("rank", "id", "title", "site", "published", "author", "lang", "url", "score")
# One request exports at most this many rows; a larger set says so and where the next part starts.
MAX_EXPORT_ROWS = 10_000
CHUNK = 500


def check_fields(fields: Sequence[str] | None) -> tuple[str, ...]:
    """The fields asked for (default ``DEFAULT_FIELDS``), in the order given, each known and once."""
    if not fields:
        return DEFAULT_FIELDS
    chosen = [name.strip() for field in fields for name in field.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in FIELDS]
    if unknown:
        raise ValueError(f"unknown export field {unknown[0]!r}: use any of {', '.join(FIELDS)}")
    return tuple(dict.fromkeys(chosen))


@dataclass(frozen=True)
class Entry:
    rank: int
    id: str
    score: float


@dataclass
class ExportSet:
    """A ranked result set, or the part of it one request exports: ``entries`` from ``offset``.

    ``total`` is the size of the whole set; ``truncated`` says whether rows remain after this
    part (``next_offset`` is where the next part starts).
    """

    query: str
    mode: str
    filter: str
    total: int
    offset: int
    entries: list[Entry]
    fields: tuple[str, ...]

    @property
    def truncated(self) -> bool:
        return self.offset + len(self.entries) < self.total

    @property
    def next_offset(self) -> int | None:
        return self.offset + len(self.entries) if self.truncated else None

    def chunks(self) -> Iterator[list[Entry]]:
        """The entries ``CHUNK`` at a time: what one read of the articles covers."""
        for start in range(0, len(self.entries), CHUNK):
            yield self.entries[start : start + CHUNK]

    def rows(self, read: Callable[[Sequence[str]], Mapping[str, Article]]) -> Iterator[dict[str, Any]]:
        """The rows, reading the articles a chunk at a time with ``read(ids) -> {id: Article}``."""
        for chunk in self.chunks():
            yield from rows_of(chunk, read([entry.id for entry in chunk]), self.fields)

    def encoded(self, read: Callable[[Sequence[str]], Mapping[str, Article]], format: ExportFormat) -> Iterator[str]:
        """The whole export as text, a chunk at a time (the header first)."""
        yield header(self.fields, format)
        for chunk in self.chunks():
            yield encode_rows(rows_of(chunk, read([entry.id for entry in chunk]), self.fields), self.fields, format)


def rows_of(chunk: Sequence[Entry], articles: Mapping[str, Article], fields: Sequence[str]) -> Iterator[dict[str, Any]]:
    """The rows of the entries whose articles are still stored, with ``fields``."""
    for entry in chunk:
        article = articles.get(entry.id)
        if article is not None:
            values: dict[str, Any] = {"rank": entry.rank, "score": round(entry.score, 6), **article.to_dict()}
            yield {name: values.get(name) for name in fields}


def header(fields: Sequence[str], format: ExportFormat) -> str:
    """What comes before the rows: the CSV header line, nothing for JSON Lines."""
    return _csv_text([dict(zip(fields, fields, strict=True))], fields) if format == "csv" else ""


def encode_rows(rows: Iterable[Mapping[str, Any]], fields: Sequence[str], format: ExportFormat) -> str:
    """Rows as text: CSV lines (RFC 4180 quoting), or one JSON object a line."""
    if format == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return _csv_text(({name: _csv_value(value) for name, value in row.items()} for row in rows), fields)


def _csv_text(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([row.get(name, "") for name in fields] for row in rows)
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    # Spreadsheets run cells that start with = + - @ as formulas; the text comes from untrusted pages.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
