"""The two outcomes of reading a page: an ``Article`` (with its ``Note``s), or a ``Skip`` saying why not.

They are shared by extraction, ingest, every backend and the read path, so they live here, apart
from any storage engine.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Tracking parameters never change which article a URL points at.
_TRACKING_PARAMS = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ref$|ref_src$|_ga$)")


@dataclass(frozen=True)
class Note:
    """Something extraction noticed about a page it kept (a value it could not use, say).

    Unlike a skip, the article is stored; the note is kept with its source so that `stats` can
    count such pages and list them."""

    kind: str  # short and stable, like a skip reason: "bad_date"
    detail: str = ""


@dataclass(frozen=True)
class Skip:
    """A page that was not indexed, and why."""

    source: str
    reason: str
    detail: str = ""


@dataclass
class Article:
    """One news article as stored. ``id`` is stable across re-ingests of the same page."""

    id: str
    title: str
    text: str
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    author: str | None = None
    site: str | None = None
    lang: str | None = None
    source: str | None = None  # where it came from: file path, "file.warc.gz#offset", "file.jsonl:line"
    indexed_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)  # from extraction; not part of what is indexed or shown

    @property
    def display_title(self) -> str:
        """The headline, or the first words of the text for articles that came without one."""
        if self.title:
            return self.title
        words = self.text.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")

    @property
    def content_hash(self) -> str:
        """Changes whenever anything we index or show changes; decides whether a re-ingest is an update."""
        parts = [self.title, self.text, self.url, self.published, self.author, self.site, self.lang]
        return _sha256("\x1f".join(p or "" for p in parts))

    @property
    def text_hash(self) -> str:
        """Identifies the same headline and body regardless of URL, for exact-duplicate detection.

        The headline counts: a portal that runs a wire story under its own headline is a near-duplicate
        (stored, grouped), not a second save of the same page. Hashed as if it headed the text: for
        untitled articles, and for pages whose body used to repeat the headline, that is the hash
        earlier versions stored.
        """
        return _sha256(normalize_text(self.title + "\n" + self.text))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not data["extra"]:
            data.pop("extra")
        if not data["notes"]:
            data.pop("notes")
        return data


def normalize_url(url: str) -> str:
    """Canonical form of a URL for identity: lower-case host, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)])
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    scheme = parts.scheme.lower() if parts.scheme else "http"
    if scheme == "http":
        scheme = "https"  # the same page is often saved over both schemes
    return urlunsplit((scheme, host, path, query, ""))


def normalize_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", folded))


def make_article_id(url: str | None, title: str, text: str) -> str:
    """Canonical URL when there is one, else the content: 16 hex digits, short enough to type."""
    if url:
        return _sha256("url:" + normalize_url(url))[:16]
    return _sha256("text:" + normalize_text(title + "\n" + text))[:16]


def site_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()
