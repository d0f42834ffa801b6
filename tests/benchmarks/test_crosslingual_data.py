"""Our hand-made cross-language development set (benchmarks/data/crosslingual) and its loader.

The files are checked on their own (size, ids, text, language) and, where the shared evaluation
data is present, against the shared query sets they translate (ids, the documented selection rule,
no text left untranslated) and the mixed corpus the set is searched in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.common import EVAL_ENV, eval_dir
from benchmarks.crosslingual import (
    DOC_PREFIX,
    TRANSLATIONS,
    CrosslingualDataError,
    load_translations,
    mixed_corpus,
    mixed_qrels,
    translated_queries,
    translation_file,
)
from search.evaluate import load_queries

SETS = sorted(TRANSLATIONS)
PER_SET = 300
# Frequent function words of each language, for a coarse check of which language a file is in.
# Names and borrowed words make single headlines ambiguous, so the check is on the whole file.
INDONESIAN = {"yang", "di", "ke", "dari", "untuk", "dengan", "dan", "akan", "soal", "atas", "bagi", "tak", "pada", "dalam"}
ENGLISH = {"the", "of", "to", "in", "and", "for", "on", "with", "a", "is", "at", "by", "from", "after", "over"}


def shared_set(set_name: str) -> Path:
    folder = eval_dir()
    if not (folder / "retrieval" / set_name / "queries.jsonl").is_file():
        pytest.skip(f"shared evaluation data not found at {folder} (set {EVAL_ENV}; default ../shared/eval)")
    return folder


def raw_rows(set_name: str) -> list[dict[str, str]]:
    lines = translation_file(set_name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def share_of_words(texts: list[str], words: set[str]) -> float:
    tokens = [token for text in texts for token in re.findall(r"\w+", text)]
    return sum(token in words for token in tokens) / len(tokens)


@pytest.mark.parametrize("set_name", SETS)
def test_three_hundred_lines_with_unique_ids(set_name: str) -> None:
    rows = raw_rows(set_name)
    assert len(rows) == PER_SET
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == PER_SET
    assert set(rows[0]) == {"id", "text"}
    assert len(load_translations(set_name)) == PER_SET


@pytest.mark.parametrize("set_name", SETS)
def test_no_empty_text(set_name: str) -> None:
    for row in raw_rows(set_name):
        assert row["text"].strip(), row["id"]
        assert row["text"] == row["text"].strip(), row["id"]


@pytest.mark.parametrize("set_name", SETS)
def test_lower_case_like_the_query_sets(set_name: str) -> None:
    assert all(text == text.lower() for text in load_translations(set_name).values())


def test_indonesian_file_reads_as_indonesian() -> None:
    texts = list(load_translations("bbc-news").values())
    assert TRANSLATIONS["bbc-news"][1] == "id"
    assert share_of_words(texts, INDONESIAN) > 0.06
    assert share_of_words(texts, ENGLISH) < 0.03


def test_english_file_reads_as_english() -> None:
    texts = list(load_translations("indosum-dev").values())
    assert TRANSLATIONS["indosum-dev"][1] == "en"
    assert share_of_words(texts, ENGLISH) > 0.08
    assert share_of_words(texts, INDONESIAN) < 0.01


@pytest.mark.parametrize("set_name", SETS)
def test_every_id_is_a_shared_query(set_name: str) -> None:
    folder = shared_set(set_name)
    shared = load_queries(folder / "retrieval" / set_name / "queries.jsonl")
    translated = translated_queries(set_name, folder)
    assert len(translated) == PER_SET
    assert set(translated) <= set(shared)


@pytest.mark.parametrize("set_name", SETS)
def test_selection_follows_the_documented_rule(set_name: str) -> None:
    # README.md: sort the set's query ids, take the one at position i * n // 300 for i = 0..299.
    folder = shared_set(set_name)
    ids = sorted(load_queries(folder / "retrieval" / set_name / "queries.jsonl"))
    expected = [ids[i * len(ids) // PER_SET] for i in range(PER_SET)]
    assert list(load_translations(set_name)) == expected


@pytest.mark.parametrize("set_name", SETS)
def test_no_translation_equals_its_original(set_name: str) -> None:
    folder = shared_set(set_name)
    shared = load_queries(folder / "retrieval" / set_name / "queries.jsonl")
    translated = translated_queries(set_name, folder)
    same = [qid for qid, text in translated.items() if text.casefold() == shared[qid].strip().casefold()]
    assert same == []


def write_set(root: Path, set_name: str, queries: dict[str, str], docs: list[str]) -> None:
    folder = root / "retrieval" / set_name
    folder.mkdir(parents=True)
    lines = [json.dumps({"id": qid, "text": text}) for qid, text in queries.items()]
    (folder / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = [json.dumps({"id": doc, "title": "", "text": f"body of {doc}", "lang": "en"}) for doc in docs]
    (folder / "corpus.jsonl").write_text("\n".join(corpus) + "\n", encoding="utf-8")
    (folder / "qrels.tsv").write_text("".join(f"q-{doc}\t{doc}\t1\n" for doc in docs), encoding="utf-8")


def test_an_id_missing_from_the_shared_set_is_named(tmp_path: Path) -> None:
    ours = list(load_translations("bbc-news"))
    # A shared set holding every translated query but the last one.
    write_set(tmp_path, "bbc-news", {qid: "original" for qid in ours[:-1]}, ["d1"])
    with pytest.raises(CrosslingualDataError, match=re.escape(ours[-1])) as caught:
        translated_queries("bbc-news", tmp_path)
    assert "1 query id(s) not in the shared bbc-news queries" in str(caught.value)


def test_missing_shared_data_says_where_to_point(tmp_path: Path) -> None:
    with pytest.raises(CrosslingualDataError, match=EVAL_ENV):
        translated_queries("indosum-dev", tmp_path / "absent")
    with pytest.raises(CrosslingualDataError, match="unknown query set"):
        translated_queries("bbc", tmp_path)


def test_mixed_corpus_keeps_colliding_ids_apart(tmp_path: Path) -> None:
    write_set(tmp_path, "bbc-news", {}, ["a1", "same"])
    write_set(tmp_path, "indosum-dev", {}, ["same", "b2"])
    articles = mixed_corpus(tmp_path)
    assert [article["id"] for article in articles] == ["bbc:a1", "bbc:same", "indosum:same", "indosum:b2"]
    assert articles[2]["text"] == "body of same"
    assert mixed_qrels("indosum-dev", tmp_path) == {"q-same": {"indosum:same": 1}, "q-b2": {"indosum:b2": 1}}


def test_mixed_corpus_of_the_shared_sets() -> None:
    folder = shared_set("bbc-news")
    shared_set("indosum-dev")
    articles = mixed_corpus(folder)
    ids = [article["id"] for article in articles]
    assert len(ids) == len(set(ids))
    for set_name, prefix in DOC_PREFIX.items():
        corpus_lines = (folder / "retrieval" / set_name / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        assert sum(doc_id.startswith(prefix) for doc_id in ids) == sum(1 for line in corpus_lines if line.strip())
        # Every document judged for one of our translated queries is in the mixed corpus.
        judged = mixed_qrels(set_name, folder)
        for query_id in translated_queries(set_name, folder):
            assert set(judged[query_id]) <= set(ids), query_id
