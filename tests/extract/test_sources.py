"""Every source kind, read for real from files the tests write."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from index.article import Article, Skip, make_article_id
from index.errors import SourceError
from index.extract.clipping import parse_clipping
from index.extract.pages import to_article
from index.extract.sources import Page, Record, iter_sources
from index.extract.textclean import clean_text, drop_leading_title
from tests.conftest import SEED_TXT, require, write_page

BODY = (
    "The harbour authority said on Monday that the new container terminal would open in March after two years of work.\n\n"
    "Officials expect the terminal to double the port's capacity and cut waiting times for ships by half, the statement said."
)


def write_warc(path: Path, pages: list[tuple[str, bytes, str]]) -> Path:
    """A real WARC (gzip per record) with a warcinfo, a request and one response per page."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "news-search tests"}))
        for url, body, content_type in pages:
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return path


def items(*paths: Path) -> list[Page | Record | Skip]:
    return list(iter_sources(paths))


def test_html_htm_and_gzip_pages_in_a_folder_walk(tmp_path: Path) -> None:
    write_page(tmp_path / "a" / "one.html", "Harbour terminal to open in March", BODY)
    write_page(tmp_path / "b" / "two.htm", "Second page", BODY + " Two.")
    raw = write_page(tmp_path / "three.html", "Third page", BODY + " Three.").read_bytes()
    (tmp_path / "three.html").unlink()
    (tmp_path / "three.html.gz").write_bytes(gzip.compress(raw))
    (tmp_path / "style.css").write_text("body {}")
    (tmp_path / ".hidden.html").write_text("<html></html>")
    found = items(tmp_path)
    assert all(isinstance(i, Page) for i in found)
    assert sorted(Path(i.source).name for i in found) == ["one.html", "three.html.gz", "two.htm"]
    articles = [to_article(i) for i in found if isinstance(i, Page)]
    assert {a.title for a in articles if not isinstance(a, Skip)} == {
        "Harbour terminal to open in March",
        "Second page",
        "Third page",
    }


def test_warc_response_records_use_the_target_uri(tmp_path: Path) -> None:
    page = write_page(tmp_path / "p.html", "Harbour terminal to open in March", BODY).read_bytes()
    warc = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            ("https://news.example.org/harbour", page, "text/html; charset=utf-8"),
            ("https://news.example.org/logo.png", b"\x89PNG\r\n", "image/png"),
        ],
    )
    found = items(warc)
    pages = [i for i in found if isinstance(i, Page)]
    skips = [i for i in found if isinstance(i, Skip)]
    assert len(pages) == 1 and pages[0].url == "https://news.example.org/harbour"
    assert pages[0].source.startswith(str(warc.resolve()) + "#")
    assert [s.reason for s in skips] == ["not_html"]
    article = to_article(pages[0])
    assert not isinstance(article, Skip)
    assert article.url == "https://news.example.org/harbour"


def test_uncompressed_warc(tmp_path: Path) -> None:
    page = write_page(tmp_path / "p.html", "Harbour terminal to open in March", BODY).read_bytes()
    warc = write_warc(tmp_path / "crawl.warc", [("https://news.example.org/h", page, "text/html")])
    assert [type(i).__name__ for i in items(warc)] == ["Page"]


