"""Export rows and their encodings (``search.results.export``)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from index.article import Article
from search.results.export import DEFAULT_FIELDS, Entry, ExportSet, check_fields, encode_rows, header, rows_of


def test_fields_default_split_and_unknown() -> None:
    assert check_fields(None) == DEFAULT_FIELDS
    assert check_fields(["id,title", "title", "url"]) == ("id", "title", "url")
    with pytest.raises(ValueError, match="unknown export field 'body'"):
        check_fields(["id", "body"])


def test_csv_quotes_and_defuses_formulas_from_untrusted_titles() -> None:
    article = Article(id="x1", title='=HYPERLINK("http://evil")', text="t", url="https://a.example/1", author="-1+2")
    rows = list(rows_of([Entry(1, "x1", 0.5)], {"x1": article}, ("rank", "title", "author", "url")))
    text = header(("rank", "title", "author", "url"), "csv") + encode_rows(rows, ("rank", "title", "author", "url"), "csv")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["rank", "title", "author", "url"]
    assert parsed[1] == ["1", '\'=HYPERLINK("http://evil")', "'-1+2", "https://a.example/1"]


def test_jsonl_keeps_values_and_missing_articles_are_left_out() -> None:
    article = Article(id="x1", title="Ünïcode title", text="body")
    entries = [Entry(1, "x1", 0.25), Entry(2, "gone", 0.1)]
    chosen = ExportSet("q", "hybrid", "", total=2, offset=0, entries=entries, fields=("rank", "id", "title", "score"))
    lines = "".join(chosen.encoded(lambda ids: {"x1": article}, "jsonl")).splitlines()
    assert [json.loads(line) for line in lines] == [{"rank": 1, "id": "x1", "title": "Ünïcode title", "score": 0.25}]
    assert not chosen.truncated and chosen.next_offset is None


def test_a_part_of_a_set_says_where_the_next_starts() -> None:
    part = ExportSet("q", "hybrid", "", total=5, offset=2, entries=[Entry(3, "a", 1.0)], fields=("id",))
    assert part.truncated and part.next_offset == 3
