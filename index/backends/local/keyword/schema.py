"""The whoosh (BM25F) keyword index: schema, analysis and how changes are applied to it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, PyStemmerFilter, RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.support.charset import accent_map

from index.analysis import ANALYSES, DEFAULT_ANALYSIS, STEMMERS, WORD_PATTERN
from index.article import Article

TEXT_FIELDS = ("title", "body")


def build_analyzer(stemmer: str | None = None) -> Analyzer:
    # No format or analysis version to bump: whoosh stores each field's analyzer in the index (the
    # pickled schema) and indexes with that one, so an index written before possessives were folded
    # still opens and keeps analysing its documents as before ("kim" and "s"). Queries are analysed
    # with this release's analyzer (index/backends/local/keyword/compile.py, current_analysis): "Kim's" asks for "kim",
    # which such an index holds too. `news-search index --rebuild` writes the new schema; until
    # then a query for the letter "s" alone still finds the possessives there.
    analyzer = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
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


def field_suffix(lang: str | None, schema: Schema) -> str:
    """The suffix of the fields a text in ``lang`` is indexed in ("_en", or "" for the plain fields)."""
    code = STEMMERS.get(lang or "") and ("id" if lang == "ms" else lang)
    return f"_{code}" if code and f"body_{code}" in schema.names() else ""


def statistics_group(lang: str | None, schema: Schema) -> str:
    """Which documents share BM25's length statistics with an article in ``lang``: those whose text
    goes into the same stemmed fields ("en"; "id" for Indonesian and Malay), and in the plain fields
    those of the same language ("fr", "" when unknown).

    In an archive of several languages, the average field length an article's length is normalized
    by is then that of its own language, and N and the document frequencies of a stemmed field are
    those of the documents that can have it (``holds``), as in an archive of that language alone: an
    English field's average length was once taken over every document, the Indonesian ones
    included, which skewed BM25's length normalization of English articles.
    """
    suffix = field_suffix(lang, schema)
    return suffix[1:] if suffix else (lang or "")


def holds(group: str, field: str, schema: Schema) -> bool:
    """Whether documents of a statistics group can have text in ``field``: a stemmed field belongs
    to its language's group alone; the plain fields to every language without stemmed fields.

    The plain fields' N and document frequencies are therefore taken over all of their languages
    together: a word that is common in one of them and rare in another (English words quoted in a
    language without a stemmer) kept its high idf there otherwise, and those articles came first
    for ordinary words (measured in docs/relevance.md, "One archive, several languages")."""
    _, _, suffix = field.partition("_")
    if suffix:
        return group == suffix
    return f"body_{group}" not in schema.names()


def document(rowid: int, article: Article, schema: Schema) -> dict[str, str]:
    suffix = field_suffix(article.lang, schema)
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


def apply_changes(ix: whoosh_index.Index, upserts: Iterable[tuple[int, Article]], deletes: Iterable[int]) -> int:
    """Delete then (re)write documents keyed by store row id, in one whoosh commit; returns its generation.

    ``update_document`` replaces by the unique ``rowid`` key, so replaying the same journal twice
    after a crash gives the same index. The files of older generations are kept (see
    ``_KeepingWriter``) until ``remove_unused`` is called once the manifest names the new one.
    """
    writer = _KeepingWriter(ix, limitmb=256, compound=False)
    try:
        for rowid in deletes:
            writer.delete_by_term("rowid", str(rowid))
        for rowid, article in upserts:
            writer.update_document(**document(rowid, article, ix.schema))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return generation(ix)


def segment_count(ix: whoosh_index.Index) -> int:
    return len(ix._segments())


def merge_segments(ix: whoosh_index.Index) -> int:
    """Rewrite every segment into one (a new generation, kept like any other commit); returns it."""
    writer = _KeepingWriter(ix, limitmb=256, compound=False)
    writer.commit(optimize=True)
    return generation(ix)


def generation(ix: whoosh_index.Index) -> int:
    """The latest committed whoosh generation (each commit is an immutable snapshot while its files exist)."""
    return int(ix.latest_generation())


def remove_unused(ix: whoosh_index.Index, keep: int) -> None:
    """Delete the files of every generation but ``keep`` (the one the manifest now names)."""
    from whoosh.index import TOC, clean_files

    toc = TOC.read(ix.storage, ix.indexname, gen=keep)
    clean_files(ix.storage, ix.indexname, keep, toc.segments)


def open_generation(directory: Path, gen: int | None) -> tuple[whoosh_index.Index, Any]:
    """A read-only index and a reader of exactly generation ``gen`` (the latest when None).

    Raises ``OSError`` when that generation's files are gone (a writer has moved on since the
    manifest was read): the caller reads the manifest again.
    """
    from whoosh.index import TOC, FileIndex

    from index.backends.local.keyword import columns

    ix = open_for_reading(directory)
    reader = None
    try:
        toc = TOC.read(ix.storage, ix.indexname, gen=gen)
        reader = FileIndex._reader(ix.storage, toc.schema, toc.segments, toc.generation)
        _open_every_file(reader)
        columns.pin(reader, directory)
    except BaseException:
        if reader is not None:
            reader.close()
        ix.close()
        raise
    return ix, reader


def _open_every_file(reader: Any) -> None:
    """Open now the files whoosh would open on first use: each segment's stored fields and field
    lengths. A writer deletes a superseded generation's files once the manifest names its new one;
    a file held open stays readable (POSIX), but one opened later by name would be gone, and
    whoosh then reads lengths of 0 or fails (a reader answering from the older state meanwhile).
    Raises ``OSError`` when they are gone already, as opening the generation does."""
    from index.backends.local.keyword.columns import segment_readers

    scorable = [name for name, field in reader.schema.items() if field.scorable]
    for leaf, _offset in segment_readers(reader):
        if leaf.doc_count_all() == 0:
            continue
        leaf.stored_fields(0)
        for name in scorable:
            leaf.doc_field_length(0, name)


# Segments are written as separate files, not whoosh's default single compound file: a reader of a
# compound file copies the whole term dictionary into memory when it opens (0.1 s at 100k articles,
# growing with the archive), while separate files are read in place.
def _keeping_writer_class() -> type[Any]:
    from whoosh.index import TOC
    from whoosh.writing import SegmentWriter

    class KeepingWriter(SegmentWriter):  # type: ignore[misc]  # whoosh is untyped
        # whoosh deletes the previous generation's files at commit; a reader that has just read
        # the manifest may still be opening that generation, so deletion waits for the manifest.
        def _commit_toc(self, segments: list[Any]) -> None:
            TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)

    return KeepingWriter


_KeepingWriter = _keeping_writer_class()
