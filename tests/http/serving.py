"""The real ``news-search serve`` in a subprocess, for the tests that talk to it over a socket
(the browser tests, the hostile archive, the server's own start and stop)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

SERVER_START_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get_json(url: str) -> tuple[int, Any]:
    """Status and decoded body of a GET (error statuses included: they have JSON bodies too)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@dataclass
class Server:
    """A running ``news-search serve``: where it answers, and (once stopped) how it exited."""

    base: str
    log: Path
    returncode: int | None = None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")


@contextmanager
def served(index: Path, log: Path, *, host: str | None = None) -> Iterator[Server]:
    """``news-search serve --index INDEX`` on a free port until the block ends, stopped by its pid.

    Its output goes to ``log``, not a pipe: uvicorn logs every request, and an unread pipe would
    fill and stall the server in the middle of a browser test.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NEWS_SEARCH_INDEX"}
    command = [sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--port", str(port)]
    if host is not None:
        command += ["--host", host]
    with open(log, "w", encoding="utf-8") as output:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, text=True)
    server = Server(f"http://127.0.0.1:{port}", log)
    try:
        _wait_healthy(server, proc)
        yield server
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        server.returncode = proc.returncode


def _wait_healthy(server: Server, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            status, body = get_json(f"{server.base}/healthz")
            if status == 200:
                return
            problem = f"/healthz answered {status}: {body}"
        except (urllib.error.URLError, ConnectionError, json.JSONDecodeError) as exc:
            problem = str(exc)
        if proc.poll() is not None:
            raise AssertionError(f"news-search serve exited with {proc.returncode}:\n{server.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"news-search serve did not answer /healthz within {SERVER_START_SECONDS} s ({problem})")
        time.sleep(0.1)
