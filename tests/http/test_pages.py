"""The server-rendered pages of ``news-search serve`` on the sample archive (and small indexes the tests
build): the search page with its facets, timeline, pagination and export links, the article,
similar and group views, error pages with their statuses, and the security headers of every
response. Pages are read as HTML (lxml) through the element hooks the browser tests use too."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import lxml.html  # type: ignore[import-untyped]  # no stubs in the dev set
import pytest
from fastapi.testclient import TestClient

from index.article import make_article_id
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from search.http.app import create_app
from search.http.limits import MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS
from search.http.security import CONTENT_SECURITY_POLICY
from tests.conftest import HARBOUR, expected_samples

QUERY = "Lavrov Pyongyang"
SEED_PATH = "wartanusantara/2023-10-18-lavrov-tiba-di-pyongyang.html"  # the seed story of the sample archive

Element = Any  # lxml.html.HtmlElement, untyped


def seed() -> dict[str, Any]:
    row = next(row for row in expected_samples() if row["path"] == SEED_PATH)
    return row


def seed_id() -> str:
    return make_article_id(seed()["url"], "", "")


@pytest.fixture(scope="module")
def client(sample_index: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sample_index)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def news(sample_index: Path) -> Iterator[NewsSearch]:
    with NewsSearch(sample_index) as ns:
        yield ns


def has_class(name: str) -> str:
    """An XPath predicate: the element's class list holds ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def page_of(response: Any, status: int = 200) -> Element:
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    root: Element = lxml.html.fromstring(response.text)
    return root


def get_page(client: TestClient, url: str, status: int = 200, **params: Any) -> Element:
    return page_of(client.get(url, params=params or None), status)


def hits(root: Element) -> list[Element]:
    found: list[Element] = root.xpath(f"//ol[@id='results']/li[{has_class('hit')}]")
    return found


def total(root: Element) -> int:
    return int(root.get_element_by_id("total").text_content().strip())


def hit_ids(root: Element) -> list[str]:
    return [h.xpath(f".//a[{has_class('hit-title')}]/@href")[0].removeprefix("/articles/") for h in hits(root)]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def text_of(root: Element, xpath: str) -> str:
    return " ".join(e.text_content() for e in root.xpath(xpath)).strip()


# -- the search page -----------------------------------------------------------------------------


def test_the_seed_story_comes_first_with_every_part_of_a_hit(client: TestClient) -> None:
    root = get_page(client, "/", q=QUERY)
    api = client.get("/api/search", params={"q": QUERY, "facets": "true"}).json()
    assert total(root) == api["total"] >= 1
    first = hits(root)[0]
    assert first.xpath(f".//a[{has_class('hit-title')}]/@href") == [f"/articles/{seed_id()}"]
    assert first.xpath(f".//a[{has_class('hit-title')}]")[0].text_content() == seed()["title"]
    assert text_of(first, f".//*[{has_class('hit-site')}]") == seed()["site"]
    assert text_of(first, f".//*[{has_class('hit-date')}]") == seed()["published"]
    assert text_of(first, f".//*[{has_class('hit-author')}]") == seed()["author"]
    marks = [m.text_content().lower() for m in first.xpath(f".//p[{has_class('snippet')}]/mark")]
    assert marks and set(marks) <= {"lavrov", "pyongyang"}, marks
    assert first.xpath(f".//a[{has_class('hit-similar')}]/@href") == [f"/articles/{seed_id()}/similar"]
    assert first.xpath(f".//a[{has_class('hit-original')}]/@href") == [seed()["url"]]
    assert not first.xpath(f".//a[{has_class('hit-group')}]"), "the seed story has no copies in the sample archive"
    assert [h["id"] for h in api["hits"]] == hit_ids(root)


