"""Every change to the SQLite store, journalled for the derived indexes in the same transaction.

A mixin of ``ArticleStore`` (``store.py``). An article's change and its journal entry (``pending``)
are written together, so the derived indexes can always be brought up to date from the journal.
Call the changes between ``begin`` and ``commit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from index.article import Article, Note, Skip
from index.backends.local.store_reads import StoreReads
from index.backends.local.store_schema import RECIPE_KEYS, StoreRecipe
from index.extract.neardup import Signature


class StoreWrites(StoreReads):
    """Transactions and writes; the reads they need come from ``StoreReads``."""

    # -- transactions ------------------------------------------------------------------------

    def begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    # -- the recipe (issue 12) --------------------------------------------------------------

    def set_recipe(self, recipe: StoreRecipe) -> None:
        """Record the recipe (its own transaction; nothing is written when it is already recorded)."""
        if self.recipe() == recipe:
            return
        self.begin()
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(key, str(getattr(recipe, key))) for key in RECIPE_KEYS],
            )
            self.commit()
        except BaseException:
            self.rollback()
            raise

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

    def mark_seen(self, source: str, fingerprint: str, outcome: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO seen_pages (source, fingerprint, outcome) VALUES (?, ?, ?)", (source, fingerprint, outcome)
        )

    def clear_pending(self, up_to_seq: int) -> None:
        self._db.execute("DELETE FROM pending WHERE seq <= ?", (up_to_seq,))
