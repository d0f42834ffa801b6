"""The pages' view models on their own: the form's state and its URLs, safe links, marked snippets, copy
diffs, timeline geometry, facets, pagination and provenance."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from starlette.datastructures import QueryParams

from index.errors import QuerySyntaxError
from search.arguments import InvalidArgumentError
from search.http.views.diff import word_diff
from search.http.views.facets import active_filters, facet_lists
from search.http.views.form import Limits, SearchForm, parse_form
from search.http.views.links import article_path, group_path, similar_path, web_href
from search.http.views.pages import pagination
from search.http.views.provenance import provenance_of
from search.http.views.snippets import marked, paragraphs
from search.http.views.timeline import EMPTY_HEIGHT, HEIGHT, chart, narrowed

LIMITS = Limits(query_chars=50, limit=100, offset=10_000, filter_values=3)


def parsed(query: str) -> SearchForm:
    return parse_form(QueryParams(query), LIMITS)


def test_a_form_round_trips_through_its_url() -> None:
    form = SearchForm(
        q="banjir jakarta", mode="keyword", since="2020", until="2020-02", site=("warta", "suara pagi"), lang=("id",),
        author=("rahmat",), sort="date", page=3, limit=20, all_copies=True, interval="week",
    )  # fmt: skip
    url = form.url()
    assert urlsplit(url).path == "/"
    assert parsed(urlsplit(url).query) == form
    assert SearchForm().url() == "/" and SearchForm(q="x").url() == "/?q=x"


def test_blank_fields_of_a_submitted_form_are_left_out() -> None:
    form = parsed("q=+korea+&mode=&since=&until=&site=&lang=&author=&sort=&all_copies=&interval=&page=&limit=")
    assert form == SearchForm(q="korea")
    assert parsed("").empty and not parsed("site=x").empty and parsed("site=x").filtered


@pytest.mark.parametrize(
    ("query", "error", "words"),
    [
        ("q=" + "x" * 51, InvalidArgumentError, "at most 50"),
        ("mode=fuzzy", InvalidArgumentError, "mode"),
        ("limit=0", InvalidArgumentError, "limit"),
        ("limit=101", InvalidArgumentError, "limit"),
        ("limit=%EF%BC%91", InvalidArgumentError, "whole number"),  # a full-width digit is no number here
        ("page=0", InvalidArgumentError, "page"),
        ("page=1002", InvalidArgumentError, "cannot be paged"),
        ("since=2023-1-1x", InvalidArgumentError, "since"),
        ("since=2023-02-30", QuerySyntaxError, "no such day"),
        ("since=2024&until=2023-12", InvalidArgumentError, "empty"),
        ("site=a&site=b&site=c&site=d", InvalidArgumentError, "at most 3"),
        ("author=" + "a" * 201, InvalidArgumentError, "characters"),
        ("all_copies=perhaps", InvalidArgumentError, "all_copies"),
        ("interval=year", InvalidArgumentError, "interval"),
    ],
)
def test_bad_parameters_are_named(query: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        parsed(query)


def test_the_last_reachable_page_is_accepted() -> None:
    assert parsed("page=1001&limit=10").offset == 10_000


def test_filters_without_a_query_become_a_query_of_filters() -> None:
    assert SearchForm(q="korea", since="2023").library_query() == "korea"
    assert SearchForm(since="2023-10", site=("x",)).library_query() == "since:2023-10"
    assert SearchForm(until="2023").library_query() == "until:2023"
    assert SearchForm(site=("kompas",), lang=("id",)).library_query() == 'lang:"id"'
    assert SearchForm(author=('a"b', "rahmat hidayat")).library_query() == 'author:"rahmat hidayat"'
    with pytest.raises(InvalidArgumentError, match="double quote"):
        SearchForm(site=('"x"',)).library_query()


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://www.kompas.com/a/b?c=d#e", True),
        ("HTTP://EXAMPLE.ORG/", True),
        ('https://ok.example/"onmouseover="x', True),  # a web URL; the template escapes the quote
        ("javascript:alert(1)", False),
        (" https://example.org/", False),
        ("java\tscript:alert(1)", False),
        ("https://exa\nmple.org/", False),
        ("data:text/html,<script>", False),
        ("//evil.example/x", False),
        ("https://", False),
        ("https://[::1/x", False),
        ("ftp://example.org/", False),
        ("https://example.org/" + "a" * 5_000, False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_urls_with_a_host_are_links(url: str | None, linked: bool) -> None:
    assert web_href(url) == (url if linked else None)


def test_ids_are_one_path_segment() -> None:
    assert article_path("17ecbb609660a28a") == "/articles/17ecbb609660a28a"
    assert article_path("https://x.org/a?b#c") == "/articles/https%3A%2F%2Fx.org%2Fa%3Fb%23c"
    assert similar_path("a/b") == "/articles/a%2Fb/similar" and group_path("a b") == "/groups/a%20b"


def test_snippets_are_escaped_then_marked() -> None:
    text = "<b>Lavrov</b> & Pyongyang"
    assert str(marked(text, [(3, 9), (16, 25)])) == "&lt;b&gt;<mark>Lavrov</mark>&lt;/b&gt; &amp; <mark>Pyongyang</mark>"
    # Spans that overlap, run past the end or are empty are clipped, never trusted.
    assert str(marked("abcdef", [(0, 3), (2, 4), (5, 99), (4, 4)])) == "<mark>abc</mark><mark>d</mark>e<mark>f</mark>"
    assert str(marked("<i>", [])) == "&lt;i&gt;"
    assert paragraphs("One.\n\n  Two.\nThree.\n \n") == ["One.", "Two.", "Three."]


def test_a_copy_diff_says_what_was_added_and_dropped() -> None:
    earliest = " ".join(f"w{i}" for i in range(40))
    copy = earliest.replace("w20", "changed") + " tail added"
    diff = word_diff(earliest, copy, context=3)
    assert (diff.added, diff.dropped) == (3, 1) and not diff.identical
    ops = [(piece.op, piece.text) for piece in diff.pieces]
    assert ops == [
        ("gap", "17 unchanged words"), ("same", "w17 w18 w19"), ("dropped", "w20"), ("added", "changed"),
        ("same", "w21 w22 w23"), ("gap", "13 unchanged words"), ("same", "w37 w38 w39"), ("added", "tail added"),
    ]  # fmt: skip
    same = word_diff("a b c", "a  b\nc")
    assert same.identical and [(p.op, p.text) for p in same.pieces] == [("gap", "3 unchanged words")]


def test_timeline_bars_follow_the_counts_and_narrow_to_their_period() -> None:
    form = SearchForm(q="korea", since="2023-10-04", page=3)
    timeline = {
        "interval": "week",
        "series": [{"query": "korea", "total": 5, "undated": 1, "buckets": [
            {"period": "2023-W40", "start": "2023-10-02", "end": "2023-10-08", "count": 4},
            {"period": "2023-W41", "start": "2023-10-09", "end": "2023-10-15", "count": 0},
            {"period": "2023-W42", "start": "2023-10-16", "end": "2023-10-22", "count": 2},
        ]}],
    }  # fmt: skip
    drawn = chart(timeline, form, SearchForm.url)
    assert drawn.interval == "week" and drawn.peak == 4 and drawn.undated == 1
    assert [bar.height for bar in drawn.bars] == [HEIGHT, EMPTY_HEIGHT, HEIGHT / 2]
    assert all(bar.y + bar.height == HEIGHT for bar in drawn.bars)
    assert drawn.bars[0].x < drawn.bars[1].x < drawn.bars[2].x and drawn.bars[2].x + drawn.bars[2].width <= drawn.width
    first = dict(parse_qsl(urlsplit(drawn.bars[0].href).query))
    assert first == {"q": "korea", "since": "2023-10-04", "until": "2023-10-08"}  # cut to the range, back to page 1
    assert "0 articles" in drawn.bars[1].label and "2023-10-16 to 2023-10-22" in drawn.bars[2].label
    assert narrowed(SearchForm(until="2023-10"), "2023-10-30", "2023-11-05") == ("2023-10-30", "2023-10-31")
    assert chart({"interval": "day", "series": []}, form, SearchForm.url).bars == ()


def test_facets_replace_their_field_and_months_become_dates() -> None:
    form = SearchForm(q="korea", site=("a", "b"), page=2)
    facets = {"site": {"Asia Wire": 3}, "lang": {"en": 2}, "month": {"unknown": 1, "2023-10": 2, "2023-09": 1}}
    lists = {facet.name: facet for facet in facet_lists(facets, form, SearchForm.url)}
    assert dict(parse_qsl(urlsplit(lists["site"].values[0].href or "").query)) == {"q": "korea", "site": "Asia Wire"}
    months = lists["month"].values
    assert [v.value for v in months] == ["2023-09", "2023-10", "unknown"] and months[-1].href is None
    assert parse_qsl(urlsplit(months[1].href or "").query) == [
        ("q", "korea"),
        ("since", "2023-10"),
        ("until", "2023-10"),
        ("site", "a"),
        ("site", "b"),
    ]  # the other filters kept, back to page 1
    active = {f.label: f.href for f in active_filters(SearchForm(q="x", since="2023", site=("a", "b")), SearchForm.url)}
    assert active == {"since: 2023": "/?q=x&site=a&site=b", "site: a": "/?q=x&since=2023&site=b",
                      "site: b": "/?q=x&since=2023&site=a"}  # fmt: skip
    current = facet_lists({"lang": {"en": 1}}, SearchForm(q="x", lang=("en",)), SearchForm.url)[0].values[0]
    assert current.active


def test_pagination_shows_a_window_and_the_ends() -> None:
    def url(number: int) -> str:
        return f"/p{number}"

    assert pagination(10, 1, 10, 10_000, url) is None
    middle = pagination(200, 10, 10, 10_000, url)
    assert middle is not None
    assert [link.number for link in middle.links] == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert (middle.previous, middle.next, middle.last) == ("/p9", "/p11", 20)
    assert [link.current for link in middle.links].count(True) == 1
    first = pagination(25, 1, 10, 10_000, url)
    assert first is not None and first.previous is None and first.next == "/p2"
    # No page starts past the API's offset bound, however large the total.
    capped = pagination(1_000_000, 1, 10, 10_000, url)
    assert capped is not None and capped.last == 1_001
    beyond = pagination(15, 5, 10, 10_000, url)
    assert beyond is not None and beyond.previous == "/p2" and beyond.next is None


@pytest.mark.parametrize(
    ("source", "kind", "file", "position"),
    [
        ("/data/crawl.warc.gz#1234", "WARC record", "/data/crawl.warc.gz", "record at byte offset 1234"),
        ("/data/a.warc#0", "WARC record", "/data/a.warc", "record at byte offset 0"),
        ("/data/export.jsonl:7", "JSONL line", "/data/export.jsonl", "line 7"),
        ("python:3", "library call", None, "article 3 given to Indexer.add_articles"),
        ("/data/page#1.html", "file", "/data/page#1.html", None),
        (None, "unknown", None, None),
    ],
)
def test_provenance_names_the_file_and_the_record(source: str | None, kind: str, file: str | None, position: str | None) -> None:
    found = provenance_of(source)
    assert (found.kind, found.file, found.position) == (kind, file, position)
