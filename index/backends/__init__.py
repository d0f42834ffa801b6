"""index/backends: the storage backend interface (``base``), the neutral query and filter, and the backends.

``open_reader(location)`` opens an index for searching, ``open_writer(location, ...)`` for writing
(``require_index(location)`` first, where a missing index must not be created):
a folder path is the local backend (``local/``: SQLite, whoosh and faiss); an ``opensearch://HOST:PORT/NAME``
address (also ``opensearchs://``, ``http://``, ``https://``) is an index on an OpenSearch cluster
(``opensearch/``), imported only then, so the local backend never needs opensearch-py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from index.backends.base import Reader

if TYPE_CHECKING:
    from index.backends.base import Writer
    from index.embed.base import Encoder


def is_cluster_location(location: Path | str) -> bool:
    """Whether ``location`` names an index on a cluster rather than a folder."""
    from index.backends.opensearch.location import is_opensearch_location

    return is_opensearch_location(location)


def open_reader(location: Path | str) -> Reader:
    """The backend that holds the index at ``location``, opened for searching."""
    if is_cluster_location(location):
        from index.backends.opensearch.location import parse_location
        from index.backends.opensearch.reader import OpenSearchReader

        return OpenSearchReader(parse_location(str(location)))
    from index.backends.local.reader import LocalReader

    return LocalReader(Path(location).expanduser())


def require_index(location: Path | str) -> None:
    """Raises unless an index is at ``location``: ``IndexNotFoundError``, or ``IndexFormatError`` naming
    the repair. For a command that must not create one, before it opens a writer (which would)."""
    if is_cluster_location(location):
        open_reader(location).close()  # reading _meta checks the index as read_manifest does
        return
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
    if is_cluster_location(location):
        from index.backends.opensearch.location import parse_location
        from index.backends.opensearch.writer import OpenSearchWriter

        return OpenSearchWriter(
            parse_location(str(location)),
            requested_model=requested_model,
            load_encoder=load_encoder,
            analysis=analysis,
            take_over=take_over,
        )
    from index.backends.local.writer import LocalWriter

    root = Path(location).expanduser()
    return LocalWriter(root, requested_model=requested_model, load_encoder=load_encoder, analysis=analysis, take_over=take_over)
