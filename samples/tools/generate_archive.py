#!/usr/bin/env python3
"""Generate the sample news archive shipped with news-search.

    python samples/tools/generate_archive.py

Writes ``samples/archive/`` (saved article pages of six fictional news sites, two non-article
pages, two plain-text clippings and a JSONL export) and ``samples/expected.jsonl`` (what a
correct indexer should get out of every file). The archive folder is rebuilt from scratch.

Everything here is invented: the sites, their domains, the bylines, the people quoted and every
sentence of text. Some stories are set around real, widely reported events, but the wording is
original and the outlets do not exist.

Layout of this script:
  * SITES: one entry per fictional outlet (name, domain, time zone, furniture headlines);
  * render_<site>(): the page template of each outlet; each emits its own navigation,
    breadcrumb, ads, inline cross-links, related lists, newsletter box, comments, share widget,
    footer and its own flavour of metadata (Open Graph, JSON-LD, <time>, bylines);
  * the non-article pages, clippings and export;
  * expected.jsonl.
The article text lives in articles_id.py / articles_en.py, the other text in extras.py.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import shutil
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.dont_write_bytecode = True  # keep samples/tools free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))

import articles_en  # noqa: E402
import articles_id  # noqa: E402
import extras  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent
ARCHIVE = SAMPLES / "archive"
EXPECTED = SAMPLES / "expected.jsonl"

# --------------------------------------------------------------------------- sites

SITES: dict[str, dict] = {
    "wartanusantara": dict(
        name="Warta Nusantara",
        domain="wartanusantara.id",
        lang="id",
        tz="Asia/Jakarta",
        share="Bagikan artikel ini melalui",
        sections={"global": "Global", "megapolitan": "Megapolitan", "nasional": "Nasional", "budaya": "Budaya",
                  "lingkungan": "Lingkungan", "ekonomi": "Ekonomi"},
        pool=[
            ("nasional", "2024-05-02", "Jadwal Kereta Cepat Jakarta-Bandung Ditambah Mulai Pekan Depan"),
            ("cuaca", "2024-05-02", "BMKG: Cuaca Panas Terik Diprakirakan Berlanjut hingga Pertengahan Mei"),
            ("bola", "2024-05-02", "Timnas U-23 Tiba di Tanah Air, Disambut Ratusan Suporter"),
            ("ekonomi", "2024-05-02", "Harga Emas Perhiasan Turun Tipis Pagi Ini"),
            ("megapolitan", "2024-05-01", "Polisi Selidiki Kebakaran Gudang Tekstil di Cengkareng"),
            ("global", "2024-05-01", "Kim Jong Un Kunjungi Pabrik Amunisi, Serukan Produksi Massal"),
            ("global", "2024-05-01", "Rusia Klaim Kuasai Desa Baru di Donetsk"),
            ("tekno", "2024-04-30", "Cara Mengecek Status Pendaftaran Kartu SIM secara Daring"),
            ("global", "2024-04-30", "Menlu Rusia Lavrov Dijadwalkan Bertemu Menlu RI di Moskwa"),
            ("budaya", "2024-04-29", "Festival Lima Gunung Kembali Digelar di Magelang"),
            ("lingkungan", "2024-04-29", "Populasi Badak Jawa di Ujung Kulon Bertambah Lima Ekor"),
            ("kesehatan", "2024-04-28", "Kemenkes Imbau Warga Waspadai Lonjakan Kasus Demam Berdarah"),
        ],
    ),
    "kabarharian": dict(
        name="Kabar Harian",
        domain="kabarharian.co.id",
        lang="id",
        tz="Asia/Jakarta",
        share="Bagikan artikel ini",
        sections={"internasional": "Internasional", "ekonomi": "Ekonomi", "regional": "Regional",
                  "kesehatan": "Kesehatan", "tekno": "Tekno"},
        pool=[
            ("internasional", "2024-06-20", "Putin dan Kim Jong Un Teken Perjanjian Kemitraan Strategis"),
            ("ekonomi", "2024-06-20", "IHSG Dibuka Menguat, Saham Perbankan Jadi Penopang"),
            ("olahraga", "2024-06-19", "Jadwal Siaran Langsung Euro 2024 Malam Ini"),
            ("regional", "2024-06-19", "Jembatan Gantung Putus di Lebak, Warga Seberangi Sungai dengan Rakit"),
            ("tekno", "2024-06-18", "Ponsel Lipat Terbaru Resmi Dijual di Indonesia, Ini Harganya"),
            ("kesehatan", "2024-06-18", "Dinkes Gelar Imunisasi Polio Serentak di Enam Kabupaten"),
            ("internasional", "2024-06-17", "Korea Selatan Lepaskan Tembakan Peringatan ke Tentara Korea Utara"),
            ("ekonomi", "2024-06-17", "Harga Bawang Merah Melonjak Jelang Idul Adha"),
            ("internasional", "2024-06-16", "Lavrov: Rusia Siap Perluas Kerja Sama dengan Negara Asia"),
            ("regional", "2024-06-15", "Banjir Bandang Terjang Tiga Kecamatan di Sulawesi Selatan"),
        ],
    ),
    "suarapagi": dict(
        name="Suara Pagi",
        domain="suarapagi.com",
        lang=None,  # legacy CMS: no lang attribute, no locale anywhere
        tz="Asia/Jakarta",
        share="Bagikan artikel ini:",
        saved_on="Selasa, 05 Maret 2024",
        sections={"internasional": "Internasional", "olahraga": "Olahraga", "pendidikan": "Pendidikan",
                  "ekonomi": "Ekonomi", "nasional": "Nasional"},
        pool=[
            ("nasional", "2024-03-05", "Pemerintah Tetapkan Cuti Bersama Lebaran 2024"),
            ("ekonomi", "2024-03-05", "Harga Cabai Rawit Mulai Turun Menjelang Ramadhan"),
            ("olahraga", "2024-03-04", "Timnas U-23 Umumkan 26 Pemain untuk Piala Asia"),
            ("internasional", "2024-03-04", "Korea Utara Kecam Latihan Militer Gabungan AS-Korea Selatan"),
            ("pendidikan", "2024-03-04", "Pendaftaran Sekolah Kedinasan 2024 Dibuka Bulan Depan"),
            ("nasional", "2024-03-03", "BMKG: Hujan Lebat Masih Berpotensi Terjadi di Jabodetabek Sepekan ke Depan"),
            ("ekonomi", "2024-03-03", "Menkeu: Penerimaan Pajak Awal Tahun Tumbuh Positif"),
            ("internasional", "2024-03-02", "Sergei Lavrov Sebut Barat Ingin Perang Berlarut-larut di Ukraina"),
            ("olahraga", "2024-03-01", "Jadwal Pekan Ke-28 Liga 1, Laga Besar Digelar di Bandung"),
            ("tekno", "2024-03-01", "Waspada Penipuan Undangan Pernikahan Digital Lewat WhatsApp"),
        ],
    ),
    "meridianpost": dict(
        name="Meridian Post",
        domain="meridianpost.com",
        lang="en-US",
        tz="America/New_York",
        share="Share this article",
        sections={"world": "World", "sports": "Sports", "technology": "Technology", "health": "Health",
                  "climate": "Climate", "science": "Science"},
        pool=[
            ("us", "2024-03-01", "Senate passes stopgap bill to avert government shutdown"),
            ("business", "2024-03-01", "Mortgage rates tick down for third straight week"),
            ("world", "2024-02-29", "Kim Jong Un oversees artillery drills near border, state media says"),
            ("sports", "2024-02-29", "Injury rules star guard out for rest of regular season"),
            ("technology", "2024-02-28", "Your phone's battery settings are probably wrong. Here is how to fix them"),
            ("health", "2024-02-28", "Measles cases rise in several states as vaccination rates slip"),
            ("world", "2024-02-27", "Lavrov says Moscow open to talks but rejects Ukraine peace formula"),
            ("climate", "2024-02-27", "Winter was the warmest on record for much of the Northeast"),
            ("us", "2024-02-26", "Storm brings heavy snow to the Sierra Nevada, closing highways"),
            ("opinion", "2024-02-26", "What the last decade taught us about remote work"),
        ],
    ),
    "thedailyledger": dict(
        name="The Daily Ledger",
        domain="thedailyledger.co.uk",
        lang=None,  # no lang attribute, no locale anywhere
        tz="Europe/London",
        share="Share this article",
        sections={"world": "World news", "uk-news": "UK news", "education": "Education", "culture": "Culture",
                  "politics": "Politics"},
        pool=[
            ("environment", "2024-04-12", "Hosepipe ban lifted in south-east after wet winter"),
            ("politics", "2024-04-12", "Chancellor hints at further tax cuts before election"),
            ("world", "2024-04-11", "Drone attack sets fire to oil depot in southern Russia"),
            ("sport", "2024-04-11", "Grand National: runners, riders and tips"),
            ("culture", "2024-04-10", "West End theatre ticket prices hit record high"),
            ("uk-news", "2024-04-10", "Water firms to face tougher fines for sewage spills"),
            ("education", "2024-04-09", "Teachers in England to be balloted over pay offer"),
            ("world", "2024-04-09", "North Korea's Kim hails new missile launcher vehicles"),
            ("money", "2024-04-08", "Energy price cap falls: what it means for your bills"),
            ("uk-news", "2024-04-08", "Rail passengers face Easter weekend engineering disruption"),
        ],
    ),
    "asiapacificwire": dict(
        name="Asia Pacific Wire",
        domain="asiapacificwire.com",
        lang="en",
        tz="UTC",
        share="Share this article",
        sections={"asia": "Asia", "climate": "Climate", "business": "Business"},
        pool=[
            ("asia", "2024-01-03", "Japan Airlines jet bursts into flames after runway collision at Haneda"),
            ("asia", "2024-01-03", "North Korea's Kim vows to bolster war readiness in New Year speech"),
            ("business", "2024-01-02", "Asian shares start year cautiously as traders weigh rate-cut bets"),
            ("asia", "2024-01-02", "Taiwan heads to polls with China tensions in focus"),
            ("climate", "2024-01-01", "2023 confirmed as hottest year on record in several Asian countries"),
            ("asia", "2023-12-30", "Lavrov and Wang Yi discuss Korean Peninsula in Beijing talks"),
            ("business", "2023-12-29", "Indonesia's rupiah ends year stronger as inflows return"),
            ("asia", "2023-12-28", "Philippines and China trade accusations over reef collision"),
            ("technology", "2023-12-27", "Chipmakers in South Korea and Taiwan brace for weaker demand"),
            ("asia", "2023-12-26", "Fog disrupts flights and trains across northern India"),
        ],
    ),
}

ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
ID_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


# --------------------------------------------------------------------------- helpers

def esc(text: str) -> str:
    """Text content: escape markup characters only, so quotes stay as typed."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    text = text.lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def jsonld(data: dict) -> str:
    body = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{body}\n</script>'


