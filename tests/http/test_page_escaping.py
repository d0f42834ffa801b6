"""Everything a page shows comes from archived pages: titles, text, names, languages, URLs, ids and
source paths full of markup must render as text, and a URL that is not http(s) must never become a
link. A small index of such articles (one syndicated story, so the group view and its diffs are
exercised too) is built with the real indexer; every page is parsed and checked for anything live."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from index.article import Article
from index.ingest.indexer import Indexer
from search.http.app import create_app
from tests.conftest import HARBOUR
from tests.http.test_pages import has_class, page_of

TITLE = '<script>alert("title")</script> Harbour terminal & "quotes"'
AUTHOR = '<b onmouseover="alert(1)">Evil</b>'
SITE = '"><svg onload=alert(1)>'
LANG = 'en" onmouseover="alert(1)'
SOURCE = '/archive/<img src=x onerror=alert("source")>.html'
EXTRA_TEXT = '<img src=x onerror=alert(1)> <mark>not a highlight</mark> </p><iframe src="javascript:alert(2)">'
HOSTILE_ID = '"><script>alert("id")</script>'
# URLs a page must show as text, never as a link (browsers strip the whitespace and controls).
NOT_LINKS = ("javascript:alert(1)", " JaVaScRiPt:alert(2)", "java\tscript:alert(3)", "data:text/html,<script>alert(4)</script>",
             "vbscript:msgbox(5)", "//evil.example/x", "\x01javascript:alert(6)")  # fmt: skip
WEB_URL = 'https://ok.example/a"onmouseover="alert(7)'
# Every tag the templates write; anything else on a page was injected.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "main", "footer", "p", "h1", "h2",
    "h3", "form", "div", "label", "input", "select", "option", "button", "fieldset", "legend", "kbd", "code", "section",
    "ul", "ol", "li", "span", "time", "mark", "svg", "rect", "strong", "article", "dl", "dt", "dd", "ins", "del",
}  # fmt: skip
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def hostile_articles() -> list[Article]:
    urls: list[str | None] = [*NOT_LINKS, WEB_URL, None]
    articles = []
    for number, url in enumerate(urls):
        text = HARBOUR + "\n\n" + EXTRA_TEXT + f"\n\nCopy {number} <script>alert({number})</script>."
        articles.append(
            Article(
                id=HOSTILE_ID if url is None else f"hostile-{number}", title=TITLE, text=text, url=url,
                published=f"2024-01-{10 + number:02d}", author=AUTHOR, site=SITE, lang=LANG, source=SOURCE,
            )
        )  # fmt: skip
    return articles


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from index.embed.hashing import HashingEncoder

    location = tmp_path_factory.mktemp("hostile") / "index"
    with Indexer(location, encoder=HashingEncoder(256)) as indexer:
        report = indexer.add_articles(hostile_articles())
    assert report.added == len(hostile_articles()), report
    with TestClient(create_app(location)) as client:
        yield client


def check_inert(root: Any) -> None:
    """No injected element or attribute, and no link that is not the app's own or a web URL."""
    tags = {element.tag for element in root.iter() if isinstance(element.tag, str)}
    assert tags <= TEMPLATE_TAGS, tags - TEMPLATE_TAGS
    assert root.xpath("//script/@src") == ["/static/app.js"] and not [s for s in root.xpath("//script") if s.text]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and name.lower() not in ("style", "srcdoc", "formaction"), (name, value)
            icon = element.tag == "link" and element.get("rel") == "icon" and value == "data:,"  # no favicon request
            if name in ("href", "src", "action", "xlink:href") and not icon:
                assert_safe_link(value)
    assert not root.xpath("//svg[not(ancestor::section[@id='timeline'])]"), "the only SVG is the chart"


