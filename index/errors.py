"""One exception hierarchy for the whole library.

The CLI turns every ``NewsSearchError`` into one line on stderr and a non-zero exit code, so the
messages are written for the person at the terminal: what went wrong and what to do about it. The
classes carry no exit codes or statuses: each surface maps the type (``search/cli/exit_codes.py``).
"""

from __future__ import annotations


class NewsSearchError(Exception):
    """Base class of every error the library raises on purpose."""


class IndexNotFoundError(NewsSearchError):
    """There is no index at the given location."""


class IndexFormatError(NewsSearchError):
    """The index exists but was written by another format version or is damaged."""


class ModelMismatchError(NewsSearchError):
    """The index was built with another embedding model than the one asked for."""


class ModelLoadError(NewsSearchError):
    """The embedding model could not be loaded."""


class QuerySyntaxError(NewsSearchError):
    """The query string cannot be parsed."""


class SourceError(NewsSearchError):
    """A path given to ingest cannot be read at all (as opposed to one bad page inside it)."""


class ArticleNotFoundError(NewsSearchError):
    """No stored article has the given id."""


class IndexLockedError(NewsSearchError):
    """Another process is writing to the index."""


class IndexWriteError(NewsSearchError):
    """Writing to the index failed (disk full, file-size limit, I/O error); the last commit stands."""


def as_write_error(exc: BaseException, where: object = None) -> IndexWriteError | None:
    """The clear error for a failed write, or None when ``exc`` is not one.

    SQLite reports a full disk as "database or disk is full" or "disk I/O error", whoosh as an
    ``OSError`` (ENOSPC, EFBIG, EDQUOT) and faiss as a ``RuntimeError`` naming the failed write.
    """
    import errno
    import sqlite3

    text = str(exc)
    if isinstance(exc, OSError):
        no_room = exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    elif isinstance(exc, sqlite3.OperationalError):
        no_room = "full" in text or "disk I/O" in text
    elif isinstance(exc, RuntimeError):
        no_room = "fwrite" in text or ("write" in text.lower() and "error" in text.lower())
    else:
        no_room = False
    if not no_room:
        return None
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else text.splitlines()[0][:200]
    return IndexWriteError(
        f"cannot write to the index{f' at {where}' if where else ''} ({detail}): the disk is full or a size limit was hit. "
        "Nothing committed before is lost; free some space and run the same command again to continue"
    )
