"""The README's library example runs as written, with the real default model."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.model


def readme_block(heading: str, language: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert match, f"no {language} block under '## {heading}'"
    return match.group(1)


def test_library_example_runs(tmp_path: Path) -> None:
    code = readme_block("As a library", "python")
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert re.match(r"\d+ added, 0 unchanged", lines[0]) and int(lines[0].split()[0]) >= 30
    assert lines[1].startswith("1 ") and "Lavrov" in lines[1] and "Pyongyang" in lines[1]
    assert (tmp_path / "my-news-index" / "manifest.json").exists()
