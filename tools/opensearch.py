#!/usr/bin/env python3
"""Run real OpenSearch nodes, with the k-NN plugin, on this machine's loopback.

    python3 tools/opensearch.py start [--port 9200] [--name NAME] [--data DIR] [--cluster NAME]
                                      [--seed-hosts HOST:PORT ...] [--initial-managers NAME ...] [--heap 512m]
    python3 tools/opensearch.py stop [--name NAME]
    python3 tools/opensearch.py status [--json]

`start` fetches the node and the plugin from Maven Central with Maven (`mvn`), checks their digests,
unpacks and installs them once into the cache (`$NEWS_SEARCH_CACHE/opensearch`, else
`~/.cache/news-search/opensearch`), writes the node's own configuration under `nodes/NAME/` there,
starts it in the background, waits until it answers over plain HTTP with the k-NN plugin loaded, and
prints its URL (the only thing written to stdout). `stop` ends the node whose pid file it wrote, and
only after checking that the process is that node. Python 3.11 standard library only: tests, CI and
the Makefile run it before any virtual environment exists. Linux only (it reads /proc).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

OPENSEARCH_VERSION = "3.6.0"
# The plugin's version must be the node's plus a fourth component: OpenSearch refuses any other.
KNN_VERSION = "3.6.0.0"
# OpenSearch 3.x is compiled for Java 21; the integration-test zip bundles no JDK.
MIN_JAVA = 21
MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

DEFAULT_NAME = "node-1"
DEFAULT_CLUSTER = "news-search"
DEFAULT_HTTP_PORT = 9200
DEFAULT_HEAP = "512m"
HOST = "127.0.0.1"
# What the process's command line must hold before `stop` signals it: a pid can be reused.
MAIN_CLASS = "org.opensearch.bootstrap.OpenSearch"
# OpenSearch wants this many memory map areas for mmap-backed stores; below it, it runs out of them
# on large indexes, so the node then reads its files through NIO instead.
MIN_MAX_MAP_COUNT = 262144
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Artifact:
    """A file on Maven Central and the SHA-512 it must have.

    The digests are pinned here because Maven Central publishes no checksum for some of these files
    (the k-NN zip of 3.6.0.0 has none); Maven also checks the `.sha1` it publishes for the others.
    """

    group: str
    name: str
    version: str
    packaging: str
    sha512: str

    @property
    def coordinates(self) -> str:
        return f"{self.group}:{self.name}:{self.version}:{self.packaging}"

    def local_path(self, repository: Path) -> Path:
        return repository.joinpath(
            *self.group.split("."), self.name, self.version, f"{self.name}-{self.version}.{self.packaging}"
        )


NODE_ZIP = Artifact(
    "org.opensearch.distribution.integ-test-zip",
    "opensearch",
    OPENSEARCH_VERSION,
    "zip",
    "b82066a97902879c47e26608848d068c09e74d2128edee2802e622867abd451d34a366acc6519d0b40fc97acc89d61c5bb330ab8b2086cf6ffa0f9fe4b9acaa4",
)
KNN_ZIP = Artifact(
    "org.opensearch.plugin",
    "opensearch-knn",
    KNN_VERSION,
    "zip",
    "fc5152c44729e636e0efc31c97f339f18bc8401376f1ac0a404016b654ff5372c2af01b37d537f234e9c132c0c39d576f02afc5da2bc0c38fa0c82c2cb47bb42",
)


class ToolError(Exception):
    """A failure the user can act on; printed as one line, exit status 1."""


@dataclass(frozen=True)
class NodeSpec:
    name: str = DEFAULT_NAME
    http_port: int = DEFAULT_HTTP_PORT
    transport_port: int | None = None  # default: http_port + 100
    cluster: str = DEFAULT_CLUSTER
    data: Path | None = None  # default: nodes/NAME/data in the cache
    seed_hosts: tuple[str, ...] = ()  # empty: a single-node cluster
    initial_managers: tuple[str, ...] = ()
    heap: str = DEFAULT_HEAP
    quick_start: bool = False  # C1 JIT only: about half the start-up CPU, slower hot loops

    @property
    def transport(self) -> int:
        return self.transport_port if self.transport_port is not None else self.http_port + 100

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.http_port}"


@dataclass
class NodeStatus:
    name: str
    url: str
    pid: int | None
    running: bool
    answering: bool
    cluster: str
    health: str | None = None
    nodes: int | None = None
    data: str = ""
    notes: list[str] = field(default_factory=list)


def log(message: str) -> None:
    print(f"opensearch: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- locations


def cache_root() -> Path:
    explicit = os.environ.get("NEWS_SEARCH_CACHE")
    if explicit:
        return Path(explicit).expanduser().resolve() / "opensearch"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser().resolve() / "news-search" / "opensearch"


def node_dir(cache: Path, name: str) -> Path:
    if not NAME_PATTERN.fullmatch(name):
        raise ToolError(f"a node name is letters, digits, '.', '_' or '-' (got {name!r})")
    return cache / "nodes" / name


def distribution_dir(cache: Path) -> Path:
    return cache / "dist" / f"opensearch-{OPENSEARCH_VERSION}-knn-{KNN_VERSION}"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Serialise installs: two nodes of a cluster may be started at the same moment."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---------------------------------------------------------------- java


def java_major(home: Path) -> int | None:
    """The feature version of the JDK at `home`, read from its `release` file (no JVM started)."""
    try:
        text = (home / "release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.search(r'^JAVA_VERSION="(?:1\.)?(\d+)', text, re.MULTILINE)
    if found is None or not (home / "bin" / "java").is_file():
        return None
    return int(found.group(1))


def find_java() -> Path:
    candidates: list[Path] = [Path(os.environ[var]) for var in ("OPENSEARCH_JAVA_HOME", "JAVA_HOME") if os.environ.get(var)]
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        # Newest first, so the one chosen does not depend on the order of the folder.
        found = [(java_major(path) or 0, path) for path in jvm.iterdir() if not path.is_symlink()]
        candidates += [path for _major, path in sorted(found, reverse=True)]
    seen: list[str] = []
    for home in candidates:
        major = java_major(home)
        if major is not None and major >= MIN_JAVA:
            return home
        seen.append(f"{home} ({major if major is not None else 'no JDK'})")
    raise ToolError(
        f"OpenSearch {OPENSEARCH_VERSION} needs Java {MIN_JAVA} or newer; set OPENSEARCH_JAVA_HOME to one"
        f" (looked at: {', '.join(seen) or 'nothing'})"
    )


# ---------------------------------------------------------------- download and install


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify(artifact: Artifact, path: Path) -> None:
    """Raise unless `path` is the artifact: the pinned SHA-512, and Maven's published SHA-1 if it kept one."""
    sha1_file = path.with_name(path.name + ".sha1")
    if sha1_file.is_file():
        published = sha1_file.read_text(encoding="ascii", errors="replace").split()
        if published and published[0].lower() != file_digest(path, "sha1"):
            raise ToolError(f"{path} does not match the SHA-1 Maven Central publishes; delete it and retry")
    if file_digest(path, "sha512") != artifact.sha512:
        raise ToolError(f"{path} does not have the SHA-512 pinned in tools/opensearch.py for {artifact.coordinates}")


