"""The bounds on what one request may ask for, shared by the JSON API and the pages.

A request past them is a 400 that names the bound, not a slow answer: the server is one process
on a small machine, and these keep one client from occupying it.
"""

from __future__ import annotations

MAX_QUERY_CHARS = 1_000
MAX_LIMIT = 100  # results per page
MAX_OFFSET = 10_000  # the deepest result a page may start at
MAX_FILTER_VALUES = 20  # values of one repeatable filter (site, lang, author)
MAX_TIMELINE_QUERIES = 8  # queries one timeline compares (each is a whole result set)
MAX_CONCURRENT_EXPORTS = 2  # exports running at once; another is answered 429
