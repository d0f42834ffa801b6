"""Query strings: validation, metadata filters, the whoosh query for the keyword side, the free text for the semantic side.

Syntax (a plain query never needs escaping: words, punctuation and numbers are just words):

- ``"exact phrase"``, ``AND``, ``OR``, ``NOT``, ``+must``, ``-mustnot``, parentheses;
- ``title:word``, ``title:"a phrase"``, ``body:word`` restrict a word to the headline or the body;
- prefixes are case-insensitive (``Title:``, ``LANG:``), and one with nothing after it (``site:``,
  ``title: x``, ``lang:""``) is an error rather than a word, whichever prefix it is;
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

from whoosh.matching import WrappingMatcher
from whoosh.qparser import FieldsPlugin, MultifieldParser, OrGroup, PlusMinusPlugin
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    BinaryQuery,
    CompoundQuery,
    DisjunctionMax,
    Not,
    NullQuery,
    Or,
    Query,
    Require,
    WrappingQuery,
)

from index.backends.local.keyword.schema import ANALYSES, build_analyzer, build_schema, text_fields
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
_FILTER_FIELDS = "site|lang|author|since|until|date"
_TEXT_FIELDS = "title|body|text"
# Field names in any case ("LANG:id", "Title:Lavrov"); the operators around them stay upper case only.
_FILTER_TOKEN = re.compile(
    r'"[^"]*"|' + _WORD_START + rf'(?P<neg>-|NOT\s+)?(?P<field>(?i:{_FILTER_FIELDS})):(?P<value>"[^"]*"|[^\s()"]+)'
)
_TEXT_FIELD = re.compile(
    r'"[^"]*"|' + rf"(?:^|(?<=[\s(+-]))(?P<field>(?i:{_TEXT_FIELDS})):(?P<value>\([^()]*\)|\"[^\"]*\"|[^\s()\"]+)"
)
# A prefix with no value: the end of the query, a space, a closing parenthesis or "".
_EMPTY_PREFIX = re.compile(
    r'"[^"]*"|' + _WORD_START + rf'(?:[-+]|NOT\s+)?(?P<field>(?i:{_FILTER_FIELDS}|{_TEXT_FIELDS})):(?=$|[\s)]|""(?:$|[\s)]))'
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
    # Documents matching this cannot match ``keyword`` (the clauses the query excludes, wherever
    # they make the whole query fail): a semantic neighbour matching it is no hit either.
    excluded: Query | None = None


@dataclass(frozen=True)
class KeywordSettings:
    """BM25F parameters and the headline's weight, applied at query time (no re-indexing)."""

    k1: float = 1.2
    b: float = 0.75
    title_boost: float = 2.5


class QueryParser:
    def __init__(self, schema: Any, settings: KeywordSettings | None = None) -> None:
        settings = settings or KeywordSettings()
        schema = _current_analysis(schema)
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
        _check_prefixes(text)
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
        keyword_query = own_exclusions(keyword_query)
        phrases = tuple(p.strip() for p in _QUOTED.findall(_drop_negated(words)) if p.strip())
        return ParsedQuery(
            text=text, keyword=keyword_query, free_text=free_text, terms=terms, filter=filters, phrases=phrases,
            excluded=excluded_by(keyword_query),
        )  # fmt: skip

    def _expand_fields(self, text: str) -> str:
        """``title:x`` means x in the headline whatever its language: every title field (plain and stemmed)."""

        def expand(match: re.Match[str]) -> str:
            if not match.group("field"):
                return match.group(0)
            prefix = match.group("field").lower()
            prefix = "body" if prefix == "text" else prefix
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
        text = re.sub(rf"(?:(?<=[\s(])|^)(?i:{_TEXT_FIELDS}):", "", text)
        text = re.sub(r"(?:(?<=[\s(])|^)[+-](?=[\w\"(])", "", text)
        text = re.sub(r"[\"()^*]", " ", text)
        return " ".join(text.split())


def _current_analysis(schema: Any) -> Any:
    """This release's analysis of query words, also for an index whose stored schema is older.

    An index written before possessives were folded analyses its documents as it always did (see
    index/keyword.py), so its "Kim's" is indexed as "kim" and "s"; a query analysed today asks for
    "kim" alone, which that index holds too. Only the same field names make the swap safe.
    """
    names = set(schema.names())
    for analysis in ANALYSES:
        current = build_schema(analysis)
        if set(current.names()) == names:
            return current
    return schema


def extract_filters(text: str) -> tuple[str, SearchFilter]:
    """The query without its ``site:``/``lang:``/``author:``/date terms, and the filter they make."""
    found: dict[str, list[str]] = {key: [] for key in ("sites", "langs", "authors", "not_sites", "not_langs", "not_authors")}
    since: list[str] = []
    until: list[str] = []

    def take(match: re.Match[str]) -> str:
        if not match.group("field"):
            return match.group(0)  # a quoted phrase: left as it is
        name = match.group("field").lower()
        value = match.group("value").strip('"').strip()
        if not value:
            raise _empty_prefix(name)
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
    "title": "lavrov",
    "body": "lavrov",
    "text": "lavrov",
    "site": "kompas",
    "lang": "id",
    "author": '"Rahmat Hidayat"',
    "since": "2023-10-01",
    "until": "2023-10-31",
    "date": "2023-10",
}


def _check_prefixes(text: str) -> None:
    # One rule for every prefix: "site:" alone used to search the word "site", "lang:" and "date:"
    # matched nothing and "title:" failed inside whoosh. An error says what was meant.
    for match in _EMPTY_PREFIX.finditer(text):
        if match.group("field"):
            raise _empty_prefix(match.group("field").lower())