def test_the_form_holds_every_choice_and_every_link_keeps_it(client: TestClient) -> None:
    params: dict[str, Any] = {"q": "korea", "mode": "keyword", "since": "2023", "until": "2024-06", "site": ["asia", "meridian"],
              "lang": "en", "sort": "date", "all_copies": "1", "limit": "4"}  # fmt: skip
    root = get_page(client, "/", **params)
    form = root.get_element_by_id("search")
    assert form.get("method").lower() == "get" and form.get("action") == "/"
    assert root.get_element_by_id("q").get("value") == "korea"
    assert root.xpath("//select[@id='mode']/option[@selected]/@value") == ["keyword"]
    assert root.xpath("//select[@id='sort']/option[@selected]/@value") == ["date"]
    assert root.get_element_by_id("since").get("value") == "2023"
    assert root.get_element_by_id("until").get("value") == "2024-06"
    assert root.xpath("//input[@name='site']/@value") == ["asia", "meridian"]
    assert root.xpath("//input[@name='lang']/@value") == ["en"]
    assert root.xpath("//input[@id='all_copies']/@checked") != []
    assert root.xpath("//input[@type='hidden'][@name='limit']/@value") == ["4"]
    expected = client.get(
        "/api/search", params={**params, "all_copies": "true", "facets": "true"} | {"limit": 4}
    ).json()  # fmt: skip
    assert total(root) == expected["total"] and hit_ids(root) == [h["id"] for h in expected["hits"]]
    links = root.xpath(f"//a[{has_class('facet')}]/@href") + root.xpath("//nav[@class='pages']//a/@href")
    assert links
    for href in links:
        kept = query_of(href)
        assert kept["q"] == ["korea"] and kept["mode"] == ["keyword"] and kept["sort"] == ["date"], href
        assert kept["all_copies"] == ["1"] and kept["limit"] == ["4"], href


@pytest.mark.parametrize("facet", ["site", "lang", "month"])
def test_following_a_facet_narrows_to_its_count(client: TestClient, facet: str) -> None:
    # Keyword mode returns every matching article, so a facet's count is exactly the narrowed total.
    root = get_page(client, "/", q="korea", mode="keyword")
    links = root.xpath(f"//section[@id='facets']//a[{has_class('facet')}][@data-facet='{facet}']")
    assert len(links) >= 2, f"the sample archive has several {facet} values for 'korea'"
    for link in links:
        count = int(link.xpath(".//*[@class='count']")[0].text_content())
        value = link.get("data-value")
        narrowed_query = query_of(link.get("href"))
        if facet == "month":
            assert narrowed_query["since"] == [value] and narrowed_query["until"] == [value]
        else:
            assert narrowed_query[facet] == [value]
        narrowed = page_of(client.get(link.get("href")))
        assert total(narrowed) == count < total(root), (facet, value)
        active = narrowed.xpath(f"//a[{has_class('facet')}][@data-facet='{facet}'][@data-value=$v]", v=value)
        assert active and active[0].get("aria-current") == "true"


def test_an_active_filter_can_be_removed(client: TestClient) -> None:
    unfiltered = get_page(client, "/", q="korea", mode="keyword")
    root = get_page(client, "/", q="korea", mode="keyword", site="warta", lang="id")
    assert total(root) < total(unfiltered)
    removals = {
        a.get("aria-label").removeprefix("Remove filter "): a.get("href") for a in root.xpath("//a[@class='remove-filter']")
    }
    assert set(removals) == {"site: warta", "lang: id"}
    without_site = query_of(removals["site: warta"])
    assert "site" not in without_site and without_site["lang"] == ["id"]
    both_removed = page_of(client.get(query_of_removed(client, removals["site: warta"], "lang: id")))
    assert total(both_removed) == total(unfiltered)


def query_of_removed(client: TestClient, href: str, label: str) -> str:
    """Follow ``href``, then remove the filter ``label`` on the page it leads to."""
    root = page_of(client.get(href))
    return next(
        str(a.get("href")) for a in root.xpath("//a[@class='remove-filter']") if a.get("aria-label") == f"Remove filter {label}"
    )