class Story:
    """One article with everything the templates need, derived from its content entry."""

    def __init__(self, entry: dict, index_in_site: int) -> None:
        self.entry = entry
        self.site_key = entry["site"]
        self.site = SITES[self.site_key]
        self.title: str = entry["title"]
        self.author: str | None = entry.get("author")
        self.editor: str | None = entry.get("editor")
        self.section: str = entry["section"]
        self.section_label: str = self.site["sections"][self.section]
        self.slug: str = entry["slug"]
        self.tags: list[str] = entry.get("tags", [])
        self.ext: str = entry.get("ext", "html")
        y, m, d = entry["date"].split("-")
        hh, mm = entry["time"].split(":")
        self.when = datetime(int(y), int(m), int(d), int(hh), int(mm), tzinfo=ZoneInfo(self.site["tz"]))
        self.date: str = entry["date"]
        self.url = f"https://www.{self.site['domain']}/{self.section}/{y}/{m}/{d}/{self.slug}"
        self.path = f"{self.site_key}/{self.date}-{self.slug}.{self.ext}"
        # body: paragraphs and inline cross-links, in order
        self.blocks: list[tuple[str, str]] = []
        for chunk in entry["body"].strip().split("\n\n"):
            chunk = " ".join(chunk.split())
            if chunk.startswith(">> "):
                self.blocks.append(("link", chunk[3:]))
            else:
                self.blocks.append(("p", chunk))
        self.paragraphs = [text for kind, text in self.blocks if kind == "p"]
        self.inline_links = [text for kind, text in self.blocks if kind == "link"]
        self.description = first_sentence(strip_dateline(self.paragraphs[0]))
        # furniture headlines for the lists after the article, rotated per page
        pool = [item for item in self.site["pool"] if item[2] != self.title]
        start = (index_in_site * 3) % len(pool)
        rotated = pool[start:] + pool[:start]
        self.related = rotated[:6]
        self.popular = rotated[6:] + rotated[:1]

    def iso(self) -> str:
        if self.site["tz"] == "UTC":
            return self.when.strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.when.isoformat()

    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def link_url(self, headline: str, days_before: int = 2) -> str:
        """URL of a cross-linked story on the same site (dated a little before this one)."""
        d = self.when.date().toordinal() - days_before
        day = datetime.fromordinal(d)
        return f"https://www.{self.site['domain']}/{self.section}/{day:%Y/%m/%d}/{slugify(headline)}"

    def pool_url(self, item: tuple[str, str, str]) -> str:
        section, date, headline = item
        return f"https://www.{self.site['domain']}/{section}/{date.replace('-', '/')}/{slugify(headline)}"


def strip_dateline(paragraph: str) -> str:
    head, sep, rest = paragraph.partition(" - ")
    if sep and len(head) < 60 and head[:1].isupper() and head.split(",")[0].split(" (")[0].isupper():
        return rest
    return paragraph


def dateline_split(paragraph: str) -> tuple[str, str]:
    rest = strip_dateline(paragraph)
    if rest is paragraph:
        return "", paragraph
    return paragraph[: len(paragraph) - len(rest)], rest


def first_sentence(text: str) -> str:
    for m in re.finditer(r"\. ", text):
        before = text[: m.start()].split()[-1] if text[: m.start()].split() else ""
        if before in {"U.S", "Dr", "St", "Mr", "Mrs", "U.N"}:
            continue
        return text[: m.start() + 1]
    return text


def indent(lines: list[str], n: int) -> str:
    pad = " " * n
    return "\n".join(pad + line if line else line for line in lines)


# --------------------------------------------------------------------------- Warta Nusantara
# Open Graph + article:published_time + <meta name="author"> + canonical; lang="id";
# visible "Warta Nusantara - 18/10/2023, 19:17 WIB" dateline; credit block with writer and editor.

