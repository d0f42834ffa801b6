"""Extraction quality on the Zyte article-extraction benchmark (181 real pages, human ground truth).

Metric as upstream: per page, precision and recall of the multiset of word 4-grams of the
extracted text against the true body; both averaged over pages, F1 their harmonic mean. Compares
our extractor (trafilatura plus our clean-up) with plain trafilatura in the same run.

    python benchmarks/extraction.py [--json]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ArgumentParser, machine, require_eval, write_result
from index.article import Skip
from index.extract.pages import to_article
from index.extract.sources import Page


def ngrams(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.lower())
    return Counter(tuple(tokens[i : i + n]) for i in range(max(0, len(tokens) - n + 1)))


def score(extracted: str, truth: str) -> tuple[float, float]:
    got, want = ngrams(extracted), ngrams(truth)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else (1.0 if not want else 0.0)
    recall = overlap / sum(want.values()) if want else 1.0
    return precision, recall


def main() -> None:
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    root = require_eval("extraction/aeb")
    import trafilatura

    rows = [json.loads(line) for line in (root / "manifest.jsonl").read_text().splitlines() if line.strip()]
    systems: dict[str, list[tuple[float, float]]] = {"news-search": [], "trafilatura": []}
    seconds = {name: 0.0 for name in systems}
    skipped = 0
    for row in rows:
        raw = gzip.decompress((root / row["html"]).read_bytes())
        started = time.perf_counter()
        article = to_article(Page(row["id"], raw, url=row["url"]))
        seconds["news-search"] += time.perf_counter() - started
        ours = "" if isinstance(article, Skip) else f"{article.text}"
        skipped += isinstance(article, Skip)
        systems["news-search"].append(score(ours, row["text"]))
        started = time.perf_counter()
        plain = trafilatura.extract(raw, url=row["url"]) or ""
        seconds["trafilatura"] += time.perf_counter() - started
        systems["trafilatura"].append(score(plain, row["text"]))
    result: dict[str, object] = {"benchmark": "extraction", "pages": len(rows), "machine": machine(), "systems": {}}
    for name, scores in systems.items():
        precision = sum(p for p, _ in scores) / len(scores)
        recall = sum(r for _, r in scores) / len(scores)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result["systems"][name] = {  # type: ignore[index]
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "ms_per_page": round(1000 * seconds[name] / len(rows), 1),
        }
    result["news_search_skipped_pages"] = skipped
    write_result("extraction", result)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name, figures in result["systems"].items():  # type: ignore[attr-defined]
            p, r, f1, ms = figures["precision"], figures["recall"], figures["f1"], figures["ms_per_page"]
            print(f"{name:<12} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  {ms} ms/page")
        print(f"pages skipped by news-search: {skipped}")


if __name__ == "__main__":
    main()
