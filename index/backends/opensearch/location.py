"""An OpenSearch index location: ``opensearch://HOST:PORT/NAME`` and its TLS and ``https`` variants.

A malformed location is an ``IndexNotFoundError`` (exit 2: no index can be at it). Credentials
never come from the location (a command line is visible to every user of the machine and lands in
shell histories): a user and password, or an API key, are read from the environment.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from index.errors import IndexNotFoundError

USER_ENV = "NEWS_SEARCH_OPENSEARCH_USER"
PASSWORD_ENV = "NEWS_SEARCH_OPENSEARCH_PASSWORD"
API_KEY_ENV = "NEWS_SEARCH_OPENSEARCH_API_KEY"

# opensearch:// and http:// are plain HTTP; opensearchs:// and https:// are TLS.
_SCHEMES = {"opensearch": "http", "http": "http", "opensearchs": "https", "https": "https"}
# OpenSearch's own rules for index names, narrowed to what is safe in a URL path and a file name.
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,200}$")
_DEFAULT_PORT = 9200


@dataclass(frozen=True)
class OpenSearchLocation:
    """Where an index lives on a cluster; ``name`` is the alias readers and writers use.

    ``hosts`` are the nodes the client may talk to (``opensearch://a:9200,b:9201/NAME``): with
    more than one, a query that fails on a node that went away is sent to another.
    """

    scheme: str  # "http" or "https"
    hosts: tuple[tuple[str, int], ...]
    name: str

    @property
    def url(self) -> str:
        host, port = self.hosts[0]
        return f"{self.scheme}://{host}:{port}"

    def __str__(self) -> str:
        nodes = ",".join(f"{host}:{port}" for host, port in self.hosts)
        return f"{'opensearchs' if self.scheme == 'https' else 'opensearch'}://{nodes}/{self.name}"

    def with_name(self, name: str) -> OpenSearchLocation:
        return OpenSearchLocation(self.scheme, self.hosts, name)

    def command(self, *arguments: str) -> str:
        """The command line that acts on this index, for advice in error messages."""
        return " ".join(["news-search", *arguments, "--index", str(self)])

    def rebuild_command(self) -> str:
        return self.command("index", "--rebuild")


def is_opensearch_location(location: Path | str) -> bool:
    """Whether ``location`` names a cluster (a ``Path`` never does: it is a folder)."""
    if isinstance(location, Path):
        return False
    scheme, separator, _ = location.partition("://")
    return bool(separator) and scheme.lower() in _SCHEMES


def parse_location(location: str) -> OpenSearchLocation:
    """``opensearch://HOST[:PORT][,HOST[:PORT]...]/NAME`` (also ``opensearchs://``, ``http://``, ``https://``)."""
    text = location.strip()
    scheme_text, _, rest = text.partition("://")
    scheme = _SCHEMES.get(scheme_text.lower())
    if scheme is None:
        raise IndexNotFoundError(f"not an OpenSearch location: {location!r} (use opensearch://HOST:PORT/NAME)")
    netloc, _, path = rest.partition("/")
    if "@" in netloc:
        raise IndexNotFoundError(
            "credentials in an index location are refused (they would show in process lists and shell histories): "
            f"set {USER_ENV} and {PASSWORD_ENV}, or {API_KEY_ENV}, instead"
        )
    if "?" in path or "#" in path:
        raise IndexNotFoundError(f"an OpenSearch location takes no query or fragment: {location!r}")
    name = path.strip("/")
    hosts = tuple(_host(part, location) for part in netloc.split(",") if part)
    if not hosts or not name:
        raise IndexNotFoundError(f"an OpenSearch location names a host and an index: {location!r} (opensearch://HOST:PORT/NAME)")
    if not _NAME.match(name):
        raise IndexNotFoundError(
            f"{name!r} is no usable index name: lower-case letters, digits, '-', '_' and '.', not starting with '-', '_' or '.'"
        )
    return OpenSearchLocation(scheme, hosts, name)


def _host(part: str, location: str) -> tuple[str, int]:
    parts = urlsplit(f"//{part}")
    try:
        port = parts.port or _DEFAULT_PORT
    except ValueError:
        raise IndexNotFoundError(f"not a port number in {location!r}") from None
    if not parts.hostname:
        raise IndexNotFoundError(f"no host in {location!r}")
    return parts.hostname, port


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    api_key: str | None = None


def credentials_from_environment() -> Credentials:
    """Basic authentication or an API key, from the environment; an API key wins when both are set."""
    api_key = os.environ.get(API_KEY_ENV) or None
    user = os.environ.get(USER_ENV) or None
    password = os.environ.get(PASSWORD_ENV)
    if user is not None and password is None and api_key is None:
        raise IndexNotFoundError(f"{USER_ENV} is set but {PASSWORD_ENV} is not")
    return Credentials(user=user, password=password, api_key=api_key)
