"""Line-level clean-up shared by every source: furniture that survives extraction, dates, whitespace."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

# Inline cross-links and widget leftovers that extractors keep because they sit inside the body.
# Anchored at the start of a line and short, so a sentence that merely mentions "read more" stays.
_FURNITURE_LINE = re.compile(
    r"^\s*(?:baca(?:\s+(?:juga|pula|selengkapnya))|lihat\s+juga|simak\s+juga|berita\s+terkait|artikel\s+terkait"
    r"|read\s+(?:more|also|next)|see\s+also|related(?:\s+(?:articles?|stories|news))?|more\s+on\s+this\s+story"
    r"|advertisement|iklan|scroll\s+to\s+continue(?:\s+with\s+content)?|share\s+this(?:\s+article)?"
    r"|bagikan(?:\s+artikel(?:\s+ini)?)?|(?:login|log\s+in|masuk|sign\s+in)\s+(?:untuk|to|or)\b)\b\s*[:\-\u2013\u2014|]?.{0,160}$",
    re.IGNORECASE,
)
# Headings that end an article body: related lists, comments, share and follow widgets.
END_MARKERS = re.compile(
    r"^\s*(?:terkini\s+lainnya|berita\s+terkait|berita\s+lainnya|artikel\s+lainnya|populer|terpopuler"
    r"|most\s+(?:read|popular|viewed)|related\s+(?:stories|articles|news)|more\s+(?:stories|from)\b"
    r"|komentar|comments?|leave\s+a\s+comment|bagikan\s+artikel|share\s+this\s+article"
    r"|simak\s+breaking\s+news|ikuti\s+(?:kami|berita)|follow\s+us|sign\s+up\s+for)\b",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


def clean_lines(text: str) -> list[str]:
    """Paragraph lines with furniture lines dropped and inner whitespace collapsed."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if line and not _FURNITURE_LINE.match(line):
            lines.append(line)
    return lines


def clean_text(text: str) -> str:
    return "\n".join(drop_marked_blocks(clean_lines(text)))


def drop_marked_blocks(lines: list[str], *, min_body_lines: int = 2) -> list[str]:
    """Drop related-article lists and comment blocks that an extractor kept with the body.

    A block starts at a short heading-like line ("Berita Lainnya", "Most read in world news",
    "Komentar") after some body, and runs over the list items and labels below it; running text
    after it is kept, since such widgets also sit in the middle of articles.
    """
    kept: list[str] = []
    in_block = False
    for line in lines:
        is_heading = len(line) <= 40 and bool(END_MARKERS.match(line)) and not line.endswith((".", "!", "?"))
        if is_heading and len(kept) >= min_body_lines:
            in_block = True
            continue
        if in_block and (line.startswith(("- ", "* ", "\u2022 ")) or not _is_prose(line)):
            continue
        in_block = False
        kept.append(line)
    return kept


def _is_prose(line: str) -> bool:
    return word_count(line) >= 12 and line.rstrip()[-1:] in ".!?\"\u201d'\u2019)"


def word_count(text: str) -> int:
    """Words, counting two CJK characters as one, since those scripts are written without spaces."""
    cjk = len(_CJK.findall(text))
    return len(text.split()) + cjk // 2


def drop_leading_title(text: str, title: str) -> str:
    """The body without a first line that repeats the headline (some templates print it inside the
    article element), compared ignoring case, spacing and punctuation. A body that is nothing but
    the headline is left alone: the length checks decide about it."""
    first, newline, rest = text.partition("\n")
    folded_title = _folded(title)
    if newline and folded_title and _folded(first) == folded_title and rest.strip():
        return rest
    return text


def _folded(line: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", line).casefold()))


def is_furniture_line(line: str) -> bool:
    return bool(_FURNITURE_LINE.match(line))


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD from an ISO date or datetime string (or a date object); None when it is not one."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    return None
