"""The renderer's converter noise options make the damage they name, and
the parser reads it back: a sign word on its own line (with CRLF ends), a
blank cell printed as a lone NBSP, tabs expanded to spaces, and markdown as
converters and OCR pipelines write it (heading markers, row labels as
headings over one-row tables, the review row as three group tables, rows
printed apart from their labels).

The round trips over every layout with these options drawn at random are
in tests/test_properties.py (``govreport.testing.options`` draws them)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import govreport
from govreport import Report
from govreport.testing import reports

from . import reportfiles as rf
from . import test_formats as tf
from .conftest import REAL, SEEDS, read

SEED_2021 = govreport.parse(read(SEEDS / "003_70186e5739fffa45.txt"))


def _with(report: Report, **values: object) -> Report:
    """``report`` with some cells' values replaced (a round trip through JSON)."""
    data = report.to_dict()
    data["cells"] = {**data["cells"], **values}
    data["provenance"] = {k: v for k, v in data["provenance"].items() if k not in values}
    return govreport.Report.from_dict(data)


def test_sign_words_put_the_word_on_its_own_line_in_crawler_text() -> None:
    report = govreport.parse(read(SEEDS / "002_7a73e5b0e976edb4.txt"))
    assert report.template == "2019"
    changes = {k: v for k, v in report.cells().items() if k.endswith(".change") and v}
    assert changes, "the 2019 seed prints a non-zero change"
    text = govreport.render(report, "html-spans", sign_words=True, crlf=True)
    assert "\r\n增\r\n" in text or "\r\n减\r\n" in text
    assert govreport.parse(text).cells() == report.cells()


def test_nbsp_blanks_print_a_blank_cell_as_one_nbsp() -> None:
    blanked = _with(SEED_2021, **{"review.reconsideration.upheld": None})
    text = govreport.render(blanked, "tsv", nbsp_blanks=True)
    review = next(line for line in text.splitlines() if line.startswith("\u00a0\t"))
    assert len(review.split("\t")) == 15
    assert govreport.parse(text).cells() == blanked.cells()


def test_tab_width_expands_the_tabs_of_one_cell_per_line_text() -> None:
    text = govreport.render(SEED_2021, "docx-cells", tab_width=4)
    assert "\t" not in text and "\n    规章\n" in text
    assert govreport.parse(text).cells() == SEED_2021.cells()


def test_converter_markdown_has_what_converters_write() -> None:
    text = govreport.render(
        SEED_2021, "markdown", md_headings=True, md_label_headings=True, md_review_groups=True
    )
    lines = text.splitlines()
    assert "## 二、主动公开政府信息情况" in lines and "### 第二十条第（一）项" in lines
    assert "### 一、本年新收政府信息公开申请数量" in lines
    assert any(line.startswith("| 本年新收政府信息公开申请数量 |") for line in lines)
    assert [line for line in lines if line.startswith("### 行政")] == [
        "### 行政复议",
        "### 行政诉讼（未经复议直接起诉）",
        "### 行政诉讼（复议后起诉）",
    ]
    assert govreport.parse(text).cells() == SEED_2021.cells()


def test_tab_width_is_checked() -> None:
    with pytest.raises(ValueError, match="tab_width"):
        govreport.render(SEED_2021, "docx-cells", tab_width=0)


@given(reports(consistent=None, blanks=True), st.integers(2, 8), st.booleans())
def test_expanded_tabs_round_trip(report: Report, width: int, crlf: bool) -> None:
    text = govreport.render(report, "docx-cells", tab_width=width, nbsp_blanks=True, crlf=crlf)
    assert govreport.parse(text).cells() == report.cells()


@given(reports(consistent=None, blanks=True), st.booleans())
def test_converter_markdown_round_trips(report: Report, fullwidth: bool) -> None:
    text = govreport.render(
        report,
        "markdown",
        md_headings=True,
        md_label_headings=True,
        md_review_groups=True,
        sign_words=True,
        fullwidth=fullwidth,
    )
    assert govreport.parse(text).cells() == report.cells()


def test_detached_labels_print_the_numbers_apart_from_their_labels() -> None:
    text = govreport.render(SEED_2021, "markdown", md_detach_labels=0)
    numbers_only = [line for line in text.splitlines() if line.startswith("| 0 |") and line.count("|") == 8]
    assert 1 <= len(numbers_only) <= 3
    assert govreport.render(SEED_2021, "markdown") != text
    parsed = govreport.parse(text)
    assert [d.code for d in parsed.diagnostics if d.code == "detached-row"] == ["detached-row"]
    assert parsed.cells() == SEED_2021.cells()


