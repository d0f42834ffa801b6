"""Exclusions that hold: whoosh's ``AndNot`` replaced by a matcher that never lets an excluded document through.

whoosh's AndNotMatcher only checks the excluded matcher against the first document when both
happen to start on the same one: when the excluded term's first posting comes earlier, the
included term's first document is returned even if it is excluded (["neg", "pos neg"]:
"pos ANDNOT neg" finds "pos neg"), in whoosh-reloaded 2.7.5 and whoosh3 alike. The compiled
query's AndNot nodes (and And's Not children) are therefore replaced by ``Excluding``, which
collects the excluded documents of the segment first and skips them: the scores are those of
the included side, exactly as whoosh's AndNot scores them.
"""

from __future__ import annotations

from typing import Any

from whoosh.matching import WrappingMatcher
from whoosh.query import And, AndNot, BinaryQuery, CompoundQuery, Not, Or, Query, WrappingQuery


class Excluding(AndNot):  # type: ignore[misc]  # whoosh ships no type information
    """``a`` without the documents that match ``b`` (whoosh's AndNot, with a matcher that holds)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        scored = self.a.matcher(searcher, context)
        if not scored.is_active():
            return scored
        excluded = frozenset(self.b.docs(searcher))
        return _ExcludingMatcher(scored, excluded) if excluded else scored


class _ExcludingMatcher(WrappingMatcher):  # type: ignore[misc]
    """The child's postings but those in ``excluded`` (document numbers of the same segment)."""

    def __init__(self, child: Any, excluded: frozenset[int], boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self._excluded = excluded
        self._skip_excluded()

    def _skip_excluded(self) -> None:
        child = self.child
        while child.is_active() and child.id() in self._excluded:
            child.next()

    def copy(self) -> _ExcludingMatcher:
        return _ExcludingMatcher(self.child.copy(), self._excluded, self.boost)

    def _replacement(self, newchild: Any) -> _ExcludingMatcher:
        return _ExcludingMatcher(newchild, self._excluded, self.boost)

    def reset(self) -> None:
        self.child.reset()
        self._skip_excluded()

    def next(self) -> bool:
        self.child.next()
        self._skip_excluded()
        return False

    def skip_to(self, id: int) -> None:  # whoosh's parameter name
        self.child.skip_to(id)
        self._skip_excluded()

    def supports_block_quality(self) -> bool:
        # Skipping by block quality would step the child past our check; the collector then
        # visits every posting, as it does for phrases.
        return False

    def all_ids(self) -> Any:
        return (docnum for docnum in self.child.all_ids() if docnum not in self._excluded)

    def all_items(self) -> Any:
        return (item for item in self.child.all_items() if item[0] not in self._excluded)


def own_exclusions(query: Query) -> Query:
    """``query`` with every AndNot, and every Not among an And's parts, made an ``Excluding``."""
    if not _negates(query):
        return query
    if isinstance(query, AndNot):
        return Excluding(own_exclusions(query.a), own_exclusions(query.b))
    if isinstance(query, And) and any(isinstance(sub, Not) for sub in query.subqueries):
        kept = [own_exclusions(sub) for sub in query.subqueries if not isinstance(sub, Not)]
        dropped = [own_exclusions(sub.query) for sub in query.subqueries if isinstance(sub, Not)]
        if kept:
            return Excluding(And(kept, boost=query.boost), dropped[0] if len(dropped) == 1 else Or(dropped))
    if isinstance(query, Not):
        return Not(own_exclusions(query.query), boost=query.boost)
    return _with_children(query, own_exclusions)


def _negates(query: Query) -> bool:
    return isinstance(query, (AndNot, Not)) or any(_negates(child) for child in query.children())


def _with_children(query: Query, rewrite: Any) -> Query:
    import copy

    # Not Query.apply: it rebuilds compound queries from their parts and boost only, losing Or's scale.
    if isinstance(query, CompoundQuery):
        new = copy.copy(query)
        new.subqueries = [rewrite(sub) for sub in query.subqueries]
        return new
    if isinstance(query, BinaryQuery):
        new = copy.copy(query)
        new.a, new.b = rewrite(query.a), rewrite(query.b)
        return new
    if isinstance(query, WrappingQuery):
        new = copy.copy(query)
        new.child = rewrite(query.child)
        return new
    return query.apply(rewrite)
