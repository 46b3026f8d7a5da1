"""Files as researchers collect them: the real saved pages, other page
shapes, hostile and damaged files, missing extras. Every file gives a
Report or a clear GovReportError subclass, never another exception."""

from __future__ import annotations

import contextlib
import io
import pickle
import random
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport import GovReportError, ParseError, Provenance
from govreport.formats import MissingExtraError, NoTextLayerError, UnsupportedFormatError, extract_text

from . import reportfiles as rf
from .conftest import REAL
from .test_formats import CASES, from_text, rendered

# -- the real saved pages -----------------------------------------------------
# Expectations read from the pages' <table> markup by hand: every cell
# prints 0 except these.
REAL_PAGES = {
    "021_putian_lyj_2025.html": (
        "莆田市林业局",
        2025,
        {
            "active.normative_documents.issued": 1,
            "active.normative_documents.repealed": 1,
            "active.normative_documents.in_force": 9,
            "active.licensing.decisions": 160,
            "active.fees.amount": Decimal("0"),
            "requests.new.natural_person": 1,
            "requests.new.total": 1,
            "requests.unavailable.not_held.natural_person": 1,
            "requests.unavailable.not_held.total": 1,
            "requests.total.natural_person": 1,
            "requests.total.total": 1,
        },
    ),
    "024_putian_slj_2025.html": (
        "莆田市水利局",
        2025,
        {
            "active.normative_documents.issued": 1,
            "active.normative_documents.in_force": 3,
            "active.licensing.decisions": 39,
            "active.penalty.decisions": 1,
            "active.fees.amount": Decimal("354.36"),
            "requests.new.natural_person": 2,
            "requests.new.total": 2,
            "requests.unavailable.not_held.natural_person": 2,
            "requests.unavailable.not_held.total": 2,
            "requests.total.natural_person": 2,
            "requests.total.total": 2,
        },
    ),
    "037_putian_cgj_2024.html": (
        "莆田市城市管理局",
        2024,
        {
            "active.normative_documents.issued": 4,
            "active.normative_documents.repealed": 4,
            "active.normative_documents.in_force": 16,
            "active.licensing.decisions": 78,
            "active.penalty.decisions": 5,
            "active.fees.amount": Decimal("397.59"),
            "requests.new.natural_person": 13,
            "requests.new.total": 13,
            "requests.denied.internal_affairs.natural_person": 1,
            "requests.denied.internal_affairs.total": 1,
            "requests.unavailable.not_held.natural_person": 12,
            "requests.unavailable.not_held.total": 12,
            "requests.total.natural_person": 13,
            "requests.total.total": 13,
            "review.reconsideration.upheld": 1,
            "review.reconsideration.total": 1,
        },
    ),
}


@pytest.mark.parametrize("name", REAL_PAGES)
def test_real_saved_pages(name: str) -> None:
    agency, year, nonzero = REAL_PAGES[name]
    report = govreport.parse_file(REAL / name)
    assert (report.agency, report.year, report.template) == (agency, year, "2021")
    expected = {key: nonzero.get(key, 0) for key in govreport.cell_ids("2021")}
    assert report.cells() == expected
    assert report.overview is not None and report.problems is not None and report.other_matters is not None
    assert not report.errors


def test_real_page_037_complete_rows() -> None:
    """The rows the crawler text collapses are complete in the page's grid."""
    cells = govreport.parse_file(REAL / "037_putian_cgj_2024.html").cells()
    assert [cells[key] for key in rf.REVIEW] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    normative = [cells[f"active.normative_documents.{k}"] for k in ("issued", "repealed", "in_force")]
    assert normative == [4, 4, 16]
    text = (REAL / "037_putian_cgj_2024.txt").read_text(encoding="utf-8")
    assert "\n1\n0\n1\n0\n" in text  # what the crawler kept of the review row


def test_real_page_021_request_rows() -> None:
    cells = govreport.parse_file(REAL / "021_putian_lyj_2025.html").cells()
    for row in ("new", "unavailable.not_held", "total"):
        assert [cells[f"requests.{row}.{c}"] for c in rf.COLUMNS] == [1, 0, 0, 0, 0, 0, 1]


PAIRS = sorted(p for p in REAL.glob("*.html") if p.with_suffix(".txt").exists())


