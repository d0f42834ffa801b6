"""The whoosh (BM25F) keyword index: schema, analysis and how changes are applied to it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.support.charset import accent_map

from index.article import Article

# Recorded in the manifest: an index analysed one way cannot be queried another way.
ANALYSIS = "unicode-words+lowercase+accent-fold"
# Headlines are short and chosen with care: a query word in the title says more than one in the body.
TITLE_BOOST = 2.5


def build_analyzer() -> Analyzer:
    # Keeps "60.000", "1,5" and "covid-19" parts together as news numbers are written, folds case and accents.
    tokenizer = RegexTokenizer(r"\w+(?:[.,]\d+)*")
    return tokenizer | LowercaseFilter() | CharsetFilter(accent_map)


def build_schema() -> Schema:
    analyzer = build_analyzer()
    return Schema(
        rowid=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=analyzer),
        site=ID(),
        lang=ID(),
        published=ID(),
    )


def open_or_create(directory: Path) -> whoosh_index.Index:
    if whoosh_index.exists_in(str(directory)):
        return whoosh_index.open_dir(str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(directory), build_schema())


def open_for_reading(directory: Path) -> whoosh_index.Index:
    return whoosh_index.open_dir(str(directory), readonly=True)


def apply_changes(ix: whoosh_index.Index, upserts: Iterable[tuple[int, Article]], deletes: Iterable[int]) -> None:
    """Delete then (re)write documents keyed by store row id, in one whoosh commit.

    ``update_document`` replaces by the unique ``rowid`` key, so replaying the same journal twice
    after a crash gives the same index.
    """
    writer = ix.writer(limitmb=256)
    try:
        for rowid in deletes:
            writer.delete_by_term("rowid", str(rowid))
        for rowid, article in upserts:
            writer.update_document(
                rowid=str(rowid),
                title=article.title,
                body=article.text,
                site=(article.site or "").lower(),
                lang=article.lang or "",
                published=article.published or "",
            )
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
