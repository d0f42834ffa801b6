"""What keeps the cold CLI fast, checked in real processes: ``--help`` and a keyword query import no
vector or model library (and not pydantic, which typer would import to convert arguments), a
hybrid query loads the vector index only when it searches it, and the answers are unchanged.

Speed itself is measured by the benchmarks, not asserted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from index.backends.local.layout import IndexLayout
from index.backends.local.manifest import read_manifest
from index.backends.local.snapshot import CommittedState
from index.embed.hashing import HashingEncoder
from index.errors import IndexFormatError
from index.ingest.indexer import Indexer
from search.cli import coercion
from search.cli.app import app
from search.cli.coercion import QuickCoercion, TyperCoercion, parameter_name, quick_params, typer_verified
from search.facade import NewsSearch
from tests.conftest import HARBOUR, ROOT, two_article_index, write_page

MODEL_LIBRARIES = ("faiss", "torch", "transformers", "sentence_transformers", "onnxruntime")
WATCHED = (*MODEL_LIBRARIES, "pydantic", "numpy", "whoosh", "rich")
MARKER = "imported-modules:"


def run_cli(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """The CLI's ``main`` in a fresh interpreter; also which of ``WATCHED`` it imported."""
    code = (
        "import sys\n"
        "from search.cli.app import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "    status = 0\n"
        "except SystemExit as exc:\n"
        "    status = exc.code if isinstance(exc.code, int) else 1\n"
        f"watched = {WATCHED!r}\n"
        f"print({MARKER!r} + ','.join(m for m in watched if m in sys.modules), file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NEWS_SEARCH_INDEX"}
    proc = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120
    )
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    assert last.startswith(MARKER), proc.stderr
    return proc, {m for m in last.removeprefix(MARKER).split(",") if m}


def test_help_imports_no_search_machinery() -> None:
    proc, imported = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout and "search" in proc.stdout
    assert imported.isdisjoint({*MODEL_LIBRARIES, "pydantic", "numpy", "whoosh"}), imported


def test_a_keyword_query_imports_no_vector_or_model_library_and_answers_as_the_library(sample_index: Path) -> None:
    proc, imported = run_cli("Lavrov Pyongyang", "--mode", "keyword", "--index", sample_index, "--json", "-n", "5")
    assert proc.returncode == 0, proc.stderr
    assert imported.isdisjoint({*MODEL_LIBRARIES, "pydantic", "rich"}), imported
    hits = json.loads(proc.stdout)["hits"]
    assert hits and "Lavrov" in hits[0]["title"]
    with NewsSearch(sample_index) as engine:
        assert [h["id"] for h in hits] == [h.id for h in engine.search("Lavrov Pyongyang", limit=5, mode="keyword")]


def test_human_output_of_a_keyword_query_needs_no_vector_library(sample_index: Path) -> None:
    proc, imported = run_cli("Lavrov Pyongyang", "--mode", "keyword", "--index", sample_index)
    assert proc.returncode == 0, proc.stderr
    assert "Lavrov" in proc.stdout.split("\n\n")[1]
    assert imported.isdisjoint({*MODEL_LIBRARIES, "pydantic", "rich"}), imported


def test_a_hybrid_query_loads_the_vector_index_and_no_torch(sample_index: Path) -> None:
    proc, imported = run_cli("Lavrov Pyongyang", "--index", sample_index, "--json", "-n", "5")
    assert proc.returncode == 0, proc.stderr
    assert "faiss" in imported
    assert imported.isdisjoint({"torch", "transformers", "sentence_transformers", "pydantic"}), imported
    with NewsSearch(sample_index) as engine:
        expected = [h.id for h in engine.search("Lavrov Pyongyang", limit=5)]
    assert [h["id"] for h in json.loads(proc.stdout)["hits"]] == expected


def test_invalid_values_are_one_line_in_our_words() -> None:
    proc, _ = run_cli("volcano", "--limit", "0", "--index", "/nonexistent")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0] == "news-search: error: -n/--limit must be at least 1 (got 0)"
    proc, _ = run_cli("volcano", "--mode", "fuzzy", "--index", "/nonexistent")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0] == "news-search: error: --mode must be one of hybrid, keyword, semantic (got 'fuzzy')"
    assert len(proc.stderr.strip().splitlines()) == 2  # the message, then this test's marker line


# Values as they reach a parameter: from the command line (str), from defaults, from repeated options.
SAMPLES: dict[Any, list[Any]] = {
    str: ["volcano", "", "2024-01", "-x"],
    int: ["10", "007", "1", "0", "1000", "1001", "-3", " 5", "+5", "1_0", "1.5", "ten", 10, 0],
    float: ["0.5", "1", "60", ".5", "1e3", "-1", "nan", "inf", "abc", 60, 0.5, 0, 1.0, 2.5],
    bool: [True, False],
    Path: ["index", "/tmp", "~/x", ".", "", Path("rel")],
}


