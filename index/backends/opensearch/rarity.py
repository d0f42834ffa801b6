"""A query of a known language weighs its words in another language's fields as rare as it has them
in its own (issue 15), on the cluster as the local backend does.

The rule is the local compiler's (``index.backends.local.keyword.compile``): a word found in another
language's stemmed field (an English query's "government" in ``body_id``) weighs the idf it has in
the query language's field, as a clause boost of the ratio of the two idfs, above 1 as well as
below. The two analyses are paired word for word only where they split the text alike; a word
without a pairing keeps its weight.

Lucene takes a field's statistics from the documents that have the field, which are one language's
articles for a stemmed field (``mapping``), so the idfs are those the cluster scores with. One
``_mtermvectors`` request per query gives them: an artificial document per word of the query,
holding it in every stemmed field, comes back analysed by each field's analyzer (terms with their
positions), with each term's document frequency and each field's document count. They are the
statistics of the shard the artificial document goes to: the whole index with one shard (the
default), else one shard's, as a search of the default ``query_then_fetch`` type scores with its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from index.backends import query as neutral
from index.backends.opensearch.mapping import TEXT_FIELDS, suffixes

# (field, the text of a Word or Phrase) -> its terms in that field, in order, each with its weight
# (the query language's idf over the field's). Only texts with a term not weighed 1 are listed.
Reweighing = Mapping[tuple[str, str], tuple[tuple[str, float], ...]]


def stemmed_fields(analysis: str) -> dict[str, list[str]]:
    """The stemmed text fields of an index of ``analysis``, by their language code."""
    by_language: dict[str, list[str]] = {}
    for end in suffixes(analysis):
        if end:
            by_language[end.lstrip("_")] = [f"{kind}{end}" for kind in TEXT_FIELDS]
    return by_language


def texts_of(node: neutral.Node) -> Iterator[str]:
    """The texts the compiler analyses per field: every Word's and Phrase's, in the query's order."""
    if isinstance(node, neutral.Bool):
        for child in (*node.must, *node.should, *node.must_not):
            yield from texts_of(child)
    elif isinstance(node, neutral.Word | neutral.Phrase):
        yield node.text


def rarity(query: neutral.Node, language: str | None, analysis: str, termvectors: Callable[[dict[str, Any]], Any]) -> Reweighing:
    """The weights of ``query``'s words for a query in ``language`` (a keyword-field code); ``termvectors``
    sends an ``_mtermvectors`` body to the articles index and returns its answer."""
    fields = stemmed_fields(analysis)
    if language is None or language not in fields or len(fields) < 2:
        return {}
    texts = list(dict.fromkeys(texts_of(query)))
    if not texts:
        return {}
    every = [name for names in fields.values() for name in names]
    options = {"fields": every, "positions": True, "offsets": False, "term_statistics": True, "field_statistics": True}
    answer = termvectors({"docs": [{"doc": dict.fromkeys(every, text), **options} for text in texts]})
    weights: dict[tuple[str, str], tuple[tuple[str, float], ...]] = {}
    for text, found in zip(texts, answer.get("docs", []), strict=False):
        vectors = found.get("term_vectors") or {}
        for other, names in fields.items():
            if other == language:
                continue
            for name in names:
                own = f"{name.split('_')[0]}_{language}"
                pairs = _reweighed_terms(vectors.get(name), vectors.get(own))
                if any(share != 1.0 for _term, share in pairs):
                    weights[(name, text)] = pairs
    return weights


def _reweighed_terms(theirs: Mapping[str, Any] | None, mine: Mapping[str, Any] | None) -> tuple[tuple[str, float], ...]:
    """The terms of another language's field, in order, each with the ratio of its idf in the query
    language's field (``mine``) to its own; all 1 where the analyses differ or a field is empty."""
    their_terms, mine_terms = _in_order(theirs), _in_order(mine)
    if not their_terms:
        return ()
    if len(their_terms) != len(mine_terms):
        return tuple((term, 1.0) for term in their_terms)  # split differently: no pairing, as locally
    pairs = []
    for term, own in zip(their_terms, mine_terms, strict=True):
        their_idf, my_idf = _idf(theirs, term), _idf(mine, own)
        pairs.append((term, my_idf / their_idf if 0 < their_idf < math.inf and my_idf < math.inf else 1.0))
    return tuple(pairs)


def _in_order(vector: Mapping[str, Any] | None) -> list[str]:
    """A field's terms of one artificial document in the order of their positions."""
    if not vector:
        return []
    positioned = [
        (token.get("position", 0), term) for term, found in vector.get("terms", {}).items() for token in found.get("tokens", [])
    ]
    return [term for _position, term in sorted(positioned)]


def _idf(vector: Mapping[str, Any] | None, term: str) -> float:
    """Lucene's BM25 idf of ``term`` in the field, from the termvectors answer (a term no document
    holds comes without a document frequency: 0)."""
    statistics = (vector or {}).get("field_statistics", {})
    documents = float(statistics.get("doc_count", 0))
    if documents == 0:
        return math.inf  # no article has the field: a word has no rarity there to be held to
    frequency = float(((vector or {}).get("terms", {}).get(term) or {}).get("doc_freq", 0))
    return math.log1p((documents - frequency + 0.5) / (frequency + 0.5))
