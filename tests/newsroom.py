"""A synthetic news archive written by the tests: 600 short articles over five beats, four big
sites, one rare site (1% of the archive), three authors, two languages and two years of dates.

Written as a JSONL export so the same file exercises the JSONL field mapping (``date`` or
``published``, ``source`` or ``site``, ``author``, ``lang``).
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

SIZE = 600
RARE_SITE = "Rare Daily"
RARE_ROWS = frozenset(range(5, SIZE, 100))  # 6 articles: 1% of the archive
SITES = ("Harbour Times", "Island Post", "Capital Wire", "Metro Ledger")
AUTHORS = ("Ana Lestari", "Budi Santoso", "Clara Moss")
BEATS = {
    "harbour": "The harbour authority opened a new container terminal and the port expects more ships and cargo",
    "volcano": "The volcano erupted again sending ash over the island villages and the airport closed its runway",
    "election": "Voters queued at polling stations as the election commission counted ballots for the parliament",
    "football": "The football club won the league match after a late goal from its young striker in the stadium",
    "markets": "Stock markets fell as investors worried about interest rates inflation and the central bank",
}
# Each article gets a sentence of its own, so no two are near-duplicates of each other.
FILLER = tuple(
    " ".join(
        (
            "morning evening river bridge market school hospital budget minister council village farmer teacher",
            "doctor train bus road rain storm drought harvest rice coffee fish boat festival museum library court",
            "judge police fire museum tower garden factory worker union strike contract border visa tourist hotel",
        )
    ).split()
)
INDONESIAN = (
    "Pemerintah kota membuka terminal peti kemas baru di pelabuhan dan berharap lebih banyak kapal datang "
    "setiap minggu untuk mengangkut barang ke pulau pulau di sekitarnya"
)


def record(number: int) -> dict[str, object]:
    beat = list(BEATS)[number % len(BEATS)]
    rare = number in RARE_ROWS
    if rare:
        beat = "harbour"
    day = date(2023, 1, 1) + timedelta(days=(number * 37) % 720)
    lang = "id" if number % 10 == 9 else "en"
    lead = INDONESIAN if lang == "id" else BEATS[beat]
    words = random.Random(number).choices(FILLER, k=30)
    text = (
        f"{lead} on day {number}. "
        f"Notes from the desk mention {' '.join(words)}. "
        f"Officials said report number {number} would be followed by more details next week. "
        f"Residents told reporters that the {beat} story had changed their plans for the month. "
        f"Article {number} closes with a note from the newsroom about sources and corrections."
    )
    fields: dict[str, object] = {
        "id": f"art-{number:04d}",
        "title": f"{beat.title()} report {number}",
        "text": text,
        "author": AUTHORS[number % len(AUTHORS)],
        "lang": lang,
    }
    # Both spellings of the date and site fields that exports use.
    fields["date" if number % 2 else "published"] = day.isoformat()
    site = RARE_SITE if rare else SITES[number % len(SITES)]
    fields["source" if number % 3 else "site"] = site
    return fields


def write_corpus(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(SIZE):
            handle.write(json.dumps(record(number)) + "\n")
    return path
