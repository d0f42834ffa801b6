"""Query strings: validation, metadata filters, the whoosh query for the keyword side, the free text for the semantic side.

Syntax (a plain query never needs escaping: words, punctuation and numbers are just words):

- ``"exact phrase"``, ``AND``, ``OR``, ``NOT``, ``+must``, ``-mustnot``, parentheses;
- ``title:word``, ``title:"a phrase"``, ``body:word`` restrict a word to the headline or the body;
- ``site:kompas``, ``lang:id``, ``author:"Rahmat Hidayat"`` (``-site:x`` or ``NOT site:x`` excludes)
  and ``since:2023-10``, ``until:2023-10-31``, ``date:2023-10``, ``date:2023-10-01..2023-10-15`` are
  filters: they apply to the whole query, on both the keyword and the semantic side, exactly like
  the ``--site``, ``--lang``, ``--author``, ``--since`` and ``--until`` options.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

from whoosh.qparser import FieldsPlugin, MultifieldParser, OrGroup, PlusMinusPlugin
from whoosh.query import NullQuery, Query

from index.backends.local.keyword.schema import build_analyzer, text_fields
from index.errors import QuerySyntaxError
from search.query.filters import SearchFilter, date_bound

_CACHED_QUERIES = 256
# Meant to rank documents matching more of the query words higher under OR semantics; whoosh's
# query normalization flattens the groups and drops this factor, so it has no effect today (the
# relevance figures in the README were measured so; changing it calls for a new relevance run).
_OR_COHERENCE = 0.9
_OPERATOR = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
_BINARY = ("AND", "OR", "ANDNOT", "ANDMAYBE")
_WORD_START = r"(?:^|(?<=[\s(]))"
_FILTER_TOKEN = re.compile(
    r'"[^"]*"|' + _WORD_START + r'(?P<neg>-|NOT\s+)?(?P<field>site|lang|author|since|until|date):(?P<value>"[^"]*"|[^\s()"]+)'
)
_TEXT_FIELD = re.compile(
    r'"[^"]*"|' + r"(?:^|(?<=[\s(+-]))(?P<field>title|body|text):(?P<value>\([^()]*\)|\"[^\"]*\"|[^\s()\"]+)"
)
_QUOTED = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    keyword: Query
    free_text: str
    terms: tuple[str, ...]
    filter: SearchFilter = field(default_factory=SearchFilter)
    phrases: tuple[str, ...] = ()
    browse: bool = False  # the query only filters: every matching article, newest first


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
        self._fields = {prefix: [name for name in fields if name.split("_")[0] == prefix] for prefix in ("title", "body")}
        # A query word in the headline says more than one in the body.
        boosts = {name: settings.title_boost for name in fields if name.startswith("title")}
        self._parser = MultifieldParser(fields, schema, fieldboosts=boosts, group=OrGroup.factory(_OR_COHERENCE))
        # Only our own text fields are field prefixes: "10:30", "covid-19: update" and "http://x" stay words.
        self._parser.remove_plugin_class(FieldsPlugin)
        field_names = "|".join(sorted(fields, key=len, reverse=True))
        self._parser.add_plugin(FieldsPlugin(expr=rf"(?<![\w:])(?P<text>{field_names}):(?=[\w\"(])"))
        # +word / -word only at the start of a word: "top-up", "anti-poverty" and "covid-19" are words,
        # not "top AND NOT up" (which silently dropped a third of the relevant articles in tests).
        self._parser.remove_plugin_class(PlusMinusPlugin)
        self._parser.add_plugin(
            PlusMinusPlugin(plusexpr=r"(?:^|(?<=[\s(]))\+(?=[\w\"(])", minusexpr=r"(?:^|(?<=[\s(]))-(?=[\w\"(])")
        )
        self._analyzer = build_analyzer()
        self._cache: dict[str, ParsedQuery] = {}
        self._cache_lock = threading.Lock()

    def parse(self, text: str) -> ParsedQuery:
        # whoosh's parser takes a few milliseconds; paging through results asks for the same query again.
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
        words, filters = extract_filters(text)
        _check_operators(words, text)
        free_text = self.free_text(words)
        terms = tuple(dict.fromkeys(token.text for token in self._analyzer(free_text)))
        if not terms:
            if filters.active and not _OPERATOR.sub(" ", words).strip(" ()+-"):
                # Only filters: every matching article, newest first.
                return ParsedQuery(text=text, keyword=NullQuery, free_text="", terms=(), filter=filters, browse=True)
            raise QuerySyntaxError(f"query {text!r} has no words to search for")
        # Under OR grouping whoosh reads "a NOT b" as "a OR (NOT b)", which matches nearly everything;
        # what people mean is "a, but not b", which is what -b says.
        words = _not_as_exclusion(words)
        try:
            keyword_query = self._parser.parse(self._expand_fields(words))
        except Exception as exc:  # whoosh raises assorted internal errors for constructs it cannot build
            raise QuerySyntaxError(f"cannot understand query {text!r}: simplify the operators ({type(exc).__name__})") from exc
        if keyword_query is NullQuery:
            raise QuerySyntaxError(f"query {text!r} has no words to search for")
        phrases = tuple(p.strip() for p in _QUOTED.findall(_drop_negated(words)) if p.strip())
        return ParsedQuery(text=text, keyword=keyword_query, free_text=free_text, terms=terms, filter=filters, phrases=phrases)

    def _expand_fields(self, text: str) -> str:
        """``title:x`` means x in the headline whatever its language: every title field (plain and stemmed)."""

        def expand(match: re.Match[str]) -> str:
            if not match.group("field"):
                return match.group(0)
            prefix = "body" if match.group("field") == "text" else match.group("field")
            value = match.group("value")
            return "(" + " OR ".join(f"{name}:{value}" for name in self._fields[prefix]) + ")"

        return _TEXT_FIELD.sub(expand, text)

    @staticmethod
    def free_text(text: str) -> str:
        """What the semantic side sees: the words, without operators, field prefixes, filters or quotes."""
        text = extract_filters(text)[0]
        # Excluded words must not steer the embedding towards what the user asked to leave out.
        text = _drop_negated(text)
        text = _OPERATOR.sub(" ", text)
        text = re.sub(r"(?:(?<=[\s(])|^)(?:title|body|text):", "", text)
        text = re.sub(r"(?:(?<=[\s(])|^)[+-](?=[\w\"(])", "", text)
        text = re.sub(r"[\"()^*]", " ", text)
        return " ".join(text.split())


def extract_filters(text: str) -> tuple[str, SearchFilter]:
    """The query without its ``site:``/``lang:``/``author:``/date terms, and the filter they make."""
    found: dict[str, list[str]] = {key: [] for key in ("sites", "langs", "authors", "not_sites", "not_langs", "not_authors")}
    since: list[str] = []
    until: list[str] = []

    def take(match: re.Match[str]) -> str:
        name = match.group("field")
        if not name:
            return match.group(0)  # a quoted phrase: left as it is
        value = match.group("value").strip('"').strip()
        if not value:
            raise QuerySyntaxError(f"{name}: needs a value, as in {name}:{_EXAMPLES[name]}")
        negated = bool(match.group("neg"))
        if name in ("since", "until", "date"):
            if negated:
                raise QuerySyntaxError(f"{name}: cannot be negated: use since: and until: to bound the dates")
            start, _, end = value.partition("..") if name == "date" else (value, "", "")
            if name == "date" and ".." not in value:
                end = start
            if name in ("since", "date") and start:
                since.append(date_bound(start, end=False))
            if name == "until":
                until.append(date_bound(value, end=True))
            elif name == "date" and end:
                until.append(date_bound(end, end=True))
            return " "
        key = ("not_" if negated else "") + name + "s"
        found[key].append(value.lower())
        return " "

    remaining = _FILTER_TOKEN.sub(take, text)
    if remaining != text:
        remaining = _tidy_operators(remaining)
    built = SearchFilter(
        since=max(since) if since else None,
        until=min(until) if until else None,
        **{key: tuple(dict.fromkeys(values)) for key, values in found.items()},
    )
    built.check()
    return remaining, built


_EXAMPLES = {
    "site": "kompas",
    "lang": "id",
    "author": '"Rahmat Hidayat"',
    "since": "2023-10-01",
    "until": "2023-10-31",
    "date": "2023-10",
}


def _drop_negated(text: str) -> str:
    return re.sub(r'(?:(?<=[\s(])|^)(?:-|NOT\s+)(?:"[^"]*"|\([^()]*\)|\S+)', " ", text)


def _tidy_operators(text: str) -> str:
    """Operators left hanging where a filter term was taken out ("jokowi AND site:x" -> "jokowi")."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\(\s*\)", " ", text)
        text = re.sub(r"^\s*(?:AND|OR)\b|\b(?:AND|OR|NOT)\s*$", " ", text)
        text = re.sub(r"\b(?:AND|OR)\s+(?=(?:AND|OR)\b|\))", " ", text)
        text = re.sub(r"(?<=\()\s*(?:AND|OR)\b", " ", text)
        text = re.sub(r"\bNOT\s*(?=\)|(?:AND|OR)\b)", " ", text)
    return " ".join(text.split())


