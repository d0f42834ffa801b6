"""Connecting to a Ray cluster, with a clear message when the ``ray`` extra is not installed.

Both failures here (no Ray, no cluster at the address) are plain ``NewsSearchError``s (exit status
1): a class of their own would be one more entry in every surface's table for a setup mistake.

``ray`` is imported here, lazily: only an ingest asked to run on a cluster pays for it (about a
second), and a machine without the extra gets one line saying how to install it, not a traceback.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from index.errors import NewsSearchError

INSTALL_HINT = "pip install 'news-search[ray]'"
# The address of the node this process runs on, where Ray cannot guess it (see ``_driver_ip``).
NODE_IP_ENV = "NEWS_SEARCH_RAY_NODE_IP"
CONNECT_TIMEOUT_S = 5.0


def import_ray() -> ModuleType:
    """The ``ray`` module, or a clear error saying how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise NewsSearchError(f"--ray needs Ray, which is not installed: {INSTALL_HINT} (on every node)") from exc
    return ray


@dataclass(frozen=True)
class Cluster:
    """A connection to a running cluster: the ``ray`` module and what the cluster has."""

    ray: Any
    address: str
    cpus: float
    gpus: float
    node_ids: tuple[str, ...]  # of the nodes alive when the ingest started
    node_gpus: tuple[float, ...]  # GPUs of each of those nodes

    @property
    def nodes(self) -> int:
        return len(self.node_ids)

    def alive(self) -> tuple[list[tuple[str, float]], float]:
        """The nodes alive now (id and GPUs of each) and the CPUs they have: a cluster grows and shrinks."""
        nodes = _alive_nodes(self.ray)
        return nodes, float(self.ray.cluster_resources().get("CPU", 0))


def connect(address: str = "auto") -> Cluster:
    """Join the cluster at ``address`` ("auto": the one started on this machine) as a driver."""
    ray = import_ray()
    if not ray.is_initialized():
        options: dict[str, Any] = {"address": address, "log_to_driver": False, "logging_level": logging.WARNING}
        _check_reachable(address)
        node_ip = _driver_ip(address)
        if node_ip:
            options["_node_ip_address"] = node_ip
        try:
            ray.init(**options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise NewsSearchError(f"cannot connect to the Ray cluster at {address}: {first_line(exc)}") from exc
    resources = ray.cluster_resources()
    alive = _alive_nodes(ray)
    return Cluster(
        ray,
        address,
        float(resources.get("CPU", 0)),
        float(resources.get("GPU", 0)),
        tuple(node for node, _ in alive),
        tuple(gpus for _, gpus in alive),
    )


def _alive_nodes(ray: Any) -> list[tuple[str, float]]:
    return sorted((node["NodeID"], float(node.get("Resources", {}).get("GPU", 0))) for node in ray.nodes() if node.get("Alive"))


def _check_reachable(address: str) -> None:
    """A HOST:PORT nobody answers at fails here in seconds: ``ray.init`` would wait for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", or a form Ray resolves itself
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise NewsSearchError(
            f"cannot connect to the Ray cluster at {address}: {exc.strerror or exc} (is `ray start --head` running there?)"
        ) from exc


def _driver_ip(address: str) -> str | None:
    """Ray takes this machine's outward address for the driver's node. A cluster on loopback
    addresses (several nodes on one machine, as in the tests) has no node there, so the driver
    joins the node the address names instead."""
    configured = os.environ.get(NODE_IP_ENV)
    if configured:
        return configured
    host = address.removeprefix("ray://").rpartition(":")[0] or address
    try:
        return host if ipaddress.ip_address(host).is_loopback else None
    except ValueError:  # "auto", or a host name
        return None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__