def test_jsonl_with_html_with_fields_and_bad_lines(tmp_path: Path) -> None:
    html = write_page(tmp_path / "p.html", "From HTML", BODY).read_text()
    lines = [
        json.dumps({"url": "https://ex.org/a", "html": html}),
        json.dumps(
            {
                "id": "doc-7",
                "title": "Already extracted",
                "text": BODY,
                "date": "2017-03-05T10:00:00",
                "source": "kumparan",
                "author": "A. Writer",
                "lang": "id",
            }
        ),
        "{not json",
        json.dumps([1, 2, 3]),
        json.dumps({"title": "no text", "text": 42}),
        "",
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    found = items(path)
    assert isinstance(found[0], Page) and found[0].url == "https://ex.org/a"
    assert isinstance(found[1], Record)
    assert [(s.reason, s.source.rsplit(":", 1)[1]) for s in found if isinstance(s, Skip)] == [
        ("malformed_json", "3"),
        ("not_an_object", "4"),
    ]
    assert isinstance(found[1], Record)
    from_fields = to_article(found[1])
    assert not isinstance(from_fields, Skip)
    assert (from_fields.id, from_fields.title, from_fields.published, from_fields.site, from_fields.author, from_fields.lang) == (
        "doc-7",
        "Already extracted",
        "2017-03-05",
        "kumparan",
        "A. Writer",
        "id",
    )
    assert isinstance(found[4], Record)
    wrong_type = to_article(found[4])
    assert isinstance(wrong_type, Skip) and wrong_type.reason == "missing_field"


def test_text_clipping(tmp_path: Path) -> None:
    clip = tmp_path / "clip.txt"
    clip.write_text(
        "Subscribe for unlimited access. Only $1 a week+\n\nHarbour Terminal Opens After Two Years of Work\n\n"
        "Published 12 June 2022, 14:05 BST\nJane Doe\n\n"
        + BODY.replace("\n\n", "\n\nRead more: Ports face record demand\n\n")
        + "\n\nMost read\n\nCelebrity chef opens restaurant\n\nShare this article\n",
        encoding="utf-8",
    )
    (page,) = items(clip)
    assert isinstance(page, Page) and page.kind == "text"
    article = to_article(page)
    assert not isinstance(article, Skip)
    assert article.title == "Harbour Terminal Opens After Two Years of Work"
    assert (article.published, article.author, article.lang) == ("2022-06-12", "Jane Doe", "en")
    assert "double the port's capacity" in article.text
    for furniture in ("Read more", "Celebrity chef", "Share this", "Subscribe"):
        assert furniture not in article.text


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        items(tmp_path / "nope")


def test_explicit_unsupported_file_and_broken_gzip_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(b"<html>" + b"x" * 5000)[:40])
    found = items(tmp_path / "notes.docx", tmp_path / "broken.html.gz")
    assert [(type(i).__name__, getattr(i, "reason", None)) for i in found] == [
        ("Skip", "unsupported_type"),
        ("Skip", "unreadable"),
    ]


def test_binary_and_empty_pages_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "short.html").write_text("<html><body><p>Too short to be news.</p></body></html>")
    reasons = {
        Path(i.source).name: r.reason for i in items(tmp_path) if isinstance(i, Page) and isinstance(r := to_article(i), Skip)
    }
    assert reasons == {"binary.html": "not_html", "empty.html": "not_html", "short.html": "too_short"}


def test_a_first_line_repeating_the_headline_is_dropped() -> None:
    body = "Officials expect the terminal to double the port's capacity.\nShips will wait half as long."
    title = "Harbour terminal to open in March"
    variants = (title, title.upper(), "Harbour  terminal to open in March.", "Harbour terminal — to open in March!")
    for first in variants:
        assert drop_leading_title(f"{first}\n{body}", title) == body, first
    # Not the headline, or nothing after it: kept as it is.
    for text in (f"Harbour terminal to open in April\n{body}", title, f"{body}\n{title}"):
        assert drop_leading_title(text, title) == text
    assert drop_leading_title(f"...\n{body}", "") == f"...\n{body}"


