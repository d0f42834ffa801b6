"""Test helper: a query string parsed and compiled for whoosh, as the local backend compiles it.

``WhooshParser(schema).parse(text)`` has the ``ParsedQuery`` fields plus ``keyword`` (the whoosh
query) and ``excluded`` (the whoosh query of what it excludes, or None), for tests that look at
the compiled shape or run it on a searcher themselves.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from whoosh.query import NullQuery

from index.backends.local.keyword.compile import QueryCompiler
from index.backends.local.keyword.schema import build_analyzer
from index.backends.query import KeywordSettings, excluded_by
from search.query.parser import QueryParser

_ANALYZER = build_analyzer()


def query_words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(token.text for token in _ANALYZER(text)))


class WhooshParser:
    def __init__(self, schema: Any, settings: KeywordSettings | None = None) -> None:
        self._parser = QueryParser(query_words)
        self._compiler = QueryCompiler(schema, (settings or KeywordSettings()).title_boost)

    def parse(self, text: str) -> Any:
        parsed = self._parser.parse(text)
        excluded = excluded_by(parsed.query) if parsed.query is not None else None
        return SimpleNamespace(
            **vars(parsed),
            keyword=self._compiler.compile(parsed.query) if parsed.query is not None else NullQuery,
            excluded=self._compiler.compile(excluded) if excluded is not None else None,
        )
