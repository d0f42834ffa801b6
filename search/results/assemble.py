"""A page of ranked documents turned into ``Hit``s: the stored article, its snippet, and the evidence.

The evidence is where the score came from: each retriever's rank and raw score, what each side
added to the fused score, the recency boost, and how many other copies of the story the index holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from index.backends.base import Run, Snapshot
from search.results.hits import Hit
from search.results.snippets import best_passage


def build_hits(
    snapshot: Snapshot,
    page: Run,
    keyword_run: Run,
    semantic_run: Run,
    words: tuple[Sequence[str], Sequence[str]],
    contributions: Mapping[int, tuple[float, float]],
    boosts: Mapping[int, float],
    *,
    first_rank: int = 1,
) -> list[Hit]:
    """The hits of ``page`` (document, score), ranked from ``first_rank``; ``words`` are the query's
    terms and phrases, which the snippets show. Documents deleted meanwhile are left out."""
    terms, phrases = words
    keyword_pos = {doc: (rank, score) for rank, (doc, score) in enumerate(keyword_run, start=1)}
    semantic_pos = {doc: (rank, score) for rank, (doc, score) in enumerate(semantic_run, start=1)}
    docs = [doc for doc, _ in page]
    articles = snapshot.articles(docs)
    groups = snapshot.groups(docs)
    group_sizes = snapshot.group_sizes(groups.values())
    hits: list[Hit] = []
    for doc, score in page:
        article = articles.get(doc)
        if article is None:  # deleted between the metadata read and now
            continue
        k_rank, k_score = keyword_pos.get(doc, (None, None))
        s_rank, s_score = semantic_pos.get(doc, (None, None))
        k_part, s_part = contributions.get(doc, (None, None))
        snippet = best_passage(article.text, terms, phrases=phrases, lang=article.lang)
        hits.append(
            Hit(
                rank=first_rank + len(hits),
                id=article.id,
                title=article.display_title,
                url=article.url,
                published=article.published,
                site=article.site,
                author=article.author,
                lang=article.lang,
                score=float(score),
                snippet=snippet.text,
                keyword_rank=k_rank,
                keyword_score=k_score,
                semantic_rank=s_rank,
                semantic_score=s_score,
                highlights=list(snippet.spans),
                keyword_contribution=k_part,
                semantic_contribution=s_part,
                recency_boost=boosts.get(doc, 0.0),
                similar_count=max(0, group_sizes.get(groups.get(doc, ""), 1) - 1),
            )
        )
    return hits
