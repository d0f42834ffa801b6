"""The storage backend interface: what ingest writes through and what search reads through.

A backend keeps the articles, their embeddings and near-duplicate groups, a keyword index and a
vector index over the same articles, and makes changes visible all at once (a commit). ``local``
(``index.backends.local``) is a folder on one disk: SQLite, whoosh and faiss. Another engine (an
OpenSearch cluster) implements the same two protocols, and everything above them (ingest, ranking,
results, the CLI and the HTTP API) works unchanged.

Documents are named by a *document number*: an integer the backend assigns to an article when it
is first written and keeps for as long as the article exists (the local store's row id). Runs of
retrieval results are lists of ``(document number, score)``, best first; only the final page is
turned into articles.

- ``Snapshot``: one committed state, read-only. Every call answers from that state, so a search
  never mixes two commits, even while a writer commits.
- ``Writer``: the single writer (a lock keeps out a second one). Changes are staged by ``upsert``
  and ``delete`` and made visible by ``commit``; a crash before ``commit`` loses only the staged
  changes, and the next ``commit`` (or ``rebuild``) repairs the derived indexes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from index.article import Article, Note, Skip
from index.backends.filters import SearchFilter
from index.backends.query import KeywordSettings, Node

if TYPE_CHECKING:
    import numpy as np

    from index.extract.neardup import Signature

Run = list[tuple[int, float]]
# Counts by facet ("site", "lang", "month"), then by value.
Facets = dict[str, dict[str, int]]
FACET_NAMES = ("site", "lang", "month")
UNKNOWN = "unknown"  # the value counted for a document without one


@dataclass(frozen=True)
class IndexInfo:
    """What an index is: where it lives, what it was built with, and when."""

    location: str
    model: str
    dim: int
    embedded_text: str
    analysis: str
    format_version: int
    created: str
    updated: str


@dataclass(frozen=True)
class DocumentFacts:
    """The fields results are filtered, sorted, collapsed and counted by, without the text."""

    published: str | None
    site: str | None
    lang: str | None


@dataclass(frozen=True)
class KeywordMatches:
    """The ranked top of a keyword query and how many documents it matched in all.

    ``total`` is None when the backend ranked the top without counting every match (the caller
    then asks for a deeper run). ``watched`` are those of the caller's ``watch`` documents that
    matched (beyond the top too): the copies of shared near-duplicate groups, so a total can count
    each story once. ``reweighed`` are the query's words that weighed otherwise in another language's
    fields than those fields' own rarity would make them (a query of a known language weighs a word
    as rare as it is in its own language): ``"field:word"`` -> the share of the field's own weight.
    """

    run: Run
    total: int | None
    watched: Sequence[int] = ()
    reweighed: Mapping[str, float] = field(default_factory=dict)


def facet_counts(rows: Iterable[DocumentFacts]) -> Facets:
    """What ``Snapshot.facets`` counts, defined once: site, language and month (the date's first
    seven characters), ``UNKNOWN`` for a document without one."""
    rows = list(rows)
    return ordered_facets(
        {
            "site": Counter(row.site or UNKNOWN for row in rows),
            "lang": Counter(row.lang or UNKNOWN for row in rows),
            "month": Counter((row.published or "")[:7] or UNKNOWN for row in rows),
        }
    )


def ordered_facets(counts: dict[str, Counter[str]]) -> Facets:
    """Sites and languages largest first (equal counts by value, so every backend prints the same
    order), months in calendar order."""
    return {
        name: dict(sorted(counts[name].items()) if name == "month" else sorted(counts[name].items(), key=lambda i: (-i[1], i[0])))
        for name in FACET_NAMES
    }


class Snapshot(Protocol):
    """One committed state of an index, for reading (inside ``with reader.snapshot() as snapshot``)."""

    @property
    def generation(self) -> int:
        """Grows with every commit: caches keyed by it are dropped when a new state is read."""

    @property
    def info(self) -> IndexInfo: ...

    def query_words(self, text: str) -> tuple[str, ...]:
        """The distinct words of ``text`` as this index analyses a query (for highlighting)."""

    # -- keyword side --------------------------------------------------------------------------

    def keyword(
        self,
        query: Node,
        depth: int,
        allowed: Sequence[int] | None,
        settings: KeywordSettings,
        *,
        watch: Sequence[int] | None = None,
        language: str | None = None,
    ) -> KeywordMatches:
        """The best ``depth`` documents for ``query`` by BM25F, inside ``allowed`` when given (an
        empty ``allowed`` matches nothing), equal scores by document number.

        ``language``: the query's, as the code of its keyword fields ("en"; "id" for Malay too), when
        known. A word then weighs in another language's stemmed fields as its rarity in ``language``
        makes it (``index.backends.local.keyword.compile``; on a cluster
        ``index.backends.opensearch.rarity``), and ``KeywordMatches.reweighed`` says which words did.

        No document that matches an excluded clause (``Bool.must_not``) is ever returned or counted.
        """

    def excluded(self, query: Node, docs: Sequence[int], settings: KeywordSettings) -> set[int]:
        """Those of ``docs`` that match what ``query`` excludes (``index.backends.query.excluded_by``):
        the semantic side, which sees only the free text, drops them."""

    def distinctive_words(self, article: Article, count: int, settings: KeywordSettings) -> list[str]:
        """An article's most distinctive index terms in its own language's body (for "more like this",
        as ``Term`` nodes), at most ``count``."""

    # -- vector side ---------------------------------------------------------------------------

    def vector_count(self) -> int:
        """How many documents the vector index holds (0: semantic retrieval finds nothing)."""

    def nearest(
        self, vectors: np.ndarray, depth: int, allowed: Sequence[int] | None, strengths: Sequence[float] | None = None
    ) -> list[Run]:
        """For each (normalized) query vector, the ``depth`` nearest documents by cosine, inside ``allowed``.

        In an archive centered per language (``index.backends.language_means``) the cosines are of
        vectors centered at each query's ``strengths`` entry (all 1 when None: the whole means).
        """

    def embedding(self, doc: int) -> np.ndarray | None:
        """A document's stored embedding (None when it has none)."""

    def centered_languages(self) -> list[str]:
        """The languages whose articles' vectors are centered on their own mean (none: the archive
        compares vectors as embedded)."""

    # -- documents -----------------------------------------------------------------------------

    def resolve_filter(self, wanted: SearchFilter) -> list[int] | None:
        """The documents passing ``wanted``, in document-number order; None when it filters nothing."""

    def documents(self) -> list[int]:
        """Every stored document."""

    def facts(self, docs: Sequence[int]) -> dict[int, DocumentFacts]:
        """Dates, sites and languages of documents that still exist (others are left out)."""

    def facets(self, docs: Sequence[int]) -> Facets:
        """``facet_counts`` of those of ``docs`` that exist (each counted once), as the backend
        counts best: the local store from its rows, a search engine by aggregations."""

    def articles(self, docs: Sequence[int]) -> dict[int, Article]: ...

    def article_ids(self, docs: Iterable[int]) -> dict[int, str]: ...

    def documents_of(self, article_ids: Iterable[str]) -> dict[str, int]:
        """The document of each stored article id (unknown ids are left out)."""

    def find(self, id_or_url: str) -> tuple[int, Article] | None:
        """A stored article by its id or by its URL."""

    def newest_published(self) -> str | None: ...

    def languages(self) -> dict[str, int]:
        """How many articles each language has, largest first."""

    # -- near-duplicate groups -----------------------------------------------------------------

    def groups(self, docs: Sequence[int]) -> dict[int, str]:
        """The near-duplicate group of each of ``docs`` that has one."""

    def group_of(self, article_id: str) -> str | None: ...

    def shared_groups(self) -> dict[int, str]:
        """Every document whose group has other members (what a total may count once)."""

    def group_sizes(self, groups: Iterable[str]) -> dict[str, int]: ...

    def group_members(self, article_id: str) -> list[Article]:
        """An article's near-duplicate group (itself included), oldest first."""

    # -- the index itself ----------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts for ``news-search stats``: articles, languages, skipped pages by reason, size, problems."""

    def skipped(self) -> list[Skip]:
        """Every page that was not indexed, with its reason."""

    def noted(self) -> list[tuple[str, Note]]:
        """Every page indexed with a note (a date field that is no date, say): (source, note)."""


