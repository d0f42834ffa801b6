"""Query strings: checked, filters taken out, the keyword query parsed, the free text for the semantic side.

``QueryParser.parse`` turns what a user typed into a ``ParsedQuery``: the engine-neutral keyword
query (``search.query.syntax``, nodes of ``index.backends.query``, which each backend compiles for
its engine), the filter written in it (``search.query.filters``), the words the semantic side
embeds, and the words and phrases snippets highlight. Nothing here knows the engine: the one thing
it asks the index is how it splits text into words (``analyse``), to tell a query with words from
one without any.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from index.backends.filters import SearchFilter
from index.backends.query import Node, Phrase, excluded_by, positive_leaves
from index.errors import QuerySyntaxError
from search.query.filters import check_prefixes, extract_filters
from search.query.syntax import parse_keywords

_CACHED_QUERIES = 256
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
_BINARY = ("AND", "OR", "ANDNOT", "ANDMAYBE")
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: Node | None  # the keyword query; None when the query only filters (``browse``)
    free_text: str  # what the semantic side embeds: the words looked for, without syntax or exclusions
    terms: tuple[str, ...]  # the distinct words of ``free_text`` as the index analyses them
    filter: SearchFilter = field(default_factory=SearchFilter)
    phrases: tuple[str, ...] = ()
    browse: bool = False  # the query only filters: every matching article, newest first

    @property
    def excludes(self) -> bool:
        """Whether some documents cannot match because of what the query excludes (``NOT``, ``-x``)."""
        return self.query is not None and excluded_by(self.query) is not None


class QueryParser:
    """Parses query strings, keeping the last few (paging asks for the same query again).

    ``analyse`` splits text into the index's words (``Reader.query_words``).
    """

    def __init__(self, analyse: Callable[[str], tuple[str, ...]]) -> None:
        self._analyse = analyse
        self._cache: dict[str, ParsedQuery] = {}
        self._cache_lock = threading.Lock()

    def parse(self, text: str) -> ParsedQuery:
        with self._cache_lock:  # readers may share one NewsSearch across threads
            cached = self._cache.get(text)
        if cached is None:
            cached = self._parse(text)
            with self._cache_lock:
                if len(self._cache) >= _CACHED_QUERIES:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[text] = cached
        return cached

    def _parse(self, text: str) -> ParsedQuery:
        text = text.strip()
        if not text:
            raise QuerySyntaxError("empty query: give one or more words to search for")
        _check_balance(text)
        check_prefixes(text)
        words, filters = extract_filters(text)
        _check_operators(words, text)
        node = parse_keywords(words)
        leaves = list(positive_leaves(node)) if node is not None else []
        free_text = " ".join(" ".join(re.sub(r"[\^*]", " ", leaf.text).split()) for leaf in leaves).strip()
        terms = self._analyse(free_text)
        if not terms:
            if filters.active and not _OPERATOR.sub(" ", words).strip(" ()+-"):
                # Only filters: every matching article, newest first.
                return ParsedQuery(text=text, query=None, free_text="", terms=(), filter=filters, browse=True)
            raise QuerySyntaxError(f"query {text!r} has no words to search for")
        assert node is not None  # words to look for come from the query's leaves
        phrases = tuple(leaf.text for leaf in leaves if isinstance(leaf, Phrase))
        return ParsedQuery(text=text, query=node, free_text=free_text, terms=terms, filter=filters, phrases=phrases)


def _check_balance(text: str) -> None:
    if text.count('"') % 2:
        raise QuerySyntaxError(f'unbalanced quote in query {text!r}: close the phrase with a second "')
    depth = 0
    for char in _QUOTED.sub(" ", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        raise QuerySyntaxError(f"unbalanced parenthesis in query {text!r}")


def _check_operators(words: str, original: str) -> None:
    """AND and OR need something on both sides, NOT something after it."""
    tokens = re.findall(r'"[^"]*"|[()]|[^\s()]+', words)
    for index, token in enumerate(tokens):
        if token not in (*_BINARY, "NOT"):
            continue
        before = tokens[index - 1] if index else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        missing_after = after is None or after == ")" or after in _BINARY
        missing_before = token != "NOT" and (before is None or before == "(" or before in (*_BINARY, "NOT"))
        if missing_after or missing_before:
            where = "after" if missing_after else "before"
            raise QuerySyntaxError(
                f"{token} needs a word {where} it in query {original!r} (write it in lower case to search for the word)"
            )
