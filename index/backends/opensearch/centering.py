"""Per-language centering on a cluster (issue 15): language sums kept by the writer, and a k-NN
search that centers its candidates as it reads them.

Locally the vector file holds centered vectors (``index.backends.local.centering``). A cluster
keeps every vector as embedded instead, so that no change of a mean ever rewrites the vectors of a
language on the cluster:

- **The writer** keeps, per language, the number of articles with a vector and the sum of their
  vectors (``LanguageSums``, in float64), and writes them into the commit record, in the same
  bulk request as the generation: a snapshot's point in time holds the sums of exactly the
  articles it sees. A language's mean is its sum over its count, so it is the mean of every
  article of that language, where the local index takes the mean of a sample (both center alike:
  see ``index.backends.language_means``). Replacing or deleting an article subtracts its stored
  vector, read by a real-time ``mget`` before the batch is sent. A writer that finds writes it did
  not commit (a killed writer's), or a commit record without sums (an index written before
  centering), adds the sums up again from every stored vector (``scan_sums``).
- **The reader** asks one ``knn`` query per language with a mean (and one for the articles of
  other languages), each restricted to that language and probed with the centered query
  (``probe``), for ``language_means.candidates(depth)`` neighbours with their vectors as float16 codes
  (``mapping.VECTOR_CODES``: the knn field's floats took about 3 times as long to fetch). On the
  mixed bbc-news + indosum-dev archive each language's nearest ``depth`` articles so found hold
  99.7-100% of the exact centered top 100 (probed with the query as embedded, 82-89%). The
  candidates are then scored by their centered cosines, as the local index scores them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from index.backends import language_means
from index.backends.opensearch import mapping
from index.backends.opensearch.compile import IS_ARTICLE, Clause, knn_search
from index.backends.opensearch.transport import request

METHOD = "language-sums"
# Languages that name no language: their articles are centered on the query mean, as locally.
UNNAMED = ("", "?")
SCAN_PAGE = 1000

# A candidate of a centered search: its document number, language and vector (None: unknown).
Candidate = tuple[int, str | None, Sequence[float] | np.ndarray | None]
# The language and vector, as stored, of each of some articles (``stored_versions``).
Stored = Callable[[Sequence[str]], Mapping[str, tuple[str, np.ndarray | None]]]


@dataclass
class LanguageSums:
    """Per language: how many articles have a vector, and the sum of those vectors."""

    counts: dict[str, int] = field(default_factory=dict)
    sums: dict[str, np.ndarray] = field(default_factory=dict)
    # In the batch being collected: the latest staged version of each article touched (None once
    # deleted), and the articles whose version stored before the batch must be taken out.
    _staged: dict[str, tuple[str, np.ndarray | None] | None] = field(default_factory=dict)
    _replaced: set[str] = field(default_factory=set)
    _before: tuple[dict[str, int], dict[str, np.ndarray]] | None = None

    # -- the record ------------------------------------------------------------------------------

    def record(self) -> dict[str, Any]:
        """What the commit record keeps."""
        return {
            "method": METHOD,
            "languages": {
                lang: {"articles": self.counts[lang], "sum": [float(v) for v in self.sums[lang]]}
                for lang in sorted(self.counts)
                if self.counts[lang] > 0
            },
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None) -> LanguageSums | None:
        """The sums a commit record holds; None for a record without them (or of another method)."""
        if not isinstance(record, Mapping) or record.get("method") != METHOD:
            return None
        found = cls()
        for lang, entry in dict(record.get("languages") or {}).items():
            found.counts[str(lang)] = int(entry["articles"])
            found.sums[str(lang)] = np.asarray(entry["sum"], dtype=np.float64)
        return found

    def means(self) -> dict[str, np.ndarray]:
        """The mean vector of each language with at least ``MIN_ARTICLES`` articles."""
        return {
            lang: self.sums[lang] / count
            for lang, count in self.counts.items()
            if count >= language_means.MIN_ARTICLES and lang not in UNNAMED
        }

    # -- changes ---------------------------------------------------------------------------------

    def begin(self) -> None:
        """A batch starts: ``rollback`` returns to this point."""
        self._staged, self._replaced = {}, set()
        self._before = (dict(self.counts), {lang: total.copy() for lang, total in self.sums.items()})

    def rollback(self) -> None:
        if self._before is not None:
            self.counts, self.sums = self._before
        self._staged, self._replaced, self._before = {}, set(), None

    def stage(self, article_id: str, lang: str | None, vector: Any, *, existed: bool) -> None:
        """An article written in this batch (``existed``: it replaces a version written earlier)."""
        self._take_out(article_id, existed)
        values = None if vector is None else np.asarray(vector, dtype=np.float64).reshape(-1)
        if values is not None:
            self._add(lang or "", values, 1)
        self._staged[article_id] = (lang or "", values)

    def stage_delete(self, article_id: str) -> None:
        self._take_out(article_id, True)
        self._staged[article_id] = None

    def settle(self, stored: Stored) -> None:
        """Before the batch is sent: the versions it replaces, as stored, taken out of the sums."""
        for lang, values in stored(sorted(self._replaced)).values():
            if values is not None:
                self._add(lang, np.asarray(values, dtype=np.float64), -1)
        self._staged, self._replaced = {}, set()

    def keep(self) -> None:
        """The batch was sent: its sums stand."""
        self._staged, self._replaced, self._before = {}, set(), None

    def _take_out(self, article_id: str, existed: bool) -> None:
        if article_id in self._staged:
            earlier = self._staged[article_id]
            if earlier is not None and earlier[1] is not None:
                self._add(earlier[0], earlier[1], -1)
        elif existed:
            self._replaced.add(article_id)

    def _add(self, lang: str, values: np.ndarray, sign: int) -> None:
        if lang not in self.sums:
            self.sums[lang], self.counts[lang] = np.zeros(values.shape[0], dtype=np.float64), 0
        self.sums[lang] += sign * values
        self.counts[lang] += sign


def means_of(record: Mapping[str, Any] | None) -> dict[str, np.ndarray]:
    """The language means of a commit record's sums (none for a record without them)."""
    sums = LanguageSums.from_record(record)
    return {} if sums is None else sums.means()


