"""What makes a warm single query fast keeps its results: cached word ids are the full tokenizer's,
the single-threaded query session embeds as the batch session does, and the recent-query cache
hands out copies. Speed itself is measured by benchmarks, not asserted here."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.embed import onnx as onnx_encoder
from index.embed.loading import packaged_e5_small
from index.embed.onnx import QUERY_VOCAB_FILE, OnnxEncoder, QueryVocabulary
from tests.conftest import SHARED, require

pytestmark = pytest.mark.model
QUERIES = SHARED / "eval" / "retrieval"


def real_queries(limit: int) -> list[str]:
    """Queries of both evaluation sets, interleaved (English and Indonesian)."""
    sets = [
        [str(json.loads(line)["text"]) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for path in sorted(require(QUERIES).glob("*/queries.jsonl"))
    ]
    mixed = [query for group in zip(*sets, strict=False) for query in group]
    return mixed[:limit]


@pytest.fixture(scope="module")
def e5_dir() -> Path:
    return packaged_e5_small()


@pytest.fixture(scope="module")
def full_tokenizer(e5_dir: Path) -> object:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=256)
    return tokenizer


def test_cached_word_ids_stay_the_full_tokenizers_through_eviction(
    e5_dir: Path, full_tokenizer: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_encoder, "WORD_CACHE", 50)  # far fewer than the words below: evictions
    small = QueryVocabulary(e5_dir / QUERY_VOCAB_FILE, e5_dir / "tokenizer.json", 256)
    queries = real_queries(300)
    texts = ["query: " + q for q in queries] + ["query: " + " ".join(queries[:80])]  # the last is truncated
    for _ in range(2):  # cold, then with whatever the cache kept
        mismatches = [t[:60] for t in texts if small.encode(t) != full_tokenizer.encode(t).ids]  # type: ignore[attr-defined]
        assert mismatches == []
    assert len(small._words) <= 50
    assert len(small.encode(texts[-1]) or []) == 256


def test_repeated_words_and_unknown_characters(e5_dir: Path, full_tokenizer: object) -> None:
    small = QueryVocabulary(e5_dir / QUERY_VOCAB_FILE, e5_dir / "tokenizer.json", 256)
    texts = [
        "query: rates rates rates",
        "query: \U0001f600\U0001f600 rates",  # unknown characters, fused the way the full model fuses them
        "query: \u0f00\u0f01\u0f02 Lavrov",
        "query: ",
        "query: Lavrov",
    ]
    for text in texts + texts:
        assert small.encode(text) == full_tokenizer.encode(text).ids  # type: ignore[attr-defined]


def test_the_single_threaded_query_session_embeds_as_the_batch_session(e5_dir: Path) -> None:
    """The two sessions run the same graph on one text (every text runs alone, test_batch_invariance.py)."""
    queries = real_queries(12)
    light = OnnxEncoder(e5_dir, threads=2)
    fast = np.concatenate([light.encode_queries([q]) for q in queries])
    assert light._light_session is not None and light._session is None
    heavy = OnnxEncoder(e5_dir, threads=2)
    heavy._load_session()  # loaded first, so single queries run on it too: the path before the light session
    reference = np.concatenate([heavy.encode_queries([q]) for q in queries])
    assert heavy._light_session is None
    assert fast.shape == (len(queries), light.dim) and fast.dtype == np.float32
    assert float((fast * reference).sum(axis=1).min()) >= 0.9999


def test_recent_queries_are_cached_as_copies(e5_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(onnx_encoder, "QUERY_CACHE", 3)
    encoder = OnnxEncoder(e5_dir)
    first = encoder.encode_queries(["Lavrov Pyongyang"])
    first[0, :] = 0.0  # the caller's array is its own
    again = encoder.encode_queries(["Lavrov Pyongyang"])
    assert again.shape == (1, encoder.dim) and again.flags.writeable
    assert abs(float(np.linalg.norm(again)) - 1.0) < 1e-4
    for query in ["a", "b", "c", "d"]:
        encoder.encode_queries([query])
    assert len(encoder._recent) == 3


def test_a_query_runs_single_threaded_without_a_second_model_beside_a_batch_session(e5_dir: Path) -> None:
    querying = OnnxEncoder(e5_dir, threads=2)
    querying.encode_queries(["UK economy growth slows"])
    assert querying._light_session is not None and querying._session is None

    ingesting = OnnxEncoder(e5_dir, threads=2)
    ingesting.encode_documents(["A long enough passage. " * 20, "Another one, also long. " * 20])
    last = ingesting.encode_documents(["A short last one."])  # an ingest's last small batch: same session
    ingesting.encode_queries(["harga beras naik"])
    assert ingesting._session is not None and ingesting._light_session is None

    alone = OnnxEncoder(e5_dir, threads=2).encode_documents(["A short last one."])  # on the light session
    assert float((alone * last).sum()) >= 0.9999
