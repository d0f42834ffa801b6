"""Facets by aggregation: ``terms`` aggregations over the documents of a result set.

What is counted is the local backend's set, exactly: the whole result set after fusion, the
semantic floor and the collapse of near-duplicate copies (``search.ranking.pipeline``). That set
is decided by the read path (fusion and the floor are computed there, not in the engine), so no
server-side query can reproduce it; the aggregations therefore run over the result set's document
numbers (a ``terms`` filter on ``doc``: at most ``MAX_RESULTS``, 10,000, in one request), and the
cluster counts by site, language and month without sending one document back.

The values are counted as ``index.backends.base.facet_counts`` defines them: an empty or missing
site or language is ``unknown``; the month is the first seven characters of the stored date text
(a script over the ``published`` keyword, so a partial date counts as locally, which a date
histogram over ``published_date`` would not).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from index.backends.base import FACET_NAMES, UNKNOWN, Facets, ordered_facets
from index.backends.opensearch.compile import IS_ARTICLE, docs_clause

# Documents per request: the terms filter's limit (index.max_terms_count) is 65,536, and one
# request's buckets (search.max_buckets, 65,535) must hold three aggregations.
CHUNK = 10_000
MONTH_SCRIPT = (
    "if (doc['published'].size() == 0) { return ''; } "
    "String d = doc['published'].value; return d.length() > 7 ? d.substring(0, 7) : d;"
)


def facet_body(docs: Sequence[int]) -> dict[str, Any]:
    """The aggregation request counting ``docs`` by site, language and month."""
    # Enough buckets for every distinct value (at most one per document), on every shard: exact counts.
    size = max(len(docs), 1)
    terms: dict[str, Any] = {"size": size, "shard_size": size, "missing": ""}
    return {
        "query": {"bool": {"filter": [IS_ARTICLE, docs_clause(list(docs))]}},
        "size": 0,
        "track_total_hits": False,
        "aggs": {
            "site": {"terms": {"field": "site", **terms}},
            "lang": {"terms": {"field": "lang", **terms}},
            "month": {"terms": {"script": {"source": MONTH_SCRIPT, "lang": "painless"}, "size": size, "shard_size": size}},
        },
    }


def facets_by_aggregation(docs: Sequence[int], search: Callable[[dict[str, Any]], dict[str, Any]]) -> Facets:
    """``Snapshot.facets`` of the documents ``docs`` (duplicates counted once), one request per ``CHUNK``."""
    wanted = sorted(set(docs))
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACET_NAMES}
    for start in range(0, len(wanted), CHUNK):
        answer = search(facet_body(wanted[start : start + CHUNK]))["aggregations"]
        for name in FACET_NAMES:
            for bucket in answer[name]["buckets"]:
                counts[name][str(bucket["key"]) or UNKNOWN] += int(bucket["doc_count"])
    return ordered_facets(counts)
