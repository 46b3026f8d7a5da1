"""The damage examples of tests/data/examples/ (a copy of the shared
``examples/``): each synthetic file reproduces one damage pattern of
published reports, and its ``.expect.json`` gives, for every cell id, the
value its text determines (``null``: printed blank, or not determined).

A cell the text determines must be read as that value; a cell listed
``null`` must stay ``None``. The examples govreport does not read yet are
listed in ``NOT_YET`` with the issue that covers them, and must fail: one
that starts passing is taken off the list.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import govreport

EXAMPLES = Path(__file__).parent / "data" / "examples"
FILES = sorted(p for p in EXAMPLES.iterdir() if p.name.startswith("ex_") and p.suffix != ".json")

#: The examples not read exactly yet, and why.
NOT_YET = {
    "ex_C6_headerunit.txt": "issue 15: a unit printed in the column header",
    "ex_C7_collapse_vs_blank.txt": "issue 15: a collapsed run or dropped blanks, which the text cannot tell",
    "ex_C8_customheader.txt": "issue 15: a section 二 block with its own column header",
}


def _read(path: Path) -> govreport.Report:
    if path.suffix in {".txt", ".md"}:
        # newline="": the text as published, CR LF endings included
        with path.open(encoding="utf-8", newline="") as file:
            return govreport.parse(file.read())
    return govreport.parse_file(path)


def _differences(path: Path) -> list[str]:
    expected = json.loads(path.with_suffix(".expect.json").read_text(encoding="utf-8"))
    got = _read(path).cells()
    assert set(expected) <= set(got), sorted(set(expected) - set(got))[:5]
    wrong = []
    for key, want in expected.items():
        value = got[key]
        if want is None and value is not None:
            wrong.append(f"{key}: {value} where the text determines nothing")
        elif want is not None and (value is None or Decimal(str(value)) != Decimal(str(want))):
            wrong.append(f"{key}: {value}, not {want}")
    return wrong


def test_examples_are_there() -> None:
    assert len(FILES) >= 15
    assert set(NOT_YET) <= {p.name for p in FILES}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason=NOT_YET[p.name], strict=True))
        if p.name in NOT_YET
        else p
        for p in FILES
    ],
    ids=[p.name for p in FILES],
)
def test_example_gives_what_its_text_determines(path: Path) -> None:
    assert _differences(path) == []
