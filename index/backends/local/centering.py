"""Per-language centering of the embeddings of an archive of several languages (issue 15).

Multilingual embeddings carry the language of a text as strongly as its meaning: in one index of
the English bbc-news and the Indonesian indosum-dev articles, an Indonesian translation of an
English headline found its article at MRR@10 0.27 against 0.70 in the English articles alone,
because every Indonesian article sat closer to an Indonesian query than any English one. Each
language's embeddings lie around a mean of their own; subtracting it from the language's articles
(then normalizing again) takes most of that identity out, and queries are centered on the mean of
the language means, so that no language is preferred (measured in docs/relevance.md: the mean of the
query's own language did worse across languages, 0.636 against 0.656, and no better within one).

What is stored and when:

- A language gets a mean once it has ``MIN_ARTICLES`` articles, and the archive is centered once
  two languages have one; an archive of one language keeps its vectors exactly as embedded.
- The mean of a language is that of its first ``sample_size(count)`` articles in row-id order: the
  largest ``MIN_ARTICLES * 2**j`` that its articles reach, so at least half of them. It is a
  function of the stored articles alone (a resumed or updated ingest stores the same articles
  under the same row ids, hence the same means and vectors as one run in one go), and it changes
  only when a language doubles its size or one of those articles changes: the articles of that
  language (and those of languages without a mean, centered on the query mean) are then centered
  again from their stored embeddings, which is O(n) per doubling, as the vector file's rewrites.
- Articles without a mean of their own (a rare language, no language) are centered on the query
  mean.
- The means are recorded in the manifest (``Manifest.centering``, with the sizes and last row ids
  they were taken over); the query mean is in the vector file itself (``vectors.query_mean``), so
  a reader needs nothing more. An index written before centering is centered by its next ingest
  that writes articles, or by ``news-search index --rebuild``.

The store's embeddings stay as the encoder made them: centering only changes what the vector
index holds.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from index.backends import language_means
from index.backends.local import vectors

if TYPE_CHECKING:
    import faiss

    from index.backends.local.manifest import Manifest
    from index.backends.local.store import ArticleStore

METHOD = "language-means"
QUERY = "mean-of-language-means"
# Read at call time, so that tests can lower it (``index.backends.language_means`` says why 100).
MIN_ARTICLES = language_means.MIN_ARTICLES


@dataclass(frozen=True)
class LanguageMean:
    """The mean embedding of a language's first ``articles`` articles, the last of which is ``last_row``."""

    articles: int
    last_row: int
    mean: np.ndarray


@dataclass(frozen=True)
class Centering:
    """The language means of one archive; ``active`` once two languages have one."""

    means: Mapping[str, LanguageMean]

    @property
    def active(self) -> bool:
        return len(self.means) >= 2

    def query_mean(self) -> np.ndarray | None:
        """What queries (and articles of a language without a mean) are centered on; None when inactive."""
        return language_means.query_mean(self.mean_vectors())

    def center(self, matrix: np.ndarray, langs: Sequence[str | None]) -> np.ndarray:
        """The rows of ``matrix`` centered on their language's mean and normalized (as given when inactive)."""
        return language_means.center_rows(matrix, langs, self.mean_vectors())

    def mean_vectors(self) -> dict[str, np.ndarray]:
        """Each centered language's mean embedding."""
        return {lang: m.mean for lang, m in self.means.items()}

    def record(self) -> dict[str, Any] | None:
        """What the manifest keeps (None for an archive that is not centered)."""
        if not self.means:
            return None
        return {
            "method": METHOD,
            "query": QUERY,
            "min_articles": MIN_ARTICLES,
            "active": self.active,
            "languages": {
                lang: {"articles": m.articles, "last_row": m.last_row, "mean": [float(v) for v in m.mean]}
                for lang, m in sorted(self.means.items())
            },
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any] | None) -> Centering:
        """The centering a manifest recorded; none for an older manifest or another method."""
        if not record or record.get("method") != METHOD or record.get("min_articles") != MIN_ARTICLES:
            return cls({})
        means = {
            str(lang): LanguageMean(int(m["articles"]), int(m["last_row"]), np.asarray(m["mean"], dtype=np.float64))
            for lang, m in record.get("languages", {}).items()
        }
        return cls(means)