def test_timeline_bars_are_links_narrowed_to_their_period(client: TestClient, news: NewsSearch) -> None:
    root = get_page(client, "/", q="korea", mode="keyword")
    timeline = news.timeline("korea", mode="keyword").to_dict()
    buckets = timeline["series"][0]["buckets"]
    bars = root.xpath("//section[@id='timeline']//svg//a[@class='bar' or starts-with(@class, 'bar ')]")
    assert [bar.get("data-period") for bar in bars] == [b["period"] for b in buckets] and len(bars) > 1
    for bar, bucket in zip(bars, buckets, strict=True):
        rect = bar.xpath("./rect")[0]
        assert all(float(rect.get(name)) >= 0 for name in ("x", "y", "width", "height"))
        assert rect.get("style") is None and bar.get("style") is None
        assert f": {bucket['count']} article" in bar.xpath("./title")[0].text_content()
        narrowed = query_of(bar.get("href"))
        assert narrowed["since"] == [bucket["start"]] and narrowed["until"] == [bucket["end"]]
        assert narrowed["q"] == ["korea"] and narrowed["mode"] == ["keyword"]
    busiest = max(zip(bars, buckets, strict=True), key=lambda pair: pair[1]["count"])
    followed = page_of(client.get(busiest[0].get("href")))
    assert total(followed) == busiest[1]["count"]
    # Heights follow the counts: the busiest period has the tallest bar.
    heights = [float(bar.xpath("./rect")[0].get("height")) for bar in bars]
    assert heights.index(max(heights)) == bars.index(busiest[0])


def test_the_interval_switch_and_bars_inside_a_date_range(client: TestClient) -> None:
    root = get_page(client, "/", q="korea", interval="week")
    periods = root.xpath("//section[@id='timeline']//a[@data-period]/@data-period")
    assert periods and all("-W" in period for period in periods)
    switch = {a.get("data-interval"): a for a in root.xpath("//section[@id='timeline']//a[@data-interval]")}
    assert set(switch) == {"day", "week", "month"} and switch["week"].get("aria-current") == "true"
    assert query_of(switch["month"].get("href"))["interval"] == ["month"]
    # A week that starts before the range asked for is cut to it.
    ranged = get_page(client, "/", q="korea", interval="week", since="2023-10-04", until="2023-10-20")
    for href in ranged.xpath("//section[@id='timeline']//a[@data-period]/@href"):
        narrowed = query_of(href)
        assert narrowed["since"][0] >= "2023-10-04" and narrowed["until"][0] <= "2023-10-20", href


def test_a_chart_too_wide_to_draw_says_so_and_offers_larger_bars(client: TestClient, news: NewsSearch) -> None:
    from search.http.views.search_page import MAX_BARS

    periods = len(news.timeline("the", mode="keyword", interval="day").to_dict()["periods"])
    assert periods > MAX_BARS, "the sample archive spans years"
    root = get_page(client, "/", q="the", mode="keyword", interval="day")
    timeline = root.xpath("//section[@id='timeline']")[0]
    assert not timeline.xpath(".//a[@data-period]") and "too many" in timeline.text_content()
    switch = {a.get("data-interval"): a.get("aria-current") for a in timeline.xpath(".//a[@data-interval]")}
    assert switch == {"day": "true", "week": None, "month": None}
    assert total(root) == total(get_page(client, "/", q="the", mode="keyword")) and hits(root)