def render_wartanusantara(s: Story) -> str:
    site = s.site
    base = f"https://www.{site['domain']}"
    body: list[str] = []
    for i, (kind, text) in enumerate(s.blocks):
        if kind == "link":
            body.append(f'<p><strong>Baca juga:</strong> <a href="{s.link_url(text)}">{esc(text)}</a></p>')
        else:
            if i == 0:
                head, rest = dateline_split(text)
                body.append(f"<p><strong>{esc(head.strip())}</strong> {esc(rest)}</p>" if head else f"<p>{esc(text)}</p>")
            else:
                body.append(f"<p>{esc(text)}</p>")
        if i == 5:
            body.append('<div class="ads ads--inarticle" id="div-gpt-ad-inarticle-1"><span>ADVERTISEMENT</span></div>')
    when = s.when
    shown = f"{site['name']} - {when:%d/%m/%Y, %H:%M} WIB"
    credit = []
    if s.author:
        credit.append(f'<div class="read__credit__item">Penulis: <a href="{base}/penulis/{slugify(s.author)}">{esc(s.author)}</a></div>')
    if s.editor:
        credit.append(f'<div class="read__credit__item">Editor: <a href="{base}/editor/{slugify(s.editor)}">{esc(s.editor)}</a></div>')
    latest = [
        f'<li class="latest__item"><a class="latest__link" href="{s.pool_url(it)}">{esc(it[2])}</a>'
        f'<span class="latest__subtitle">{esc(it[0].capitalize())}</span></li>'
        for it in s.related
    ]
    tags = [f'<a class="tag__item" href="{base}/tag/{slugify(t)}">{esc(t)}</a>' for t in s.tags]
    meta_author = f'\n<meta name="author" content="{attr(s.author)}">' if s.author else ""
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(s.title)} - {site['name']}</title>
<meta name="description" content="{attr(s.description)}">
<meta name="keywords" content="{attr(', '.join(s.tags))}">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(s.title)}">
<meta property="og:description" content="{attr(s.description)}">
<meta property="og:site_name" content="{site['name']}">
<meta property="og:url" content="{s.url}">
<meta property="og:image" content="https://asset.{site['domain']}/crop/{when:%Y/%m/%d}/{s.slug}-780x390.jpg">
<meta property="article:published_time" content="{s.iso()}">
<meta property="article:section" content="{s.section_label}">{meta_author}
<meta name="content_category" content="{s.section_label}">
<link rel="canonical" href="{s.url}">
<link rel="stylesheet" href="https://static.{site['domain']}/css/read.min.css?v=20240501">
<link rel="icon" href="https://static.{site['domain']}/favicon.ico">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"pageType": "read", "section": "{s.section}"}});</script>
</head>
<body class="read-page">
<div class="topbar">
  <a class="topbar__promo" href="https://plus.{site['domain']}/">Baca berita tanpa iklan. Gabung WartaNusantara+</a>
  <a class="topbar__login" href="https://akun.{site['domain']}/login">Masuk</a>
</div>
<header class="header">
  <a class="header__logo" href="{base}/"><img src="https://static.{site['domain']}/img/logo.svg" alt="{site['name']}" width="180" height="36"></a>
  <nav class="nav">
    <ul>
      <li><a href="{base}/">Beranda</a></li>
      <li><a href="{base}/nasional">Nasional</a></li>
      <li><a href="{base}/global">Global</a></li>
      <li><a href="{base}/megapolitan">Megapolitan</a></li>
      <li><a href="{base}/ekonomi">Ekonomi</a></li>
      <li><a href="{base}/bola">Bola</a></li>
      <li><a href="{base}/tekno">Tekno</a></li>
      <li><a href="{base}/budaya">Budaya</a></li>
      <li><a href="{base}/lingkungan">Lingkungan</a></li>
      <li><a href="{base}/indeks">Indeks</a></li>
    </ul>
  </nav>
</header>
<div class="ads ads--top" id="div-gpt-ad-leaderboard"><span>ADVERTISEMENT</span></div>
<div class="container">
  <div class="breadcrumb">
    <a href="{base}/">Warta Nusantara</a> &gt; <a href="{base}/{s.section}">{s.section_label}</a>
  </div>
  <div class="read">
    <div class="read__header">
      <h1 class="read__title">{esc(s.title)}</h1>
      <div class="read__time">{shown}</div>
      <div class="read__credit">
{indent(credit, 8)}
      </div>
    </div>
    <div class="read__content">
      <div class="clearfix">
{indent(body, 8)}
      </div>
    </div>
    <div class="tag">
      <span class="tag__title">Tag</span>
{indent(tags, 6)}
    </div>
  </div>
  <div class="social-share">
    <span class="social-share__title">{site['share']}</span>
    <a href="https://www.facebook.com/sharer/sharer.php?u={s.url}">Facebook</a>
    <a href="https://x.com/intent/tweet?url={s.url}">X</a>
    <a href="https://api.whatsapp.com/send?text={s.url}">WhatsApp</a>
    <a href="https://t.me/share/url?url={s.url}">Telegram</a>
    <button type="button">Salin tautan</button>
  </div>
  <div class="newsletter">
    <h3 class="newsletter__title">Newsletter Warta Nusantara</h3>
    <p>Dapatkan rangkuman berita pilihan setiap pagi langsung di email Anda.</p>
    <form action="https://akun.{site['domain']}/newsletter" method="post"><input type="email" name="email" placeholder="Alamat email Anda"> <button type="submit">Daftar</button></form>
  </div>
  <div class="latest">
    <h3 class="latest__title">Terkini Lainnya</h3>
    <ul>
{indent(latest, 6)}
    </ul>
  </div>
  <div class="comment">
    <h3 class="comment__title">Komentar</h3>
    <div class="comment__login">Silakan <a href="https://akun.{site['domain']}/login">login</a> untuk memberikan komentar. Komentar yang mengandung SARA akan dihapus.</div>
  </div>
</div>
<footer class="footer">
  <ul class="footer__menu">
    <li><a href="{base}/tentang-kami">Tentang Kami</a></li>
    <li><a href="{base}/pedoman-media-siber">Pedoman Media Siber</a></li>
    <li><a href="{base}/redaksi">Redaksi</a></li>
    <li><a href="{base}/kontak">Kontak</a></li>
    <li><a href="{base}/karier">Karier</a></li>
  </ul>
  <div class="footer__copyright">Copyright 2024 PT Warta Nusantara Digital. All Rights Reserved.</div>
