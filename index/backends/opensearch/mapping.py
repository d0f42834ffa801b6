"""The index on the cluster: settings and mapping, the ``_meta`` record, documents and back.

Analysis follows the local backend's (``index.analysis``) rather than OpenSearch's built-in
``indonesian`` and ``english`` analyzers, so that a query matches the same articles on either
backend: the same word pattern (a ``pattern`` tokenizer), lower-casing and accent folding, and the
same Snowball stemmers (Lucene ships Snowball's Indonesian and English, the very algorithms
PyStemmer runs locally). The built-in analyzers would stem Indonesian with another algorithm and
drop stop words, and keyword mode would then match other articles than locally.

An article's headline and body go into the fields of its own language only (``title_id`` and
``body_id`` for Indonesian and Malay, ``title_en`` and ``body_en``, else the plain ``title`` and
``body``), as locally: Lucene's per-field statistics (document count, average length) are then
those of that language's articles, and a query is analysed once per field.

``doc`` is the document number of the interface (a long, assigned by the writer from a counter);
the article id is the document's ``_id``. The vector is a ``knn_vector`` with Lucene's HNSW (the
only k-NN engine the plugin from Maven Central can run; faiss and nmslib need native libraries).
"""

from __future__ import annotations

import base64
import struct
from typing import Any

from index.analysis import DEFAULT_ANALYSIS, STEMMERS, WORD_PATTERN
from index.article import Article

# Bump when the mapping or the meaning of a stored field changes; readers refuse other versions.
FORMAT_VERSION = 1
TEXT_FIELDS = ("title", "body")
# Snowball's names of the stemmers index.analysis names, and the field suffix of each language.
_SNOWBALL = {"indonesian": "Indonesian", "english": "English"}
STATE_ID = "__state__"  # the commit record, in the articles index so a point in time holds it too
VECTOR = "vector"
CENTERING = "centering"
# The vector again, as float16 codes (base64) in _source only: what a centered search reads back of
# its candidates (``centering.py``). Measured on the mixed archive: 68 ms p50 a centered search with
# the codes, 129 ms reading the knn field's floats instead.
VECTOR_CODES = "vector_codes"
# Both in _source only; an index created before centering gains them on opening (``centering.open_sums``).
CENTERING_MAPPING: dict[str, Any] = {"type": "object", "enabled": False}
CODES_MAPPING: dict[str, Any] = {"type": "binary"}


def suffix(lang: str | None, analysis: str) -> str:
    """The suffix of the fields a text in ``lang`` is indexed in ("_en", "_id", or "" for the plain fields)."""
    if analysis != "snowball" or not lang:
        return ""
    code = lang.lower()
    if code not in STEMMERS:
        return ""
    return "_id" if code == "ms" else f"_{code}"


def suffixes(analysis: str) -> list[str]:
    """Every field suffix an index of ``analysis`` has."""
    stemmed = sorted({suffix(code, analysis) for code in STEMMERS}) if analysis == "snowball" else []
    return ["", *(s for s in stemmed if s)]


def text_fields(analysis: str) -> list[str]:
    return [f"{kind}{end}" for end in suffixes(analysis) for kind in TEXT_FIELDS]


def _analyzer_of(field_suffix: str) -> str:
    return f"news{field_suffix or '_plain'}"


