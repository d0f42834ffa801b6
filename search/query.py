"""Query strings: validation, the whoosh query for the keyword side, the free text for the semantic side."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from whoosh.qparser import MultifieldParser, OrGroup, PlusMinusPlugin
from whoosh.query import NullQuery, Query

from index.errors import QuerySyntaxError
from index.keyword import build_analyzer, text_fields

# Documents matching more of the query words rank higher even under OR semantics.
_OR_COHERENCE = 0.9
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
_FIELD_PREFIX = re.compile(r"\b\w+:(?=\S)")


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    keyword: Query
    free_text: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class KeywordSettings:
    """BM25F parameters and the headline's weight, applied at query time (no re-indexing)."""

    k1: float = 1.2
    b: float = 0.75
    title_boost: float = 2.5


class QueryParser:
    def __init__(self, schema: Any, settings: KeywordSettings | None = None) -> None:
        settings = settings or KeywordSettings()
        fields = text_fields(schema)
        # A query word in the headline says more than one in the body.
        boosts = {name: settings.title_boost for name in fields if name.startswith("title")}
        self._parser = MultifieldParser(fields, schema, fieldboosts=boosts, group=OrGroup.factory(_OR_COHERENCE))
        # +word / -word only at the start of a word: "top-up", "anti-poverty" and "covid-19" are words,
        # not "top AND NOT up" (which silently dropped a third of the relevant articles in tests).
        self._parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?:^|(?<=\s))\+(?=\w)", minusexpr=r"(?:^|(?<=\s))-(?=\w)"))
        self._analyzer = build_analyzer()

    def parse(self, text: str) -> ParsedQuery:
        text = text.strip()
        if not text:
            raise QuerySyntaxError("empty query: give one or more words to search for")
        if text.count('"') % 2:
            raise QuerySyntaxError(f'unbalanced quote in query {text!r}: close the phrase with a second "')
        depth = 0
        for char in text:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                break
        if depth != 0:
            raise QuerySyntaxError(f"unbalanced parenthesis in query {text!r}")
        keyword_query = self._parser.parse(text)
        terms = tuple(dict.fromkeys(token.text for token in self._analyzer(self.free_text(text))))
        if keyword_query is NullQuery or not terms:
            raise QuerySyntaxError(f"query {text!r} has no words to search for")
        return ParsedQuery(text=text, keyword=keyword_query, free_text=self.free_text(text), terms=terms)

    @staticmethod
    def free_text(text: str) -> str:
        """What the semantic side sees: the words, without operators, field prefixes or quotes."""
        # Excluded words must not steer the embedding towards what the user asked to leave out.
        text = re.sub(r'(?:(?<=\s)|^)(?:-|NOT\s+)(?:"[^"]*"|\S+)', " ", text)
        text = _OPERATOR.sub(" ", text)
        text = _FIELD_PREFIX.sub("", text)
        text = re.sub(r"(?:(?<=\s)|^)[+-](?=\w)", "", text)
        text = re.sub(r"[\"()^*]", " ", text)
        return " ".join(text.split())
