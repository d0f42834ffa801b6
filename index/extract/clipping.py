"""Plain-text clippings: an article copied out of a browser, page furniture and all.

The headline is the first line that reads like one (short, no sentence punctuation, not a promo
or menu line). A dateline right after it gives the date; a short name-like line after that gives
the author. Without a dateline, the lead's own ("JAKARTA, KOMPAS.com - ... Selasa (2/1/2024)")
gives the outlet and the day. The body is the run of paragraphs that follows, up to the first
end-of-article marker ("Terkini Lainnya", "Most read", "Komentar", ...), with cross-links dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from index.extract.textclean import END_MARKERS, is_furniture_line

# Bylines and credits that sit between the dateline and the body.
_CREDIT_LINE = re.compile(r"^\s*(?:penulis|editor|sumber\b.*|reporter|by|oleh|writer|author|photo\b.*|foto\b.*)\s*:?\s*$", re.I)
_BY_PREFIX = re.compile(r"^\s*(?:by|oleh|penulis|reporter)\s*:?\s+", re.I)
_PROMO = re.compile(
    r"\b(?:subscribe|subscription|sign\s+in|log\s?in|unlimited\s+access|newsletter|langganan|berlangganan|gabung|daftar"
    r"|iklan|advertisement|download\s+(?:the\s+)?app|unduh\s+aplikasi)\b",
    re.IGNORECASE,
)
_DATELINE_OUTLET = re.compile(r"^([^-\u2013|]{2,40}?)\s+[-\u2013|]\s+")
# The lead of an Indonesian wire story: "JAKARTA, KOMPAS.com - ..." (city in capitals, the outlet's
# domain, a dash). Only a domain counts as the outlet: "LONDON, England - " names no outlet.
_LEAD_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\- ]{1,40},\s+(?P<name>[A-Za-z0-9][A-Za-z0-9-]*)(?P<tld>(?:\.[A-Za-z]{2,6}){1,2})\s+[-\u2013\u2014]\s+\S"
)
# "... pada Selasa (2/1/2024) ...": the day of the week with the date in brackets, day first, which
# is how Indonesian outlets date the events of a report in its lead.
_LEAD_DAY_DATE = re.compile(
    r"\b(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\s*\((\d{1,2})/(\d{1,2})/(\d{4})\)", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})\b")
_WORD_DATE_US = re.compile(r"\b([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "januari"),
            ("february", "feb", "februari", "pebruari"),
            ("march", "mar", "maret"),
            ("april", "apr"),
            ("may", "mei"),
            ("june", "jun", "juni"),
            ("july", "jul", "juli"),
            ("august", "aug", "agustus", "agu", "ags"),
            ("september", "sep", "sept"),
            ("october", "oct", "oktober", "okt"),
            ("november", "nov", "nopember"),
            ("december", "dec", "desember", "des"),
        ],
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class Clipping:
    title: str
    text: str
    published: str | None
    author: str | None
    site: str | None


def parse_clipping(raw: str) -> Clipping | None:
    """The article inside a clipping, or None when no headline and body can be told apart."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in raw.splitlines()]
    lines = [line for line in lines if line]
    headline_at = _find_headline(lines)
    if headline_at is None:
        return None
    title = lines[headline_at]
    published: str | None = None
    author: str | None = None
    site: str | None = None
    body: list[str] = []
    in_header = True
    for line in lines[headline_at + 1 :]:
        if END_MARKERS.match(line) and (body or not in_header):
            break
        if in_header:
            if published is None and len(line) < 80 and (found := find_date(line)):
                published = found
                # "Kompas.com - 18/10/2023, 19:17 WIB": the outlet often heads the dateline;
                # "JAKARTA, KOMPAS.com - Selasa (2/1/2024)" puts the city before it.
                if lead_outlet := _lead_outlet(line):
                    site = lead_outlet
                elif (outlet := _DATELINE_OUTLET.match(line)) and not find_date(outlet[1]):
                    site = outlet[1].strip()
                continue
            if _CREDIT_LINE.match(line):
                continue
            if author is None and _reads_like_name(line):
                author = _BY_PREFIX.sub("", line)
                continue
            if not _reads_like_prose(line):
                continue
            in_header = False
        if is_furniture_line(line) or line.rstrip(":").lower() in {"baca juga", "read more", "read also"}:
            continue
        body.append(line)
    if not body:
        return None
    # No dateline under the headline: the lead's own dateline can still name the outlet and the day.
    if site is None:
        site = _lead_outlet(body[0])
    if published is None:
        published = _lead_date(body[0])
    return Clipping(title=title, text="\n".join(body), published=published, author=author, site=site)