def _samples(annotation: Any) -> list[Any]:
    import enum

    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        members = list(annotation)
        return [*members, *(m.value for m in members), members[0].value.upper(), "nope", ""]
    if getattr(annotation, "__origin__", None) is list:
        (item,) = annotation.__args__
        singles = _samples(item)
        return [(), tuple(singles[:2]), [singles[0]], tuple(singles)]
    return SAMPLES[annotation]


def _outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    from typer._click.exceptions import BadParameter

    try:
        return "ok", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()


def test_quick_coercion_gives_what_typer_gives_for_every_parameter() -> None:
    """The same values as typer's pydantic adapters, and the same errors (ours, one line) as typer's
    coercion with its errors rephrased (``TyperCoercion``), refusing exactly what typer refuses
    (and infinities, which typer lets through)."""
    import math

    import typer.main
    from typer._coercion import build_runtime_param

    group = typer.main.get_command(app)
    ctx = group.make_context("news-search", ["stats"], resilient_parsing=True)
    checked = 0
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            descriptor = param.type_descriptor
            if not QuickCoercion.handles(descriptor.annotation, descriptor.parameter_info):
                continue
            for value in _samples(descriptor.annotation):
                typer_side = _outcome(build_runtime_param(descriptor), value, param, ctx)
                ours = _outcome(TyperCoercion(descriptor), value, param, ctx)
                param._runtime_param = QuickCoercion(descriptor.annotation, descriptor.parameter_info)
                quick_side = _outcome(param._runtime_param, value, param, ctx)
                assert quick_side == ours, (name, param.name, value)
                assert type(quick_side[1]) is type(ours[1]), (name, param.name, value)
                infinite = typer_side[0] == "ok" and isinstance(typer_side[1], float) and math.isinf(typer_side[1])
                if typer_side[0] == "ok" and not infinite:
                    assert ours == typer_side and type(ours[1]) is type(typer_side[1]), (name, param.name, value)
                else:
                    assert ours[0] == "error", (name, param.name, value)
                    message = ours[1]
                    assert "\n" not in message and "Input should" not in message and "Value error" not in message, message
                    assert message.startswith(parameter_name(param)) and "(got " in message, message
                checked += 1
    assert checked > 200


@pytest.mark.parametrize(
    ("version", "verified"),
    [
        ("0.29.0", True),
        ("0.29.2", True),
        ("0.28.0", False),
        ("0.30.0", False),
        ("1.0.0", False),
        ("0.29.3rc1", False),
        ("", False),
    ],
)
def test_the_typer_fence_admits_only_the_verified_releases(version: str, verified: bool) -> None:
    assert typer_verified(version) is verified


def test_this_typer_uses_the_quick_path_when_it_is_a_verified_release() -> None:
    import typer

    assert coercion.quick_coercion_enabled() is typer_verified(typer.__version__)


def test_outside_the_verified_typer_releases_typer_converts_and_errors_stay_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli: Any
) -> None:
    import typer
    import typer.main

    monkeypatch.setattr(typer, "__version__", "0.30.0")
    coercion.quick_coercion_enabled.cache_clear()
    try:
        command = typer.main.get_group(app).commands["search"]
        assert all(getattr(p, "_runtime_param", None) is None for p in quick_params(list(command.params)))
        refused = cli("volcano", "-n", "0", "--index", tmp_path)
        assert refused.exit_code == 2 and refused.stderr.count("\n") == 1, refused.stderr
        assert refused.stderr.startswith("news-search: error: ") and "--limit" in refused.stderr
        converted = cli("volcano", "-n", "5", "--mode", "keyword", "--index", tmp_path / "none")
        assert converted.exit_code == 2 and "no index at" in converted.stderr  # the values passed typer's own conversion
    finally:
        coercion.quick_coercion_enabled.cache_clear()


def test_a_state_loads_the_vector_file_its_manifest_named_even_after_a_writer_removed_it(tmp_path: Path) -> None:
    directory = two_article_index(tmp_path)
    layout = IndexLayout(directory)
    manifest = read_manifest(layout)
    state = CommittedState(layout)  # vectors not loaded yet
    try:
        with Indexer(directory, encoder=HashingEncoder(256)) as indexer:  # commits, then deletes the old files
            indexer.add([write_page(tmp_path / "more" / "c.html", "Harbour story two", HARBOUR + " Update.")])
        old_file = layout.committed_vectors(manifest.vector_file)
        assert not old_file.exists(), "the writer must remove the old vector file, or this test proves nothing"
        assert state.vectors.ntotal == 2  # the old state's own file, not the new one
        assert state.manifest == manifest
        assert state.refresh()
        assert state.vectors.ntotal == 3
    finally:
        state.close()


def test_a_damaged_vector_file_fails_the_vector_search_only(tmp_path: Path) -> None:
    directory = two_article_index(tmp_path)
    layout = IndexLayout(directory)
    layout.committed_vectors(read_manifest(layout).vector_file).write_bytes(b"not a faiss index")
    with NewsSearch(directory) as engine:
        assert engine.search("harbour", mode="keyword")
        with pytest.raises(IndexFormatError, match="--rebuild"):
            engine.search("harbour", mode="hybrid")
