"""The backend contract: what any storage backend must do for the CLI, library and API to work on it.

The suite ingests the shipped sample archive (``samples/archive``: 43 pages, 41 articles, two pages
skipped) once per session per backend, with the tiny deterministic ``hashing-256`` encoder, and
then checks every search feature through the public library API only (``index.Indexer``,
``search.NewsSearch`` and the exported errors), never a backend's internals. Tests that write
(remove, rebuild, re-ingest, a reader during a commit) work on their own fresh copies.

A backend must satisfy:

- **Ingest**: 41 articles with the extraction ``samples/expected.jsonl`` lists (title, date, site,
  author, language, body text), the two unusable pages skipped with their reasons; re-ingesting
  the same pages changes nothing.
- **Modes**: ``keyword`` returns exactly the articles that match the query; ``semantic`` and
  ``hybrid`` put the article the query names first where the keyword evidence dominates; hybrid
  keeps every keyword match in its result set.
- **Filters** (``since``/``until`` as YYYY, YYYY-MM or YYYY-MM-DD, inclusive; ``site`` and
  ``author`` as case-insensitive substrings; ``lang``; several values of one filter are OR-ed,
  different filters AND-ed), the same when written in the query (``site:x``, ``-site:x``,
  ``date:2023-10``, ``date:A..B``), applied inside both retrievers so a narrow filter still fills
  the page; a query of filters only lists the matching articles newest first.
- **Syntax**: ``"phrases"``, ``AND``/``OR``/``NOT``, ``+must``/``-mustnot``, parentheses,
  ``title:``/``body:`` prefixes, with set semantics (``a AND b`` = both, ``a OR b`` = either,
  ``a NOT b`` = a without b).
- **Pages**: ``offset`` pages are disjoint, consecutive and report the same ``total``;
  ``sort="date"`` orders the same result set newest first.
- **Copies**: a near-duplicate group (one story syndicated by several outlets) shows once, as its
  best-ranked copy with ``similar_count``; ``collapse_copies=False`` shows every copy;
  ``group_members`` lists the group oldest first; ``similar`` leaves out the source and its copies.
- **Facets** count the whole result set by site, language and month.
- **Explain**: each hit's ``keyword_rank``/``keyword_score`` and ``semantic_rank``/``semantic_score``
  say which retriever found it (None where one did not), consistent with the mode; hybrid hits
  carry both contributions, which add up to the fused score.
- **Articles**: ``get`` by id or URL returns the full stored text; an unknown one raises
  ``ArticleNotFoundError``.
- **Writes**: after ``remove`` no search returns the article and totals drop; ``rebuild`` answers
  exactly as before; a reader during a commit sees the old state or the new one, never a mix.

Exact and relaxed checks (``tests/backends/expect.py``). The ``local`` backend (whoosh BM25F +
faiss) is held to exact expectations: the pinned ids in their pinned order. A backend with other
analyzers and another BM25 (OpenSearch/Lucene) is registered with ``exact=False`` and is held to:

- exact, for every backend: which articles match (result sets and ``total`` of keyword queries,
  boolean and phrase semantics), every filter and its counts, facets, pages, the collapse of copies
  (one hit per group, ``similar_count``), ``group_members`` order, ``get``, remove and rebuild;
- exact, for every backend: the top hit of the pinned semantic and hybrid queries (their keyword
  evidence dominates), and the top hit of each ranked keyword query;
- relaxed, ``exact=False`` only: the order below the top hit, where at least 70% of the pinned top
  10 must be in the backend's top 10 (``expect_ranking``); which copy stands for a group; the
  ``similar`` neighbours beyond the first.
"""
