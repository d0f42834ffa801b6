"""The exported ONNX graph made fast: fused kernels, int8 weights, the word table moved out.

Three steps on the graph that ``index.embed.e5.export`` writes, each with onnx or onnxruntime
(imported inside the functions): onnxruntime's transformer optimizer fuses the op soup into its
BERT kernels, dynamic quantization turns the weights into int8, and the word-embedding table leaves
the graph for a memory-mapped ``words.npy`` that ``index.embed.onnx.OnnxEncoder`` reads. The last
step is also what format 2 added; format 3 quantizes differently, so an older directory is converted again.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import numpy as np

from index.embed.e5.packed import EXPECTED_SHAPE
from index.embed.onnx import WORDS_FILE
from index.errors import ModelLoadError

logger = logging.getLogger(__name__)


def fuse(source: Path, destination: Path) -> None:
    """Replace the exported op soup by onnxruntime's fused kernels (EmbedLayerNormalization, Attention,
    SkipLayerNormalization, BiasGelu). This, not int8 alone, is what makes the model fast: in the study
    plain int8 ran 11 passages/s, fused int8 27 passages/s on two cores, with the same accuracy."""
    from onnxruntime.transformers import optimizer

    started = time.monotonic()
    model = optimizer.optimize_model(
        str(source), model_type="bert", num_heads=EXPECTED_SHAPE[2], hidden_size=EXPECTED_SHAPE[0], opt_level=1
    )
    fused = model.get_fused_operator_statistics()
    logger.debug("fused operators: %s (%.1f s)", fused, time.monotonic() - started)
    if fused.get("Attention", 0) != EXPECTED_SHAPE[1]:
        # Still correct, only slower: the exported pattern changed (new torch or transformers).
        logger.warning(
            "attention fusion matched %s of %d layers; the encoder will be slower", fused.get("Attention", 0), EXPECTED_SHAPE[1]
        )
    model.save_model_to_file(str(destination))


def quantize(source: Path, destination: Path) -> None:
    """Dynamic int8: weights quantized per output channel (keeps cosine >= 0.99 against the original),
    activations at run time. MatMul covers the dense layers and Attention becomes QAttention; the word
    embedding table lives inside EmbedLayerNormalization and stays float32.

    Weights use 7 of their 8 bits (``reduce_range``): on a CPU with AVX2 but no VNNI, onnxruntime
    multiplies u8 activations by s8 weights with an instruction that saturates pairs of products
    at 16 bits, and full-range weights overflow it. On this project's 2-core AVX2 machine that cost
    bbc-news semantic MRR@10 0.826 against 0.836 with 7-bit weights (0.835 with u8 weights, 15%
    slower; the float model 0.842), while full-range weights gave 0.836 on the machine this project
    measured on before, so the embeddings depended on the CPU they were computed on (docs/relevance.md,
    "The CPU, and 7-bit weights").

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
        reduce_range=True,
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    logger.debug("quantized to int8 (%.0f MB) in %.1f s", destination.stat().st_size / 1e6, time.monotonic() - started)


def split_word_embeddings(directory: Path) -> str:
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
    os.replace(tmp, path)
    return name
