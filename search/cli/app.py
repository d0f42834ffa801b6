"""The ``news-search`` command line: a thin shell over ``NewsSearch`` and ``index.Indexer``.

Commands parse arguments, call the library, render results, and turn library errors into one
line on stderr and an exit code. Heavy modules are imported inside the commands so that
``--help`` stays instant, and a keyword query never loads faiss, numpy's vector code paths or
an embedding model. Argument values are converted here for the common cases (see
``QuickCoercion``) so that a query does not pay for importing pydantic, which typer uses for it.
"""

from __future__ import annotations

import functools
import math
import os
import re
import sys
import time
from dataclasses import replace
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, get_args, get_origin

import typer
from typer.core import TyperCommand, TyperGroup

from index.errors import NewsSearchError, as_write_error
from search.ranking.fusion import FusionSettings, RecencySettings

if TYPE_CHECKING:
    from search.results.hits import SearchResults

INDEX_ENV = "NEWS_SEARCH_INDEX"
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DEFER = object()  # "not a common case": typer converts the value (or reports the error) itself


class QuickCoercion:
    """Converts a command-line value of a plain type (str, int, float, bool, an enum, Path, lists of these)
    the way typer's own coercion does, without building pydantic adapters.

    typer validates every parameter through a pydantic ``TypeAdapter``; importing pydantic and
    building the adapters is about 0.1 s of a 0.3 s keyword query. Only values whose conversion is
    unambiguous are handled here (digits, an exact choice, a path); anything else, including every
    invalid value, goes to typer's coercion, so errors and edge cases behave exactly as before.
    ``tests/test_cli_startup.py`` checks that both give the same values.
    """

    def __init__(self, annotation: Any, parameter_info: Any, descriptor: Any = None) -> None:
        self.annotation = annotation
        self.info = parameter_info
        # Everything this does not convert goes to typer, whose errors are then put in our words.
        self._typer = TyperCoercion(descriptor)

    @classmethod
    def handles(cls, annotation: Any, parameter_info: Any) -> bool:
        if parameter_info.parser is not None or getattr(parameter_info, "clamp", False):
            return False
        if get_origin(annotation) is list:
            (annotation,) = get_args(annotation)
        if annotation is Path:
            return parameter_info.path_type is None and not parameter_info.resolve_path and not parameter_info.allow_dash
        return annotation in (str, int, float, bool) or (isinstance(annotation, type) and issubclass(annotation, Enum))

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """Typer's ``RuntimeParam.coerce`` contract: None and missing values first, then the value."""
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        converted = _DEFER
        if get_origin(self.annotation) is list:
            if isinstance(value, list | tuple):
                (item_type,) = get_args(self.annotation)
                items = [self._convert(item, item_type, param, ctx) for item in value]
                converted = _DEFER if any(item is _DEFER for item in items) else items
        elif not multiple:
            converted = self._convert(value, self.annotation, param, ctx)
        if converted is not _DEFER:
            return converted
        return self._typer.coerce(value, param, ctx)

    def _convert(self, value: Any, annotation: Any, param: Any, ctx: Any) -> Any:
        if annotation is str or annotation is bool:
            return value if type(value) is annotation else _DEFER
        if annotation is int or annotation is float:
            if type(value) is str:
                plain = value.isascii() and (value.isdigit() if annotation is int else _DECIMAL.fullmatch(value) is not None)
            else:
                plain = type(value) is int or (annotation is float and type(value) is float)
            if not plain:
                return _DEFER
            number = annotation(value)
            if not math.isfinite(number):
                return _DEFER  # refused by TyperCoercion: "inf" is no limit, weight or half-life
            low, high = self.info.min, self.info.max
            return _DEFER if (low is not None and number < low) or (high is not None and number > high) else number
        if annotation is Path:
            if not isinstance(value, str | Path) or value == "":
                return _DEFER
            from typer._click.exceptions import BadParameter
            from typer._param_types import coerce_cli_path

            try:  # typer's own checks (exists, readable, ...), given a Path so that it needs no pydantic
                return coerce_cli_path(Path(value), self.info, path_type=Path, param=param, ctx=ctx)
            except (BadParameter, TypeError):
                return _DEFER
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            from typer._param_types import coerce_cli_choice

            try:
                return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=self.info.case_sensitive, ctx=ctx)
            except (ValueError, TypeError):
                return _DEFER
        return _DEFER


