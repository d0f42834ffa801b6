"""A large synthetic crawl (a gzipped WARC of news pages) made from real news vocabulary.

Sentences and headlines are drawn, with a fixed seed, from the shared evaluation corpora (read in
place), so pages read like news to the extractor, the language detector and the encoder. Pages carry
furniture (navigation, related links, comments, footer) like real portals, and a share of them are
syndicated copies (another portal, another headline, a trailing paragraph) or exact reposts, so the
near-duplicate grouping has work to do.

    python -m benchmarks.synthetic_archive --pages 100000 --out benchmarks/.work/synthetic-100000.warc.gz
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ArgumentParser, require_eval

SITES = ("harian-pagi", "warta-kota-news", "metro-daily", "coastal-herald", "kabar-nusantara", "the-evening-post")
SYNDICATED_SHARE = 0.03  # copies of an earlier story on another portal, with small edits
REPOST_SHARE = 0.01  # the very same story under a second URL
CORPORA = ("retrieval/bbc-news/corpus_with_titles.jsonl", "retrieval/indosum-dev/corpus.jsonl")


def default_path(pages: int) -> Path:
    return ROOT / "benchmarks" / ".work" / f"synthetic-{pages}.warc.gz"


def _corpus() -> tuple[list[str], list[str]]:
    titles: list[str] = []
    sentences: list[str] = []
    for relative in CORPORA:
        with require_eval(relative).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if isinstance(record.get("title"), str) and record["title"].strip():
                    titles.append(record["title"].strip())
                text = record.get("text") if isinstance(record.get("text"), str) else ""
                sentences.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if 40 <= len(s.strip()) <= 300)
    return titles, sentences


def _page(site: str, url: str, title: str, paragraphs: list[str], date: str, author: str) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="/r/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(paragraphs[:1] * 3))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)} - {site}</title>
<link rel="canonical" href="{url}"><meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{site}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T07:30:00+07:00"></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a>
<a href="/login">Login</a></nav></header>
<main><article><h1>{html.escape(title)}</h1><div class="byline">{author} · {date}</div>{body}</article>
<aside class="related"><h3>Related</h3><ul>{related}</ul></aside>
<section class="comments"><h3>Comments</h3><p>Log in to comment.</p></section></main>
<footer>© {site}. All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>""".encode()


def pages(count: int, seed: int = 7) -> Iterator[tuple[str, bytes]]:
    """(url, html) for ``count`` pages, deterministic for a seed."""
    rng = random.Random(seed)
    titles, sentences = _corpus()
    stories: list[tuple[str, list[str], str, str]] = []
    for number in range(count):
        site = SITES[number % len(SITES)]
        url = f"https://{site}.example/{2015 + number % 10}/{number:07d}"
        roll = rng.random()
        if stories and roll < SYNDICATED_SHARE:
            title, paragraphs, date, author = rng.choice(stories[-5000:])
            edited = [*paragraphs, " ".join(rng.sample(sentences, 2))]
            yield url, _page(site, url, f"{title} (update)", edited, date, author)
            continue
        if stories and roll < SYNDICATED_SHARE + REPOST_SHARE:
            title, paragraphs, date, author = rng.choice(stories[-5000:])
            yield url, _page(site, url, title, paragraphs, date, author)
            continue
        paragraphs = [" ".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(rng.randint(3, 7))]
        date = f"{2015 + number % 10}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        story = (rng.choice(titles), paragraphs, date, f"Reporter {number % 97}")
        stories.append(story)
        if len(stories) > 10000:
            del stories[:5000]
        yield url, _page(site, url, *story)


def write_warc(path: Path, count: int, seed: int = 7) -> Path:
    """Write the archive once; an existing file of the same name is reused."""
    if path.exists():
        return path
    for relative in CORPORA:  # before any file is opened: no empty .partial left behind
        require_eval(relative)
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, content in pages(count, seed):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(content), http_headers=headers)
            writer.write_record(record)
    partial.replace(path)
    return path


def main() -> None:
    parser = ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100_000, help="pages to write (default: 100000)")
    parser.add_argument("--out", type=Path, help="the WARC to write (default: benchmarks/.work/synthetic-PAGES.warc.gz)")
    args = parser.parse_args()
    if args.pages <= 0:
        parser.error("--pages N: N must be a positive number of pages")
    print(write_warc(args.out or default_path(args.pages), args.pages))


if __name__ == "__main__":
    main()
