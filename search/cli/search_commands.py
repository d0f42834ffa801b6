"""The reading commands: ``search`` (the default: ``news-search QUERY``), ``similar``, ``group`` and ``show``.

Each opens a ``NewsSearch`` (imported inside the command, so that ``--help`` loads no search
machinery), asks it, and prints the answer as text or JSON.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from search.cli.argv import QUERY_WORD, protect_query_words
from search.cli.coercion import QuickCommand
from search.cli.options import (
    DEFAULT_FUSION,
    AlphaOption,
    FusionMethod,
    FusionOption,
    IndexOption,
    JsonOption,
    Normalization,
    NormalizationOption,
    PlainUsageError,
    QueryLangOption,
    RrfKOption,
    color,
    fusion_settings,
    index_dir,
    print_json,
)
from search.ranking.recency import RecencySettings

if TYPE_CHECKING:
    from search.results.hits import SearchResults


class SearchCommand(QuickCommand):
    """The ``search`` command: its query words may start with '-' (see ``protect_query_words``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, protect_query_words(args, self.get_params(ctx)))
        if ctx.params.get("query"):
            ctx.params["query"] = [word.removeprefix(QUERY_WORD) for word in ctx.params["query"]]
        return rest


class SearchMode(StrEnum):
    hybrid = "hybrid"
    keyword = "keyword"
    semantic = "semantic"


class SortOrder(StrEnum):
    relevance = "relevance"
    date = "date"


SinceOption = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="Published on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="Published on or before DATE (YYYY-MM means through its end).")
]
SiteOption = Annotated[
    list[str] | None, typer.Option("--site", help="From this site (name contains it, any case); repeat for several.")
]
LangOption = Annotated[list[str] | None, typer.Option("--lang", help="In this language (ISO code, e.g. id, en); repeatable.")]
AuthorOption = Annotated[
    list[str] | None, typer.Option("--author", help="By this author (name contains it, any case); repeatable.")
]
PageOption = Annotated[int | None, typer.Option("--page", min=1, help="Page number (pages of --limit results) [default: 1].")]
OffsetOption = Annotated[int | None, typer.Option("--offset", min=0, help="Skip this many results (instead of --page).")]
ExplainOption = Annotated[
    bool, typer.Option("--explain", help="Show each hit's keyword and semantic rank and score, fusion shares and boost.")
]


def search(
    query: Annotated[
        list[str],
        typer.Argument(
            help="What to look for. Quotes make a phrase; AND, OR, NOT, +word, -word, title:, site:, lang:, author:, "
            "since:, until: and date: work."
        ),
    ],
    limit: Annotated[int, typer.Option("-n", "--limit", min=1, max=1000, help="Number of results.")] = 10,
    mode: Annotated[SearchMode, typer.Option("--mode", help="Which retrievers to use.")] = SearchMode.hybrid,
    since: SinceOption = None,
    until: UntilOption = None,
    site: SiteOption = None,
    lang: LangOption = None,
    author: AuthorOption = None,
    sort: Annotated[SortOrder, typer.Option("--sort", help="Order: best match first, or newest first.")] = SortOrder.relevance,
    recency: Annotated[
        float, typer.Option("--recency", min=0.0, help="Boost newer articles by up to this much after fusion (0: off).")
    ] = 0.0,
    half_life: Annotated[
        float, typer.Option("--half-life", min=1.0, help="Days after which the recency boost is halved.")
    ] = RecencySettings().half_life_days,
    page: PageOption = None,
    offset: OffsetOption = None,
    facets: Annotated[bool, typer.Option("--facets", help="Count the whole result set by site, language and month.")] = False,
    explain: ExplainOption = False,
    all_copies: Annotated[
        bool, typer.Option("--all-copies", help="List every copy of a syndicated story, not one hit per story.")
    ] = False,
    fusion: FusionOption = FusionMethod(DEFAULT_FUSION.method),
    rrf_k: RrfKOption = DEFAULT_FUSION.rrf_k,
    alpha: AlphaOption = DEFAULT_FUSION.alpha,
    normalization: NormalizationOption = Normalization(DEFAULT_FUSION.normalization),
    query_lang: QueryLangOption = None,
    model: Annotated[str | None, typer.Option("--model", help="Refuse to search unless the index uses this model.")] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search the archive (the default command: `news-search QUERY` is `news-search search QUERY`)."""
    from search.facade import NewsSearch

    text = " ".join(query)
    settings = fusion_settings(fusion, rrf_k, alpha, normalization)
    with NewsSearch(index_dir(index), model=model, fusion=settings) as engine:
        results = engine.search_results(
            text,
            limit=limit,
            mode=mode.value,
            offset=_first_result(page, offset, limit),
            since=since,
            until=until,
            site=site,
            lang=lang,
            author=author,
            sort=sort.value,
            recency=RecencySettings(weight=recency, half_life_days=half_life),
            facets=facets,
            collapse_copies=not all_copies,
            query_lang=query_lang,
        )
    _print_results(results, as_json=as_json, explain=explain)


def similar(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (as shown in results) or its URL.")],
    limit: Annotated[int, typer.Option("-n", "--limit", min=1, max=1000, help="Number of results.")] = 10,
    since: SinceOption = None,
    until: UntilOption = None,
    site: SiteOption = None,
    lang: LangOption = None,
    author: AuthorOption = None,
    page: PageOption = None,
    offset: OffsetOption = None,
    explain: ExplainOption = False,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """More like this: articles related to a stored one, without the article itself and its near-copies."""
    from search.facade import NewsSearch

    with NewsSearch(index_dir(index)) as engine:
        results = engine.similar_results(
            article_id,
            limit=limit,
            offset=_first_result(page, offset, limit),
            since=since,
            until=until,
            site=site,
            lang=lang,
            author=author,
        )
    _print_results(results, as_json=as_json, explain=explain)


def group(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (as shown in results) or its URL.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """The article and its near-duplicates: the same story as published by other outlets."""
    from search.cli.render import render_group
    from search.facade import NewsSearch
    from search.results.hits import group_to_dict

    with NewsSearch(index_dir(index)) as engine:
        members = engine.group_members(article_id)
    if as_json:
        print_json(group_to_dict(article_id, members))
    else:
        typer.echo(render_group(members))


def _first_result(page: int | None, offset: int | None, limit: int) -> int:
    """The offset of the page asked for; --page and --offset are two ways of saying it, so not both."""
    if page is not None and offset is not None:
        raise PlainUsageError(
            f"give --page or --offset, not both (--page {page} is --offset {(page - 1) * limit} with -n {limit})"
        )
    return offset if offset is not None else ((page or 1) - 1) * limit


def _print_results(results: SearchResults, *, as_json: bool, explain: bool) -> None:
    if as_json:
        print_json(results.to_dict())
        return
    from search.cli.render import render_results

    typer.echo(render_results(results, color=color(), explain=explain))


def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (as shown in results) or its URL.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one stored article with its full text."""
    from search.cli.render import render_article
    from search.facade import NewsSearch

    with NewsSearch(index_dir(index)) as engine:
        article = engine.get(article_id)
    if as_json:
        print_json(article.to_dict())
    else:
        typer.echo(render_article(article, color=color()))
