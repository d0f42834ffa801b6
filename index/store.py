"""The SQLite document store: the source of truth from which both indexes are derived.

Row ids (``articles.rowid``) are the keys of both derived indexes: the whoosh ``rowid`` field and
the faiss ids. Every change to an article is journalled in ``pending`` inside the same transaction
that changes it; the derived indexes are brought up to date from that journal, and a journal
entry is only cleared once both indexes have committed it. So a crash at any point loses nothing:
the next writer replays what is left.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from index.article import Article
from index.errors import IndexFormatError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    url TEXT,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    author TEXT,
    site TEXT,
    lang TEXT,
    source TEXT,
    indexed_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    text_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_text_hash ON articles(text_hash);
CREATE TABLE IF NOT EXISTS embeddings (
    rowid INTEGER PRIMARY KEY,
    vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    rowid INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete'))
);
CREATE TABLE IF NOT EXISTS seen_pages (
    source TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS skips (
    source TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL
);
"""

_ARTICLE_COLUMNS = "rowid, id, url, title, text, published, author, site, lang, source, indexed_at"


@dataclass(frozen=True)
class PendingOp:
    seq: int
    rowid: int
    op: str


@dataclass(frozen=True)
class Skip:
    """A page that was not indexed, and why."""

    source: str
    reason: str
    detail: str = ""


