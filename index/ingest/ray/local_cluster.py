"""A throwaway two-node Ray cluster on one machine: for the tests, the benchmark, and trying ``--ray``.

Two nodes on one machine need two addresses: the head on 127.0.0.2 and the worker on 127.0.0.3
(Ray rewrites 127.0.0.1 to the machine's outward address and refuses a second node there). Each
node is a ``ray start --block`` process started in a session of its own, so it is stopped by its
own process group, never by ``ray stop`` (which kills every Ray process on the machine by name).
Every process, the driver included, sees the same ``RAY_AUTH_MODE``; health checks are made fast
so that a killed node is noticed in about two seconds instead of about twenty.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAD_IP = "127.0.0.2"
WORKER_IP = "127.0.0.3"
OBJECT_STORE_BYTES = 100 * 2**20
ENV = {
    "RAY_AUTH_MODE": "disabled",
    "RAY_USAGE_STATS_ENABLED": "0",
    "RAY_health_check_period_ms": "500",
    "RAY_health_check_timeout_ms": "1000",
    "RAY_health_check_failure_threshold": "3",
}


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class LocalCluster:
    """``start()`` the head and one worker node, ``kill_worker()`` one like a crashed machine, ``stop()``."""

    def __init__(self) -> None:
        self.ray = str(Path(sys.executable).parent / "ray")
        # Unix socket paths under it must stay short (about 100 characters).
        self.root = Path(tempfile.mkdtemp(prefix="nsray-", dir="/tmp"))
        self.port = _free_port(HEAD_IP)
        self.address = f"{HEAD_IP}:{self.port}"
        self.head: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self._workers_started = 0

    def env(self) -> dict[str, str]:
        return {**os.environ, **ENV}

    def _node(self, name: str, *options: str) -> subprocess.Popen[bytes]:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 (the process owns it from here)
        common = ["--num-cpus", "1", "--object-store-memory", str(OBJECT_STORE_BYTES), "--disable-usage-stats"]
        return subprocess.Popen(
            [self.ray, "start", *options, *common, "--temp-dir", str(self.root / name), "--block"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=self.env(),
            start_new_session=True,  # its own process group: stopped as one, by its pid
        )

    def start(self) -> LocalCluster:
        head_options = ["--head", f"--node-ip-address={HEAD_IP}", f"--port={self.port}", "--include-dashboard=false"]
        head_options += [f"--ray-client-server-port={_free_port(HEAD_IP)}"]
        self.head = self._node("head", *head_options)
        self._wait_for_port()
        self.start_worker()
        return self

    def start_worker(self) -> None:
        self._workers_started += 1
        name = f"worker{self._workers_started}"
        self.worker = self._node(name, f"--address={self.address}", f"--node-ip-address={WORKER_IP}")
        self.wait_for_nodes(2)

    def _wait_for_port(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.head is not None and self.head.poll() is None, self.log("head")
            with contextlib.suppress(OSError), socket.create_connection((HEAD_IP, self.port), timeout=1):
                return
            time.sleep(0.2)
        raise TimeoutError(f"the Ray head did not listen on {self.address} in {timeout} s\n{self.log('head')}")

    def alive_nodes(self) -> int:
        """Asked in a process of its own: the caller need not be (or stay) connected."""
        script = (
            f"import ray; ray.init(address={self.address!r}, _node_ip_address={HEAD_IP!r}, logging_level='ERROR');"
            "print(sum(n['Alive'] for n in ray.nodes()))"
        )
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=self.env(), timeout=60)
        return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 and done.stdout.strip() else -1

    def wait_for_nodes(self, count: int, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.alive_nodes() == count:
                return
            time.sleep(0.5)
        raise TimeoutError(f"the cluster did not reach {count} nodes in {timeout} s\n{self.log('worker1')}")

    def kill_worker(self) -> None:
        """The worker node dies as a machine would: SIGKILL to its whole process group, no goodbye."""
        assert self.worker is not None
        _kill_group(self.worker, signal.SIGKILL)
        self.worker = None

    def stop_worker(self) -> None:
        """The worker node shuts down as an operator would stop it (SIGTERM to its process group)."""
        assert self.worker is not None
        _kill_group(self.worker, signal.SIGTERM)
        self.worker = None

    def stop(self) -> None:
        for process in (self.worker, self.head):
            if process is not None:
                _kill_group(process, signal.SIGTERM)
        self.worker = self.head = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def _kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal the process group we started (its leader is ``process``), then make sure it is gone."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    # Children that outlived the leader (a raylet finishing its shutdown) are in the same group.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
