"""One committed state of an OpenSearch index, read through a point in time (``Snapshot``).

The writer commits by refreshing (the index's ``refresh_interval`` is ``-1``, so nothing else makes
changes visible), and every snapshot opens a point in time (PIT) on the articles index: every
search of one query (keyword, k-NN, filters, facts, articles, groups) reads the same segments,
even while the writer commits. The commit record (``mapping.STATE_ID``: the generation) is a
document of the same index, so the generation a snapshot reports is the state it reads.

Retrieval: ``keyword`` is a BM25 query inside ``filter`` clauses (the allowed documents, or the
metadata filter itself when ``resolve_filter`` of this snapshot produced them, so a filter keeping
millions of articles is not sent back as a list), sorted by score then document number;
``nearest`` is a ``knn`` query with the filter inside the ``knn`` clause (efficient filtering:
the graph search visits only allowed documents, so a 1% filter still fills a page).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from index.article import Article, Note, Skip
from index.backends import language_means
from index.backends.base import DocumentFacts, Facets, IndexInfo, KeywordMatches, Run
from index.backends.filters import SearchFilter
from index.backends.opensearch import centering, mapping
from index.backends.opensearch.compile import IS_ARTICLE, Clause, QueryCompiler, docs_clause, filter_clauses, knn_search
from index.backends.opensearch.facets import facets_by_aggregation
from index.backends.opensearch.pit import PAGE, PitSearches
from index.backends.opensearch.rarity import Reweighing, rarity
from index.backends.query import KeywordSettings, Node, excluded_by

if TYPE_CHECKING:
    import numpy as np

    from index.backends.opensearch.reader import OpenSearchReader

# Retrieval this shallow brings the facts of its hits along (saving the request that would ask for them).
PREFETCH = 1000
LIGHT_FIELDS = ["doc", "published", "site", "lang", "group"]


# How many queries' word weights a snapshot keeps (one _mtermvectors request each).
CACHED_WEIGHTS = 512


class OpenSearchSnapshot(PitSearches):
    """The state a point in time holds; see the module docstring."""

    def __init__(self, reader: OpenSearchReader, pit: str, state: dict[str, Any]) -> None:
        super().__init__(reader, pit)
        self._state = state  # the commit record as the point in time holds it
        # What the snapshot has read of each document: facts, groups and ids come from one request.
        self._light: dict[int, dict[str, Any]] = {}
        self._gone: set[int] = set()
        # The filter clauses behind each list resolve_filter handed out (by identity): retrieval
        # inside such a list sends the filter, not the list.
        self._resolved: dict[int, tuple[Sequence[int], list[Clause]]] = {}
        self._rarities: dict[tuple[Node, str | None], Reweighing] = {}  # a query's weights, by its language

    def _restriction(self, allowed: Sequence[int] | None) -> list[Clause]:
        if allowed is None:
            return [IS_ARTICLE]
        known = self._resolved.get(id(allowed))
        if known is not None and known[0] is allowed:
            return [IS_ARTICLE, *known[1]]
        return [docs_clause(list(allowed))]

    # -- the state -----------------------------------------------------------------------------

    def _commit_record(self) -> dict[str, Any]:
        return self._state

    @property
    def generation(self) -> int:
        return int(self._commit_record().get("generation", 0))

    @property
    def info(self) -> IndexInfo:
        return self._reader.info_at(str(self._commit_record().get("updated", "")))

    def _remember(self, hits: Iterable[dict[str, Any]]) -> None:
        for hit in hits:
            source = hit.get("_source")
            if source and "doc" in source:
                self._light[int(source["doc"])] = {**source, "_id": hit["_id"]}

    def _facts_of(self, docs: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Date, site, language, group and id of each of ``docs`` that exists, read once per snapshot."""
        wanted = set(docs)
        missing = wanted - self._light.keys() - self._gone
        if missing:
            self._remember(self._by_docs(missing, LIGHT_FIELDS))
            self._gone |= missing - self._light.keys()
        return {doc: self._light[doc] for doc in wanted if doc in self._light}

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
        # k1 and b are the index's (Lucene's BM25 defaults, 1.2 and 0.75, the local defaults too):
        # Lucene fixes them per index, so only the headline's weight varies per query.
        if allowed is not None and not allowed:
            return KeywordMatches([], 0)
        if (query, language) not in self._rarities:
            if len(self._rarities) >= CACHED_WEIGHTS:
                self._rarities.clear()  # bounded for a long-lived server's snapshot; clear() is one atomic step
            self._rarities[(query, language)] = rarity(query, language, self.info.analysis, self.termvectors)
        compiler = QueryCompiler(self.info.analysis, settings.title_boost, self._rarities[(query, language)])
        compiled = compiler.compile(query)
        restriction = self._restriction(allowed)
        body = {
            "query": {"bool": {"must": [compiled], "filter": restriction}},
            "size": min(max(depth, 0), PAGE),
            "sort": [{"_score": "desc"}, {"doc": "asc"}],
            "_source": LIGHT_FIELDS if depth <= PREFETCH else False,
            "track_total_hits": True,
        }
        found = self.search(body)
        self._remember(found["hits"]["hits"])
        run = [(int(hit["sort"][1]), float(hit["sort"][0])) for hit in found["hits"]["hits"]]
        total = int(found["hits"]["total"]["value"])
        watched: list[int] = []
        if watch:
            watching = {"bool": {"must": [compiled], "filter": [*restriction, docs_clause(list(watch))]}}
            watched = [int(hit["sort"][0]) for hit in self._all(watching)]
        return KeywordMatches(run, total, watched, compiler.reweighed)

    def excluded(self, query: Node, docs: Sequence[int], settings: KeywordSettings) -> set[int]:
        exclusion = excluded_by(query)
        if exclusion is None or not docs:
            return set()
        compiled = QueryCompiler(self.info.analysis, settings.title_boost).compile(exclusion)
        return {int(hit["sort"][0]) for hit in self._all({"bool": {"must": [compiled], "filter": [docs_clause(list(docs))]}})}

    def distinctive_words(self, article: Article, count: int, settings: KeywordSettings) -> list[str]:
        """The ``count`` most distinctive terms of the article's headline and body in its language's
        body field, by the Bo1 weight whoosh's key terms use (the local backend's choice), from the
        index's own analysis and term statistics (term vectors of the text as an artificial document)."""
        field = f"body{mapping.suffix(article.lang, self.info.analysis)}"
        text = {"doc": {field: f"{article.title}\n{article.text}"}, "fields": [field]}
        vectors = self.termvectors({"docs": [{**text, "term_statistics": True, "field_statistics": True}]})["docs"][0]
        found = vectors.get("term_vectors", {}).get(field)
        if not found:
            return []
        documents = max(int(found["field_statistics"].get("doc_count", 0)), 1)
        weights: list[tuple[float, str]] = []
        for term, stats in found["terms"].items():
            if len(term) <= 2:
                continue
            in_text = float(stats.get("term_freq", 0))
            in_collection = max(float(stats.get("ttf", 0)), in_text)
            frequency = in_collection / documents
            weights.append((in_text * math.log2((1.0 + frequency) / frequency) + math.log2(1.0 + frequency), term))
        weights.sort(key=lambda item: (-item[0], item[1]))
        return [term for _, term in weights[:count]]

    # -- vector side ---------------------------------------------------------------------------

    def vector_count(self) -> int:
        cached = self._reader.cached("vector_count", self.generation)
        if cached is None:
            cached = self._count({"exists": {"field": mapping.VECTOR}})
            self._reader.cache("vector_count", self.generation, cached)
        return int(cached)

    def nearest(
        self, vectors: np.ndarray, depth: int, allowed: Sequence[int] | None, strengths: Sequence[float] | None = None
    ) -> list[Run]:
        import numpy as np

        queries = np.asarray(vectors, dtype=np.float32)
        if (allowed is not None and not allowed) or depth <= 0:
            return [[] for _ in range(queries.shape[0])]
        restriction = self._restriction(allowed)
        means = self._language_means
        if means:
            return self._centered_nearest(queries, depth, restriction, means, strengths or [1.0] * len(queries))
        k = min(depth, PAGE)
        bodies = [knn_search(query, k, restriction, LIGHT_FIELDS if k <= PREFETCH else False) for query in queries]
        runs: list[Run] = []
        for found in self.search_many(bodies):
            self._remember(found["hits"]["hits"])
            # Lucene's cosine score is (1 + cos) / 2; the interface speaks cosines. Equal cosines
            # go to the lower document number, as locally.
            run = [(int(hit["fields"]["doc"][0]), 2.0 * float(hit["_score"]) - 1.0) for hit in found["hits"]["hits"]]
            runs.append(sorted(run, key=lambda item: (-item[1], item[0]))[:depth])
        return runs

    def _centered_nearest(
        self, queries: np.ndarray, depth: int, restriction: list[Clause], means: dict[str, np.ndarray], strengths: Sequence[float]
    ) -> list[Run]:
        """``nearest`` in an archive centered per language: each language's candidates, with their
        vectors, scored by cosines centered at each query's strength (``centering.py``)."""
        bodies = centering.knn_bodies(queries, min(language_means.candidates(depth), PAGE), restriction, means, LIGHT_FIELDS)
        answers = self.search_many(bodies)
        per_query = len(bodies) // len(queries)
        runs: list[Run] = []
        for number, (query, strength) in enumerate(zip(queries, strengths, strict=True)):
            own = answers[number * per_query : (number + 1) * per_query]
            hits = [hit for answer in own for hit in answer["hits"]["hits"]]
            found = {int(h["_source"]["doc"]): centering.decoded(h["_source"].pop(mapping.VECTOR_CODES, None)) for h in hits}
            # Articles written before the codes were: their vectors as the knn field holds them.
            for hit in self._by_docs([doc for doc, codes in found.items() if codes is None], ["doc", mapping.VECTOR]):
                found[int(hit["_source"]["doc"])] = hit["_source"].get(mapping.VECTOR)
            self._remember(hits)
            candidates = [(int(h["_source"]["doc"]), h["_source"].get("lang"), found[int(h["_source"]["doc"])]) for h in hits]
            scored = centering.centered_scores(query, candidates, means, strength)
            runs.append(sorted(scored, key=lambda item: (-item[1], item[0]))[:depth])
        return runs

    def centered_languages(self) -> list[str]:
        return sorted(self._language_means)

    @functools.cached_property
    def _language_means(self) -> dict[str, np.ndarray]:
        """The means searches center on, from the commit record this snapshot reads (none below
        two: one mean alone centers nothing)."""
        means = centering.means_of(self._state.get(mapping.CENTERING))
        return means if len(means) >= 2 else {}

    def embedding(self, doc: int) -> np.ndarray | None:
        import numpy as np

        for hit in self._by_docs([doc], [mapping.VECTOR]):
            values = hit["_source"].get(mapping.VECTOR)
            return None if values is None else np.asarray(values, dtype=np.float32)
        return None

    # -- documents -----------------------------------------------------------------------------

    def resolve_filter(self, wanted: SearchFilter) -> list[int] | None:
        if not wanted.active:
            return None
        clauses = filter_clauses(wanted)
        docs = [int(hit["sort"][0]) for hit in self._all({"bool": {"filter": [IS_ARTICLE, *clauses]}})]
        self._resolved[id(docs)] = (docs, clauses)
        return docs

    def documents(self) -> list[int]:
        return [int(hit["sort"][0]) for hit in self._all(IS_ARTICLE)]

    def facts(self, docs: Sequence[int]) -> dict[int, DocumentFacts]:
        return {doc: DocumentFacts(f.get("published"), f.get("site"), f.get("lang")) for doc, f in self._facts_of(docs).items()}

    def facets(self, docs: Sequence[int]) -> Facets:
        return facets_by_aggregation(docs, self.search)

    def articles(self, docs: Sequence[int]) -> dict[int, Article]:
        return {
            int(hit["_source"]["doc"]): mapping.article_of(hit["_id"], hit["_source"])
            for hit in self._by_docs(docs, mapping.ARTICLE_FIELDS)
        }

    def article_ids(self, docs: Iterable[int]) -> dict[int, str]:
        return {doc: str(f["_id"]) for doc, f in self._facts_of(docs).items()}

    def documents_of(self, article_ids: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(article_ids))
        found: dict[str, int] = {}
        for start in range(0, len(wanted), PAGE):
            chunk = wanted[start : start + PAGE]
            body = {
                "query": {"bool": {"filter": [IS_ARTICLE, {"ids": {"values": chunk}}]}},
                "size": len(chunk),
                "_source": ["doc"],
            }
            found.update({str(hit["_id"]): int(hit["_source"]["doc"]) for hit in self.search(body)["hits"]["hits"]})
        return found

    def find(self, id_or_url: str) -> tuple[int, Article] | None:
        for clause in ({"ids": {"values": [id_or_url]}}, {"term": {"url": id_or_url}}):
            body = {
                "query": {"bool": {"filter": [IS_ARTICLE, clause]}},
                "size": 1,
                "_source": mapping.ARTICLE_FIELDS,
                "sort": [{"doc": "asc"}],
            }
            hits = self.search(body)["hits"]["hits"]
            if hits:
                return int(hits[0]["_source"]["doc"]), mapping.article_of(hits[0]["_id"], hits[0]["_source"])
        return None

    def newest_published(self) -> str | None:
        body = {
            "query": IS_ARTICLE,
            "size": 1,
            "_source": ["published"],
            "sort": [{"published": {"order": "desc", "missing": "_last"}}],
        }
        hits = self.search(body)["hits"]["hits"]
        return hits[0]["_source"].get("published") if hits else None

    def languages(self) -> dict[str, int]:
        body = {"query": IS_ARTICLE, "size": 0, "aggs": {"lang": {"terms": {"field": "lang", "size": 10_000, "missing": "?"}}}}
        buckets = self.search(body)["aggregations"]["lang"]["buckets"]
        counts = {str(b["key"]): int(b["doc_count"]) for b in buckets}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    # -- near-duplicate groups -----------------------------------------------------------------

    def groups(self, docs: Sequence[int]) -> dict[int, str]:
        return {doc: str(f.get("group") or f["_id"]) for doc, f in self._facts_of(docs).items()}

    def group_of(self, article_id: str) -> str | None:
        body = {"query": {"bool": {"filter": [IS_ARTICLE, {"ids": {"values": [article_id]}}]}}, "size": 1, "_source": ["group"]}
        hits = self.search(body)["hits"]["hits"]
        return str(hits[0]["_source"].get("group") or article_id) if hits else None

    def shared_groups(self) -> dict[int, str]:
        cached = self._reader.cached("shared_groups", self.generation)
        if cached is not None:
            return dict(cached)
        copies = {str(hit["_source"]["group"]) for hit in self._all({"term": {"copy": True}}, ["group"])}
        shared: dict[int, str] = {}
        wanted = sorted(copies)
        for start in range(0, len(wanted), 1000):
            members = {"bool": {"filter": [IS_ARTICLE, {"terms": {"group": wanted[start : start + 1000]}}]}}
            shared.update({int(hit["sort"][0]): str(hit["_source"]["group"]) for hit in self._all(members, ["group"])})
        self._reader.cache("shared_groups", self.generation, shared)
        return shared

    def group_sizes(self, groups: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(groups))
        sizes: dict[str, int] = {}
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            body = {
                "query": {"bool": {"filter": [IS_ARTICLE, {"terms": {"group": chunk}}]}},
                "size": 0,
                "aggs": {"group": {"terms": {"field": "group", "size": len(chunk)}}},
            }
            buckets = self.search(body)["aggregations"]["group"]["buckets"]
            sizes.update({str(b["key"]): int(b["doc_count"]) for b in buckets})
        return sizes

    def group_members(self, article_id: str) -> list[Article]:
        group = self.group_of(article_id) or article_id
        body = {
            "query": {"bool": {"filter": [IS_ARTICLE, {"term": {"group": group}}]}},
            "size": PAGE,
            "_source": mapping.ARTICLE_FIELDS,
            # Oldest first: by day, undated copies last, equal days in the order they were stored.
            "sort": [{"published": {"order": "asc", "missing": "_last"}}, {"doc": "asc"}],
        }
        return [mapping.article_of(hit["_id"], hit["_source"]) for hit in self.search(body)["hits"]["hits"]]

    # -- the index itself ----------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        info = self.info
        skips = self._reader.meta_docs("skip")
        notes = self._reader.meta_docs("note")
        note_counts = Counter(str(note["kind"]) for doc in notes for note in doc.get("notes", []))
        return {
            "index": info.location,
            "articles": self._count(IS_ARTICLE),
            "model": info.model,
            "dim": info.dim,
            "embedded_text": info.embedded_text,
            "analysis": info.analysis,
            "format_version": info.format_version,
            "size_bytes": self._reader.size_bytes(),
            "languages": self.languages(),
            "centered_languages": self.centered_languages(),
            "skipped": dict(Counter(str(doc["reason"]) for doc in skips).most_common()),
            "notes": dict(note_counts.most_common()),
            "pending_changes": 0,  # written but not committed: not visible, and the next commit or open makes it so
            "problems": self._reader.problems(self._state),
            "created": info.created,
            "updated": info.updated,
            "generation": self.generation,
        }

    def skipped(self) -> list[Skip]:
        docs = self._reader.meta_docs("skip")
        return sorted(
            (Skip(str(d["source"]), str(d["reason"]), str(d.get("detail") or "")) for d in docs), key=lambda s: s.source
        )

    def noted(self) -> list[tuple[str, Note]]:
        found = [
            (str(d["source"]), Note(str(n["kind"]), str(n.get("detail") or "")))
            for d in self._reader.meta_docs("note")
            for n in d.get("notes", [])
        ]
        return sorted(found, key=lambda item: (item[0], item[1].kind))
