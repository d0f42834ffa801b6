#!/usr/bin/env python3
"""Sanity checks for samples/archive and samples/expected.jsonl.

    python samples/tools/check_archive.py            # structural checks
    python samples/tools/check_archive.py --trafilatura   # also compare trafilatura's reading

Structural checks: every file is valid UTF-8 and listed in expected.jsonl (and vice versa); HTML
parses with html.parser with balanced tags; headline, canonical URL, og:url and JSON-LD agree
with the expectation; article bodies are 250-600 words; must_contain occurs in the file and each
must_not_contain string occurs in the page furniture but not in the article paragraphs; pages
that should not declare a language do not.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent
ARCHIVE = SAMPLES / "archive"
EXPECTED = SAMPLES / "expected.jsonl"

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# <p> and <li> may be left open in HTML5, but these templates always close them.
BODY_CLASSES = ("clearfix", "detail__body-text", "isi-berita", "story__body", "article-body", "apw-body")


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.html_lang: str | None = None
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.jsonld: list[str] = []
        self.h1: list[str] = []
        self.body_paras: list[str] = []
        self._in_script_ld = False
        self._in_h1 = False
        self._body_depth: int | None = None
        self._in_p = False
        self._p_is_link = False
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "meta":
            key = a.get("property") or a.get("name") or a.get("http-equiv")
            if key:
                self.meta[key] = a.get("content", "")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_script_ld = True
            self._buf = []
        if tag == "h1":
            self._in_h1 = True
            self._buf = []
        if tag == "div" and self._body_depth is None and any(c in (a.get("class") or "").split() for c in BODY_CLASSES):
            self._body_depth = len(self.stack)
        if tag == "p" and self._body_depth is not None and self._body_depth >= 0:
            self._in_p = True
            self._p_is_link = False
            self._buf = []
        if tag == "a" and self._in_p:
            self._p_is_link = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "script" and self._in_script_ld:
            self.jsonld.append("".join(self._buf))
            self._in_script_ld = False
        if tag == "h1" and self._in_h1:
            self.h1.append("".join(self._buf).strip())
            self._in_h1 = False
        if tag == "p" and self._in_p:
            if not self._p_is_link:
                self.body_paras.append(" ".join("".join(self._buf).split()))
            self._in_p = False
        if self._body_depth is not None and len(self.stack) == self._body_depth and tag == "div":
            self._body_depth = -1  # body closed; never reopen

    def handle_data(self, data):
        if self._in_script_ld or self._in_h1 or self._in_p:
            self._buf.append(data)


def read(path: Path) -> str:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")  # raises on invalid UTF-8


def ld_objects(blocks: list[str]) -> list[dict]:
    out = []
    for block in blocks:
        data = json.loads(block)
        items = data.get("@graph", [data]) if isinstance(data, dict) else data
        out.extend(items)
    return out


def main(argv: list[str]) -> int:
    problems: list[str] = []
    expected = [json.loads(line) for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_path = {e["path"]: e for e in expected}
    if len(by_path) != len(expected):
        problems.append("duplicate paths in expected.jsonl")

    files = sorted(p for p in ARCHIVE.rglob("*") if p.is_file())
    listed: set[str] = set()
    no_lang: list[str] = []
    for path in files:
        rel = path.relative_to(ARCHIVE).as_posix()
        try:
            text = read(path)
        except UnicodeDecodeError as exc:
            problems.append(f"{rel}: not UTF-8 ({exc})")
            continue
        if rel.endswith(".jsonl"):
            for n, line in enumerate(text.splitlines(), 1):
                rec = json.loads(line)
                key = f"{rel}#{rec['id']}"
                listed.add(key)
                e = by_path.get(key)
                if not e:
                    problems.append(f"{key}: not in expected.jsonl")
                    continue
                for field, rec_field in (("title", "title"), ("url", "url"), ("author", "author"), ("lang", "lang"),
                                         ("site", "source")):
                    if e[field] != rec[rec_field]:
                        problems.append(f"{key}: {field} {e[field]!r} != {rec[rec_field]!r}")
                if not rec["date"].startswith(e["published"]):
                    problems.append(f"{key}: date mismatch")
                if e["must_contain"] not in rec["text"]:
                    problems.append(f"{key}: must_contain missing")
            continue
        listed.add(rel)
        e = by_path.get(rel)
        if not e:
            problems.append(f"{rel}: not in expected.jsonl")
            continue
        if e["kind"] == "article" and e["must_contain"] not in text:
            problems.append(f"{rel}: must_contain {e['must_contain']!r} not in file")
        if rel.endswith(".txt"):
            for s in e["must_not_contain"]:
                if s not in text:
                    problems.append(f"{rel}: furniture {s!r} not in file")
            continue
        parser = PageParser()
        parser.feed(text)
        parser.close()
        problems.extend(f"{rel}: {err}" for err in parser.errors)
        if parser.stack:
            problems.append(f"{rel}: unclosed tags {parser.stack}")
        if not text.startswith("<!DOCTYPE html>"):
            problems.append(f"{rel}: no HTML5 doctype")
        lds = ld_objects(parser.jsonld)
        declares_lang = bool(parser.html_lang) or any("inLanguage" in o for o in lds) or "og:locale" in parser.meta
        if e["kind"] != "article":
            continue
        if not declares_lang:
            no_lang.append(rel)
        if parser.h1 != [e["title"]]:
            problems.append(f"{rel}: h1 {parser.h1} != title")
        if parser.meta.get("og:title", e["title"]) != e["title"]:
            problems.append(f"{rel}: og:title differs")
        urls = {parser.canonical, parser.meta.get("og:url", parser.canonical)}
        for o in lds:
            if o.get("@type") == "NewsArticle":
                urls.add(o.get("url"))
                mep = o.get("mainEntityOfPage")
                if isinstance(mep, str):
                    urls.add(mep)
                elif isinstance(mep, dict) and "@id" in mep and not mep["@id"].endswith("#webpage"):
                    urls.add(mep["@id"])
                if o.get("headline") != e["title"]:
                    problems.append(f"{rel}: JSON-LD headline differs")
                if not o.get("datePublished", "").startswith(e["published"]):
                    problems.append(f"{rel}: JSON-LD datePublished differs")
        urls.discard(None)
        if urls != {e["url"]}:
            problems.append(f"{rel}: URLs disagree {urls}")
        pub = parser.meta.get("article:published_time") or parser.meta.get("publishdate", "").replace("/", "-")
        if pub and not pub.startswith(e["published"]):
            problems.append(f"{rel}: published meta {pub} != {e['published']}")
        words = sum(len(p.split()) for p in parser.body_paras)
        if not 250 <= words <= 600:
            problems.append(f"{rel}: body has {words} words")
        body = "\n".join(parser.body_paras)
        if e["must_contain"] not in body:
            problems.append(f"{rel}: must_contain not inside the body paragraphs")
        for s in e["must_not_contain"]:
            if s not in unescape(text):
                problems.append(f"{rel}: furniture {s!r} not in page")
            if s in body:
                problems.append(f"{rel}: furniture {s!r} inside body paragraphs")

    for key in by_path:
        if key not in listed:
            problems.append(f"{key}: listed in expected.jsonl but no such file/record")

    articles = [e for e in expected if e["kind"] == "article"]
    html_articles = [e for e in articles if not e["path"].endswith(".txt") and "#" not in e["path"]]
    print(f"{len(files)} files, {len(expected)} expectations, {len(html_articles)} HTML articles "
          f"({sum(e['lang'] == 'id' for e in html_articles)} id / {sum(e['lang'] == 'en' for e in html_articles)} en)")
    print(f"articles with no language declared: {len(no_lang)}: "
          f"{sorted({p.split('/')[0] for p in no_lang})}")

    if "--trafilatura" in argv:
        problems.extend(check_trafilatura(expected))

    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def check_trafilatura(expected: list[dict]) -> list[str]:
    import trafilatura

    report: list[str] = []
    for e in expected:
        path = ARCHIVE / e["path"]
        if "#" in e["path"] or e["path"].endswith(".txt"):
            continue
        doc = trafilatura.bare_extraction(read(path), with_metadata=True)
        if e["kind"] != "article":
            text = getattr(doc, "text", None) if doc is not None else None
            print(f"  [not_article] {e['path']}: trafilatura text = {len(text or '')} chars")
            continue
        if doc is None:
            report.append(f"trafilatura: {e['path']}: nothing extracted")
            continue
        d = doc if isinstance(doc, dict) else doc.as_dict()
        text = d.get("text") or ""
        notes = []
        if d.get("title") != e["title"]:
            notes.append(f"title={d.get('title')!r}")
        if d.get("date") != e["published"]:
            notes.append(f"date={d.get('date')!r}")
        if (d.get("author") or None) != e["author"]:
            notes.append(f"author={d.get('author')!r}")
        if d.get("sitename") != e["site"]:
            notes.append(f"sitename={d.get('sitename')!r}")
        if e["must_contain"] not in " ".join(text.split()):
            notes.append("must_contain missing from text")
        leaked = [s for s in e["must_not_contain"] if s in text]
        if leaked:
            notes.append(f"furniture kept: {leaked}")
        print(f"  {'ok ' if not notes else 'DIFF'} {e['path']}" + ("" if not notes else ": " + "; ".join(notes)))
    return report


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
