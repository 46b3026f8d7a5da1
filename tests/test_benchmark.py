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


def test_the_speed_benchmark_runs_in_its_quick_mode(tmp_path: Path) -> None:
    """benchmarks/run.py --quick: every figure is produced (none is asserted)."""
    script = ROOT / "benchmarks" / "run.py"
    figures = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, str(script), "--quick", "--json", str(figures)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for mark in (
        "(a, b) seeds",
        "(a, b) real",
        "(a, b) generated",
        "(c) parse_many jobs=2",
        "(d) cold start",
        "(e) streaming",
        "(f) seeds, ms per report",
        "(g) ",
    ):
        assert mark in result.stdout
    import json

    data = json.loads(figures.read_text(encoding="utf-8"))
    assert data["quick"] is True and data["streaming"]["reports"] > 0
    assert all(
        data["stages"][stage] > 0 for stage in ("normalize_ms", "lark_ms", "lark_own_lexer_ms", "build_ms")
    )
    assert [row["jobs"] for row in data["parse_many"]][:2] == [1, 2]
    assert data["flattened_vs_one_cell_per_line"]["ratio"] > 0
