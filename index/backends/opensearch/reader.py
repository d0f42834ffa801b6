"""The read side on a cluster: ``Reader`` over an index alias, handing out point-in-time snapshots.

Opening checks what ``_meta`` records (format version, model, dimension), as the local reader
checks its manifest, so a search never runs against an index it cannot read.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from index.analysis import WORD_PATTERN
from index.backends.base import IndexInfo
from index.backends.opensearch import mapping
from index.backends.opensearch.client import READ_TIMEOUT_S, connect, get_source, unavailable
from index.backends.opensearch.location import OpenSearchLocation
from index.backends.opensearch.pit import PIT_KEEP_ALIVE
from index.backends.opensearch.snapshot import OpenSearchSnapshot
from index.errors import IndexFormatError, IndexNotFoundError

_WORD = re.compile(WORD_PATTERN)
T = TypeVar("T")


# A point in time idle this long is replaced rather than used: it expires after PIT_KEEP_ALIVE (2 min).
PIT_IDLE_S = 60.0


@dataclass
class _PointInTime:
    """A point in time on one committed state, and how many snapshots read it now."""

    pit_id: str
    generation: int
    state: dict[str, Any]
    used: float
    users: int = 0
    retired: bool = False


def meta_name(name: str) -> str:
    """The companion index of ``name``: fingerprints, skips, notes, the counter and the lock."""
    return f"{name}-meta"


def fold(word: str) -> str:
    """Lower-cased without accents, as the index's ``lowercase`` and ``asciifolding`` filters do."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read_meta(client: Any, location: OpenSearchLocation, *, any_version: bool = False) -> dict[str, Any]:
    """The ``_meta`` of the index behind ``location``'s alias, checked; ``IndexNotFoundError`` when there
    is none. ``any_version``: another format version is let through (a writer taking it over to rebuild)."""
    from opensearchpy import TransportError

    try:
        found = client.indices.get_mapping(index=location.name, ignore=[404])
    except (TransportError, OSError) as error:
        raise unavailable(location, error) from error
    if found.get("status") == 404:
        raise IndexNotFoundError(f"no index at {location}: build one with `{location.command('index', 'PATH...')}`")
    meta: dict[str, Any] = {}
    for body in found.values():
        meta = body.get("mappings", {}).get("_meta") or {}
    if meta.get("format_version") != mapping.FORMAT_VERSION and not any_version:
        raise IndexFormatError(
            f"index at {location} has format version {meta.get('format_version')}, this news-search reads version "
            f"{mapping.FORMAT_VERSION}: rebuild it with `{location.rebuild_command()}` or use the matching release"
        )
    for key, kind in (("model", str), ("dim", int), ("embedded_text", str), ("analysis", str)):
        if not isinstance(meta.get(key), kind):
            raise IndexFormatError(
                f"the _meta of the index at {location} has no usable {key!r}: rebuild it with `{location.rebuild_command()}`"
            )
    return meta


def info_of(location: OpenSearchLocation, meta: dict[str, Any], updated: str) -> IndexInfo:
    return IndexInfo(
        location=str(location),
        model=str(meta["model"]),
        dim=int(meta["dim"]),
        embedded_text=str(meta["embedded_text"]),
        analysis=str(meta["analysis"]),
        format_version=int(meta["format_version"]),
        created=str(meta.get("created", "")),
        updated=updated,
    )