</footer>
<div class="ads ads--sticky-bottom"><span>ADVERTISEMENT</span> <button type="button">Close Ads</button></div>
</body>
</html>
"""


# --------------------------------------------------------------------------- Kabar Harian
# JSON-LD NewsArticle (headline, datePublished, author.name, publisher.name, mainEntityOfPage,
# url, inLanguage) + BreadcrumbList; og:title only; lang="id"; visible <time datetime>.

def render_kabarharian(s: Story) -> str:
    site = s.site
    base = f"https://www.{site['domain']}"
    body: list[str] = []
    for i, (kind, text) in enumerate(s.blocks):
        if kind == "link":
            body.append(f'<div class="baca-juga"><strong>Baca juga:</strong> <a href="{s.link_url(text)}">{esc(text)}</a></div>')
        else:
            body.append(f"<p>{esc(text)}</p>")
        if i == 2:
            body.append('<div class="kh-ad kh-ad--inline"><span>ADVERTISEMENT</span><span>SCROLL TO CONTINUE WITH CONTENT</span></div>')
    when = s.when
    shown = f"{ID_DAYS[when.weekday()]}, {when.day:02d} {ID_MONTHS[when.month - 1]} {when.year} {when:%H:%M} WIB"
    article_ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": s.url},
        "url": s.url,
        "headline": s.title,
        "description": s.description,
        "image": {"@type": "ImageObject", "url": f"https://img.{site['domain']}/{when:%Y/%m/%d}/{s.slug}.jpg",
                  "width": 1200, "height": 675},
        "datePublished": s.iso(),
        "dateModified": s.iso(),
        "articleSection": s.section_label,
        "keywords": ", ".join(s.tags),
        "inLanguage": "id",
        "publisher": {"@type": "Organization", "name": site["name"],
                      "logo": {"@type": "ImageObject", "url": f"https://static.{site['domain']}/img/logo-amp.png"}},
    }
    if s.author:
        article_ld["author"] = {"@type": "Person", "name": s.author, "url": f"{base}/profil/{slugify(s.author)}"}
    crumbs_ld = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
            {"@type": "ListItem", "position": 2, "name": s.section_label, "item": f"{base}/{s.section}"},
        ],
    }
    byline = (f'<div class="detail__author">Oleh: <a href="{base}/profil/{slugify(s.author)}">{esc(s.author)}</a>'
              f' - {site["domain"]}</div>') if s.author else f'<div class="detail__author">{site["domain"]}</div>'
    related = [f'<li><a href="{s.pool_url(it)}">{esc(it[2])}</a></li>' for it in s.related[:5]]
    popular = [f'<li><a href="{s.pool_url(it)}">{esc(it[2])}</a></li>' for it in s.popular[:5]]
    tags = [f'<a href="{base}/tag/{slugify(t)}">#{esc(t.lower())}</a>' for t in s.tags]
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(s.title)} | {site['name']}</title>
<meta name="description" content="{attr(s.description)}">
<meta name="robots" content="index, follow, max-image-preview:large">
<meta property="og:title" content="{attr(s.title)}">
<meta property="og:image" content="https://img.{site['domain']}/{when:%Y/%m/%d}/{s.slug}.jpg">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@kabarharian">
<link rel="canonical" href="{s.url}">
<link rel="amphtml" href="{s.url}/amp">
<link rel="stylesheet" href="https://static.{site['domain']}/assets/css/detail.css">
{jsonld(article_ld)}
{jsonld(crumbs_ld)}
</head>
<body class="detail">
<header class="kh-header">
  <div class="kh-header__top">
    <a class="kh-logo" href="{base}/"><img src="https://static.{site['domain']}/img/logo.png" alt="{site['name']}"></a>
    <form class="kh-search" action="{base}/search"><input type="search" name="q" placeholder="Cari berita..."></form>
    <a class="kh-login" href="https://akun.{site['domain']}/masuk">Masuk / Daftar</a>
  </div>
  <nav class="kh-menu">
    <a href="{base}/">Home</a>
    <a href="{base}/berita">Berita</a>
    <a href="{base}/internasional">Internasional</a>
    <a href="{base}/ekonomi">Ekonomi</a>
    <a href="{base}/regional">Regional</a>
    <a href="{base}/kesehatan">Kesehatan</a>
    <a href="{base}/tekno">Tekno</a>
    <a href="{base}/olahraga">Olahraga</a>
    <a href="{base}/foto">Foto</a>
    <a href="{base}/video">Video</a>
  </nav>
</header>
<div class="kh-ad kh-ad--billboard" id="ad-billboard"><span>Iklan</span></div>
<div class="kh-wrap">
  <ol class="kh-breadcrumb">
    <li><a href="{base}/">Home</a></li>
    <li><a href="{base}/{s.section}">{s.section_label}</a></li>
  </ol>
  <div class="kh-main">
    <article class="detail__article">
      <div class="detail__header">
        <h1 class="detail__title">{esc(s.title)}</h1>
        {byline}
        <time class="detail__date" datetime="{s.iso()}">{shown}</time>
      </div>
      <div class="detail__body">
        <div class="detail__body-text itp_bodycontent">
{indent(body, 10)}
        </div>
        <div class="detail__tags"><span>Tag:</span> {' '.join(tags)}</div>
      </div>
    </article>
    <div class="kh-share">
      <span class="kh-share__label">{site['share']}</span>
      <a href="https://www.facebook.com/sharer/sharer.php?u={s.url}">Facebook</a>
      <a href="https://x.com/intent/tweet?url={s.url}">X</a>
      <a href="https://api.whatsapp.com/send?text={s.url}">WhatsApp</a>
      <a href="https://www.linkedin.com/sharing/share-offsite/?url={s.url}">LinkedIn</a>
    </div>
    <section class="kh-related">
      <h2 class="kh-related__title">Berita Terkait</h2>
      <ul>
{indent(related, 8)}
      </ul>
    </section>
    <section class="kh-comment">
      <h2>Komentar (0)</h2>
      <p>Masuk untuk berkomentar dan ikut berdiskusi.</p>
      <a class="kh-btn" href="https://akun.{site['domain']}/masuk">Masuk</a>
    </section>
  </div>
  <aside class="kh-sidebar">
    <div class="kh-ad kh-ad--mrec"><span>Iklan</span></div>
    <section class="kh-popular">
      <h3>Terpopuler</h3>
      <ol>
{indent(popular, 8)}
      </ol>
    </section>
    <section class="kh-newsletter">
      <h3>Berlangganan Newsletter</h3>
      <p>Kirim berita pilihan Kabar Harian ke email Anda setiap sore.</p>
      <form action="{base}/newsletter" method="post"><input type="email" name="email" placeholder="Email Anda"> <button type="submit">Berlangganan</button></form>
    </section>
  </aside>
</div>
<footer class="kh-footer">
  <nav><a href="{base}/redaksi">Redaksi</a> <a href="{base}/pedoman">Pedoman Media Siber</a> <a href="{base}/iklan">Info Iklan</a> <a href="{base}/karir">Karir</a> <a href="{base}/privasi">Kebijakan Privasi</a></nav>
  <p>&copy; 2024 Kabar Harian. Seluruh hak cipta dilindungi.</p>
</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------- Suara Pagi
# Legacy CMS: no lang anywhere; <meta name="author">, <meta name="publishdate">, og:title,
# og:site_name, og:url, canonical; visible date text (no <time>); header shows the date the page
# was saved, not the publication date.

def render_suarapagi(s: Story) -> str:
    site = s.site
    base = f"https://www.{site['domain']}"
    body: list[str] = []
    for kind, text in s.blocks:
        if kind == "link":
            body.append(f'<p><b>Baca juga:</b> <a href="{s.link_url(text)}" target="_blank">{esc(text)}</a></p>')
        else:
            body.append(f"<p>{esc(text)}</p>")
    when = s.when
    shown = f"{ID_DAYS[when.weekday()]}, {when.day:02d} {ID_MONTHS[when.month - 1]} {when.year} {when:%H:%M} WIB"
    lainnya = [f'<li><a href="{s.pool_url(it)}">{esc(it[2])}</a> <span class="tgl">{it[1]}</span></li>' for it in s.related]
    populer = [f'<li><a href="{s.pool_url(it)}">{esc(it[2])}</a></li>' for it in s.popular[:4]]
    tags = [f'<a href="{base}/tag/{slugify(t)}">{esc(t)}</a>' for t in s.tags]
    penulis = f'<span class="penulis">Penulis: {esc(s.author)}</span> | ' if s.author else ""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(s.title)} - Suara Pagi</title>
<meta name="description" content="{attr(s.description)}">
<meta name="author" content="{attr(s.author or '')}">
<meta name="publishdate" content="{when:%Y/%m/%d %H:%M:%S}">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(s.title)}">
<meta property="og:site_name" content="{site['name']}">
<meta property="og:url" content="{s.url}">
<meta property="og:image" content="{base}/images/berita/{when:%Y%m}/{s.slug}.jpg">
<link rel="canonical" href="{s.url}">
<link rel="stylesheet" type="text/css" href="{base}/css/style.css">
<script type="text/javascript" src="{base}/js/jquery.min.js"></script>
</head>
<body>
<div id="wrapper">
<div id="header">
  <div class="logo"><a href="{base}/"><img src="{base}/images/logo-suarapagi.png" alt="Suara Pagi"></a></div>
  <div class="hari-ini">{site['saved_on']}</div>
  <div class="login-box"><a href="{base}/member/login">Login</a> | <a href="{base}/member/daftar">Daftar</a></div>
</div>
<div id="menu">
  <ul>
    <li><a href="{base}/">Home</a></li>
    <li><a href="{base}/nasional">Nasional</a></li>
    <li><a href="{base}/ekonomi">Ekonomi</a></li>
    <li><a href="{base}/internasional">Internasional</a></li>
    <li><a href="{base}/olahraga">Olahraga</a></li>
    <li><a href="{base}/pendidikan">Pendidikan</a></li>
    <li><a href="{base}/tekno">Tekno</a></li>
    <li><a href="{base}/indeks">Indeks Berita</a></li>
  </ul>
</div>
<div class="banner-top"><div class="iklan">IKLAN</div></div>
<div id="content">
  <div class="breadcrumbs"><a href="{base}/">Home</a> &raquo; <a href="{base}/{s.section}">{s.section_label}</a> &raquo; Detail Berita</div>
  <div class="detail-berita">
    <h1 class="judul">{esc(s.title)}</h1>
    <div class="info">{penulis}<span class="tanggal">{shown}</span></div>
    <div class="foto-utama"><img src="{base}/images/berita/{when:%Y%m}/{s.slug}.jpg" alt=""></div>
    <div class="isi-berita">
{indent(body, 6)}
    </div>
    <div class="share-box">{site['share']} <a href="https://www.facebook.com/sharer.php?u={s.url}">Facebook</a> <a href="https://twitter.com/share?url={s.url}">Twitter</a> <a href="whatsapp://send?text={s.url}">WhatsApp</a></div>
    <div class="tags">Tags: {' '.join(tags)}</div>
  </div>
  <div class="berita-lainnya">
    <h3>Berita Lainnya</h3>
    <ul>
{indent(lainnya, 6)}
    </ul>
  </div>
  <div class="komentar">
    <h3>Komentar</h3>
    <p>Login untuk mengirim komentar. Komentar menjadi tanggung jawab pengirim.</p>
    <div id="kolom-komentar"></div>
  </div>
</div>
<div id="sidebar">
  <div class="iklan">IKLAN</div>
  <div class="populer">
    <h3>Terpopuler</h3>
    <ol>
{indent(populer, 6)}
    </ol>
  </div>
  <div class="newsletter">
    <h3>Newsletter</h3>
    <p>Daftarkan email Anda untuk menerima Suara Pagi edisi pagi.</p>
    <form action="{base}/newsletter" method="post"><input type="text" name="email" value=""> <input type="submit" value="Kirim"></form>
  </div>
</div>
<div id="footer">
  <p><a href="{base}/redaksi">Redaksi</a> | <a href="{base}/pedoman-media-siber">Pedoman Media Siber</a> | <a href="{base}/kontak">Kontak</a></p>
  <p>Copyright &copy; 2010 - 2024 Suara Pagi. All Rights Reserved.</p>
</div>
</div>
</body>
</html>
"""


