"""The engine-neutral query (``index.backends.query``) and filter (``SearchFilter``) as query DSL.

One node becomes one clause, as the local compiler does for whoosh: a ``Word`` is a ``match`` in
every text field it may be in (each field analyses it with its own language's analyzer), a word
found in a headline field weighs ``title_boost`` times as much unless the user named the field,
and the clauses add up (``bool.should``), which is the sum over fields of per-field BM25 that the
local backend scores; a query of a known language weighs its words in other languages' fields no
rarer than in its own, as term clauses with the boosts ``rarity.py`` works out (a ``match`` is
the sum of its terms' clauses, so nothing else changes); a ``Phrase`` is a ``match_phrase`` per field; a ``Term`` is a ``term`` in
one language's body field, not analysed again; a ``Bool`` is a ``bool``. A ``Word`` that no field
can hold (nothing left after analysis) matches nothing, in ``must`` as locally.

The filter is the one ``index.backends.filters`` defines and the local store resolves in SQL:
sites and authors match case-insensitively anywhere in the stored value (a ``wildcard``), dates
are ISO text compared as text (a stored datetime on the last day passes ``until``), languages
compare lower-cased.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from index.backends import query as neutral
from index.backends.filters import SearchFilter
from index.backends.opensearch.mapping import VECTOR, suffix, text_fields
from index.backends.opensearch.rarity import Reweighing

Clause = dict[str, Any]
MATCH_NONE: Clause = {"match_none": {}}
IS_ARTICLE: Clause = {"exists": {"field": "doc"}}  # every article has a number; the state record has none


class QueryCompiler:
    """Compiles neutral queries for one analysis and headline weight, with the ``weights`` of the
    query's words in other languages' fields (``rarity.py``) where the query's language is known."""

    def __init__(self, analysis: str, title_boost: float, weights: Reweighing | None = None) -> None:
        self.analysis = analysis
        self._weights = weights or {}
        # The words the compiled query reweighed, for explanations: "field:word" -> the share of the field's weight.
        self.reweighed: dict[str, float] = {}
        names = text_fields(analysis)
        self._fields: dict[neutral.Field, list[str]] = {
            "any": names,
            "title": [name for name in names if name.startswith("title")],
            "body": [name for name in names if name.startswith("body")],
        }
        self._boost = {name: (title_boost if name.startswith("title") else 1.0) for name in names}

    def compile(self, node: neutral.Node) -> Clause:
        return self._compile(node) or MATCH_NONE

    def _compile(self, node: neutral.Node) -> Clause | None:
        if isinstance(node, neutral.Bool):
            return self._bool(node)
        if isinstance(node, neutral.Term):
            return {"term": {f"body{suffix(node.lang, self.analysis)}": node.text}}
        kind = "match_phrase" if isinstance(node, neutral.Phrase) else "match"
        clauses: list[Clause] = []
        for name in self._fields[node.field]:
            boost = self._boost[name] if node.field == "any" else 1.0
            reweighed = self._weights.get((name, node.text))
            if reweighed and (kind == "match" or len(reweighed) == 1):  # a phrase of several words is not reweighed, as locally
                clauses.append({"bool": {"should": [{"term": {name: {"value": t, "boost": boost * c}}} for t, c in reweighed]}})
                for term, share in reweighed:
                    if share != 1.0:  # said as the query wrote it where the text is one word, as locally
                        self.reweighed[f"{name}:{node.text if len(reweighed) == 1 else term}"] = share
            else:
                clauses.append({kind: {name: {"query": node.text, "boost": boost}}})
        return {"bool": {"should": clauses}} if clauses else None

    def _bool(self, node: neutral.Bool) -> Clause | None:
        must = [c for c in map(self._compile, node.must) if c is not None]
        should = [c for c in map(self._compile, node.should) if c is not None]
        excluded = [c for c in map(self._compile, node.must_not) if c is not None]
        if node.must and len(must) < len(node.must):
            return None
        if not must and not should:
            return None
        compiled: dict[str, Any] = {}
        if must:
            compiled["must"] = must
        if should:
            compiled["should"] = should
            if not must:
                compiled["minimum_should_match"] = 1
        if excluded:
            compiled["must_not"] = excluded
        return {"bool": compiled}


def filter_clauses(wanted: SearchFilter) -> list[Clause]:
    """The ``bool.filter`` clauses of a metadata filter (``[]`` when it filters nothing)."""
    clauses: list[Clause] = []
    if wanted.since:
        clauses.append({"range": {"published": {"gte": wanted.since}}})
    if wanted.until:
        clauses.append({"range": {"published": {"lte": wanted.until + "\uffff"}}})
    for field, values in (("site", wanted.sites), ("author", wanted.authors)):
        if values:
            clauses.append({"bool": {"should": [_contains(field, v) for v in values], "minimum_should_match": 1}})
    if wanted.langs:
        clauses.append({"terms": {"lang": [v.lower() for v in wanted.langs]}})
    excluded = [_contains("site", v) for v in wanted.not_sites] + [_contains("author", v) for v in wanted.not_authors]
    if wanted.not_langs:
        excluded.append({"terms": {"lang": [v.lower() for v in wanted.not_langs]}})
    if excluded:
        clauses.append({"bool": {"must_not": excluded}})
    return clauses


def _contains(field: str, value: str) -> Clause:
    escaped = value.lower().replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
    return {"wildcard": {field: {"value": f"*{escaped}*", "case_insensitive": True}}}


def docs_clause(docs: list[int] | tuple[int, ...]) -> Clause:
    return {"terms": {"doc": list(docs)}}


def knn_search(vector: Sequence[float], k: int, restriction: list[Clause], source: list[str] | bool) -> dict[str, Any]:
    """The ``k`` nearest of ``vector`` among the documents ``restriction`` keeps (inside the ``knn``
    clause: efficient filtering), with ``source`` and each hit's document number."""
    knn: dict[str, Any] = {"vector": [float(x) for x in vector], "k": k}
    if restriction != [IS_ARTICLE]:
        knn["filter"] = {"bool": {"filter": restriction}}
    return {"query": {"knn": {VECTOR: knn}}, "size": k, "_source": source, "docvalue_fields": ["doc"]}
