"""Result records returned by the library and rendered by the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Hit:
    """One search result: the article's metadata, a snippet, and the evidence that ranked it."""

    rank: int
    id: str
    title: str
    url: str | None
    published: str | None
    site: str | None
    author: str | None
    lang: str | None
    score: float
    snippet: str
    keyword_rank: int | None = None
    keyword_score: float | None = None
    semantic_rank: int | None = None
    semantic_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
