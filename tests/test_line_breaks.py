"""A report whose line breaks were lost or written another way is read, not
told "no headings found"; a text that still cannot be read is told what was
seen in it (docs/layouts.md, "Line breaks")."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import govreport
from govreport.normalize import normalize

from .conftest import REAL, SEEDS, read

#: A tab-separated layout (the seeds), and a crawler's text (a real report).
SEED = read(SEEDS / "000_b0a0644a2287c115.txt")
CRAWLED = read(REAL / "001_putian_cgj_2020.txt")

#: Line breaks written another way: the report reads exactly as with them.
WRITTEN_OTHERWISE: dict[str, Callable[[str], str]] = {
    "\\r only (classic Mac OS)": lambda text: text.replace("\n", "\r"),
    "<br> as text": lambda text: text.replace("\n", "<br>"),
    "<br/> as text": lambda text: text.replace("\n", "<br/>"),
    "<BR /> as text": lambda text: text.replace("\n", "<BR />"),
    "U+2028 line separators": lambda text: text.replace("\n", "\u2028"),
    "U+2029 paragraph separators": lambda text: text.replace("\n", "\u2029"),
    "escaped \\n (a JSON string)": lambda text: text.replace("\n", "\\n"),
    "escaped \\r\\n and \\t": lambda text: text.replace("\n", "\\r\\n").replace("\t", "\\t"),
}

#: Line breaks lost: the report is cut back into lines (segment.py), a few
#: cells perhaps lost on the way, never the whole report.
LOST: dict[str, Callable[[str], str]] = {
    "line breaks as spaces": lambda text: text.replace("\n", " "),
    "no line breaks at all": lambda text: text.replace("\n", ""),
    "line breaks as &nbsp;": lambda text: text.replace("\n", "&nbsp;"),
    "one line, headings not numbered": lambda text: re.sub(
        r"^[一二三四五六七八九十]+、", "", text, flags=re.M
    ).replace("\n", ""),
}


@pytest.mark.parametrize("source", [SEED, CRAWLED], ids=["tab layout", "crawler text"])
@pytest.mark.parametrize("damage", WRITTEN_OTHERWISE)
def test_line_breaks_written_otherwise_read_the_same(source: str, damage: str) -> None:
    expected = govreport.parse(source)
    report = govreport.parse(WRITTEN_OTHERWISE[damage](source))
    assert (report.agency, report.year, report.template) == (
        expected.agency,
        expected.year,
        expected.template,
    )
    assert report.cells() == expected.cells()
    assert [d.code for d in report.errors] == [d.code for d in expected.errors]


@pytest.mark.parametrize("damage", LOST)
def test_a_tab_layout_that_lost_its_line_breaks_is_read(damage: str) -> None:
    expected = govreport.parse(SEED).cells()
    report = govreport.parse(LOST[damage](SEED))
    assert report.template == "2021" and report.agency == "泽州县卫生健康和体育局"
    same = sum(report.cells()[cell] == value for cell, value in expected.items())
    assert same >= 0.98 * len(expected)


@pytest.mark.parametrize("damage", LOST)
def test_a_crawled_report_that_lost_its_line_breaks_is_read_not_refused(damage: str) -> None:
    report = govreport.parse(LOST[damage](CRAWLED))
    assert (report.agency, report.year) == ("莆田市城市管理局", 2020)
    assert report.template is not None


def test_a_lone_carriage_return_ends_a_line_and_crlf_stays_one() -> None:
    assert normalize("a\rb\r\nc\r\r\nd") == "a\nb \nc  \nd"
    text = SEED.replace("\n", "\r")
    report = govreport.parse(text)
    cell = report.cell("active.penalty.decisions")
    assert cell.span is not None and cell.span.line > 1  # lines are counted at the \r
    assert text[cell.span.start : cell.span.end] == "31"


def test_a_markdown_table_cells_br_is_still_a_space() -> None:
    from govreport.repair import repair

    table = "| 收到和处理政府信息公开申请情况 | 自然人 |\n| 一、本年新收<br>政府信息公开申请数量 | 1 |\n" * 3
    assert "<br>" not in repair(table) and repair(table).count("\n") == table.count("\n")
    assert len(repair(table)) == len(table)


def test_a_text_that_lost_its_line_breaks_and_cannot_be_read_is_told_so() -> None:
    sentence = (
        "本机关认真落实政府信息公开工作要求，主动公开各类信息，依法办理申请，接受行政复议和行政诉讼的监督。"
    )
    text = "某某局2021年度政府信息公开工作年度报告 " + sentence * 600
    with pytest.raises(govreport.ParseError) as caught:
        govreport.parse(text)
    message = caught.value.message
    assert f"the text has 1 line of {len(text):,} characters" in message
    assert "lost its line breaks" in message and "政府信息公开" in message
    assert "none of its section headings or tables was found" not in message
    # a short text, or one with its line breaks, is told it is not a report, as before
    for other in ("hello world\n" * 10, (sentence + "\n") * 600):
        with pytest.raises(govreport.ParseError) as caught:
            govreport.parse(other)
        assert "none of its section headings or tables was found" in caught.value.message
