"""What one copy of a syndicated story added or dropped against the earliest copy, word by word.

Outlets that carry a wire story change a headline, cut a paragraph, add a line of their own; a
word-level diff (``difflib``) shows exactly that. Long unchanged stretches are shortened to their
ends, so a copy that changed one sentence reads as that sentence in context. The pieces are plain
text: the template escapes them inside ``<ins>`` and ``<del>``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

Op = Literal["same", "added", "dropped", "gap"]
# Unchanged words kept on each side of a change; a longer unchanged stretch is cut in the middle.
CONTEXT_WORDS = 8
# Bound on the words compared per copy: difflib is quadratic in the worst case, and a wire story
# is far shorter than this; beyond it, the rest of both texts is compared as a whole.
MAX_WORDS = 6_000
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Piece:
    op: Op
    text: str  # for "gap": how many words were left out, as a phrase


@dataclass(frozen=True)
class CopyDiff:
    pieces: tuple[Piece, ...]
    added: int  # words
    dropped: int

    @property
    def identical(self) -> bool:
        return not self.added and not self.dropped


def word_diff(earliest: str, copy: str, *, context: int = CONTEXT_WORDS) -> CopyDiff:
    """The words of ``copy`` against ``earliest``: what it added, what it dropped, and some context."""
    old, new = _words(earliest), _words(copy)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    pieces: list[Piece] = []
    added = dropped = 0
    opcodes = matcher.get_opcodes()
    for number, (tag, a1, a2, b1, b2) in enumerate(opcodes):
        if tag == "equal":
            pieces += _context(old[a1:a2], context, first=number == 0, last=number == len(opcodes) - 1)
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("dropped", " ".join(old[a1:a2])))
            dropped += a2 - a1
        if tag in ("insert", "replace"):
            pieces.append(Piece("added", " ".join(new[b1:b2])))
            added += b2 - b1
    return CopyDiff(tuple(pieces), added, dropped)


def _words(text: str) -> list[str]:
    words = _TOKEN.findall(text)
    if len(words) > MAX_WORDS:
        words = [*words[: MAX_WORDS - 1], " ".join(words[MAX_WORDS - 1 :])]
    return words


def _context(words: list[str], context: int, *, first: bool, last: bool) -> list[Piece]:
    """An unchanged stretch: whole when short, else only the words next to the changes around it."""
    head = 0 if first else context  # words kept after the change before this stretch
    tail = 0 if last else context  # words kept before the change after it
    if len(words) <= head + tail + 2:
        return [Piece("same", " ".join(words))]
    pieces = [Piece("same", " ".join(words[:head]))] if head else []
    skipped = len(words) - head - tail
    pieces.append(Piece("gap", f"{skipped} unchanged word{'s' if skipped != 1 else ''}"))
    if tail:
        pieces.append(Piece("same", " ".join(words[len(words) - tail :])))
    return pieces
