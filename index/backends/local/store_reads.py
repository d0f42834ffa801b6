"""Every query of the SQLite store that only reads: look-ups for ingest, articles, filters, groups, counts.

A mixin of ``ArticleStore`` (``store.py``): the read side (``index.backends.local.reader``) and the
writer call these by name, on a read-only or a writable connection alike.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.article import Article, Note, Skip
from index.backends.local.layout import IndexLayout
from index.backends.local.store_schema import ARTICLE_COLUMNS, PendingOp, StoreRecipe, opt, row_to_article
from index.errors import IndexFormatError
from index.extract.neardup import Signature


class StoreReads:
    """Read queries over ``_db``; ``has_groups`` is False for a store from before near-duplicate groups."""

    path: Path
    _db: sqlite3.Connection
    has_groups: bool

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
        row = self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row_to_article(row)[1] if row else None

    def get_by_url(self, url: str) -> Article | None:
        row = self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE url = ?", (url,)).fetchone()
        return row_to_article(row)[1] if row else None

    def get_many(self, rowids: Sequence[int]) -> dict[int, Article]:
        """Articles by row id; ids that no longer exist are simply absent."""
        rows = self._select_by_rowids(f"SELECT {ARTICLE_COLUMNS} FROM articles", rowids)
        return dict(row_to_article(row) for row in rows)

    def iter_articles(self, rowids: Iterable[int] | None = None) -> Iterator[tuple[int, Article]]:
        if rowids is None:
            for row in self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY rowid"):
                yield row_to_article(row)
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

    def embedding_dim(self) -> int | None:
        """The dimension of the stored embeddings (float32, so a quarter of the byte length); None when
        nothing is stored. Every embedding is written by the one encoder an index has, so one row tells."""
        row = self._db.execute("SELECT length(vector) FROM embeddings LIMIT 1").fetchone()
        return int(row[0]) // 4 if row else None

    def embedding_of_first_article(self) -> tuple[Article, np.ndarray] | None:
        """The oldest stored article and its stored embedding, to tell which encoder made them."""
        row = self._db.execute(
            f"SELECT {ARTICLE_COLUMNS}, e.vector FROM articles JOIN embeddings e USING (rowid) ORDER BY rowid LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return row_to_article(row[:-1])[1], np.frombuffer(row[-1], dtype=np.float32)

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
        return {int(r): (opt(p), opt(s), opt(lg)) for r, p, s, lg in rows}

    def newest_published(self) -> str | None:
        row = self._db.execute("SELECT max(published) FROM articles").fetchone()
        return opt(row[0]) if row else None

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
        """Every stored article of a near-duplicate group, oldest first: by publication day, undated
        copies last, equal days in the order they were stored."""
        if not self.has_groups:
            article = self.get(group)
            return [article] if article else []
        rows = self._db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE coalesce(dup_group, id) = ? "
            "ORDER BY published IS NULL, published, rowid",
            (group,),
        )
        return [row_to_article(row)[1] for row in rows]

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

    def seen_outcome(self, source: str, fingerprint: str) -> str | None:
        """What the same bytes from the same source gave last time: an article id, or "skip:<reason>"."""
        row = self._db.execute(
            "SELECT outcome FROM seen_pages WHERE source = ? AND fingerprint = ?", (source, fingerprint)
        ).fetchone()
        return str(row[0]) if row else None