class ArticleStore:
    """Thin typed wrapper over the SQLite file. One instance per process; not shared across threads."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        try:
            if readonly:
                self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            else:
                self._db = sqlite3.connect(path, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
                self._db.executescript(_SCHEMA)
            self._db.execute("PRAGMA busy_timeout=10000")
        except sqlite3.DatabaseError as exc:
            raise IndexFormatError(f"cannot open the article store {path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    # -- transactions ------------------------------------------------------------------------

    def begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    # -- reads -------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def lookup_hashes(self, article_id: str) -> tuple[int, str] | None:
        row = self._db.execute("SELECT rowid, content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def find_by_text_hash(self, text_hash: str) -> str | None:
        row = self._db.execute("SELECT id FROM articles WHERE text_hash = ? LIMIT 1", (text_hash,)).fetchone()
        return str(row[0]) if row else None

    def rowid_for(self, article_id: str) -> int | None:
        row = self._db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else None

    def get(self, article_id: str) -> Article | None:
        row = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _row_to_article(row)[1] if row else None

    def get_by_url(self, url: str) -> Article | None:
        row = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE url = ?", (url,)).fetchone()
        return _row_to_article(row)[1] if row else None

    def get_many(self, rowids: Sequence[int]) -> dict[int, Article]:
        """Articles by row id; ids that no longer exist are simply absent."""
        rows = self._select_by_rowids(f"SELECT {_ARTICLE_COLUMNS} FROM articles", rowids)
        return dict(_row_to_article(row) for row in rows)

    def iter_articles(self, rowids: Iterable[int] | None = None) -> Iterator[tuple[int, Article]]:
        if rowids is None:
            for row in self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY rowid"):
                yield _row_to_article(row)
            return
        wanted = list(rowids)
        by_rowid = self.get_many(wanted)
        for rowid in wanted:
            if rowid in by_rowid:
                yield rowid, by_rowid[rowid]

    def vectors(self, rowids: Sequence[int], dim: int) -> dict[int, np.ndarray]:
        rows = self._select_by_rowids("SELECT rowid, vector FROM embeddings", rowids)
        return {int(rowid): np.frombuffer(blob, dtype=np.float32, count=dim) for rowid, blob in rows}

    def ids_for_rowids(self, rowids: set[int]) -> dict[int, str]:
        rows = self._select_by_rowids("SELECT rowid, id FROM articles", sorted(rowids))
        return {int(rowid): str(article_id) for rowid, article_id in rows}

    def _select_by_rowids(self, select: str, rowids: Sequence[int]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``select ... WHERE rowid IN (...)``, in chunks below SQLite's parameter limit."""
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(f"{select} WHERE rowid IN ({marks})", chunk)

    def all_rowids(self) -> list[int]:
        return [int(r[0]) for r in self._db.execute("SELECT rowid FROM articles ORDER BY rowid")]

    def pending(self) -> list[PendingOp]:
        rows = self._db.execute("SELECT seq, rowid, op FROM pending ORDER BY seq")
        return [PendingOp(int(s), int(r), str(o)) for s, r, o in rows]

    def skip_counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT reason, count(*) FROM skips GROUP BY reason ORDER BY 2 DESC")
        return {str(reason): int(n) for reason, n in rows}

    def skips(self) -> list[Skip]:
        rows = self._db.execute("SELECT source, reason, coalesce(detail, '') FROM skips ORDER BY source")
        return [Skip(str(s), str(r), str(d)) for s, r, d in rows]

    def languages(self) -> dict[str, int]:
        rows = self._db.execute("SELECT coalesce(lang, '?'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC")
        return {str(lang): int(n) for lang, n in rows}

    # -- writes (call inside begin/commit) ---------------------------------------------------

    def upsert(self, article: Article, vector: np.ndarray) -> int:
        """Insert or replace an article (same id keeps its row id) and journal the change."""
        indexed_at = article.indexed_at or datetime.now(UTC).replace(microsecond=0).isoformat()
        values = (
            article.url,
            article.title,
            article.text,
            article.published,
            article.author,
            article.site,
            article.lang,
            article.source,
            indexed_at,
            article.content_hash,
            article.text_hash,
        )
        existing = self.rowid_for(article.id)
        if existing is None:
            cursor = self._db.execute(
                "INSERT INTO articles (url, title, text, published, author, site, lang, source, indexed_at,"
                " content_hash, text_hash, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*values, article.id),
            )
            rowid = int(cursor.lastrowid or 0)
        else:
            rowid = existing
            self._db.execute(
                "UPDATE articles SET url=?, title=?, text=?, published=?, author=?, site=?, lang=?, source=?,"
                " indexed_at=?, content_hash=?, text_hash=? WHERE rowid=?",
                (*values, rowid),
            )
        blob = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
        self._db.execute("INSERT OR REPLACE INTO embeddings (rowid, vector) VALUES (?, ?)", (rowid, blob))
        self._db.execute("INSERT INTO pending (rowid, op) VALUES (?, 'upsert')", (rowid,))
        self._db.execute("DELETE FROM skips WHERE source = ?", (article.source,))
        return rowid

    def delete(self, article_id: str) -> int | None:
        rowid = self.rowid_for(article_id)
        if rowid is None:
            return None
        self._db.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))
        self._db.execute("DELETE FROM embeddings WHERE rowid = ?", (rowid,))
        self._db.execute("INSERT INTO pending (rowid, op) VALUES (?, 'delete')", (rowid,))
        return rowid

    def journal_all(self) -> None:
        """Queue every stored article for re-indexing (used by a rebuild)."""
        self._db.execute("INSERT INTO pending (rowid, op) SELECT rowid, 'upsert' FROM articles ORDER BY rowid")

    def record_skip(self, skip: Skip) -> None:
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        self._db.execute(
            "INSERT OR REPLACE INTO skips (source, reason, detail, at) VALUES (?, ?, ?, ?)",
            (skip.source, skip.reason, skip.detail[:500], now),
        )

    def seen_outcome(self, source: str, fingerprint: str) -> str | None:
        """What the same bytes from the same source gave last time: an article id, or "skip:<reason>"."""
        row = self._db.execute(
            "SELECT outcome FROM seen_pages WHERE source = ? AND fingerprint = ?", (source, fingerprint)
        ).fetchone()
        return str(row[0]) if row else None

    def mark_seen(self, source: str, fingerprint: str, outcome: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO seen_pages (source, fingerprint, outcome) VALUES (?, ?, ?)", (source, fingerprint, outcome)
        )

    def clear_pending(self, up_to_seq: int) -> None:
        self._db.execute("DELETE FROM pending WHERE seq <= ?", (up_to_seq,))


def _row_to_article(row: tuple[object, ...]) -> tuple[int, Article]:
    rowid, article_id, url, title, text, published, author, site, lang, source, indexed_at = row
    article = Article(
        id=str(article_id),
        url=_opt(url),
        title=str(title),
        text=str(text),
        published=_opt(published),
        author=_opt(author),
        site=_opt(site),
        lang=_opt(lang),
        source=_opt(source),
        indexed_at=_opt(indexed_at),
    )
    return int(str(rowid)), article


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
