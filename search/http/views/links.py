"""Links to what the archive holds: the app's own paths, and the outlets' URLs only when they are web links.

A stored URL comes from an archived page (or an export) and can be anything: ``javascript:...``,
``data:...``, a scheme hidden behind whitespace or control characters that browsers strip. Only a
plain ``http://`` or ``https://`` URL with a host becomes an ``href``; anything else is shown as text.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# No whitespace or control characters anywhere: browsers drop some of them while parsing a URL,
# which is how "java\tscript:" and " javascript:" get past a naive prefix check.
_WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
MAX_URL_CHARS = 4_000


def web_href(url: str | None) -> str | None:
    """``url`` when it is safe to link to (http or https, with a host), else None."""
    if not url or len(url) > MAX_URL_CHARS or not _WEB_URL.fullmatch(url):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:  # an unbalanced "[" in the host, say
        return None
    return url if host else None


def _segment(article_id: str) -> str:
    # One path segment: an id that is a stored URL keeps its slashes encoded, and "?" or "#" in an
    # id can never end the path (the route takes the rest of the path, decoded, as the id).
    return quote(article_id, safe="")


def article_path(article_id: str) -> str:
    return f"/articles/{_segment(article_id)}"


def similar_path(article_id: str) -> str:
    return f"/articles/{_segment(article_id)}/similar"


def group_path(article_id: str) -> str:
    return f"/groups/{_segment(article_id)}"


def api_article_path(article_id: str) -> str:
    return f"/api/articles/{_segment(article_id)}"
