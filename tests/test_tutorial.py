"""docs/tutorial.md is docs/tutorial.py: its code blocks are the script's
sections, its outputs are what the script prints, and its figure is drawn."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, read

SCRIPT = ROOT / "docs" / "tutorial.py"
TUTORIAL = ROOT / "docs" / "tutorial.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)\n```$", read(TUTORIAL), re.S | re.M)


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines())


def test_the_code_blocks_are_the_scripts_sections() -> None:
    sections = re.findall(r"^# %% \w+\n(.*?)(?=^# %% |\Z)", read(SCRIPT), re.S | re.M)
    assert _blocks("python") == [section.strip() for section in sections]


def test_the_tutorial_runs_prints_what_it_shows_and_draws_the_figure(tmp_path: Path) -> None:
    for package in ("duckdb", "pandas", "matplotlib"):
        pytest.importorskip(package)
    (tmp_path / "tests").symlink_to(ROOT / "tests")  # the script reads tests/data/ from its folder
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    printed = _tidy(result.stderr + result.stdout)
    for block in _blocks("text"):
        assert _tidy(block) in printed
    figure = (tmp_path / "outcomes.png").read_bytes()
    assert figure.startswith(b"\x89PNG\r\n\x1a\n") and len(figure) > 10_000
    assert (ROOT / "docs" / "images" / "outcomes.png").read_bytes().startswith(b"\x89PNG")
    assert "(images/outcomes.png)" in read(TUTORIAL)
