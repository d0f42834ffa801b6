"""The engine-neutral keyword query: what the query syntax means, before any engine sees it.

``search.query.syntax`` parses what a user typed into these nodes; each backend compiles them into its
own engine's query (``index.backends.local.keyword.compile`` for whoosh). The shape is the boolean
query that Lucene-family engines also use, so a second backend compiles it one node to one clause:

- ``Word``: one word as the user wrote it, searched in the headline, the body, or both, each in
  every language field of the index (the backend analyses it per field: stemming, folding, and a
  word such as "covid-19" may become several terms);
- ``Phrase``: the words in this order, next to each other;
- ``Term``: an index term exactly as the backend's own analysis produced it
  (``Snapshot.distinctive_words``), looked up in the body of one language and not analysed again:
  what "more like this" asks for;
- ``Bool``: documents matching every ``must`` clause (or, with none, at least one ``should``
  clause), and no ``must_not`` clause; the score adds up the clauses that match.

Nodes are immutable and hashable, so a parsed query can key a cache. ``KeywordSettings`` are the
query-time BM25F parameters every backend applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

Field = Literal["any", "title", "body"]


@dataclass(frozen=True)
class Word:
    text: str
    field: Field = "any"


@dataclass(frozen=True)
class Phrase:
    text: str
    field: Field = "any"


@dataclass(frozen=True)
class Term:
    text: str
    lang: str | None = None


@dataclass(frozen=True)
class Bool:
    must: tuple[Node, ...] = ()
    should: tuple[Node, ...] = ()
    must_not: tuple[Node, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.must or self.should)


Node: TypeAlias = Word | Phrase | Term | Bool


@dataclass(frozen=True)
class KeywordSettings:
    """BM25F parameters and the headline's weight, applied at query time (no re-indexing)."""

    k1: float = 1.2
    b: float = 0.75
    title_boost: float = 2.5


def positive_leaves(node: Node) -> Iterator[Word | Phrase | Term]:
    """The words and phrases a document is looked for by: everything outside ``must_not``."""
    if isinstance(node, Bool):
        for child in (*node.must, *node.should):
            yield from positive_leaves(child)
    else:
        yield node


def excluded_by(node: Node) -> Node | None:
    """The documents that cannot match ``node`` because of what it excludes (None: it excludes nothing).

    A group excludes what its ``must_not`` clauses match and what any of its ``must`` clauses
    excludes; a group of alternatives alone (no ``must``) excludes only what all of them exclude
    (optional clauses beside required ones exclude nothing: they only add to the score).
    """
    if not isinstance(node, Bool):
        return None
    parts: list[Node] = list(node.must_not)
    parts += [found for found in map(excluded_by, node.must) if found is not None]
    if not node.must and node.should:
        each = [excluded_by(child) for child in node.should]
        common = [found for found in each if found is not None]
        if len(common) == len(each):
            parts.append(common[0] if len(common) == 1 else Bool(must=tuple(common)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Bool(should=tuple(parts))