# --------------------------------------------------------------------------- Meridian Post
# JSON-LD NewsArticle (inLanguage en-US) + Open Graph + canonical; lang="en-US";
# "By <a rel=author>" byline and <time datetime>.

def us_time(when: datetime) -> str:
    hour = when.hour % 12 or 12
    ampm = "a.m." if when.hour < 12 else "p.m."
    minute = f":{when.minute:02d}" if when.minute else ""
    return f"{EN_MONTHS[when.month - 1]} {when.day}, {when.year} at {hour}{minute} {ampm} {when.tzname()}"


def render_meridianpost(s: Story) -> str:
    site = s.site
    base = f"https://www.{site['domain']}"
    body: list[str] = []
    for i, (kind, text) in enumerate(s.blocks):
        if kind == "link":
            body.append(f'<p class="read-more"><strong>Read more:</strong> <a href="{s.link_url(text)}">{esc(text)}</a></p>')
        else:
            body.append(f"<p>{esc(text)}</p>")
        if i == 6:
            body.append('<div class="ad-slot ad-slot--inline" data-ad-unit="story_inline_1"><span class="ad-slot__label">Advertisement</span></div>')
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s.title,
        "description": s.description,
        "url": s.url,
        "mainEntityOfPage": s.url,
        "datePublished": s.iso(),
        "dateModified": s.iso(),
        "articleSection": s.section_label,
        "keywords": s.tags,
        "inLanguage": "en-US",
        "image": [f"https://images.{site['domain']}/{s.date.replace('-', '/')}/{s.slug}/1600x900.jpg"],
        "author": [{"@type": "Person", "name": s.author, "url": f"{base}/people/{slugify(s.author)}"}],
        "publisher": {"@type": "NewsMediaOrganization", "name": site["name"], "url": f"{base}/",
                      "logo": {"@type": "ImageObject", "url": f"{base}/static/logo-600x60.png"}},
        "isAccessibleForFree": True,
    }
    most_read = [f'<li><a href="{s.pool_url(it)}">{esc(it[2])}</a></li>' for it in s.related[:5]]
    tags = [f'<li><a href="{base}/topics/{slugify(t)}">{esc(t)}</a></li>' for t in s.tags]
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(s.title)} | {site['name']}</title>
<meta name="description" content="{attr(s.description)}">
<link rel="canonical" href="{s.url}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{site['name']}">
<meta property="og:title" content="{attr(s.title)}">
<meta property="og:description" content="{attr(s.description)}">
<meta property="og:url" content="{s.url}">
<meta property="og:image" content="https://images.{site['domain']}/{s.date.replace('-', '/')}/{s.slug}/1200x630.jpg">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@meridianpost">
<link rel="stylesheet" href="{base}/static/css/story.8f3a1c.css">
{jsonld(ld)}
</head>
<body class="story-page">
<a class="skip-link" href="#main">Skip to main content</a>
<div class="promo-bar">Get unlimited access for $1 a week. <a href="{base}/subscribe">Subscribe</a></div>
<header class="site-header">
  <a class="site-header__logo" href="{base}/">{site['name']}</a>
  <nav class="primary-nav" aria-label="Sections">
    <ul>
      <li><a href="{base}/us">U.S.</a></li>
      <li><a href="{base}/world">World</a></li>
      <li><a href="{base}/politics">Politics</a></li>
      <li><a href="{base}/business">Business</a></li>
      <li><a href="{base}/technology">Tech</a></li>
      <li><a href="{base}/climate">Climate</a></li>
      <li><a href="{base}/health">Health</a></li>
      <li><a href="{base}/sports">Sports</a></li>
      <li><a href="{base}/opinion">Opinion</a></li>
    </ul>
  </nav>
  <div class="site-header__account"><a href="{base}/account/signin">Sign in</a> <a class="button" href="{base}/subscribe">Subscribe</a></div>
