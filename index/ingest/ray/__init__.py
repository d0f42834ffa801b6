"""Ingest on a Ray cluster (``news-search index --ray``): extraction in tasks, embedding in actors.

Nothing here is imported on the normal path: ``Indexer(ray=...)`` imports ``stages`` when an ingest
starts, and only then is ``ray`` imported (it is an optional extra, ``news-search[ray]``).
"""
