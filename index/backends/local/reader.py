"""The local backend's read side: ``Reader`` and ``Snapshot`` over the SQLite store, whoosh and faiss.

``LocalReader`` opens a folder for searching: the store read-only, and the committed state the
manifest names (``snapshot.CommittedState``: one whoosh generation and one vector file, re-opened
as a whole when a writer commits). ``snapshot()`` takes the reader's lock, brings the state up to
date and hands out a ``LocalSnapshot`` for the ``with`` block, so both retrievers of a query read
the same commit. What is built per committed state (the searcher, the column scorer, the compiled
queries, the shared near-duplicate groups) is kept until the state's generation number changes.

Metadata, texts and groups are read from the store, the source of truth: a document deleted after
the indexes were written is simply left out of ``facts`` and ``articles``. The store can also be
ahead of the open state with added articles (a writer commits it before the manifest), so the rows
of a filter are cut to those the state's keyword generation holds (``_committed``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.article import Article, Note, Skip
from index.backends.base import DocumentFacts, Facets, IndexInfo, KeywordMatches, Run, facet_counts
from index.backends.filters import SearchFilter
from index.backends.local.keyword.retrieval import KeywordSide, docnums_of
from index.backends.local.keyword.schema import build_analyzer
from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import read_manifest
from index.backends.local.snapshot import CommittedState, RefreshingLock
from index.backends.local.store import ArticleStore
from index.backends.query import KeywordSettings, Node
from index.errors import IndexFormatError

if TYPE_CHECKING:
    import numpy as np


# Resolved filters kept per committed state (each a list of row ids: 8 bytes a passing article).
_CACHED_FILTERS = 32


class LocalReader:
    """An index folder opened for searching (``index.backends.open_reader``)."""

    def __init__(self, root: Path) -> None:
        self.layout = IndexLayout(root)
        # Read here only for its errors, which name the command that repairs a lost or newer manifest
        # (the state reads it again, after taking its key: snapshot.py).
        read_manifest(self.layout)
        self._store = ArticleStore(self.layout.store, readonly=True)
        try:
            # The keyword generation and vector file one manifest names, re-opened together when a
            # writer commits (see snapshot.py): a query never mixes two states.
            self._state = CommittedState(self.layout)
        except BaseException:
            self._store.close()
            raise
        self._lock = RefreshingLock(self._state.refresh)
        self._analyzer = build_analyzer()
        self._analyzer_lock = threading.Lock()
        self._keyword: tuple[int, KeywordSide] | None = None
        self._shared: tuple[int, dict[int, str]] | None = None
        self._filters: tuple[int, OrderedDict[SearchFilter, list[int]]] = (-1, OrderedDict())

    @property
    def info(self) -> IndexInfo:
        manifest = self._state.manifest
        return IndexInfo(
            location=str(self.layout.root),
            model=manifest.model,
            dim=manifest.dim,
            embedded_text=manifest.embedded_text,
            analysis=manifest.analysis,
            format_version=manifest.format_version,
            created=manifest.created,
            updated=manifest.updated,
        )

    def query_words(self, text: str) -> tuple[str, ...]:
        with self._analyzer_lock:  # whoosh's analyzers keep state between calls
            return tuple(dict.fromkeys(token.text for token in self._analyzer(text)))

    @contextmanager
    def snapshot(self) -> Iterator[LocalSnapshot]:
        with self._lock:
            yield LocalSnapshot(self)

    def close(self) -> None:
        if self._keyword is not None:
            self._keyword[1].close()
            self._keyword = None
        self._state.close()
        self._store.close()

    def _keyword_side(self) -> KeywordSide:
        generation = self._state.generation
        if self._keyword is None or self._keyword[0] != generation:
            reader = self._state.reader  # a clear IndexFormatError when the keyword index is missing
            if self._keyword is not None:
                self._keyword[1].close()
            self._keyword = (generation, KeywordSide(reader, self.layout.keyword_dir))
        return self._keyword[1]

    def _resolved(self, wanted: SearchFilter) -> list[int]:
        """The documents passing ``wanted`` in this state, remembered for the next queries.

        Site, author and language filters scan the articles table (they match case-insensitively
        inside the stored values, which no SQLite index serves): 100-200 ms at 100k articles on the
        2-core machine (benchmarks/serve.py). The same few filters come back query after query (a
        language, an outlet clicked in the facets), so each is resolved once per committed state.
        """
        generation, cached = self._filters
        if generation != self._state.generation:
            cached = OrderedDict()
            self._filters = (self._state.generation, cached)
        found = cached.get(wanted)
        if found is None:
            found = self._store.filter_rowids(
                since=wanted.since, until=wanted.until, sites=wanted.sites, langs=wanted.langs, authors=wanted.authors,
                not_sites=wanted.not_sites, not_langs=wanted.not_langs, not_authors=wanted.not_authors,
            )  # fmt: skip
            found = self._committed(found)
            cached[wanted] = found
            if len(cached) > _CACHED_FILTERS:
                cached.popitem(last=False)
        else:
            cached.move_to_end(wanted)
        return found

    def _committed(self, rows: list[int]) -> list[int]:
        """``rows`` less those the open state does not hold yet: a writer commits the store before
        the manifest, so without this a filter's listing (``site:x`` alone) would show a commit's
        new articles to a reader of the state before it, whose keyword and vector searches cannot."""
        import numpy as np

        try:
            held = self._keyword_side().rows()
        except IndexFormatError:  # no keyword index (damaged): the store is all there is to go by
            return rows
        found = np.asarray(rows, dtype=np.int64)
        kept: list[int] = found[np.isin(found, held, assume_unique=True)].tolist()
        return kept

    def _shared_groups(self) -> dict[int, str]:
        if self._shared is None or self._shared[0] != self._state.generation:
            self._shared = (self._state.generation, self._store.shared_groups())
        return self._shared[1]


class LocalSnapshot:
    """The committed state a ``LocalReader`` holds while its lock is taken (see ``Snapshot``)."""

    def __init__(self, reader: LocalReader) -> None:
        self._reader = reader
        self._state = reader._state
        self._store = reader._store
        # The facts read last: facets count the result set whose facts ``finish`` has just read.
        self._facts: dict[int, DocumentFacts] = {}

    @property
    def generation(self) -> int:
        return self._state.generation

    @property
    def info(self) -> IndexInfo:
        return self._reader.info

    def query_words(self, text: str) -> tuple[str, ...]:
        return self._reader.query_words(text)

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
        side = self._reader._keyword_side()
        return side.keyword(query, depth, allowed, settings, watch, self._docnum_restriction, language)

    def excluded(self, query: Node, docs: Sequence[int], settings: KeywordSettings) -> set[int]:
        return self._reader._keyword_side().excluded(query, docs, settings)

    def distinctive_words(self, article: Article, count: int, settings: KeywordSettings) -> list[str]:
        return self._reader._keyword_side().distinctive_words(article, count, settings)

    def _docnum_restriction(self, searcher: Any, allowed: Sequence[int]) -> dict[str, set[int]]:
        """whoosh's own filter (or mask, whichever is smaller) for the allowed store rows: the
        keyword side then ranks only inside the filter, and its page is full when enough match."""
        if len(allowed) * 2 <= self._store.count():
            rows, key = list(allowed), "filter"
        else:
            keep = set(allowed)
            rows, key = [r for r in self._store.all_rowids() if r not in keep], "mask"
        docnums = set(docnums_of(searcher, rows))
        if key == "mask" and not docnums:
            return {}
        return {key: docnums}

    # -- vector side ---------------------------------------------------------------------------

    def vector_count(self) -> int:
        return int(self._state.vectors.ntotal)

    def nearest(
        self, vectors: np.ndarray, depth: int, allowed: Sequence[int] | None, strengths: Sequence[float] | None = None
    ) -> list[Run]:
        import numpy as np

        from index.backends import language_means
        from index.backends.local import vectors as faiss_vectors

        index = self._state.vectors
        queries = np.asarray(vectors, dtype=np.float32)
        if index.ntotal == 0 or (allowed is not None and not allowed):
            return [[] for _ in range(queries.shape[0])]
        other = self._other_centering(strengths)
        # The filter is applied inside the vector search, not to a short list after it.
        restrict = np.asarray(allowed, dtype=np.int64) if allowed is not None else None
        wide = language_means.rescored_candidates(depth) if other else depth
        scores, ids = faiss_vectors.search(index, queries, wide, allowed=restrict)
        runs = [
            [(int(i), float(s)) for i, s in zip(id_row, score_row, strict=True) if i >= 0]
            for id_row, score_row in zip(ids, scores, strict=True)
        ]
        if other:
            runs = [
                (run if strength == 1.0 else self._rescored(query, run, strength, other))[:depth]
                for query, run, strength in zip(queries, runs, strengths or [], strict=True)
            ]
        return runs

    def _other_centering(self, strengths: Sequence[float] | None) -> dict[str, np.ndarray] | None:
        """The language means, when some query is centered otherwise than the vector file's articles
        are (wholly: strength 1)."""
        if strengths is None or all(strength == 1.0 for strength in strengths):
            return None
        from index.backends.local.centering import Centering

        centering = Centering.from_record(self._state.manifest.centering)
        return centering.mean_vectors() if centering.active else None

    def _rescored(self, query: np.ndarray, run: Run, strength: float, means: Mapping[str, np.ndarray]) -> Run:
        """``run`` scored again by cosines centered at ``strength``, from the stored embeddings."""
        docs = [doc for doc, _ in run]
        stored = self._store.vectors(docs, self._state.manifest.dim)
        langs = self._store.metadata_for_rowids(docs)
        kept = [doc for doc in docs if doc in stored]
        if not kept:
            return []
        import numpy as np

        from index.backends import language_means

        matrix = np.stack([stored[doc] for doc in kept])
        kept_langs = [langs[doc][2] if doc in langs else None for doc in kept]
        scores = language_means.centered_cosines(query, matrix, kept_langs, means, strength)
        rescored = [(doc, float(score)) for doc, score in zip(kept, scores, strict=True)]
        return sorted(rescored, key=lambda item: (-item[1], item[0]))

    def embedding(self, doc: int) -> np.ndarray | None:
        return self._store.vectors([doc], self._state.manifest.dim).get(doc)

    def centered_languages(self) -> list[str]:
        from index.backends.local.centering import centered_languages  # numpy: not on the keyword path

        return centered_languages(self._state.manifest.centering)

    # -- documents -----------------------------------------------------------------------------

    def resolve_filter(self, wanted: SearchFilter) -> list[int] | None:
        if not wanted.active:
            return None
        return list(self._reader._resolved(wanted))  # a copy: callers may change their list

    def documents(self) -> list[int]:
        return self._store.all_rowids()

    def facts(self, docs: Sequence[int]) -> dict[int, DocumentFacts]:
        found = self._store.metadata_for_rowids(list(docs))
        self._facts = {doc: DocumentFacts(published, site, lang) for doc, (published, site, lang) in found.items()}
        return dict(self._facts)

    def facets(self, docs: Sequence[int]) -> Facets:
        wanted = set(docs)
        known = self._facts if wanted <= self._facts.keys() else self.facts(list(wanted))
        return facet_counts(known[doc] for doc in wanted if doc in known)

    def articles(self, docs: Sequence[int]) -> dict[int, Article]:
        return self._store.get_many(list(docs))

    def article_ids(self, docs: Iterable[int]) -> dict[int, str]:
        return self._store.ids_for_rowids(set(docs))

    def documents_of(self, article_ids: Iterable[str]) -> dict[str, int]:
        found = {article_id: self._store.rowid_for(article_id) for article_id in article_ids}
        return {article_id: doc for article_id, doc in found.items() if doc is not None}

    def find(self, id_or_url: str) -> tuple[int, Article] | None:
        article = self._store.get(id_or_url) or self._store.get_by_url(id_or_url)
        doc = self._store.rowid_for(article.id) if article is not None else None
        return (doc, article) if article is not None and doc is not None else None

    def newest_published(self) -> str | None:
        return self._store.newest_published()

    def languages(self) -> dict[str, int]:
        return self._store.languages()

    # -- near-duplicate groups -----------------------------------------------------------------

    def groups(self, docs: Sequence[int]) -> dict[int, str]:
        return self._store.groups_for_rowids(list(docs))

    def group_of(self, article_id: str) -> str | None:
        return self._store.group_of(article_id)

    def shared_groups(self) -> dict[int, str]:
        return self._reader._shared_groups()

    def group_sizes(self, groups: Iterable[str]) -> dict[str, int]:
        return self._store.group_sizes(groups)

    def group_members(self, article_id: str) -> list[Article]:
        return self._store.group_members(self._store.group_of(article_id) or article_id)

    # -- the index itself ----------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        info = self.info
        return {
            "index": info.location,
            "articles": self._store.count(),
            "model": info.model,
            "dim": info.dim,
            "embedded_text": info.embedded_text,
            "analysis": info.analysis,
            "format_version": info.format_version,
            "size_bytes": self._reader.layout.size_bytes(),
            "languages": self._store.languages(),
            # The languages whose vectors are centered on their mean (none: searched as embedded).
            "centered_languages": self.centered_languages(),
            "skipped": self._store.skip_counts(),
            "notes": self._store.note_counts(),
            "pending_changes": len(self._store.pending()),
            "problems": self._state.problems,  # a missing or damaged keyword or vector index, and its repair
            "created": info.created,
            "updated": info.updated,
        }

    def skipped(self) -> list[Skip]:
        return self._store.skips()

    def noted(self) -> list[tuple[str, Note]]:
        return self._store.notes()