def _empty_prefix(name: str) -> QuerySyntaxError:
    return QuerySyntaxError(
        f"empty field prefix '{name}:'; write {name}:VALUE with no space after the colon, as in {name}:{_EXAMPLES[name]}"
    )


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


# -- exclusions ---------------------------------------------------------------------------------
#
# whoosh's AndNotMatcher only checks the excluded matcher against the first document when both
# happen to start on the same one: when the excluded term's first posting comes earlier, the
# included term's first document is returned even if it is excluded (["neg", "pos neg"]:
# "pos ANDNOT neg" finds "pos neg"), in whoosh-reloaded 2.7.5 and whoosh3 alike. The parsed
# query's AndNot nodes (and And's Not children) are therefore replaced by ``Excluding``, which
# collects the excluded documents of the segment first and skips them: the scores are those of
# the included side, exactly as whoosh's AndNot scores them.


class Excluding(AndNot):  # type: ignore[misc]  # whoosh ships no type information
    """``a`` without the documents that match ``b`` (whoosh's AndNot, with a matcher that holds)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        scored = self.a.matcher(searcher, context)
        if not scored.is_active():
            return scored
        excluded = frozenset(self.b.docs(searcher))
        return _ExcludingMatcher(scored, excluded) if excluded else scored


class _ExcludingMatcher(WrappingMatcher):  # type: ignore[misc]
    """The child's postings but those in ``excluded`` (document numbers of the same segment)."""

    def __init__(self, child: Any, excluded: frozenset[int], boost: float = 1.0) -> None:
        super().__init__(child, boost)
        self._excluded = excluded
        self._skip_excluded()

    def _skip_excluded(self) -> None:
        child = self.child
        while child.is_active() and child.id() in self._excluded:
            child.next()

    def copy(self) -> _ExcludingMatcher:
        return _ExcludingMatcher(self.child.copy(), self._excluded, self.boost)

    def _replacement(self, newchild: Any) -> _ExcludingMatcher:
        return _ExcludingMatcher(newchild, self._excluded, self.boost)

    def reset(self) -> None:
        self.child.reset()
        self._skip_excluded()

    def next(self) -> bool:
        self.child.next()
        self._skip_excluded()
        return False

    def skip_to(self, id: int) -> None:  # whoosh's parameter name
        self.child.skip_to(id)
        self._skip_excluded()

    def supports_block_quality(self) -> bool:
        # Skipping by block quality would step the child past our check; the collector then
        # visits every posting, as it does for phrases.
        return False

    def all_ids(self) -> Any:
        return (docnum for docnum in self.child.all_ids() if docnum not in self._excluded)

    def all_items(self) -> Any:
        return (item for item in self.child.all_items() if item[0] not in self._excluded)


def own_exclusions(query: Query) -> Query:
    """``query`` with every AndNot, and every Not among an And's parts, made an ``Excluding``."""
    if not _negates(query):
        return query
    if isinstance(query, AndNot):
        return Excluding(own_exclusions(query.a), own_exclusions(query.b))
    if isinstance(query, And) and any(isinstance(sub, Not) for sub in query.subqueries):
        kept = [own_exclusions(sub) for sub in query.subqueries if not isinstance(sub, Not)]
        dropped = [own_exclusions(sub.query) for sub in query.subqueries if isinstance(sub, Not)]
        if kept:
            return Excluding(And(kept, boost=query.boost), dropped[0] if len(dropped) == 1 else Or(dropped))
    if isinstance(query, Not):
        return Not(own_exclusions(query.query), boost=query.boost)
    return _with_children(query, own_exclusions)


def excluded_by(query: Query) -> Query | None:
    """A query for the documents that cannot match ``query`` because of what it excludes (None: none).

    ``a NOT b`` excludes b (and what a excludes); an AND excludes what any of its parts excludes;
    an OR only what all of its alternatives exclude; ``a ANDMAYBE b`` what a excludes.
    """
    if isinstance(query, AndNot):
        return _any_of([query.b, excluded_by(query.a)])
    if isinstance(query, Not):
        return query.query
    if isinstance(query, (And, Require)):
        return _any_of([excluded_by(sub) for sub in _parts(query)])
    if isinstance(query, (Or, DisjunctionMax)):
        each = [excluded_by(sub) for sub in query.subqueries]
        if not each or any(found is None for found in each):
            return None
        return each[0] if len(each) == 1 else And(each)
    if isinstance(query, AndMaybe):
        return excluded_by(query.a)
    if isinstance(query, WrappingQuery):
        return excluded_by(query.child)
    return None


def _any_of(queries: list[Query | None]) -> Query | None:
    found = [q for q in queries if q is not None]
    if not found:
        return None
    return found[0] if len(found) == 1 else Or(found)


def _parts(query: Query) -> list[Query]:
    return [query.a, query.b] if isinstance(query, BinaryQuery) else list(query.subqueries)


def _negates(query: Query) -> bool:
    return isinstance(query, (AndNot, Not)) or any(_negates(child) for child in query.children())


def _with_children(query: Query, rewrite: Any) -> Query:
    import copy

    # Not Query.apply: it rebuilds compound queries from their parts and boost only, losing Or's scale.
    if isinstance(query, CompoundQuery):
        new = copy.copy(query)
        new.subqueries = [rewrite(sub) for sub in query.subqueries]
        return new
    if isinstance(query, BinaryQuery):
        new = copy.copy(query)
        new.a, new.b = rewrite(query.a), rewrite(query.b)
        return new
    if isinstance(query, WrappingQuery):
        new = copy.copy(query)
        new.child = rewrite(query.child)
        return new
    return query.apply(rewrite)
