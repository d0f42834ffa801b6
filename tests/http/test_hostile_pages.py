"""Hostile pages: an archive whose headlines, bodies, site names, authors, URLs, ids and even file names
are XSS payloads (tests/http/hostile_archive/, one page per family of tricks) goes through the real
ingest into an index, and every page the server renders from it must show the payloads as text.

First the ingest is checked to really carry the payloads into the stored fields (a payload the
extractor dropped would prove nothing); then the HTML the server sends is scanned, raw, for live
markup; then headless Chromium visits every page, with the CSP switched off so that an injected
script would really run, and looks for dialogs, console errors, ``window.__pwned`` and injected
elements and attributes in the DOM.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest
from fastapi.testclient import TestClient

from index.article import Article
from index.embed.hashing import HashingEncoder
from index.ingest.indexer import Indexer
from index.ingest.report import IngestReport
from search.facade import NewsSearch
from search.http.app import create_app
from tests.http.browser import Tab, tabs
from tests.http.serving import served

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ARCHIVE = Path(__file__).resolve().parent / "hostile_archive"
QUERY = "Kalimaya"  # every hostile story happens in (fictional) Kalimaya
# A file name is a payload too (the article view shows where a page was read from); written at test
# time, since such names do not belong in a git tree.
HOSTILE_FILE_NAME = "<img src=x onerror=alert(1)>.html"
HOSTILE_FILE = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>Nelayan Kalimaya Keluhkan Solar Langka</title><meta property="og:site_name" content="Kabar Kalimaya">
<meta property="article:published_time" content="2024-02-19T09:00:00+07:00"></head><body>
<article><h1>Nelayan Kalimaya Keluhkan Solar Langka</h1>
<p>Ratusan nelayan di Kalimaya tidak melaut selama sepekan karena solar bersubsidi sulit didapat
di stasiun pengisian khusus nelayan.</p>
<p>Mereka terpaksa membeli solar eceran dengan harga hampir dua kali lipat, sehingga hasil tangkapan
tidak menutup biaya melaut.</p>
<p>Pemerintah Kalimaya berjanji meminta tambahan kuota solar kepada pemerintah pusat dalam waktu dekat.</p>
</article></body></html>
"""

