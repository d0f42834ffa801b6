"""The whoosh (BM25F) keyword index: schema, analysis and how changes are applied to it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, PyStemmerFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.support.charset import accent_map

from index.article import Article

# Snowball stemmers for the languages the archive is mostly written in; other languages get the
# plain analysis. Indonesian and Malay share their morphology.
STEMMERS = {"id": "indonesian", "ms": "indonesian", "en": "english"}
ANALYSES = ("snowball", "plain")
DEFAULT_ANALYSIS = "snowball"
TEXT_FIELDS = ("title", "body")


def build_analyzer(stemmer: str | None = None) -> Analyzer:
    # Keeps "60.000", "1,5" and "covid-19" parts together as news numbers are written, folds case and accents.
    analyzer = RegexTokenizer(r"\w+(?:[.,]\d+)*") | LowercaseFilter() | CharsetFilter(accent_map)
    if stemmer:
        analyzer = analyzer | PyStemmerFilter(stemmer, cachesize=100_000)
    return analyzer


def build_schema(analysis: str = DEFAULT_ANALYSIS) -> Schema:
    """Plain ``title``/``body`` fields, plus stemmed ``title_<lang>``/``body_<lang>`` for each stemmed language.

    An article's text goes into the fields of its own language only, so each is stemmed by the
    right rules; a query is analysed once per field, so it meets every language on its terms.
    """
    if analysis not in ANALYSES:
        raise ValueError(f"unknown analysis {analysis!r}: use one of {', '.join(ANALYSES)}")
    fields: dict[str, Any] = {
        "rowid": ID(stored=True, unique=True),
        "site": ID(),
        "lang": ID(),
        "published": ID(),
        "title": TEXT(analyzer=build_analyzer()),
        "body": TEXT(analyzer=build_analyzer()),
    }
    if analysis == "snowball":
        for code in _stemmed_languages():
            analyzer = build_analyzer(STEMMERS[code])
            fields[f"title_{code}"] = TEXT(analyzer=analyzer)
            fields[f"body_{code}"] = TEXT(analyzer=analyzer)
    return Schema(**fields)


def text_fields(schema: Schema) -> list[str]:
    return [name for name in schema.names() if name.split("_")[0] in TEXT_FIELDS]


def document(rowid: int, article: Article, schema: Schema) -> dict[str, str]:
    code = STEMMERS.get(article.lang or "") and ("id" if article.lang == "ms" else article.lang)
    suffix = f"_{code}" if code and f"body_{code}" in schema.names() else ""
    return {
        "rowid": str(rowid),
        f"title{suffix}": article.title,
        f"body{suffix}": article.text,
        "site": (article.site or "").lower(),
        "lang": article.lang or "",
        "published": article.published or "",
    }


def _stemmed_languages() -> list[str]:
    return sorted({"id" if code == "ms" else code for code in STEMMERS})


def open_or_create(directory: Path, analysis: str = DEFAULT_ANALYSIS) -> whoosh_index.Index:
    if whoosh_index.exists_in(str(directory)):
        return whoosh_index.open_dir(str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(directory), build_schema(analysis))


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
            writer.update_document(**document(rowid, article, ix.schema))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
