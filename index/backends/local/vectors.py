"""The faiss vector index: normalized embeddings under the store's row ids (inner product = cosine).

The kind of index follows the archive's size (``apply_changes`` switches it as the archive grows or
shrinks; ``search`` handles every kind):

- up to ``ANN_THRESHOLD`` vectors, an exact scan over float16 codes (``IndexIDMap2`` over an
  ``IndexScalarQuantizer``): half the memory of float32, the same top 10 (recall 1.0 against a
  float32 scan on real e5 embeddings), about 4 ms per query at 100k on one core;
- above it, an inverted file (``IndexIVFScalarQuantizer``, float16 codes). Unlike HNSW, an IVF index
  removes and adds ids in place, so the journal's updates and deletes apply without rebuilds; it is
  retrained from its own vectors only when the archive has grown (or shrunk) enough that the
  number of lists no longer fits. ``nprobe`` is chosen so that recall@10 against the exact scan
  stays >= 0.95 on real e5 embeddings (see NPROBE_FRACTION). Read-only loads are memory-mapped.

Filtered searches (``allowed``) on an inverted file probe every list when the filter is narrow, so a
filter that keeps 1% of a million articles still gets its exact top k.

An archive of several languages holds its vectors centered per language (``centering.py``, which
writes them), and its queries are centered too: by the mean the index carries (``query_mean``),
kept in the file as faiss's own ``IndexPreTransform`` (a ``CenteringTransform`` then a
``NormalizationTransform``) around the index above, so a reader needs nothing but the file.
``search`` applies it to the queries; every other function works on the index inside it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import faiss
import numpy as np

ANN_THRESHOLD = 200_000  # exact scan up to here: ~8 ms per query at 200k on one core
# Inverted lists: about LIST_SIZE vectors each; NPROBE_FRACTION of the lists scanned per query.
# e5 queries ("query: ...") sit apart from the passages the lists are trained on, so an inverted file
# must scan more than usual: with 600 real queries, recall@10 against the exact scan was 0.90 / 0.946
# scanning 20% / 30% of lists of 256 over 40k real e5 sentence embeddings, and 0.92 / 0.955 over 45k
# mixed sentences and articles; at a fixed share it rises with the archive (20%: 0.83 -> 0.87 ->
# 0.92 at 10k -> 20k -> 45k). 40% keeps a margin above 0.95 and is still well under half the work
# of the exact scan (benchmarks/results/latency-recall.json).
LIST_SIZE = 256
MIN_NPROBE = 32
NPROBE_FRACTION = 0.4
TRAIN_SAMPLE = 100_000  # k-means on a sample: 2 minutes instead of 20 at a million
# A filter that keeps at most this many vectors (or this share of them) is scored exactly.
EXACT_ALLOWED = 50_000
EXACT_ALLOWED_SHARE = 0.05

SINGLE_THREAD_QUERIES = 16

_FP16 = faiss.ScalarQuantizer.QT_fp16
_IP = faiss.METRIC_INNER_PRODUCT


def new_index(dim: int) -> faiss.Index:
    """An empty exact index (float16 codes)."""
    return faiss.IndexIDMap2(faiss.IndexScalarQuantizer(dim, _FP16, _IP))


def is_approximate(index: faiss.Index) -> bool:
    return isinstance(_inner(index), faiss.IndexIVF)


def query_mean(index: faiss.Index) -> np.ndarray | None:
    """The vector subtracted from every query before it is normalized (None: queries are searched as given)."""
    if not isinstance(index, faiss.IndexPreTransform):
        return None
    centering = _untyped(faiss.downcast_VectorTransform(_untyped(index).chain.at(0)))
    return np.asarray(faiss.vector_to_array(centering.mean), dtype=np.float32)


def with_query_mean(index: faiss.Index, mean: np.ndarray | None) -> faiss.Index:
    """``index`` with queries centered on ``mean`` from now on (None: not centered); the vectors it
    holds are not touched. Returns the index to use in place of ``index`` (which is consumed)."""
    if mean is None:
        if not isinstance(index, faiss.IndexPreTransform):
            return index
        return faiss.clone_index(_inner(index))  # the wrapper owns its index: a copy leaves it behind
    if isinstance(index, faiss.IndexPreTransform):
        centering = _untyped(faiss.downcast_VectorTransform(_untyped(index).chain.at(0)))
        faiss.copy_array_to_vector(np.ascontiguousarray(mean, dtype=np.float32), centering.mean)
        return index
    return _wrapped(index, mean)


def _wrapped(inner: faiss.Index, mean: np.ndarray) -> faiss.Index:
    centering: Any = faiss.CenteringTransform(inner.d)
    faiss.copy_array_to_vector(np.ascontiguousarray(mean, dtype=np.float32), centering.mean)
    centering.is_trained = True
    normalization: Any = faiss.NormalizationTransform(inner.d, 2.0)
    wrapper: Any = faiss.IndexPreTransform(normalization, inner)
    wrapper.prepend_transform(centering)
    # The wrapper frees what it holds (as an index read from a file does).
    wrapper.own_fields = True
    for part in (centering, normalization, inner):
        _untyped(part).this.disown()
    return cast(faiss.Index, wrapper)


def _inner(index: faiss.Index) -> faiss.Index:
    """The index that holds the vectors (inside the query transform, if there is one)."""
    if isinstance(index, faiss.IndexPreTransform):
        return faiss.downcast_index(_untyped(index).index)
    return index


def _rewrapped(wrapper: faiss.Index, inner: faiss.Index) -> faiss.Index:
    """What ``apply_changes`` returns: ``wrapper`` when ``inner`` is still the index it holds, else
    ``inner`` wrapped with the same query transform (the old wrapper frees its old index)."""
    mean = query_mean(wrapper)
    if mean is None:
        return inner
    held = _inner(wrapper)
    if _untyped(held).this == _untyped(inner).this:
        _untyped(wrapper).ntotal = inner.ntotal  # the wrapper's count is its own copy
        return wrapper
    return _wrapped(inner, mean)


def load(path: Path, dim: int, *, writable: bool = False) -> faiss.Index:
    """The index in ``path``. Read-only (the default, for searching), its codes stay in the file,
    memory-mapped: opening 100k vectors takes milliseconds instead of a third of a second, and
    readers share one copy in the page cache. The writer asks for a ``writable`` copy in memory."""
    if not path.exists():
        return new_index(dim)
    if writable:
        index = faiss.read_index(str(path))
    else:
        try:  # flat codes map with IO_FLAG_MMAP_IFC, which inverted lists refuse
            index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_MMAP_IFC)
        except RuntimeError:
            index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP)
    if index.d != dim:
        raise ValueError(f"{path} holds {index.d}-d vectors, expected {dim}")
    return index


def apply_changes(index: faiss.Index, ids: Sequence[int], vectors: np.ndarray, deletes: Sequence[int]) -> faiss.Index:
    """Remove ``deletes`` and every id about to be rewritten, add the new vectors, and return the index,
    which is a new one when the archive's size calls for another kind (exact <-> inverted file) or
    for retraining the inverted file. The vectors are stored as given (already centered where
    the archive is: ``centering.py``)."""
    wrapper, index = index, _inner(index)
    to_remove = np.asarray(sorted(set(deletes) | set(ids)), dtype=np.int64)
    if len(to_remove):
        # An inverted file with a direct map removes only through an IDSelectorArray.
        selector = faiss.IDSelectorArray(to_remove) if is_approximate(index) else faiss.IDSelectorBatch(to_remove)
        index.remove_ids(selector)
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
    return _rewrapped(wrapper, resized(index))


def resized(index: faiss.Index, threshold: int | None = None) -> faiss.Index:
    """The same vectors in the kind of index their number calls for (``index`` itself if it fits)."""
    if isinstance(index, faiss.IndexPreTransform):
        return _rewrapped(index, resized(_inner(index), threshold))
    threshold = threshold or ANN_THRESHOLD
    n = index.ntotal
    if not is_approximate(index):
        if n <= threshold:
            return index
        return build_ivf(*all_vectors(index), dim=index.d)
    wanted = _nlist_for(n)
    # Back to exact well below the threshold, so that an archive at the edge does not flip each sync.
    if n < threshold // 2:
        exact = new_index(index.d)
        ids, matrix = all_vectors(index)
        if len(ids):
            exact.add_with_ids(matrix, ids)
        return exact
    nlist = int(_untyped(index).nlist)
    if wanted > 2 * nlist or wanted < nlist // 4:
        return build_ivf(*all_vectors(index), dim=index.d)
    return index


def build_ivf(ids: np.ndarray, matrix: np.ndarray, dim: int, nlist: int | None = None) -> faiss.Index:
    """An inverted file over float16 codes, trained on (a sample of) ``matrix``."""
    nlist = nlist or _nlist_for(len(ids))
    quantizer: Any = faiss.IndexFlatIP(dim)
    index: Any = faiss.IndexIVFScalarQuantizer(quantizer, dim, nlist, _FP16, _IP)
    index.own_fields = True
    quantizer.this.disown()  # owned by the IVF index from now on
    sample = matrix
    wanted = max(TRAIN_SAMPLE, 40 * nlist)  # faiss's k-means asks for 39 points per list
    if len(matrix) > wanted:
        rows = np.random.default_rng(0).choice(len(matrix), wanted, replace=False)
        sample = matrix[np.sort(rows)]
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.set_direct_map_type(_untyped(faiss).DirectMap.Hashtable)  # reconstruct and remove by id
    index.nprobe = nprobe_for(nlist)
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(matrix, dtype=np.float32), np.asarray(ids, dtype=np.int64))
    return cast(faiss.Index, index)


def nprobe_for(nlist: int) -> int:
    return min(nlist, max(MIN_NPROBE, math.ceil(nlist * NPROBE_FRACTION)))


def _nlist_for(n: int) -> int:
    return max(1, min(65_536, n // LIST_SIZE))


def all_vectors(typed: faiss.Index) -> tuple[np.ndarray, np.ndarray]:
    """Every (id, vector) held by ``index`` (float16-rounded), for rebuilding it as another kind."""
    index = _untyped(_inner(typed))  # faiss's stubs lack most attributes of the concrete index types
    if is_approximate(index):
        invlists = index.invlists
        id_parts = [
            faiss.rev_swig_ptr(invlists.get_ids(lst), invlists.list_size(lst)).copy()
            for lst in range(index.nlist)
            if invlists.list_size(lst)
        ]
        ids = np.concatenate(id_parts).astype(np.int64) if id_parts else np.zeros(0, dtype=np.int64)
        return ids, _reconstruct(index, ids)
    ids = faiss.vector_to_array(index.id_map).astype(np.int64)
    if len(ids) == 0:
        return ids, np.zeros((0, index.d), dtype=np.float32)
    return ids, np.asarray(index.index.reconstruct_n(0, index.ntotal), dtype=np.float32)


def _reconstruct(index: faiss.Index, ids: np.ndarray) -> np.ndarray:
    if len(ids) == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    return np.asarray(index.reconstruct_batch(np.ascontiguousarray(ids, dtype=np.int64)), dtype=np.float32)


def _untyped(value: Any) -> Any:
    return value


def save(index: faiss.Index, path: Path) -> None:
    """Write next to the target and rename over it, so a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    faiss.write_index(index, str(tmp))
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def search(index: faiss.Index, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest stored vectors per query: (scores, ids), rows padded with id -1.

    ``allowed`` (store row ids) restricts the search to those articles, inside the index, so a
    filter that keeps 1% of the archive still yields ``k`` hits when ``k`` of them exist. Queries are
    centered first when the index says so (``query_mean``), and the scores are the cosines of the
    centered vectors.
    """
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    mean = query_mean(index)
    index = _inner(index)
    if mean is not None:
        queries = queries - mean
        norms = np.linalg.norm(queries, axis=1, keepdims=True)
        queries = np.ascontiguousarray(queries / np.where(norms > 0, norms, 1.0), dtype=np.float32)
    if len(queries) > SINGLE_THREAD_QUERIES:
        return _ties_by_id(index, queries, k, allowed)
    # One query gains nothing from OpenMP's threads, and on a busy machine their spin-waits cost
    # tens of milliseconds (a 20k scan: 50 ms with two threads, 1 ms with one).
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        return _ties_by_id(index, queries, k, allowed)
    finally:
        faiss.omp_set_num_threads(threads)


def _ties_by_id(index: faiss.Index, queries: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """``_search`` with equal scores in row id order. faiss orders them by where a vector sits in
    the index, which depends on the history of removes and adds (a resumed or updated archive
    holds the same vectors in another order), and near-identical copies of a story often share a
    title and lead, so an embedding. One more is asked for, more while the last ties the cut."""
    wanted = k + 1
    while True:
        scores, ids = _search(index, queries, wanted, allowed)
        if scores.shape[1] < wanted or k < 1:
            break
        tied_at_cut = (ids[:, -1] >= 0) & (scores[:, -1] == scores[:, k - 1])
        if not tied_at_cut.any():
            break
        wanted *= 2
    # Padding (id -1) sorts last; lexsort's last key is the primary one.
    order = np.lexsort((ids, np.where(ids < 0, np.inf, -scores.astype(np.float64))), axis=-1)[:, :k]
    return np.take_along_axis(scores, order, axis=-1), np.take_along_axis(ids, order, axis=-1)


def _search(index: faiss.Index, queries: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    if index.ntotal == 0 or k < 1:
        return _empty(len(queries))
    if allowed is None:
        return index.search(queries, min(k, index.ntotal))
    allowed = np.asarray(allowed, dtype=np.int64)
    if len(allowed) == 0:
        return _empty(len(queries))
    k = min(k, len(allowed), index.ntotal)
    selector = IdBitmap(allowed)  # kept referenced: the parameters hold a raw pointer
    if not is_approximate(index):
        params = faiss.SearchParameters()
        params.sel = selector.selector
        return index.search(queries, k, params=params)
    # The filter sits inside the inverted file. A narrow one probes every list (skipping the
    # others by id costs little): exact among the allowed. A broad one probes more lists the more
    # it drops, so that about as many allowed vectors are scored as an unfiltered search scores.
    ivf = _untyped(index)
    if len(allowed) <= max(EXACT_ALLOWED, EXACT_ALLOWED_SHARE * ivf.ntotal):
        nprobe = ivf.nlist
    else:
        nprobe = min(ivf.nlist, math.ceil(ivf.nprobe * ivf.ntotal / len(allowed)))
    ivf_params = faiss.SearchParametersIVF()
    ivf_params.sel = selector.selector
    ivf_params.nprobe = nprobe
    scores, ids = ivf.search(queries, k, params=ivf_params)
    return np.asarray(scores), np.asarray(ids)


class IdBitmap:
    """The allowed row ids as a faiss bitmap selector. faiss's ``IDSelectorBatch`` builds a hash set
    of them on every query, and its membership test is a hash lookup: with half of 100k articles
    allowed (a language filter), a flat search took 22 ms against 16 ms with a bitmap and 11 ms
    unfiltered, in one run on the 2-core machine."""

    def __init__(self, allowed: np.ndarray) -> None:
        size = int(allowed.max()) + 1
        member = np.zeros(size, dtype=bool)
        member[allowed] = True
        self.bits = np.packbits(member, bitorder="little")  # bit i % 8 of byte i // 8 is row id i
        # faiss takes the bitmap's length in bytes, and selects no id beyond it.
        self.selector = faiss.IDSelectorBitmap(len(self.bits), faiss.swig_ptr(self.bits))


def _empty(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
