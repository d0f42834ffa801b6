"""The user's checks, with the real default model, on the seed article and 181 real news pages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from index.embed.loading import DEFAULT_MODEL
from index.ingest.indexer import Indexer
from search.facade import NewsSearch
from tests.conftest import AEB_WARC, ROOT, SEED_HTML, SEED_TXT, CliResult, require

pytestmark = pytest.mark.model
FURNITURE = ("Terkini Lainnya", "Baca berita tanpa iklan", "Bagikan artikel ini", "Swedia Janjikan Bantuan Militer", "Komentar")


@pytest.fixture(scope="module")
def warc_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The AEB WARC plus the Kompas page, indexed with the default model through the CLI."""
    from search.cli.app import main

    require(AEB_WARC)
    require(SEED_HTML)
    directory = tmp_path_factory.mktemp("real-model") / "index"
    with pytest.raises(SystemExit) as exit_info:  # the console script exits like a process does
        main(["index", str(SEED_HTML), str(AEB_WARC), "--index", str(directory), "--quiet"])
    assert exit_info.value.code == 0
    return directory


def test_lavrov_pyongyang_finds_the_kompas_article_first(warc_index: Path, cli: Callable[..., CliResult]) -> None:
    result = cli("Lavrov Pyongyang", "--index", warc_index, "--json")
    assert result.exit_code == 0, result.stderr
    top = result.json()["hits"][0]
    assert top["title"] == "Menlu Rusia Sergei Lavrov Tiba di Korea Utara"
    assert top["published"] == "2023-10-18"
    assert top["author"] == "Aditya Jaya Iswara"
    assert top["url"] == "https://www.kompas.com/global/read/2023/10/18/191700370/menlu-rusia-sergei-lavrov-tiba-di-korea-utara"
    assert top["keyword_rank"] == 1 and top["semantic_rank"] == 1  # both retrievers agree, each on its own

    article = cli("show", top["id"], "--index", warc_index, "--json").json()
    assert "60.000 peluru per hari" in article["text"]
    assert "Pemimpin Tertinggi Korea Utara Kim Jong Un" in article["text"]
    for furniture in FURNITURE:
        assert furniture not in article["text"], furniture


def test_semantic_side_is_a_real_model(warc_index: Path) -> None:
    """A paraphrase with no shared keywords still finds the article through the embeddings."""
    with NewsSearch(warc_index) as engine:
        assert engine.info.model == DEFAULT_MODEL and engine.info.dim == 384
        hits = engine.search("Russian foreign minister visits North Korea", mode="semantic", limit=3)
    assert hits[0].title == "Menlu Rusia Sergei Lavrov Tiba di Korea Utara"


def test_indexing_the_warc_again_changes_nothing(warc_index: Path, cli: Callable[..., CliResult]) -> None:
    before = cli("stats", "--index", warc_index, "--json").json()["articles"]
    report = cli("index", AEB_WARC, "--index", warc_index, "--json").json()
    assert report["added"] == 0 and report["updated"] == 0
    assert cli("stats", "--index", warc_index, "--json").json()["articles"] == before


def test_text_clipping_with_the_warc_is_found_first(warc_index: Path, cli: Callable[..., CliResult]) -> None:
    require(SEED_TXT)
    html_hit = cli("Lavrov Pyongyang", "--index", warc_index, "--json").json()["hits"][0]
    with Indexer(warc_index) as indexer:  # same WARC, the clipping instead of the page
        indexer.remove([html_hit["id"]])
        indexer.add([SEED_TXT])
    top = cli("Lavrov Pyongyang", "--index", warc_index, "--json").json()["hits"][0]
    assert top["title"] == "Menlu Rusia Sergei Lavrov Tiba di Korea Utara"
    assert (top["published"], top["author"], top["url"]) == ("2023-10-18", "Aditya Jaya Iswara", None)
    text = cli("show", top["id"], "--index", warc_index, "--json").json()["text"]
    assert "60.000 peluru per hari" in text
    for furniture in FURNITURE:
        assert furniture not in text, furniture


def test_hybrid_query_path_never_imports_torch(warc_index: Path) -> None:
    """Queries embed with onnxruntime: torch, transformers and sentence-transformers stay unloaded."""
    code = (
        "import sys, contextlib, io\n"
        "from search.cli.app import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['Lavrov Pyongyang', '--index', {str(warc_index)!r}, '--json'])\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules)\n"
        "assert 'onnxruntime' in sys.modules, 'the semantic side did not run'\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
