"""Reading judged query sets: queries as JSONL and relevance judgments (qrels) as BEIR or TREC write them."""

from __future__ import annotations

import json
from pathlib import Path

from index.errors import NewsSearchError


def load_queries(path: Path) -> dict[str, str]:
    """JSONL queries: ``{"id", "text"}`` (the shared sets) or BEIR's ``{"_id", "text", "metadata"}``."""
    queries: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsSearchError(f"cannot read queries {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            query_id = obj["_id"] if "_id" in obj else obj["id"]
            queries[str(query_id)] = str(obj["text"])
        except (ValueError, KeyError, TypeError) as exc:
            raise NewsSearchError(f"{path}:{number}: expected a JSON object with 'id' (or '_id') and 'text'") from exc
    return queries


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """Judgments: ``query doc relevance`` (tab or space separated, BEIR's header line allowed) or TREC's 4 columns."""
    qrels: dict[str, dict[str, int]] = {}
    header_allowed = True
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NewsSearchError(f"cannot read qrels {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) == 4:  # TREC style: query 0 doc relevance
            parts = [parts[0], parts[2], parts[3]]
        if header_allowed:
            header_allowed = False
            # BEIR's qrels start with "query-id corpus-id score"; judgments never have a non-numeric relevance.
            if len(parts) == 3 and not _is_int(parts[2]):
                continue
        try:
            query_id, doc_id, relevance = parts[0], parts[1], int(parts[2])
        except (IndexError, ValueError) as exc:
            raise NewsSearchError(f"{path}:{number}: expected 'query_id<TAB>doc_id<TAB>relevance'") from exc
        qrels.setdefault(query_id, {})[doc_id] = relevance
    return qrels


def _is_int(value: str) -> bool:
    try:
        int(value)
    except ValueError:
        return False
    return True
