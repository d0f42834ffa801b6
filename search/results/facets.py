"""Facets: the whole result set counted by site, language and month (``search_results(facets=True)``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from index.backends.base import DocumentFacts


def facet_counts(rows: Sequence[DocumentFacts]) -> dict[str, dict[str, int]]:
    """Counts by site, language and month over the whole result set, largest first (months in order)."""
    sites = Counter(row.site or "unknown" for row in rows)
    langs = Counter(row.lang or "unknown" for row in rows)
    months = Counter((row.published or "")[:7] or "unknown" for row in rows)
    return {
        "site": dict(sites.most_common()),
        "lang": dict(langs.most_common()),
        "month": dict(sorted(months.items())),
    }
