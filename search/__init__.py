"""news-search read path: the ``NewsSearch`` library facade and the ``news-search`` CLI.

The public names below are written once: type checkers read them as imports, and at run time
``index.lazy_exports`` reads the same lines and loads each module on first use (PEP 562), since
``news-search --help`` imports this package and must not pay for faiss, whoosh and numpy. Every
error of the library is here too, so a caller of ``NewsSearch`` needs only this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.article import Article as Article
    from index.backends.query import KeywordSettings as KeywordSettings
    from index.errors import ArticleNotFoundError as ArticleNotFoundError
    from index.errors import IndexFormatError as IndexFormatError
    from index.errors import IndexLockedError as IndexLockedError
    from index.errors import IndexNotFoundError as IndexNotFoundError
    from index.errors import IndexWriteError as IndexWriteError
    from index.errors import ModelLoadError as ModelLoadError
    from index.errors import ModelMismatchError as ModelMismatchError
    from index.errors import NewsSearchError as NewsSearchError
    from index.errors import QuerySyntaxError as QuerySyntaxError
    from index.errors import SourceError as SourceError
    from search.arguments import ArgumentTypeError as ArgumentTypeError
    from search.arguments import InvalidArgumentError as InvalidArgumentError
    from search.arguments import NewsSearchClosedError as NewsSearchClosedError
    from search.facade import NewsSearch as NewsSearch
    from search.ranking.fusion import FusionSettings as FusionSettings
    from search.ranking.recency import RecencySettings as RecencySettings
    from search.results.hits import Hit as Hit
    from search.results.hits import SearchResults as SearchResults
else:
    from index.lazy_exports import lazy_exports

    __all__, __getattr__, __dir__ = lazy_exports(__name__, __file__)
