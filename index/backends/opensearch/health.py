"""What is wrong with an index on a cluster, as opening a writer finds it (``Writer.problem``) and
``stats`` reports it: each finding with what ``repair`` does about it.

- An analysis this release does not know (written by another release): a rebuild re-analyses.
- Articles without a commit record (it was deleted): readers cannot tell which state they read;
  a commit writes it.
- Articles indexes beside the one the alias names (NAME-<n> of a rebuild that was killed before
  it moved the alias): a partial copy taking disk; repair deletes them.

What a killed writer wrote but never committed is no problem, as a local journal is none: the next
writer's opening makes it visible in a commit of its own (``writer.py``).
"""

from __future__ import annotations

import re
from typing import Any

from index.analysis import ANALYSES
from index.backends.opensearch.compile import IS_ARTICLE
from index.backends.opensearch.transport import request


def physical_indexes(client: Any, name: str) -> tuple[str | None, list[str]]:
    """The articles index the alias ``name`` points at, and every other NAME-<n> index (left by a
    rebuild that did not finish)."""
    found = client.indices.get_alias(name=name, ignore=[404])
    current = sorted(k for k in found if k != "status" and k != "error")[-1] if found.get("status") != 404 else None
    pattern = re.compile(rf"^{re.escape(name)}-\d+$")
    others = client.indices.get(index=f"{name}-*", ignore=[404], expand_wildcards="open,closed")
    leftovers = sorted(k for k in others if pattern.match(k) and k != current) if isinstance(others, dict) else []
    return current, leftovers


def problems(client: Any, name: str, meta: dict[str, Any], state: dict[str, Any]) -> list[str]:
    """What opening finds wrong with the index behind alias ``name`` (its ``_meta`` and commit record as read)."""
    found: list[str] = []
    if str(meta.get("analysis")) not in ANALYSES:
        found.append(f"its keyword analysis {meta.get('analysis')!r} is not one this release knows")
    if "generation" not in state and int(client.count(index=name, body={"query": IS_ARTICLE})["count"]):
        found.append("its commit record is missing")
    _, leftovers = physical_indexes(client, name)
    if leftovers:
        found.append(
            f"a rebuild did not finish: {', '.join(leftovers)} {'holds' if len(leftovers) == 1 else 'hold'} a partial copy"
        )
    return found


def visible_marks(client: Any, indexes: tuple[str, ...]) -> tuple[int, ...]:
    """What searches see of ``indexes`` (document counts and highest sequence numbers): changes when a
    refresh made writes visible that nobody committed. The write lock is left out: taking it is a
    write of the writer's own."""
    marks: list[int] = []
    no_lock = {"bool": {"must_not": [{"term": {"kind": "lock"}}]}}
    for index in indexes:
        body = {"query": no_lock, "size": 0, "track_total_hits": True, "aggs": {"seq": {"max": {"field": "_seq_no"}}}}
        found = request(client.search, index=index, body=body)
        marks += [int(found["hits"]["total"]["value"]), int(found["aggregations"]["seq"]["value"] or -1)]
    return tuple(marks)
