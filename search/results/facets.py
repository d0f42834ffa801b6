"""Facets: the whole result set counted by site, language and month (``search_results(facets=True)``).

The backend counts them (``Snapshot.facets``: an OpenSearch cluster by aggregations); what they
count is defined once, in ``index.backends.base.facet_counts``.
"""

from __future__ import annotations

from index.backends.base import facet_counts

__all__ = ["facet_counts"]
