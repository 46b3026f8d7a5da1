"""Lint and types, as CI checks them: ``ruff check`` and ``ruff format
--check`` over the package and the tests, ``mypy`` (strict, pyproject.toml) over the package. They are tests so
that CI, which runs the test command of README.md, fails on either."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing_and_the_code_is_formatted() -> None:
    if _run("ruff", "--version").returncode != 0:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    result = _run("ruff", "check", "govreport", "tests")
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run("ruff", "format", "--check", "govreport", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    if _run("mypy", "--version").returncode != 0:
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    result = _run("mypy", "govreport")
    assert result.returncode == 0, result.stdout + result.stderr
