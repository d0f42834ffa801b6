"""Result records returned by the library and rendered by the CLI."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, overload

from index.article import Article


@dataclass
class Hit:
    """One search result: the article's metadata, a snippet, and the evidence that ranked it.

    ``highlights`` are (start, end) character spans of the query's words in ``snippet``. The
    explanation fields say where the score came from: each retriever's rank and raw score (None
    when that retriever did not return the article), what each side added to the fused score, and
    the recency boost (0 unless asked for).
    """

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
    highlights: list[tuple[int, int]] = field(default_factory=list)
    keyword_contribution: float | None = None
    semantic_contribution: float | None = None
    recency_boost: float = 0.0
    # Other stored articles telling the same story (near-duplicates from other outlets); listed by
    # ``NewsSearch.group_members(id)`` and ``news-search group ID``.
    similar_count: int = 0
    # Set when the article is in another language than the query's (given or detected) and hybrid
    # fusion treated it so: the two languages and how (search/ranking/fusion.py). None otherwise.
    cross_language: str | None = None
    # Set on a hit with a semantic score in an archive whose vectors are centered per language: how
    # its cosine was taken (the languages centered, and how much of their means, by the query's language).
    semantic_centering: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["highlights"] = [list(span) for span in self.highlights]
        return data


@dataclass
class SearchResults:
    """One page of results with the size and make-up of the whole result set.

    ``total`` counts every article in the result set (all pages) when ``total_complete``: always in
    keyword mode and whenever facets or ``count_all`` were asked for. Otherwise (hybrid and
    semantic pages) it counts the set as deep as fusion ranks (at least its depth, 100), which is
    every page a reader can reach at the usual depth, at a third of the cost. ``facets`` (when asked for)
    count that whole set by ``site``, ``lang`` and ``month`` (YYYY-MM, "unknown" when undated).
    ``notes`` say why a page may be empty (a filter that no stored article passes, with what the
    index holds instead).

    It is also the sequence of this page's hits, like the list ``search()`` returns: it can be
    iterated, indexed and sliced, and ``len()`` (so truth too) is the number of hits on the page,
    not ``total``.
    """

    query: str
    mode: str
    hits: list[Hit]
    total: int
    offset: int
    limit: int
    sort: str = "relevance"
    filter: str = ""
    facets: dict[str, dict[str, int]] | None = None
    notes: list[str] = field(default_factory=list)
    total_complete: bool = True

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        return self.hits[index]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "query": self.query,
            "mode": self.mode,
            "sort": self.sort,
            "filter": self.filter,
            "total": self.total,
            "total_complete": self.total_complete,
            "offset": self.offset,
            "limit": self.limit,
            "hits": [hit.to_dict() for hit in self.hits],
            "notes": list(self.notes),
        }
        if self.facets is not None:
            data["facets"] = self.facets
        return data


def group_to_dict(article_id: str, members: Sequence[Article]) -> dict[str, Any]:
    """A near-duplicate group as ``group --json`` and the HTTP API give it: the copies without their text."""
    return {"id": article_id, "articles": [{k: v for k, v in m.to_dict().items() if k != "text"} for m in members]}
