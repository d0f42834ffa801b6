"""Pinned expectations on the sample archive, and how strictly a backend is held to them.

Ids are 16 hex digits of the SHA-256 of an article's canonical URL (of its text for clippings
without one), so they are the same on every backend. The rankings were read once from the local
backend (``news-search --mode keyword ...`` and ``NewsSearch.search`` on the sample index built
with ``hashing-256``) and checked by hand against the articles' texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from tests.backends.conftest import Backend

Mode = Literal["keyword", "semantic", "hybrid"]
MODES: tuple[Mode, ...] = ("keyword", "semantic", "hybrid")

# At least this share of the pinned top 10 must be in a relaxed backend's top 10.
TOP10_OVERLAP = 0.7

# -- the sample articles the suite names (id: site, date, headline) ----------------------------
MARATHON = "17531fcbcc3b797c"  # Asia Pacific Wire 2019-04-07 "Hundreds of foreign runners join Pyongyang marathon"
MARKETS = "ba496fd79e50d21e"  # Asia Pacific Wire 2020-03-09 "Asian markets plunge as oil price war ..."
SEOUL_PRICES = "5377fc253d17b0e6"  # Asia Pacific Wire 2022-11-14 "Seoul apartment prices fall ..."
MISSILES = "5a3222df77312a6f"  # Asia Pacific Wire 2023-08-30 "North Korea fires two short-range ballistic missiles ..."
COSMODROME = "6cc73a3304d70d8b"  # Asia Pacific Wire 2023-09-13 "Putin hosts Kim Jong Un at Vostochny cosmodrome ..."
KIM_TRAIN = "a41d3cfa5474837a"  # Kabar Harian 2023-09-12 "Kereta Lapis Baja Kim Jong Un Melintasi Perbatasan ..."
PUTIN_PYONGYANG = "7d5e4fa751398c4e"  # Kabar Harian 2024-06-19 "Putin Tiba di Pyongyang, Kunjungan Pertama ..."
LAVROV_JAKARTA = "8b79a38ed364fc0b"  # Suara Pagi 2023-07-13 "Lavrov Hadiri Pertemuan Menlu ASEAN-Rusia di Jakarta"
LAVROV_UN = "7fb0117cf5952c2a"  # Meridian Post 2023-09-23 "Lavrov uses UN General Assembly speech ..."
ARMS = "a3885b9603d82f7f"  # Meridian Post 2023-10-26 "U.S., South Korea and Japan condemn North Korean arms ..."
LAVROV_PYONGYANG = "17ecbb609660a28a"  # Warta Nusantara 2023-10-18 "Menlu Rusia Sergei Lavrov Tiba di Pyongyang ..."
RUDAL = "d0d4ec471ded0c3c"  # Warta Nusantara 2024-01-14 "Korea Utara Luncurkan Rudal Balistik ke Laut Timur"
BANJIR = "16f677bf2951a101"  # Warta Nusantara 2020-01-02 "Banjir Rendam Ribuan Rumah di Jakarta ..."
MALARIA = "78355ecc54ffa81a"  # Meridian Post 2021-10-06 "WHO recommends first malaria vaccine for children in Africa"
COVID_JAB = "f0c13589ac6dfb14"  # The Daily Ledger 2020-12-08 "UK begins mass Covid vaccination programme ..."
WORLD_CUP = "b7f1c5b1f53522eb"  # Meridian Post 2022-12-18 "Argentina beat France on penalties to win World Cup ..."
ECLIPSE = "7d5969249af36a4e"  # Meridian Post 2024-04-08 "Total solar eclipse draws millions of skywatchers ..."
RICE = "72fa00b93e2fe51b"  # Suara Pagi 2024-02-26 "Harga Beras Premium Tembus Rp 16.000 per Kilogram ..."
KABAR_HARIAN = (  # every Kabar Harian article, newest first
    PUTIN_PYONGYANG,
    KIM_TRAIN,
    "4b96411547c5db5d",  # 2023-05-20 "Festival Kuliner Solo Sajikan 150 Menu Tradisional"
    "835c517469c8cd15",  # 2022-12-04 "Gunung Semeru Erupsi, Status Dinaikkan Menjadi Awas"
    "873b8eafe0bd98cc",  # 2022-10-21 "Rupiah Melemah ke Level Rp 15.600 per Dolar AS ..."
    "f4b272710c96eb0a",  # 2021-07-10 "Vaksinasi Massal di Stadion Surabaya Diserbu Ribuan Warga"
    "f6d785fd73edfd3a",  # 2020-08-18 "Startup Bandung Luncurkan Aplikasi Kasir Gratis untuk Warung"
)
# The syndicated copies the suite adds (conftest.syndicated_copies), ids from their URLs.
COPY_MERIDIAN = "3bf066718bae8696"  # Meridian Post 2023-08-31
COPY_LEDGER = "12a678a5970a8d80"  # The Daily Ledger 2023-09-01

# -- keyword mode: every match, best first --------------------------------------------------------
KEYWORD: dict[str, tuple[str, ...]] = {
    # Issue 15: English and Indonesian articles each scored with their own language's BM25 statistics.
    "Lavrov": (LAVROV_UN, LAVROV_JAKARTA, LAVROV_PYONGYANG, PUTIN_PYONGYANG, ARMS, COSMODROME),
    "Putin": (COSMODROME, PUTIN_PYONGYANG, LAVROV_PYONGYANG, KIM_TRAIN, MISSILES),
    "Pyongyang": (MARATHON, PUTIN_PYONGYANG, LAVROV_PYONGYANG, RUDAL, ARMS, COSMODROME, KIM_TRAIN, MISSILES, LAVROV_UN),
    "Kim": (COSMODROME, KIM_TRAIN, MARATHON, PUTIN_PYONGYANG, LAVROV_PYONGYANG, MISSILES, ARMS, RUDAL),
    "Lavrov Pyongyang": (
        LAVROV_PYONGYANG,
        LAVROV_UN,
        PUTIN_PYONGYANG,
        MARATHON,
        LAVROV_JAKARTA,
        ARMS,
        COSMODROME,
        RUDAL,
        KIM_TRAIN,
        MISSILES,
    ),
    "Korea": (
        RUDAL,
        MISSILES,
        ARMS,
        PUTIN_PYONGYANG,
        LAVROV_PYONGYANG,
        KIM_TRAIN,
        MARATHON,
        COSMODROME,
        SEOUL_PRICES,
        LAVROV_JAKARTA,
        MARKETS,
        LAVROV_UN,
    ),
    "vaccine": (MALARIA, COVID_JAB),
    "cosmodrome": (COSMODROME,),
    "rudal": (RUDAL, PUTIN_PYONGYANG),
}

# -- semantic and hybrid: the top hit, where the query names one article --------------------------
TOP_HIT: dict[str, str] = {
    "Lavrov Pyongyang": LAVROV_PYONGYANG,
    "banjir Jakarta": BANJIR,
    "malaria vaccine": MALARIA,
    "World Cup penalties Argentina": WORLD_CUP,
}


def ids(hits: Iterable[Any]) -> list[str]:
    return [hit.id for hit in hits]


def hits_of(answer: Any) -> list[Any]:
    """The hits of a ``search`` (a list) or of a ``similar``/``search_results`` (``SearchResults``)."""
    return list(answer.hits) if hasattr(answer, "hits") else list(answer)


def expect_ranking(backend: Backend, got: Sequence[str], pinned: Sequence[str]) -> None:
    """A ranking: exactly the pinned order on an exact backend; else the same top hit and most of the top 10."""
    if backend.exact:
        assert list(got) == list(pinned)
        return
    assert got and got[0] == pinned[0], f"top hit {got[:1]} instead of {pinned[0]}"
    wanted = set(pinned[:10])
    overlap = len(set(got[:10]) & wanted) / len(wanted)
    assert overlap >= TOP10_OVERLAP, f"top-10 overlap {overlap:.0%} with the pinned ranking"


def expect_matches(got: Iterable[str], pinned: Iterable[str]) -> None:
    """Which articles match: exact on every backend (order aside)."""
    assert sorted(got) == sorted(pinned)