def fetch(artifact: Artifact, cache: Path) -> Path:
    """The artifact's file in the cache's own Maven repository, downloaded by Maven if missing."""
    repository = cache / "maven"
    path = artifact.local_path(repository)
    if not path.is_file():
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ToolError("Maven (mvn) is needed to download OpenSearch from Maven Central: apt-get install maven")
        log(f"downloading {artifact.coordinates} with Maven")
        command = [
            mvn,
            "--batch-mode",
            "--quiet",
            f"-Dmaven.repo.local={repository}",
            f"{MAVEN_DEPENDENCY_PLUGIN}:get",
            f"-Dartifact={artifact.coordinates}",
            "-Dtransitive=false",
        ]
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not path.is_file():
            tail = " | ".join(line for line in (done.stdout + done.stderr).splitlines() if "ERROR" in line)[-600:]
            raise ToolError(f"Maven could not download {artifact.coordinates}: {tail or 'exit ' + str(done.returncode)}")
    try:
        verify(artifact, path)
    except ToolError:
        path.unlink(missing_ok=True)  # so that the next try downloads it again
        raise
    return path


def unpack(archive: Path, destination: Path) -> None:
    """Extract the zip without its top folder, keeping the modes it records (zipfile drops them)."""
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.infolist():
            parts = Path(member.filename).parts
            relative = Path(*parts[1:]) if len(parts) > 1 else None
            if relative is None or relative.is_absolute() or ".." in relative.parts:
                continue
            target = destination / relative
            mode = member.external_attr >> 16
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            if stat.S_ISLNK(mode):
                raise ToolError(f"{archive} holds a symbolic link ({member.filename}); refusing to unpack it")
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(member) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            if mode & 0o777:
                target.chmod(mode & 0o777)


