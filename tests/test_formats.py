"""The same report as text, HTML, DOCX and PDF files gives the same cells.

The files are built here (tests/reportfiles.py) from reports whose every
cell is known, with the template's merged cells, blank cells in different
places, signed changes and amounts; each is read with ``parse_bytes`` and
compared with the same report parsed from text and with the values by hand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport import Category
from govreport.formats import Extracted, extract_text, sniff

from . import reportfiles as rf


def _row(key: str, printed: str) -> dict[str, str]:
    """A request row's seven cells from ``"5 2 0 1 0 1 9"`` (``_`` for a blank cell)."""
    fields = printed.split()
    assert len(fields) == 7
    return {f"{key}.{column}": "" if v == "_" else v for column, v in zip(rf.COLUMNS, fields, strict=True)}


def _review(printed: str) -> dict[str, str]:
    fields = printed.split()
    return {key: "" if v == "_" else v for key, v in zip(rf.REVIEW, fields, strict=True)}


# A 2021-template report: values in every column, a blank 本年废止件数, a
# blank merged (colspan 3) 行政强制 cell, a blank first and last cell of
# （一）予以公开, and a blank first cell of the review row.
VALUES_2021 = {
    "active.regulations.issued": "1",
    "active.regulations.in_force": "12",
    "active.normative_documents.issued": "3",
    "active.normative_documents.repealed": "",
    "active.normative_documents.in_force": "27",
    "active.licensing.decisions": "86",
    "active.penalty.decisions": "412",
    "active.enforcement.decisions": "",
    "active.fees.amount": "282.068",
    **_row("requests.new", "5 2 0 1 0 1 9"),
    **_row("requests.carried_over", "1 0 0 0 0 0 1"),
    **_row("requests.granted", "_ 1 0 0 0 0 _"),
    **_row("requests.denied.internal_affairs", "1 0 0 0 0 0 1"),
    **_row("requests.denied.process_info", "0 0 1 0 0 0 1"),
    **_row("requests.unavailable.not_held", "2 1 0 1 0 1 5"),
    **_row("requests.other.unpaid_fee", "0 0 0 0 1 0 1"),
    **_row("requests.total", "5 2 1 1 1 1 11"),
    **_row("requests.carried_forward", "1 0 0 0 0 0 1"),
    **_review("_ 0 0 1 1 0 0 0 0 0 2 0 0 0 2"),
}
# A 2019-template report: signed 本年增/减, 第（九）项 with an amount in 万元,
# a blank 处理决定数量, a blank first cell of 一、本年新收 and a blank last
# cell of the review row.
VALUES_2019 = {
    **dict(
        zip(
            ("active.normative_documents.made", "active.normative_documents.published"),
            ("2", "2"),
            strict=True,
        )
    ),
    "active.normative_documents.total": "15",
    "active.licensing.previous": "21",
    "active.licensing.change": "-8",
    "active.licensing.decisions": "436",
    "active.other_services.previous": "40",
    "active.other_services.change": "+89",
    "active.other_services.decisions": "46",
    "active.penalty.previous": "12",
    "active.penalty.decisions": "30",
    "active.enforcement.previous": "3",
    "active.enforcement.change": "-1",
    "active.enforcement.decisions": "",
    "active.fees.previous": "2",
    "active.fees.change": "+1",
    "active.procurement.items": "3",
    "active.procurement.amount": "849.39万元",
    **_row("requests.new", "_ 3 0 0 2 0 5"),
    **_row("requests.granted", "4 1 0 0 1 0 6"),
    **_row("requests.denied.third_party", "0 1 0 0 0 0 1"),
    **_row("requests.not_processed.repeated", "0 0 0 0 0 2 2"),
    **_row("requests.other", "1 0 0 0 0 0 1"),
    **_row("requests.total", "5 2 0 0 1 2 10"),
    **_review("1 0 0 0 1 0 2 0 0 2 0 0 0 1 _"),
}
CASES = {
    "2021": (rf.report("前进区卫生健康局", 2023, "2021", VALUES_2021), VALUES_2021),
    "2019": (rf.report("沙县卫生健康局", 2020, "2019", VALUES_2019), VALUES_2019),
}
#: Where the PDF splits the request table: after 5.属于三类内部事务信息.
SPLIT = 12

RENDERINGS: dict[str, Callable[[rf.Spec], bytes]] = {
    "text": lambda spec: rf.to_text(spec).encode("utf-8"),
    "html": rf.to_html,
    "html-gbk": lambda spec: rf.to_html(spec, "gbk", declare="gb2312"),
    "html-fragment": lambda spec: rf.to_html(spec, fragment=True),
    "docx": rf.to_docx,
    "docx-unnumbered": lambda spec: rf.to_docx(spec, numbered=False),
    "pdf": lambda spec: rf.to_pdf(spec, split_requests_at=SPLIT),
    "pdf-framed": lambda spec: rf.to_pdf(spec, split_requests_at=SPLIT, frame=True),
}