</header>
<div class="ad-slot ad-slot--top" data-ad-unit="top_leaderboard"><span class="ad-slot__label">Advertisement</span></div>
<main id="main">
  <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="{base}/">Home</a> / <a href="{base}/{s.section}">{s.section_label}</a></nav>
  <article class="story">
    <header class="story__header">
      <p class="story__kicker"><a href="{base}/{s.section}">{s.section_label}</a></p>
      <h1 class="story__headline">{esc(s.title)}</h1>
      <div class="story__byline">By <a rel="author" href="{base}/people/{slugify(s.author)}">{esc(s.author)}</a></div>
      <time class="story__timestamp" datetime="{s.iso()}">{us_time(s.when)}</time>
    </header>
    <div class="story__body">
{indent(body, 6)}
    </div>
    <footer class="story__footer">
      <h2 class="story__topics-title">Topics</h2>
      <ul class="story__topics">
{indent(tags, 8)}
      </ul>
    </footer>
  </article>
  <div class="share-tools">
    <h2 class="share-tools__title">{site['share']}</h2>
    <button type="button" data-share="facebook">Facebook</button>
    <button type="button" data-share="x">X</button>
    <button type="button" data-share="email">Email</button>
    <button type="button" data-share="copy">Copy link</button>
  </div>
  <aside class="newsletter-signup">
    <h2>Sign up for The Morning Brief</h2>
    <p>The day's most important stories, delivered to your inbox every weekday morning.</p>
    <form action="{base}/newsletters/subscribe" method="post"><input type="email" name="email" placeholder="Enter your email"> <button type="submit">Sign up</button></form>
  </aside>
  <section class="comments" id="comments">
    <h2>Leave a comment</h2>
    <p>You must be <a href="{base}/account/signin">logged in</a> to post a comment.</p>
  </section>
  <section class="most-read">
    <h2>Most read</h2>
    <ol>
{indent(most_read, 6)}
    </ol>
  </section>
</main>
<footer class="site-footer">
  <nav><a href="{base}/about">About Us</a> <a href="{base}/contact">Contact</a> <a href="{base}/careers">Careers</a> <a href="{base}/terms">Terms of Service</a> <a href="{base}/privacy">Privacy Policy</a></nav>
  <p>&copy; 2024 Meridian Post Media LLC. All rights reserved.</p>
</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------- The Daily Ledger
# No lang anywhere; Open Graph + article:published_time + <meta name="author"> + canonical;
# <address> byline and <time datetime>; "Related:" rich links inside the body.

def uk_time(when: datetime) -> str:
    return f"{when:%a} {when.day} {when:%b} {when.year} {when:%H.%M} {when.tzname()}"


def render_thedailyledger(s: Story) -> str:
    site = s.site
    base = f"https://www.{site['domain']}"
    body: list[str] = []
    for i, (kind, text) in enumerate(s.blocks):
        if kind == "link":
            body.append(f'<aside class="rich-link"><p>Related: <a href="{s.link_url(text)}">{esc(text)}</a></p></aside>')
        else:
            body.append(f"<p>{esc(text)}</p>")
        if i == 5:
            body.append('<div class="ad-slot ad-slot--inline"><p class="ad-slot__label">Advertisement</p></div>')
    most_read = [f'<li><a href="{s.pool_url(it)}">{esc(it[2])}</a></li>' for it in s.related]
    topics = [f'<li><a href="{base}/{slugify(t)}">{esc(t)}</a></li>' for t in s.tags]
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(s.title)} | {s.section_label} | {site['name']}</title>
<meta name="description" content="{attr(s.description)}">
<meta name="author" content="{attr(s.author)}">
<meta property="og:url" content="{s.url}">
<meta property="og:title" content="{attr(s.title)}">
<meta property="og:description" content="{attr(s.description)}">
<meta property="og:site_name" content="{site['name']}">
<meta property="og:type" content="article">
<meta property="og:image" content="https://i.{site['domain']}/img/media/{s.slug}/master/1200.jpg">
<meta property="article:published_time" content="{s.iso()}">
<meta property="article:modified_time" content="{s.iso()}">
<meta property="article:section" content="{s.section_label}">
<meta property="article:author" content="{base}/profile/{slugify(s.author)}">
<link rel="canonical" href="{s.url}">
<link rel="stylesheet" href="https://assets.{site['domain']}/css/article.css">
</head>
<body>
<div id="bannerandheader">
  <div class="ad-slot ad-slot--top-above-nav"><p class="ad-slot__label">Advertisement</p></div>
  <header class="header">
    <div class="header__support">Support independent journalism. <a href="https://support.{site['domain']}/subscribe">Subscribe</a></div>
    <a class="header__logo" href="{base}/"><span class="visually-hidden">{site['name']} - Back to home</span></a>
    <nav class="pillars">
      <ul>
        <li><a href="{base}/">News</a></li>
        <li><a href="{base}/commentisfree">Opinion</a></li>
        <li><a href="{base}/sport">Sport</a></li>
        <li><a href="{base}/culture">Culture</a></li>
        <li><a href="{base}/lifeandstyle">Lifestyle</a></li>
      </ul>
    </nav>
    <nav class="subnav">
      <ul>
        <li><a href="{base}/uk-news">UK</a></li>
        <li><a href="{base}/world">World</a></li>
        <li><a href="{base}/business">Business</a></li>
        <li><a href="{base}/politics">Politics</a></li>
        <li><a href="{base}/environment">Environment</a></li>
        <li><a href="{base}/education">Education</a></li>
        <li><a href="{base}/science">Science</a></li>
      </ul>
    </nav>
  </header>
</div>
<main class="content">
  <div class="breadcrumb"><a href="{base}/">News</a> &rsaquo; <a href="{base}/{s.section}">{s.section_label}</a></div>
  <article class="article">
    <div class="article__headline"><h1>{esc(s.title)}</h1></div>
    <div class="article__meta">
      <address class="byline">by <a rel="author" href="{base}/profile/{slugify(s.author)}">{esc(s.author)}</a></address>
      <time class="dateline" datetime="{s.iso()}">{uk_time(s.when)}</time>
    </div>
    <div class="article-body">
{indent(body, 6)}
    </div>
    <div class="submeta">
      <span class="submeta__label">Explore more on these topics</span>
      <ul>
{indent(topics, 8)}
      </ul>
    </div>
    <div class="share">
      <span class="share__label">{site['share']}</span>
      <a href="https://www.facebook.com/sharer/sharer.php?u={s.url}">Facebook</a>
      <a href="https://x.com/intent/tweet?url={s.url}">X</a>
      <a href="mailto:?subject={attr(s.title)}&amp;body={s.url}">Email</a>
    </div>
  </article>
  <section class="newsletter-signup">
    <h2>Sign up to Ledger Daily</h2>
    <p>Our morning email breaks down the key stories of the day, telling you what's happening and why it matters.</p>
    <form action="https://profile.{site['domain']}/newsletters" method="post"><input type="email" name="email" placeholder="Enter your email address"> <button type="submit">Sign up</button></form>
    <p class="newsletter-signup__privacy">Privacy notice: newsletters may contain information about charities, online ads, and content funded by outside parties.</p>
  </section>
  <section class="comments">
    <h2>Comments</h2>
    <p>Sign in or create your Daily Ledger account to join the discussion.</p>
  </section>
  <section class="most-viewed">
    <h2>Most read</h2>
    <ol>
{indent(most_read, 6)}
    </ol>
  </section>