# What each page must bring into the index, payload included: field -> a substring of the stored
# value (None: the field must be empty, for URLs the extractor refuses: only http and https are kept).
CARRIED: dict[str, dict[str, str | None]] = {
    "01-script-in-title.html": {"title": "<script>alert(1)</script> Banjir", "text": "<script>window.__xss&&__xss()</script>"},
    "02-img-onerror.html": {"title": "<img src=x onerror=alert(1)>", "text": "<img src=x onerror=alert(document.cookie)>"},
    "03-svg-onload.html": {"title": "<svg onload=alert(1)>", "site": "<svg><script>alert(1)</script></svg>"},
    "04-double-quote-breakout.html": {"title": '" onfocus="alert(1)" autofocus x="', "site": '"><b id="pwned">'},
    "05-single-quote-and-backtick.html": {"title": "' onmouseover='alert(1)' x='", "site": "' onclick='alert(1)"},
    "06-title-breakout.html": {"title": "</title><script>alert(1)</script>", "text": "</title><img src=x onerror=alert(1)>"},
    "07-javascript-canonical.html": {"url": None, "text": '<a href="javascript:alert(1)">'},
    "08-data-and-vbscript-urls.html": {"url": None, "text": "data:text/html,<script>alert(1)</script>"},
    "09-entity-tricks.html": {"url": None, "title": "<script>alert(1)</script> Kalimaya library", "text": "javascript:alert(1)"},
    "10-broken-markup.html": {"title": "<scr<script>ipt>alert(1)</scr</script>ipt>", "text": "<<script>script>alert(1)"},
    "11-iframe-object-embed.html": {
        "title": '<iframe srcdoc="<script>parent.alert(1)</script>">',
        "site": "<iframe src=javascript:",
    },
    "12-math-template-noscript.html": {"title": "<math><mtext><table><mglyph><style><img", "text": "<template><img"},
    "13-css-tricks.html": {"title": '<div style="width:expression(alert(1))">', "site": "url(javascript:alert(1))"},
    "14-unicode-variants.html": {"title": "\uff1cscript\uff1e", "site": "\u202e<script>alert(1)</script>"},
    "15-textarea-style-breakouts.html": {"title": "</textarea><script>", "site": "</style><script>", "text": "</xmp><script>"},
    "16-json-in-script-breakout.html": {"title": "</script><script>alert(1)</script>", "text": '"</script><img src=x'},
    "17-template-injection.html": {"title": "{{7*7}} {{ config }}", "site": "{% raw %}{{ lipsum.__globals__ }}"},
    "18-meta-refresh-base-link.html": {"title": '<meta http-equiv="refresh"', "site": '<base href="https://evil.example/">'},
    "19-form-input-button.html": {"title": '<form action="javascript:alert(1)">', "text": "<input onfocus=alert(1) autofocus>"},
    "20-dom-clobbering.html": {"title": '<form id="search"><input id="q" name="q"></form>', "site": '<a id="__xss"'},
    "21-event-handlers.html": {"title": "<details open ontoggle=alert(1)>", "text": "<body onload=alert(1)>"},
    "22-raw-markup-in-body.html": {"title": '"><script>alert(1)</script>', "text": "ruang tunggu ber-AC"},
    "23-spreadsheet-formulas.html": {"title": '=HYPERLINK("https://evil.example"', "site": "@SUM(1+1)"},
    "24a-quake-wire.html": {"site": "Kabar Kalimaya"},
    "24b-quake-copy.html": {"title": "</del><script>alert(1)</script><del>", "site": "<ins onmouseover=alert(1)>"},
    "24c-quake-copy.html": {"title": "</li><img src=x onerror=alert(1)>", "text": "</ins><img src=x onerror=alert(1)><ins>"},
    "kalimaya-feed.jsonl:1": {"id": '"><img src=x onerror=alert(1)>', "author": '<script>alert("author")</script>'},
    "kalimaya-feed.jsonl:2": {"url": '/"><script>alert(1)</script>', "author": '" onmouseover="alert(1)" x="'},
    "kalimaya-feed.jsonl:3": {"id": "javascript:alert(1)", "author": "javascript:alert(1)", "url": None},
    "kalimaya-feed.jsonl:4": {"id": "kalimaya/berita?halaman=2#atas", "author": "<b onmouseover=alert(1)>"},
    "kalimaya-feed.jsonl:5": {"url": "ssti?{{7*7}}", "title": '=HYPERLINK("https://evil.example"', "site": "+cmd|"},
    "kalimaya-feed.jsonl:6": {"title": "&lt;img src=x onerror=alert(1)&gt; &#60;script&#62;", "author": "&quot; onmouseover"},
    "kalimaya-feed.jsonl:7": {"url": "/'onmouseover='alert(1)'", "author": "</textarea><script>alert(1)</script>"},
    HOSTILE_FILE_NAME: {"source": HOSTILE_FILE_NAME},
}
# Live markup from the payloads: none of these may appear raw in any HTML the server sends (each is
# carried by some stored field: test_every_probe_is_carried).
PROBES = (
    "<script>alert(1)", "<script>window.__xss", '<script>alert("author")', "<img src=x onerror", "<svg onload=",
    "<svg/onload=", "<svg><script>", '" onfocus="alert(1)"', '" onmouseover="alert(1)"', "' onmouseover='alert(1)'",
    "' onclick='alert(1)", "</title><script>", "</title><img", '<a href="javascript:', "<scr<script>ipt>",
    "<<script>script>", "<iframe srcdoc=", "<iframe src=javascript:", "<object data=javascript:", "<embed src=data:",
    "<math><mtext>", "<template><img", '<noscript><p title="', '<div style="width:expression', "<style>@import",
    '<p style="background:url(javascript:', "</textarea><script>", "</style><script>", "</noscript><img",
    "</xmp><script>", "</script><script>", '"</script><img', "<!--<script>", "<%= 7*7 %>", '<meta http-equiv="refresh"',
    '<base href="https://evil.example/">', "<link rel=stylesheet href=https://evil.example", '<form action="javascript:',
    '<form id="search"><input', "<input onfocus=alert(1) autofocus>", "<button formaction=javascript:", '<a id="__xss"',
    "<img name=getElementById>", "<form name=body>", "<details open ontoggle=", "<body onload=", "<source onerror=",
    "<marquee onstart=", '"><script>alert(1)</script>', '<b id="pwned">', "<ins onmouseover=", "</del><script>",
    "</ins><img", "</li><img", "</li><script>", "'><iframe srcdoc=", '"><img src=x onerror=alert(1)>',
    "<b onmouseover=alert(1)>",
)  # fmt: skip
FIELDS = ("title", "text", "site", "author", "url", "id", "source")
EXPLORE = f"/?q={QUERY}&mode=keyword&all_copies=1"  # every article, ten a page
SEED_PAGES = (
    f"/?q={QUERY}&mode=keyword",
    f"/?q={QUERY}",
    f"/?q={QUERY}&sort=date&interval=week",
    f"/?q={QUERY}&interval=day&limit=50",
    "/?lang=id",
    "/",
)
# Payloads in the request itself, reflected into the page (form values, filter notes, error messages).
REFLECTED = (
    "/?q=Kalimaya%20%3Cscript%3Ealert(1)%3C/script%3E",
    "/?q=Kalimaya&site=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "/?q=Kalimaya&lang=%3Csvg%20onload%3Dalert(1)%3E",
    "/?q=Kalimaya&author=%27%20onmouseover%3D%27alert(1)",
    "/?q=%22%3Cscript%3Ealert(1)%3C/script%3E",
    "/?q=title:%22%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%22",
    "/?q=Kalimaya&since=%3Cscript%3E",
    "/?q=Kalimaya&interval=%3Cb%3Ex",
    "/?q=Kalimaya&mode=%3C/title%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/articles/%3Cscript%3Ealert(1)%3C/script%3E",
    "/groups/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    "/articles/%3Csvg%20onload%3Dalert(1)%3E/similar",
)
MAX_VISITS = 400  # a bound, in case the pages grow links: about 150 are reached