class PlainUsageError(typer.BadParameter):
    """A usage error whose message is shown as written: one line, without typer's "Invalid value for ..."."""

    def format_message(self) -> str:
        return self.message


class TyperCoercion:
    """typer's own conversion of a parameter (pydantic), with its errors rephrased by ``usage_message``.

    Used for the values ``QuickCoercion`` leaves to typer and for parameters it does not handle, so
    an invalid value gets the same message whichever path converts it.
    """

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self._runtime: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        from typer._click.exceptions import BadParameter

        if self._runtime is None:
            from typer._coercion import build_runtime_param

            self._runtime = build_runtime_param(self.descriptor or param.type_descriptor)
        try:
            converted = self._runtime.coerce(value, param=param, ctx=ctx)
        except BadParameter as exc:
            raise PlainUsageError(usage_message(param, value, exc.message), ctx=ctx, param=param) from None
        if isinstance(converted, float) and not math.isfinite(converted):
            raise PlainUsageError(usage_message(param, value, "not a finite number"), ctx=ctx, param=param)
        return converted


def parameter_name(param: Any) -> str:
    """How the user wrote the parameter: ``-n/--limit``, ``--mode``, or an argument's metavar (``ID``)."""
    if getattr(param, "param_type_name", "") == "option":
        return "/".join(param.opts)
    return str(getattr(param, "metavar", None) or (param.name or "value").upper())


def usage_message(param: Any, value: Any, fallback: str) -> str:
    """A rejected value, said in our words: what the parameter accepts and what it got.

    Called only once typer has refused ``value``, so what typer accepts stays accepted; the
    message is worked out from the parameter's declaration (type, bounds, choices).
    """
    name = parameter_name(param)
    descriptor = param.type_descriptor
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = ", ".join(str(member.value) for member in annotation)
        return f"{name} must be one of {choices} (got {value!r})"
    if annotation is int or annotation is float:
        number = _number(value, annotation)
        if number is None:
            return f"{name} must be {'a whole number' if annotation is int else 'a number'} (got {value!r})"
        if not math.isfinite(number):
            return f"{name} must be a finite number (got {value!r})"
        got = value.strip() if isinstance(value, str) else value
        if info.min is not None and number < info.min:
            return f"{name} must be at least {info.min:g} (got {got})"
        if info.max is not None and number > info.max:
            return f"{name} must be at most {info.max:g} (got {got})"
    return f"{name}: {' '.join(fallback.split())} (got {value!r})"


def _number(value: Any, annotation: type) -> float | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return float(annotation(value))
    except (ValueError, OverflowError):
        return None


@functools.cache
def _typer_internals_present() -> bool:
    """Whether this typer has the internals ``QuickCoercion`` uses (typer 0.29); if not, typer converts everything."""
    try:
        from typer._click.exceptions import BadParameter  # noqa: F401
        from typer._coercion import build_runtime_param  # noqa: F401
        from typer._param_types import coerce_cli_choice, coerce_cli_path  # noqa: F401
        from typer.core import _TyperParameter
    except ImportError:
        return False
    return callable(getattr(_TyperParameter, "get_runtime_param", None))


def quick_params(params: list[Any]) -> list[Any]:
    """``params`` (a command's, with its help option), converting their common values with ``QuickCoercion``."""
    if not _typer_internals_present():
        return params
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None or descriptor.file_annotation is not None:
            continue  # already set up, or not a typer parameter of the kind this was written for: typer converts it
        if QuickCoercion.handles(descriptor.annotation, descriptor.parameter_info):
            param._runtime_param = QuickCoercion(descriptor.annotation, descriptor.parameter_info, descriptor)
        else:
            param._runtime_param = TyperCoercion(descriptor)
    return params


