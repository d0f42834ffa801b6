"""Searches inside one point in time: what every read of a snapshot goes through.

Each request names the snapshot's point in time (PIT), so the keyword side, the vector side, the
facts, the facets and the articles of one query read the same segments even while a writer
commits. A search that some shards did not answer is an error, never a shorter result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from index.backends.opensearch.compile import Clause, docs_clause
from index.errors import NewsSearchError

if TYPE_CHECKING:
    from index.backends.opensearch.reader import OpenSearchReader

PAGE = 10_000  # the most hits one request returns (the index's max_result_window)
PIT_KEEP_ALIVE = "2m"


class PitSearches:
    """The requests of one snapshot; a failed one retires the point in time (the next snapshot opens another)."""

    def __init__(self, reader: OpenSearchReader, pit: str) -> None:
        self._reader = reader
        self._client = reader.client
        self._pit = pit

    def search(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            result: dict[str, Any] = self._reader.call(
                self._client.search, body={**body, "pit": {"id": self._pit, "keep_alive": PIT_KEEP_ALIVE}}
            )
            self._complete(result)
        except Exception:
            self._reader.discard(self._pit)
            raise
        return result

    def _complete(self, result: dict[str, Any]) -> None:
        """A search that some shards did not answer (their node went away) is an error, never a
        silently shorter result: the next snapshot opens its point in time on the copies that live."""
        shards = result.get("_shards") or {}
        if shards.get("failed"):
            reasons = [str(f.get("reason", {}).get("type", "?")) for f in shards.get("failures", [])]
            raise NewsSearchError(
                f"{shards['failed']} of {shards.get('total')} shards of {self._reader.location} did not answer "
                f"({', '.join(sorted(set(reasons))) or 'no reason given'}): try again"
            )

    def search_many(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Several searches in one request (``_msearch``), each in the point in time."""
        if len(bodies) == 1:
            return [self.search(bodies[0])]
        pit = {"id": self._pit, "keep_alive": PIT_KEEP_ALIVE}
        lines: list[dict[str, Any]] = []
        for body in bodies:
            lines += [{}, {**body, "pit": pit}]
        try:
            answers = self._reader.call(self._client.msearch, body=lines)["responses"]
            for answer in answers:
                if "error" in answer:
                    raise NewsSearchError(f"a search of {self._reader.location} failed: {str(answer['error'])[:300]}")
                self._complete(answer)
        except Exception:
            self._reader.discard(self._pit)
            raise
        return list(answers)

    def termvectors(self, body: dict[str, Any]) -> dict[str, Any]:
        """An ``_mtermvectors`` request to the articles index: texts analysed by its fields, with
        their term statistics. Term vectors take no point in time; their statistics are the latest
        refresh's, which weigh words (``rarity.py``, ``distinctive_words``) and select nothing."""
        answer: dict[str, Any] = self._reader.call(self._client.mtermvectors, index=self._reader.location.name, body=body)
        return answer

    def _all(self, query: Clause, source: list[str] | bool = False) -> Iterator[dict[str, Any]]:
        """Every hit of ``query`` in document-number order, a page at a time."""
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {
                "query": query,
                "size": PAGE,
                "sort": [{"doc": "asc"}],
                "_source": source,
                "track_total_hits": False,
            }
            if after is not None:
                body["search_after"] = after
            hits = self.search(body)["hits"]["hits"]
            yield from hits
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"]

    def _by_docs(self, docs: Iterable[int], source: list[str] | bool) -> Iterator[dict[str, Any]]:
        wanted = sorted(set(docs))
        for start in range(0, len(wanted), PAGE):
            chunk = wanted[start : start + PAGE]
            body = {"query": {"bool": {"filter": [docs_clause(chunk)]}}, "size": len(chunk), "_source": source}
            yield from self.search(body)["hits"]["hits"]

    def _count(self, query: Clause) -> int:
        found = self.search({"query": query, "size": 0, "track_total_hits": True})
        return int(found["hits"]["total"]["value"])
