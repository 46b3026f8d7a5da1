"""Real crawled reports against hand-checked goldens.

Each ``tests/data/real/NAME.golden.json`` was written by a reader who did not
run the parser: the cells the printed text and the template's arithmetic make
certain (docs/placement.md), with ``undetermined`` listing the cells that
stay empty and why, and ``inferred`` the cells whose value is only the
likeliest reading of crawler text (a run of zeros or dropped blank cells:
the text cannot tell), with ``inferred_why``. For 037 every determined cell was compared with the
table grid of its saved page (037_putian_cgj_2024.html); 063's golden was
read from the published PDF's pages, text layer and images.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport import Provenance

from .conftest import REAL, read

GOLDENS = sorted(REAL.glob("*.golden.json"))


def test_at_least_ten_goldens_of_several_departments_and_both_templates() -> None:
    assert len(GOLDENS) >= 10
    data = [json.loads(p.read_text(encoding="utf-8")) for p in GOLDENS]
    assert {d["template"] for d in data} == {"2019", "2021"}
    assert len({d["agency"] for d in data}) >= 8


@pytest.mark.parametrize("golden", GOLDENS, ids=[p.name.split(".")[0] for p in GOLDENS])
def test_real_golden(golden: Path) -> None:
    expected = json.loads(golden.read_text(encoding="utf-8"))
    source = golden.with_name(golden.name.replace(".golden.json", ".txt"))
    if source.exists():
        report = govreport.parse(read(source))
    else:  # a published PDF (063), read from its text layer
        report = govreport.parse_file(source.with_suffix(".pdf"))
    assert (report.agency, report.year, report.template) == (
        expected["agency"],
        expected["year"],
        expected["template"],
    )
    cells = report.cells(inferred=True)
    want = {k: Decimal(v) if isinstance(v, str) else v for k, v in expected["cells"].items()}
    assert list(cells) == list(want)
    wrong = {k: (cells[k], v) for k, v in want.items() if cells[k] != v or type(cells[k]) is not type(v)}
    assert not wrong, f"cells differ from the golden (read, golden): {wrong}"
    # How each value was read: the golden's "inferred" cells rest on the
    # damage model (a run of zeros or dropped blanks); every other value is
    # printed or solved, so Report.cells() has it.
    inferred = set(expected.get("inferred", ()))
    hows = {k: report.cell(k).provenance for k, v in want.items() if v is not None}
    assert {k for k, how in hows.items() if how is Provenance.INFERRED} == inferred
    assert all(how is not None for how in hows.values())
    assert {k for k, v in report.cells().items() if v is not None} == set(hows) - inferred
    named = {cell for d in report.diagnostics for cell in d.cells}
    for entry in expected["undetermined"]:
        for cell_id in entry["cells"]:
            assert cells[cell_id] is None, cell_id
            assert cell_id in named, f"{cell_id} is empty without a diagnostic naming it ({entry['why']})"
