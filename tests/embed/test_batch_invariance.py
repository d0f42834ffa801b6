"""An embedding depends on its text only: not on the texts embedded beside it, nor on their order.

The int8 model scales its activations over each input it is run on, so texts padded into one batch
changed each other's embeddings (``index.embed.onnx.OnnxEncoder._encode``). Batch-mates mattered in
three places: a resumed or clustered ingest against a clean one, an evaluation's batched queries
against a search's single query, and re-embedding a stored article to check it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.embed.loading import packaged_e5_small
from index.embed.onnx import OnnxEncoder
from tests.conftest import SHARED, require

pytestmark = pytest.mark.model
CORPUS = SHARED / "eval" / "retrieval" / "bbc-news" / "corpus.jsonl"


def articles(limit: int) -> list[str]:
    """Real article texts of very different lengths (the longest are cut by the tokenizer)."""
    lines = require(CORPUS).read_text(encoding="utf-8").splitlines()[:limit]
    texts = [f"{row['title']}\n{row['text']}" for row in map(json.loads, lines)]
    return [text[: 200 + 900 * (i % 4)] for i, text in enumerate(texts)]


@pytest.fixture(scope="module")
def encoder() -> OnnxEncoder:
    return OnnxEncoder(packaged_e5_small(), threads=2)


def test_an_article_embeds_the_same_in_any_batch_and_order(encoder: OnnxEncoder) -> None:
    texts = articles(12)
    together = encoder.encode_documents(texts)
    reversed_order = encoder.encode_documents(texts[::-1])[::-1]
    alone = np.concatenate([encoder.encode_documents([text]) for text in texts])
    np.testing.assert_array_equal(together, reversed_order)
    np.testing.assert_array_equal(together, alone)
    # The texts differ: equal rows would also pass the checks above.
    assert float((together[0] * together[1]).sum()) < 0.99


def test_a_query_in_an_evaluation_batch_embeds_as_a_search_embeds_it_alone(encoder: OnnxEncoder) -> None:
    queries = ["UK economy growth slows", "harga beras naik di pasar induk", "Lavrov Pyongyang", "a" * 300]
    batched = encoder.encode_queries(queries)
    alone = np.concatenate([encoder.encode_queries([query]) for query in queries])
    np.testing.assert_array_equal(batched, alone)