def assert_safe_link(value: str) -> None:
    # As a browser reads it: leading/trailing controls and spaces dropped, tabs and newlines removed.
    seen = re.sub(r"[\t\n\r]", "", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10 ")).lower()
    scheme = _SCHEME.match(seen)
    if scheme is None:
        assert (seen.startswith("/") and not seen.startswith("//")) or seen.startswith("#"), value
    else:
        assert scheme[1] in ("http", "https"), value


def pages_of(client: TestClient) -> Iterator[tuple[str, Any]]:
    search = page_of(client.get("/", params={"q": "harbour terminal", "all_copies": "1"}))
    yield "search", search
    yield "collapsed", page_of(client.get("/", params={"q": "harbour terminal"}))
    for href in search.xpath(f"//a[{has_class('hit-title')}]/@href"):
        yield href, page_of(client.get(href))
    for href in set(
        search.xpath(f"//a[{has_class('hit-group')}]/@href") + search.xpath(f"//a[{has_class('hit-similar')}]/@href")
    ):
        yield href, page_of(client.get(href))
    for params in ({"site": "svg onload"}, {"author": "Evil</b>"}, {"q": TITLE}, {"q": "harbour", "site": SITE}):
        yield str(params), page_of(client.get("/", params=params))


def test_every_page_of_a_hostile_archive_is_inert(hostile: TestClient) -> None:
    visited = 0
    for name, root in pages_of(hostile):
        try:
            check_inert(root)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None
        visited += 1
    assert visited >= 2 + len(hostile_articles()) + 2


def test_hostile_fields_show_as_text(hostile: TestClient) -> None:
    search = page_of(hostile.get("/", params={"q": "harbour terminal", "all_copies": "1"}))
    results = search.xpath(f"//ol[@id='results']/li[{has_class('hit')}]")
    assert len(results) == len(hostile_articles())
    for hit in results:
        assert hit.xpath(f".//a[{has_class('hit-title')}]")[0].text_content() == TITLE
        assert hit.xpath(f".//*[{has_class('hit-site')}]")[0].text_content() == SITE
        assert hit.xpath(f".//*[{has_class('hit-author')}]")[0].text_content() == AUTHOR
        assert not hit.xpath(".//*[@lang]"), "a language that is no language tag is left off"
        snippet = hit.xpath(f".//p[{has_class('snippet')}]")[0]
        assert all(mark.text_content().lower() in ("harbour", "terminal") for mark in snippet.xpath("./mark"))
    # The facets carry the hostile site name as data, escaped, and narrow by it.
    facet = search.xpath(f"//a[{has_class('facet')}][@data-facet='site']")[0]
    assert facet.get("data-value") == SITE
    narrowed = page_of(hostile.get(facet.get("href")))
    assert narrowed.xpath("//input[@id='site']/@value") == [SITE]


def test_only_web_urls_become_links(hostile: TestClient) -> None:
    search = page_of(hostile.get("/", params={"q": "harbour terminal", "all_copies": "1"}))
    originals = search.xpath(f"//a[{has_class('hit-original')}]/@href")
    assert originals == [WEB_URL]
    shown_as_text = [span.text_content() for span in search.xpath("//span[@class='hit-url-text']")]
    assert sorted(shown_as_text) == sorted(NOT_LINKS)
    for number, url in enumerate(NOT_LINKS):
        article = page_of(hostile.get(f"/articles/hostile-{number}"))
        original = article.xpath("//dl[@class='provenance']/dd")[1]
        assert not original.xpath(".//a") and original.xpath(".//span")[0].text_content() == url
    group = page_of(hostile.get("/groups/hostile-0"))
    assert group.xpath("//ol[@id='copies']//p[@class='copy-url']/a/@href") == [WEB_URL]


def test_a_hostile_id_and_source_round_trip(hostile: TestClient) -> None:
    href = f"/articles/{quote(HOSTILE_ID, safe='')}"
    search = page_of(hostile.get("/", params={"q": "harbour terminal", "all_copies": "1"}))
    assert href in search.xpath(f"//a[{has_class('hit-title')}]/@href")
    article = page_of(hostile.get(href))
    provenance = article.xpath("//dl[@class='provenance']")[0]
    assert provenance.xpath(".//code")[0].text_content() == SOURCE
    assert HOSTILE_ID in [code.text_content() for code in provenance.xpath(".//code")]
    assert article.xpath("//div[@class='article-text']/p")[-1].text_content().startswith("Copy 8 <script>")


def test_diffs_of_hostile_copies_are_text(hostile: TestClient) -> None:
    group = page_of(hostile.get("/groups/hostile-0"))
    copies = group.xpath("//ol[@id='copies']/li")
    assert len(copies) == len(hostile_articles())
    added = [ins.text_content() for copy in copies[1:] for ins in copy.xpath(".//*[@class='copy-diff']//ins")]
    dropped = [d.text_content() for copy in copies[1:] for d in copy.xpath(".//*[@class='copy-diff']//del")]
    assert added == [f"{n} <script>alert({n})</script>." for n in range(1, len(copies))], added
    assert dropped == ["0 <script>alert(0)</script>."] * (len(copies) - 1), dropped
    context = EXTRA_TEXT.split()[-1]  # the unchanged words just before each change, shown as text
    assert all(context in copy.xpath(".//*[@class='copy-diff']")[0].text_content() for copy in copies[1:])


def test_the_raw_html_has_no_live_payload(hostile: TestClient) -> None:
    # Independent of the parser: the payloads' own characters never reach the page unescaped.
    for url in ("/?q=harbour+terminal&all_copies=1", "/articles/hostile-1", "/groups/hostile-1"):
        html = hostile.get(url).text
        for payload in ("<script>alert", "<img src=x", "<svg onload", "<b onmouseover", "<iframe", '"onmouseover="'):
            assert payload not in html, (url, payload)
