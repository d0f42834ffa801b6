"""news-search write path: turning saved pages into an index, and the index's on-disk format.

Public names are loaded on first use (PEP 562), so that importing one small module of this
package (as the CLI does for ``--help``) does not pull in faiss, whoosh and numpy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.article import Article
    from index.backends.local.store import Skip
    from index.embed.base import Encoder
    from index.embed.hashing import HashingEncoder
    from index.embed.loading import DEFAULT_MODEL, load_encoder
    from index.errors import (
        ArticleNotFoundError,
        IndexFormatError,
        IndexLockedError,
        IndexNotFoundError,
        ModelLoadError,
        ModelMismatchError,
        NewsSearchError,
        QuerySyntaxError,
        SourceError,
    )
    from index.ingest.indexer import Indexer, IngestReport

_EXPORTS = {
    "Article": "index.article",
    "DEFAULT_MODEL": "index.embed.loading",
    "Encoder": "index.embed.base",
    "HashingEncoder": "index.embed.hashing",
    "load_encoder": "index.embed.loading",
    "ArticleNotFoundError": "index.errors",
    "IndexFormatError": "index.errors",
    "IndexLockedError": "index.errors",
    "IndexNotFoundError": "index.errors",
    "ModelLoadError": "index.errors",
    "ModelMismatchError": "index.errors",
    "NewsSearchError": "index.errors",
    "QuerySyntaxError": "index.errors",
    "SourceError": "index.errors",
    "Indexer": "index.ingest.indexer",
    "IngestReport": "index.ingest.indexer",
    "Skip": "index.backends.local.store",
}

__all__ = [
    "DEFAULT_MODEL",
    "Article",
    "ArticleNotFoundError",
    "Encoder",
    "HashingEncoder",
    "IndexFormatError",
    "IndexLockedError",
    "IndexNotFoundError",
    "Indexer",
    "IngestReport",
    "ModelLoadError",
    "ModelMismatchError",
    "NewsSearchError",
    "QuerySyntaxError",
    "Skip",
    "SourceError",
    "load_encoder",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'index' has no attribute {name!r}")
