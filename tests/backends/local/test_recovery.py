"""Damaged indexes (issue 12): every kind of damage gives one plain line naming a command, and that
command, run as printed, repairs the index. The store is the source of truth: a lost or wrong
manifest is written again from it (never from the defaults), and a missing keyword or vector index
stops only the searches that need it.

Indexes are built through the real CLI with the hashing encoder; damage is done to the files.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from index.backends.local.layout import IndexLayout
from index.embed.hashing import HashingEncoder
from index.errors import IndexFormatError
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import HARBOUR, TEST_MODEL, VOLCANO, CliResult, write_page

Cli = Callable[..., CliResult]
# What a raw exception looks like in a message: its class name or errno text.
RAW_EXCEPTION = re.compile(r"\b\w+(Error|Exception)\b|Errno|Traceback")


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    write_page(folder / "harbour.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    write_page(folder / "volcano.html", "Volcano erupts, airport closed", VOLCANO, url="https://ex.org/volcano")
    return folder


@pytest.fixture
def built(tmp_path: Path, pages: Path, cli: Cli) -> Path:
    """A two-article index made by `news-search index --model hashing-256` (not the default model)."""
    directory = tmp_path / "index"
    result = cli("index", pages, "--index", directory, "--model", TEST_MODEL, "--quiet")
    assert result.exit_code == 0, result.stderr
    return directory


def manifest_of(directory: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(IndexLayout(directory).manifest.read_text())
    return data


def one_line_error(result: CliResult, code: int = 3) -> str:
    """The single stderr line of a refused command, checked to be plain words."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert not RAW_EXCEPTION.search(lines[0]), lines[0]
    return lines[0]


def suggested(message: str, *, pages: Path | None = None) -> list[str]:
    """The `news-search index ...` command a message names, as arguments (PATH... filled in)."""
    commands = [c for c in re.findall(r"`([^`]+)`", message) if c.startswith("news-search index")]
    assert len(commands) == 1, message
    arguments = shlex.split(commands[0])[1:]
    if "PATH..." in arguments:
        assert pages is not None
        arguments[arguments.index("PATH...")] = str(pages)
    return arguments


def answers(cli: Cli, directory: Path, *arguments: str) -> list[str]:
    result = cli("search", *arguments, "--index", directory, "--json")
    assert result.exit_code == 0, result.stderr
    return [hit["id"] for hit in result.json()["hits"]]


def drop_recipe(directory: Path) -> None:
    """Make the store look like one written before stores recorded their model."""
    with sqlite3.connect(IndexLayout(directory).store) as db:
        db.execute("DROP TABLE meta")


# -- the lost manifest (item 1) -----------------------------------------------------------------


def test_the_store_records_model_dimension_recipe_and_analysis(built: Path) -> None:
    with sqlite3.connect(IndexLayout(built).store) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
    manifest = manifest_of(built)
    assert meta == {
        "model": TEST_MODEL,
        "dim": "256",
        "embedded_text": manifest["embedded_text"],
        "analysis": manifest["analysis"],
    }


def test_a_lost_manifest_is_restored_from_the_store_by_the_command_the_error_names(built: Path, cli: Cli) -> None:
    before = answers(cli, built, "harbour terminal")
    IndexLayout(built).manifest.unlink()
    refused = one_line_error(cli("stats", "--index", built))
    assert "manifest" in refused
    repaired = cli(*suggested(refused))
    assert repaired.exit_code == 0, repaired.stderr
    manifest = manifest_of(built)
    assert (manifest["model"], manifest["dim"], manifest["articles"]) == (TEST_MODEL, 256, 2)
    assert answers(cli, built, "harbour terminal") == before
    assert cli("stats", "--index", built).exit_code == 0
    # The restored index takes new pages with its own model, not the default one.
    with Indexer(built) as indexer:
        assert indexer.info.model == TEST_MODEL


def test_a_lost_manifest_of_an_older_store_is_restored_when_its_embeddings_prove_the_model(built: Path, cli: Cli) -> None:
    before = answers(cli, built, "volcano")
    drop_recipe(built)
    IndexLayout(built).manifest.unlink()
    repaired = cli(*suggested(one_line_error(cli("show", "anything", "--index", built))))
    assert repaired.exit_code == 0, repaired.stderr
    assert (manifest_of(built)["model"], manifest_of(built)["dim"]) == (TEST_MODEL, 256)
    assert answers(cli, built, "volcano") == before
    with sqlite3.connect(IndexLayout(built).store) as db:  # and the store records it from now on
        assert dict(db.execute("SELECT key, value FROM meta"))["model"] == TEST_MODEL


class OtherEncoder(HashingEncoder):
    """A 256-d encoder whose vectors are not the hashing encoder's: a model the store cannot prove."""

    @property
    def name(self) -> str:
        return "other-256"

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return np.roll(super().encode_documents(texts), 1, axis=1)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.roll(super().encode_queries(texts), 1, axis=1)


