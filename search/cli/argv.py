"""Reading the command line before click does: which words are options, option values or query words.

Two users: the ``search`` command, whose query words may start with '-' (``-word`` and ``-site:x``
exclude, and click would take them for short options), and the top-level group, which finds the
command name after leading options (``news-search --index DIR stats``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from search.cli.coercion import as_number

# Marks a query word that starts with '-' while click parses the arguments. A command-line argument
# cannot contain NUL, so the mark is never part of what the user typed.
QUERY_WORD = "\0"
_OPTION_NAME = re.compile(r"--[A-Za-z][A-Za-z0-9-]*")


def option_names(params: Iterable[Any]) -> tuple[set[str], set[str]]:
    """The option names of ``params`` (click parameters): those that take a value, and the flags."""
    takes_value: set[str] = set()
    flags: set[str] = set()
    for param in params:
        if getattr(param, "param_type_name", "") == "option":
            (flags if param.is_flag or param.count else takes_value).update([*param.opts, *param.secondary_opts])
    return takes_value, flags


def protect_query_words(args: list[str], params: list[Any]) -> list[str]:
    """``args`` with each query word that starts with '-' marked (``QUERY_WORD``), so that click reads it as a word.

    An argument is left to click when it is an option of the command (``-n``, ``--limit=5``, ``-n5``,
    a cluster of flags), the value of one, or looks like an option name (``--limt``, ``-x``: click
    then reports it as unknown); anything else that starts with '-' is a query word: ``-Putin``,
    ``-site:meridian``, ``"-site:meridian korea"``, ``-nuclear``.
    """
    takes_value, flags = option_names(params)
    marked: list[str] = []
    value_next = False
    for position, arg in enumerate(args):
        if value_next:
            marked.append(arg)  # an option's value, even "-1"
            value_next = False
        elif arg == "--":
            return marked + args[position:]
        elif _is_query_word(arg, takes_value, flags):
            marked.append(QUERY_WORD + arg)
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
        return as_number(rest, float) is None
    return not all(f"-{letter}" in flags for letter in arg[1:])  # "-qh": flags clustered


def first_word(args: list[str], takes_value: set[str], flags: set[str]) -> int | None:
    """The position of the first argument that is neither one of these options nor an option's value.

    Options are recognised as click reads them: ``--index DIR``, ``--index=DIR``, ``-n5``, ``-qh``.
    """
    value_next = False
    for position, arg in enumerate(args):
        if value_next:
            value_next = False
        elif arg in takes_value:
            value_next = True
        elif not _is_known_option(arg, takes_value, flags):
            return position
    return None


def _is_known_option(arg: str, takes_value: set[str], flags: set[str]) -> bool:
    if arg in flags:
        return True
    if arg.startswith("--"):
        return "=" in arg and arg.split("=", 1)[0] in takes_value
    if len(arg) < 2 or not arg.startswith("-"):
        return False
    if arg[:2] in takes_value:  # "-n5"
        return True
    return all(f"-{letter}" in flags for letter in arg[1:])
