"""A package's public names, written once and loaded on first use (PEP 562).

A package ``__init__`` lists each public name once, as ``from MODULE import NAME as NAME`` inside
``if TYPE_CHECKING:``. Type checkers read those lines as ordinary re-exports; at run time they are
not executed, and ``lazy_exports`` reads the same lines from the package's source instead, so that
``__all__``, ``dir()`` and attribute access come from them, and a module is imported only when one
of its names is first used. That keeps ``news-search --help``, which imports ``search``, free of
faiss, whoosh and numpy (tests/cli/test_cli_startup.py), at the cost of parsing one short file with
``ast``, which ``inspect`` and ``dataclasses`` import anyway.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from os import PathLike
from typing import Any


def exported_names(init_file: str | PathLike[str]) -> dict[str, str]:
    """``{name: module}`` from the ``if TYPE_CHECKING:`` block of a package's ``__init__.py``."""
    with open(init_file, encoding="utf-8") as source:
        tree = ast.parse(source.read(), filename=str(init_file))
    blocks = [node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"]
    if len(blocks) != 1:
        raise ValueError(f"{init_file}: expected one 'if TYPE_CHECKING:' block of public names, found {len(blocks)}")
    exports: dict[str, str] = {}
    for statement in blocks[0].body:
        if not isinstance(statement, ast.ImportFrom) or statement.level or statement.module is None:
            raise ValueError(f"{init_file}:{statement.lineno}: only 'from package.module import NAME as NAME' lines belong here")
        for alias in statement.names:
            if alias.asname != alias.name:
                raise ValueError(
                    f"{init_file}:{statement.lineno}: write 'import {alias.name} as {alias.name}' (an explicit re-export)"
                )
            if alias.name in exports:
                raise ValueError(f"{init_file}:{statement.lineno}: {alias.name} is exported twice")
            exports[alias.name] = statement.module
    return exports


def lazy_exports(package: str, init_file: str) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``__all__``, ``__getattr__`` and ``__dir__`` for the package ``package`` defined in ``init_file``."""
    exports = exported_names(init_file)

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # the next access is a plain attribute
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exports})

    return sorted(exports), __getattr__, __dir__
