"""What makes a cold query fast keeps results unchanged: the per-query tokenizer gives the full
tokenizer's ids, and the word table outside the graph gives the embeddings it gave inside."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embed.loading import E5_FORMAT_VERSION, packaged_e5_small
from index.embed.onnx import QUERY_VOCAB_FILE, OnnxEncoder, QueryVocabulary
from tests.conftest import ROOT, SHARED, require

pytestmark = pytest.mark.model
RETRIEVAL = SHARED / "eval" / "retrieval"
EDGE_CASES = [
    "",
    " ",
    "  two   spaces  ",
    "\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \uff21\uff22\uff23 \uff11\uff12\uff13",  # full-width
    "café naïve ﬁnance Ångström",
    "emoji 😀 and ✓ marks",
    "tab\tnew\nline",
    "\u200bzero\u200dwidth",
    "x" * 300,
    "Rp1.000.000,- (50%) — “quoted”",
    "한국어 日本語 中文 русский ελληνικά العربية",
    "\x00\x01control",
]


def real_texts(limit: int) -> list[str]:
    texts: list[str] = []
    for corpus in sorted(require(RETRIEVAL).glob("*/*.jsonl")):
        for number, line in enumerate(corpus.read_text(encoding="utf-8").splitlines()):
            if number % 20 or not line.strip():
                continue
            row = json.loads(line)
            texts += [str(row[key])[: 40 + number % 1500] for key in ("title", "text", "query") if row.get(key)]
    return texts[:limit]


@pytest.fixture(scope="module")
def e5_dir() -> Path:
    return packaged_e5_small()


def test_the_per_query_tokenizer_gives_the_full_tokenizers_ids(e5_dir: Path) -> None:
    from tokenizers import Tokenizer

    full = Tokenizer.from_file(str(e5_dir / "tokenizer.json"))
    full.enable_truncation(max_length=256)
    small = QueryVocabulary(e5_dir / QUERY_VOCAB_FILE, e5_dir / "tokenizer.json", 256)
    texts = [prefix + text for text in real_texts(1500) + EDGE_CASES for prefix in ("query: ", "passage: ")]
    assert len(texts) > 1000
    mismatches = [text[:60] for text in texts if small.encode(text) != full.encode(text).ids]
    assert mismatches == []
    assert small.encode("query: a literal <mask> token") is None  # left to the full tokenizer


def test_queries_embed_identically_through_either_tokenizer(e5_dir: Path) -> None:
    queries = ["Lavrov Pyongyang", "harga beras naik menjelang lebaran", "UK economy growth slows"]
    fast = OnnxEncoder(e5_dir, threads=1)
    vectors = np.concatenate([fast.encode_queries([q]) for q in queries])
    assert fast._tokenizer is None  # the full tokenizer was never parsed
    full = OnnxEncoder(e5_dir, threads=1)
    full._full_tokenizer()
    np.testing.assert_allclose(vectors, np.concatenate([full.encode_queries([q]) for q in queries]), atol=1e-6)


def test_a_cache_of_an_older_format_is_converted_again_on_first_use(e5_dir: Path, tmp_path: Path) -> None:
    """A directory an older release converted (here a copy labelled format 2) is replaced by a new
    conversion the first time the model is loaded, and the cache holds nothing else afterwards."""
    old = tmp_path / "cache" / "multilingual-e5-small"
    shutil.copytree(e5_dir, old)
    config = json.loads((old / "encoder.json").read_text(encoding="utf-8"))
    (old / "encoder.json").write_text(json.dumps(dict(config, format=2)), encoding="utf-8")
    replaced = (old / "model.onnx").stat().st_ino
    texts = ["Menteri Luar Negeri Rusia tiba di Pyongyang.", "The central bank left rates unchanged."]
    before = OnnxEncoder(old, threads=1).encode_documents(texts)

    code = "from index.embed.loading import packaged_e5_small\nprint(packaged_e5_small())\n"
    env = {"NEWS_SEARCH_MODEL_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(old)
    assert json.loads((old / "encoder.json").read_text(encoding="utf-8"))["format"] == E5_FORMAT_VERSION == 3
    assert (old / "model.onnx").stat().st_ino != replaced  # converted again, not relabelled
    assert list((tmp_path / "cache").iterdir()) == [old]  # no staging directory left behind
    after = OnnxEncoder(old, threads=1).encode_documents(texts)
    assert float((before * after).sum(axis=1).min()) >= 0.99
