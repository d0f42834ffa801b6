"""The ``news-search`` command line: the typer app, its commands, and ``main()``, which turns every
error into one line on stderr and an exit code.

The commands live by group (``search_commands``, ``index_commands``, ``eval_command``) and are
registered here, in the order ``--help`` lists them. Heavy modules are imported inside the
commands, so ``--help`` stays instant and a keyword query never loads faiss, numpy's vector code
or an embedding model; common argument values are converted without pydantic (``coercion``).
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup

from index.errors import NewsSearchError, as_write_error
from search.cli import eval_command, index_commands, search_commands, serve_command
from search.cli.argv import first_word, option_names
from search.cli.coercion import QuickCommand, quick_params
from search.cli.options import PlainUsageError, fail

_GROUP_WORDS = ("--help", "-h", "--install-completion", "--show-completion")


class SearchByDefault(TyperGroup):
    """Routes ``news-search QUERY`` to the ``search`` command when QUERY is not a command name.

    Options may come before the command (``news-search --index DIR stats``): the command is the
    first word after options of that command and their values; anything else is a query.
    """

    # ctx is typer's vendored click Context, which typer does not export under a public name.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in _GROUP_WORDS:
            args = self.route(args)
        return super().parse_args(ctx, args)

    def route(self, args: list[str]) -> list[str]:
        """``args`` with the command name first: the one named after leading options, else ``search``."""
        if args[0] in self.commands:
            return args
        for name, command in self.commands.items():
            takes_value, flags = option_names(command.params)
            position = first_word(args, takes_value, flags | {"-h", "--help"})
            if position is not None and args[position] == name:
                return [name, *args[:position], *args[position + 1 :]]
        return ["search", *args]

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
app.command(cls=search_commands.SearchCommand)(search_commands.search)
app.command(cls=QuickCommand)(search_commands.similar)
app.command(cls=QuickCommand)(search_commands.group)
app.command("index", cls=QuickCommand)(index_commands.index_command)
app.command(cls=QuickCommand)(search_commands.show)
app.command(cls=QuickCommand)(index_commands.stats)
app.command(cls=QuickCommand)(index_commands.remove)
app.command("eval", cls=QuickCommand)(eval_command.eval_command)
app.command(cls=QuickCommand)(serve_command.serve)


def _one_line(message: str) -> str:
    """click's message on one line, starting lower-case like ours ("no such option: --bogus")."""
    text = " ".join(message.split())
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: every error becomes one line on stderr and an exit code.

    Usage errors (unknown options, bad values: exit 2) are reported here rather than by typer, whose
    boxed report repeats the usage and, for values, pydantic's wording. The library's errors get the
    code ``exit_codes`` gives their type.
    """
    from typer._click.exceptions import ClickException, UsageError

    from search.cli.exit_codes import FAILURE, exit_code

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
        fail(message, exc.exit_code)
    except ClickException as exc:
        fail(_one_line(exc.format_message()), exc.exit_code)
    except typer.Abort:
        fail("aborted", FAILURE)
    except NewsSearchError as exc:
        fail(str(exc), exit_code(exc))
    except BrokenPipeError:
        sys.stderr.close()  # `news-search ... | head` is normal use, not an error
        raise SystemExit(0) from None
    except Exception as exc:
        failure = as_write_error(exc)  # a full disk mid-ingest: one clear line, the last commit stands
        if failure is not None:
            fail(str(failure), exit_code(failure))
        if isinstance(exc, OSError):
            fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc), FAILURE)
        raise
    # Not standalone, typer returns the code of a typer.Exit; a console script ends as a process does.
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
