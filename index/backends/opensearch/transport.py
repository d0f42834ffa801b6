"""The writer's requests, sent again when they fail for a passing reason (a node going away, a
busy cluster), and bulk writes whose failures become ``IndexWriteError``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from index.backends.opensearch.location import OpenSearchLocation
from index.errors import IndexWriteError

# A request that finds no node to take it is sent again this often, a little later each time.
SEND_ATTEMPTS = 5
SEND_PAUSE_S = 2.0
T = TypeVar("T")


def request(method: Callable[..., T], **arguments: Any) -> T:
    """A read the writer needs, asked again when it fails for a passing reason: no node to take it
    (failover), a busy cluster, or a shard copy closing under it as its node leaves."""
    from opensearchpy import ConnectionError as NoConnection
    from opensearchpy import ConnectionTimeout, TransportError

    for attempt in range(SEND_ATTEMPTS):
        try:
            return method(**arguments)
        except (NoConnection, ConnectionTimeout):
            if attempt + 1 == SEND_ATTEMPTS:
                raise
        except TransportError as error:
            passing = error.status_code in (429, 502, 503, 504) or (error.status_code == 400 and "is closed" in str(error))
            if not passing or attempt + 1 == SEND_ATTEMPTS:
                raise
        time.sleep(SEND_PAUSE_S * (attempt + 1))
    raise AssertionError("unreachable")


def send(client: Any, location: OpenSearchLocation, lines: list[dict[str, Any]]) -> None:
    """One bulk request (actions and bodies); any action that failed fails the whole batch."""
    if not lines:
        return
    from opensearchpy import ConnectionError as NoConnection
    from opensearchpy import ConnectionTimeout, TransportError

    for attempt in range(SEND_ATTEMPTS):
        try:
            answer = client.bulk(body=lines, refresh="false")
            break
        except (NoConnection, ConnectionTimeout) as error:
            # A node went away (failover) or is too busy to answer: every action names its
            # document, so sending the same request again gives the same documents.
            if attempt + 1 == SEND_ATTEMPTS:
                raise IndexWriteError(f"the OpenSearch cluster at {location.url} took no write: {error}") from error
            time.sleep(SEND_PAUSE_S * (attempt + 1))
        except (TransportError, OSError) as error:
            raise IndexWriteError(f"the OpenSearch cluster at {location.url} refused a write: {error}") from error
    if answer.get("errors"):
        failed = [item for item in answer["items"] for result in item.values() if "error" in result]
        if failed:
            raise IndexWriteError(f"{len(failed)} writes to {location} failed, the first: {failed[0]}")
