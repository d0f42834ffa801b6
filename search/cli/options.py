"""What the commands share: the option types (index, output, fusion), the index location, the
one-line usage error, and the few output helpers (JSON, colour, the error line).

Kept free of heavy imports: every command module imports it, and ``news-search --help`` loads them all.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from search.ranking.fusion import FusionSettings

INDEX_ENV = "NEWS_SEARCH_INDEX"


class PlainUsageError(typer.BadParameter):
    """A usage error whose message is shown as written: one line, without typer's "Invalid value for ..."."""

    def format_message(self) -> str:
        return self.message


def default_index_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "news-search" / "index"


def index_dir(option: Path | str | None) -> Path | str:
    """The index: ``--index``, else ``$NEWS_SEARCH_INDEX`` (typer reads it), else the default folder.
    A cluster address (``opensearch://HOST:PORT/NAME``) is passed on as written: a Path would fold its ``//``."""
    from index.backends import is_cluster_location

    if isinstance(option, str) and is_cluster_location(option):
        return option
    return Path(option or default_index_dir()).expanduser()


class FusionMethod(StrEnum):
    rrf = "rrf"
    weighted = "weighted"


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
QueryLangOption = Annotated[
    str | None,
    typer.Option(
        "--query-lang",
        metavar="LANG",
        help="The query's language (ISO code, e.g. en, id) [default: detected among the archive's languages].",
    ),
]


def fusion_settings(fusion: FusionMethod, rrf_k: float, alpha: float, normalization: Normalization) -> FusionSettings:
    """The fusion options (``--fusion``, ``--rrf-k``, ``--alpha``, ``--normalization``) as settings."""
    return replace(DEFAULT_FUSION, method=fusion.value, rrf_k=rrf_k, alpha=alpha, normalization=normalization.value)


IndexOption = Annotated[
    str | None,
    typer.Option(
        "--index",
        envvar=INDEX_ENV,
        help=f"Index folder or opensearch://HOST:PORT/NAME [default: ${INDEX_ENV}, else {default_index_dir()}]",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def color() -> bool:
    """Colour only on a terminal, and not when ``NO_COLOR`` is set."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def print_json(data: Any) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def fail(message: str, code: int) -> NoReturn:
    """End the command with ``message`` as the one line on stderr and exit ``code``."""
    sys.stderr.write(f"news-search: error: {message}\n")
    raise SystemExit(code)
