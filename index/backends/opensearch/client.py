"""The connection to a cluster: opensearch-py, imported here only, with errors in this project's words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from index.backends.opensearch.location import Credentials, OpenSearchLocation, credentials_from_environment
from index.errors import NewsSearchError

if TYPE_CHECKING:
    from opensearchpy import OpenSearch

INSTALL_HINT = "pip install 'news-search[opensearch]'"
# Bulk writes of a few hundred articles with their vectors, and a refresh, stay well inside this.
TIMEOUT_S = 120
# A reader's requests (searches, gets, a point in time) take milliseconds to a second. A request
# that a stopping node accepted and never answered is tried again on another node only once this
# has passed: under the write timeout a search waited 40 s and more through a failover (one CI run
# of tests/backends/opensearch/test_failover.py).
READ_TIMEOUT_S = 20


def connect(location: OpenSearchLocation, credentials: Credentials | None = None, timeout_s: float = TIMEOUT_S) -> OpenSearch:
    """A client for the cluster at ``location`` (it connects lazily: the first request may fail);
    each request that gets no answer within ``timeout_s`` is tried again, on another node."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise NewsSearchError(f"the OpenSearch backend needs opensearch-py: {INSTALL_HINT}") from None
    credentials = credentials or credentials_from_environment()
    options: dict[str, Any] = {
        "hosts": [{"host": host, "port": port} for host, port in location.hosts],
        "use_ssl": location.scheme == "https",
        "verify_certs": location.scheme == "https",
        "timeout": timeout_s,
        # A node that goes away mid-request (failover): the client tries the request again on the
        # connection pool, so a query during a node's restart is answered by another node.
        "retry_on_timeout": True,
        "max_retries": 3,
        "http_compress": False,
    }
    if credentials.api_key:
        options["headers"] = {"Authorization": f"ApiKey {credentials.api_key}"}
    elif credentials.user:
        options["http_auth"] = (credentials.user, credentials.password or "")
    return OpenSearch(**options)


def unavailable(location: OpenSearchLocation, error: BaseException) -> NewsSearchError:
    """The error to raise when a request to the cluster failed for a reason of the cluster's: the
    base class (exit 1), as the error table has no entry for an unreachable service."""
    reason = getattr(error, "error", None) or type(error).__name__
    info = getattr(error, "info", None)
    detail = f": {info}" if isinstance(info, str | dict) and info else ""
    return NewsSearchError(f"the OpenSearch cluster at {location.url} did not answer ({reason}{str(detail)[:300]})")


def get_source(client: OpenSearch, index: str, doc_id: str, **options: Any) -> dict[str, Any] | None:
    """A document's ``_source`` by id (realtime unless ``realtime=False``), None when there is none.

    A missing document is an answer here, not a failure: asked with ``ignore=404``, so the client
    neither raises nor logs a warning for each page ingest asks about.
    """
    found = client.get(index=index, id=doc_id, ignore=[404], **options)
    if not isinstance(found, dict) or not found.get("found"):
        return None
    return dict(found.get("_source") or {})
