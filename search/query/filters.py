"""Filters written in a query (``site:``, ``lang:``, ``author:``, dates): found, checked and taken out.

``site:kompas``, ``lang:id``, ``author:"Rahmat Hidayat"`` (``-site:x`` or ``NOT site:x`` excludes)
and ``since:2023-10``, ``until:2023-10-31``, ``date:2023-10``, ``date:2023-10-01..2023-10-15``
apply to the whole query, on both the keyword and the semantic side, exactly like the ``--site``,
``--lang``, ``--author``, ``--since`` and ``--until`` options: they become one
``index.backends.filters.SearchFilter``, which the backend resolves. Prefixes are case-insensitive
(``LANG:id``), and a prefix with nothing after it is an error, whichever prefix it is.
"""

from __future__ import annotations

import re

from index.backends.filters import SearchFilter, date_bound
from index.errors import QuerySyntaxError

_WORD_START = r"(?:^|(?<=[\s(]))"
_FILTER_FIELDS = "site|lang|author|since|until|date"
TEXT_FIELDS = "title|body|text"
# Field names in any case ("LANG:id", "Title:Lavrov"); the operators around them stay upper case only.
_FILTER_TOKEN = re.compile(
    r'"[^"]*"|' + _WORD_START + rf'(?P<neg>-|NOT\s+)?(?P<field>(?i:{_FILTER_FIELDS})):(?P<value>"[^"]*"|[^\s()"]+)'
)
# A prefix with no value: the end of the query, a space, a closing parenthesis or "".
_EMPTY_PREFIX = re.compile(
    r'"[^"]*"|' + _WORD_START + rf'(?:[-+]|NOT\s+)?(?P<field>(?i:{_FILTER_FIELDS}|{TEXT_FIELDS})):(?=$|[\s)]|""(?:$|[\s)]))'
)
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


def check_prefixes(text: str) -> None:
    """One rule for every prefix: "site:" alone used to search the word "site", "lang:" and "date:"
    matched nothing and "title:" failed inside whoosh. An error says what was meant."""
    for match in _EMPTY_PREFIX.finditer(text):
        if match.group("field"):
            raise _empty_prefix(match.group("field").lower())


def _empty_prefix(name: str) -> QuerySyntaxError:
    return QuerySyntaxError(
        f"empty field prefix '{name}:'; write {name}:VALUE with no space after the colon, as in {name}:{_EXAMPLES[name]}"
    )


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