def test_record_text_starting_with_its_title_keeps_its_id(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    title = "Harbour terminal to open in March"
    path.write_text(json.dumps({"title": title, "text": f"{title}\n{BODY}"}))
    (record,) = items(path)
    assert isinstance(record, Record)
    article = to_article(record)
    assert not isinstance(article, Skip)
    assert article.text == clean_text(BODY)
    # The id of a URL-less article comes from the text as extracted, so it stays what it was before.
    assert article.id == make_article_id(None, title, clean_text(f"{title}\n{BODY}"))


KOMPAS_STYLE_CLIPPING = "\n\n".join(
    [
        "Baca berita tanpa iklan. Gabung Kompas.com+",
        "Gempa Magnitudo 5,1 Guncang Sumedang, Warga Berhamburan ke Luar Rumah",
        "Rahmat Hidayat",
        "JAKARTA, KOMPAS.com - Gempa bumi berkekuatan magnitudo 5,1 mengguncang wilayah Kabupaten Sumedang, Jawa Barat,"
        " pada Selasa (2/1/2024) malam, menurut Badan Meteorologi, Klimatologi, dan Geofisika (BMKG).",
        "Warga di sejumlah kecamatan berhamburan ke luar rumah ketika guncangan terasa selama beberapa detik, dan sebagian"
        " memilih bertahan di halaman hingga larut malam.",
        "Baca juga: BMKG Catat Puluhan Gempa Susulan di Jawa Barat",
        "Petugas badan penanggulangan bencana daerah mendata kerusakan ringan pada beberapa rumah warga pada Rabu"
        " (3/1/2024) pagi.",
    ]
)


def test_clipping_dated_only_in_the_lead(tmp_path: Path) -> None:
    """No dateline under the headline: "JAKARTA, KOMPAS.com - ... Selasa (2/1/2024)" names outlet and day (d/m/y)."""
    clip = tmp_path / "gempa.txt"
    clip.write_text(KOMPAS_STYLE_CLIPPING, encoding="utf-8")
    (page,) = items(clip)
    assert isinstance(page, Page)
    article = to_article(page)
    assert not isinstance(article, Skip)
    assert article.title == "Gempa Magnitudo 5,1 Guncang Sumedang, Warga Berhamburan ke Luar Rumah"
    assert (article.site, article.published, article.author, article.lang) == ("Kompas.com", "2024-01-02", "Rahmat Hidayat", "id")
    assert article.text.startswith("JAKARTA, KOMPAS.com - Gempa bumi") and "Baca juga" not in article.text


def test_clipping_dateline_with_the_city_first() -> None:
    lead = KOMPAS_STYLE_CLIPPING.split("JAKARTA, KOMPAS.com - ")[1].replace(" pada Selasa (2/1/2024) malam", "")
    clipping = parse_clipping(
        "Gempa Magnitudo 5,1 Guncang Sumedang, Warga Berhamburan\n\nJAKARTA, KOMPAS.com - Selasa (2/1/2024), 21:15 WIB\n\n" + lead
    )
    assert clipping is not None
    assert (clipping.site, clipping.published) == ("Kompas.com", "2024-01-02")
    # A capitalised place before a dash is no outlet, and a date without its weekday is not taken from the lead.
    other = parse_clipping(KOMPAS_STYLE_CLIPPING.replace("KOMPAS.com", "Jawa Barat").replace("Selasa (2/1/2024)", "2/1/2024"))
    assert other is not None and (other.site, other.published) == (None, None)


def test_seed_clipping_still_parses() -> None:
    clipping = parse_clipping(require(SEED_TXT).read_text(encoding="utf-8"))
    assert clipping is not None
    assert (clipping.title, clipping.published, clipping.author, clipping.site) == (
        "Menlu Rusia Sergei Lavrov Tiba di Korea Utara",
        "2023-10-18",
        "Aditya Jaya Iswara",
        "Kompas.com",
    )
    assert clipping.text.startswith("PYONGYANG, KOMPAS.com - Menteri Luar Negeri Rusia Sergei Lavrov tiba")
    assert "Baca juga" not in clipping.text and "Terkini Lainnya" not in clipping.text


def test_record_with_an_unusable_date_is_kept_undated_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    rows = [
        {"id": "bad", "title": "Harbour", "text": BODY, "published": "not a date"},
        {"id": "good", "title": "Harbour", "text": BODY + " Again.", "published": "2024-01-02"},
        {"id": "fallback", "title": "Harbour", "text": BODY + " Third.", "published": "soon", "date": "2024-01-03"},
        {"id": "blank", "title": "Harbour", "text": BODY + " Fourth.", "published": ""},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    articles = [to_article(record) for record in items(path) if isinstance(record, Record)]
    assert len(articles) == len(rows)
    assert all(isinstance(a, Article) for a in articles)
    by_id = {a.id: a for a in articles if isinstance(a, Article)}
    assert by_id["bad"].published is None
    assert [n.kind for n in by_id["bad"].notes] == ["bad_date"] and '"not a date"' in by_id["bad"].notes[0].detail
    assert (by_id["good"].published, by_id["good"].notes) == ("2024-01-02", [])
    assert (by_id["fallback"].published, by_id["fallback"].notes) == ("2024-01-03", [])
    assert (by_id["blank"].published, by_id["blank"].notes) == (None, [])


def test_beir_corpus_ids_are_the_article_ids(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"_id": "MED-10", "title": "", "text": BODY, "metadata": {}}) + "\n", encoding="utf-8")
    (record,) = items(path)
    assert isinstance(record, Record)
    article = to_article(record)
    assert isinstance(article, Article) and article.id == "MED-10"