def _lead_outlet(lead: str) -> str | None:
    """The outlet of a lead like "JAKARTA, KOMPAS.com - ...": "Kompas.com" (the capitals are the dateline's style)."""
    match = _LEAD_DATELINE.match(lead)
    if match is None:
        return None
    name = match["name"]
    if name.isupper() or name.islower():
        name = name.capitalize()  # "KOMPAS" and "kompas" alike; "detikNews" keeps its own case
    return name + match["tld"].lower()


def _lead_date(lead: str) -> str | None:
    """The first "Selasa (2/1/2024)" of the lead paragraph, as an ISO date (2 January 2024)."""
    match = _LEAD_DAY_DATE.search(lead)
    return find_date(f"{match[1]}/{match[2]}/{match[3]}") if match else None


def find_date(text: str) -> str | None:
    """The first plausible calendar date in a dateline: 18/10/2023, 2023-10-18, 18 Oktober 2023, Oct 18, 2023."""
    candidates: list[tuple[int, int, int]] = []
    if m := _ISO_DATE.search(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    if m := _NUMERIC_DATE.search(text):
        candidates.append((int(m[3]), int(m[2]), int(m[1])))  # day first, as outside the US
    if (m := _WORD_DATE.search(text)) and m[2].lower() in _MONTHS:
        candidates.append((int(m[3]), _MONTHS[m[2].lower()], int(m[1])))
    if (m := _WORD_DATE_US.search(text)) and m[1].lower() in _MONTHS:
        candidates.append((int(m[3]), _MONTHS[m[1].lower()], int(m[2])))
    for year, month, day in candidates:
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if 1900 <= found.year <= datetime.now().year + 1:
            return found.isoformat()
    return None


def _find_headline(lines: list[str]) -> int | None:
    """The first headline-shaped line followed closely by a dateline; else the first title-cased one."""
    candidates = [i for i, line in enumerate(lines[:40]) if _could_be_headline(line)]
    for i in candidates:
        if any(find_date(following) for following in lines[i + 1 : i + 4] if len(following) < 80):
            return i
    for i in candidates:
        words = lines[i].split()
        if sum(1 for w in words if w[:1].isupper() or w[:1].isdigit()) >= max(2, len(words) // 3):
            return i
    return candidates[0] if candidates else None


def _could_be_headline(line: str) -> bool:
    words = line.split()
    if not 3 <= len(words) <= 25 or len(line) > 200:
        return False
    if line.endswith((".", "+", ":", ";", ",")) or re.search(r"[.!?]\s+\S", line):
        return False  # sentences and promo lines ("Baca berita tanpa iklan. Gabung Kompas.com+")
    return not (is_furniture_line(line) or END_MARKERS.match(line) or _PROMO.search(line) or find_date(line))


def _reads_like_name(line: str) -> bool:
    line = _BY_PREFIX.sub("", line)
    words = line.replace(",", " ").split()
    if not 1 <= len(words) <= 6 or re.search(r"[.!?:;\d]", line.rstrip(".")):
        return False
    joiners = {"and", "dan", "bin", "binti", "van", "de", "da", "von"}
    return all(w[:1].isupper() or w.lower() in joiners for w in words)


def _reads_like_prose(line: str) -> bool:
    return len(line.split()) >= 8 or line.endswith((".", "!", "?", '"', "”"))
