"""index/backends: the storage backend interface (``base``), the neutral query and filter, and the backends.

``open_reader(location)`` opens an index for searching, ``open_writer(location, ...)`` for writing
(``require_index(location)`` first, where a missing index must not be created):
a folder path is the local backend (``local/``: SQLite, whoosh and faiss). A second backend (an OpenSearch cluster, ``opensearch://``)
is chosen here by its location.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index.backends.base import Reader

if TYPE_CHECKING:
    from index.backends.base import Writer
    from index.embed.base import Encoder


def open_reader(location: Path | str) -> Reader:
    """The backend that holds the index at ``location``, opened for searching."""
    from index.backends.local.reader import LocalReader

    return LocalReader(Path(location).expanduser())


def require_index(location: Path | str) -> None:
    """Raises unless an index is at ``location``: ``IndexNotFoundError``, or ``IndexFormatError`` naming
    the repair. For a command that must not create one, before it opens a writer (which would)."""
    from index.backends.local.layout import IndexLayout
    from index.backends.local.manifest import read_manifest

    read_manifest(IndexLayout(Path(location).expanduser()))


def open_writer(
    location: Path | str,
    *,
    requested_model: str | None,
    load_encoder: Callable[[], Encoder],
    analysis: str,
    take_over: bool = False,
) -> Writer:
    """The writer of the index at ``location``, created on first use; holds its write lock until closed.

    ``requested_model``: the model asked for (None: the one the index was built with); ``load_encoder``
    loads it, only when the backend must know its dimension (a new index). ``take_over``: an index of
    another format version is prepared for a rebuild instead of refused (``news-search index --rebuild``).
    """
    from index.backends.local.writer import LocalWriter

    root = Path(location).expanduser()
    return LocalWriter(root, requested_model=requested_model, load_encoder=load_encoder, analysis=analysis, take_over=take_over)
