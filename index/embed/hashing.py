"""The model-free encoder: deterministic feature hashing of words, for tests and quick trials.

It needs no weights and no runtime, starts at once and gives the same vectors on every machine, so
the test suite and a first try of the engine run without a model. Selected by the model spec
``hashing`` or ``hashing-N`` (``index.embed.loading``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import numpy as np


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


def _normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalized: np.ndarray = (matrix / norms).astype(np.float32)
    return normalized