def test_an_older_store_whose_model_cannot_be_told_is_refused_until_the_model_is_named(
    tmp_path: Path, pages: Path, cli: Cli
) -> None:
    directory = tmp_path / "index"
    with Indexer(directory, encoder=OtherEncoder(256)) as indexer:
        indexer.add([pages])
    drop_recipe(directory)
    IndexLayout(directory).manifest.unlink()
    advice = one_line_error(cli("stats", "--index", directory))
    assert "--model NAME" in advice and "256-dimensional" in advice
    refused = one_line_error(cli("index", "--rebuild", "--index", directory))
    assert "--model NAME" in refused and "256-dimensional" in refused
    assert not IndexLayout(directory).manifest.exists()  # no manifest that claims a guess
    wrong = one_line_error(cli("index", "--rebuild", "--index", directory, "--model", "hashing-384"))
    assert "256" in wrong and "384" in wrong
    assert not IndexLayout(directory).manifest.exists()
    with Indexer(directory, encoder=OtherEncoder(256)) as indexer:  # naming the model lets it be repaired
        assert indexer.info.model == "other-256"
        assert not IndexLayout(directory).manifest.exists()  # opening alone writes nothing
        indexer.repair()
    assert (manifest_of(directory)["model"], manifest_of(directory)["dim"]) == ("other-256", 256)
    with NewsSearch(directory, encoder=OtherEncoder(256)) as engine:
        assert engine.search("volcano", mode="keyword")[0].title == "Volcano erupts, airport closed"
        engine.search("volcano", mode="hybrid")  # the restored vectors open and answer


@pytest.mark.parametrize("older_store", [False, True], ids=["store-records-recipe", "older-store"])
def test_a_manifest_that_disagrees_with_the_store_is_corrected_from_it(built: Path, cli: Cli, older_store: bool) -> None:
    """What the old bug left behind: a hashing-256 index whose manifest claims the default model at 384."""
    before = answers(cli, built, "harbour")
    if older_store:
        drop_recipe(built)
    path = IndexLayout(built).manifest
    path.write_text(json.dumps({**manifest_of(built), "model": "multilingual-e5-small", "dim": 384}))
    refused = one_line_error(cli("search", "harbour", "--index", built))
    repaired = cli(*suggested(refused))
    assert repaired.exit_code == 0, repaired.stderr
    assert (manifest_of(built)["model"], manifest_of(built)["dim"]) == (TEST_MODEL, 256)
    assert answers(cli, built, "harbour") == before


