"""The one writer of an index on a cluster: a lock document in the companion index.

Taken with ``op_type=create`` (only one process can create it), renewed at every commit, and
deleted on close. A lock left by a writer that was killed is taken over: at once when its owner
ran on this machine and its process is gone, else once it has not been renewed for ``LEASE_S``
(the owner ran elsewhere and cannot be asked). The take-over is a compare-and-set on the lock's
sequence number, so two processes that both find it stale cannot both win.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from typing import Any

from index.errors import IndexLockedError

LOCK_ID = "lock"
LEASE_S = 600.0


def _owner() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid(), "at": time.time()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(owner: dict[str, Any]) -> bool:
    if owner.get("host") == socket.gethostname() and isinstance(owner.get("pid"), int):
        return not _alive(owner["pid"])
    return time.time() - float(owner.get("at") or 0) > LEASE_S


class ClusterLock:
    """Held from construction to ``release``; ``IndexLockedError`` when another writer holds it."""

    def __init__(self, client: Any, index: str, where: str) -> None:
        from opensearchpy import ConflictError

        self._client = client
        self._index = index
        self.held = False
        try:
            client.index(index=index, id=LOCK_ID, body={"kind": "lock", "owner": _owner()}, op_type="create", refresh="false")
        except ConflictError:
            found = client.get(index=index, id=LOCK_ID)
            owner = found.get("_source", {}).get("owner") or {}
            if not _stale(owner):
                raise IndexLockedError(
                    f"another process is writing to the index at {where} (pid {owner.get('pid')} on {owner.get('host')}); "
                    "wait for it to finish"
                ) from None
            try:
                client.index(
                    index=index,
                    id=LOCK_ID,
                    body={"kind": "lock", "owner": _owner()},
                    if_seq_no=found["_seq_no"],
                    if_primary_term=found["_primary_term"],
                )
            except ConflictError:
                raise IndexLockedError(f"another process took over the write lock of the index at {where}") from None
        self.held = True

    def renew(self) -> None:
        if self.held:
            self._client.index(index=self._index, id=LOCK_ID, body={"kind": "lock", "owner": _owner()})

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        from opensearchpy import NotFoundError

        with contextlib.suppress(NotFoundError):
            self._client.delete(index=self._index, id=LOCK_ID)
