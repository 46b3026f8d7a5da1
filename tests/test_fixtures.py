"""The numbered spec examples of tests/fixtures/*.txt: one test per case,
named by file and line so a failure points at its fixture."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import govreport

from .conftest import row_of
from .fixtures import Case, cases

FIXTURES = Path(__file__).parent / "fixtures"
CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in cases(path)]


def _value(text: str) -> object:
    if text == "None":
        return None
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        return Decimal(text)
    except ArithmeticError:
        return text


def test_fixtures_exist() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fixture(case: Case) -> None:
    raises = [e for e in case.expect if e.startswith("raises ")]
    if raises:
        error = getattr(govreport, raises[0].split()[1])
        with pytest.raises(error):
            govreport.parse(case.text)
        return
    report = govreport.parse(case.text)
    cells = report.cells()
    for line in case.expect:
        if line.startswith(("+ ", "- ")):
            sign, code, *row = line.split()
            found = [
                d for d in report.diagnostics if d.code == code and (not row or row_of(d.cells) == row[0])
            ]
            if sign == "+":
                assert found, f"expected a {code} diagnostic {row}: {[str(d) for d in report.diagnostics]}"
            else:
                assert not found, f"unexpected {[str(d) for d in found]}"
            continue
        if " ~ " in line:  # an inferred value
            key, _, text = line.partition("~")
            key, text = key.strip(), text.strip()
            cell = report.cell(key)
            assert cell.inferred, f"{key} is {cell.provenance}, not inferred"
            assert cell.value == _value(text), key
            assert cells[key] is None, f"{key}: an inferred value in Report.cells()"
            continue
        key, _, text = line.partition("=")
        key, text = key.strip(), text.strip()
        if key.startswith("how "):
            assert str(report.cell(key[4:]).provenance.value) == text, key
        elif key.startswith("raw "):
            assert report.cell(key[4:]).raw == text, key
        elif key in ("agency", "title", "template"):
            assert getattr(report, key) == text
        elif key == "year":
            assert report.year == int(text)
        else:
            assert key in cells, f"{key} is not a cell of the {report.template} template"
            expected = _value(text)
            assert cells[key] == expected, key
            assert type(cells[key]) is type(expected), key
