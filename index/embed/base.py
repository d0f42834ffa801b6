"""What every encoder is, and what is embedded for an article: the interface the rest of ingest and search see.

The ``Encoder`` protocol is all that ingest and search know of a model, so models and runtimes can
be swapped (``index.embed.loading`` picks one from a spec). The embedding recipe is named and
recorded in an index's manifest, so an index keeps embedding new articles the way it embedded the
old ones. Nothing heavy here: this module is imported on every path, ``--help`` included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from index.article import Article

# What is embedded for each article: the headline and the lead, news putting the essentials first.
# Recipes by name, as recorded in an index's manifest, so an index keeps embedding new articles the
# way it embedded the old ones. benchmarks/embedded_text.py measured the choices (docs/relevance.md).
LEAD_CHARS = {"title+lead": 1200, "title+lead-1200": 1200, "title+lead-600": 600}
EMBEDDED_TEXT = "title+lead-1200"


@runtime_checkable
class Encoder(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalized float32 matrix, one row per text."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...


def embedding_input(article: Article, recipe: str = EMBEDDED_TEXT) -> str:
    lead = article.text[: LEAD_CHARS[recipe]]
    return f"{article.title}\n{lead}" if article.title else lead
