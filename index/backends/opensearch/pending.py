"""What the writer has written since its last commit, which the cluster's searches cannot see yet.

Searches read only refreshed (committed) segments; realtime GETs by id see everything written.
The questions ingest asks by id (a document number, a content hash, a page fingerprint) are
therefore asked of the cluster, and the two it asks by search (an article with the same text,
articles sharing a near-duplicate band) are answered from the committed state corrected by these
records: what was written since, and what was deleted since.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Written:
    """An article as written since the last commit (``deleted``: removed since)."""

    doc: int
    content_hash: str
    text_hash: str
    group: str
    source: str | None
    signature: tuple[bytes, int] | None = None
    bands: tuple[int, ...] = ()
    deleted: bool = False


@dataclass
class Pending:
    """Uncommitted writes by article id, and the document numbers they hold."""

    articles: dict[str, Written] = field(default_factory=dict)

    def get(self, article_id: str) -> Written | None:
        return self.articles.get(article_id)

    def by_doc(self, doc: int) -> str | None:
        for article_id, written in self.articles.items():
            if written.doc == doc and not written.deleted:
                return article_id
        return None

    def with_text(self, text_hash: str) -> str | None:
        for article_id, written in self.articles.items():
            if not written.deleted and written.text_hash == text_hash:
                return article_id
        return None

    def sharing(self, band_keys: set[int]) -> list[tuple[str, Written]]:
        return [(i, w) for i, w in self.articles.items() if not w.deleted and w.signature and not band_keys.isdisjoint(w.bands)]

    def merged(self, other: Pending) -> Pending:
        return Pending({**self.articles, **other.articles})
