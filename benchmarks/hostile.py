"""Hostile input: every kind of bad file an archive holds, ingested next to a good page.

Each input is written into a scratch folder together with one good article page, and the folder
is ingested by a real ``news-search index`` process. Reported per input: exit code, whether any
traceback was printed, the articles indexed and skip reasons recorded, wall time and the
process's peak RSS (VmHWM, reported by the process itself). The good page must be indexed every time.

    python benchmarks/hostile.py [--json] [--only NAME ...]

The generators are shared with ``tests/ingest/test_hostile.py``; the 100 MB page and the gzip bomb are
written into the scratch folder at run time, never into the repository.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import SHARED_EVAL, ArgumentParser, machine, write_result

PARAGRAPH = (
    "The regional council approved the new budget on Thursday after a debate that lasted most of the night. "
    "Members agreed to spend more on schools, roads and the hospital, and to lower the tax on small shops. "
    "The opposition said the plan relied on optimistic forecasts and asked for a review in six months."
)
CHINESE = (  # full-width commas written as escapes
    "市政府星期四宣布\uff0c新的地铁线路将于明年三月正式开通。这条线路全长二十五公里\uff0c设有十八个车站\uff0c"
    "预计每天可以运送乘客三十万人次。官员表示\uff0c新线路将大大缓解市中心的交通压力\uff0c并缩短郊区居民的通勤时间。"
)
QUOTE = " “We will deliver what we promised,” said the mayor, José Álvarez."
LATIN1 = (
    "Le café de la gare a rouvert ses portes après trois mois de travaux, a annoncé le maire mercredi. "
    "Les habitants du quartier ont salué la décision, et le propriétaire prévoit déjà d'élargir la terrasse. "
    "Selon la mairie, la rénovation a coûté près de deux cent mille euros, financés en partie par la région."
)


def article_html(title: str, body: str, *, charset: str | None = "utf-8", lang: str = "en") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title}</title></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def good_page(folder: Path) -> Path:
    path = folder / "good.html"
    path.write_text(article_html("Council approves the new budget", PARAGRAPH), encoding="utf-8")
    return path


# -- generators: each writes its hostile file(s) into ``folder`` and returns them ---------------


def empty_file(folder: Path) -> list[Path]:
    (folder / "empty.html").write_bytes(b"")
    (folder / "empty.warc.gz").write_bytes(b"")
    (folder / "empty.jsonl").write_bytes(b"")
    return [folder / "empty.html", folder / "empty.warc.gz", folder / "empty.jsonl"]


def binary_as_html(folder: Path) -> list[Path]:
    rng = random.Random(1)
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(65536)))
    (folder / "noise.html").write_bytes(bytes(rng.randrange(1, 256) for _ in range(65536)))  # no NUL bytes
    return [folder / "photo.html", folder / "noise.html"]


def truncated_gzip(folder: Path) -> list[Path]:
    data = gzip.compress(article_html("Truncated story", PARAGRAPH).encode() * 20)
    (folder / "truncated.html.gz").write_bytes(data[: len(data) // 2])
    (folder / "not-gzip.html.gz").write_bytes(b"this is not gzip at all")
    return [folder / "truncated.html.gz", folder / "not-gzip.html.gz"]


def gzip_bomb(folder: Path) -> list[Path]:
    """1 GiB of markup compressed to about 1 MB: decompression must stop at the page limit."""
    path = folder / "bomb.html.gz"
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9) as out:
        out.write(b"<html><body><p>")
        chunk = b"a" * (1 << 20)
        for _ in range(1024):
            out.write(chunk)
    return [path]


def huge_html(folder: Path) -> list[Path]:
    """A 100 MB page: one real article followed by 100 MB of paragraphs."""
    path = folder / "huge.html"
    with open(path, "wb") as out:
        out.write(article_html("A very long page", PARAGRAPH).encode()[:-14])
        block = (f"<p>{PARAGRAPH}</p>\n" * 200).encode()
        while out.tell() < 100 * 1024 * 1024:
            out.write(block)
        out.write(b"</body></html>")
    return [path]


def deep_nesting(folder: Path) -> list[Path]:
    """HTML nested 200,000 levels deep (with an article inside) and 200,000 unclosed tags."""
    depth = 200_000
    nested = "<html><body>" + "<div>" * depth + f"<article><h1>Deep</h1><p>{PARAGRAPH}</p></article>" + "</div>" * depth
    (folder / "deep.html").write_text(nested + "</body></html>", encoding="utf-8")
    (folder / "unclosed.html").write_text("<html><body>" + "<span><b>" * depth + PARAGRAPH, encoding="utf-8")
    return [folder / "deep.html", folder / "unclosed.html"]


def charsets(folder: Path) -> list[Path]:
    """Undeclared latin-1, undeclared gb2312, declared utf-8 but latin-1 bytes, invalid UTF-8, unknown charset."""
    files = {
        "latin1-undeclared.html": article_html("Le café rouvre", LATIN1, charset=None, lang="fr").encode("latin-1"),
        "gb2312-undeclared.html": article_html("地铁新线明年开通", CHINESE * 2, charset=None, lang="zh").encode("gb2312"),
        "latin1-declared-utf8.html": article_html("Le café rouvre", LATIN1, charset="utf-8", lang="fr").encode("latin-1"),
        "invalid-utf8.html": article_html("Council budget", PARAGRAPH + QUOTE).encode().replace(b"budget", b"bud\xffget", 2),
        "unknown-charset.html": article_html("Council budget vote", PARAGRAPH, charset="x-no-such-charset").encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]


def broken_warc(folder: Path) -> list[Path]:
    """A WARC whose second record is damaged (bad length, garbage), with good records around it."""

    def record(uri: str, html: str, *, length: int | None = None) -> bytes:
        http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}".encode()
        declared = len(http) if length is None else length
        head = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-13-45T99:99:99Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(uri))}>\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {declared}\r\n\r\n"
        ).encode()
        return head + http + b"\r\n\r\n"

    first = record("https://ex.org/first", article_html("First good record", PARAGRAPH))
    garbage = b"\x00\x01garbage that is no WARC header\r\n\r\n"
    short = record("https://ex.org/short", article_html("Damaged", PARAGRAPH), length=40)  # declares too few bytes
    last = record("https://ex.org/last", article_html("Last good record", PARAGRAPH.replace("council", "assembly")))
    cut = record("https://ex.org/cut", article_html("Cut off", PARAGRAPH))[:300]  # a download cut short
    (folder / "broken.warc").write_bytes(first + garbage + short + last + cut)
    (folder / "bad-version.warc").write_bytes(first.replace(b"WARC/1.0", b"WARC/9.9"))
    return [folder / "broken.warc", folder / "bad-version.warc"]


def clueweb_quirk(folder: Path) -> list[Path]:
    """WARC/0.18 with malformed dates (shared evaluation data, read in place)."""
    path = SHARED_EVAL / "warc" / "clueweb-quirk.warc.gz"
    return [path] if path.exists() else []


def not_articles(folder: Path) -> list[Path]:
    """Common Crawl pages that are not news articles (shared evaluation data, read in place)."""
    path = SHARED_EVAL / "warc" / "cc-main-2020-34-sample.filtered.warc.gz"
    return [path] if path.exists() else []


def bad_jsonl(folder: Path) -> list[Path]:
    lines: list[Any] = [
        [1, 2, 3],
        "just a string",
        42,
        None,
        {"text": 5},
        {"text": ["a", "list"]},
        {"title": {"nested": True}, "text": PARAGRAPH, "url": 7, "published": 12345, "author": [1, 2], "id": 3.5},
        {"html": 17},
        {"html": "<html><body><p>" + PARAGRAPH + "</p></body></html>", "url": ["x"]},
        {"text": PARAGRAPH.replace("council", "committee"), "published": "not a date", "lang": 9},
    ]
    raw = "\n".join(json.dumps(line) for line in lines) + "\n{not json\n" + '{"text": "\\ud800 lone surrogate"}\n'
    path = folder / "bad.jsonl"
    path.write_bytes(raw.encode() + b"\xff\xfe invalid utf-8 line\n")
    return [path]


GENERATORS: dict[str, Callable[[Path], list[Path]]] = {
    "empty files": empty_file,
    "binary named .html": binary_as_html,
    "truncated gzip": truncated_gzip,
    "gzip bomb (1 GiB)": gzip_bomb,
    "100 MB HTML": huge_html,
    "nested 200,000 deep": deep_nesting,
    "wrong or undeclared charsets": charsets,
    "broken WARC records": broken_warc,
    "WARC/0.18, malformed dates": clueweb_quirk,
    "JSONL: not objects, wrong types": bad_jsonl,
    "pages that are not articles": not_articles,
}


# The real CLI entry point, reporting its own peak memory (VmHWM) on stderr as it exits. Not the
# child's ru_maxrss: Linux carries the parent's peak into it, and a test runner may hold a model.
_CLI_WITH_PEAK = (
    "import atexit, sys\n"
    "def peak():\n"
    "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
    "    sys.stderr.write(f'\\n{PEAK_MARKER} {int(hwm.split()[1]) / 1024:.1f}\\n')\n"
    "atexit.register(peak)\n"
    "from search.cli.app import main\n"
    "main(sys.argv[1:])\n"
)
PEAK_MARKER = "@@peak_rss_mb"


def ingest_command(paths: list[Path], index_dir: Path) -> list[str]:
    entry = [sys.executable, "-c", _CLI_WITH_PEAK.replace("{PEAK_MARKER}", PEAK_MARKER)]
    return [*entry, "index", *map(str, paths), "--index", str(index_dir), "--model", "hashing-256", "--json"]


def _reported_peak(stderr: bytes, fallback: float) -> float:
    for line in reversed(stderr.decode("utf-8", "replace").splitlines()):
        if line.startswith(PEAK_MARKER):
            return float(line.split()[1])
    return fallback


def measure(name: str, scratch: Path) -> dict[str, Any]:
    folder = scratch / "input"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    hostile = GENERATORS[name](folder)
    if not hostile:
        return {"input": name, "outcome": "data not found"}
    good = good_page(folder)
    index_dir = scratch / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    # The folder holds the good page and the generated files; shared evaluation data is read in place.
    inputs = [folder, *(p for p in hostile if folder not in p.parents)]
    started = time.perf_counter()
    with open(scratch / "out", "w+b") as out, open(scratch / "err", "w+b") as err:
        proc = subprocess.Popen(ingest_command(inputs, index_dir), stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS, not the largest so far
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    returncode = os.waitstatus_to_exitcode(status)
    result: dict[str, Any] = {
        "input": name,
        "files": [p.name for p in hostile],
        "exit_code": returncode,
        "traceback": b"Traceback" in stderr,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_reported_peak(stderr, usage.ru_maxrss / 1024), 1),
    }
    if returncode == 0:
        report = json.loads(stdout)
        with sqlite3.connect(f"file:{index_dir / 'articles.sqlite'}?mode=ro", uri=True) as db:
            titles = [row[0] for row in db.execute("SELECT title FROM articles ORDER BY title")]
            sources = [row[0] for row in db.execute("SELECT source FROM articles")]
            skips = db.execute("SELECT source, reason FROM skips").fetchall()
        result["articles"] = len(titles)
        result["good_page_kept"] = str(good.resolve()) in sources
        result["titles"] = [t for t in titles if t != "Council approves the new budget"][:8]
        reasons: dict[str, int] = {}
        for _, reason in skips:
            reasons[reason] = reasons.get(reason, 0) + 1
        result["skips"] = reasons
        result["pages"] = report.get("pages")
    else:
        result["stderr"] = stderr.decode(errors="replace").strip().splitlines()[-3:]
    return result


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME", help=f"only these inputs: {', '.join(GENERATORS)}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    unknown = [name for name in args.only or [] if name not in GENERATORS]
    if unknown:
        parser.error(f"--only {unknown[0]!r}: no such input; choose from {', '.join(map(repr, GENERATORS))}")
    names = args.only or list(GENERATORS)
    scratch = Path(tempfile.mkdtemp(prefix="news-search-hostile-"))
    rows = []
    try:
        for name in names:
            row = measure(name, scratch)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result = {"inputs": rows, "machine": machine()}
    write_result("hostile", result)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