</main>
<footer class="footer">
  <ul>
    <li><a href="{base}/about">About us</a></li>
    <li><a href="{base}/help/contact-us">Contact us</a></li>
    <li><a href="{base}/help/complaints">Complaints &amp; corrections</a></li>
    <li><a href="{base}/info/privacy">Privacy policy</a></li>
    <li><a href="{base}/help/terms">Terms &amp; conditions</a></li>
  </ul>
  <p>&copy; 2024 The Daily Ledger Ltd. All rights reserved.</p>
</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------- Asia Pacific Wire
# JSON-LD @graph (NewsArticle + WebPage + Organization, inLanguage en) + og:title/og:url, no
# og:site_name; lang="en"; UTC timestamps; "Read more:" links inside the body.

def render_asiapacificwire(s: Story) -> str:
    site = s.site
    base = f"https://www.{site['domain']}"
    body: list[str] = []
    for i, (kind, text) in enumerate(s.blocks):
        if kind == "link":
            body.append(f'<p class="apw-readmore">Read more: <a href="{s.link_url(text)}">{esc(text)}</a></p>')
        else:
            body.append(f'<p class="apw-para">{esc(text)}</p>')
        if i == 4:
            body.append('<div class="apw-ad apw-ad--inline" aria-hidden="true">Advertisement &middot; Scroll to continue</div>')
    article = {
        "@type": "NewsArticle",
        "@id": f"{s.url}#article",
        "headline": s.title,
        "description": s.description,
        "url": s.url,
        "mainEntityOfPage": {"@id": f"{s.url}#webpage"},
        "datePublished": s.iso(),
        "dateModified": s.iso(),
        "inLanguage": "en",
        "articleSection": s.section_label,
        "publisher": {"@id": f"{base}/#organization"},
    }
    if s.author:
        article["author"] = [{"@type": "Person", "name": s.author}]
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            article,
            {"@type": "WebPage", "@id": f"{s.url}#webpage", "url": s.url, "name": s.title, "inLanguage": "en"},
            {"@type": "Organization", "@id": f"{base}/#organization", "name": site["name"], "url": f"{base}/",
             "logo": {"@type": "ImageObject", "url": f"{base}/assets/apw-logo.png"}},
        ],
    }
    when = s.when
    hour = when.hour % 12 or 12
    shown = f"{EN_MONTHS[when.month - 1]} {when.day}, {when.year} {hour}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'} UTC"
    byline = f'<span class="apw-byline">By <a href="{base}/authors/{slugify(s.author)}">{esc(s.author)}</a></span>' if s.author else ""
    related = [f'<li><a href="{s.pool_url(it)}">{esc(it[2])}</a> <span class="apw-related__date">{it[1]}</span></li>' for it in s.related[:5]]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(s.title)} | {site['name']}</title>
<meta name="description" content="{attr(s.description)}">
<meta property="og:title" content="{attr(s.title)}">
<meta property="og:url" content="{s.url}">
<meta property="og:type" content="article">
<link rel="canonical" href="{s.url}">
<link rel="preload" href="{base}/assets/fonts/source-sans.woff2" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="{base}/assets/apw.css">
{jsonld(ld)}
</head>
<body>
<header class="apw-header">
  <div class="apw-brand"><a href="{base}/">APW <span>Asia Pacific Wire</span></a></div>
  <nav class="apw-nav">
    <a href="{base}/asia">Asia</a>
    <a href="{base}/world">World</a>
    <a href="{base}/business">Business</a>
    <a href="{base}/markets">Markets</a>
    <a href="{base}/climate">Climate</a>
    <a href="{base}/technology">Technology</a>
    <a href="{base}/sport">Sport</a>
  </nav>
  <div class="apw-account"><a href="{base}/newsletters">Newsletters</a> <a href="{base}/signin">Sign in</a></div>
</header>
<div class="apw-ad apw-ad--leaderboard" aria-hidden="true">Advertisement &middot; Scroll to continue</div>
<main class="apw-main">
  <nav class="apw-crumbs"><a href="{base}/">Home</a> <span>/</span> <a href="{base}/{s.section}">{s.section_label}</a></nav>
  <article class="apw-story">
    <h1 class="apw-headline">{esc(s.title)}</h1>
    <div class="apw-meta">{byline} <time datetime="{s.iso()}">{shown}</time></div>
    <div class="apw-body">
{indent(body, 6)}
    </div>
    <p class="apw-standards"><a href="{base}/about/standards">Our Standards: The APW Trust Principles.</a></p>
  </article>
  <div class="apw-share">
    <span>{site['share']}</span>
    <a href="https://www.facebook.com/sharer/sharer.php?u={s.url}">Facebook</a>
    <a href="https://x.com/intent/tweet?url={s.url}">X</a>
    <a href="https://www.linkedin.com/sharing/share-offsite/?url={s.url}">LinkedIn</a>
  </div>
  <section class="apw-related">
    <h2>Related coverage</h2>
    <ul>
{indent(related, 6)}
    </ul>
  </section>
  <section class="apw-newsletter">
    <h2>Get the APW Asia Briefing</h2>
    <p>Sign up for our free daily newsletter with the top stories from across the region.</p>
    <form action="{base}/newsletters/asia-briefing" method="post"><input type="email" name="email" placeholder="Work email"> <button type="submit">Sign up</button></form>
  </section>
  <section class="apw-comments">
    <h2>Comments</h2>
    <p><a href="{base}/signin">Log in to comment.</a> Comments are moderated and may take some time to appear.</p>
  </section>
</main>
<footer class="apw-footer">
  <p><a href="{base}/about">About APW</a> | <a href="{base}/contact">Contact</a> | <a href="{base}/terms">Terms of Use</a> | <a href="{base}/privacy">Privacy</a></p>
  <p>&copy; 2024 Asia Pacific Wire. All rights reserved. Republication or redistribution of APW content is prohibited without prior written consent.</p>
