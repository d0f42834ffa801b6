"""Real OpenSearch nodes for the tests, started and stopped with ``tools/opensearch.py``.

Nothing is mocked: each node is the OpenSearch 3.6.0 distribution with the k-NN plugin, from
Maven Central, on loopback. Where the machine cannot run one (no Java 21 or newer, no ``mvn`` and
nothing cached), the tests skip and say why, except under CI (``$CI`` set), where they fail:
a CI machine that silently skips the cluster tests proves nothing.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "tools" / "opensearch.py"
START_TIMEOUT_S = 240


def tool() -> ModuleType:
    """``tools/opensearch.py`` as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("news_search_opensearch_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def missing() -> str | None:
    """Why no node can be started here, or None."""
    try:
        import opensearchpy  # noqa: F401
    except ImportError:
        return "opensearch-py is not installed (pip install 'news-search[opensearch]')"
    module = tool()
    try:
        module.find_java()
    except module.ToolError as error:
        return str(error)
    installed = (module.distribution_dir(module.cache_root()) / ".news-search-ready").is_file()
    if not installed and shutil.which("mvn") is None:
        return "mvn is not on PATH and no OpenSearch is cached yet (tools/opensearch.py downloads it with Maven)"
    return None


def unavailable(reason: str) -> None:
    """Skip, or under CI fail: the environment was meant to run these tests."""
    if os.environ.get("CI"):
        pytest.fail(f"OpenSearch tests cannot run under CI: {reason}")
    pytest.skip(f"OpenSearch tests skipped: {reason}")


def free_port(start: int = 19200, span: int = 600) -> int:
    """An HTTP port whose transport port (HTTP + 100, the tool's default) is free too."""
    for port in range(start + os.getpid() % span, start + span + 100):
        if all(_free(p) for p in (port, port + 100)):
            return port
    raise RuntimeError("no free pair of ports for an OpenSearch node")


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Node:
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def start(name: str, port: int, *extra: str, heap: str = "512m") -> Node:
    """Start a node and return once it answers with k-NN (the tool's own readiness check)."""
    command = [sys.executable, str(TOOL), "start", "--name", name, "--port", str(port), "--heap", heap, "--quick-start"]
    command += ["--timeout", str(START_TIMEOUT_S)]
    done = subprocess.run([*command, *extra], capture_output=True, text=True, timeout=START_TIMEOUT_S + 30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"tools/opensearch.py start {name} failed: {done.stderr.strip()[-2000:]}")
    return Node(name, port)


def stop(node: Node) -> None:
    """Stop a node by its own pid file (the tool checks the pid is that node's)."""
    subprocess.run(
        [sys.executable, str(TOOL), "stop", "--name", node.name, "--timeout", "30"], capture_output=True, timeout=90, check=False
    )


def remove_data(node: Node) -> None:
    """A test node's folder (config, data, logs) in the cache: nothing of it is reused."""
    shutil.rmtree(tool().node_dir(tool().cache_root(), node.name), ignore_errors=True)