@pytest.mark.parametrize("page", PAIRS, ids=[p.stem for p in PAIRS])
def test_crawler_text_never_says_more_than_its_saved_page(page: Path) -> None:
    """The crawler text of a saved page (runs collapsed, blanks never
    written) against the page's table grid: every value the text gives as
    printed or solved is the page's; a value inferred may differ."""
    shown = govreport.parse_file(page)
    values = shown.cells()
    assert all(shown.cell(k).provenance is Provenance.PRINTED for k, v in values.items() if v is not None)
    text = govreport.parse((page.with_suffix(".txt")).read_text(encoding="utf-8"))
    sure, guessed = text.cells(), text.cells(inferred=True)
    assert sure.keys() == values.keys()
    for key, value in values.items():
        assert sure[key] is None or sure[key] == value, key
        if guessed[key] != value:
            assert guessed[key] is None or text.cell(key).inferred, key
    # What the text settles: section 二, and each request row's 自然人 and total.
    settled = [k for k, v in sure.items() if v is not None]
    assert all(
        f"requests.{row}.{c}" in settled for row in ("new", "total") for c in ("natural_person", "total")
    )
    assert any(text.cell(k).inferred for k in sure)


# -- other page shapes --------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{"article": "article-content"}, {"article": "zoom", "layout_table": True}],
    ids=["no TRS_Editor", "layout table"],
)
def test_page_shapes(options: dict[str, object]) -> None:
    data = rf.to_html(CASES["2021"][0], **options)  # type: ignore[arg-type]
    report = govreport.parse_bytes(data)
    assert report.cells() == from_text("2021").cells()
    assert report.title == CASES["2021"][0].title


def test_a_table_that_lays_out_the_page_is_read_as_lines() -> None:
    paragraphs = "".join(
        f"<p>{line}</p>" for line in ["某局2023年政府信息公开工作年度报告", "一、总体情况", "正文" * 200]
    )
    for page in (
        f"<html><body><table><tr><td>{paragraphs}</td></tr></table></body></html>",
        f"<html><body><table><tr><td>栏目</td><td>{paragraphs}</td></tr></table></body></html>",
    ):
        text = extract_text(page.encode()).text
        assert "\t" not in text and "\n一、总体情况\n" in text
        assert govreport.parse_bytes(page.encode()).overview is not None


def test_html_span_attributes_out_of_range() -> None:
    page = (
        "<html><body><div class=TRS_Editor><p>某局2023年政府信息公开工作年度报告</p><p>一、总体情况</p>"
        '<table><tr><td colspan="99999" rowspan="0">x</td><td rowspan="-3" colspan="abc">y</td></tr>'
        '<tr><td rowspan="65535">z</td></tr></table><div>' + "<div>" * 3000 + "二、主动公开政府信息情况"
        + "</div>" * 3000 + "</div></div></body></html>"
    )  # fmt: skip
    report = govreport.parse_bytes(page.encode())
    assert report.overview is not None


# -- hostile and damaged files ------------------------------------------------


