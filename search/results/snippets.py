"""Snippets: the passage of an article that best shows why it matched, with the matching words marked.

A word matches a query term when both fold (case, accents) to the same form or stem to the same
stem under the article's language, so "pertemuan" in the text lights up for the query "temu" and a
semantic hit shows the sentences that share the query's words even when it has none verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from index.analysis import STEMMERS, WORD_PATTERN

SNIPPET_CHARS = 240
_WORD = re.compile(WORD_PATTERN)  # the keyword index's words, so a highlight is what matched
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“A-Z0-9])")
# "U.S.", "Dr.", "Jl." and initials end with a period but do not end a sentence.
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]{1,3}\.|\b(?:[A-Z]\.){2,})$")
# A quoted phrase found whole in a passage counts as this many distinct terms.
_PHRASE_WEIGHT = 2


@dataclass(frozen=True)
class Snippet:
    """A passage and the character spans (start, end) of the words in it that match the query."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()

    def marked(self, start: str = "[", end: str = "]") -> str:
        out, last = [], 0
        for left, right in self.spans:
            out += [self.text[last:left], start, self.text[left:right], end]
            last = right
        out.append(self.text[last:])
        return "".join(out)


def best_passage(
    text: str,
    terms: Sequence[str],
    *,
    phrases: Sequence[str] = (),
    lang: str | None = None,
    max_chars: int = SNIPPET_CHARS,
) -> Snippet:
    """The window of sentences with the most distinct query terms (whole phrases count double); the lead when none matches."""
    sentences = split_sentences(text)
    if not sentences:
        return Snippet("")
    matching = _matching_words(_WORD.findall(text), terms, lang)
    folded_phrases = [" ".join(_fold(p).split()) for p in phrases if p.strip()]
    best_index, best_score = 0, 0
    for index, sentence in enumerate(sentences):
        matched = {matching[word] for word in _WORD.findall(sentence) if word in matching}
        score = len(matched)
        if folded_phrases:
            flat = " ".join(_WORD.findall(_fold(sentence)))
            score += _PHRASE_WEIGHT * sum(1 for p in folded_phrases if p and p in flat)
        if score > best_score:
            best_index, best_score = index, score
    passage = sentences[best_index]
    for following in sentences[best_index + 1 :]:
        if len(passage) + 1 + len(following) > max_chars:
            break
        passage = f"{passage} {following}"
    if len(passage) > max_chars:
        cut = passage.rfind(" ", 0, max_chars - 1)
        passage = passage[: cut if cut > max_chars // 2 else max_chars - 1].rstrip(",;:") + "…"
    return Snippet(passage, term_spans(passage, terms, lang=lang))


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


def term_spans(snippet: str, terms: Sequence[str], *, lang: str | None = None) -> tuple[tuple[int, int], ...]:
    """Character spans of the words of ``snippet`` that match a query term, for highlighting."""
    found = list(_WORD.finditer(snippet))
    matching = _matching_words([m.group() for m in found], terms, lang)
    return tuple((m.start(), m.end()) for m in found if m.group() in matching)


def _matching_words(words: Sequence[str], terms: Sequence[str], lang: str | None) -> dict[str, str]:
    """The distinct ``words`` that match a query term (folded, or by stem under ``lang``), with the term.

    Each distinct word is folded and stemmed once, all of them in one call of the stemmer: every word
    of every article on a result page passes here, so this is what a page of snippets costs.
    """
    stems = _stemmer(STEMMERS.get(lang or "", ""))
    folded_terms = list(dict.fromkeys(_fold(t) for t in terms))
    term_of_stem = dict(zip(stems(folded_terms), folded_terms, strict=True))
    distinct = list(set(words))
    folded = [word.lower() if word.isascii() else _fold(word) for word in distinct]
    exact = set(folded_terms)
    return {
        word: key if key in exact else term_of_stem[stem]
        for word, key, stem in zip(distinct, folded, stems(folded), strict=True)
        if key in exact or stem in term_of_stem
    }


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Callable[[list[str]], list[str]]:
    """Stems a list of words (Snowball through PyStemmer, as the keyword index does); none for other languages."""
    if not language:
        return lambda words: words
    import Stemmer  # type: ignore[import-not-found]  # PyStemmer: the same Snowball stemmers the keyword index uses

    stem_words: Callable[[list[str]], list[str]] = Stemmer.Stemmer(language).stemWords
    return stem_words


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()  # ASCII has no accents, and its case folding is lower-casing
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