</footer>
</body>
</html>
"""


RENDERERS = {
    "wartanusantara": render_wartanusantara,
    "kabarharian": render_kabarharian,
    "suarapagi": render_suarapagi,
    "meridianpost": render_meridianpost,
    "thedailyledger": render_thedailyledger,
    "asiapacificwire": render_asiapacificwire,
}


# --------------------------------------------------------------------------- non-article pages

def render_tag_page() -> str:
    site = SITES["kabarharian"]
    base = f"https://www.{site['domain']}"
    url = f"{base}/tag/korea-utara"
    items = []
    for date, headline in extras.TAG_PAGE_ITEMS:
        y, m, d = (int(x) for x in date.split("-"))
        when = datetime(y, m, d)
        shown = f"{ID_DAYS[when.weekday()]}, {d:02d} {ID_MONTHS[m - 1]} {y}"
        href = f"{base}/internasional/{date.replace('-', '/')}/{slugify(headline)}"
        items.append(
            f'<li class="list-item"><h2 class="list-item__title"><a href="{href}">{esc(headline)}</a></h2>'
            f' <span class="list-item__date">{shown}</span></li>'
        )
    ld = {"@context": "https://schema.org", "@type": "CollectionPage", "name": "Berita Korea Utara", "url": url,
          "inLanguage": "id", "publisher": {"@type": "Organization", "name": site["name"]}}
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Berita Terbaru Korea Utara Hari Ini | {site['name']}</title>
<meta name="description" content="Kumpulan berita terbaru seputar Korea Utara hari ini dari Kabar Harian.">
<meta property="og:type" content="website">
<meta property="og:title" content="Berita Terbaru Korea Utara Hari Ini">
<link rel="canonical" href="{url}">
<link rel="next" href="{url}?page=2">
{jsonld(ld)}
</head>
<body class="tag-page">
<header class="kh-header">
  <div class="kh-header__top">
    <a class="kh-logo" href="{base}/"><img src="https://static.{site['domain']}/img/logo.png" alt="{site['name']}"></a>
    <form class="kh-search" action="{base}/search"><input type="search" name="q" placeholder="Cari berita..."></form>
    <a class="kh-login" href="https://akun.{site['domain']}/masuk">Masuk / Daftar</a>
  </div>
  <nav class="kh-menu">
    <a href="{base}/">Home</a> <a href="{base}/berita">Berita</a> <a href="{base}/internasional">Internasional</a>
    <a href="{base}/ekonomi">Ekonomi</a> <a href="{base}/regional">Regional</a> <a href="{base}/olahraga">Olahraga</a>
  </nav>
</header>
<div class="kh-ad kh-ad--billboard"><span>Iklan</span></div>
<div class="kh-wrap">
  <ol class="kh-breadcrumb"><li><a href="{base}/">Home</a></li><li><a href="{base}/tag">Tag</a></li><li>Korea Utara</li></ol>
  <h1 class="tag-title">Korea Utara</h1>
  <ul class="list-content">
{indent(items, 4)}
  </ul>
  <nav class="pagination"><span class="current">1</span> <a href="{url}?page=2">2</a> <a href="{url}?page=3">3</a> <a href="{url}?page=2">Selanjutnya &raquo;</a></nav>
</div>
<footer class="kh-footer">
  <nav><a href="{base}/redaksi">Redaksi</a> <a href="{base}/pedoman">Pedoman Media Siber</a> <a href="{base}/karir">Karir</a></nav>
  <p>&copy; 2024 Kabar Harian. Seluruh hak cipta dilindungi.</p>
</footer>
</body>
</html>
"""


def render_404_page() -> str:
    site = SITES["meridianpost"]
    base = f"https://www.{site['domain']}"
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found | {site['name']}</title>
<meta name="robots" content="noindex">
<link rel="stylesheet" href="{base}/static/css/story.8f3a1c.css">
</head>
<body class="error-page">
<header class="site-header">
  <a class="site-header__logo" href="{base}/">{site['name']}</a>
  <nav class="primary-nav" aria-label="Sections">
    <ul>
      <li><a href="{base}/us">U.S.</a></li>
      <li><a href="{base}/world">World</a></li>
      <li><a href="{base}/politics">Politics</a></li>
      <li><a href="{base}/business">Business</a></li>
      <li><a href="{base}/sports">Sports</a></li>
    </ul>
  </nav>
</header>
<main id="main" class="error">
  <h1>404: Page not found</h1>
  <p>Sorry, we couldn't find the page you were looking for. It may have been moved or deleted, or the address may be mistyped.</p>
  <form action="{base}/search" method="get"><input type="search" name="q" placeholder="Search Meridian Post"> <button type="submit">Search</button></form>
  <p><a href="{base}/">Go to the homepage</a></p>
</main>
<footer class="site-footer">
  <p>&copy; 2024 Meridian Post Media LLC. All rights reserved.</p>
</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------- expectations

QUOTES = set("\"'\u201c\u201d\u2018\u2019")


def pick_fragment(paragraphs: list[str], words: int = 8) -> str:
    """A distinctive run of words from the body, free of quote marks and markup characters."""
    for para in paragraphs[1:] + paragraphs[:1]:
        tokens = strip_dateline(para).split()
        # prefer windows that start a sentence, then any window
        starts = [0] + [i + 1 for i, t in enumerate(tokens[:-1]) if t.endswith(".") and len(t) > 3]
        for start in starts + list(range(len(tokens) - words)):
            if start + words > len(tokens):
                continue
            window = tokens[start:start + words]
            text = " ".join(window)
            if any(c in QUOTES or c in "&<>" for c in text):
                continue
            return text.rstrip(",.;:")
    raise ValueError("no usable fragment")


def expectation(s: Story) -> dict:
    lang = "id" if s.site_key in ("wartanusantara", "kabarharian", "suarapagi") else "en"
    return {
        "path": s.path,
        "kind": "article",
        "title": s.title,
        "published": s.date,
        "author": s.author,
        "lang": lang,
        "url": s.url,
        "site": s.site["name"],
        "must_contain": s.entry.get("must_contain") or pick_fragment(s.paragraphs),
        "must_not_contain": [s.related[0][2], s.site["share"].rstrip(":"), s.inline_links[0]],
    }


# --------------------------------------------------------------------------- main

def main() -> None:
    if ARCHIVE.exists():
        shutil.rmtree(ARCHIVE)
    ARCHIVE.mkdir(parents=True)
    expected: list[dict] = []

    per_site: dict[str, int] = {}
    for entry in articles_id.ARTICLES + articles_en.ARTICLES:
        index = per_site.get(entry["site"], 0)
        per_site[entry["site"]] = index + 1
        story = Story(entry, index)
        page = RENDERERS[story.site_key](story)
        target = ARCHIVE / story.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if story.ext == "html.gz":
            # mtime=0 and no file name in the header: the same bytes on every run
            with open(target, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
                gz.write(page.encode("utf-8"))
        else:
            target.write_text(page, encoding="utf-8")
        expected.append(expectation(story))

    misc = ARCHIVE / "misc"
    misc.mkdir()
    (misc / "kabarharian-tag-korea-utara.html").write_text(render_tag_page(), encoding="utf-8")
    (misc / "meridianpost-404.html").write_text(render_404_page(), encoding="utf-8")
    expected.append({"path": "misc/kabarharian-tag-korea-utara.html", "kind": "not_article"})
    expected.append({"path": "misc/meridianpost-404.html", "kind": "not_article"})

    clippings = ARCHIVE / "clippings"
    clippings.mkdir()
    for clip in extras.CLIPPINGS:
        (clippings / clip["filename"]).write_text(clip["text"], encoding="utf-8")
        expected.append({
            "path": f"clippings/{clip['filename']}",
            "kind": "article",
            "title": clip["title"],
            "published": clip["published"],
            "author": clip["author"],
            "lang": clip["lang"],
            "url": None,
            "site": clip["site"],
            "must_contain": clip["must_contain"],
            "must_not_contain": clip["must_not_contain"],
        })

    exports = ARCHIVE / "exports"
    exports.mkdir()
    lines = []
    for rec in extras.EXPORT_RECORDS:
        obj = {
            "id": rec["id"],
            "url": rec["url"],
            "title": rec["title"],
            "text": "\n\n".join(rec["paragraphs"]),
            "date": rec["date"],
            "source": rec["source"],
            "author": rec["author"],
            "lang": rec["lang"],
        }
        lines.append(json.dumps(obj, ensure_ascii=False))
        expected.append({
            "path": f"exports/articles.jsonl#{rec['id']}",
            "kind": "article",
            "title": rec["title"],
            "published": rec["date"][:10],
            "author": rec["author"],
            "lang": rec["lang"],
            "url": rec["url"],
            "site": rec["source"],
            "must_contain": pick_fragment(rec["paragraphs"]),
            "must_not_contain": [],
        })
    (exports / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    expected.sort(key=lambda e: e["path"])
    EXPECTED.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in expected), encoding="utf-8")
    articles = sum(1 for e in expected if e["kind"] == "article")
    print(f"wrote {len(expected)} expectations ({articles} articles) under {ARCHIVE}")


if __name__ == "__main__":
    main()
