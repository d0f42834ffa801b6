"""The query language, parsed into the engine-neutral nodes of ``index.backends.query``.

A plain query never needs escaping: only these are syntax, everything else is words.

- ``"exact phrase"``; parentheses group;
- ``AND`` binds tighter than ``OR``; words side by side are alternatives, as with ``OR``
  (documents with more of them rank first);
- ``NOT x`` and ``-x`` leave out of the enclosing group (the whole query, or the parentheses) every
  document that matches ``x``; ``+x`` requires it; ``+``/``-`` are operators only at the start of a
  word, so "top-up", "anti-poverty" and "covid-19" are words. Inside parentheses this holds as at
  the top level: ``(a b NOT c)`` is "a or b, but not c" (the whoosh-parser releases read it as
  ``a OR (b ANDNOT c)``, unlike the same words without parentheses);
- ``title:x``, ``body:x`` (``text:`` is ``body:``) restrict a word, a phrase or a group to the
  headline or the body; only these prefixes are syntax, so "10:30" or a URL is a word.

Filters (``site:``, ``lang:``, dates) are taken out before this parser sees the text
(``search.query.filters``); ``search.query.parser`` checks the text first, with the messages users
see. Operators must be written in capitals; ``and``/``or``/``not`` are words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.backends.query import Bool, Field, Node, Phrase, Word
from index.errors import QuerySyntaxError

_BINARY = ("AND", "OR")
_OPERATORS = (*_BINARY, "NOT")
_FIELDS: dict[str, Field] = {"title": "title", "body": "body", "text": "body"}
# A token: a parenthesis, a phrase, or a run of anything else; a sign or field prefix stays in front of
# the phrase or group it governs ('-"a b"', 'title:(a b)') and is split off by the parser.
_TOKEN = re.compile(r'[()]|"[^"]*"|[^\s()"]+')
_PREFIX = re.compile(r"^(?P<sign>[+-](?=[\w\"(]|$))?(?:(?P<field>title|body|text):(?=[\w\"(]|$))?", re.IGNORECASE)


@dataclass
class _Token:
    text: str
    glued: bool  # no space before it: a phrase or group that belongs to the prefix before it


def parse_keywords(text: str) -> Node | None:
    """The keyword query of ``text`` (filters already removed, quotes and parentheses checked by
    ``search.query.parser``); None when nothing is left to look for."""
    tokens = _tokens(text)
    parser = _Parser(tokens, text)
    node = parser.group(field="any", closing=False)
    return node if not (isinstance(node, Bool) and node.empty) else None


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    end = 0
    for match in _TOKEN.finditer(text):
        found.append(_Token(match.group(0), glued=match.start() == end and bool(found)))
        end = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[_Token], original: str) -> None:
        self._tokens = tokens
        self._at = 0
        self._original = original

    def group(self, field: Field, closing: bool) -> Node:
        """Alternatives (words side by side or joined by OR), each an AND chain, each maybe signed."""
        must: list[Node] = []
        should: list[Node] = []
        must_not: list[Node] = []
        while self._at < len(self._tokens):
            token = self._tokens[self._at].text
            if token == ")":
                if not closing:
                    raise QuerySyntaxError(f"unbalanced parenthesis in query {self._original!r}")
                self._at += 1
                break
            if token == "OR":
                self._need_operand_before(token, must, should, must_not)
                self._at += 1
                self._need_operand_after(token)
                continue
            sign, node = self._chain(field)
            if node is None:
                continue
            {"+": must, "-": must_not}.get(sign, should).append(node)
        else:
            if closing:
                raise QuerySyntaxError(f"unbalanced parenthesis in query {self._original!r}")
        if len(should) == 1 and not must and not must_not:
            return should[0]
        return Bool(must=tuple(must), should=tuple(should), must_not=tuple(must_not))

    def _chain(self, field: Field) -> tuple[str, Node | None]:
        """``x AND y AND NOT z``: one alternative. Returns its sign when it is a single signed operand."""
        sign, first = self._unary(field)
        if self._peek() != "AND":
            return sign, first
        must: list[Node] = []
        must_not: list[Node] = []
        self._place(sign, first, must, must_not)
        while self._peek() == "AND":
            self._at += 1
            self._need_operand_after("AND")
            sign, node = self._unary(field)
            self._place(sign, node, must, must_not)
        if not must:
            raise QuerySyntaxError(f"AND needs a word to search for in query {self._original!r}")
        return "", Bool(must=tuple(must), must_not=tuple(must_not))

    @staticmethod
    def _place(sign: str, node: Node | None, must: list[Node], must_not: list[Node]) -> None:
        if node is not None:
            (must_not if sign == "-" else must).append(node)

    def _unary(self, field: Field) -> tuple[str, Node | None]:
        token = self._tokens[self._at]
        if token.text == "AND":
            raise QuerySyntaxError(
                f"AND needs a word before it in query {self._original!r} (write it in lower case to search for the word)"
            )
        if token.text == "(":
            self._at += 1
            return "", self.group(field, closing=True)
        if token.text == "NOT":
            self._at += 1
            self._need_operand_after("NOT")
            _sign, node = self._unary(field)
            return "-", node
        self._at += 1
        prefix = _PREFIX.match(token.text)
        sign = prefix.group("sign") or "" if prefix else ""
        field = _FIELDS[prefix.group("field").lower()] if prefix and prefix.group("field") else field
        rest = token.text[prefix.end() :] if prefix else token.text
        if rest:
            return sign, _leaf(rest, field)
        # A bare prefix: it governs the phrase or group glued to it ('-"a b"', 'title:(x y)').
        following = self._tokens[self._at] if self._at < len(self._tokens) else None
        if following is None or not following.glued or following.text == ")":
            # A lone "-" or "+" ("fear - Kennedy") is a word with no letters: it matches nothing,
            # and the semantic side reads it as the user wrote it.
            return "", _leaf(token.text, "any")
        if following.text == "(":
            self._at += 1
            return sign, self.group(field, closing=True)
        self._at += 1
        return sign, _leaf(following.text, field)

    def _peek(self) -> str | None:
        return self._tokens[self._at].text if self._at < len(self._tokens) else None

    def _need_operand_after(self, operator: str) -> None:
        following = self._peek()
        if following is None or following == ")" or following in _BINARY:
            raise QuerySyntaxError(
                f"{operator} needs a word after it in query {self._original!r} (write it in lower case to search for the word)"
            )

    def _need_operand_before(self, operator: str, *sides: list[Node]) -> None:
        previous = self._tokens[self._at - 1].text if self._at else None
        if previous is None or previous == "(" or previous in _OPERATORS or not any(sides):
            raise QuerySyntaxError(
                f"{operator} needs a word before it in query {self._original!r} (write it in lower case to search for the word)"
            )


def _leaf(text: str, field: Field) -> Node | None:
    if text.startswith('"'):
        words = text.strip('"').strip()
        return Phrase(words, field) if words else None
    return Word(text, field)
