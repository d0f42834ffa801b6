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

from index.article import Article, Note
from index.backends.local.layout import IndexLayout
from index.errors import IndexFormatError
from index.extract.neardup import Signature

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
CREATE TABLE IF NOT EXISTS minhash (
    rowid INTEGER PRIMARY KEY,
    shingles INTEGER NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS lsh (
    band_key INTEGER NOT NULL,
    rowid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lsh_band_key ON lsh(band_key);
CREATE TABLE IF NOT EXISTS skips (
    source TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (source, kind)
);
"""

# Search filters (issue 6): the date range uses the index; site, author and language narrow what it leaves.
_FILTER_INDEXES = """
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS articles_site ON articles(site);
CREATE INDEX IF NOT EXISTS articles_lang ON articles(lang);
CREATE INDEX IF NOT EXISTS articles_author ON articles(author);
"""

_ARTICLE_COLUMNS = "rowid, id, url, title, text, published, author, site, lang, source, indexed_at"


@dataclass(frozen=True)
class PendingOp:
    seq: int
    rowid: int
    op: str


@dataclass(frozen=True)
class StoreRecipe:
    """How the stored articles were embedded and analysed, kept in the store's ``meta`` table.

    The manifest says the same, but the manifest can be lost or damaged; the store is the source
    of truth, so it carries what is needed to write a correct manifest again (issue 12).
    """

    model: str
    dim: int
    embedded_text: str
    analysis: str


_RECIPE_KEYS = ("model", "dim", "embedded_text", "analysis")


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
        if readonly and not path.exists():
            # sqlite's own words ("unable to open database file") do not say what is lost or what to do.
            raise IndexFormatError(missing_store_message(path))
        try:
            if readonly:
                self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            else:
                self._db = sqlite3.connect(path, isolation_level=None)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
                self._db.executescript(_SCHEMA)
                self._migrate()
                self._db.executescript(_FILTER_INDEXES)  # search filters (issue 6)
            self._db.execute("PRAGMA busy_timeout=10000")
            columns = {str(row[1]) for row in self._db.execute("PRAGMA table_info(articles)")}
        except sqlite3.DatabaseError as exc:
            raise IndexFormatError(damaged_store_message(path, exc)) from exc
        # A store written before near-duplicate groups existed, opened read-only: every article is its own group.
        self.has_groups = "dup_group" in columns

    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        """Columns added after the first release; an older store gains them in place."""
        columns = {str(row[1]) for row in self._db.execute("PRAGMA table_info(articles)")}
        if "dup_group" not in columns:
            # The id of the first-stored article of its near-duplicate group (its own id if alone).
            self._db.execute("ALTER TABLE articles ADD COLUMN dup_group TEXT")
        self._db.execute("CREATE INDEX IF NOT EXISTS articles_dup_group ON articles(dup_group)")
        # The copies alone (few, even in a syndicated archive): finds every shared group without a scan.
        self._db.execute("CREATE INDEX IF NOT EXISTS articles_copies ON articles(dup_group) WHERE dup_group != id")

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
        found: dict[int, np.ndarray] = {}
        for rowid, blob in self._select_by_rowids("SELECT rowid, vector FROM embeddings", rowids):
            if len(blob) != 4 * dim:  # a manifest that disagrees with the store: never a bare numpy error
                raise IndexFormatError(
                    f"the article store {self.path} holds {len(blob) // 4}-dimensional embeddings, but the manifest "
                    f"says {dim}: run `{IndexLayout(self.path.parent).rebuild_command()}` to write a correct manifest"
                )
            found[int(rowid)] = np.frombuffer(blob, dtype=np.float32, count=dim)
        return found

    # -- metadata: how the articles were embedded (issue 12) -----------------------------------

    def recipe(self) -> StoreRecipe | None:
        """The recorded model, dimension, embedded text and analysis; None for a store written
        before they were recorded (or one opened read-only that has no ``meta`` table yet)."""
        try:
            rows = {str(k): str(v) for k, v in self._db.execute("SELECT key, value FROM meta")}
        except sqlite3.OperationalError:
            return None
        try:
            return StoreRecipe(rows["model"], int(rows["dim"]), rows["embedded_text"], rows["analysis"])
        except (KeyError, ValueError):
            return None

    def set_recipe(self, recipe: StoreRecipe) -> None:
        """Record the recipe (its own transaction; nothing is written when it is already recorded)."""
        if self.recipe() == recipe:
            return
        self.begin()
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(key, str(getattr(recipe, key))) for key in _RECIPE_KEYS],
            )
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def embedding_dim(self) -> int | None:
        """The dimension of the stored embeddings (float32, so a quarter of the byte length); None when
        nothing is stored. Every embedding is written by the one encoder an index has, so one row tells."""
        row = self._db.execute("SELECT length(vector) FROM embeddings LIMIT 1").fetchone()
        return int(row[0]) // 4 if row else None

    def embedding_of_first_article(self) -> tuple[Article, np.ndarray] | None:
        """The oldest stored article and its stored embedding, to tell which encoder made them."""
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS}, e.vector FROM articles JOIN embeddings e USING (rowid) ORDER BY rowid LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return _row_to_article(row[:-1])[1], np.frombuffer(row[-1], dtype=np.float32)

    # -- end of metadata ---------------------------------------------------------------------

    def ids_for_rowids(self, rowids: set[int]) -> dict[int, str]:
        rows = self._select_by_rowids("SELECT rowid, id FROM articles", sorted(rowids))
        return {int(rowid): str(article_id) for rowid, article_id in rows}

    def _select_by_rowids(self, select: str, rowids: Sequence[int]) -> Iterator[tuple[Any, ...]]:
        """Rows of ``select ... WHERE rowid IN (...)``, in chunks below SQLite's parameter limit."""
        for start in range(0, len(rowids), 500):
            chunk = list(rowids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            yield from self._db.execute(f"{select} WHERE rowid IN ({marks})", chunk)

    # -- search filters and metadata (issue 6: filters, facets, date sort) ----------------------

    def filter_rowids(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        sites: Sequence[str] = (),
        langs: Sequence[str] = (),
        authors: Sequence[str] = (),
        not_sites: Sequence[str] = (),
        not_langs: Sequence[str] = (),
        not_authors: Sequence[str] = (),
    ) -> list[int]:
        """Row ids of the articles passing a metadata filter, in row id order.

        Dates are ISO days, inclusive (an article without a date fails any date bound). Sites and
        authors match case-insensitively anywhere in the stored value; languages match exactly.
        """
        clauses: list[str] = []
        params: list[Any] = []
        if since:
            clauses.append("published >= ?")
            params.append(since)
        if until:
            clauses.append("published <= ?")
            params.append(until + "\uffff")  # a stored datetime on the last day still passes
        for column, values, negate in (
            ("site", sites, False),
            ("author", authors, False),
            ("site", not_sites, True),
            ("author", not_authors, True),
        ):
            if values:
                test = " OR ".join(f"instr(lower(coalesce({column}, '')), ?) > 0" for _ in values)
                clauses.append(f"NOT ({test})" if negate else f"({test})")
                params.extend(v.lower() for v in values)
        for values, negate in ((langs, False), (not_langs, True)):
            if values:
                marks = ",".join("?" * len(values))
                clauses.append(f"coalesce(lower(lang), '') {'NOT ' if negate else ''}IN ({marks})")
                params.extend(v.lower() for v in values)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return [int(r[0]) for r in self._db.execute(f"SELECT rowid FROM articles{where} ORDER BY rowid", params)]

    def metadata_for_rowids(self, rowids: Sequence[int]) -> dict[int, tuple[str | None, str | None, str | None]]:
        """(published, site, lang) by row id, for facets, date sorting and recency."""
        rows = self._select_by_rowids("SELECT rowid, published, site, lang FROM articles", list(rowids))
        return {int(r): (_opt(p), _opt(s), _opt(lg)) for r, p, s, lg in rows}

    def newest_published(self) -> str | None:
        row = self._db.execute("SELECT max(published) FROM articles").fetchone()
        return _opt(row[0]) if row else None

    # -- end of search filters and metadata ------------------------------------------------------

    # -- near-duplicate groups -----------------------------------------------------------------

    def near_dup_candidates(self, band_keys: Sequence[int]) -> list[tuple[int, str, Signature, str]]:
        """Stored articles sharing an LSH band: (rowid, id, signature, group), oldest first."""
        marks = ",".join("?" * len(band_keys))
        rows = self._db.execute(
            "SELECT DISTINCT a.rowid, a.id, m.signature, m.shingles, coalesce(a.dup_group, a.id) FROM lsh"
            " JOIN minhash m ON m.rowid = lsh.rowid JOIN articles a ON a.rowid = lsh.rowid"
            f" WHERE lsh.band_key IN ({marks}) ORDER BY a.rowid",
            list(band_keys),
        )
        return [(int(r), str(i), Signature.from_bytes(sig, int(n)), str(g)) for r, i, sig, n, g in rows]

    def group_of(self, article_id: str) -> str | None:
        if not self.has_groups:
            return article_id if self.rowid_for(article_id) is not None else None
        row = self._db.execute("SELECT coalesce(dup_group, id) FROM articles WHERE id = ?", (article_id,)).fetchone()
        return str(row[0]) if row else None

    def group_members(self, group: str) -> list[Article]:
        """Every stored article of a near-duplicate group, oldest first."""
        if not self.has_groups:
            article = self.get(group)
            return [article] if article else []
        rows = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE coalesce(dup_group, id) = ? ORDER BY rowid", (group,)
        )
        return [_row_to_article(row)[1] for row in rows]

    def group_sizes(self, groups: Iterable[str]) -> dict[str, int]:
        if not self.has_groups:
            return {}
        wanted = sorted(set(groups))
        sizes: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT dup_group, count(*) FROM articles WHERE dup_group IN ({marks}) GROUP BY dup_group", chunk
            )
            sizes.update({str(g): int(n) for g, n in rows})
        return sizes

    def shared_groups(self) -> dict[int, str]:
        """Group by row id of every article that shares its near-duplicate group with another."""
        if not self.has_groups:
            return {}
        rows = self._db.execute(
            "SELECT rowid, dup_group FROM articles WHERE dup_group IN (SELECT dup_group FROM articles WHERE dup_group != id)"
        )
        return {int(rowid): str(group) for rowid, group in rows}

    def groups_for_rowids(self, rowids: Sequence[int]) -> dict[int, str]:
        if not self.has_groups:
            return self.ids_for_rowids(set(rowids))
        rows = self._select_by_rowids("SELECT rowid, coalesce(dup_group, id) FROM articles", rowids)
        return {int(rowid): str(group) for rowid, group in rows}

    def rowids_without_signature(self) -> list[int]:
        rows = self._db.execute("SELECT rowid FROM articles WHERE rowid NOT IN (SELECT rowid FROM minhash) ORDER BY rowid")
        return [int(r[0]) for r in rows]

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

    def note_counts(self) -> dict[str, int]:
        """Pages kept with a note (see ``Note``), by kind; like ``skip_counts`` for pages not kept."""
        return {str(kind): int(n) for kind, n in self._notes("SELECT kind, count(*) FROM notes GROUP BY kind ORDER BY 2 DESC")}

    def notes(self) -> list[tuple[str, Note]]:
        rows = self._notes("SELECT source, kind, coalesce(detail, '') FROM notes ORDER BY source, kind")
        return [(str(source), Note(str(kind), str(detail))) for source, kind, detail in rows]

    def has_notes(self, source: str) -> bool:
        return bool(self._notes("SELECT 1 FROM notes WHERE source = ? LIMIT 1", (source,)))

    def _notes(self, select: str, parameters: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._db.execute(select, parameters))
        except sqlite3.OperationalError:  # a store from before notes, opened read-only: it has none
            return []

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

    def set_near_dup(self, rowid: int, signature: Signature | None, group: str) -> None:
        """Record an article's MinHash, its LSH bands and its group (replacing earlier ones)."""
        self._forget_near_dup(rowid)
        self._db.execute("UPDATE articles SET dup_group = ? WHERE rowid = ?", (group, rowid))
        if signature is None:
            return
        self._db.execute(
            "INSERT INTO minhash (rowid, shingles, signature) VALUES (?, ?, ?)", (rowid, signature.shingles, signature.to_bytes())
        )
        self._db.executemany("INSERT INTO lsh (band_key, rowid) VALUES (?, ?)", [(k, rowid) for k in signature.band_keys()])

    def _forget_near_dup(self, rowid: int) -> None:
        row = self._db.execute("SELECT signature, shingles FROM minhash WHERE rowid = ?", (rowid,)).fetchone()
        if row is None:
            return
        keys = Signature.from_bytes(row[0], int(row[1])).band_keys()
        self._db.executemany("DELETE FROM lsh WHERE band_key = ? AND rowid = ?", [(k, rowid) for k in keys])
        self._db.execute("DELETE FROM minhash WHERE rowid = ?", (rowid,))

    def delete(self, article_id: str) -> int | None:
        rowid = self.rowid_for(article_id)
        if rowid is None:
            return None
        self._forget_near_dup(rowid)
        self._db.execute("DELETE FROM notes WHERE source = (SELECT source FROM articles WHERE rowid = ?)", (rowid,))
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

    def replace_notes(self, source: str, notes: Sequence[Note]) -> None:
        """The notes of the article from ``source`` are these now (none: it gave no cause for one)."""
        self._db.execute("DELETE FROM notes WHERE source = ?", (source,))
        if notes:
            now = datetime.now(UTC).replace(microsecond=0).isoformat()
            self._db.executemany(
                "INSERT OR REPLACE INTO notes (source, kind, detail, at) VALUES (?, ?, ?, ?)",
                [(source, note.kind, note.detail[:500], now) for note in notes],
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


def missing_store_message(path: Path) -> str:
    """Losing the store loses the articles: the search indexes are derived from it, not the reverse."""
    root = path.parent
    return (
        f"the article store of the index at {root} ({path.name}) is missing: it holds the articles, and the keyword "
        "and vector indexes cannot give them back. Restore it from a backup, or index the original pages again "
        f"into a new folder: `{IndexLayout(root.with_name(root.name + '-new')).command('index', 'PATH...')}`"
    )


def damaged_store_message(path: Path, error: sqlite3.Error) -> str:
    root = path.parent
    reason = str(error) or "SQLite cannot read it"  # sqlite's messages are plain words ("file is not a database")
    return (
        f"the article store of the index at {root} ({path.name}) cannot be opened ({reason}): it holds the articles, "
        "and the keyword and vector indexes cannot give them back. Restore it from a backup, or index the original "
        f"pages again into a new folder: `{IndexLayout(root.with_name(root.name + '-new')).command('index', 'PATH...')}`"
    )


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