def centered_languages(record: Mapping[str, Any] | None) -> list[str]:
    """The languages a manifest's centering centers on their own mean (none while inactive)."""
    found = Centering.from_record(record)
    return sorted(found.means) if found.active else []


def sample_size(count: int) -> int:
    """How many of a language's articles its mean is taken over: the largest MIN_ARTICLES * 2**j
    not above ``count`` (0 below MIN_ARTICLES)."""
    if count < MIN_ARTICLES:
        return 0
    size = MIN_ARTICLES
    while size * 2 <= count:
        size *= 2
    return size


def apply_changes(
    index: faiss.Index,
    store: ArticleStore,
    manifest: Manifest,
    ids: Sequence[int],
    matrix: np.ndarray,
    deletes: Sequence[int],
) -> faiss.Index:
    """``vectors.apply_changes`` for an archive that may hold several languages: the new vectors
    (``matrix``, as embedded, for the store rows ``ids``) are centered on their language's mean, the
    means are brought up to date with what the store now holds (articles centered on a mean that
    changed are centered again), and ``manifest.centering`` records them. Returns the index to keep."""
    previous = Centering.from_record(manifest.centering)
    changed = {*ids, *deletes}
    # An empty index is being filled from scratch (a first build, a rebuild): nothing recorded holds.
    current = _fitted(store, manifest.dim, Centering({}) if index.ntotal == 0 else previous, changed)
    langs = _languages(store, ids)
    recenter = _to_recenter(store, previous, current) if index.ntotal else []
    if recenter:
        rows = sorted(set(recenter) - set(ids) - set(deletes))
        stored = store.vectors(rows, manifest.dim)
        rows = [row for row in rows if row in stored]
        ids = [*ids, *rows]
        raw = np.vstack([matrix, *(stored[row][None, :] for row in rows)]) if rows else matrix
        langs = [*langs, *_languages(store, rows)]
        matrix = np.asarray(raw, dtype=np.float32)
    index = vectors.apply_changes(index, ids, current.center(matrix, langs), deletes)
    manifest.centering = current.record()
    return vectors.with_query_mean(index, current.query_mean())


def _fitted(store: ArticleStore, dim: int, previous: Centering, changed: Collection[int]) -> Centering:
    """The means the store's articles call for now; a recorded mean is kept while it was taken
    over the same articles (same size, none of them changed since)."""
    means: dict[str, LanguageMean] = {}
    for lang, count in store.languages().items():
        size = sample_size(count)
        if size == 0 or lang in ("", "?"):
            continue
        kept = previous.means.get(lang)
        if kept is not None and kept.articles == size and not any(row <= kept.last_row for row in changed):
            means[lang] = kept
            continue
        rows = store.filter_rowids(langs=[lang])[:size]
        stored = store.vectors(rows, dim)
        mean = np.asarray(np.stack([stored[row] for row in rows]).mean(axis=0, dtype=np.float64))
        means[lang] = LanguageMean(size, rows[-1], mean)
    return Centering(means)


def _to_recenter(store: ArticleStore, previous: Centering, current: Centering) -> list[int]:
    """The stored rows whose centered vector changes from ``previous`` to ``current``."""
    if previous.active != current.active:
        return store.all_rowids() if previous.active or current.active else []
    if not current.active:
        return []
    moved = [
        lang
        for lang in previous.means.keys() | current.means.keys()
        if lang not in previous.means or lang not in current.means or previous.means[lang] is not current.means[lang]
    ]
    if not moved:
        return []
    rows = store.filter_rowids(langs=moved)
    # The query mean moved with them: articles of languages without a mean of their own follow it.
    return [*rows, *store.filter_rowids(not_langs=sorted(current.means))]


def _languages(store: ArticleStore, rows: Sequence[int]) -> list[str | None]:
    found = store.metadata_for_rowids(list(rows))
    return [found[row][2] if row in found else None for row in rows]
