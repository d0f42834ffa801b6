"""How text is split into words and which languages are stemmed: the analysis every backend and the
snippets share, so that a highlighted word is one the keyword side matched.

``index.backends.local.keyword.schema`` builds whoosh's analyzers from these; ``search.results.snippets``
finds and stems the words of a passage with the same pattern and stemmers.
"""

from __future__ import annotations

# Snowball stemmers for the languages the archive is mostly written in; other languages get the
# plain analysis. Indonesian and Malay share their morphology.
STEMMERS = {"id": "indonesian", "ms": "indonesian", "en": "english"}
ANALYSES = ("snowball", "plain")
DEFAULT_ANALYSIS = "snowball"

# A word: "60.000" and "1,5" stay whole as news numbers are written; "covid-19" is two words. The
# "s" of a possessive ("Kim's", also with a typographic apostrophe) is no word of its own: it
# matched every possessive in the archive. The pattern itself leaves it out (no filter class), so
# the schema whoosh pickles into each index refers to nothing but whoosh's own classes.
WORD_PATTERN = "(?!(?<=\\w['\u2019])[sS](?!\\w))\\w+(?:[.,]\\d+)*"
