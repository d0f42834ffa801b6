"""index/embed: text to vectors. ``base`` (the Encoder interface and what is embedded), ``hashing``,
``onnx`` and ``sentence_transformers_encoder`` (the encoders), ``loading`` (model spec -> encoder,
the model cache), ``e5/`` (the one-time build of the default model)."""