def open_sums(client: Any, index: str, state: Mapping[str, Any], *, recount: bool) -> LanguageSums:
    """The sums a writer starts from: the commit record's, or (``recount``: a killed writer left
    writes they do not count; or the record has none) added up again from the stored vectors. An
    index created before centering gains the two fields here (the record's sums and the vector
    codes, neither searched)."""
    added = {mapping.CENTERING: mapping.CENTERING_MAPPING, mapping.VECTOR_CODES: mapping.CODES_MAPPING}
    client.indices.put_mapping(index=index, body={"properties": added})
    recorded = LanguageSums.from_record(state.get(mapping.CENTERING))
    if recorded is not None and not recount:
        return recorded
    return scan_sums(lambda body: request(client.search, index=index, body=body))


def scan_sums(search: Callable[[dict[str, Any]], dict[str, Any]]) -> LanguageSums:
    """The sums added up from every stored vector (``search``: a search of the articles index)."""
    found = LanguageSums()
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {
            "query": IS_ARTICLE, "size": SCAN_PAGE, "sort": [{"doc": "asc"}],
            "_source": ["lang", mapping.VECTOR], "track_total_hits": False,
        }  # fmt: skip
        if after is not None:
            body["search_after"] = after
        hits = search(body)["hits"]["hits"]
        for hit in hits:
            values = hit["_source"].get(mapping.VECTOR)
            if values is not None:
                found._add(str(hit["_source"].get("lang") or ""), np.asarray(values, dtype=np.float64), 1)
        if len(hits) < SCAN_PAGE:
            return found
        after = hits[-1]["sort"]


def stored_versions(client: Any, index: str, ids: Sequence[str]) -> dict[str, tuple[str, np.ndarray | None]]:
    """The language and vector of each article in ``ids`` as stored now (real time: also what was
    written but not yet refreshed)."""
    found: dict[str, tuple[str, np.ndarray | None]] = {}
    fields = f"lang,{mapping.VECTOR}"
    for start in range(0, len(ids), SCAN_PAGE):
        body = {"ids": list(ids[start : start + SCAN_PAGE])}
        answer = request(client.mget, index=index, body=body, params={"_source_includes": fields})
        for doc in answer["docs"]:
            if doc.get("found"):
                source = doc["_source"]
                values = source.get(mapping.VECTOR)
                found[str(doc["_id"])] = (str(source.get("lang") or ""), None if values is None else np.asarray(values))
    return found


# -- the read side -----------------------------------------------------------------------------


def probe(query: np.ndarray, means: Mapping[str, np.ndarray]) -> list[float]:
    """The vector each language is searched with: the centered query. A language's articles less
    their mean rank, against it, as the articles as embedded do less a constant, up to the length
    of each article less the mean, so its nearest as embedded are nearly its nearest centered."""
    return [float(x) for x in language_means.center_queries(np.asarray(query, dtype=np.float64)[None, :], means)[0]]


def decoded(codes: str | None) -> np.ndarray | None:
    """A vector from its float16 codes (``mapping.vector_codes``); None without codes."""
    return None if codes is None else np.frombuffer(base64.b64decode(codes), dtype="<f2").astype(np.float64)


def language_clauses(means: Mapping[str, np.ndarray]) -> list[Clause]:
    """One restriction per language with a mean, and one for the articles of every other language."""
    named = sorted(means)
    return [*({"term": {"lang": lang}} for lang in named), {"bool": {"must_not": [{"terms": {"lang": named}}]}}]


def knn_bodies(
    queries: np.ndarray, k: int, restriction: list[Clause], means: Mapping[str, np.ndarray], fields: list[str]
) -> list[dict[str, Any]]:
    """The searches of a centered k-NN search: for each query, one per ``language_clauses`` group,
    probed with the centered query, ``fields`` and the vector codes of each hit brought back."""
    groups, source = language_clauses(means), [*fields, mapping.VECTOR_CODES]
    probes = [probe(query, means) for query in queries]
    return [knn_search(vector, k, [*restriction, clause], source) for vector in probes for clause in groups]


def centered_scores(
    query: np.ndarray, hits: Iterable[Candidate], means: Mapping[str, np.ndarray], strength: float = 1.0
) -> list[tuple[int, float]]:
    """The cosine of each candidate ``(doc, lang, vector)`` with ``query`` (as embedded), both
    centered at ``strength`` (``language_means.centered_cosines``)."""
    found = [hit for hit in hits if hit[2] is not None]
    if not found:
        return []
    matrix = np.asarray([values for _, _, values in found], dtype=np.float64)
    scores = language_means.centered_cosines(query, matrix, [lang for _, lang, _ in found], means, strength)
    return [(doc, float(score)) for (doc, _, _), score in zip(found, scores, strict=True)]
