"""The docs and the README: their examples run, their commands are the ones
CI runs, and every diagnostic code is documented."""

from __future__ import annotations

import csv
import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govreport.diagnostics import CODES

from .conftest import ROOT, read

DOCUMENTS = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(ROOT / name), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert result.failed == 0
    if ">>>" in read(ROOT / name):
        assert result.attempted > 0


def test_every_diagnostic_code_is_documented() -> None:
    documented = set(re.findall(r"^### ([a-z-]+)$", read(ROOT / "docs" / "diagnostics.md"), re.M))
    assert documented == set(CODES)


def test_every_diagnostic_code_has_a_fixture() -> None:
    fixtures = "".join(read(p) for p in (ROOT / "tests" / "fixtures").glob("*.txt"))
    used = set(re.findall(r"^\+ ([a-z-]+)", fixtures, re.M))
    # unexpected-input is the parser's safety net: the grammar accepts any text;
    # search-limit needs lowered limits: tests/test_placement.py covers it;
    # carried-over-mismatch, stock-mismatch and repeated-narrative compare two
    # reports, which a fixture (one report) cannot show: tests/test_batch.py tests them;
    # undecodable-bytes is about a file's bytes, not its text: tests/test_encoding.py tests it.
    assert set(CODES) - used == {
        "unexpected-input",
        "search-limit",
        "carried-over-mismatch",
        "stock-mismatch",
        "repeated-narrative",
        "undecodable-bytes",
    }


def _commands() -> tuple[str, str]:
    readme = read(ROOT / "README.md")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    return blocks[0].strip(), blocks[1].strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _, tests = _commands()
    ci = read(ROOT / ".ci" / "run")
    assert tests in ci.splitlines()


def test_readme_main_job_runs(tmp_path: Path) -> None:
    main, _ = _commands()
    # the install step is tested by test_wheel; run the job itself here, in a
    # folder that has the repository's tests/ (the job's input) and nothing else
    job = main.split("&&")[-1].strip()
    assert job.startswith(".venv/bin/govreport extract ")
    args = job.split()[1:]
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    subprocess.run(
        [sys.executable, "-m", "govreport", *args],
        cwd=tmp_path,
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    out = tmp_path / args[args.index("-o") + 1]
    with open(out, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 5
    assert rows[0]["agency"] == "泽州县卫生健康和体育局"
    assert rows[0]["active.penalty.decisions"] == "31"
