"""The search page in a real browser: headless Chromium against the real ``news-search serve`` over the
sample index, doing what a reader does (type a query, follow a facet, a timeline bar, the next page, an
article, "similar"), with every console error, uncaught exception and failed load failing the test.

The screenshot of the results for "Lavrov Pyongyang" (desktop) is written to the test's tmp folder, and
to ``$NEWS_SEARCH_SCREENSHOT`` when that is set (the README's picture).
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

from tests.conftest import expected_samples
from tests.http.browser import DESKTOP, PHONE, Tab, TabFactory, screenshot_to, tabs
from tests.http.serving import get_json

if TYPE_CHECKING:
    from playwright.sync_api import Browser

QUERY = "Lavrov Pyongyang"
BROAD_QUERY = "korea"  # more results than one page holds
# The sample's seed story, which "Lavrov Pyongyang" must find first (as in the README).
SEED_PATH = "wartanusantara/2023-10-18-lavrov-tiba-di-pyongyang.html"


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    """The seed story as samples/expected.jsonl describes it (title, site, date, author, url, a sentence)."""
    story: dict[str, Any] = next(entry for entry in expected_samples() if entry["path"] == SEED_PATH)
    return story


@pytest.fixture(scope="module")
def seed_id(served_sample: str, seed: dict[str, Any]) -> str:
    status, article = get_json(f"{served_sample}/api/articles/{seed['url']}")
    assert status == 200, article
    article_id: str = article["id"]
    return article_id


def api_search(base: str, **params: Any) -> dict[str, Any]:
    status, body = get_json(f"{base}/api/search?{urlencode(params, doseq=True)}")
    assert status == 200, body
    found: dict[str, Any] = body
    return found


def query_of(tab: Tab) -> dict[str, list[str]]:
    return parse_qs(urlsplit(tab.page.url).query)


def total_of(tab: Tab) -> int:
    return int(tab.page.locator("#total").inner_text().replace(",", "").strip())


HREFS = "els => els.map(e => e.getAttribute('href'))"


def hit_hrefs(tab: Tab, selector: str = "ol#results > li.hit a.hit-title") -> list[str]:
    return [str(href) for href in tab.page.locator(selector).evaluate_all(HREFS)]


def follow(tab: Tab, selector: str) -> None:
    """Click the first element that ``selector`` finds and wait for the page it leads to."""
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator(selector).first.click()
    tab.watch.check(f"after following {selector}")


def search_from_the_form(tab: Tab, query: str) -> None:
    tab.goto("/")
    tab.page.locator("#q").fill(query)
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator("#q").press("Enter")
    tab.watch.check("after submitting the search")


def bounds(since: str, until: str) -> tuple[date, date]:
    """The days a since/until pair covers (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, until inclusive)."""

    def first(value: str) -> date:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])

    def last(value: str) -> date:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return date(parts[0], 12, 31)
        if len(parts) == 2:
            return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
        return date(parts[0], parts[1], parts[2])

    return first(since), last(until)


def hit_dates(tab: Tab) -> list[date]:
    texts = tab.page.locator("ol#results > li.hit time.hit-date").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    return [date.fromisoformat(str(text)) for text in texts]


def test_the_search_finds_the_seed_story_first(
    sample_tabs: TabFactory, served_sample: str, seed: dict[str, Any], seed_id: str, tmp_path: Path
) -> None:
    tab = sample_tabs(viewport=DESKTOP)
    search_from_the_form(tab, QUERY)
    assert query_of(tab)["q"] == [QUERY]
    expected = api_search(served_sample, q=QUERY)
    assert total_of(tab) == expected["total"] >= 1
    hits = tab.page.locator("ol#results > li.hit")
    assert hits.count() == len(expected["hits"])
    first = hits.first
    assert first.locator("a.hit-title").get_attribute("href") == f"/articles/{seed_id}"
    assert first.locator("a.hit-title").inner_text().strip() == seed["title"]
    assert first.locator(".hit-site").inner_text().strip() == seed["site"]
    assert first.locator(".hit-date").inner_text().strip() == seed["published"]
    assert first.locator(".hit-author").inner_text().strip() == seed["author"]
    assert first.locator("a.hit-original").get_attribute("href") == seed["url"]
    marked = [text.lower() for text in first.locator(".snippet mark").all_inner_texts()]
    assert marked and all(text in ("lavrov", "pyongyang") for text in marked), marked
    shot = screenshot_to(tab.page, tmp_path, "results-lavrov-pyongyang.png")
    assert shot.stat().st_size > 10_000


def test_a_facet_narrows_the_results(sample_tabs: TabFactory, served_sample: str) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={quote(QUERY)}")
    before = total_of(tab)
    facets = tab.page.locator("section#facets a.facet[data-facet=site]")
    assert facets.count() >= 2
    facet = facets.first
    value = str(facet.get_attribute("data-value"))
    count = int(facet.locator(".count").inner_text())
    assert 1 <= count < before
    with tab.page.expect_navigation(wait_until="load"):
        facet.click()
    tab.watch.check("after following a facet")
    assert query_of(tab)["site"] == [value]
    assert query_of(tab)["q"] == [QUERY]
    after = total_of(tab)
    assert 1 <= after < before
    assert after == api_search(served_sample, q=QUERY, site=value)["total"]
    sites = tab.page.locator("ol#results > li.hit .hit-site").all_inner_texts()
    assert len(sites) == min(after, 10) and all(value.lower() in site.lower() for site in sites), (value, sites)


def test_a_month_facet_narrows_to_its_month(sample_tabs: TabFactory) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={quote(QUERY)}")
    facet = tab.page.locator("section#facets a.facet[data-facet=month]").first
    month = str(facet.get_attribute("data-value"))
    with tab.page.expect_navigation(wait_until="load"):
        facet.click()
    tab.watch.check("after following a month facet")
    params = query_of(tab)
    start, end = bounds(params["since"][0], params["until"][0])
    assert (start, end) == bounds(month, month)
    dates = hit_dates(tab)
    assert dates and all(start <= day <= end for day in dates), (month, dates)


def test_a_timeline_bar_narrows_to_its_period(sample_tabs: TabFactory, seed: dict[str, Any], seed_id: str) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={quote(QUERY)}&interval=month")
    bars = tab.page.locator("section#timeline a.bar")
    periods = [str(p) for p in bars.evaluate_all("els => els.map(e => e.getAttribute('data-period'))")]
    assert len(periods) >= 2 and periods == sorted(periods), periods
    assert tab.page.locator("section#timeline svg rect").count() >= len(periods)
    assert tab.page.locator("[style]").count() == 0, "the CSP forbids inline styles: geometry is in attributes"
    month = seed["published"][:7]
    bar = tab.page.locator(f'section#timeline a.bar[data-period="{month}"]')
    assert int(str(bar.get_attribute("data-count"))) >= 1
    with tab.page.expect_navigation(wait_until="load"):
        bar.click()
    tab.watch.check("after following a timeline bar")
    params = query_of(tab)
    assert params["q"] == [QUERY]
    start, end = bounds(params["since"][0], params["until"][0])
    assert (start, end) == bounds(month, month)
    dates = hit_dates(tab)
    assert dates and all(start <= day <= end for day in dates), (month, dates)
    assert f"/articles/{seed_id}" in hit_hrefs(tab)


def test_the_next_page_has_other_results_and_the_same_total(sample_tabs: TabFactory) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={BROAD_QUERY}")
    total = total_of(tab)
    first_page = hit_hrefs(tab)
    assert total > len(first_page) == 10
    assert tab.page.locator("nav.pages a[rel=prev]").count() == 0
    follow(tab, "nav.pages a[rel=next]")
    assert query_of(tab)["page"] == ["2"]
    second_page = hit_hrefs(tab)
    assert second_page and not set(second_page) & set(first_page)
    assert total_of(tab) == total
    assert len(first_page) + len(second_page) == min(total, 20)
    follow(tab, "nav.pages a[rel=prev]")
    assert hit_hrefs(tab) == first_page


def test_an_article_shows_its_text_and_provenance(sample_tabs: TabFactory, seed: dict[str, Any], seed_id: str) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={quote(QUERY)}")
    follow(tab, "ol#results > li.hit a.hit-title")
    assert urlsplit(tab.page.url).path == f"/articles/{seed_id}"
    article = tab.page.locator("article#article")
    assert article.locator("h1").inner_text().strip() == seed["title"]
    assert seed["must_contain"] in " ".join(article.locator(".article-text").inner_text().split())
    provenance = article.locator("dl.provenance")
    shown = provenance.inner_text()
    assert Path(SEED_PATH).name in shown
    assert seed["published"] in shown
    assert provenance.locator(f'a[href="{seed["url"]}"]').count() == 1
    assert article.locator("section#near-duplicates").count() == 1
    assert article.locator("section#similar li.hit").count() >= 1


def test_similar_lists_other_articles(sample_tabs: TabFactory, served_sample: str, seed_id: str) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={quote(QUERY)}")
    follow(tab, "ol#results > li.hit a.hit-similar")
    assert urlsplit(tab.page.url).path == f"/articles/{seed_id}/similar"
    hrefs = hit_hrefs(tab, "li.hit a.hit-title")
    assert hrefs, "similar articles are listed"
    status, group = get_json(f"{served_sample}/api/groups/{seed_id}")
    assert status == 200
    copies = {f"/articles/{member['id']}" for member in group["articles"]}
    assert f"/articles/{seed_id}" in copies
    assert not copies & set(hrefs), "neither the article nor its copies are 'similar'"


def test_slash_focuses_the_search_box(sample_tabs: TabFactory) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={quote(QUERY)}")
    tab.page.evaluate("document.activeElement && document.activeElement.blur()")
    assert tab.page.evaluate("document.activeElement === document.body")
    tab.page.keyboard.press("/")
    assert tab.page.evaluate("document.activeElement.id") == "q"
    assert tab.page.locator("#q").input_value() == QUERY, "the key is not typed into the box"
    # Typing in another field, "/" is just a character.
    tab.page.locator("#since").click()
    tab.page.keyboard.type("2023/")
    assert tab.page.evaluate("document.activeElement.id") == "since"
    assert tab.page.locator("#since").input_value() == "2023/"


def test_a_phone_has_no_horizontal_scroll(sample_tabs: TabFactory, seed_id: str) -> None:
    tab = sample_tabs(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    for path in ("/", f"/?q={quote(QUERY)}", f"/articles/{seed_id}", f"/articles/{seed_id}/similar"):
        tab.goto(path)
        widths = tab.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[1] == PHONE["width"] and widths[0] <= widths[1], (path, widths)


def test_the_search_works_without_javascript(browser: Browser, served_sample: str, seed_id: str) -> None:
    with tabs(browser, served_sample) as open_tab:
        tab = open_tab(java_script_enabled=False)
        search_from_the_form(tab, QUERY)
        assert hit_hrefs(tab)[0] == f"/articles/{seed_id}"


def test_the_export_links_carry_the_query_and_filters(sample_tabs: TabFactory) -> None:
    tab = sample_tabs()
    tab.goto(f"/?q={quote(QUERY)}&lang=id&since=2023")
    total = total_of(tab)
    for link, format in (("a#export-csv", "csv"), ("a#export-jsonl", "jsonl")):
        href = str(tab.page.locator(link).get_attribute("href"))
        assert urlsplit(href).path == "/api/export"
        params = parse_qs(urlsplit(href).query)
        assert params["format"] == [format] and params["q"] == [QUERY]
        assert params["lang"] == ["id"] and params["since"] == ["2023"]
        response = tab.page.request.get(tab.base + href)
        assert response.status == 200, response.text()
        body = response.text()
        if format == "csv":
            rows = len(list(csv.reader(io.StringIO(body)))) - 1  # the header line
        else:
            rows = sum(1 for line in body.splitlines() if line.strip())
        assert rows == total, (format, rows, total)


def test_an_error_is_a_page_with_its_message(sample_tabs: TabFactory) -> None:
    tab = sample_tabs()
    tab.goto("/?q=%22unclosed", status=400)
    text = tab.page.locator("main").inner_text()
    assert "Traceback" not in text and re.search(r"quot|phrase|unclosed", text, re.IGNORECASE), text
    assert tab.page.locator("#q").input_value() == '"unclosed', "the query comes back, to fix it"
