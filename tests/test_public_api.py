"""The public names of ``index`` and ``search``: each written once, each resolving, each documented.

A package lists its names once, as ``from MODULE import NAME as NAME`` under ``if TYPE_CHECKING:``
(``index.lazy_exports``): mypy checks this file's imports against those lines, and the tests here
check what run time makes of the same lines.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

import index.errors
import search.arguments
from index import DEFAULT_MODEL, Article, Encoder, HashingEncoder, Indexer, IngestReport, Skip, load_encoder
from index.lazy_exports import exported_names
from search import FusionSettings, Hit, KeywordSettings, NewsSearch, RecencySettings, SearchResults
from tests.conftest import ROOT

PACKAGES = ("index", "search")
# What the README tells a library user to import, by package (errors are checked separately).
REQUIRED = {
    "index": {"Indexer", "IngestReport", "Article", "Skip", "HashingEncoder", "load_encoder", "Encoder", "DEFAULT_MODEL"},
    "search": {"NewsSearch", "Hit", "SearchResults", "FusionSettings", "RecencySettings", "KeywordSettings"},
}
# Imported above by name, so that mypy --strict sees them as the packages' re-exports.
STATICALLY_IMPORTED = (DEFAULT_MODEL, Article, Encoder, HashingEncoder, Indexer, IngestReport, Skip, load_encoder)
STATICALLY_IMPORTED_SEARCH = (FusionSettings, Hit, KeywordSettings, NewsSearch, RecencySettings, SearchResults)


def package(name: str) -> ModuleType:
    return importlib.import_module(name)


def error_classes(module: ModuleType) -> set[str]:
    """The ``NewsSearchError`` subclasses (and itself) defined in ``module``."""
    return {
        name
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, index.errors.NewsSearchError) and value.__module__ == module.__name__
    }


def documented_code() -> str:
    """Everything written as code in the README and docs/*.md: inline spans and fenced blocks."""
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))]
    code: list[str] = []
    for text in texts:
        code += re.findall(r"```[a-z]*\n(.*?)```", text, re.DOTALL)
        code += re.findall(r"`([^`\n]+)`", re.sub(r"```[a-z]*\n.*?```", "", text, flags=re.DOTALL))
    return "\n".join(code)


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_derived_from_the_one_list_of_names(name: str) -> None:
    module = package(name)
    exports = exported_names(ROOT / name / "__init__.py")
    assert module.__all__ == sorted(exports)
    assert set(exports) <= set(dir(module))
    tree = ast.parse((ROOT / name / "__init__.py").read_text(encoding="utf-8"))
    code = "\n".join(ast.unparse(node) for node in tree.body[1:])  # all but the docstring
    for exported in exports:  # written once: in its import line ("import NAME as NAME"), nowhere else
        assert len(re.findall(rf"\b{exported}\b", code)) == 2, exported


@pytest.mark.parametrize("name", PACKAGES)
def test_every_exported_name_resolves_to_the_object_its_module_defines(name: str) -> None:
    module = package(name)
    for exported, source in exported_names(ROOT / name / "__init__.py").items():
        assert getattr(module, exported) is getattr(importlib.import_module(source), exported), exported
    namespace: dict[str, object] = {}
    exec(f"from {name} import *", namespace)
    assert set(module.__all__) <= set(namespace)


@pytest.mark.parametrize("name", PACKAGES)
def test_an_unknown_name_is_an_attribute_error(name: str) -> None:
    with pytest.raises(AttributeError, match=rf"module '{name}' has no attribute 'Nope'"):
        _ = package(name).Nope


def test_the_names_the_readme_promises_and_every_error_are_exported() -> None:
    for name, required in REQUIRED.items():
        assert required <= set(package(name).__all__), required - set(package(name).__all__)
    write_errors, read_errors = error_classes(index.errors), error_classes(search.arguments)
    assert write_errors and read_errors
    assert write_errors <= set(package("index").__all__), write_errors - set(package("index").__all__)
    assert write_errors | read_errors <= set(package("search").__all__)


def test_every_exported_name_is_documented() -> None:
    code = documented_code()
    names = {exported for name in PACKAGES for exported in package(name).__all__}
    missing = sorted(name for name in names if not re.search(rf"(?<![\w.]){name}(?!\w)", code))
    assert not missing, f"not written as code in README.md or docs/*.md: {missing}"


def test_importing_the_packages_loads_no_search_machinery() -> None:
    code = "import sys, index, search; print(','.join(m for m in ('numpy', 'whoosh', 'faiss', 'sqlite3') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert proc.stdout.strip() == ""


@pytest.mark.parametrize(
    ("block", "complaint"),
    [
        ("import index.article", "only 'from package.module import NAME as NAME'"),
        ("from index.article import Article", "write 'import Article as Article'"),
        ("from index.article import Article as Story", "write 'import Article as Article'"),
        ("from .article import Article as Article", "only 'from package.module import NAME as NAME'"),
        ("from index.article import Article as Article\n    from index.other import Article as Article", "exported twice"),
    ],
)
def test_a_malformed_list_of_names_is_refused(tmp_path: Path, block: str, complaint: str) -> None:
    init = tmp_path / "__init__.py"
    init.write_text(f"from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    {block}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(complaint)):
        exported_names(init)
    init.write_text("__all__ = ['x']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected one 'if TYPE_CHECKING:' block"):
        exported_names(init)


def test_both_packages_ship_py_typed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    for name in PACKAGES:
        assert (ROOT / name / "py.typed").is_file()
        assert "py.typed" in package_data[name]


def test_whoosh_is_the_distribution_and_version_docs_backends_md_names() -> None:
    """Pinned exactly: the local backend reaches into whoosh internals (docs/backends.md)."""
    from importlib.metadata import version

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    whoosh = [spec for spec in config["project"]["dependencies"] if spec.lower().startswith("whoosh")]
    assert whoosh == ["whoosh-reloaded==2.7.5"]
    assert version("whoosh-reloaded") == "2.7.5"
    assert "`whoosh-reloaded==2.7.5`" in (ROOT / "docs" / "backends.md").read_text(encoding="utf-8")
