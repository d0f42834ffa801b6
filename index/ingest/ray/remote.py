"""What runs on the cluster's nodes: extraction of a chunk of pages, and an embedding actor.

Both are the local code (``workers.extract_chunk``, ``load_encoder(name).encode_documents``) with
the node's address and the seconds spent added, so the driver can report throughput per node.
Imported on the nodes by module path: every node needs news-search installed (``news-search[ray]``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.embed.base import Encoder
from index.embed.loading import load_encoder
from index.ingest.worker import injected_crash
from index.ingest.workers import Chunk, Extracted, extract_chunk


@dataclass(frozen=True)
class Done:
    """Where and how long one remote call ran."""

    node: str
    seconds: float
    device: str = "cpu"


def node_address() -> str:
    import ray

    util: Any = ray.util  # untyped in Ray's stubs
    return str(util.get_node_ip_address())


def extract_on_node(chunk: Chunk) -> tuple[list[Extracted], int, Done]:
    """A Ray task: the chunk's results in order, the worker's resident memory (KB), where it ran."""
    started = time.perf_counter()
    if injected_crash(chunk):
        os._exit(70)  # the worker process dies: Ray retries the task, then the driver goes page by page
    results, rss_kb = extract_chunk(chunk)
    return results, rss_kb, Done(node_address(), time.perf_counter() - started)


class EmbedActor:
    """Holds the index's encoder, loaded on its node by name; on a GPU with onnxruntime-gpu, CUDA."""

    def __init__(self, model: str) -> None:
        self.encoder: Encoder = load_encoder(model)
        self.device = _use_cuda_if_available(self.encoder)
        self.node = node_address()

    def encode(self, texts: Sequence[str]) -> tuple[np.ndarray, Done]:
        # The same call as a local ingest's: the ONNX encoder embeds each text alone, so the batches
        # cut here give the vectors a local run gives.
        started = time.perf_counter()
        matrix = self.encoder.encode_documents(texts)
        return matrix, Done(self.node, time.perf_counter() - started, self.device)


def _use_cuda_if_available(encoder: Encoder) -> str:
    """Switch an ONNX encoder to onnxruntime's CUDA provider when this node has one (onnxruntime-gpu
    and a GPU); CPU otherwise, and for other encoders (the hashing one needs no device)."""
    from index.embed.onnx import OnnxEncoder

    if not isinstance(encoder, OnnxEncoder):
        return "cpu"
    import onnxruntime as ort

    if "CUDAExecutionProvider" not in ort.get_available_providers():
        return "cpu"
    encoder.providers = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    return "cuda"
