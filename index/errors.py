"""One exception hierarchy for the whole library.

The CLI turns every ``NewsSearchError`` into one line on stderr and a non-zero exit code, so the
messages are written for the person at the terminal: what went wrong and what to do about it.
"""

from __future__ import annotations


class NewsSearchError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1


class IndexNotFoundError(NewsSearchError):
    """There is no index at the given location."""

    exit_code = 2


class IndexFormatError(NewsSearchError):
    """The index exists but was written by another format version or is damaged."""

    exit_code = 3


class ModelMismatchError(NewsSearchError):
    """The index was built with another embedding model than the one asked for."""

    exit_code = 3


class ModelLoadError(NewsSearchError):
    """The embedding model could not be loaded."""

    exit_code = 4


class QuerySyntaxError(NewsSearchError):
    """The query string cannot be parsed."""

    exit_code = 5


class SourceError(NewsSearchError):
    """A path given to ingest cannot be read at all (as opposed to one bad page inside it)."""

    exit_code = 6


class ArticleNotFoundError(NewsSearchError):
    """No stored article has the given id."""

    exit_code = 7


class IndexLockedError(NewsSearchError):
    """Another process is writing to the index."""

    exit_code = 8