def test_the_lost_manifest_of_an_unfinished_first_build_names_the_first_build_command(
    tmp_path: Path, pages: Path, cli: Cli
) -> None:
    directory = tmp_path / "index"
    with Indexer(directory, encoder=HashingEncoder(256)):
        pass  # the store and an empty index exist; then the manifest is lost before any article
    IndexLayout(directory).manifest.unlink()
    advice = one_line_error(cli("stats", "--index", directory))
    assert "first build never finished" in advice
    arguments = suggested(advice, pages=pages)
    result = cli(*arguments, "--model", TEST_MODEL, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert answers(cli, directory, "volcano")


# -- a missing keyword or vector index (item 2) ----------------------------------------------------


def test_without_the_vector_index_the_store_and_keyword_commands_still_work(built: Path, cli: Cli) -> None:
    keyword_before = answers(cli, built, "harbour", "--mode", "keyword")
    article_id = keyword_before[0]
    shutil.rmtree(IndexLayout(built).vector_dir)
    assert answers(cli, built, "harbour", "--mode", "keyword") == keyword_before
    shown = cli("show", article_id, "--index", built, "--json")
    assert shown.exit_code == 0 and shown.json()["title"] == "Harbour terminal to open in March"
    stats = cli("stats", "--index", built, "--json")
    assert stats.exit_code == 0 and stats.json()["articles"] == 2
    assert any("vector index" in problem for problem in stats.json()["problems"])
    plain = cli("stats", "--index", built)
    assert plain.exit_code == 0 and "news-search index --rebuild" in plain.stdout
    # Semantic and hybrid search refuse (hybrid does not quietly turn into keyword search).
    for arguments in (["search", "harbour", "--mode", "semantic"], ["search", "harbour"], ["similar", article_id]):
        refused = one_line_error(cli(*arguments, "--index", built))
        assert "vector index" in refused and "--mode keyword" in refused
    repaired = cli(*suggested(refused))
    assert repaired.exit_code == 0, repaired.stderr
    assert answers(cli, built, "harbour", "--mode", "semantic") and answers(cli, built, "harbour")
    assert cli("stats", "--index", built, "--json").json()["problems"] == []


def test_without_the_keyword_index_the_store_and_semantic_commands_still_work(built: Path, cli: Cli) -> None:
    semantic_before = answers(cli, built, "harbour", "--mode", "semantic")
    shutil.rmtree(IndexLayout(built).keyword_dir)
    assert answers(cli, built, "harbour", "--mode", "semantic") == semantic_before
    assert cli("show", semantic_before[0], "--index", built).exit_code == 0
    assert cli("stats", "--index", built).exit_code == 0
    for mode in ("keyword", "hybrid"):
        refused = one_line_error(cli("search", "harbour", "--mode", mode, "--index", built))
        assert "keyword index" in refused and "--mode semantic" in refused
    repaired = cli(*suggested(refused))
    assert repaired.exit_code == 0, repaired.stderr
    assert answers(cli, built, "harbour", "--mode", "keyword")


def test_a_reader_open_before_the_repair_picks_the_repaired_state_up(built: Path, cli: Cli) -> None:
    shutil.rmtree(IndexLayout(built).vector_dir)
    with NewsSearch(built) as engine:
        with pytest.raises(IndexFormatError, match="--rebuild"):
            engine.search("harbour")
        assert cli("index", "--rebuild", "--index", built, "--quiet").exit_code == 0
        assert engine.search("harbour")[0].title == "Harbour terminal to open in March"


# -- every kind of damage: one plain line, and the command it names works (item 3) ----------------


def _write(relative: str, data: bytes) -> Callable[[Path], object]:
    return lambda directory: (directory / relative).write_bytes(data)


def _truncate_manifest(directory: Path) -> None:
    path = IndexLayout(directory).manifest
    path.write_bytes(path.read_bytes()[:40])


def _remove_field(directory: Path) -> None:
    data = manifest_of(directory)
    del data["model"]
    IndexLayout(directory).manifest.write_text(json.dumps(data))


def _garble_vectors(directory: Path) -> None:
    (directory / str(manifest_of(directory)["vector_file"])).write_bytes(b"not a faiss index")


def _remove_both(directory: Path) -> None:
    shutil.rmtree(IndexLayout(directory).keyword_dir)
    shutil.rmtree(IndexLayout(directory).vector_dir)


def _remove_store(directory: Path) -> None:
    for path in directory.glob("articles.sqlite*"):
        path.unlink()


def _garble_store(directory: Path) -> None:
    _remove_store(directory)
    IndexLayout(directory).store.write_bytes(b"this is not an SQLite database, just some bytes" * 100)


DAMAGE: dict[str, Callable[[Path], object]] = {
    "manifest-lost": lambda d: IndexLayout(d).manifest.unlink(),
    "manifest-truncated": _truncate_manifest,
    "manifest-garbage": _write("manifest.json", b"\x00\xffgarbage"),
    "manifest-empty": _write("manifest.json", b""),
    "manifest-not-an-object": _write("manifest.json", b"[1, 2]"),
    "manifest-field-missing": _remove_field,
    "keyword-gone": lambda d: shutil.rmtree(IndexLayout(d).keyword_dir),
    "vector-gone": lambda d: shutil.rmtree(IndexLayout(d).vector_dir),
    "vector-garbage": _garble_vectors,
    "both-gone": _remove_both,
    "store-lost": _remove_store,
    "store-garbage": _garble_store,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_each_kind_of_damage_gives_one_plain_line_and_a_command_that_repairs_it(
    built: Path, pages: Path, cli: Cli, damage: str
) -> None:
    before = answers(cli, built, "harbour")
    derived = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    DAMAGE[damage](built)
    messages = []
    for arguments in (["search", "harbour"], ["search", "harbour", "--mode", "keyword"], ["stats"], ["show", "x"]):
        result = cli(*arguments, "--index", built)
        if result.exit_code != 0 and not (arguments[0] == "show" and result.exit_code == 7):
            messages.append(one_line_error(result))
    assert messages, "the damage went unnoticed"
    repair = suggested(messages[0], pages=pages)
    if damage.startswith("store-"):
        # The articles are gone: the writer refuses to start an empty store over the derived indexes.
        refused = one_line_error(cli("index", "--rebuild", "--index", built))
        assert sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file() and "articles" not in p.name) == [
            p for p in derived if "articles" not in p.name
        ]
        assert suggested(refused, pages=pages) == repair
        repair += ["--model", TEST_MODEL]
        repaired_dir = Path(repair[repair.index("--index") + 1])
    else:
        repaired_dir = built
    result = cli(*repair, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert answers(cli, repaired_dir, "harbour") == before
    assert cli("stats", "--index", repaired_dir, "--json").json()["problems"] == []


def test_the_named_command_works_for_a_folder_whose_name_needs_quoting(tmp_path: Path, pages: Path, cli: Cli) -> None:
    directory = tmp_path / "news index (it's mine)"
    assert cli("index", pages, "--index", directory, "--model", TEST_MODEL, "--quiet").exit_code == 0
    IndexLayout(directory).manifest.unlink()
    repaired = cli(*suggested(one_line_error(cli("stats", "--index", directory))))
    assert repaired.exit_code == 0, repaired.stderr
    assert manifest_of(directory)["model"] == TEST_MODEL