@dataclass(frozen=True)
class HostileIndex:
    location: Path
    report: IngestReport
    articles: dict[str, Article]  # by the source's file name (with ":line" for JSONL records)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileIndex:
    folder = tmp_path_factory.mktemp("hostile")
    archive = folder / "archive"
    shutil.copytree(ARCHIVE, archive)
    (archive / HOSTILE_FILE_NAME).write_text(HOSTILE_FILE, encoding="utf-8")
    location = folder / "index"
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        report = indexer.add([archive])
    with NewsSearch(location) as news:
        found = news.search_results(QUERY, limit=100, mode="keyword", collapse_copies=False)
        stored = [news.get(hit.id) for hit in found.hits]
        articles = {Path(article.source or "").name: article for article in stored}
    return HostileIndex(location, report, articles)


@pytest.fixture(scope="module")
def client(hostile: HostileIndex) -> Iterator[TestClient]:
    with TestClient(create_app(hostile.location)) as test_client:
        yield test_client


def field_value(article: Article, name: str) -> str | None:
    value = getattr(article, name)
    assert value is None or isinstance(value, str), (name, value)
    return value


# --- the payloads really are in the index ----------------------------------------------------------


def test_every_hostile_page_reaches_the_index(hostile: HostileIndex) -> None:
    assert hostile.report.added == len(CARRIED), hostile.report
    assert not hostile.report.skipped, dict(hostile.report.skipped)
    assert set(hostile.articles) == set(CARRIED), "every page and record is found by the query that matches all"
    for source, expected in CARRIED.items():
        article = hostile.articles[source]
        for name, part in expected.items():
            value = field_value(article, name)
            if part is None:
                assert value is None, (source, name, value)
            else:
                assert value is not None and part in value, f"{source}: {name} {value!r} lacks the payload {part!r}"


