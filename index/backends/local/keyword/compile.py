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

A query of a known language (``language``, its stemmed fields' code) weighs a word found in another
language's stemmed fields as rare as the word is in its own language (``rarity``), not as rare as it
is there: an English query's "government" in an Indonesian article's ``body_id`` is rare among
Indonesian articles, and scored with that idf it lifted Indonesian articles quoting English above
the English ones that were wanted (English headlines on the mixed bbc-news + indosum-dev archive:
keyword MRR@10 0.759 against 0.788 on bbc-news alone; with the query language's rarity 0.787,
docs/relevance.md). The rule works both ways: a word the query's language rarely has but the field's
language uses often ("jalan" in an Indonesian word of an English-detected query, "Jakarta" in an
Indonesian query's match of an English article) weighs more than that field alone would give it, so
every match of a word weighs about the same in either language. Lifting them as well as lowering
was measured against lowering only: Indonesian translations of English headlines gained 0.011
hybrid MRR@10 (0.697 to 0.708), every other row moved by 0.0005 or less (docs/relevance.md).
The weight is a clause boost (the ratio of the two idfs), so whoosh and the column scorer, which
both take boosts, stay equal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from whoosh.query import And, AndMaybe, AndNot, NullQuery, Or, Phrase, Query, Term

from index.analysis import ANALYSES
from index.backends import query as neutral
from index.backends.local.keyword.exclusions import own_exclusions
from index.backends.local.keyword.schema import build_schema, field_suffix, text_fields

# The idf BM25 gives a term in a field (``bm25.group_weights``), for the cross-language weights.
Rarity = Callable[[str, bytes], float]


class QueryCompiler:
    """Compiles neutral queries for one schema and headline weight; with ``language`` and ``rarity``,
    weighs the words found in other languages' stemmed fields by their rarity in ``language`` (module docstring)."""

    def __init__(self, schema: Any, title_boost: float, language: str | None = None, rarity: Rarity | None = None) -> None:
        self._schema = current_analysis(schema)
        names_held = set(self._schema.names())
        self._language = language if rarity is not None and f"body_{language}" in names_held else None
        self._rarity = rarity
        names = text_fields(self._schema)
        self._fields: dict[neutral.Field, list[str]] = {
            "any": names,
            "title": [name for name in names if name.split("_")[0] == "title"],
            "body": [name for name in names if name.split("_")[0] == "body"],
        }
        self._boost = {name: (title_boost if name.startswith("title") else 1.0) for name in names}
        # The words weighed by the query language's rarity, for explanations: "field:word" -> the share of
        # the field's own weight they got.
        self.reweighed: dict[str, float] = {}

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
                weights = self._weights(name, node.text, words)
                clauses.extend(Term(name, word, boost=boost * w) for word, w in zip(words, weights, strict=True))
        return Or(clauses) if clauses else None

    def _weights(self, name: str, text: str, words: list[str]) -> list[float]:
        """Per word of ``text`` as ``name`` analyses it: 1, or for a field of another language than the
        query's, the query language's idf of the word over this field's."""
        kind, _, field_language = name.partition("_")
        if self._language is None or self._rarity is None or not field_language or field_language == self._language:
            return [1.0] * len(words)
        own_field = f"{kind}_{self._language}"
        own_words = list(self._schema[own_field].process_text(text, mode="query"))
        if len(own_words) != len(words):
            return [1.0] * len(words)  # the two analyses split the text differently: no pairing
        weights = []
        for word, own in zip(words, own_words, strict=True):
            theirs = self._rarity(name, word.encode("utf-8"))
            mine = self._rarity(own_field, own.encode("utf-8"))
            # A field or language no article has gives no rarity to weigh by: the word keeps its weight.
            weights.append(mine / theirs if 0 < theirs < math.inf and mine < math.inf else 1.0)
            if weights[-1] != 1.0:  # said as the query wrote it where the text is one word ("Russian", not "russi")
                self.reweighed[f"{name}:{text if len(words) == 1 else word}"] = weights[-1]
        return weights

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