class QuickCommand(TyperCommand):
    """A typer command whose parameters convert common values with ``QuickCoercion``."""

    def get_params(self, ctx: Any) -> list[Any]:
        return quick_params(super().get_params(ctx))


# Marks a query word that starts with '-' while click parses the arguments. A command-line argument
# cannot contain NUL, so the mark is never part of what the user typed.
_QUERY_WORD = "\0"
_OPTION_NAME = re.compile(r"--[A-Za-z][A-Za-z0-9-]*")


def protect_query_words(args: list[str], params: list[Any]) -> list[str]:
    """``args`` with each query word that starts with '-' marked, so that click reads it as a word.

    The query syntax has ``-word`` and ``-site:x`` (exclusions), which click would take for short
    options ("-site:x" as ``-s`` ``-i`` ...). An argument is left to click when it is an option of the
    command (``-n``, ``--limit=5``, ``-n5``, a cluster of flags), the value of one, or looks like
    an option name (``--limt``, ``-x``: click then reports it as unknown); anything else that starts
    with '-' is a query word: ``-Putin``, ``-site:meridian``, ``"-site:meridian korea"``, ``-nuclear``.
    """
    takes_value: set[str] = set()
    flags: set[str] = set()
    for param in params:
        if getattr(param, "param_type_name", "") == "option":
            (flags if param.is_flag or param.count else takes_value).update([*param.opts, *param.secondary_opts])
    marked: list[str] = []
    value_next = False
    for position, arg in enumerate(args):
        if value_next:
            marked.append(arg)  # an option's value, even "-1"
            value_next = False
        elif arg == "--":
            return marked + args[position:]
        elif _is_query_word(arg, takes_value, flags):
            marked.append(_QUERY_WORD + arg)
        else:
            marked.append(arg)
            value_next = arg in takes_value
    return marked


def _is_query_word(arg: str, takes_value: set[str], flags: set[str]) -> bool:
    if not arg.startswith("-") or arg == "-" or arg in takes_value or arg in flags:
        return False
    if arg.startswith("--"):
        return _OPTION_NAME.fullmatch(arg.split("=", 1)[0]) is None
    if len(arg) == 2:
        return not arg[1].isalpha()  # "-x" is an (unknown) option; "-5" excludes the word 5
    head, rest = arg[:2], arg[2:]
    if head in takes_value:  # "-n5": the option with its value attached
        return _number(rest, float) is None
    return not all(f"-{letter}" in flags for letter in arg[1:])  # "-qh": flags clustered


