"""Snippets: the passage of an article that best shows why it matched."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

SNIPPET_CHARS = 240
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“A-Z0-9])")
# "U.S.", "Dr.", "Jl." and initials end with a period but do not end a sentence.
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]{1,3}\.|\b(?:[A-Z]\.){2,})$")


def make_snippet(text: str, terms: Sequence[str], *, max_chars: int = SNIPPET_CHARS) -> str:
    """The window of sentences with the most distinct query terms; the lead when none matches."""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    wanted = {_fold(t) for t in terms}
    best_index, best_score = 0, 0
    for index, sentence in enumerate(sentences):
        words = set(re.findall(r"\w+(?:[.,]\d+)*", _fold(sentence)))
        score = len(words & wanted)
        if score > best_score:
            best_index, best_score = index, score
    snippet = sentences[best_index]
    for following in sentences[best_index + 1 :]:
        if len(snippet) + 1 + len(following) > max_chars:
            break
        snippet = f"{snippet} {following}"
    if len(snippet) > max_chars:
        cut = snippet.rfind(" ", 0, max_chars - 1)
        snippet = snippet[: cut if cut > max_chars // 2 else max_chars - 1].rstrip(",;:") + "…"
    return snippet


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in text.split("\n"):
        pieces = [p.strip() for p in _SENTENCE_END.split(paragraph) if p.strip()]
        for index, piece in enumerate(pieces):
            if index and _ABBREVIATION.search(pieces[index - 1]):
                sentences[-1] = f"{sentences[-1]} {piece}"
            else:
                sentences.append(piece)
    return sentences


def term_spans(snippet: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of query terms inside a snippet, for highlighting."""
    wanted = {_fold(t) for t in terms}
    return [(m.start(), m.end()) for m in re.finditer(r"\w+(?:[.,]\d+)*", snippet) if _fold(m.group()) in wanted]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
