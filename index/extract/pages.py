"""From a page or record to an ``Article``, or a ``Skip`` that says why not.

Trafilatura does the extraction; what it returns is tidied here (cross-links dropped, the
language detected when the page does not declare one, dates reduced to ISO days).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import re
from typing import Any

from index.article import Article, Note, Skip, make_article_id, site_from_url
from index.extract.clipping import parse_clipping
from index.extract.language import detect_language, normalize_language
from index.extract.metadata import declared_site_name
from index.extract.sources import Page, Record
from index.extract.textclean import clean_text, drop_leading_title, iso_date, word_count

# Part of every page fingerprint: bump it when extraction changes, so that re-ingesting an archive
# extracts its pages again instead of trusting what an older extractor made of the same bytes.
# 2: a first body line repeating the headline is dropped; clippings dated and sourced by their lead.
EXTRACTOR_VERSION = "2"

# Shorter bodies are teasers, captions or error pages rather than articles.
MIN_TEXT_CHARS = 80  # CJK text is short in characters; the word minimum does the work
MIN_TEXT_WORDS = 30

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings duplicate our skip reasons
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def page_fingerprint(page: Page) -> str:
    digest = hashlib.sha256(f"{EXTRACTOR_VERSION}\x1f{page.kind}\x1f{page.url}\x1f{page.charset}\x1f".encode())
    digest.update(page.content)
    return digest.hexdigest()


def to_article(item: Page | Record) -> Article | Skip:
    try:
        if isinstance(item, Record):
            return _from_record(item)
        if item.kind == "text":
            return _from_clipping(item)
        return _from_html(item)
    except RecursionError:
        return Skip(item.source, "unreadable", "markup nested too deeply")
    except Exception as exc:  # one bad page must never abort a batch; the reason is kept
        return Skip(item.source, "extraction_failed", f"{type(exc).__name__}: {exc}")


def _from_html(page: Page) -> Article | Skip:
    html = _decode(page)
    if html is None:
        return Skip(page.source, "not_html", "binary content")
    head = html[:4096].lower()
    if "<" not in head or not any(tag in html[:200_000].lower() for tag in ("<html", "<body", "<p", "<div", "<article")):
        return Skip(page.source, "not_html", "no HTML markup")
    import trafilatura  # 0.3 s to import: paid only by ingests that meet HTML

    doc = trafilatura.bare_extraction(
        _flatten_deep_nesting(html),
        url=page.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if doc is None:
        return Skip(page.source, "not_article", "no main text found")
    meta: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = (meta.get("title") or "").strip()
    extracted = clean_text(meta.get("text") or "")
    text = drop_leading_title(extracted, title)
    if _too_short(text):
        return Skip(page.source, "too_short", f"{len(text.split())} words of text")
    if _too_short(" ".join(_prose_lines(text))):
        return Skip(page.source, "not_article", "lists and links, no article body")
    url = _absolute_url(meta.get("url")) or _absolute_url(page.url)
    lang = normalize_language(meta.get("language")) or _declared_language(html) or detect_language(text)
    return Article(
        # From the text as extracted, before the repeated headline is dropped: a page without a
        # URL keeps the id that earlier extractor versions gave it, so a re-ingest updates it in place.
        id=make_article_id(url, title, extracted),
        title=title,
        text=text,
        url=url,
        published=iso_date(meta.get("date")),
        author=(meta.get("author") or None),
        site=declared_site_name(html) or (meta.get("sitename") or None) or site_from_url(url),
        lang=lang,
        source=page.source,
    )


def _from_clipping(page: Page) -> Article | Skip:
    raw = _decode(page)
    if raw is None:
        return Skip(page.source, "not_text", "binary content")
    clipping = parse_clipping(raw)
    if clipping is None:
        return Skip(page.source, "not_article", "no headline and body found")
    if _too_short(clipping.text):
        return Skip(page.source, "too_short", f"{len(clipping.text.split())} words of text")
    return Article(
        id=make_article_id(None, clipping.title, clipping.text),
        title=clipping.title,
        text=clipping.text,
        published=clipping.published,
        author=clipping.author,
        site=clipping.site,
        lang=detect_language(clipping.text),
        source=page.source,
    )


def _from_record(record: Record) -> Article | Skip:
    fields = record.fields
    text = fields.get("text")
    if not isinstance(text, str):
        return Skip(record.source, "missing_field", "no 'text' (or 'html') string")
    # No invented title: it would be indexed (and boosted) as one. Displays fall back to the lead.
    title = _string(fields, "title") or ""
    extracted = clean_text(text)
    text = drop_leading_title(extracted, title)
    if _too_short(text):
        return Skip(record.source, "too_short", f"{len(text.split())} words of text")
    url = _absolute_url(_string(fields, "url"))
    # The names exports use for the fields that search filters on (first present wins).
    published = next(filter(None, (iso_date(fields.get(key)) for key in _DATE_KEYS)), None)
    notes = [] if published else _unusable_dates(fields)
    site = next(filter(None, (_string(fields, key) for key in _SITE_KEYS)), None) or site_from_url(url)
    lang = normalize_language(fields.get("lang") or fields.get("language")) or detect_language(text)
    # An export's own id is the stable identity when there is no URL (many corpora have none);
    # BEIR corpora call it "_id", and their qrels name documents by it.
    own_id = fields.get("id") if fields.get("id") is not None else fields.get("_id")
    if url is None and isinstance(own_id, str | int) and str(own_id).strip():
        article_id = str(own_id).strip()
    else:
        article_id = make_article_id(url, title, extracted)  # as for pages: the id of earlier versions
    return Article(
        id=article_id,
        title=title,
        text=text,
        url=url,
        published=published,
        author=next(filter(None, (_string(fields, key) for key in _AUTHOR_KEYS)), None),
        site=site,
        lang=lang,
        source=record.source,
        notes=notes,
    )


def _unusable_dates(fields: dict[str, Any]) -> list[Note]:
    """A date field that is there but is no date: the article is kept undated, and the page noted,
    since an undated article silently drops out of every date filter."""
    for key in _DATE_KEYS:
        value = fields.get(key)
        blank = value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list | dict) and not value)
        if not blank:
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            return [Note("bad_date", f"{key}: {shown} is not a date (expected ISO, YYYY-MM-DD); kept without a date")]
    return []


_DATE_KEYS = ("published", "date", "published_at", "publish_date", "date_published", "datePublished", "pubdate")
_SITE_KEYS = ("site", "source", "site_name", "sitename", "publisher")
_AUTHOR_KEYS = ("author", "authors", "byline")


def _decode(page: Page) -> str | None:
    content = page.content
    if b"\x00" in content[:4096]:
        return None
    for charset in (page.charset, "utf-8"):
        if not charset:
            continue
        try:
            codecs.lookup(charset)
            return content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    mostly = _mostly_utf8(content)
    if mostly is not None:
        return mostly
    from trafilatura.utils import decode_file  # detects the charset (meta tags, then statistics)

    decoded = decode_file(content)
    return decoded if isinstance(decoded, str) and not _looks_binary(decoded) else None


def _mostly_utf8(content: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a bad copy, a cut multi-byte character) is still UTF-8.

    Guessing a legacy charset for it would garble every correct non-ASCII character to save a
    handful of broken ones; a latin-1 or GB2312 page, by contrast, has almost no valid sequences.
    """
    text = content.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 127) - broken
    return text if valid >= broken or broken * 2000 <= len(content) else None