class SearchCommand(QuickCommand):
    """The ``search`` command: its query words may start with '-' (see ``protect_query_words``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, protect_query_words(args, self.get_params(ctx)))
        if ctx.params.get("query"):
            ctx.params["query"] = [word.removeprefix(_QUERY_WORD) for word in ctx.params["query"]]
        return rest


class SearchByDefault(TyperGroup):
    """Routes ``news-search QUERY`` to the ``search`` command when QUERY is not a command name."""

    # ctx is typer's vendored click Context, which typer does not export under a public name.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--install-completion", "--show-completion"):
            args = ["search", *args]
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        return quick_params(super().get_params(ctx))


app = typer.Typer(
    cls=SearchByDefault,
    help="Search a news archive: keyword (BM25) and semantic search, fused.\n\n"
    'Run `news-search index PATH...` once, then `news-search "your query"`.',
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class SearchMode(StrEnum):
    hybrid = "hybrid"
    keyword = "keyword"
    semantic = "semantic"


class Analysis(StrEnum):
    snowball = "snowball"
    plain = "plain"


class FusionMethod(StrEnum):
    rrf = "rrf"
    weighted = "weighted"


def default_index_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "news-search" / "index"


class Normalization(StrEnum):
    zscore = "zscore"
    minmax = "minmax"


DEFAULT_FUSION = FusionSettings()
FusionOption = Annotated[FusionMethod, typer.Option("--fusion", help="How hybrid mode combines the two rankings.")]
RrfKOption = Annotated[float, typer.Option("--rrf-k", min=0, help="k of reciprocal rank fusion (--fusion rrf).")]
AlphaOption = Annotated[float, typer.Option("--alpha", min=0.0, max=1.0, help="Weight of the semantic side (--fusion weighted).")]
NormalizationOption = Annotated[
    Normalization, typer.Option("--normalization", help="Score normalization before weighting (--fusion weighted).")
]
IndexOption = Annotated[
    Path | None,
    typer.Option(
        "--index", envvar=INDEX_ENV, help=f"Index folder [default: ${INDEX_ENV}, else {default_index_dir()}]", show_default=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


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


@app.command(cls=SearchCommand)
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
    model: Annotated[str | None, typer.Option("--model", help="Refuse to search unless the index uses this model.")] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search the archive (the default command: `news-search QUERY` is `news-search search QUERY`)."""
    from search.facade import NewsSearch

    text = " ".join(query)
    settings = replace(DEFAULT_FUSION, method=fusion.value, rrf_k=rrf_k, alpha=alpha, normalization=normalization.value)
    with NewsSearch(_index_dir(index), model=model, fusion=settings) as engine:
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
        )
        if results.total == 0 and results.filter:  # say which filter leaves nothing, and what there is
            results.notes.extend(engine.filter_notes(text, since=since, until=until, site=site, lang=lang, author=author))
    _print_results(results, as_json=as_json, explain=explain)


@app.command(cls=QuickCommand)
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

    with NewsSearch(_index_dir(index)) as engine:
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
        if results.total == 0 and results.filter:
            results.notes.extend(engine.filter_notes(since=since, until=until, site=site, lang=lang, author=author))
    _print_results(results, as_json=as_json, explain=explain)


