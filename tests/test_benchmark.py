"""benchmarks/extract_corpus.py, small: it generates, extracts and checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.parametrize("output", ["corpus.duckdb", "corpus.csv"])
def test_the_corpus_benchmark_runs_and_its_counts_are_right(tmp_path: Path, output: str) -> None:
    if output.endswith(".duckdb"):
        pytest.importorskip("duckdb")
    script = ROOT / "benchmarks" / "extract_corpus.py"
    arguments = ["-n", "20", "--jobs", "2", "--output", output, "--workdir", str(tmp_path)]
    result = subprocess.run(
        [sys.executable, str(script), *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reports:               20 (expected 20)" in result.stdout
    assert "active.penalty.decisions: every value as written" in result.stdout
    assert len(list((tmp_path / "reports").glob("*.txt"))) == 20
