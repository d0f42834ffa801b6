"""Property-based tests (hypothesis) for the query parser, rank fusion and the source readers.

Example counts are modest so the file runs in well under half a minute; the longer fuzzing run of
the extraction entry point is ``benchmarks/fuzz_extract.py``.
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.article import Skip
from index.errors import NewsSearchError, QuerySyntaxError
from index.extract.pages import to_article
from index.extract.sources import Page, Record, iter_sources
from search.facade import NewsSearch
from search.ranking.fusion import FusionSettings, normalize, reciprocal_rank_fusion, weighted_fusion

FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SOME = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- query parser ------------------------------------------------------------------------------

WORDS = st.sampled_from(["harbour", "Lavrov", "covid-19", "60.000", "pemilu", "é", "北京", "a", "x" * 60])
SYNTAX = st.sampled_from(
    ['"', "(", ")", "AND", "OR", "NOT", "ANDNOT", "+", "-", "*", "?", "~", "^", ":", "\\", "[", "]", "{", "}", "/", "'"]
)
FIELDS = st.sampled_from(
    ["title:", "body:", "text:", "site:", "lang:", "author:", "since:", "until:", "date:", "-site:", "NOT lang:"]
)
VALUES = st.sampled_from(["2023", "2023-10", "2023-13-45", "2023-10-01..2023-10-15", "..", "kompas", '"two words"', "", "9" * 30])
TOKENS = st.one_of(WORDS, SYNTAX, st.tuples(FIELDS, VALUES).map("".join), st.text(max_size=8))
QUERIES = st.lists(TOKENS, min_size=0, max_size=12).map(" ".join) | st.text(max_size=80)


@SOME
@given(query=QUERIES)
def test_any_query_string_parses_or_raises_query_syntax_error(query: str, sample_index: Path) -> None:
    with NewsSearch(sample_index) as engine:
        try:
            parsed = engine._parser.parse(query)
        except QuerySyntaxError as exc:
            assert str(exc)  # a message the CLI can print
            return
        assert parsed.text == query.strip()


@FEW
@given(query=QUERIES, mode=st.sampled_from(["keyword", "semantic", "hybrid"]))
def test_any_query_runs_against_a_real_index_or_fails_clearly(query: str, mode: str, sample_index: Path) -> None:
    with NewsSearch(sample_index) as engine:
        try:
            hits = engine.search(query, limit=5, mode=mode)  # type: ignore[arg-type]
        except NewsSearchError:
            return
        assert len(hits) <= 5
        assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))


@SOME
@given(words=st.lists(st.from_regex(r"[A-Za-z][a-z0-9]{0,10}", fullmatch=True), min_size=1, max_size=6))
def test_plain_words_always_parse(words: list[str], sample_index: Path) -> None:
    query = " ".join(w for w in words if w not in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"))
    if not query:
        return
    with NewsSearch(sample_index) as engine:
        parsed = engine._parser.parse(query)
    assert parsed.terms


# -- fusion ------------------------------------------------------------------------------------

SCORES = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
RUN = st.lists(st.tuples(st.integers(0, 40), SCORES), max_size=30, unique_by=lambda pair: pair[0]).map(
    lambda run: sorted(run, key=lambda pair: -pair[1])
)


@SOME
@given(keyword=RUN, semantic=RUN, k=st.floats(0, 1000))
def test_rrf_keeps_every_document_once_best_first(
    keyword: list[tuple[int, float]], semantic: list[tuple[int, float]], k: float
) -> None:
    fused = reciprocal_rank_fusion([keyword, semantic], k=k)
    docs = [doc for doc, _ in fused]
    assert len(docs) == len(set(docs)) and set(docs) == {d for d, _ in keyword} | {d for d, _ in semantic}
    scores = [score for _, score in fused]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 2 / (k + 1) + 1e-12 for score in scores)
    if keyword and semantic and keyword[0][0] == semantic[0][0]:
        assert fused[0][0] == keyword[0][0]  # first in both runs is first


@SOME
@given(
    keyword=RUN,
    semantic=RUN,
    alpha=st.floats(0, 1),
    normalization=st.sampled_from(["minmax", "zscore"]),
)
def test_weighted_fusion_is_finite_complete_and_sorted(
    keyword: list[tuple[int, float]], semantic: list[tuple[int, float]], alpha: float, normalization: str
) -> None:
    fused = weighted_fusion(keyword, semantic, alpha=alpha, normalization=normalization)  # type: ignore[arg-type]
    assert {d for d, _ in fused} == {d for d, _ in keyword} | {d for d, _ in semantic}
    scores = [score for _, score in fused]
    assert all(math.isfinite(score) for score in scores)
    assert scores == sorted(scores, reverse=True)
    if normalization == "minmax":
        assert all(-1e-9 <= score <= 1 + 1e-9 for score in scores)


@SOME
@given(run=RUN)
def test_minmax_normalization_maps_to_the_unit_interval_in_order(run: list[tuple[int, float]]) -> None:
    scaled = normalize(run, "minmax")
    assert set(scaled) == {d for d, _ in run}
    ordered = [scaled[d] for d, _ in run]
    assert ordered == sorted(ordered, reverse=True)
    assert all(0.0 <= value <= 1.0 for value in ordered)


@SOME
@given(
    keyword=RUN,
    semantic=RUN,
    method=st.sampled_from(["rrf", "weighted"]),
    alpha=st.floats(0, 1),
    depth=st.integers(1, 40),
)
def test_contributions_add_up_to_the_fused_score(
    keyword: list[tuple[int, float]], semantic: list[tuple[int, float]], method: str, alpha: float, depth: int
) -> None:
    fusion = FusionSettings(method=method, alpha=alpha, depth=depth)  # type: ignore[arg-type]
    fused = dict(fusion.fuse(keyword, semantic))
    parts = fusion.contributions(keyword, semantic)
    assert set(parts) == set(fused)
    for doc, score in fused.items():
        assert math.isclose(sum(parts[doc]), score, rel_tol=1e-9, abs_tol=1e-9)


# -- source readers ----------------------------------------------------------------------------

SUFFIXES = st.sampled_from([".html", ".htm", ".html.gz", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".txt"])
HTMLISH = st.lists(
    st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<div>", "</div>", "<article>", "<meta charset=x>", "&amp;", "\x00", "é"])
    | st.text(max_size=30),
    max_size=40,
).map(lambda parts: "".join(parts).encode("utf-8", errors="surrogatepass"))
CONTENT = st.binary(max_size=4000) | HTMLISH


@FEW
@given(content=CONTENT, suffix=SUFFIXES, compress=st.booleans())
def test_any_file_gives_pages_records_or_skips(tmp_path: Path, content: bytes, suffix: str, compress: bool) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(gzip.compress(content) if compress and suffix.endswith(".gz") else content)
    for item in iter_sources([path]):
        assert isinstance(item, Page | Record | Skip)
        if not isinstance(item, Skip):
            result = to_article(item)
            assert isinstance(result, Skip) or (result.text and result.id)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
ARTICLE_KEYS = st.sampled_from(["text", "html", "title", "url", "published", "date", "author", "site", "lang", "id"])
ARTICLE_LIKE = st.dictionaries(ARTICLE_KEYS, JSON_VALUES | st.text(min_size=100, max_size=400), max_size=6)


@SOME
@given(lines=st.lists(JSON_VALUES | ARTICLE_LIKE, min_size=1, max_size=8))
def test_every_jsonl_line_gives_exactly_one_item(tmp_path: Path, lines: list[object]) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    items = list(iter_sources([path]))
    assert [item.source.rsplit(":", 1)[1] for item in items] == [str(n) for n in range(1, len(lines) + 1)]
    for item, line in zip(items, lines, strict=True):
        if not isinstance(line, dict):
            assert isinstance(item, Skip) and item.reason == "not_an_object"
        else:
            result = item if isinstance(item, Skip) else to_article(item)
            assert isinstance(result, Skip) or result.text


def warc_record(uri: str, body: str) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>{body}</p></body></html>".encode()
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
        f"WARC-Record-ID: <urn:x:{uri}>\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


GARBAGE = st.binary(max_size=200).filter(lambda b: b"WARC/" not in b)


@SOME
@given(garbage=st.lists(GARBAGE, min_size=4, max_size=4), compress=st.booleans())
def test_good_warc_records_survive_garbage_between_them(tmp_path: Path, garbage: list[bytes], compress: bool) -> None:
    uris = [f"https://ex.org/{n}" for n in range(3)]
    records = [warc_record(uri, f"story number {n}") for n, uri in enumerate(uris)]
    if compress:  # one gzip member per record, as crawlers write them
        records = [gzip.compress(r) for r in records]
    data = garbage[0] + records[0] + garbage[1] + records[1] + garbage[2] + records[2] + garbage[3]
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    path.write_bytes(data)
    pages = [item for item in iter_sources([path]) if isinstance(item, Page)]
    assert {page.url for page in pages} >= set(uris)
    assert all(page.content.startswith(b"<html>") for page in pages if page.url in uris)
