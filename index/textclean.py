"""Line-level clean-up shared by every source: furniture that survives extraction, dates, whitespace."""

from __future__ import annotations

import re
from datetime import date, datetime

# Inline cross-links and widget leftovers that extractors keep because they sit inside the body.
# Anchored at the start of a line and short, so a sentence that merely mentions "read more" stays.
_FURNITURE_LINE = re.compile(
    r"^\s*(?:baca(?:\s+(?:juga|pula|selengkapnya))|lihat\s+juga|simak\s+juga|berita\s+terkait|artikel\s+terkait"
    r"|read\s+(?:more|also|next)|see\s+also|related(?:\s+(?:articles?|stories|news))?|more\s+on\s+this\s+story"
    r"|advertisement|iklan|scroll\s+to\s+continue(?:\s+with\s+content)?|share\s+this(?:\s+article)?"
    r"|bagikan(?:\s+artikel(?:\s+ini)?)?)\b\s*[:\-\u2013\u2014|]?.{0,160}$",
    re.IGNORECASE,
)
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
    return "\n".join(clean_lines(text))


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
