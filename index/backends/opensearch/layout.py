"""The shape of new indexes on the cluster: primary shards and replicas, the companion index and
the ids of its documents."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from typing import Any

from index.backends.opensearch import mapping
from index.errors import IndexWriteError

SHARDS_ENV = "NEWS_SEARCH_OPENSEARCH_SHARDS"
REPLICAS_ENV = "NEWS_SEARCH_OPENSEARCH_REPLICAS"


def layout_from_environment(shards: int | None, replicas: int | None) -> tuple[int, int]:
    """Primary shards and replicas of a new index: given, else from the environment, else 1 and 0
    (one node). Read only when an index is created; replicas can be changed later with the
    settings API, shards only by a rebuild into a new index."""
    values = []
    for given, name, default in ((shards, SHARDS_ENV, 1), (replicas, REPLICAS_ENV, 0)):
        text = os.environ.get(name)
        if given is None and text:
            if not text.isdigit():
                raise IndexWriteError(f"{name} must be a whole number (got {text!r})")
            given = int(text)
        values.append(default if given is None else given)
    return max(values[0], 1), values[1]


def ensure_meta_index(client: Any, name: str, replicas: int) -> None:
    """The companion index ``name``, created unless it exists (another writer may create it meanwhile)."""
    from opensearchpy import RequestError

    if not client.indices.exists(index=name):
        try:
            client.indices.create(index=name, body=mapping.meta_index_body(shards=1, replicas=replicas))
        except RequestError as error:
            if "resource_already_exists" not in str(error):
                raise


def companion_key(kind: str, source: str) -> str:
    """A companion document's id: sources are paths and URLs of any length, ids are at most 512 bytes."""
    return f"{kind}:{hashlib.sha1(source.encode('utf-8')).hexdigest()}"


def now() -> str:
    """A timestamp as the documents store it: UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
