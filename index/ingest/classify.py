"""What a page becomes before anything is embedded: unchanged, an exact duplicate, a skip, or a write;
and which near-duplicate group a written article joins.

Decided from the writer's look-ups (``index.backends.base.Writer``) and from the articles already
classified but not yet committed, which the writer cannot know of yet. Kept apart from the
orchestration (``indexer.py``) because these are the rules that decide what an archive holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from index.article import Article, Note, Skip
from index.backends.base import Writer
from index.extract.neardup import Signature, is_near_duplicate, signature
from index.ingest.report import IngestReport
from index.ingest.workers import Extracted

# Skip reasons that depend only on the page's own bytes, so the same bytes give the same reason.
LASTING_SKIPS = frozenset({"not_html", "not_text", "too_short", "not_article", "missing_field"})


@dataclass
class Write:
    article: Article
    signature: Signature | None
    fingerprint: str | None


@dataclass
class Unit:
    """Consecutive pages committed together: articles to write (in source order), skips, fingerprints."""

    number: int
    writes: list[Write] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, list[Note]]] = field(default_factory=list)  # (source, notes now) of unchanged articles

    @property
    def size(self) -> int:
        return len(self.writes) + len(self.skips) + len(self.seen) + len(self.notes)


class Classifier:
    """Classifies pages in source order, remembering those classified but not yet committed."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer
        # Articles classified but not yet committed (id -> content hash, text hash -> id), with the
        # number of the unit that carries them: the writer cannot answer for them yet.
        self._inflight_ids: dict[str, tuple[str, int]] = {}
        self._inflight_text: dict[str, tuple[str, int]] = {}

    def unchanged_page(self, source: str, fingerprint: str, report: IngestReport) -> bool:
        """Same bytes as last time and their outcome still stands: count it without extracting again."""
        outcome = self._writer.seen(source, fingerprint)
        if outcome is None:
            return False
        if outcome.startswith("skip:"):
            report.skipped[outcome.removeprefix("skip:")] += 1
            return True
        if self._writer.document_number(outcome) is None:  # removed since: extract and index it again
            return False
        report.unchanged += 1
        return True

    def classify(self, extracted: Extracted, unit: Unit, report: IngestReport) -> None:
        """Add the page to ``unit`` as a write, an unchanged page (its fingerprint, its notes) or a skip."""
        result = extracted.result
        source, fingerprint = extracted.source, extracted.fingerprint
        if isinstance(result, Skip):
            report.skipped[result.reason] += 1
            unit.skips.append(result)
            if fingerprint and result.reason in LASTING_SKIPS:
                unit.seen.append((result.source, fingerprint, f"skip:{result.reason}"))
            return
        article = result
        inflight = self._inflight_ids.get(article.id)
        known = inflight[0] if inflight else self._writer.content_hash(article.id)
        if known == article.content_hash:
            report.unchanged += 1
            if fingerprint and source:
                unit.seen.append((source, fingerprint, article.id))
            report.notes.update(note.kind for note in article.notes)
            # What is stored stays, but its notes may have changed (or predate this release).
            if source and (article.notes or self._writer.has_notes(source)):
                unit.notes.append((source, article.notes))
            return
        same = self._inflight_text.get(article.text_hash)
        same_text = same[0] if same else self._writer.article_with_text(article.text_hash)
        if same_text is not None and same_text != article.id:
            # Not remembered by fingerprint: whether a page is a duplicate depends on the other pages.
            report.skipped["duplicate"] += 1
            unit.skips.append(Skip(source or article.id, "duplicate", f"same text as article {same_text}"))
            return
        unit.writes.append(Write(article, extracted.signature, fingerprint))
        report.notes.update(note.kind for note in article.notes)
        self._inflight_ids[article.id] = (article.content_hash, unit.number)
        self._inflight_text[article.text_hash] = (article.id, unit.number)

    def committed(self, unit: Unit) -> None:
        """The unit is committed: the writer answers for its articles from now on."""
        for write in unit.writes:
            if self._inflight_ids.get(write.article.id, (None, 0))[1] == unit.number:
                del self._inflight_ids[write.article.id]
            if self._inflight_text.get(write.article.text_hash, (None, 0))[1] == unit.number:
                del self._inflight_text[write.article.text_hash]

    def clear(self) -> None:
        self._inflight_ids.clear()
        self._inflight_text.clear()


def near_duplicate_group(writer: Writer, doc: int | None, article_id: str, sig: Signature | None) -> str:
    """The group of the most similar stored article (other than ``doc``) that is a near-duplicate,
    else a new group named by the article's own id."""
    if sig is None:
        return article_id
    best: tuple[float, str] | None = None
    for other_doc, _other_id, other, group in writer.near_duplicate_candidates(sig.band_keys()):
        if other_doc == doc:
            continue
        similar, jaccard = is_near_duplicate(sig, other)
        if similar and (best is None or jaccard > best[0]):
            best = (jaccard, group)
    return best[1] if best else article_id


def backfill_groups(writer: Writer, chunk: int = 1000) -> None:
    """Articles stored before near-duplicate groups existed get signatures and groups, once."""
    after = 0
    while articles := writer.ungrouped(after, chunk):
        after = articles[-1][0]
        with writer.batch():
            for doc, article in articles:
                sig = signature(article.text)
                writer.set_group(doc, sig, near_duplicate_group(writer, doc, article.id, sig))
