"""The seed reports against their golden sidecars.

Each ``tests/data/seeds/NAME.txt`` has ``NAME.golden.json`` beside it, written
by reading the source text (never by copying the parser's output). A seed
without a golden fails. Run one case alone with ``-k NAME``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport.model import Severity

from .conftest import SEEDS, read, row_of

CASES = sorted(SEEDS.glob("*.txt"))
#: The row-fitting diagnostics a golden lists.
ROW_CODES = {"padding-dropped", "extra-values", "long-row", "short-row"}


def _golden(path: Path) -> dict:
    golden = path.with_suffix(".golden.json")
    if not golden.exists():
        pytest.fail(f"{path.name} has no golden sidecar {golden.name}: write one by reading the text")
    return json.loads(golden.read_text(encoding="utf-8"))


def test_every_seed_is_covered() -> None:
    assert len(CASES) == 5


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_seed(path: Path) -> None:
    golden = _golden(path)
    report = govreport.parse(read(path))
    assert report.agency == golden["agency"]
    assert report.year == golden["year"]
    assert report.template == golden["template"]
    expected = {
        key: Decimal(value) if isinstance(value, str) else value for key, value in golden["cells"].items()
    }
    cells = report.cells()
    assert list(cells) == list(expected), "cell ids or their order differ from the golden"
    for key, value in expected.items():
        assert cells[key] == value, key
        assert type(cells[key]) is type(value), key
    found = [(d.code, row_of(d.cells)) for d in report.diagnostics if d.code in ROW_CODES]
    wanted = [(d["code"], d["row"]) for d in golden["diagnostics"]]
    assert sorted(found) == sorted(wanted)
    unexpected = [d for d in report.diagnostics if d.severity is Severity.ERROR and d.code not in ROW_CODES]
    assert not unexpected


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_seed_values_are_printed_at_their_spans(path: Path) -> None:
    text = read(path)
    report = govreport.parse(text)
    for key, value in report.cells().items():
        cell = report.cell(key)
        if value is None:
            continue
        assert cell.span is not None and cell.raw
        assert text[cell.span.start : cell.span.end] == cell.raw, key
        lines = text.split("\n")
        line = lines[cell.span.line - 1]
        assert line[cell.span.column - 1 :].startswith(cell.raw), key
