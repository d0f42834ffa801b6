"""The SQLite store's format: its tables, the migrations of older stores, and how rows become articles.

Kept apart from the queries (``store_reads``, ``store_writes``) so that the one place to read what a
store holds on disk, and what an older release's store gains when opened, is this file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from index.article import Article
from index.backends.local.layout import IndexLayout
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

ARTICLE_COLUMNS = "rowid, id, url, title, text, published, author, site, lang, source, indexed_at"


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


RECIPE_KEYS = ("model", "dim", "embedded_text", "analysis")


def connect(path: Path, *, readonly: bool) -> tuple[sqlite3.Connection, bool]:
    """An open connection to the store at ``path`` (schema created and migrated unless ``readonly``),
    and whether it records near-duplicate groups (a store from before them, opened read-only, does not)."""
    if readonly and not path.exists():
        # sqlite's own words ("unable to open database file") do not say what is lost or what to do.
        raise IndexFormatError(missing_store_message(path))
    try:
        if readonly:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        else:
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(_SCHEMA)
            _migrate(db)
            db.executescript(_FILTER_INDEXES)  # search filters (issue 6)
        db.execute("PRAGMA busy_timeout=10000")
        columns = {str(row[1]) for row in db.execute("PRAGMA table_info(articles)")}
    except sqlite3.DatabaseError as exc:
        raise IndexFormatError(damaged_store_message(path, exc)) from exc
    return db, "dup_group" in columns


def _migrate(db: sqlite3.Connection) -> None:
    """Columns added after the first release; an older store gains them in place."""
    columns = {str(row[1]) for row in db.execute("PRAGMA table_info(articles)")}
    if "dup_group" not in columns:
        # The id of the first-stored article of its near-duplicate group (its own id if alone).
        db.execute("ALTER TABLE articles ADD COLUMN dup_group TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS articles_dup_group ON articles(dup_group)")
    # The copies alone (few, even in a syndicated archive): finds every shared group without a scan.
    db.execute("CREATE INDEX IF NOT EXISTS articles_copies ON articles(dup_group) WHERE dup_group != id")


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


def row_to_article(row: tuple[object, ...]) -> tuple[int, Article]:
    rowid, article_id, url, title, text, published, author, site, lang, source, indexed_at = row
    article = Article(
        id=str(article_id),
        url=opt(url),
        title=str(title),
        text=str(text),
        published=opt(published),
        author=opt(author),
        site=opt(site),
        lang=opt(lang),
        source=opt(source),
        indexed_at=opt(indexed_at),
    )
    return int(str(rowid)), article


def opt(value: object) -> str | None:
    return None if value is None else str(value)