@functools.cache
def rendered(template: str, rendering: str) -> bytes:
    return RENDERINGS[rendering](CASES[template][0])


@functools.cache
def from_text(template: str) -> govreport.Report:
    return govreport.parse(rf.to_text(CASES[template][0]))


def test_the_text_rendering_reads_as_the_values_by_hand() -> None:
    for template, (spec, values) in CASES.items():
        report = from_text(template)
        assert report.cells() == rf.expected(values, template)
        assert (report.agency, report.year, report.template) == (spec.agency, spec.year, template)


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("template", CASES)
def test_same_report_in_every_format(template: str, rendering: str) -> None:
    spec, values = CASES[template]
    report = govreport.parse_bytes(rendered(template, rendering))
    assert report.cells() == from_text(template).cells() == rf.expected(values, template)
    assert (report.agency, report.year, report.template) == (spec.agency, spec.year, template)
    assert report.title == spec.title
    assert report.overview is not None and [s.heading for s in report.overview.subsections] == [
        "（一）主动公开情况",
        "（二）依申请公开情况",
    ]
    assert report.problems is not None and report.other_matters is not None
    reading = [str(d) for d in report.diagnostics if d.category is Category.READING]
    assert reading == []


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_blank_cells_stay_blank(rendering: str) -> None:
    report = govreport.parse_bytes(rendered("2021", rendering))
    for key in (
        "active.normative_documents.repealed",
        "active.enforcement.decisions",
        "requests.granted.natural_person",
        "requests.granted.total",
        "review.reconsideration.upheld",
    ):
        cell = report.cell(key)
        assert (cell.value, cell.raw) == (None, ""), key
    assert report.cell("requests.granted.commercial").value == 1


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("template", CASES)
def test_spans_point_into_the_extracted_text(template: str, rendering: str) -> None:
    extracted = extract_text(rendered(template, rendering))
    report = govreport.parse(extracted.text)
    assert report == govreport.parse_bytes(rendered(template, rendering))
    for key in govreport.cell_ids(template):
        cell = report.cell(key)
        assert cell.span is not None, key
        assert extracted.text[cell.span.start : cell.span.end] == cell.raw, key


def test_pdf_pages_and_repeated_header_rows() -> None:
    extracted = extract_text(rendered("2021", "pdf"))
    assert extracted.format == "pdf"
    assert extracted.pages is not None and len(extracted.pages) == extracted.text.count("\n")
    report = govreport.parse(extracted.text)

    def page(key: str) -> int | None:
        span = report.cell(key).span
        assert span is not None
        return extracted.page_of(span.start)

    # 二 on page 1; 三 from page 2, going on to page 3 after the split; 四 on page 4
    assert page("active.licensing.decisions") == 1
    assert page("requests.new.total") == 2
    assert page("requests.denied.internal_affairs.natural_person") == 2
    assert page("requests.denied.process_info.research") == 3
    assert page("requests.carried_forward.total") == 3
    assert page("review.litigation_after_reconsideration.total") == 4
    # the header rows repeated on page 3 and the page numbers are gone
    assert extracted.text.count("申请人情况") == 1
    assert extracted.text.count("法人或其他组织") == 1
    assert "— 2 —" not in extracted.text
    assert all("—" not in line for line in extracted.text.splitlines())


def test_merged_cells_are_empty_fields_never_repeats() -> None:
    """The grid of each format: one field per column, merged cells empty."""
    for rendering in ("html", "docx", "pdf"):
        lines = extract_text(rendered("2021", rendering)).text.splitlines()
        row = next(line for line in lines if "（二）部分公开" in line)
        assert row.split("\t")[:3] == ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""], (
            rendering
        )
        first = next(line for line in lines if "1.属于国家秘密" in line)
        assert first.split("\t")[:3] == ["", "（三）不予公开", "1.属于国家秘密"], rendering
        second = next(line for line in lines if "2.其他法律行政法规禁止公开" in line)
        assert second.split("\t")[:3] == ["", "", "2.其他法律行政法规禁止公开"], rendering
        assert sum("三、本年度办理结果" in line for line in lines) == 1, rendering
        licensing = next(line for line in lines if line.startswith("行政许可"))
        assert licensing.split("\t") == ["行政许可", "86", "", ""], rendering
        header = next(line for line in lines if "商业企业" in line)
        assert "\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t" in header, rendering


def test_docx_numbered_headings_are_rendered() -> None:
    text = extract_text(rendered("2021", "docx")).text
    assert (
        "\n一、总体情况\n" in text
        and "\n（二）依申请公开情况\n" in text
        and "\n六、其他需要报告的事项\n" in text
    )