def _pdf(draw: str, encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=encrypt)
    if draw == "rectangle":
        page.rect(100, 100, 300, 400, fill=1)
    else:
        page.drawString(100, 700, draw)
    page.showPage()
    page.save()
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _zip(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return out.getvalue()


HOSTILE: dict[str, tuple[bytes, type[GovReportError], str]] = {
    "empty file": (b"", ParseError, "empty"),
    "blank text": (b" \n\t\r\n", ParseError, "empty"),
    "truncated docx": (rendered("2021", "docx")[: len(rendered("2021", "docx")) // 2], UnsupportedFormatError, "truncated"),
    "legacy doc": (OLE2 + "WordDocument".encode("utf-16-le") + bytes(100), UnsupportedFormatError, "save it as .docx"),
    "encrypted docx": (OLE2 + "EncryptedPackage".encode("utf-16-le"), UnsupportedFormatError, "encrypted"),
    "other ole2": (OLE2 + "Workbook".encode("utf-16-le"), UnsupportedFormatError, "legacy Office"),
    "image-only pdf": (_pdf("rectangle"), NoTextLayerError, "OCR is needed"),
    "encrypted pdf": (_pdf("2023", encrypt="secret"), UnsupportedFormatError, "encrypted"),
    "truncated pdf": (rendered("2021", "pdf")[: len(rendered("2021", "pdf")) // 2], UnsupportedFormatError, "truncated"),
    "pdf of junk": (b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", UnsupportedFormatError, "damaged"),
    "pdf not a report": (_pdf("Hello"), ParseError, "not a government information disclosure annual report"),
    "zip not docx": (_zip(xl__workbook_xml=b"<x/>"), UnsupportedFormatError, "not a Word document"),
    "odt": (_zip(mimetype=b"application/vnd.oasis.opendocument.text"), UnsupportedFormatError, "OpenDocument"),
    "rtf": (b"{\\rtf1\\ansi{\\fonttbl}report}", UnsupportedFormatError, "RTF"),
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(64), NoTextLayerError, "OCR"),
    "latin-1 text": ("caf\xe9 r\xe9sum\xe9 na\xefve".encode("latin-1"), UnsupportedFormatError, "encoding"),
    "damaged utf-8": (rendered("2021", "text")[:900] + b"\xff" + rendered("2021", "text")[901:], UnsupportedFormatError, "damaged UTF-8"),
    "bad bom": (b"\xff\xfe\x00\xd8", UnsupportedFormatError, "byte-order mark"),
    "html not a report": (b"<html><body><p>hello</p></body></html>", ParseError, "not a government"),
    "binary": (bytes(range(256)) * 4, GovReportError, ""),
}  # fmt: skip


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files(name: str) -> None:
    data, error, words = HOSTILE[name]
    with pytest.raises(error) as caught:
        govreport.parse_bytes(data)
    assert words in caught.value.message
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is type(caught.value) and str(copy) == str(caught.value)
    assert getattr(copy, "format", None) == getattr(caught.value, "format", None)


def test_doc_extension_does_not_matter() -> None:
    with pytest.raises(UnsupportedFormatError, match="legacy Word"):
        govreport.parse_bytes(HOSTILE["legacy doc"][0], "report.docx")


def _mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        damaged = bytearray(data)
        for _ in range(rng.randrange(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        out.append(bytes(damaged))
        out.append(data[: rng.randrange(len(data))])
    return out


@pytest.mark.parametrize("rendering", ["html", "html-gbk", "docx", "pdf"])
def test_damaged_files_never_raise_anything_else(rendering: str) -> None:
    for data in _mutations(rendered("2019", rendering), seed=len(rendering), count=6):
        with contextlib.suppress(GovReportError):
            govreport.parse_bytes(data)


def test_random_bytes() -> None:
    rng = random.Random(5)
    for size in (1, 2, 3, 7, 64, 1000, 5000):
        for _ in range(5):
            data = bytes(rng.randrange(256) for _ in range(size))
            with contextlib.suppress(GovReportError):
                govreport.parse_bytes(data)


# -- errors and extras --------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "rendering", "extra"),
    [("bs4", "html", "html"), ("docx", "docx", "docx"), ("pdfplumber", "pdf", "pdf")],
)
def test_missing_extra_names_the_install_command(
    module: str, rendering: str, extra: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    with pytest.raises(MissingExtraError) as caught:
        govreport.parse_bytes(rendered("2021", rendering))
    assert f"pip install 'govreport[{extra}]'" in str(caught.value)
    assert caught.value.extra == extra
    copy = pickle.loads(pickle.dumps(caught.value))
    assert copy.extra == extra and str(copy) == str(caught.value)
    # text needs no extra
    assert govreport.parse_bytes(rendered("2021", "text")).cells() == from_text("2021").cells()


def test_new_errors_are_govreport_errors() -> None:
    for cls in (UnsupportedFormatError, NoTextLayerError, MissingExtraError):
        assert issubclass(cls, GovReportError)
    assert issubclass(NoTextLayerError, UnsupportedFormatError)
    error = UnsupportedFormatError("x", format="pdf", line=1, column=2, excerpt="e")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.format, copy.line, copy.column, copy.excerpt) == ("pdf", 1, 2, "e")


def test_a_file_that_cannot_be_read() -> None:
    with pytest.raises(OSError):
        govreport.parse_file("/nonexistent/report.pdf")


def test_parse_errors_point_into_the_extracted_text() -> None:
    data = "<html><body><nav>首页</nav><h1>通知</h1><div><p>今天天气很好。</p></div></body></html>".encode()
    with pytest.raises(ParseError) as caught:
        govreport.parse_bytes(data)
    lines = extract_text(data).text.splitlines()
    assert caught.value.line is not None
    assert lines[caught.value.line - 1] == caught.value.excerpt == "通知"


@pytest.mark.parametrize(
    ("line", "is_page_number"),
    [
        ("— 3 —", True),
        ("- 3 -", True),
        ("－ 12 －", True),
        ("3", True),
        ("第 2 页 共 5 页", True),
        ("第2页/共5页", True),
        ("2/5", True),
        ("Page 3 of 5", True),
        ("2023年", False),
        ("0 0 0", False),
        ("一、总体情况", False),
        ("第二十条第（一）项", False),
    ],
)
def test_page_number_lines(line: str, is_page_number: bool) -> None:
    from govreport.formats.pdf import _PAGE_NUMBER

    assert bool(_PAGE_NUMBER.fullmatch(line)) is is_page_number


def test_text_files_read_as_parse_reads_them() -> None:
    for path in sorted(REAL.glob("*.txt"))[:12]:
        text = path.read_text(encoding="utf-8")
        try:
            expected = govreport.parse(text)
        except GovReportError as error:
            with pytest.raises(type(error)):
                govreport.parse_file(path)
            continue
        assert govreport.parse_file(path) == expected
        assert govreport.parse_bytes(text.encode("gb18030")).cells() == expected.cells()
