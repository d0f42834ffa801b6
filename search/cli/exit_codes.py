"""The CLI's exit codes, chosen from the error type: one table, most specific class first.

The library's errors say what went wrong; how a surface reports it is the surface's choice. The
CLI maps each error class to an exit code here (the README lists them); a server maps the same
classes to statuses the same way. A class not listed gets the code of its nearest listed base.
"""

from __future__ import annotations

from index.errors import (
    ArticleNotFoundError,
    IndexFormatError,
    IndexLockedError,
    IndexNotFoundError,
    IndexWriteError,
    ModelLoadError,
    ModelMismatchError,
    NewsSearchError,
    QuerySyntaxError,
    SourceError,
)
from search.arguments import ArgumentTypeError, InvalidArgumentError

FAILURE = 1  # any other error: a library error without its own code, an unreadable file, an abort
USAGE = 2  # a wrong command line or library argument (click uses 2 for its usage errors too)
INTERRUPTED = 130  # Ctrl-C during ingest (128 + SIGINT, as a shell reports it)

EXIT_CODES: tuple[tuple[type[NewsSearchError], int], ...] = (
    (InvalidArgumentError, USAGE),
    (ArgumentTypeError, USAGE),
    (IndexNotFoundError, 2),
    (IndexFormatError, 3),
    (ModelMismatchError, 3),
    (ModelLoadError, 4),
    (QuerySyntaxError, 5),
    (SourceError, 6),
    (ArticleNotFoundError, 7),
    (IndexLockedError, 8),
    (IndexWriteError, 9),
    (NewsSearchError, FAILURE),
)


def exit_code(error: BaseException) -> int:
    """The exit code for ``error``: that of the first class in ``EXIT_CODES`` it is an instance of."""
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), FAILURE)
