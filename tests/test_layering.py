"""The layers hold: ``search/`` reaches the engines only through ``index.backends``, and ``index`` never imports ``search``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("whoosh", "faiss", "sqlite3")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _top(name: str) -> str:
    return name.split(".")[0]


def test_search_imports_no_engine() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "search").rglob("*.py"))
        for name in _imports(path)
        if _top(name) in ENGINES
    ]
    assert found == []


def test_index_never_imports_search() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "index").rglob("*.py"))
        for name in _imports(path)
        if _top(name) == "search"
    ]
    assert found == []


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from whoosh.query import Or\n    import faiss\n", encoding="utf-8")
    assert _imports(module) == ["whoosh.query", "faiss"]
