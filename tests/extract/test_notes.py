"""Pages that are indexed but with something extraction could not use: counted, listed, kept current."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from index.ingest.indexer import Indexer
from tests.conftest import HARBOUR, VOLCANO, CliResult, store_of


def write_export(path: Path, harbour_date: object) -> Path:
    rows = [
        {"id": "harbour", "title": "Harbour terminal to open", "text": HARBOUR * 2, "published": harbour_date},
        {"id": "volcano", "title": "Volcano erupts", "text": VOLCANO * 2, "published": "2024-01-02"},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_bad_date_is_recorded_counted_and_cleared(
    make_index: Callable[..., Indexer], tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    export = write_export(tmp_path / "export.jsonl", "not a date")
    indexer = make_index()
    report = indexer.add([export])
    assert (report.added, dict(report.skipped), dict(report.notes)) == (2, {}, {"bad_date": 1})
    assert report.to_dict()["notes"] == {"bad_date": 1}
    stored = store_of(indexer).get("harbour")
    assert stored is not None and stored.published is None  # kept, undated
    (source, note), *others = store_of(indexer).notes()
    assert others == [] and source == f"{export.resolve()}:1" and note.kind == "bad_date"
    assert '"not a date"' in note.detail
    # Unchanged on a second run: counted again, recorded once.
    again = indexer.add([export])
    assert (again.unchanged, dict(again.notes)) == (2, {"bad_date": 1})
    assert store_of(indexer).note_counts() == {"bad_date": 1}
    indexer.close()

    directory = tmp_path / "index"
    stats = cli("stats", "--index", directory, "--json").json()
    assert stats["notes"] == {"bad_date": 1} and stats["skipped"] == {}
    assert [(p["source"], p["note"]) for p in stats["noted_pages"]] == [(source, "bad_date")]
    assert "noted      bad_date 1" in cli("stats", "--index", directory).stdout
    human = cli("index", "--index", directory, str(export))
    assert human.exit_code == 0, human.stderr
    assert "1 kept with a note (bad_date 1)" in human.stdout

    # The export fixed: the article is dated and its note goes.
    write_export(export, "2023-12-30")
    with Indexer(directory) as fixed:
        report = fixed.add([export])
        assert (report.updated, dict(report.notes)) == (1, {})
        assert store_of(fixed).notes() == []

    # Removing the article removes its note.
    write_export(export, "not a date")
    with Indexer(directory) as again_bad:
        again_bad.add([export])
        assert store_of(again_bad).note_counts() == {"bad_date": 1}
        again_bad.remove(["harbour"])
        assert store_of(again_bad).notes() == []