def index_body(meta: dict[str, Any], *, shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Settings and mapping of a new articles index; ``meta`` is recorded as the mapping's ``_meta``."""
    analysis = str(meta["analysis"])
    # Java's \w is ASCII unless (?U) asks for Unicode classes, as Python's re uses.
    filters: dict[str, Any] = {}
    analyzers: dict[str, Any] = {
        "news_plain": {"type": "custom", "tokenizer": "news_words", "filter": ["lowercase", "asciifolding"]}
    }
    for code, stemmer in sorted(STEMMERS.items()):
        end = suffix(code, analysis)
        if not end or _analyzer_of(end) in analyzers:
            continue
        filters[f"snowball{end}"] = {"type": "snowball", "language": _SNOWBALL[stemmer]}
        analyzers[_analyzer_of(end)] = {
            "type": "custom",
            "tokenizer": "news_words",
            "filter": ["lowercase", "asciifolding", f"snowball{end}"],
        }
    keyword = {"type": "keyword"}
    properties: dict[str, Any] = {
        "doc": {"type": "long"},
        "url": keyword,
        "published": keyword,  # ISO text, compared as text as the local store does
        "published_date": {"type": "date", "format": "strict_date_optional_time", "ignore_malformed": True},
        "author": keyword,
        "site": keyword,
        "lang": {"type": "keyword", "normalizer": "lowercase"},
        "source": keyword,
        "indexed_at": {"type": "keyword", "index": False},
        "content_hash": keyword,
        "text_hash": keyword,
        "group": keyword,
        "copy": {"type": "boolean"},  # in a group it does not head: what shared_groups looks for
        "signature": {"type": "binary"},
        "shingles": {"type": "integer", "index": False},
        "bands": {"type": "long"},
        "generation": {"type": "long"},  # the state record's
        "updated": {"type": "keyword", "index": False},
        CENTERING: CENTERING_MAPPING,  # the state record's language sums (``centering.py``)
        VECTOR_CODES: CODES_MAPPING,
        VECTOR: {
            "type": "knn_vector",
            "dimension": int(meta["dim"]),
            "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
        },
    }
    for name in text_fields(analysis):
        end = name[name.index("_") :] if "_" in name else ""
        # Offsets in the postings: highlighting and term vectors of the stored text, without re-analysis.
        properties[name] = {"type": "text", "analyzer": _analyzer_of(end), "index_options": "offsets"}
    return {
        "settings": {
            "index": {
                "knn": True,
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                # Only the writer's commit makes changes visible: readers see committed states only.
                "refresh_interval": "-1",
                "max_result_window": 10_000,
            },
            "analysis": {
                "tokenizer": {"news_words": {"type": "pattern", "pattern": f"(?U){WORD_PATTERN}", "group": 0}},
                "filter": filters,
                "analyzer": analyzers,
                "normalizer": {"lowercase": {"type": "custom", "filter": ["lowercase"]}},
            },
        },
        "mappings": {"dynamic": "strict", "_meta": meta, "properties": properties},
    }


def meta_index_body(*, shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """The companion index: page fingerprints, skip reasons, notes, the document counter and the write lock."""
    keyword = {"type": "keyword"}
    return {
        "settings": {"index": {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": "-1"}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "kind": keyword,  # seen, skip, note, counter, lock
                "source": keyword,
                "fingerprint": {"type": "keyword", "index": False},
                "outcome": {"type": "keyword", "index": False},
                "reason": keyword,
                "detail": {"type": "keyword", "index": False},
                "notes": {"properties": {"kind": keyword, "detail": {"type": "keyword", "index": False}}},
                "at": {"type": "keyword", "index": False},
                "next": {"type": "long"},
                "owner": {"type": "object", "enabled": False},
            },
        },
    }


def new_meta(model: str, dim: int, embedded_text: str, analysis: str = DEFAULT_ANALYSIS, created: str = "") -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "model": model,
        "dim": dim,
        "embedded_text": embedded_text,
        "analysis": analysis,
        "created": created,
    }


def document(
    doc: int,
    article: Article,
    vector: list[float] | None,
    signature: tuple[bytes, int, list[int]] | None,
    group: str,
    analysis: str,
    indexed_at: str,
) -> dict[str, Any]:
    """The stored document of an article: its text in its language's fields, metadata, group, vector."""
    end = suffix(article.lang, analysis)
    source: dict[str, Any] = {
        "doc": doc,
        "url": article.url,
        f"title{end}": article.title,
        f"body{end}": article.text,
        "published": article.published,
        "published_date": article.published,
        "author": article.author,
        "site": article.site,
        "lang": article.lang,
        "source": article.source,
        "indexed_at": article.indexed_at or indexed_at,
        "content_hash": article.content_hash,
        "text_hash": article.text_hash,
        "group": group,
        "copy": group != article.id,
    }
    if vector is not None:
        source[VECTOR] = vector
        source[VECTOR_CODES] = vector_codes(vector)
    if signature is not None:
        source.update(signature_fields(*signature))
    return source


def vector_codes(vector: list[float]) -> str:
    """A vector as little-endian float16 codes, base64."""
    return base64.b64encode(struct.pack(f"<{len(vector)}e", *vector)).decode("ascii")


def signature_fields(blob: bytes, shingles: int, bands: list[int]) -> dict[str, Any]:
    """The near-duplicate signature as stored: MinHash bytes (base64), shingle count, LSH band keys."""
    return {"signature": base64.b64encode(blob).decode("ascii"), "shingles": shingles, "bands": bands}


ARTICLE_FIELDS = ["doc", "url", "published", "author", "site", "lang", "source", "indexed_at", *text_fields("snowball")]


def article_of(article_id: str, source: dict[str, Any]) -> Article:
    """The stored article of a document's ``_source``."""
    title = text = ""
    for end in suffixes("snowball"):
        if f"body{end}" in source:
            title, text = str(source.get(f"title{end}") or ""), str(source.get(f"body{end}") or "")
            break
    return Article(
        id=article_id,
        title=title,
        text=text,
        url=_opt(source.get("url")),
        published=_opt(source.get("published")),
        author=_opt(source.get("author")),
        site=_opt(source.get("site")),
        lang=_opt(source.get("lang")),
        source=_opt(source.get("source")),
        indexed_at=_opt(source.get("indexed_at")),
    )


def signature_of(source: dict[str, Any]) -> tuple[bytes, int] | None:
    if "signature" not in source:
        return None
    return base64.b64decode(source["signature"]), int(source.get("shingles") or 0)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
