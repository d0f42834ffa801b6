"""The whole result set of a query, for timelines, exports and facets (``Request.whole``).

The search page asks for the same set twice (its facets, then its timeline), so the last one is
kept, for as long as the committed state it came from is the current one.
"""

from __future__ import annotations

from index.backends.base import Run, Snapshot
from index.backends.filters import SearchFilter
from search.query.parser import ParsedQuery
from search.ranking.pipeline import Mode, Pipeline, Request, Sort
from search.ranking.recency import RecencySettings

# Ranked at the depth of a default page, so an export lists the set in the order of its pages.
DEFAULT_LIMIT = 10


class WholeSets:
    """Whole ranked result sets over one pipeline, the last one remembered."""

    def __init__(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline
        self._last: tuple[tuple[object, ...], Run] | None = None

    def ranked(
        self, snapshot: Snapshot, parsed: ParsedQuery, mode: Mode, wanted: SearchFilter, sort: Sort, collapse_copies: bool
    ) -> Run:
        """Every article the query matches under ``wanted`` (up to MAX_RESULTS), ranked as its pages are."""
        allowed = snapshot.resolve_filter(wanted)
        request = Request(
            parsed, mode, DEFAULT_LIMIT, 0, allowed, sort, RecencySettings(), collapse_copies=collapse_copies, whole=True
        )  # fmt: skip
        key = self._key(snapshot, request, wanted)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        run = self._pipeline.search(snapshot, request).ranked
        self._last = (key, run)
        return run

    def remember(self, snapshot: Snapshot, request: Request, wanted: SearchFilter, run: Run) -> None:
        """Keep the whole set a page was cut from (``request.whole``), for the timeline that follows."""
        if request.whole and not request.recency.active:
            self._last = (self._key(snapshot, request, wanted), run)

    def _key(self, snapshot: Snapshot, request: Request, wanted: SearchFilter) -> tuple[object, ...]:
        depth = max(self._pipeline.fusion.depth, 10 * request.limit)
        return (
            snapshot.generation, request.parsed.text, request.mode, repr(wanted), request.sort, request.collapse_copies,
            depth, request.query_lang,
        )  # fmt: skip
