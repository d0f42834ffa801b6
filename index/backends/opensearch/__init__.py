"""The OpenSearch backend: the index on an OpenSearch cluster (``opensearch://HOST:PORT/NAME``).

``location`` parses the address (credentials from the environment only), ``client`` connects,
``mapping`` defines the index (per-language fields, keyword fields, the vector, ``_meta``) and the
documents, ``compile`` turns the engine-neutral query and filter into query DSL, ``reader`` and
``snapshot`` answer searches from one point in time, ``writer`` writes through the bulk API, and
``admin`` copies and deletes indexes (tests, operations). Imported only when a location names a
cluster, so the local backend never needs opensearch-py.
"""
