"""The engine-neutral keyword query (``index.backends.query``) compiled into a whoosh query.

Each word is analysed by every text field it may match (plain and per-language stemmed), so the
query meets each language on its own terms without guessing the query's language; a word found in a
headline field weighs ``title_boost`` times as much, unless the user restricted it to the headline
or the body. The result has the shape whoosh's own multi-field parser gave (a flat ``Or`` of
``Term``s for a plain query), which the column scorer (``scoring.py``) recognises and answers with
numpy; exclusions become ``Excluding`` (``exclusions.py``), which never lets an excluded document
through, and the column scorer takes them off at the top.

Queries are analysed with this release's analysis even in an index whose stored schema is older
(``current_analysis``).
"""

from __future__ import annotations

from typing import Any

from whoosh.query import And, AndMaybe, AndNot, NullQuery, Or, Phrase, Query, Term

from index.analysis import ANALYSES
from index.backends import query as neutral
from index.backends.local.keyword.exclusions import own_exclusions
from index.backends.local.keyword.schema import build_schema, field_suffix, text_fields


class QueryCompiler:
    """Compiles neutral queries for one schema and headline weight."""

    def __init__(self, schema: Any, title_boost: float) -> None:
        self._schema = current_analysis(schema)
        names = text_fields(self._schema)
        self._fields: dict[neutral.Field, list[str]] = {
            "any": names,
            "title": [name for name in names if name.split("_")[0] == "title"],
            "body": [name for name in names if name.split("_")[0] == "body"],
        }
        self._boost = {name: (title_boost if name.startswith("title") else 1.0) for name in names}

    def compile(self, node: neutral.Node) -> Query:
        """The whoosh query for ``node`` (``NullQuery`` when no field can hold any of its words)."""
        compiled = self._compile(node)
        return own_exclusions(compiled.normalize()) if compiled is not None else NullQuery

    def _compile(self, node: neutral.Node) -> Query | None:
        if isinstance(node, neutral.Bool):
            return self._bool(node)
        if isinstance(node, neutral.Term):
            return Term(f"body{field_suffix(node.lang, self._schema)}", node.text)
        clauses: list[Query] = []
        for name in self._fields[node.field]:
            boost = self._boost[name] if node.field == "any" else 1.0
            words = list(self._schema[name].process_text(node.text, mode="query"))
            if isinstance(node, neutral.Phrase) and len(words) > 1:
                clauses.append(Phrase(name, words, boost=boost))
            else:
                clauses.extend(Term(name, word, boost=boost) for word in words)
        return Or(clauses) if clauses else None

    def _bool(self, node: neutral.Bool) -> Query | None:
        must = [q for q in map(self._compile, node.must) if q is not None]
        should = [q for q in map(self._compile, node.should) if q is not None]
        excluded = [q for q in map(self._compile, node.must_not) if q is not None]
        if node.must and not must:
            return None  # a required word that no field can hold: nothing matches
        base: Query | None
        if must and should:
            base = AndMaybe(And(must), Or(should))
        elif must:
            base = And(must)
        else:
            base = Or(should) if should else None
        if base is None:
            return None
        return AndNot(base, Or(excluded)) if excluded else base


def current_analysis(schema: Any) -> Any:
    """This release's analysis of query words, also for an index whose stored schema is older.

    An index written before possessives were folded analyses its documents as it always did (see
    schema.py), so its "Kim's" is indexed as "kim" and "s"; a query analysed today asks for "kim"
    alone, which that index holds too. Only the same field names make the swap safe.
    """
    names = set(schema.names())
    for analysis in ANALYSES:
        current = build_schema(analysis)
        if set(current.names()) == names:
            return current
    return schema