def test_every_probe_is_carried(hostile: HostileIndex) -> None:
    """A probe no stored field holds would scan for nothing: each must be in the index."""
    stored = [value for article in hostile.articles.values() for name in FIELDS if (value := field_value(article, name))]
    missing = [probe for probe in PROBES if not any(probe in value for value in stored)]
    assert not missing, missing
    assert len(set(PROBES)) >= 20


# --- the HTML the server sends ---------------------------------------------------------------------

DANGEROUS_SCHEME = re.compile(r"^(?:javascript|data|vbscript|livescript|mocha):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset", "ping"}
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "template", "math", "style", "marquee",
    "video", "audio", "source", "foreignobject", "animate", "set", "xmp", "textarea",
}  # fmt: skip  # (an img is allowed from /static/ only: see below)
FORBIDDEN_IDS = {"pwned", "__xss"}
FORBIDDEN_NAMES = {"getelementbyid", "body"}
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028\u2029\ufeff]")


def scheme_of(value: str) -> str:
    return INVISIBLE.sub("", value)


def harmless_data(tag: str, values: dict[str, str]) -> bool:
    """The page's own empty icon (``<link rel=icon href="data:,">``, which spares a /favicon.ico request)."""
    return tag == "link" and values.get("rel") == "icon" and values.get("href") == "data:,"


class LiveMarkup(HTMLParser):
    """Everything in a document that could run or take over the page (the rules of the DOM check below)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.ids: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = f"<{tag} {attrs}>"
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self._in_script = True
            if values.get("src") != "/static/app.js":
                self.found.append(f"script {shown}")
        if tag in FORBIDDEN_ELEMENTS or (tag == "img" and not values.get("src", "").startswith("/static/")):
            self.found.append(f"element {shown}")
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href") != "/static/app.css":
            self.found.append(f"stylesheet {shown}")
        if tag == "meta" and "http-equiv" in values:
            self.found.append(f"meta {shown}")
        for name, value in values.items():
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.found.append(f"attribute {name} in {shown}")
            if name == "autofocus" and values.get("id") != "q":
                self.found.append(f"autofocus in {shown}")
            if name in URL_ATTRIBUTES and DANGEROUS_SCHEME.match(scheme_of(value)) and not harmless_data(tag, values):
                self.found.append(f"{name} URL in {shown}")
            if name == "id":
                self.ids.append(value)
                if value.lower() in FORBIDDEN_IDS:
                    self.found.append(f"id in {shown}")
            if name == "name" and value.lower() in FORBIDDEN_NAMES:
                self.found.append(f"name in {shown}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.found.append(f"inline script {data[:100]!r}")

    def problems(self) -> list[str]:
        duplicates = sorted({i for i in self.ids if self.ids.count(i) > 1})
        return self.found + ([f"duplicate ids {duplicates}"] if duplicates else [])


def raw_problems(html: str) -> list[str]:
    problems = [f"raw payload {probe!r}" for probe in PROBES if probe in html]
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return problems + parser.problems()


class Links(HTMLParser):
    """The same-origin page links of a document (``a[href]``), and the ``h1`` text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            values = dict(attrs)
            href = values.get("href") or ""
            # Empty timeline bars lead to empty pages: not worth a visit each.
            if href.startswith("/") and not href.startswith("//") and values.get("data-count") != "0":
                self.hrefs.append(href.partition("#")[0])  # a fragment is the same page
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1.append(data)


def is_page(href: str) -> bool:
    path = urlsplit(href).path
    return not path.startswith(("/static/", "/api/", "/docs", "/openapi.json", "/healthz"))


def kind_of(href: str) -> str:
    """``search`` for the search page and other lists' further pages (``/similar?page=2``), else ``view``."""
    parts = urlsplit(href)
    return "search" if parts.path == "/" or parts.query else "view"