def _looks_binary(text: str) -> bool:
    """Control characters and replacement marks in bulk: an image or archive saved under .html."""
    sample = text[:8192]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd" or 0x7F <= ord(ch) < 0xA0)
    return odd * 10 > len(sample)


# Runs of the same tag opened (or closed) dozens of times in a row: no real page nests like that,
# and the HTML parser gives up on deep trees (dropping the text inside), so such runs are collapsed.
_VOID = r"(?!(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)\b)"  # these never nest
_REPEATED_OPEN = re.compile(r"(<" + _VOID + r"([a-zA-Z][\w-]*)\b[^>]*>)(?:\s*<\2\b[^>]*>){63,}")
_REPEATED_CLOSE = re.compile(r"(</([a-zA-Z][\w-]*)\s*>)(?:\s*</\2\s*>){63,}")


def _flatten_deep_nesting(html: str) -> str:
    return _REPEATED_CLOSE.sub(r"\1", _REPEATED_OPEN.sub(r"\1", html))


def _declared_language(html: str) -> str | None:
    import re

    match = re.search(r"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z_-]+)", html[:5000], re.IGNORECASE)
    return normalize_language(match.group(1)) if match else None


def _prose_lines(text: str) -> list[str]:
    """Lines that read as running text: not list items, not short labels or dates."""
    return [line for line in text.split("\n") if not line.startswith(("- ", "* ", "• ")) and word_count(line) >= 8]


def _too_short(text: str) -> bool:
    return len(text) < MIN_TEXT_CHARS or word_count(text) < MIN_TEXT_WORDS


def _absolute_url(value: object) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _string(fields: dict[str, Any], key: str) -> str | None:
    value = fields.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value if v.strip()) or None
    return None
