"""A rebuild's copy: every article of one articles index written into another from its stored
``_source`` (text, vector, signature and group: nothing is extracted or embedded again), analysed
as the target's mapping says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from index.backends.opensearch import health, mapping
from index.backends.opensearch.compile import IS_ARTICLE

COPY_CHUNK = 500  # documents per bulk request of a rebuild


def copy_articles(
    search: Callable[[str, dict[str, Any]], dict[str, Any]],
    send: Callable[[list[dict[str, Any]]], None],
    old: str,
    target: str,
    analysis: str,
) -> int:
    """Copies the articles of ``old`` into ``target`` in document order; returns how many."""
    copied = 0
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {"query": IS_ARTICLE, "size": COPY_CHUNK, "sort": [{"doc": "asc"}]}
        if after is not None:
            body["search_after"] = after
        hits = search(old, body)["hits"]["hits"]
        lines: list[dict[str, Any]] = []
        for hit in hits:
            source = hit["_source"]
            article = mapping.article_of(hit["_id"], source)
            stored = mapping.signature_of(source)
            packed = (stored[0], stored[1], list(source.get("bands") or [])) if stored is not None else None
            rewritten = mapping.document(
                int(source["doc"]), article, source.get(mapping.VECTOR), packed, str(source.get("group") or hit["_id"]),
                analysis, str(source.get("indexed_at") or ""),
            )  # fmt: skip
            lines += [{"index": {"_index": target, "_id": hit["_id"]}}, rewritten]
        send(lines)
        copied += len(hits)
        if len(hits) < COPY_CHUNK:
            return copied
        after = hits[-1]["sort"]


def drop_leftovers(client: Any, alias: str) -> None:
    """Articles indexes beside the alias's (a rebuild killed before it moved the alias)."""
    _, leftovers = health.physical_indexes(client, alias)
    for name in leftovers:
        client.indices.delete(index=name, ignore=[404])


def move_alias(client: Any, alias: str, old: str, target: str) -> None:
    """The alias from ``old`` to ``target`` in one step (readers see one or the other), then ``old`` deleted."""
    actions = [{"remove": {"index": old, "alias": alias}}, {"add": {"index": target, "alias": alias}}]
    client.indices.update_aliases(body={"actions": actions})
    client.indices.delete(index=old)