@given(reports(consistent=None, blanks=True), st.integers(0, 2**16), st.booleans())
def test_markdown_with_detached_labels_round_trips(report: Report, seed: int, groups: bool) -> None:
    """A PDF-to-markdown converter's table (ex_C4): rows that lost their
    labels are placed by the template's order, the only one their position
    allows, or left empty with a diagnostic naming them."""
    text = govreport.render(
        report, "markdown", md_detach_labels=seed, md_review_groups=groups, md_headings=groups
    )
    parsed = govreport.parse(text)
    named = {c for d in parsed.diagnostics for c in d.cells}
    for key, value in report.cells().items():
        got = parsed.cells()[key]
        assert got == value or (got is None and key in named), key


# ---------------------------------------------------------------------------
# PDFs put through the converters users reach for (tests/data/converters/,
# written by its make.py): no value may be wrong; the cells a converter's
# damage leaves unread must be named by a diagnostic, and stay under the
# ceiling below (lower it when the parser reads more).
# ---------------------------------------------------------------------------

CONVERTED = Path(__file__).parent / "data" / "converters"
FIXTURES = sorted(CONVERTED.glob("*.md"))
#: The most cells each fixture may leave unread, and what the converter loses there.
UNREAD = {
    "063_huaian_szf_2024.markitdown": (21, "labels printed on lines of their own, apart from their rows"),
    "063_huaian_szf_2024.pymupdf4llm": (0, ""),
    "built_2019.markitdown": (14, "labels apart from their rows; two columns' cells in one"),
    "built_2019.pymupdf4llm": (0, ""),
    "built_2021.markitdown": (35, "labels apart from their rows; blank cells and a review cell lost"),
    "built_2021.pymupdf4llm": (0, ""),
}


def _golden(name: str) -> dict[str, object]:
    if name.startswith("built_"):
        template = name.removeprefix("built_")
        return rf.expected(tf.CASES[template][1], template)
    data = json.loads((REAL / f"{name}.golden.json").read_text(encoding="utf-8"))
    return {k: Decimal(v) if isinstance(v, str) else v for k, v in data["cells"].items()}


def test_two_converters_three_reports_both_templates() -> None:
    names = {p.name.split(".")[0] for p in FIXTURES}
    converters = {p.name.split(".")[1] for p in FIXTURES}
    assert len(names) >= 3 and converters == {"markitdown", "pymupdf4llm"}
    assert set(UNREAD) == {p.name.removesuffix(".md") for p in FIXTURES}
    assert {_golden_template(n) for n in names} == {"2019", "2021"}


def _golden_template(name: str) -> str:
    if name.startswith("built_"):
        return name.removeprefix("built_")
    return str(json.loads((REAL / f"{name}.golden.json").read_text(encoding="utf-8"))["template"])


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_converted_pdf_has_no_wrong_value(path: Path) -> None:
    name = path.name.removesuffix(".md")
    report = govreport.parse(path.read_text(encoding="utf-8"))
    want = _golden(name.split(".")[0])
    assert report.template == _golden_template(name.split(".")[0])
    got = report.cells()
    wrong = {k: (got[k], v) for k, v in want.items() if got[k] is not None and got[k] != v}
    assert not wrong, f"read, golden: {wrong}"
    unread = [k for k, v in want.items() if v is not None and got[k] is None]
    named = {cell for d in report.diagnostics for cell in d.cells}
    assert not [k for k in unread if k not in named], "unread without a diagnostic naming it"
    ceiling, _ = UNREAD[name]
    assert len(unread) <= ceiling, unread


@pytest.mark.parametrize("converter", ["markitdown", "pymupdf4llm"])
@pytest.mark.parametrize("template", ["2021", "2019"])
def test_converters_as_installed_give_no_wrong_value(converter: str, template: str, tmp_path: Path) -> None:
    """The converters of the test extra, run now on the format tests' PDF:
    whatever their release writes, no value is read wrong."""
    pytest.importorskip(converter)
    sys.path.insert(0, str(CONVERTED))
    try:
        import make  # tests/data/converters/make.py
    finally:
        sys.path.remove(str(CONVERTED))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(tf.rendered(template, "pdf"))
    report = govreport.parse(make.CONVERTERS[converter](pdf))
    want = rf.expected(tf.CASES[template][1], template)
    got = report.cells()
    assert report.template == template
    assert not {k: (got[k], v) for k, v in want.items() if got[k] is not None and got[k] != v}
    assert sum(v is not None for v in got.values()) >= len(want) // 2
