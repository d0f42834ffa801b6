"""The README's commands against a cluster: index the sample archive, search it, look at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from index.backends.opensearch.admin import delete_index
from index.backends.opensearch.location import parse_location
from tests.backends.conftest import SAMPLES
from tests.backends.opensearch.node import Node
from tests.conftest import CliResult

pytestmark = pytest.mark.opensearch


@pytest.fixture
def location(opensearch_node: Node) -> Iterator[str]:
    address = f"opensearch://127.0.0.1:{opensearch_node.port}/cli-readme"
    delete_index(parse_location(address))
    yield address
    delete_index(parse_location(address))


def test_index_search_show_and_stats_on_a_cluster(location: str, cli: Callable[..., CliResult]) -> None:
    built = cli("index", SAMPLES, "--index", location, "--model", "hashing-256", "--json")
    assert built.exit_code == 0, built.stderr
    assert built.json()["added"] == 41
    again = cli("index", SAMPLES, "--index", location, "--json")  # unchanged pages are skipped by fingerprint
    assert again.exit_code == 0 and again.json()["added"] == 0, again.stdout
    found = cli("--index", location, "--json", "Lavrov Pyongyang")
    assert found.exit_code == 0, found.stderr
    first = found.json()["hits"][0]
    assert "lavrov" in first["title"].lower()
    shown = cli("show", first["id"], "--index", location, "--json")
    assert shown.exit_code == 0 and shown.json()["id"] == first["id"]
    stats = cli("stats", "--index", location, "--json")
    assert stats.exit_code == 0 and stats.json()["articles"] == 41
    missing = cli("--index", location.replace("cli-readme", "no-such-index"), "Lavrov")
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1, missing.stderr
