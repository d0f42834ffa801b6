"""The faiss vector index: normalized embeddings under the store's row ids (inner product = cosine)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import faiss
import numpy as np


def new_index(dim: int) -> faiss.Index:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def load(path: Path, dim: int) -> faiss.Index:
    if not path.exists():
        return new_index(dim)
    index = faiss.read_index(str(path))
    if index.d != dim:
        raise ValueError(f"{path} holds {index.d}-d vectors, expected {dim}")
    return index


def apply_changes(index: faiss.Index, ids: Sequence[int], vectors: np.ndarray, deletes: Sequence[int]) -> None:
    """Remove ``deletes`` and every id about to be rewritten, then add the new vectors."""
    to_remove = np.asarray(sorted(set(deletes) | set(ids)), dtype=np.int64)
    if len(to_remove):
        index.remove_ids(faiss.IDSelectorBatch(to_remove))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))


def save(index: faiss.Index, path: Path) -> None:
    """Write next to the target and rename over it, so a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    faiss.write_index(index, str(tmp))
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
