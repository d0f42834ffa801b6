"""What a hit in another language than the query's says of how it was ranked (``Hit.cross_language``):
how fusion stood its semantic evidence in for keyword evidence, why it is in the result set, and
which of the query's words the keyword side weighed by their rarity in the query's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from index.backends.base import Run, Snapshot
from search.ranking.languages import fields_language, keyword_language
from search.ranking.result_set import CROSS_LANGUAGE_NEIGHBOURS
from search.results.hits import Hit

if TYPE_CHECKING:
    from search.ranking.pipeline import Fused


def explain_languages(snapshot: Snapshot, hits: list[Hit], page: Run, fused: Fused, share: float) -> None:
    """Say on each hit in another language than the query's how it was fused, why it is in the set,
    and which of the query's words weighed otherwise in its fields (``Hit.cross_language``)."""
    if fused.language is None:
        return
    shown = [doc for doc, _ in page if doc in fused.foreign or doc in fused.nearest]
    by_id = {article_id: doc for doc, article_id in snapshot.article_ids(shown).items()} if shown else {}
    asked = fields_language(fused.language)
    for hit in hits:
        doc = by_id.get(hit.id)
        reasons = []
        lang = keyword_language(hit.lang)
        if doc in fused.foreign:
            reasons.append(f"its semantic evidence stands in for the keyword evidence it cannot have (share {share:g})")
        weighed = reweighed_words(fused.reweighed, lang) if hit.keyword_score is not None and lang != asked else ""
        if weighed:
            reasons.append(f"the query's words weigh as rare as they are in {asked}, as a share of their weight here: {weighed}")
        if doc in fused.nearest:
            reasons.append(
                f"below the semantic floor, in the result set as one of the query's {CROSS_LANGUAGE_NEIGHBOURS} nearest "
                "neighbours closer than a meaningless query gets (no keyword can match across languages)"
            )
        if reasons:
            hit.cross_language = f"query {fused.language.describe()}, article {hit.lang}: " + "; ".join(reasons)


def reweighed_words(reweighed: Mapping[str, float], lang: str | None) -> str:
    """The reweighed words in the fields of ``lang`` (a keyword-field code), in the query's order, with
    their weight in each field as a share of its own: "minister (body 0.25, title 0.61)"."""
    if not lang:
        return ""
    fields: dict[str, list[str]] = {}
    for key, share in reweighed.items():
        name, _, word = key.partition(":")
        kind, _, field_language = name.partition("_")
        if field_language == lang:
            fields.setdefault(word, []).append(f"{kind} {share:.2f}")
    return ", ".join(f"{word} ({', '.join(sorted(shares))})" for word, shares in fields.items())
