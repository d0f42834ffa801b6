"""news-search read path: the ``NewsSearch`` library facade and the ``news-search`` CLI.

Public names are loaded on first use (PEP 562): ``news-search --help`` imports this package and
must not pay for faiss, whoosh and numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.article import Article
    from index.errors import (
        ArticleNotFoundError,
        IndexFormatError,
        IndexNotFoundError,
        ModelMismatchError,
        NewsSearchError,
        QuerySyntaxError,
    )
    from search.arguments import ArgumentTypeError, InvalidArgumentError, NewsSearchClosedError
    from search.facade import NewsSearch
    from search.results.hits import Hit, SearchResults

_EXPORTS = {
    "Article": "index.article",
    "ArticleNotFoundError": "index.errors",
    "IndexFormatError": "index.errors",
    "IndexNotFoundError": "index.errors",
    "ModelMismatchError": "index.errors",
    "NewsSearchError": "index.errors",
    "QuerySyntaxError": "index.errors",
    "NewsSearch": "search.facade",
    "Hit": "search.results.hits",
    "SearchResults": "search.results.hits",
    "ArgumentTypeError": "search.arguments",
    "InvalidArgumentError": "search.arguments",
    "NewsSearchClosedError": "search.arguments",
}

__all__ = [
    "ArgumentTypeError",
    "Article",
    "ArticleNotFoundError",
    "Hit",
    "IndexFormatError",
    "IndexNotFoundError",
    "InvalidArgumentError",
    "ModelMismatchError",
    "NewsSearch",
    "NewsSearchClosedError",
    "NewsSearchError",
    "QuerySyntaxError",
    "SearchResults",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")
