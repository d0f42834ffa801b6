"""A torch-free encoder: an ONNX model run by onnxruntime, text split by ``tokenizers``.

The model directory holds ``model.onnx`` (pooling and normalization inside the graph),
``tokenizer.json`` and ``encoder.json`` (name, dimension, prefixes, maximum length). Documents
and queries go through this same pipeline, so their embeddings are comparable by construction.
Importing onnxruntime costs about 0.1 s against several seconds for torch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import ModelLoadError

BATCH_SIZE = 32


@dataclass(frozen=True)
class EncoderConfig:
    name: str
    dim: int
    max_length: int = 256
    query_prefix: str = ""
    passage_prefix: str = ""
    pad_id: int = 0
    pad_token: str = "[PAD]"
    output: str = "sentence_embedding"

    @classmethod
    def read(cls, directory: Path) -> EncoderConfig:
        data = json.loads((directory / "encoder.json").read_text(encoding="utf-8"))
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in known})


class OnnxEncoder:
    def __init__(self, directory: Path, *, threads: int | None = None) -> None:
        self.directory = directory
        try:
            self.config = EncoderConfig.read(directory)
        except (OSError, ValueError, TypeError) as exc:
            raise ModelLoadError(f"no usable ONNX encoder in {directory}: {exc}") from exc
        self._threads = threads or min(os.cpu_count() or 1, 4)
        self._session: Any = None
        self._tokenizer: Any = None

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def dim(self) -> int:
        return self.config.dim

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.config.passage_prefix + t for t in texts])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.config.query_prefix + t for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch(texts)
        # Batches of similar length waste little compute on padding: sort, embed, restore the order.
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            chosen = order[start : start + BATCH_SIZE]
            batch = [encodings[i] for i in chosen]
            width = max(len(e.ids) for e in batch)
            ids = np.full((len(batch), width), self.config.pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, encoding in enumerate(batch):
                ids[row, : len(encoding.ids)] = encoding.ids
                mask[row, : len(encoding.ids)] = 1
            outputs = session.run([self.config.output], {"input_ids": ids, "attention_mask": mask})
            result[chosen] = outputs[0]
        return result

    def _load(self) -> tuple[Any, Any]:
        if self._session is None:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            try:
                self._session = ort.InferenceSession(
                    str(self.directory / "model.onnx"), options, providers=["CPUExecutionProvider"]
                )
                tokenizer = Tokenizer.from_file(str(self.directory / "tokenizer.json"))
            except Exception as exc:  # onnxruntime raises its own exception types
                raise ModelLoadError(f"cannot load the ONNX encoder in {self.directory}: {exc}") from exc
            tokenizer.enable_truncation(max_length=self.config.max_length)
            tokenizer.no_padding()  # padded per batch above, to the batch's own longest text
            self._tokenizer = tokenizer
        return self._session, self._tokenizer