def test_html_page_chrome_is_dropped() -> None:
    extracted = extract_text(rendered("2021", "html"))
    assert extracted.format == "html" and extracted.encoding == "utf-8"
    for chrome in ("首页", "分享到", "网站标识码", "附件下载", "PageInfo", "浏览次数"):
        assert chrome not in extracted.text
    assert extracted.text.startswith("前进区卫生健康局2023年政府信息公开工作年度报告\n")


def test_gbk_html_is_decoded_by_its_declaration() -> None:
    data = rendered("2021", "html-gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert extract_text(data).encoding == "gb18030"
    # a page whose declaration is wrong is still read right
    mislabelled = rf.to_html(CASES["2021"][0], "gbk", declare="utf-8")
    assert govreport.parse_bytes(mislabelled).cells() == from_text("2021").cells()
    utf8_says_gbk = rf.to_html(CASES["2021"][0], "utf-8", declare="gbk")
    assert extract_text(utf8_says_gbk).encoding == "utf-8"


def test_parse_file_reads_by_content_not_extension(tmp_path: Path) -> None:
    docx_named_txt = tmp_path / "report.txt"
    docx_named_txt.write_bytes(rendered("2021", "docx"))
    text_named_docx = tmp_path / "report.docx"
    text_named_docx.write_bytes(rendered("2021", "text"))
    html_named_pdf = tmp_path / "report.pdf"
    html_named_pdf.write_bytes(rendered("2021", "html"))
    expected = from_text("2021").cells()
    for path, kind in ((docx_named_txt, "docx"), (text_named_docx, "text"), (html_named_pdf, "html")):
        assert extract_text(path).format == kind
        assert govreport.parse_file(path).cells() == expected
        assert govreport.parse_file(str(path)).cells() == expected


SEED = Path(__file__).parent / "data" / "seeds" / "003_70186e5739fffa45.txt"  # all of it is in GBK


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("gb18030", b""),
        ("gbk", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
    ],
)
def test_text_encodings(encoding: str, bom: bytes) -> None:
    text = SEED.read_text(encoding="utf-8")
    extracted = extract_text(bom + text.encode(encoding))
    assert extracted.format == "text"
    assert extracted.text == text
    assert extracted.encoding == ("gb18030" if encoding == "gbk" else encoding)
    assert govreport.parse_bytes(bom + text.encode(encoding)).cells() == govreport.parse(text).cells()


def test_a_character_cut_at_the_end_is_left_out() -> None:
    data = SEED.read_text(encoding="utf-8").rstrip().encode("utf-8")
    assert data[-1] >= 0x80  # the seed ends with a Chinese character
    cut = extract_text(data[:-1])
    assert (cut.encoding, cut.text) == ("utf-8", data[:-3].decode("utf-8"))


def test_sniff() -> None:
    assert sniff(rendered("2021", "pdf")) == "pdf"
    assert sniff(rendered("2021", "docx"), "report.txt") == "docx"
    assert sniff(rendered("2021", "html")) == "html"
    assert sniff(rendered("2021", "html-gbk")) == "html"
    assert sniff(rendered("2021", "text"), "report.docx") == "text"
    assert sniff("<p>一、总体情况</p>".encode()) == "html"
    assert sniff("一、总体情况 <br>".encode(), "report.txt") == "text"
    assert sniff("一、总体情况 <br>".encode(), "report.html") == "html"
    assert sniff("\ufeff<!DOCTYPE html><html>".encode("utf-16-le")) == "html"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)) == "doc"
    assert sniff(b"{\\rtf1\\ansi ...}") == "rtf"
    assert sniff(b"\x89PNG\r\n\x1a\n" + bytes(20)) == "image"
    assert sniff(b"") == "text"


def test_extracted_without_pages() -> None:
    extracted = extract_text(rendered("2021", "docx"))
    assert extracted.pages is None and extracted.page_of(10) is None
    assert Extracted("a\nb\n", "pdf", pages=(1, 2)).page_of(2) == 2
    assert Extracted("a\nb\n", "pdf", pages=(1, 2)).page_of(99) == 2


def test_type_errors() -> None:
    with pytest.raises(TypeError, match=r"govreport\.parse\(\)"):
        govreport.parse_bytes("一、总体情况")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        extract_text(3)  # type: ignore[arg-type]


def test_money_and_signs_survive_every_format() -> None:
    for rendering in RENDERINGS:
        report = govreport.parse_bytes(rendered("2019", rendering))
        assert report.cell("active.procurement.amount").value == Decimal("849.39")
        assert report.cell("active.other_services.change").value == 89
        assert report.cell("active.licensing.change").value == -8
