"""The README and docs/*.md point at what exists: files, headings, CLI options, benchmark flags,
constructor arguments, and the exit code of every error.

The library example of the README runs in tests/test_readme.py (it needs the real model).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest
import typer.core
import typer.main

import index.errors
import search
import search.arguments  # its errors are NewsSearchError subclasses too
from search.cli.app import app
from search.cli.exit_codes import INTERRUPTED, exit_code
from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"```([a-z]*)\n(.*?)```", re.DOTALL)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for the headings of a page: lower case, punctuation dropped, spaces to '-'."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    headings = re.findall(r"^#+ +(.+?) *$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def commands(page: Path) -> list[str]:
    """Every command written on a page: lines of its shell blocks (continuations joined), and inline code."""
    text = page.read_text(encoding="utf-8")
    found: list[str] = []
    for language, block in FENCE.findall(text):
        if language in ("sh", "console", ""):
            for line in block.replace("\\\n", " ").splitlines():
                found.append(line.removeprefix("$ ").split("  #")[0].strip())
    found += re.findall(r"`([^`\n]+)`", FENCE.sub("", text))
    return found


def cli_options() -> dict[str, set[str]]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return {name: {opt for param in command.params for opt in param.opts} for name, command in group.commands.items()}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_relative_link_points_to_an_existing_file_and_heading(page: Path) -> None:
    links = LINK.findall(page.read_text(encoding="utf-8"))
    for target in links:
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_file(), f"{page_id(page)}: link to {target}: no such file"
        if anchor:
            assert anchor in anchors(linked), f"{page_id(page)}: link to {target}: no such heading"


REPOSITORY_PATH = re.compile(r"(?<![\w./-])(?:index|search|tests|benchmarks|samples|docs)/[\w./*<>-]*")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_repository_path_written_as_code_exists(page: Path) -> None:
    """``index/extract/neardup.py``, ``search/ranking/``, ``benchmarks/results/latency-*.json``: the layout as it is."""
    spans = re.findall(r"`([^`\n]+)`", FENCE.sub("", page.read_text(encoding="utf-8")))
    paths = {path.rstrip(".") for span in spans for path in REPOSITORY_PATH.findall(span)}
    checked = 0
    for path in sorted(paths):
        if path.startswith("benchmarks/.work/") or re.search(r"<|\b[A-Z]+\b", path):  # built by benchmarks; placeholders
            continue
        found = list(ROOT.glob(path.rstrip("/"))) if "*" in path else [ROOT / path]
        assert found and all(each.exists() for each in found), f"{page_id(page)}: `{path}` does not exist"
        checked += 1
    assert checked


def layout_map() -> list[str]:
    """The paths of the folder map under design.md's "Architecture": names left of the description,
    nested by indentation (two spaces a level)."""
    section = (ROOT / "docs" / "design.md").read_text(encoding="utf-8").split("## Architecture\n", 1)[1].split("\n## ", 1)[0]
    block = [body for _, body in FENCE.findall(section) if re.search(r"^index/ .*\n  \w", body, re.DOTALL)]
    assert len(block) == 1, "design.md, Architecture: no folder map"
    parents: list[str] = []
    paths: list[str] = []
    for line in block[0].splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        names = re.split(r" {2,}", line.strip(), maxsplit=1)[0].split()
        if not names or not all(re.fullmatch(r"[\w.]+/|[\w.]+\.py", name) for name in names):
            continue  # a continuation of the description above
        parents = parents[:depth]
        paths += ["".join(parents) + name for name in names]
        folders = [name for name in names if name.endswith("/")]
        if folders:
            parents.append(folders[-1])
    return paths


def test_the_folder_map_in_design_md_is_the_tree_as_it_is() -> None:
    paths = layout_map()
    assert {"index/", "search/", "index/backends/local/", "search/cli/"} <= set(paths)
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert not missing, f"design.md names what does not exist: {missing}"
    folders = {str(p.parent.relative_to(ROOT)) + "/" for p in [*ROOT.glob("index/**/*.py"), *ROOT.glob("search/**/*.py")]}
    unmapped = sorted(folders - set(paths))
    assert not unmapped, f"design.md's folder map leaves out {unmapped}"


def test_the_readme_links_every_page_of_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        assert f"](docs/{page.name})" in readme, page.name


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_documented_cli_option_exists(page: Path) -> None:
    options = cli_options()
    checked = 0
    for command in commands(page):
        if not command.startswith("news-search "):
            continue
        words = command.split()
        name = words[1] if len(words) > 1 and words[1] in options else "search"  # a bare query searches
        unknown = set(FLAG.findall(command)) - options[name] - {"--help"}
        assert not unknown, f"{page_id(page)}: `{command}`: news-search {name} has no {sorted(unknown)}"
        checked += 1
    if page.name == "README.md":
        assert checked >= 20


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_documented_benchmark_command_names_a_script_and_its_flags(page: Path) -> None:
    for command in commands(page):
        for script, module, args in re.findall(r"python (?:benchmarks/(\w+)\.py|-m benchmarks\.(\w+))([^`]*)", command):
            name = script or module
            if name.isupper():  # benchmarks/NAME.py: any of them
                continue
            source = ROOT / "benchmarks" / f"{name}.py"
            assert source.is_file(), f"{page_id(page)}: `{command}`: no {source.relative_to(ROOT)}"
            text = source.read_text(encoding="utf-8")
            for flag in FLAG.findall(args.split(";")[0]):
                assert f'"{flag}"' in text, f"{page_id(page)}: `{command}`: benchmarks/{name}.py has no {flag}"


def error_types(base: type[index.errors.NewsSearchError]) -> list[type[index.errors.NewsSearchError]]:
    return [base, *(kind for sub in base.__subclasses__() for kind in error_types(sub))]


def test_the_readme_lists_every_error_with_the_exit_code_the_cli_gives_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Errors and exit codes\n", 1)[1].split("\n#", 1)[0]
    listed = {name: int(code) for code, name in re.findall(r"^\| (\d+) \| `(\w+)` \|", section, re.MULTILINE)}
    kinds = {kind.__name__: kind for kind in error_types(index.errors.NewsSearchError)}
    assert set(listed) == set(kinds)
    for name, kind in kinds.items():
        assert exit_code(kind("message")) == listed[name], name
    assert re.search(rf"^\| {INTERRUPTED} \| \| interrupted", section, re.MULTILINE)


def settings_calls() -> list[ast.Call]:
    """Calls of exported names written as code in the README and docs: ``FusionSettings(alpha=0.6)``."""
    exported = {name for package in ("index", "search") for name in importlib.import_module(package).__all__}
    calls: list[ast.Call] = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        snippets = [block for language, block in FENCE.findall(text) if language == "python"]
        snippets += re.findall(r"`([^`\n]+)`", FENCE.sub("", text))
        for snippet in snippets:
            try:
                tree = ast.parse(snippet)
            except SyntaxError:
                continue
            calls += [
                node
                for node in ast.walk(tree)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in exported
            ]
    return calls


def test_documented_constructor_arguments_exist() -> None:
    calls = settings_calls()
    assert {"NewsSearch", "Indexer", "FusionSettings", "KeywordSettings", "RecencySettings"} <= {
        call.func.id for call in calls if isinstance(call.func, ast.Name)
    }
    for call in calls:
        assert isinstance(call.func, ast.Name)
        target = getattr(search, call.func.id, None) or getattr(importlib.import_module("index"), call.func.id)
        parameters = inspect.signature(target).parameters
        unknown = {keyword.arg for keyword in call.keywords} - set(parameters)
        assert not unknown, f"{ast.unparse(call)}: {call.func.id} takes no {sorted(map(str, unknown))}"


def test_the_latency_benchmark_is_documented_with_the_indexes_it_requires() -> None:
    text = (ROOT / "docs" / "scale-and-speed.md").read_text(encoding="utf-8")
    latency = [c for c in commands(ROOT / "docs" / "scale-and-speed.md") if c.startswith("python benchmarks/latency.py")]
    assert latency and all("--real-index" in command for command in latency), latency
    for built in ("bbc-news-multilingual-e5-small", "indosum-dev-multilingual-e5-small"):
        assert f"benchmarks/.work/{built}" in text
