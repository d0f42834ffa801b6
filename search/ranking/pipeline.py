"""The ranking pipeline over one backend snapshot: retrieve -> exclusions -> fuse -> result-set cut ->
collapse -> recency -> sort -> page -> hits.

Every step talks to the backend only through ``index.backends.base.Snapshot``; the steps themselves
(fusion, the floor, collapse, recency) are pure functions of ``search.ranking``. ``Pipeline.search``
runs them all for a query; ``similar.py`` retrieves otherwise (a stored embedding, the source's
distinctive words) and reuses ``fuse`` and ``finish``; the evaluation runner (``search/evaluation``)
asks for the candidate runs alone.

Keyword mode by relevance takes a short cut: the backend counts every match (and which
near-duplicates among them) while ranking only as deep as the page needs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from index.backends.base import KeywordMatches, Run, Snapshot
from index.backends.query import KeywordSettings
from index.embed.base import Encoder
from index.errors import IndexFormatError
from search.query.parser import ParsedQuery
from search.ranking.collapse import collapse
from search.ranking.cross_language_notes import explain_languages
from search.ranking.fusion import FusionSettings
from search.ranking.languages import (
    QueryLanguage,
    centering_strength,
    fields_language,
    foreign,
    query_language,
)
from search.ranking.recency import RecencySettings, apply_recency
from search.ranking.result_set import Floors, SemanticFloor, cross_language_neighbours, matching
from search.results.assemble import build_hits
from search.results.hits import Hit

Mode = Literal["hybrid", "keyword", "semantic"]
MODES: tuple[str, ...] = get_args(Mode)
Sort = Literal["relevance", "date"]
SORTS: tuple[str, ...] = get_args(Sort)
# Keyword mode returns every matching article (the true total), up to this many.
MAX_RESULTS = 10_000


@dataclass(frozen=True)
class Request:
    """One page of one query, its arguments checked; ``allowed`` is its filter, resolved."""

    parsed: ParsedQuery
    mode: Mode
    limit: int
    offset: int
    allowed: list[int] | None
    sort: Sort = "relevance"
    recency: RecencySettings = field(default_factory=RecencySettings)
    facets: bool = False
    collapse_copies: bool = True
    # The whole result set (every keyword match and every neighbour above the floor, up to
    # MAX_RESULTS) instead of the candidates at fusion depth: timelines and exports count it all.
    whole: bool = False
    # The query's language as given (an ISO code); None: detected among the archive's languages.
    query_lang: str | None = None


@dataclass(frozen=True)
class Page:
    hits: list[Hit]
    total: int
    sort: Sort
    facets: dict[str, dict[str, int]] | None = None
    # The whole ranked result set the page was cut from (after collapse, recency and sort); on the
    # keyword short cut only as deep as that page needed.
    ranked: Run = field(default_factory=list)


@dataclass(frozen=True)
class Fused:
    """A fused run with the runs it came from and what each side contributed."""

    run: Run
    keyword: Run = field(default_factory=list)
    semantic: Run = field(default_factory=list)
    contributions: dict[int, tuple[float, float]] = field(default_factory=dict)
    # The query's language, and the candidates in another one (fused as ``fusion.py`` says).
    language: QueryLanguage | None = None
    foreign: frozenset[int] = frozenset()
    # How the semantic side's cosines were taken in an archive centered per language (else None).
    centering: str | None = None
    # The candidates in the result set below the floor as nearest neighbours in another language.
    nearest: frozenset[int] = frozenset()
    # The query's words the keyword side weighed by their rarity in the query's language (``KeywordMatches.reweighed``).
    reweighed: Mapping[str, float] = field(default_factory=dict)


class Pipeline:
    """Ranks queries with one fusion and keyword setting; ``encoder`` loads the query encoder when first needed."""

    def __init__(self, encoder: Callable[[], Encoder], fusion: FusionSettings, keyword: KeywordSettings) -> None:
        self.encoder = encoder
        self.fusion = fusion
        self.keyword = keyword
        self._floor = SemanticFloor()
        self._languages: tuple[int, list[str]] | None = None

    def search(self, snapshot: Snapshot, request: Request) -> Page:
        parsed, mode = request.parsed, request.mode
        quick = (
            mode == "keyword"
            and request.sort == "relevance"
            and not request.facets
            and not request.recency.active
            and not request.whole
        )
        # Before any keyword run: a query of a known language weighs words in other languages'
        # fields by its own language's rarity (``Snapshot.keyword``).
        language = None if parsed.browse else self.query_language(snapshot, parsed, request.query_lang)
        if quick and not parsed.browse:
            found = self._keyword_page(snapshot, request, language)
            if found is not None:
                matches, ranked, total = found
                page = ranked[request.offset : request.offset + request.limit]
                hits = build_hits(snapshot, page, matches.run, [], _words(parsed), {}, {}, first_rank=request.offset + 1)
                shown = Fused(matches.run, matches.run, language=language, reweighed=matches.reweighed)
                explain_languages(snapshot, hits, page, shown, self.fusion.share(fields_language(language)))
                return Page(hits, total, request.sort, ranked=ranked)
        if parsed.browse:
            # Only filters: every matching article, newest first.
            fused = Fused([(doc, 0.0) for doc in (request.allowed or [])])
            return self.finish(snapshot, fused, parsed, replace(request, sort="date"))
        depth = max(self.fusion.depth, 10 * request.limit)
        keyword_run: Run = []
        reweighed: Mapping[str, float] = {}
        if mode != "semantic":
            deep = MAX_RESULTS if mode == "keyword" or request.whole else depth
            matches = self.keyword_matches(snapshot, parsed, deep, request.allowed, language)
            keyword_run, reweighed = matches.run, matches.reweighed
        if mode == "keyword":
            return self.finish(snapshot, Fused(keyword_run, keyword_run, language=language, reweighed=reweighed), parsed, request)
        strength = centering_strength(language)
        floors = self.floors(snapshot, strength)
        floor = floors.match
        semantic_run = self.semantic_run(snapshot, parsed, depth, request.allowed, floor if request.whole else None, strength)
        # The result set is what the query matches, not every neighbour (docs, "Result set and
        # pages"): keyword matches, neighbours above the index's floor, and the nearest neighbours
        # in other languages, which no keyword can match (``cross_language_neighbours``).
        members = self._keyword_members(snapshot, parsed, keyword_run, semantic_run, language)
        cosines = dict(semantic_run)
        other = self.foreign(snapshot, language, keyword_run, semantic_run)
        neighbours = cross_language_neighbours(semantic_run, other, members, floors.neighbour)
        nearest = {doc for doc in neighbours if cosines[doc] < floor and doc not in members}  # in by this rule alone
        admitted = members | nearest
        if mode == "semantic":
            run = matching(semantic_run, admitted, cosines, floor)
            fused = Fused(run, semantic=semantic_run, language=language, nearest=frozenset(nearest))
        else:
            top = self.fuse(keyword_run[:depth], semantic_run[:depth], depth, other, language)
            run = matching(top.run, admitted, cosines, floor)
            if request.whole:
                deeper = self.fuse(keyword_run, semantic_run, MAX_RESULTS, other, language)
                run = _extended(run, matching(deeper.run, admitted, cosines, floor))
            fused = Fused(
                run,
                keyword_run,
                semantic_run,
                top.contributions,
                language,
                other,
                nearest=frozenset(nearest),
                reweighed=reweighed,
            )
        return self.finish(snapshot, replace(fused, centering=_centering(snapshot, language, strength)), parsed, request)

    # -- the steps -----------------------------------------------------------------------------

    def keyword_run(
        self,
        snapshot: Snapshot,
        parsed: ParsedQuery,
        depth: int,
        allowed: Sequence[int] | None = None,
        language: QueryLanguage | None = None,
    ) -> Run:
        """The keyword side's best ``depth``, for a query in ``language`` when it is known."""
        return self.keyword_matches(snapshot, parsed, depth, allowed, language).run

    def keyword_matches(
        self,
        snapshot: Snapshot,
        parsed: ParsedQuery,
        depth: int,
        allowed: Sequence[int] | None = None,
        language: QueryLanguage | None = None,
    ) -> KeywordMatches:
        """``keyword_run`` with what the backend says of it (the words it weighed by the query language's rarity)."""
        if parsed.query is None or (allowed is not None and not allowed):
            return KeywordMatches([], 0)
        return snapshot.keyword(parsed.query, depth, allowed, self.keyword, language=fields_language(language))

    def semantic_runs(
        self,
        snapshot: Snapshot,
        parsed: Sequence[ParsedQuery],
        depth: int,
        allowed: Sequence[int] | None = None,
        strengths: Sequence[float] | None = None,
    ) -> list[Run]:
        """Nearest neighbours of each query's free text (embedded in one batch), inside ``allowed``,
        centered at ``strengths`` (``centering_strength`` of each query's language; all 1 when None)."""
        if snapshot.vector_count() == 0 or (allowed is not None and not allowed):
            return [[] for _ in parsed]
        vectors = self.encoder().encode_queries([p.free_text for p in parsed])
        return snapshot.nearest(vectors, depth, allowed, strengths)

    def semantic_run(
        self,
        snapshot: Snapshot,
        parsed: ParsedQuery,
        depth: int,
        allowed: Sequence[int] | None,
        floor: float | None,
        strength: float = 1.0,
    ) -> Run:
        """The query's nearest neighbours without what it excludes; with a ``floor``, deep enough to
        hold every neighbour that reaches it (the depth grows fourfold until the last one is below
        it, up to ``MAX_RESULTS``), else ``depth`` of them."""
        if snapshot.vector_count() == 0 or (allowed is not None and not allowed):
            return []
        vector = self.encoder().encode_queries([parsed.free_text])
        most = min(MAX_RESULTS, snapshot.vector_count() if allowed is None else len(allowed))
        run = snapshot.nearest(vector, depth, allowed, [strength])[0]
        while floor is not None and len(run) == depth < most and run[-1][1] >= floor:
            depth = min(4 * depth, most)
            run = snapshot.nearest(vector, depth, allowed, [strength])[0]
        return self.without_excluded(snapshot, parsed, run)

    def without_excluded(self, snapshot: Snapshot, parsed: ParsedQuery, run: Run) -> Run:
        """The run without the articles that match what the query excludes, read as the keyword side
        reads it: the semantic side sees only the free text, so `a NOT b` would bring b back."""
        if parsed.query is None or not parsed.excludes or not run:
            return run
        excluded = snapshot.excluded(parsed.query, [doc for doc, _ in run], self.keyword)
        return [(doc, score) for doc, score in run if doc not in excluded]

    def semantic_floor(self, snapshot: Snapshot, strength: float = 1.0) -> float:
        return self._floor.of(snapshot, self.encoder, strength)

    def floors(self, snapshot: Snapshot, strength: float = 1.0) -> Floors:
        return self._floor.levels(snapshot, self.encoder, strength)

    def fuse(
        self,
        keyword_run: Run,
        semantic_run: Run,
        depth: int,
        foreign: frozenset[int] = frozenset(),
        language: QueryLanguage | None = None,
    ) -> Fused:
        """Fused over the whole candidate lists (a later cut leaves the ranking of what stays unchanged);
        ``foreign``: the candidates in another language than the query's (``language``)."""
        settings, code = replace(self.fusion, depth=depth), fields_language(language)
        return Fused(
            settings.fuse(keyword_run, semantic_run, foreign, code), keyword_run, semantic_run,
            settings.contributions(keyword_run, semantic_run, foreign, code), foreign=foreign,
        )  # fmt: skip

    def query_language(self, snapshot: Snapshot, parsed: ParsedQuery, given: str | None) -> QueryLanguage | None:
        """The language the query is ranked as: ``given``, else detected among the archive's languages."""
        if given is None and (self._languages is None or self._languages[0] != snapshot.generation):
            self._languages = (snapshot.generation, list(snapshot.languages()))  # counted once per committed state
        return query_language(parsed.free_text, given, self._languages[1] if self._languages else ())

    def foreign(self, snapshot: Snapshot, language: QueryLanguage | None, *runs: Run) -> frozenset[int]:
        """The candidates of ``runs`` in another language than ``language``."""
        if language is None:
            return frozenset()
        facts = snapshot.facts(list({doc for run in runs for doc, _ in run}))
        return foreign({doc: fact.lang for doc, fact in facts.items()}, language)

    def finish(self, snapshot: Snapshot, fused: Fused, parsed: ParsedQuery, request: Request) -> Page:
        """Collapse, recency, sort and the page of a fused run (facets over the whole result set)."""
        facts = snapshot.facts([doc for doc, _ in fused.run])
        run = [(doc, score) for doc, score in fused.run if doc in facts]  # rows deleted since the indexes were written
        if request.collapse_copies:
            run = collapse(run, snapshot.groups([doc for doc, _ in run]))
        dates = {doc: fact.published for doc, fact in facts.items()}
        newest = snapshot.newest_published() if request.recency.active else None
        run, boosts = apply_recency(run, dates, request.recency, newest)
        if request.sort == "date":
            # Newest first; undated last; equal dates keep their relevance order (the sort is stable).
            run = sorted(run, key=lambda item: dates.get(item[0]) or "", reverse=True)
            run = [item for item in run if dates.get(item[0])] + [item for item in run if not dates.get(item[0])]
        page = run[request.offset : request.offset + request.limit]
        hits = build_hits(
            snapshot, page, fused.keyword, fused.semantic, _words(parsed), fused.contributions, boosts,
            first_rank=request.offset + 1,
        )  # fmt: skip
        explain_languages(snapshot, hits, page, fused, self.fusion.share(fields_language(fused.language)))
        if fused.centering:
            for hit in hits:
                if hit.semantic_score is not None:
                    hit.semantic_centering = fused.centering
        facets = snapshot.facets([doc for doc, _ in run]) if request.facets else None  # by the backend: aggregations there
        return Page(hits, len(run), request.sort, facets, run)

    # -- internals -----------------------------------------------------------------------------

    def _keyword_page(
        self, snapshot: Snapshot, request: Request, language: QueryLanguage | None
    ) -> tuple[KeywordMatches, Run, int] | None:
        """Keyword mode by relevance without ranking every match: (matches, collapsed ranking, total);
        None when the backend cannot count the matches of this query (it then ranks them all)."""
        assert request.parsed.query is not None
        offset, limit = request.offset, request.limit
        shared = snapshot.shared_groups() if request.collapse_copies else {}
        window = offset + limit + 32
        while True:
            found = snapshot.keyword(
                request.parsed.query, min(window, MAX_RESULTS), request.allowed, self.keyword, watch=list(shared),
                language=fields_language(language),
            )  # fmt: skip
            if found.total is None:
                return None
            present = snapshot.article_ids({doc for doc, _ in found.run})
            ranked = [(doc, score) for doc, score in found.run if doc in present]  # rows deleted since the sync
            if request.collapse_copies:
                ranked = collapse(ranked, {doc: shared[doc] for doc, _ in ranked if doc in shared})
            if len(ranked) >= offset + limit or window >= min(found.total, MAX_RESULTS):
                break
            window *= 4
        matched_groups = [shared[doc] for doc in found.watched]
        hidden = len(matched_groups) - len(set(matched_groups))  # copies that count once
        return found, ranked, min(found.total - hidden, MAX_RESULTS)

    def _keyword_members(
        self, snapshot: Snapshot, parsed: ParsedQuery, keyword_run: Run, semantic_run: Run, language: QueryLanguage | None
    ) -> set[int]:
        """The candidates that match the keyword query: the keyword run, and the semantic candidates
        that match it below the run's depth (the keyword query restricted to them)."""
        members = {doc for doc, _ in keyword_run}
        rest = [doc for doc, _ in semantic_run if doc not in members]
        if rest:
            # A missing or damaged keyword index: semantic mode still answers, by the floor alone.
            with contextlib.suppress(IndexFormatError):
                members.update(doc for doc, _ in self.keyword_run(snapshot, parsed, len(rest), rest, language))
        return members


def _extended(top: Run, deeper: Run) -> Run:
    """``top`` followed by what ``deeper`` holds beyond it, in ``deeper``'s order: the first pages
    keep the ranking of fusion at its usual depth, and the rest of the set comes after them."""
    seen = {doc for doc, _ in top}
    return [*top, *(item for item in deeper if item[0] not in seen)]


def _centering(snapshot: Snapshot, language: QueryLanguage | None, strength: float) -> str | None:
    """What ``Hit.semantic_centering`` says in an archive centered per language (None in one that is not)."""
    centered = snapshot.centered_languages()
    if not centered:
        return None
    query = f"query {language.describe()}" if language else "query language not known"
    share = "the whole of the means" if strength == 1.0 else f"{strength:g} times the means"
    return f"semantic cosine centered per language ({', '.join(centered)}): {share} taken out ({query})"


def _words(parsed: ParsedQuery) -> tuple[Sequence[str], Sequence[str]]:
    return parsed.terms, parsed.phrases
