"""Page metadata that trafilatura gets wrong on common layouts, read straight from the markup.

The outlet's name: ``og:site_name`` first, then the JSON-LD publisher (resolving ``@graph`` and
``@id`` references, as SEO plugins write them), then ``application-name``. trafilatura prefers a
twitter handle, and on ``@graph`` pages can return the WebPage's name, that is the headline.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterator
from typing import Any

_HEAD_CHARS = 300_000
_META = re.compile(r"<meta\s[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_JSON_LD = re.compile(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "WebPage"}
_ORGANIZATION_TYPES = {"Organization", "NewsMediaOrganization", "Corporation"}


def declared_site_name(page: str) -> str | None:
    head = page[:_HEAD_CHARS]
    metas = _meta_tags(head)
    for key in ("og:site_name", "application-name"):
        if value := metas.get(key):
            return value
    return _json_ld_publisher(head)


def _meta_tags(head: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in _META.finditer(head):
        attributes = {k.lower(): _unquote(v) for k, v in _ATTRIBUTE.findall(tag.group())}
        key = (attributes.get("property") or attributes.get("name") or "").lower()
        content = attributes.get("content", "").strip()
        if key and content and key not in found:
            found[key] = content
    return found


def _json_ld_publisher(head: str) -> str | None:
    nodes = list(_json_ld_nodes(head))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for node in nodes:
        if _types(node) & _ARTICLE_TYPES:
            publisher = node.get("publisher")
            if isinstance(publisher, list) and publisher:
                publisher = publisher[0]
            if isinstance(publisher, dict):
                resolved = by_id.get(publisher.get("@id", ""), publisher) if "name" not in publisher else publisher
                name = resolved.get("name")
                if isinstance(name, str) and name.strip():
                    return name.strip()
    for node in nodes:
        name = node.get("name")
        if _types(node) & _ORGANIZATION_TYPES and isinstance(name, str) and name.strip():
            return name.strip()
    return None


def _json_ld_nodes(head: str) -> Iterator[dict[str, Any]]:
    for block in _JSON_LD.finditer(head):
        try:
            data = json.loads(block.group(1).strip())
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def _unquote(value: str) -> str:
    if value[:1] in "\"'" and value[-1:] == value[:1]:
        value = value[1:-1]
    return html_lib.unescape(value)
