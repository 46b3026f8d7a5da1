"""Reading a PDF with a text layer, with pdfplumber.

On each page the ruled tables are found (``find_tables``; a frame around
the page or around other tables, a box of one row or one column, is not a
table) and read as grids:
a merged cell comes back once, the positions it covers as ``None``, which
:mod:`.layout` writes as empty fields. The text outside the tables is read
as lines, and lines and tables are put in the order they stand on the page.
A table that goes on at the top of the next page drops the header rows it
repeats there; page numbers (``— 3 —``, ``- 3 -``, ``第 2 页 共 5 页``,
``2/5``) at the top or bottom margin of a page are dropped. Each line of the
extracted text keeps its page number.

Borderless tables have no grid to find: their rows are read as text lines,
in the "PDF text" layout the parser reads (blank cells cannot be told there).
"""

from __future__ import annotations

import io
import re
from typing import Any, Final

from ..errors import GovReportError
from .errors import NoTextLayerError, UnsupportedFormatError, missing_extra
from .layout import Grid, Layout

__all__ = ["read_pdf"]

_PAGE_NUMBER: Final = re.compile(
    r"[-—–－_·•\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／,，]?\s*共\s*\d{1,4}\s*页)?[-—–－_·•\s]*"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?",
    re.I,
)
#: The share of the page height at the top and at the bottom where page numbers stand.
_MARGIN: Final = 0.12
#: How many rows a table repeats at the top of a page it goes on to, at most.
_HEADER_ROWS: Final = 5

Item = tuple[float, float, "str | Grid"]


def _key(row: list[str | None]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", field) for field in row if field)


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _contains(outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


def _items(page: Any) -> list[Item]:
    """A page's text lines and tables, top to bottom, page numbers dropped."""
    tables = [table for table in page.find_tables() if len(table.rows) > 1 and len(table.columns) > 1]
    tables = [
        table
        for table in tables
        if not any(_contains(table.bbox, other.bbox) for other in tables if other is not table)
    ]
    boxes = [table.bbox for table in tables]
    rest = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
    items: list[Item] = [
        (line["top"], line["bottom"], line["text"]) for line in rest.extract_text_lines(return_chars=False)
    ]
    items += [(table.bbox[1], table.bbox[3], table.extract()) for table in tables]
    items.sort(key=lambda item: item[0])
    height = float(page.height)
    for index in (-1, 0):
        if not items:
            break
        top, bottom, item = items[index]
        in_margin = bottom < height * _MARGIN if index == 0 else top > height * (1 - _MARGIN)
        if isinstance(item, str) and in_margin and _PAGE_NUMBER.fullmatch(item.strip()):
            del items[index]
    return items


def _layout(pages: list[list[Item]]) -> Layout:
    layout = Layout()
    header: list[tuple[str, ...]] = []
    after_table = False
    for number, items in enumerate(pages, 1):
        for index, (_, _, item) in enumerate(items):
            if isinstance(item, str):
                layout.line(item, number)
                after_table = False
                continue
            grid = item
            if index == 0 and after_table:  # the table goes on from the page before
                repeated = 0
                while repeated < min(len(header), len(grid)) and _key(grid[repeated]) == header[repeated]:
                    repeated += 1
                grid = grid[repeated:]
            else:
                header = [_key(row) for row in grid[:_HEADER_ROWS]]
            layout.table(grid, number)
            after_table = True
    return layout


def read_pdf(data: bytes) -> Layout:
    """The text of a PDF: lines and tables as tab rows, each line with its page."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as error:
        raise missing_extra("pdf", "PDF files", error) from error
    if b"%%EOF" not in data[-1024:]:
        raise UnsupportedFormatError("a truncated PDF file: it does not end with %%EOF", format="pdf")
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_items(page) for page in pdf.pages]
            text = "".join(char["text"] for page in pdf.pages for char in page.chars)
            count = len(pdf.pages)
    except GovReportError:
        raise
    except Exception as error:
        cause = error.__cause__ or error.__context__ or error
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in (error, cause)):
            raise UnsupportedFormatError(
                "an encrypted PDF: it cannot be opened without its password; "
                "save a copy without the password and read that",
                format="pdf",
            ) from None
        raise UnsupportedFormatError(
            f"a damaged PDF file: {type(error).__name__}: {error}", format="pdf"
        ) from None
    if not text.strip():
        raise NoTextLayerError(
            f"a scanned PDF: its {count} page(s) have no text layer, so there is no text to read; "
            "OCR is needed (for example with ocrmypdf) before govreport can read it",
            format="pdf",
        )
    if text.count("(cid:") * 8 > len(text):
        raise NoTextLayerError(
            "the PDF's fonts have no Unicode mapping, so its text cannot be extracted; OCR is needed",
            format="pdf",
        )
    return _layout(pages)