@app.command(cls=QuickCommand)
def group(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (as shown in results) or its URL.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """The article and its near-duplicates: the same story as published by other outlets."""
    from search.cli.render import render_group
    from search.facade import NewsSearch

    with NewsSearch(_index_dir(index)) as engine:
        members = engine.group_members(article_id)
    if as_json:
        listed = [{k: v for k, v in article.to_dict().items() if k != "text"} for article in members]
        _print_json({"id": article_id, "articles": listed})
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
        _print_json(results.to_dict())
        return
    from search.cli.render import render_results

    typer.echo(render_results(results, color=_color(), explain=explain))


@app.command("index", cls=QuickCommand)
def index_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders: HTML (.html, .htm, also .gz), WARC, JSONL, .txt clippings.", show_default=False),
    ] = [],  # noqa: B006
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="Embedding model for a new index: a sentence-transformers name or local path, or hashing-N."
        ),
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-derive both indexes from the stored articles first.")] = False,
    analysis: Annotated[
        Analysis | None,
        typer.Option(
            "--analysis", help="Keyword analysis for a new index (or with --rebuild): snowball stemming by language, or plain."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Extraction processes (default: cores - 1, at most 4; 0: none).")
    ] = None,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Build or update the index from saved pages. Re-running it is safe: unchanged pages are skipped.

    Interrupted (even killed)? Run the same command again: committed work is kept, the rest is done.
    """
    from index.backends.local.keyword.schema import DEFAULT_ANALYSIS
    from index.ingest.indexer import Indexer
    from search.cli.render import render_report

    if not paths and not rebuild:
        raise PlainUsageError("give one or more files or folders to index (or --rebuild)")
    show_progress = not quiet and not as_json and sys.stderr.isatty()
    if not quiet:
        _show_library_notices()  # e.g. the one-time preparation of the default model

    chosen = analysis.value if analysis else None
    if rebuild:
        from index.backends.local.layout import IndexLayout
        from index.backends.local.manifest import prepare_rebuild

        prepare_rebuild(IndexLayout(_index_dir(index)))  # an index of another format version: keep the store
    rebuilt: dict[str, Any] | None = None
    with Indexer(_index_dir(index), model=model, analysis=chosen or DEFAULT_ANALYSIS, workers=workers) as indexer:
        if rebuild:
            started = time.perf_counter()
            indexer.rebuild(chosen)
            rebuilt = {
                "articles": indexer.store.count(),
                "analysis": indexer.manifest.analysis,
                "seconds": round(time.perf_counter() - started, 3),
            }
        elif chosen and chosen != indexer.manifest.analysis:
            raise PlainUsageError(f"this index uses {indexer.manifest.analysis!r} analysis: add --rebuild to change it")
        try:
            if show_progress:
                from search.cli.progress import IngestProgressBar

                with IngestProgressBar() as bar:
                    report = indexer.add(paths, progress=bar)
            else:
                report = indexer.add(paths)
        except KeyboardInterrupt:
            _fail("interrupted: the batches committed so far are kept; run the same command again to finish", 130)
    summary = report.to_dict()
    if rebuilt is not None:
        summary["rebuilt"] = rebuilt
    if as_json:
        _print_json(summary)
    elif not quiet:
        typer.echo(render_report(summary))


@app.command(cls=QuickCommand)
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (as shown in results) or its URL.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one stored article with its full text."""
    from search.cli.render import render_article
    from search.facade import NewsSearch

    with NewsSearch(_index_dir(index)) as engine:
        article = engine.get(article_id)
    if as_json:
        _print_json(article.to_dict())
    else:
        typer.echo(render_article(article, color=_color()))


@app.command(cls=QuickCommand)
def stats(index: IndexOption = None, as_json: JsonOption = False) -> None:
    """Show what the index holds: articles, model, size, languages, skipped pages (listed with --json)."""
    from search.cli.render import render_stats
    from search.facade import NewsSearch

    with NewsSearch(_index_dir(index)) as engine:
        data = engine.stats()
        if as_json:
            data["skipped_pages"] = engine.skipped_pages()
            data["noted_pages"] = engine.noted_pages()
    if as_json:
        _print_json(data)
    else:
        typer.echo(render_stats(data))


@app.command(cls=QuickCommand)
def remove(
    article_ids: Annotated[list[str], typer.Argument(metavar="ID...", help="Ids of the articles to delete.")],
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete articles from the store and from both indexes."""
    from index.backends.local.layout import IndexLayout
    from index.backends.local.manifest import read_manifest
    from index.errors import ArticleNotFoundError
    from index.ingest.indexer import Indexer

    index_dir = _index_dir(index)
    read_manifest(IndexLayout(index_dir))  # a clear error when there is no index, before creating anything
    with Indexer(index_dir) as indexer:
        removed = indexer.remove(article_ids)
    missing = list(dict.fromkeys(a for a in article_ids if a not in removed))
    if as_json:
        _print_json({"removed": removed, "missing": missing})
    else:
        for article_id in removed:
            typer.echo(f"removed {article_id}")
    if missing:  # the known ones are removed; an unknown id is still an error, so a script notices the typo
        kept = f" ({len(removed)} other{'s' if len(removed) != 1 else ''} removed)" if removed else ""
        raise ArticleNotFoundError(f"no article with id {', '.join(missing)}{kept}")


@app.command("eval", cls=QuickCommand)
def eval_command(
    queries: Annotated[
        Path, typer.Option("--queries", help="Queries, JSONL with 'id' (or BEIR's '_id') and 'text'.", show_default=False)
    ],
    qrels: Annotated[
        Path,
        typer.Option(
            "--qrels", help="Judgments, TSV: query_id, doc_id, relevance (BEIR's header line allowed).", show_default=False
        ),
    ],
    sweep: Annotated[
        bool, typer.Option("--sweep", help="Also try fusion settings (method, k, alpha, normalization, depth).")
    ] = False,
    fusion: FusionOption = FusionMethod(DEFAULT_FUSION.method),
    rrf_k: RrfKOption = DEFAULT_FUSION.rrf_k,
    alpha: AlphaOption = DEFAULT_FUSION.alpha,
    normalization: NormalizationOption = Normalization(DEFAULT_FUSION.normalization),
    recency: Annotated[
        float, typer.Option("--recency", min=0.0, help="Recency weight to compare with the boost off (the default).")
    ] = 0.2,
    half_life: Annotated[float, typer.Option("--half-life", min=1.0, help="Days after which the boost is halved.")] = 365.0,
    index: IndexOption = None,
    as_json: JsonOption = False,
) -> None:
    """Measure relevance on judged queries: MRR@10, nDCG@10, recall@1/10/100 per mode, and hybrid with recency off and on."""
    from search.evaluate import evaluate, load_qrels, load_queries, missing_warning, render_report
    from search.facade import NewsSearch

    query_texts, judgments = load_queries(queries), load_qrels(qrels)
    show_progress = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rretrieving: {done}/{total} queries ")
        sys.stderr.flush()
        if done == total:
            sys.stderr.write("\n")

    settings = replace(DEFAULT_FUSION, method=fusion.value, rrf_k=rrf_k, alpha=alpha, normalization=normalization.value)
    with NewsSearch(_index_dir(index), fusion=settings) as engine:
        report = evaluate(
            engine,
            query_texts,
            judgments,
            sweep=sweep,
            progress=progress if show_progress else None,
            recency=RecencySettings(weight=recency, half_life_days=half_life),
        )
    if as_json:
        # The count is in the JSON ("missing"); stderr says it too, for whoever only watches the run.
        if warning := missing_warning(report):
            typer.echo(f"news-search: {warning}", err=True)
        _print_json(report.to_dict())
    else:
        typer.echo(render_report(report))


def _show_library_notices() -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("news-search: %(message)s"))
    library = logging.getLogger("index")
    library.addHandler(handler)
    library.setLevel(logging.INFO)


def _index_dir(option: Path | None) -> Path:
    return (option or default_index_dir()).expanduser()


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _print_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"news-search: error: {message}\n")
    raise SystemExit(code)


def _one_line(message: str) -> str:
    """click's message on one line, starting lower-case like ours ("no such option: --bogus")."""
    text = " ".join(message.split())
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: every error becomes one line on stderr and an exit code.

    Usage errors (unknown options, bad values: exit 2) are reported here rather than by typer, whose
    boxed report repeats the usage and, for values, pydantic's wording.
    """
    from typer._click.exceptions import ClickException, UsageError

    try:
        code = app(args=argv, prog_name="news-search", standalone_mode=False)
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # the help: printed already by rich, else it is the message
            if exc.format_message().strip():
                sys.stderr.write(exc.format_message() + "\n")
            raise SystemExit(exc.exit_code) from None
        message = _one_line(exc.format_message())
        if not isinstance(exc, PlainUsageError) and exc.ctx is not None:  # click's words: point at the help
            message += f" (see `{exc.ctx.command_path} --help`)"
        _fail(message, exc.exit_code)
    except ClickException as exc:
        _fail(_one_line(exc.format_message()), exc.exit_code)
    except typer.Abort:
        _fail("aborted", 1)
    except NewsSearchError as exc:
        _fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()  # `news-search ... | head` is normal use, not an error
        raise SystemExit(0) from None
    except Exception as exc:
        failure = as_write_error(exc)  # a full disk mid-ingest: one clear line, the last commit stands
        if failure is not None:
            _fail(str(failure), failure.exit_code)
        if isinstance(exc, OSError):
            _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc), 1)
        raise
    # Not standalone, typer returns the code of a typer.Exit; a console script ends as a process does.
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
