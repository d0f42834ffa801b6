"""Copying, deleting and merging whole indexes on a cluster (an index's articles index, its alias, its companion).

Not part of the ``Writer`` interface: the contract suite copies a committed index for each test
that writes, and deletes what it made; an operator can do the same (a copy before an experiment).
"""

from __future__ import annotations

import time
from typing import Any

from index.backends.opensearch import mapping
from index.backends.opensearch.client import connect
from index.backends.opensearch.location import OpenSearchLocation
from index.backends.opensearch.reader import meta_name, read_meta


def copy_index(source: OpenSearchLocation, target: OpenSearchLocation) -> None:
    """A committed copy of ``source`` at ``target`` (the same cluster), with the server's reindex API."""
    client = connect(source)
    try:
        meta = read_meta(client, source)
        physical = f"{target.name}-1"
        settings = client.indices.get_settings(index=source.name)
        index_settings: dict[str, Any] = next(iter(settings.values()))["settings"]["index"]
        body = mapping.index_body(
            meta, shards=int(index_settings["number_of_shards"]), replicas=int(index_settings["number_of_replicas"])
        )
        client.indices.create(index=physical, body=body)
        client.indices.create(index=meta_name(target.name), body=mapping.meta_index_body())
        for origin, destination in ((source.name, physical), (meta_name(source.name), meta_name(target.name))):
            client.reindex(
                body={"source": {"index": origin}, "dest": {"index": destination}}, refresh=True, wait_for_completion=True
            )
        # A writer's lock is no part of the copy.
        client.delete(index=meta_name(target.name), id="lock", ignore=[404], refresh="true")
        client.indices.put_alias(index=physical, name=target.name)
    finally:
        client.close()


def delete_index(location: OpenSearchLocation) -> None:
    """The articles index behind the alias, the alias and the companion index; nothing when absent."""
    client = connect(location)
    try:
        found = client.indices.get_alias(name=location.name, ignore=[404])
        physical = [name for name in found if isinstance(found.get(name), dict) and "aliases" in found[name]]
        for name in [*physical, meta_name(location.name)]:
            client.indices.delete(index=name, ignore=[404])
    finally:
        client.close()


def force_merge(client: Any, index: str, wait_s: float) -> tuple[str | None, bool]:
    """A forcemerge of ``index`` to one segment, started as a task on the cluster and waited for up to
    ``wait_s``: (the task id, whether it finished). A merge changes no answer, so one that takes
    longer (a large index: Lucene builds one vector graph of every article) finishes on its own."""
    from index.backends.opensearch.transport import request

    started = request(client.indices.forcemerge, index=index, max_num_segments=1, wait_for_completion="false")
    task = str(started["task"]) if isinstance(started, dict) and started.get("task") else None
    deadline = time.monotonic() + wait_s
    while task is not None and time.monotonic() < deadline:
        if request(client.tasks.get, task_id=task).get("completed"):
            return task, True
        time.sleep(0.2)
    return task, False
