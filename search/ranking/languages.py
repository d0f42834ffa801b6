"""The query's language, given or detected, and the candidates it cannot match by keyword (issue 15).

In an archive of several languages, an article in another language than the query's shares few of
its words (names and numbers), so hybrid fusion must not read the keyword side's silence as evidence
against it (``fusion.py``). The query's language is the one the caller gives (``--query-lang``,
``query_lang=``), else the one py3langid finds among the archive's own languages with at least
``DETECTION_CONFIDENCE``; a query it cannot tell (a name alone, a few words in either language) has
none, and is fused as before. An archive of one language needs no guess: every article is in it.

Languages that share a stemmer (Indonesian and Malay) count as one: their articles share keyword
fields (``index.analysis.STEMMERS``), so a query in one matches the other's words.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from index.analysis import STEMMERS
from index.extract.language import normalize_language

# How much of the language means a semantic search takes out of the vectors it compares, by the
# query's language (1, the whole of them, for any other language and for a query whose language is
# not known); only an archive centered per language is affected (index.backends.language_means).
# Same-language queries lose by centering and cross-language ones gain, so this is the trade-off
# point per query language. Measured on the mixed archive (docs/relevance.md, hybrid MRR@10 on
# exact cosines), English queries, English headlines / English translations of Indonesian
# headlines: 0.870 / 0.922 centered wholly, 0.874 / 0.911 at 0.7, 0.872 / 0.904 at 0.5.
# Indonesian queries are centered wholly. Before the query's words were weighed by their rarity in
# its language, only 1.4 brought the Indonesian translations of English headlines to 0.70, at a
# cost of 0.003 on Indonesian headlines; with it, and the cross-language share raised to 0.75
# (fusion.CROSS_LANGUAGE_SHARE), the whole does as well across (0.708 against 0.708 at 1.4 with
# 0.5) and better on Indonesian headlines (0.9720 against 0.9713), and needs no re-scoring. Grid
# of both in docs/relevance.md ("Centering and the share, together").
CENTERING_STRENGTH: Mapping[str, float] = {"en": 0.7}

# Measured on the shared headline queries and our translations of them, restricted to English and
# Indonesian: at 0.8, 95-97% of queries are decided and 0.1-2% of those wrongly (mostly Indonesian
# headlines made of English product names, which the keyword side then still matches).
DETECTION_CONFIDENCE = 0.8


@dataclass(frozen=True)
class QueryLanguage:
    """The language a query is ranked as, and whether it was detected rather than given."""

    code: str
    detected: bool

    def describe(self) -> str:
        return f"{self.code} ({'detected' if self.detected else 'given'})"


def keyword_language(code: str | None) -> str | None:
    """The language whose keyword fields an article in ``code`` is indexed in ("ms" -> "id")."""
    if not code:
        return None
    stemmer = STEMMERS.get(code)
    if stemmer is None:
        return code
    return min(lang for lang, other in STEMMERS.items() if other == stemmer)


def fields_language(query: QueryLanguage | None) -> str | None:
    """The code of the keyword fields a query in ``query`` is analysed for ("id" for Malay; None
    when the query's language is not known)."""
    return keyword_language(query.code) if query is not None else None


def query_language(text: str, given: str | None, archive: Iterable[str]) -> QueryLanguage | None:
    """The language ``text`` is ranked as: ``given`` (an ISO code), else the one detected among the
    archive's languages (``archive``: their codes), else None."""
    if given:
        code = normalize_language(given)
        return QueryLanguage(code, detected=False) if code else None
    candidates = sorted({code for code in archive if code and normalize_language(code) == code})
    if len({keyword_language(code) for code in candidates}) < 2 or not text.strip():
        return None
    found = _Detector.shared().classify(text, candidates)
    if found is None:
        return None
    code, confidence = found
    return QueryLanguage(code, detected=True) if confidence >= DETECTION_CONFIDENCE else None


def centering_strength(query: QueryLanguage | None) -> float:
    """The share of the language means taken out for a query in ``query`` (``CENTERING_STRENGTH``)."""
    if query is None:
        return 1.0
    return CENTERING_STRENGTH.get(fields_language(query) or query.code, 1.0)


def foreign(languages: Mapping[int, str | None], query: QueryLanguage | None) -> frozenset[int]:
    """The documents (with their languages) that are in another language than the query's; an
    article of unknown language is not counted as one."""
    if query is None:
        return frozenset()
    wanted = fields_language(query)
    return frozenset(doc for doc, lang in languages.items() if lang and keyword_language(lang) != wanted)


class _Detector:
    """py3langid restricted to the languages an archive holds (a short query is told apart far
    better among two languages than among ninety); one identifier per set of languages."""

    _instance: _Detector | None = None
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._identifiers: dict[tuple[str, ...], Any] = {}
        self._base: Any = None
        self._labels: frozenset[str] = frozenset()

    @classmethod
    def shared(cls) -> _Detector:
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def classify(self, text: str, languages: list[str]) -> tuple[str, float] | None:
        with self._lock:
            identifier = self._identifier(languages)
            if identifier is None:
                return None
            code, confidence = identifier.classify(text.lower())
        return str(code), float(confidence)

    def _identifier(self, languages: list[str]) -> Any:
        if self._base is None:
            # Loaded on the first query of an archive of several languages (about 0.1 s).
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._base = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            self._labels = frozenset(self._base.labels)
        known = tuple(code for code in languages if code in self._labels)
        if len(known) < 2:
            return None
        found = self._identifiers.get(known)
        if found is None:
            # A shallow copy shares the full model; restricting it gives the copy its own columns.
            found = self._identifiers[known] = copy.copy(self._base)
            found.set_languages(list(known))
        return found