def crawl(fetch: Any, explore: str, others: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """Breadth first over page links: ``explore`` and every search page it links to (its result pages,
    facets, timeline bars, intervals), then the article, similar and group pages those link to, and
    those the article pages link to; of ``others`` just the pages and their article links.
    Yields (href, what ``fetch`` made of it); ``fetch(href)`` returns (result, the page's hrefs)."""
    starts = (explore, *others)
    seen = set(starts)
    queue = deque((href, 0, href == explore) for href in starts)
    visits = 0
    while queue and visits < MAX_VISITS:
        href, depth, exploring = queue.popleft()
        visits += 1
        result, hrefs = fetch(href)
        yield href, result
        for found in hrefs:
            wanted = (exploring and depth == 0) if kind_of(found) == "search" else depth < 2
            if wanted and is_page(found) and found not in seen:
                seen.add(found)
                queue.append((found, depth + 1, False))


def viewed_ids(hrefs: list[str]) -> set[str]:
    """The article ids whose view (``/articles/{id}``, not ``/similar``) is among ``hrefs``."""
    paths = [unquote(urlsplit(href).path) for href in hrefs]
    return {path.removeprefix("/articles/") for path in paths if path.startswith("/articles/") and not path.endswith("/similar")}


def folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


# Each line breaks one rule of the scan; the page's own markup breaks none.
LIVE_SNIPPETS = (
    "<p><script>alert(1)</script></p>",
    '<script src="https://evil.example/x.js"></script>',
    "<img src=x>",
    '<p onmouseover="alert(1)">x</p>',
    '<a href=" jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html,x">x</a>',
    '<p style="color:red">x</p>',
    '<iframe srcdoc="x"></iframe>',
    '<input autofocus id="other">',
    '<b id="pwned">x</b>',
    '<form name="body"></form>',
    '<meta http-equiv="refresh" content="3600">',
    '<link rel="stylesheet" href="/evil.css">',
    '<p id="dup"></p><p id="dup"></p>',
    "<svg><animate attributeName=href></animate></svg>",
)


def test_the_scan_finds_live_markup() -> None:
    """The scan below would pass vacuously if it missed things: each rule catches its example."""
    for snippet in LIVE_SNIPPETS:
        assert raw_problems(snippet), snippet
    safe = (
        '<!DOCTYPE html><html><head><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css">'
        '<script src="/static/app.js" defer></script></head><body><input id="q" autofocus><svg><a href="/?q=x">'
        "<rect x=1></rect></a></svg><p>&lt;script&gt;alert(1)&lt;/script&gt; &#34; onfocus=&#34;x</p></body></html>"
    )
    assert raw_problems(safe) == []


def test_html_pages_show_every_payload_as_text(client: TestClient, hostile: HostileIndex) -> None:
    by_id = {article.id: article for article in hostile.articles.values()}
    visited: dict[str, int] = {}
    problems: list[str] = []

    def fetch(href: str) -> tuple[int, list[str]]:
        response = client.get(href)
        assert response.status_code in (200, 400, 404), (href, response.status_code, response.text[:500])
        assert "default-src 'self'" in response.headers.get("content-security-policy", ""), href
        html = response.text
        problems.extend(f"{href}: {problem}" for problem in raw_problems(html))
        links = Links()
        links.feed(html)
        path = urlsplit(href).path
        if path.startswith("/articles/") and not path.endswith("/similar") and response.status_code == 200:
            shown = folded("".join(links.h1))
            assert shown in {folded(article.title) for article in by_id.values()}, (href, shown)
        return response.status_code, links.hrefs

    for href, status in crawl(fetch, EXPLORE, SEED_PAGES + REFLECTED):
        visited[href] = status
    assert not problems, "\n".join(problems[:50])
    assert viewed_ids([href for href, status in visited.items() if status == 200]) == set(by_id)
    assert any(href.startswith("/groups/") for href in visited), "the group view was reached"
    assert any(href.endswith("/similar") for href in visited), "a similar page was reached"


def test_the_search_matching_all_of_them_shows_them_all(client: TestClient) -> None:
    html = client.get("/", params={"q": QUERY, "mode": "keyword", "all_copies": "1", "limit": "100"}).text
    total = re.search(r'<span id="total">(\d+)</span>', html)
    assert total is not None and int(total.group(1)) == len(CARRIED)
    assert html.count('class="hit"') + html.count('class="hit ') == len(CARRIED)


def test_export_defuses_spreadsheet_formulas(client: TestClient) -> None:
    response = client.get("/api/export", params={"q": QUERY, "mode": "keyword", "format": "csv", "all_copies": "true"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == len(CARRIED) + 1
    cells = [cell for row in rows[1:] for cell in row]
    assert any("HYPERLINK" in cell for cell in cells), "the formula payloads are exported"
    live = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not live, live


# --- in Chromium -----------------------------------------------------------------------------------

# Defined before any page script: what the payloads call if they run.
TRAP = "window.__xss = function () { window.__pwned = (window.__pwned || 0) + 1; };"
# Fire what inline handlers wait for, then report what in the DOM could run or take over the page
# (the rules of LiveMarkup above, as the browser parsed the page).
DOM_CHECK = r"""
(rules) => {
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'animationstart']) {
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
  const found = [];
  const show = (el) => el.outerHTML.slice(0, 200);
  const invisible = /[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\u2028\u2029\ufeff]/g;
  const dangerous = /^(javascript|data|vbscript|livescript|mocha):/i;
  const ids = new Map();
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName.toLowerCase();
    if (tag === 'script' && el.getAttribute('src') !== '/static/app.js') found.push('script ' + show(el));
    const staticImage = tag === 'img' && (el.getAttribute('src') || '').startsWith('/static/');
    if (rules.forbidden.includes(tag) || (tag === 'img' && !staticImage)) found.push('element ' + show(el));
    if (tag === 'link' && el.rel === 'stylesheet' && el.getAttribute('href') !== '/static/app.css') {
      found.push('stylesheet ' + show(el));
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')) found.push('meta ' + show(el));
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if (name.startsWith('on') || ['style', 'srcdoc', 'formaction'].includes(name)) {
        found.push(`attribute ${name} in ` + show(el));
      }
      if (name === 'autofocus' && el.id !== 'q') found.push('autofocus in ' + show(el));
      const icon = tag === 'link' && el.getAttribute('rel') === 'icon' && value === 'data:,';
      if (rules.urlAttributes.includes(name) && dangerous.test(value.replace(invisible, '')) && !icon) {
        found.push(`${name} URL in ` + show(el));
      }
      if (name === 'id') ids.set(value, (ids.get(value) || 0) + 1);
      if (name === 'id' && rules.ids.includes(value.toLowerCase())) found.push('id in ' + show(el));
      if (name === 'name' && rules.names.includes(value.toLowerCase())) found.push('name in ' + show(el));
    }
  }
  for (const [id, count] of ids) if (count > 1) found.push(`id ${id} used ${count} times`);
  if (window.__pwned) found.push(`a payload ran ${window.__pwned} times`);
  if (typeof window.__xss !== 'function') found.push('window.__xss was clobbered');
  if (typeof document.getElementById !== 'function') found.push('document.getElementById was clobbered');
  return found;
}
"""
DOM_RULES = {
    "urlAttributes": sorted(URL_ATTRIBUTES),
    "forbidden": sorted(FORBIDDEN_ELEMENTS),
    "ids": sorted(FORBIDDEN_IDS),
    "names": sorted(FORBIDDEN_NAMES),
}
# Links as the browser resolves them (SVG links too, whose .href is no string: hence the attribute).
LINKS = """() => [...document.querySelectorAll('a[href]:not([data-count="0"])')]
  .map(a => { const url = new URL(a.getAttribute('href'), location.href); url.hash = ''; return url.href; })
  .filter(href => href.startsWith(location.origin + '/')).map(href => href.slice(location.origin.length))"""
HIT_TITLES = """() => [...document.querySelectorAll('ol#results > li.hit a.hit-title')]
  .map(a => [new URL(a.getAttribute('href'), location.href).href.slice(location.origin.length), a.textContent])"""


@pytest.fixture(scope="module")
def served_hostile(hostile: HostileIndex, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(hostile.location, tmp_path_factory.mktemp("serve-hostile") / "serve.log") as server:
        yield server.base


def visit(tab: Tab, href: str) -> tuple[list[str], list[str]]:
    """Load ``href``; the DOM problems found there, and its same-origin links."""
    response = tab.page.goto(tab.base + href, wait_until="load")
    assert response is not None and response.status in (200, 400, 404), (href, response and response.status)
    problems = [f"{href}: {problem}" for problem in tab.page.evaluate(DOM_CHECK, DOM_RULES)]
    tab.watch.check(f"on {href}")
    links: list[str] = tab.page.evaluate(LINKS)
    return problems, links


def test_the_dom_check_finds_live_markup(browser: Browser, served_hostile: str) -> None:
    """What the Chromium tour relies on works: a payload that runs is caught, and so are injected
    elements and attributes that did not run."""
    with tabs(browser, served_hostile) as open_tab:
        tab = open_tab(bypass_csp=True)
        tab.page.add_init_script(TRAP)
        tab.page.goto(served_hostile + "/static/app.css")  # any page of the origin, to set content on
        tab.page.set_content("".join(LIVE_SNIPPETS) + '<p onmouseover="__xss()">x</p><img src=x onerror="alert(1)">')
        found = tab.page.evaluate(DOM_CHECK, DOM_RULES)
        for rule in ("script", "element <img", "attribute onmouseover", "URL in", "attribute style", "autofocus in",
                     "id in", "name in", "meta", "stylesheet", "id dup used 2 times", "a payload ran"):  # fmt: skip
            assert any(rule in problem for problem in found), (rule, found)
        with pytest.raises(AssertionError, match="dialog"):
            tab.watch.check()


@pytest.mark.slow
def test_chromium_runs_no_payload(browser: Browser, served_hostile: str, hostile: HostileIndex) -> None:
    titles = {folded(article.title) for article in hostile.articles.values()}
    with tabs(browser, served_hostile) as open_tab:
        # The CSP would stop an injected inline script; off, so that one the page let through runs.
        tab = open_tab(bypass_csp=True)
        tab.watch.expected_statuses.update({400, 404})
        tab.page.add_init_script(TRAP)
        problems: list[str] = []
        hit_titles: dict[str, str] = {}

        def fetch(href: str) -> tuple[None, list[str]]:
            found, links = visit(tab, href)
            problems.extend(found)
            if urlsplit(href).path == "/":
                hit_titles.update(dict(tab.page.evaluate(HIT_TITLES)))
            path = urlsplit(href).path
            if path.startswith("/articles/") and not path.endswith("/similar") and tab.page.locator("article#article h1").count():
                shown = folded(tab.page.locator("article#article h1").inner_text())
                assert shown in titles, (href, shown)
                if href in hit_titles:
                    assert shown == folded(hit_titles[href]), f"{href}: the hit's link opens another article"
            return None, links

        visited = [href for href, _ in crawl(fetch, EXPLORE, SEED_PAGES + REFLECTED)]
        assert not problems, "\n".join(problems[:50])
        assert viewed_ids(visited) >= {article.id for article in hostile.articles.values()}
        assert any(href.startswith("/groups/") for href in visited)
        assert len(hit_titles) >= len(CARRIED) - 2  # collapsed copies aside, every story is a hit somewhere


def test_chromium_with_the_csp_on_reports_nothing(browser: Browser, served_hostile: str) -> None:
    """With the CSP in force (as served), the hostile pages cause no violation report, no error."""
    with tabs(browser, served_hostile) as open_tab:
        tab = open_tab()
        tab.page.add_init_script(TRAP)
        _, links = visit(tab, f"/?q={QUERY}&mode=keyword&all_copies=1&limit=100")
        articles = sorted({href for href in links if href.startswith("/articles/") and not href.endswith("/similar")})
        groups = sorted({href for href in links if href.startswith("/groups/")})
        assert len(articles) >= len(CARRIED) and groups
        for href in [*articles[:8], groups[0], articles[0] + "/similar"]:
            problems, _ = visit(tab, href)
            assert not problems, problems