class Reader(Protocol):
    """An open index for searching: hands out the latest committed state, one query at a time."""

    @property
    def info(self) -> IndexInfo: ...

    def query_words(self, text: str) -> tuple[str, ...]:
        """The distinct words of ``text`` as this index analyses a query (the same in every state)."""

    def snapshot(self) -> AbstractContextManager[Snapshot]:
        """The latest committed state, held for the ``with`` block (a commit meanwhile is seen next time)."""

    def close(self) -> None: ...


class Writer(Protocol):
    """The one writer of an index: stages changes, commits them, answers what ingest must know.

    Changes are written inside ``batch`` (all or nothing, durable when it ends) and made visible to
    readers by ``commit``. Opening a writer never rebuilds or rewrites an index: what it finds
    wrong is ``problem``, changes are refused until ``repair`` (or ``rebuild``) fixes it.
    """

    @property
    def info(self) -> IndexInfo: ...

    @property
    def problem(self) -> str | None:
        """What opening found wrong (a lost manifest, derived indexes that miss articles), or None."""

    def count(self) -> int:
        """How many articles are stored."""

    # -- what ingest asks before writing -------------------------------------------------------

    def seen(self, source: str, fingerprint: str) -> str | None:
        """What the same bytes from the same source gave last time: an article id, or "skip:<reason>"."""

    def document_number(self, article_id: str) -> int | None:
        """The document number of a stored article; None when there is none with this id."""

    def content_hash(self, article_id: str) -> str | None:
        """The stored content hash of an article (unchanged pages are not rewritten)."""

    def article_with_text(self, text_hash: str) -> str | None:
        """The id of a stored article with this normalized text (an exact duplicate)."""

    def has_notes(self, source: str) -> bool:
        """Whether the article from ``source`` has notes on record."""

    def near_duplicate_candidates(self, band_keys: Sequence[int]) -> list[tuple[int, str, Signature, str]]:
        """Stored articles sharing an LSH band: (document, id, signature, group), oldest first."""

    def ungrouped(self, after: int, limit: int) -> list[tuple[int, Article]]:
        """Up to ``limit`` stored articles numbered above ``after``, in order, without a near-duplicate
        signature (stored by an older release)."""

    # -- changes (inside ``batch``) ------------------------------------------------------------

    def batch(self) -> AbstractContextManager[None]:
        """One durable unit of changes: kept whole when the block ends, dropped whole on an error."""

    def upsert(self, article: Article, vector: np.ndarray, signature: Signature | None, group: str) -> int:
        """Write an article (new or replacing the stored one with its id); returns its document number."""

    def set_group(self, doc: int, signature: Signature | None, group: str) -> None:
        """Record a stored article's near-duplicate signature and group."""

    def delete(self, article_id: str) -> bool:
        """Remove an article; False when there is no such article."""

    def record_skip(self, skip: Skip) -> None: ...

    def record_notes(self, source: str, notes: Sequence[Note]) -> None:
        """The notes of the article from ``source`` are these now (none: it gave no cause for one)."""

    def mark_seen(self, source: str, fingerprint: str, outcome: str) -> None: ...

    # -- visibility and repair -----------------------------------------------------------------

    def commit(self, *, merge: bool = False) -> None:
        """Make every written change visible to readers, in both indexes at once (``merge``: compact too)."""

    def rebuild(self, analysis: str | None = None) -> int:
        """Re-derive both indexes from the stored articles and embeddings; returns how many."""

    def repair(self) -> bool:
        """Fix ``problem`` and replay what a crash left uncommitted; True when that took a rebuild."""

    def close(self) -> None: ...