def install(cache: Path, java: Path) -> Path:
    """The OpenSearch home with k-NN installed, made once per cache and shared by every node."""
    home = distribution_dir(cache)
    ready = home / ".news-search-ready"
    if ready.is_file():
        return home
    with locked(cache / "install.lock"):
        if ready.is_file():
            return home
        node_zip = fetch(NODE_ZIP, cache)
        knn_zip = fetch(KNN_ZIP, cache)
        staging = home.with_name(home.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
        log(f"unpacking OpenSearch {OPENSEARCH_VERSION} into {home}")
        unpack(node_zip, staging)
        env = node_environment(java, staging / "config", staging / "tmp", DEFAULT_HEAP)
        (staging / "tmp").mkdir()
        done = subprocess.run(
            [str(staging / "bin" / "opensearch-plugin"), "install", "--batch", knn_zip.as_uri()],
            cwd=staging,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip() and not line.startswith("\tat ")]
            raise ToolError(f"installing the k-NN plugin failed: {' | '.join(lines[-4:])}")
        staging.rename(home)
        ready.write_text(f"opensearch {OPENSEARCH_VERSION}, opensearch-knn {KNN_VERSION}\n", encoding="utf-8")
    return home


# ---------------------------------------------------------------- configuration


def node_environment(java: Path, config: Path, tmp: Path, heap: str, quick_start: bool = False) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPENSEARCH_")}
    # Measured here (2 cores): a node's start-up takes about 22 s of CPU with the full JIT and 10 s
    # with C1 only; a test node seldom runs long enough to gain from C2's faster code.
    jit = " -XX:TieredStopAtLevel=1" if quick_start else ""
    env.update(
        JAVA_HOME=str(java),
        OPENSEARCH_JAVA_HOME=str(java),
        OPENSEARCH_PATH_CONF=str(config),
        OPENSEARCH_TMPDIR=str(tmp),
        # Later flags win: the heap given here replaces the 1g of jvm.options; the caller's own
        # OPENSEARCH_JAVA_OPTS come last so that they can still change anything.
        OPENSEARCH_JAVA_OPTS=f"-Xms{heap} -Xmx{heap}{jit} {os.environ.get('OPENSEARCH_JAVA_OPTS', '')}".strip(),
    )
    return env


def max_map_count() -> int | None:
    try:
        return int(Path("/proc/sys/vm/max_map_count").read_text().strip())
    except (OSError, ValueError):
        return None


def yaml_value(value: object) -> str:
    # JSON is YAML: quoting through json keeps any name or path from being read as YAML syntax.
    return json.dumps(value)


def write_config(home: Path, spec: NodeSpec, directory: Path) -> Path:
    config = directory / "config"
    data = spec.data.resolve() if spec.data is not None else directory / "data"
    logs = directory / "logs"
    for path in (data, logs, directory / "tmp"):
        path.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(config, ignore_errors=True)
    shutil.copytree(home / "config", config)
    # jvm.options points heap dumps, crash files and the GC log at paths relative to the working
    # directory, the shared OpenSearch home; each node keeps its own under its logs folder.
    options = (config / "jvm.options").read_text(encoding="utf-8")
    options = options.replace("-XX:HeapDumpPath=data", f"-XX:HeapDumpPath={logs}")
    options = options.replace("-XX:ErrorFile=logs/", f"-XX:ErrorFile={logs}/")
    options = options.replace("file=logs/gc.log", f"file={logs}/gc.log")
    (config / "jvm.options").write_text(options, encoding="utf-8")

    settings: dict[str, object] = {
        "cluster.name": spec.cluster,
        "node.name": spec.name,
        "network.host": HOST,
        "http.port": spec.http_port,
        "transport.port": spec.transport,
        "path.data": str(data),
        "path.logs": str(logs),
        # A test node on a shared disk: a nearly full disk must not turn indexes read-only.
        "cluster.routing.allocation.disk.threshold_enabled": False,
    }
    if spec.seed_hosts:
        settings["discovery.seed_hosts"] = list(spec.seed_hosts)
        settings["cluster.initial_cluster_manager_nodes"] = list(spec.initial_managers)
    else:
        settings["discovery.type"] = "single-node"
    count = max_map_count()
    if count is not None and count < MIN_MAX_MAP_COUNT:
        settings["node.store.allow_mmap"] = False
    lines = ["# Written by tools/opensearch.py for this node; rewritten at every start."]
    lines += [f"{key}: {yaml_value(value)}" for key, value in settings.items()]
    (config / "opensearch.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


# ---------------------------------------------------------------- processes


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def is_alive(pid: int) -> bool:
    """True while the process runs; a zombie (ended, not yet reaped by its new parent) is not running."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] not in ("Z", "X")


def is_our_node(pid: int, config: Path) -> bool:
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    wanted = f"-Dopensearch.path.conf={config}".encode()
    return MAIN_CLASS.encode() in arguments and wanted in arguments


def port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def get_json(url: str, timeout: float = 3.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


def get_text(url: str, timeout: float = 3.0) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body: bytes = response.read()
        return body.decode("utf-8", errors="replace")


def answers_as(spec_url: str, name: str) -> bool:
    """True when the node named `name` answers at the URL (not some other server on that port)."""
    try:
        info = get_json(spec_url + "/", timeout=2.0)
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and info.get("name") == name


def has_knn(spec_url: str, name: str) -> bool:
    try:
        rows = get_text(spec_url + "/_cat/plugins?h=name,component&local=true", timeout=5.0).split("\n")
    except (OSError, ValueError):
        return False
    return any(row.split() == [name, "opensearch-knn"] for row in rows)


def log_tail(directory: Path, lines: int = 6) -> str:
    """The last lines that say what went wrong, from the node's console output."""
    try:
        text = (directory / "stdout.log").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    useful = [line for line in text.splitlines() if line.strip() and not line.startswith("\tat ") and "WARNING:" not in line]
    return " | ".join(useful[-lines:])


def launcher(home: Path) -> list[str]:
    command = [str(home / "bin" / "opensearch")]
    if os.geteuid() != 0:
        return command
    # OpenSearch refuses to run as root. Rather than creating a system account, run it in a user
    # namespace where it is uid 1000: outside, its files stay root's, and it keeps no capability.
    unshare = shutil.which("unshare")
    if unshare is None:
        raise ToolError("OpenSearch cannot run as root and unshare (util-linux) is missing: run this as another user")
    return [unshare, "--user", "--map-user=1000", "--map-group=1000", "--", *command]


def start(spec: NodeSpec, timeout: float = 300.0) -> str:
    """Start the node (or find it running) and return its URL once it answers with k-NN loaded."""
    if spec.seed_hosts and not spec.initial_managers:
        raise ToolError("--seed-hosts needs --initial-managers: the names of the nodes that form the cluster")
    cache = cache_root()
    directory = node_dir(cache, spec.name)
    pid_file = directory / "opensearch.pid"
    config = directory / "config"
    pid = read_pid(pid_file)
    if pid is not None and is_alive(pid) and is_our_node(pid, config):
        recorded = read_record(directory)
        url = str(recorded.get("url", spec.url))
        log(f"{spec.name} is already running (pid {pid}) at {url}")
        wait_until_ready(url, spec.name, pid, None, directory, timeout)
        return url
    pid_file.unlink(missing_ok=True)
    for port in (spec.http_port, spec.transport):
        if port_taken(port):
            raise ToolError(f"port {port} on {HOST} is already in use (another node? see `tools/opensearch.py status`)")

    began = time.monotonic()
    java = find_java()
    home = install(cache, java)
    write_config(home, spec, directory)
    env = node_environment(java, config, directory / "tmp", spec.heap, spec.quick_start)
    log(f"starting {spec.name} of cluster {spec.cluster!r} (OpenSearch {OPENSEARCH_VERSION}, heap {spec.heap}, Java {java})")
    with (directory / "stdout.log").open("ab") as console:
        process = subprocess.Popen(
            launcher(home),
            cwd=home,  # jvm.options names the security agent by a path relative to the home
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command and a Ctrl-C in its terminal
        )
    # unshare and bin/opensearch both exec, so this pid is the JVM's own.
    pid_file.write_text(f"{process.pid}\n", encoding="ascii")
    record = {"name": spec.name, "url": spec.url, "cluster": spec.cluster, "pid": process.pid, **asdict_spec(spec)}
    (directory / "node.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    try:
        wait_until_ready(spec.url, spec.name, process.pid, process, directory, timeout)
    except BaseException:
        # A node that never came up is of no use to anyone: do not leave it holding its ports.
        abandon(process, 20.0)
        pid_file.unlink(missing_ok=True)
        raise
    elapsed = time.monotonic() - began
    log(f"{spec.name} answers with k-NN after {elapsed:.0f} s; stop it with: tools/opensearch.py stop --name {spec.name}")
    return spec.url


def asdict_spec(spec: NodeSpec) -> dict[str, object]:
    values = asdict(spec)
    values["data"] = str(spec.data) if spec.data is not None else None
    values["transport_port"] = spec.transport
    return values


def wait_until_ready(
    url: str, name: str, pid: int, process: subprocess.Popen[bytes] | None, directory: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ended = process.poll() if process is not None else (None if is_alive(pid) else -1)
        if ended is not None:
            raise ToolError(f"{name} exited during start-up (status {ended}): {log_tail(directory)} (log: {directory / 'logs'})")
        if answers_as(url, name) and has_knn(url, name):
            return
        time.sleep(0.5)
    raise ToolError(f"{name} did not answer at {url} within {timeout:.0f} s: {log_tail(directory)}")


def terminate(pid: int, config: Path, timeout: float) -> bool:
    """SIGTERM, then SIGKILL after `timeout` seconds; only if `pid` is the node with this config."""
    if not (is_alive(pid) and is_our_node(pid, config)):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while is_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if is_alive(pid):
        log(f"pid {pid} still running after {timeout:.0f} s: SIGKILL")
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10.0
        while is_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
    return True


def abandon(process: subprocess.Popen[bytes], timeout: float) -> None:
    """End a node this command started and that never got ready, with whatever it has spawned so far.

    Early on the process is still bin/opensearch running its helper JVMs, not yet the node's own
    command line, so `terminate`'s check would spare it; it leads its own process group, which
    holds only what this command started.
    """
    for sent in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sent)
        try:
            process.wait(timeout)
            return
        except subprocess.TimeoutExpired:
            continue


def stop(name: str = DEFAULT_NAME, timeout: float = 30.0) -> bool:
    """Stop the node by its pid file; False when it was not running."""
    directory = node_dir(cache_root(), name)
    pid_file = directory / "opensearch.pid"
    pid = read_pid(pid_file)
    stopped = pid is not None and terminate(pid, directory / "config", timeout)
    pid_file.unlink(missing_ok=True)
    return stopped


def read_record(directory: Path) -> dict[str, Any]:
    try:
        record = json.loads((directory / "node.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def status() -> list[NodeStatus]:
    nodes_root = cache_root() / "nodes"
    found: list[NodeStatus] = []
    for directory in sorted(nodes_root.iterdir()) if nodes_root.is_dir() else []:
        record = read_record(directory)
        if not record:
            continue
        name = str(record.get("name", directory.name))
        url = str(record.get("url", ""))
        pid = read_pid(directory / "opensearch.pid")
        running = pid is not None and is_alive(pid) and is_our_node(pid, directory / "config")
        entry = NodeStatus(
            name=name,
            url=url,
            pid=pid if running else None,
            running=running,
            answering=running and answers_as(url, name),
            cluster=str(record.get("cluster", "")),
            data=str(record.get("data") or directory / "data"),
        )
        if entry.answering:
            try:
                health = get_json(url + "/_cluster/health?timeout=2s", timeout=5.0)
                entry.health = str(health.get("status"))
                entry.nodes = int(health.get("number_of_nodes", 0))
            except (OSError, ValueError) as error:
                entry.notes.append(f"no cluster health: {error}")
        found.append(entry)
    return found


# ---------------------------------------------------------------- check


def request(method: str, url: str, body: object | None = None, ndjson: bool = False) -> Any:
    """One JSON request; an HTTP error becomes a ToolError that carries OpenSearch's own reason."""
    if body is None:
        data = None
    elif ndjson and isinstance(body, list):
        data = "".join(json.dumps(line) + "\n" for line in body).encode()
    else:
        data = json.dumps(body).encode()
    kind = "application/x-ndjson" if ndjson else "application/json"
    call = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": kind})
    try:
        with urllib.request.urlopen(call, timeout=60.0) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise ToolError(f"{method} {url}: HTTP {error.code}: {error.read().decode(errors='replace')[:300]}") from None
    except OSError as error:
        raise ToolError(f"{method} {url}: {error}") from None


CHECK_DIM = 384
# (id, language, title, the axis its vector points along)
CHECK_DOCS = [
    ("id-flood", "id", "Banjir besar melanda Jakarta setelah hujan deras", 0),
    ("id-bridge", "id", "Presiden meresmikan pembangunan jembatan baru di Surabaya", 1),
    ("en-flood", "en", "Floods hit Jakarta after heavy rain", 2),
    ("en-bridge", "en", "The president opened the new bridges", 3),
]


def axis_vector(axis: int, lean: int | None = None) -> list[float]:
    """A unit-ish vector along `axis`, leaning a little towards `lean`: nearest neighbours are known."""
    vector = [0.0] * CHECK_DIM
    vector[axis] = 1.0
    if lean is not None:
        vector[lean] = 0.3
    return vector


def ids(result: Any) -> list[str]:
    return [str(hit["_id"]) for hit in result["hits"]["hits"]]


def check(url: str) -> list[str]:
    """Prove on a scratch index what news-search needs of the node; returns one line per check."""
    index = f"{url}/news-search-check-{os.getpid()}"
    text = {"type": "text"}
    mapping = {
        "settings": {"index.knn": True, "number_of_shards": 1, "number_of_replicas": 0},
        "mappings": {
            "properties": {
                "lang": {"type": "keyword"},
                "title_id": {**text, "analyzer": "indonesian"},
                "title_en": {**text, "analyzer": "english"},
                "embedding": {
                    "type": "knn_vector",
                    "dimension": CHECK_DIM,
                    # The Maven Central plugin has no faiss/nmslib native libraries: lucene is the engine.
                    "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
                },
            }
        },
    }
    report: list[str] = []

    def expect(label: str, got: object, wanted: object) -> None:
        if got != wanted:
            raise ToolError(f"check failed: {label}: got {got!r}, expected {wanted!r}")
        report.append(f"ok  {label}: {got!r}")

    request("PUT", index, mapping)
    try:
        bulk: list[object] = []
        for doc_id, lang, title, axis in CHECK_DOCS:
            bulk.append({"index": {"_id": doc_id}})
            bulk.append({"lang": lang, f"title_{lang}": title, "embedding": axis_vector(axis)})
        written = request("POST", f"{index}/_bulk?refresh=true", bulk, ndjson=True)
        expect("bulk indexing errors", written["errors"], False)

        near_en_flood = axis_vector(2, lean=0)  # nearest: en-flood, then id-flood
        knn = {"size": 2, "_source": False, "query": {"knn": {"embedding": {"vector": near_en_flood, "k": 2}}}}
        expect("knn top 2", ids(request("POST", f"{index}/_search", knn)), ["en-flood", "id-flood"])
        # k=1 with a filter: a post-filter would keep nothing (the nearest is English); the
        # efficient filter searches only the Indonesian vectors and still finds one.
        only_id = {"term": {"lang": "id"}}
        knn["size"] = 1
        knn["query"] = {"knn": {"embedding": {"vector": near_en_flood, "k": 1, "filter": only_id}}}
        expect("knn k=1 filtered to lang=id", ids(request("POST", f"{index}/_search", knn)), ["id-flood"])

        tokens = request("POST", f"{url}/_analyze", {"analyzer": "indonesian", "text": "pembangunan jembatan"})
        expect("indonesian analyzer stems", [t["token"] for t in tokens["tokens"]], ["bangun", "jembat"])
        tokens = request("POST", f"{url}/_analyze", {"analyzer": "english", "text": "the floods bridges"})
        expect("english analyzer stems", [t["token"] for t in tokens["tokens"]], ["flood", "bridg"])
        match = {"query": {"match": {"title_id": "membangun jembatan"}}}
        expect("BM25 indonesian 'membangun jembatan'", ids(request("POST", f"{index}/_search", match)), ["id-bridge"])
        english: dict[str, object] = {"query": {"match": {"title_en": "flooding"}}, "explain": True}
        found = request("POST", f"{index}/_search", english)
        expect("BM25 english 'flooding'", ids(found), ["en-flood"])
        explanation = json.dumps(found["hits"]["hits"][0]["_explanation"])
        # Only BM25's explanation names its k1 parameter (TF-IDF and the others do not have one).
        expect("scored by BM25 (k1 in the explanation)", "k1" in explanation, True)
    finally:
        request("DELETE", index)
    return report


# ---------------------------------------------------------------- command line


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="tools/opensearch.py", description=__doc__.split("\n\n")[0] if __doc__ else None)
    commands = top.add_subparsers(dest="command", required=True)

    run = commands.add_parser("start", help="start a node (downloading and installing OpenSearch once) and print its URL")
    run.add_argument("--port", type=int, default=DEFAULT_HTTP_PORT, help="HTTP port on 127.0.0.1 (default 9200)")
    run.add_argument("--transport-port", type=int, default=None, help="node-to-node port (default: HTTP port + 100)")
    run.add_argument("--name", default=DEFAULT_NAME, help=f"node name, also its folder in the cache (default {DEFAULT_NAME})")
    run.add_argument("--data", type=Path, default=None, help="data folder (default: nodes/NAME/data in the cache)")
    run.add_argument("--cluster", default=DEFAULT_CLUSTER, help=f"cluster name (default {DEFAULT_CLUSTER})")
    run.add_argument(
        "--seed-hosts", nargs="+", default=[], metavar="HOST:PORT", help="transport addresses of the cluster's nodes"
    )
    run.add_argument(
        "--initial-managers", nargs="+", default=[], metavar="NAME", help="names of the nodes that bootstrap the cluster"
    )
    run.add_argument("--heap", default=DEFAULT_HEAP, help=f"JVM heap, e.g. 512m or 1g (default {DEFAULT_HEAP})")
    run.add_argument(
        "--quick-start", action="store_true", help="C1 JIT only: starts in about half the CPU time, runs hot code slower (tests)"
    )
    run.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the node to answer (default 300)")

    halt = commands.add_parser("stop", help="stop a node started by `start` (SIGTERM, SIGKILL after --timeout)")
    halt.add_argument("--name", default=DEFAULT_NAME)
    halt.add_argument("--timeout", type=float, default=30.0)

    show = commands.add_parser("status", help="list the nodes started from this cache")
    show.add_argument("--json", action="store_true")

    probe = commands.add_parser("check", help="prove k-NN (lucene HNSW, filtered) and the indonesian/english analyzers work")
    probe.add_argument("--url", default=f"http://{HOST}:{DEFAULT_HTTP_PORT}")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    options = parser().parse_args(argv)
    try:
        if options.command == "start":
            if not re.fullmatch(r"\d+[kmg]", options.heap):
                raise ToolError(f"--heap is a size such as 512m or 1g (got {options.heap!r})")
            spec = NodeSpec(
                name=options.name,
                http_port=options.port,
                transport_port=options.transport_port,
                cluster=options.cluster,
                data=options.data,
                seed_hosts=tuple(options.seed_hosts),
                initial_managers=tuple(options.initial_managers),
                heap=options.heap,
                quick_start=options.quick_start,
            )
            print(start(spec, options.timeout), flush=True)
        elif options.command == "stop":
            if stop(options.name, options.timeout):
                log(f"{options.name} stopped")
            else:
                log(f"{options.name} was not running")
        elif options.command == "check":
            for line in check(options.url.rstrip("/")):
                print(line)
        else:
            nodes = status()
            if options.json:
                print(json.dumps([asdict(node) for node in nodes], indent=2))
            for node in [] if options.json else nodes:
                state = "answering" if node.answering else "running" if node.running else "stopped"
                health = f" cluster {node.cluster} {node.health} ({node.nodes} nodes)" if node.health else ""
                print(f"{node.name}\t{state}\t{node.url}\tpid {node.pid or '-'}{health}")
    except ToolError as error:
        print(f"opensearch: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