class OpenSearchReader:
    """An index on a cluster opened for searching (``index.backends.open_reader``)."""

    def __init__(self, location: OpenSearchLocation) -> None:
        self.location = location
        self.client = connect(location, timeout_s=READ_TIMEOUT_S)
        self._meta = read_meta(self.client, location)
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[int, Any]] = {}
        self._pit: _PointInTime | None = None

    @property
    def info(self) -> IndexInfo:
        return info_of(self.location, self._meta, self._updated())

    def info_at(self, updated: str) -> IndexInfo:
        """The info with the commit time a snapshot read (no request of its own)."""
        return info_of(self.location, self._meta, updated or str(self._meta.get("created", "")))

    def _updated(self) -> str:
        found = self.call(get_source, client=self.client, index=self.location.name, doc_id=mapping.STATE_ID, realtime=False)
        return str((found or {}).get("updated") or self._meta.get("created", ""))

    def call(self, method: Callable[..., T], **arguments: Any) -> T:
        """One request; a cluster that cannot answer becomes ``NewsSearchError``."""
        from opensearchpy import ConnectionError as NoConnection
        from opensearchpy import ConnectionTimeout, TransportError

        try:
            return method(**arguments)
        except (NoConnection, ConnectionTimeout) as error:
            raise unavailable(self.location, error) from error
        except TransportError as error:
            if isinstance(error.status_code, int) and error.status_code >= 500:
                raise unavailable(self.location, error) from error
            raise

    def query_words(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fold(word) for word in _WORD.findall(text)))

    @contextmanager
    def snapshot(self) -> Iterator[OpenSearchSnapshot]:
        """The latest committed state: a point in time shared by the snapshots of one commit.

        One request per query asks which commit is the latest (the commit record, as refreshed);
        a new point in time is opened only when that changed (or the current one has been idle
        for a while and may expire), and an old one is closed once no snapshot reads it."""
        latest = self.call(get_source, client=self.client, index=self.location.name, doc_id=mapping.STATE_ID, realtime=False)
        generation = int((latest or {}).get("generation", 0))
        with self._lock:
            current = self._pit
            if current is not None and current.generation == generation and time.monotonic() - current.used < PIT_IDLE_S:
                current.users += 1  # taken under the lock: a thread that replaces it cannot close it now
                current.used = time.monotonic()
            else:
                current = None
        if current is None:
            opened = self._open_pit()
            with self._lock:
                previous, self._pit = self._pit, opened
                opened.users += 1
                current = opened
            if previous is not None:
                self._retire(previous)
        try:
            yield OpenSearchSnapshot(self, current.pit_id, current.state)
        finally:
            with self._lock:
                current.users -= 1
                done = current.retired and current.users == 0
            if done:
                self._close_pit(current)

    def _open_pit(self) -> _PointInTime:
        created = self.call(self.client.create_pit, index=self.location.name, params={"keep_alive": PIT_KEEP_ALIVE})
        pit_id = str(created["pit_id"])
        # The commit record as this point in time holds it: the generation its caches are keyed by.
        fields = ["generation", "updated", mapping.CENTERING]
        body = {"query": {"ids": {"values": [mapping.STATE_ID]}}, "_source": fields, "size": 1}
        found = self.call(self.client.search, body={**body, "pit": {"id": pit_id, "keep_alive": PIT_KEEP_ALIVE}})
        hits = found["hits"]["hits"]
        state = dict(hits[0]["_source"]) if hits else {}
        return _PointInTime(pit_id, int(state.get("generation", 0)), state, used=time.monotonic())

    def discard(self, pit_id: str) -> None:
        """A point in time that failed a search (a node holding its shards went away, or it expired)
        is not handed out again: the next snapshot opens one on the shard copies that live."""
        with self._lock:
            pit = self._pit if self._pit is not None and self._pit.pit_id == pit_id else None
            if pit is not None:
                self._pit = None
        if pit is not None:
            self._retire(pit)

    def _retire(self, pit: _PointInTime) -> None:
        with self._lock:
            pit.retired = True
            done = pit.users == 0
        if done:
            self._close_pit(pit)

    def _close_pit(self, pit: _PointInTime) -> None:
        # A point in time that cannot be closed expires by itself (PIT_KEEP_ALIVE): nothing to repair.
        with suppress(Exception):
            self.client.delete_pit(body={"pit_id": [pit.pit_id]})

    def cached(self, key: str, generation: int) -> Any:
        with self._lock:
            found = self._cache.get(key)
        return found[1] if found is not None and found[0] == generation else None

    def cache(self, key: str, generation: int, value: Any) -> None:
        with self._lock:
            self._cache[key] = (generation, value)

    def meta_docs(self, kind: str) -> list[dict[str, Any]]:
        """Every companion document of one kind (skips, notes), as committed."""
        found: list[dict[str, Any]] = []
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": {"term": {"kind": kind}}, "size": 5000, "sort": [{"source": "asc"}]}
            if after is not None:
                body["search_after"] = after
            hits = self.call(self.client.search, index=meta_name(self.location.name), body=body)["hits"]["hits"]
            found.extend(hit["_source"] for hit in hits)
            if len(hits) < 5000:
                return found
            after = hits[-1]["sort"]

    def problems(self, state: dict[str, Any]) -> list[str]:
        """What a writer's ``repair`` would fix (``health.py``), for ``stats``."""
        from index.backends.opensearch import health

        return self.call(health.problems, client=self.client, name=self.location.name, meta=self._meta, state=state)

    def size_bytes(self) -> int:
        stats = self.call(
            self.client.indices.stats, index=f"{self.location.name},{meta_name(self.location.name)}", metric="store"
        )
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])

    def close(self) -> None:
        with self._lock:
            pit, self._pit = self._pit, None
        if pit is not None:
            self._retire(pit)
        self.client.close()