def _not_as_exclusion(text: str) -> str:
    """``a NOT b`` means "a, but not b": ``-b`` at the top level (whoosh's minus works only there),
    ``a ANDNOT b`` inside parentheses, where ``-b`` and ``+b`` are rewritten the same way."""
    out: list[str] = []
    depth = 0
    skip_space = False
    for token in re.findall(r'"[^"]*"|[()]|[^\s()]+|\s+', text):
        if skip_space and token.isspace():
            skip_space = False
            continue
        skip_space = False
        depth += {"(": 1, ")": -1}.get(token, 0)
        previous = next((t for t in reversed(out) if not t.isspace()), "(")
        follows_word = previous not in ("(", "AND", "OR", "ANDNOT", "ANDMAYBE", "NOT", "-")
        if token == "NOT":
            if depth == 0:
                out.append("-")
                skip_space = True  # "-word", attached, is the operator
                continue
            if previous == "AND":
                out[len(out) - 1 - [t.isspace() for t in reversed(out)].index(False)] = "ANDNOT"
                continue
            if follows_word:
                token = "ANDNOT"
        elif depth > 0 and len(token) > 1 and token[0] in "+-" and (token[1].isalnum() or token[1] == '"'):
            operator = "ANDNOT" if token[0] == "-" else "AND"
            token = f"{operator} {token[1:]}" if follows_word else token[1:]
        out.append(token)
    return "".join(out)


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
