"""Where a stored article was read from, for the article view: ``Article.source`` is a file path,
``FILE.warc.gz#OFFSET`` (a WARC record, by its byte offset), ``FILE.jsonl:LINE`` (a line of an
export) or ``python:N`` (the Nth article given to ``Indexer.add_articles``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WARC = re.compile(r"^(?P<file>.+\.(?:warc|arc)(?:\.gz)?)#(?P<offset>\d+)$", re.IGNORECASE)
_LINE = re.compile(r"^(?P<file>.+\.jsonl(?:\.gz)?):(?P<line>\d+)$", re.IGNORECASE)
_PYTHON = re.compile(r"^python:(?P<number>\d+)$")


@dataclass(frozen=True)
class Provenance:
    kind: str  # "WARC record", "JSONL line", "file", "library call", "unknown"
    file: str | None
    position: str | None  # "byte offset 1234", "line 7", "article 3"


def provenance_of(source: str | None) -> Provenance:
    if not source:
        return Provenance("unknown", None, None)
    if match := _WARC.match(source):
        return Provenance("WARC record", match["file"], f"record at byte offset {match['offset']}")
    if match := _LINE.match(source):
        return Provenance("JSONL line", match["file"], f"line {match['line']}")
    if match := _PYTHON.match(source):
        return Provenance("library call", None, f"article {match['number']} given to Indexer.add_articles")
    return Provenance("file", source, None)
