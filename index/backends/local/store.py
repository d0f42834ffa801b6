"""The SQLite document store: the source of truth from which both indexes are derived.

Row ids (``articles.rowid``) are the keys of both derived indexes: the whoosh ``rowid`` field and
the faiss ids. Every change to an article is journalled in ``pending`` inside the same transaction
that changes it; the derived indexes are brought up to date from that journal, and a journal
entry is only cleared once both indexes have committed it. So a crash at any point loses nothing:
the next writer replays what is left.

``ArticleStore`` is one class to its callers; its parts live beside it: the format and its
migrations (``store_schema``), the read queries (``store_reads``) and the journalled writes
(``store_writes``).
"""

from __future__ import annotations

from pathlib import Path

from index.backends.local.store_schema import (
    PendingOp,
    StoreRecipe,
    connect,
    damaged_store_message,
    missing_store_message,
)
from index.backends.local.store_writes import StoreWrites

__all__ = ["ArticleStore", "PendingOp", "StoreRecipe", "damaged_store_message", "missing_store_message"]


class ArticleStore(StoreWrites):
    """Thin typed wrapper over the SQLite file. One instance per process; not shared across threads."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self._db, self.has_groups = connect(path, readonly=readonly)

    def close(self) -> None:
        self._db.close()
