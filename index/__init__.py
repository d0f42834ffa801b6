"""news-search write path: turning saved pages into an index, and the index's on-disk format.

The public names below are written once: type checkers read them as imports, and at run time
``index.lazy_exports`` reads the same lines and loads each module on first use (PEP 562), so that
importing one small module of this package (as the CLI does for ``--help``) does not pull in
faiss, whoosh and numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.article import Article as Article
    from index.article import Skip as Skip
    from index.embed.base import Encoder as Encoder
    from index.embed.hashing import HashingEncoder as HashingEncoder
    from index.embed.loading import DEFAULT_MODEL as DEFAULT_MODEL
    from index.embed.loading import load_encoder as load_encoder
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
    from index.ingest.indexer import Indexer as Indexer
    from index.ingest.report import IngestReport as IngestReport
else:
    from index.lazy_exports import lazy_exports

    __all__, __getattr__, __dir__ = lazy_exports(__name__, __file__)