def test_pages_are_disjoint_and_linked_both_ways(client: TestClient) -> None:
    root = get_page(client, "/", q="korea", mode="keyword", limit=3)
    whole = total(root)
    assert whole > 6, "enough results for three pages"
    seen: list[str] = []
    pages = 0
    href: str | None = "/?" + "q=korea&mode=keyword&limit=3"
    while href is not None:
        current = page_of(client.get(href))
        pages += 1
        assert total(current) == whole
        seen += hit_ids(current)
        nav = current.xpath("//nav[@class='pages']")[0]
        assert nav.xpath(".//a[@aria-current='page']")[0].text_content().strip() == str(pages)
        if pages > 1:
            previous = page_of(client.get(nav.xpath(".//a[@rel='prev']/@href")[0]))
            assert previous.xpath("//nav[@class='pages']//a[@aria-current='page']")[0].text_content().strip() == str(pages - 1)
        following = nav.xpath(".//a[@rel='next']/@href")
        href = following[0] if following else None
    assert len(seen) == len(set(seen)) == whole
    assert pages == -(-whole // 3)
    assert not get_page(client, "/", q="lavrov", limit=MAX_LIMIT).xpath("//nav[@class='pages']"), "one page: no pagination"


def test_export_links_carry_the_query_and_filters(client: TestClient) -> None:
    root = get_page(client, "/", q="korea", mode="keyword", lang="en", sort="date")
    for fmt in ("csv", "jsonl"):
        href = root.get_element_by_id(f"export-{fmt}").get("href")
        assert urlsplit(href).path == "/api/export"
        assert dict(parse_qsl(urlsplit(href).query)) == {
            "format": fmt,
            "q": "korea",
            "mode": "keyword",
            "lang": "en",
            "sort": "date",
        }
        response = client.get(href)
        assert response.status_code == 200, response.text
        rows = [line for line in response.text.splitlines() if line.strip()]
        assert len(rows) == total(root) + (1 if fmt == "csv" else 0)
    jsonl = client.get(root.get_element_by_id("export-jsonl").get("href")).text.splitlines()
    assert [json.loads(line)["id"] for line in jsonl][: len(hits(root))] == hit_ids(root)


def test_filters_without_a_query_browse_newest_first(client: TestClient) -> None:
    root = get_page(client, "/", site="warta")
    expected = client.get("/api/search", params={"q": "site:warta", "limit": 10}).json()
    assert total(root) == expected["total"] > 1
    assert hit_ids(root) == [h["id"] for h in expected["hits"]]
    dates = [text_of(h, f".//*[{has_class('hit-date')}]") for h in hits(root)]
    assert dates == sorted(dates, reverse=True)
    assert root.get_element_by_id("q").get("value") == ""
    assert "browsing" in text_of(root, "//p[@class='result-count']")
    exported = client.get(root.get_element_by_id("export-jsonl").get("href"))
    assert exported.status_code == 200 and len(exported.text.splitlines()) == total(root)


def test_the_page_before_a_search_says_what_the_index_holds(client: TestClient, news: NewsSearch) -> None:
    root = get_page(client, "/")
    assert not root.xpath("//ol[@id='results']")
    summary = text_of(root, "//section[@id='summary']")
    assert f"{news.stats()['articles']} articles" in summary
    languages = root.xpath("//section[@id='summary']//a/@href")
    assert sorted(languages) == sorted(f"/?lang={code}" for code in news.stats()["languages"])
    browsed = get_page(client, languages[0])
    assert total(browsed) == news.stats()["languages"][query_of(languages[0])["lang"][0]]


# -- article, similar and group views ------------------------------------------------------------


def test_the_article_view_has_text_metadata_provenance_and_neighbours(client: TestClient, news: NewsSearch) -> None:
    root = get_page(client, f"/articles/{seed_id()}")
    article = root.get_element_by_id("article")
    assert article.tag == "article"
    assert article.xpath(".//h1")[0].text_content() == seed()["title"]
    paragraphs = article.xpath(f".//div[{has_class('article-text')}]/p")
    stored = news.get(seed_id())
    assert [p.text_content() for p in paragraphs] == [line.strip() for line in stored.text.splitlines() if line.strip()]
    assert seed()["must_contain"] in text_of(article, f".//div[{has_class('article-text')}]")
    provenance = article.xpath(".//dl[@class='provenance']")[0]
    terms = dict(zip([dt.text_content() for dt in provenance.xpath("./dt")], provenance.xpath("./dd"), strict=True))
    assert terms["Read from"].text_content().startswith("file: ")
    assert terms["Read from"].xpath(".//code")[0].text_content() == stored.source
    assert stored.source and stored.source.endswith(SEED_PATH)
    assert terms["Original URL"].xpath(".//a/@href") == [seed()["url"]]
    assert terms["Published"].text_content() == seed()["published"]
    assert terms["Indexed"].text_content() == stored.indexed_at
    near = article.xpath(".//section[@id='near-duplicates']")[0]
    assert "No other outlet" in near.text_content()
    similar = article.xpath(f".//section[@id='similar']//li[{has_class('hit')}]")
    expected = news.similar_results(seed_id(), limit=5)
    assert [h.xpath(f".//a[{has_class('hit-title')}]/@href")[0] for h in similar] == [f"/articles/{h.id}" for h in expected]
    assert f"/articles/{seed_id()}" not in [h.xpath(f".//a[{has_class('hit-title')}]/@href")[0] for h in similar]


def test_an_article_by_its_url_and_by_a_jsonl_line(client: TestClient, news: NewsSearch) -> None:
    by_url = get_page(client, f"/articles/{seed()['url']}")
    assert by_url.xpath("//article[@id='article']//h1")[0].text_content() == seed()["title"]
    exported = next(
        a for a in (news.get(hit.id) for hit in news.search("a", limit=100, mode="keyword")) if a.source and ".jsonl:" in a.source
    )
    root = get_page(client, f"/articles/{exported.id}")
    read_from = root.xpath("//dl[@class='provenance']/dd")[0].text_content()
    line = exported.source.rsplit(":", 1)[1] if exported.source else ""
    assert read_from.startswith("JSONL line") and f"line {line}" in read_from


def test_provenance_of_a_warc_record(tmp_path: Path, make_index: Callable[..., Indexer]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from tests.conftest import write_page

    page = write_page(tmp_path / "page.html", "Harbour terminal to open in March", HARBOUR, url="https://ex.org/harbour")
    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = page.read_bytes()
        writer.write_record(
            writer.create_warc_record("https://ex.org/harbour", "response", payload=BytesIO(body), http_headers=headers)
        )
    with make_index() as indexer:
        indexer.add([warc])
    with TestClient(create_app(tmp_path / "index")) as local:
        hit_id = local.get("/api/search", params={"q": "harbour"}).json()["hits"][0]["id"]
        root = get_page(local, f"/articles/{hit_id}")
    read_from = root.xpath("//dl[@class='provenance']/dd")[0]
    assert read_from.text_content().startswith("WARC record")
    assert read_from.xpath(".//code")[0].text_content() == str(warc.resolve())
    assert "record at byte offset 0" in read_from.text_content()


@pytest.fixture
def syndicated(tmp_path: Path, make_index: Callable[..., Indexer]) -> Iterator[TestClient]:
    """A story first run by Harbour Times, then by Port News (new headline, a line added) and by Bay
    Daily (one word changed), in an index of its own."""
    copies = [
        {"title": "New terminal for the port", "text": HARBOUR + "\n\nFirst published by Harbour Times.",
         "url": "https://port-news.example/terminal", "published": "2024-01-16", "site": "Port News", "lang": "en"},
        {"title": "Harbour terminal to open in March", "text": HARBOUR.replace("two years", "three years"),
         "url": "https://bay-daily.example/terminal", "published": "2024-01-17", "site": "Bay Daily", "lang": "en"},
        {"title": "Harbour terminal to open in March", "text": HARBOUR, "url": "https://harbour-times.example/terminal",
         "published": "2024-01-15", "site": "Harbour Times", "lang": "en"},
    ]  # fmt: skip
    with make_index() as indexer:
        indexer.add_articles(copies)
    with TestClient(create_app(tmp_path / "index")) as local:
        yield local


def test_the_group_view_shows_each_copy_against_the_earliest(syndicated: TestClient) -> None:
    search = get_page(syndicated, "/", q="harbour terminal")
    assert len(hits(search)) == 1
    group_link = hits(search)[0].xpath(f".//a[{has_class('hit-group')}]")[0]
    assert group_link.text_content().strip() == "+2 near-identical"
    assert len(hits(get_page(syndicated, "/", q="harbour terminal", all_copies="1"))) == 3
    root = page_of(syndicated.get(group_link.get("href")))
    copies = root.xpath(f"//ol[@id='copies']/li[{has_class('copy')}]")
    assert [text_of(c, f".//*[{has_class('copy-site')}]") for c in copies] == ["Harbour Times", "Port News", "Bay Daily"]
    assert [text_of(c, f".//*[{has_class('copy-date')}]") for c in copies] == ["2024-01-15", "2024-01-16", "2024-01-17"]
    assert has_first(copies[0]) and not any(has_first(c) for c in copies[1:])
    assert "first to run it" in copies[0].text_content()
    assert "Harbour Times" in text_of(root, "//p[@class='first-run']")
    port, bay = copies[1], copies[2]
    assert [e.text_content() for e in port.xpath(f".//*[{has_class('copy-diff')}]//p[@class='diff-text']/ins")] == [
        "First published by Harbour Times."
    ]
    assert port.xpath(f".//*[{has_class('copy-diff')}]//p[@class='diff-title']/ins")  # the new headline
    assert [e.text_content() for e in bay.xpath(f".//*[{has_class('copy-diff')}]//del")] == ["two"]
    assert [e.text_content() for e in bay.xpath(f".//*[{has_class('copy-diff')}]//ins")] == ["three"]
    assert "1 word added, 1 word dropped" in text_of(bay, f".//*[{has_class('copy-diff')}]")
    titles = [c.xpath(f".//a[{has_class('copy-title')}]")[0] for c in copies]
    assert [t.text_content() for t in titles] == ["Harbour terminal to open in March", "New terminal for the port",
                                                  "Harbour terminal to open in March"]  # fmt: skip
    article = page_of(syndicated.get(titles[1].get("href")))
    near = article.xpath("//section[@id='near-duplicates']")[0]
    assert len(near.xpath(".//ol/li")) == 3 and near.xpath(".//a[@class='group-link']/@href")


def has_first(copy: Element) -> bool:
    return "first" in (copy.get("class") or "").split()


def test_the_similar_page_pages_like_the_api(client: TestClient) -> None:
    root = get_page(client, f"/articles/{seed_id()}/similar", limit=3)
    api = client.get(f"/api/articles/{seed_id()}/similar", params={"limit": 3}).json()
    assert total(root) == api["total"] and hit_ids(root) == [h["id"] for h in api["hits"]]
    assert seed()["title"] in root.xpath("//h1")[0].text_content()
    if api["total"] > 3:
        second = page_of(client.get(root.xpath("//nav[@class='pages']//a[@rel='next']/@href")[0]))
        page_two = client.get(f"/api/articles/{seed_id()}/similar", params={"limit": 3, "page": 2}).json()
        assert hit_ids(second) == [h["id"] for h in page_two["hits"]]


# -- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "status", "words"),
    [
        ("/", {"q": '"unclosed phrase'}, 400, "quote"),
        ("/", {"q": "x", "limit": MAX_LIMIT + 1}, 400, "limit"),
        ("/", {"q": "x", "limit": "ten"}, 400, "limit"),
        ("/", {"q": "x", "page": MAX_OFFSET, "limit": 10}, 400, "page"),
        ("/", {"q": "x" * (MAX_QUERY_CHARS + 1)}, 400, "q"),
        ("/", {"q": "x", "mode": "fuzzy"}, 400, "mode"),
        ("/", {"q": "x", "sort": "random"}, 400, "sort"),
        ("/", {"q": "x", "interval": "year"}, 400, "interval"),
        ("/", {"q": "x", "since": "yesterday"}, 400, "since"),
        ("/", {"q": "x", "until": "2023-02-30"}, 400, "no such day"),
        ("/", {"q": "x", "since": "2024", "until": "2023"}, 400, "empty"),
        ("/", {"q": "x", "site": [f"s{i}" for i in range(30)]}, 400, "site"),
        ("/", {"q": "x", "all_copies": "maybe"}, 400, "all_copies"),
        ("/articles/no-such-id", {}, 404, "no-such-id"),
        ("/articles/no-such-id/similar", {}, 404, "no-such-id"),
        ("/groups/no-such-id", {}, 404, "no-such-id"),
        ("/no/such/page", {}, 404, "no page"),
    ],
)
def test_errors_are_pages_with_the_right_status(
    client: TestClient, url: str, params: dict[str, Any], status: int, words: str
) -> None:
    root = get_page(client, url, status, **params)
    message = text_of(root, "//p[@class='error-message']")
    assert words in message and str(status) in message, message
    if url == "/":  # the form comes back, to fix the search
        assert root.get_element_by_id("q").get("value") == (
            params["q"] if len(params["q"]) <= MAX_QUERY_CHARS else "x" * MAX_QUERY_CHARS
        )


def test_the_api_keeps_its_json_errors(client: TestClient) -> None:
    for path in ("/api/nothing-here", "/api/articles/no-such-id"):
        response = client.get(path)
        assert response.status_code == 404 and response.headers["content-type"].startswith("application/json")
        assert set(response.json()) == {"error"}


def test_pages_are_503_until_the_index_is_there(tmp_path: Path, sample_index: Path) -> None:
    import shutil

    location = tmp_path / "later"
    with TestClient(create_app(location)) as local:
        for url in ("/", "/?q=x", f"/articles/{seed_id()}", f"/groups/{seed_id()}", f"/articles/{seed_id()}/similar"):
            root = get_page(local, url, 503)
            assert "index" in text_of(root, "//p[@class='error-message']").lower()
        shutil.copytree(sample_index, location)
        assert total(get_page(local, "/", q=QUERY)) >= 1


# -- headers, assets, markup rules -----------------------------------------------------------------


def test_every_response_carries_the_security_headers(
    client: TestClient, sample_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    responses = [client.get(path) for path in (
        "/", f"/?q={QUERY}", f"/articles/{seed_id()}", f"/articles/{seed_id()}/similar", f"/groups/{seed_id()}",
        "/?q=%22x", "/no/such/page", "/static/app.css", "/static/app.js", "/static/missing.css", "/api/search?q=korea",
        "/api/nothing", "/healthz", "/openapi.json",
    )] + [client.post("/api/search?q=x"), client.post("/")]  # fmt: skip

    def broken(self: NewsSearch, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(NewsSearch, "stats", broken)  # an unexpected failure: starlette's outermost 500
    with TestClient(create_app(sample_index), raise_server_exceptions=False) as failing:
        responses += [failing.get("/api/stats"), failing.get("/")]
    assert {r.status_code for r in responses} >= {200, 400, 404, 405, 500}
    for response in responses:
        assert response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, response.url
        assert response.headers.get("x-content-type-options") == "nosniff", response.url
        assert response.headers.get("referrer-policy") == "no-referrer", response.url


def test_static_assets_are_served(client: TestClient) -> None:
    css = client.get("/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ":focus-visible" in css.text
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"] and '"/"' in js.text


PAGES = ("/", f"/?q={QUERY}", "/?site=warta", f"/articles/{seed_id()}", f"/articles/{seed_id()}/similar",
         f"/groups/{seed_id()}", "/?q=%22x", "/no/such/page")  # fmt: skip


@pytest.mark.parametrize("url", PAGES)
def test_pages_follow_the_policy_and_are_accessible(client: TestClient, url: str) -> None:
    response = client.get(url)
    root = lxml.html.fromstring(response.text)
    assert root.get("lang") == "en"
    assert root.xpath("//meta[@name='viewport']/@content") == ["width=device-width, initial-scale=1"]
    for landmark in ("header", "main", "nav", "footer"):
        assert root.xpath(f"//{landmark}"), landmark
    assert len(root.xpath("//h1")) == 1
    # No inline script or style, no javascript: anywhere, assets from /static only.
    assert root.xpath("//script/@src") == ["/static/app.js"] and not [s for s in root.xpath("//script") if s.text]
    assert not root.xpath("//style") and not root.xpath("//*[@style]")
    assert root.xpath("//link[@rel='stylesheet']/@href") == ["/static/app.css"]
    assert "javascript:" not in response.text.lower()
    assert not [name for e in root.iter() if isinstance(e.tag, str) for name in e.attrib if name.startswith("on")]
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids)), "ids are unique"
    labelled = set(root.xpath("//label/@for"))
    for control in root.xpath("//input[not(@type='hidden')] | //select | //textarea"):
        assert control.get("id") in labelled, lxml.html.tostring(control)
