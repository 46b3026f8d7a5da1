"""Reading a Word (DOCX) file.

The body is read in order, paragraphs and tables alike (content controls
included). A paragraph is a line, with its automatic list number rendered
(``一、``, ``（一）``, ``1.``, from ``numbering.xml``), since Word stores the
numbers of numbered headings apart from their text. A table's grid is read
from the XML itself: ``w:gridBefore`` positions and the columns a
``w:gridSpan`` cell covers are empty fields, and so is a cell that continues
a vertical merge (``w:vMerge``), so merged cells are neither repeated nor
lost (python-docx's ``row.cells`` would repeat them).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Final

from .errors import UnsupportedFormatError, missing_extra
from .layout import Grid, Layout

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["read_docx"]

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK: Final = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Elements whose content is not the document's visible text.
_SKIP: Final = frozenset(_W + name for name in ("del", "moveFrom", "pPr", "rPr", "instrText", "delText")) | {
    _FALLBACK
}
_WRAPPERS: Final = frozenset(_W + name for name in ("sdt", "sdtContent", "customXml", "smartTag"))
#: The most a DOCX may unpack to.
MAX_UNPACKED: Final = 256 * 1024 * 1024
_CHINESE: Final = "〇一二三四五六七八九"
_STEMS: Final = "甲乙丙丁戊己庚辛壬癸"
_ROMAN: Final = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                 (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


def _open(data: bytes) -> Document:
    try:
        import docx
    except ImportError as error:
        raise missing_extra("docx", "DOCX files", error) from error
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise UnsupportedFormatError(
                    "the DOCX file unpacks to more than 256 MB; it is not read", format="docx"
                )
            damaged = archive.testzip()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as error:
        raise UnsupportedFormatError(
            f"a damaged or truncated DOCX file: its ZIP archive cannot be read ({error})", format="docx"
        ) from None
    if damaged is not None:
        raise UnsupportedFormatError(
            f"a damaged or truncated DOCX file: {damaged} in its ZIP archive is corrupt", format="docx"
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx and lxml raise many kinds
        raise UnsupportedFormatError(f"a damaged DOCX file: {error}", format="docx") from None


def _val(element: Any, name: str) -> str | None:
    child = element.find(_W + name) if element is not None else None
    return None if child is None else child.get(_W + "val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _chinese(n: int) -> str:
    if n < 10:
        return _CHINESE[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format(n: int, kind: str) -> str:
    """A list number in one of Word's number formats (``w:numFmt``)."""
    formats: dict[str, Callable[[int], str]] = {
        "chineseCounting": _chinese,
        "chineseCountingThousand": _chinese,
        "chineseLegalSimplified": _chinese,
        "ideographTraditional": lambda n: _STEMS[(n - 1) % 10],
        "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
        "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 0 < n <= 20 else str(n),
        "decimalZero": lambda n: f"{n:02d}",
        "lowerLetter": _letter,
        "upperLetter": lambda n: _letter(n).upper(),
        "lowerRoman": _roman,
        "upperRoman": lambda n: _roman(n).upper(),
    }
    return formats.get(kind, str)(n)


class _Numbering:
    """Word's automatic list numbers, counted in document order."""

    def __init__(self, document: Document) -> None:
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            root = None
        self.levels: dict[str, dict[int, Any]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        for abstract in root.findall(_W + "abstractNum") if root is not None else ():
            levels = {_int(lvl.get(_W + "ilvl"), 0): lvl for lvl in abstract.findall(_W + "lvl")}
            self.levels[abstract.get(_W + "abstractNumId") or ""] = levels
        for num in root.findall(_W + "num") if root is not None else ():
            starts = {
                _int(override.get(_W + "ilvl"), 0): _int(_val(override, "startOverride"), 1)
                for override in num.findall(_W + "lvlOverride")
                if override.find(_W + "startOverride") is not None
            }
            self.nums[num.get(_W + "numId") or ""] = (_val(num, "abstractNumId") or "", starts)
        self.styles: dict[str, Any] = {}
        for style in document.styles.element.findall(_W + "style"):
            self.styles[style.get(_W + "styleId") or ""] = style

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        ppr = paragraph.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        style_id = _val(ppr, "pStyle")
        seen = set()
        while num_pr is None and style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style_ppr = self.styles[style_id].find(_W + "pPr")
            num_pr = style_ppr.find(_W + "numPr") if style_ppr is not None else None
            style_id = _val(self.styles[style_id], "basedOn")
        if num_pr is None:
            return None
        num_id = _val(num_pr, "numId")
        return (num_id, _int(_val(num_pr, "ilvl"), 0)) if num_id and num_id != "0" else None

    def label(self, paragraph: Any) -> str:
        """The list number of ``paragraph`` (advancing the count), or ``""``."""
        found = self._num_pr(paragraph)
        if found is None or found[0] not in self.nums:
            return ""
        abstract_id, starts = self.nums[found[0]]
        levels = self.levels.get(abstract_id, {})
        level = min(max(found[1], 0), 8)
        lvl = levels.get(level)
        if lvl is None or _val(lvl, "numFmt") in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        current = counters[level]
        counters[level] = (
            current + 1 if current is not None else starts.get(level, _int(_val(lvl, "start"), 1))
        )
        counters[level + 1 :] = [None] * (8 - level)
        text = _val(lvl, "lvlText") or ""
        for i in range(level + 1):
            number = counters[i]
            if number is None:
                number = _int(_val(levels.get(i), "start"), 1)
            text = text.replace(f"%{i + 1}", _format(number, _val(levels.get(i), "numFmt") or "decimal"))
        suffix = _val(lvl, "suff") or "tab"
        return text + {"tab": " ", "space": " "}.get(suffix, "")


def _children(parent: Any, name: str) -> Iterator[Any]:
    """The ``w:name`` children of ``parent``, looking through content controls."""
    for child in parent:
        if child.tag == _W + name:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, name)


def _blocks(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or cell, in order."""
    for child in parent:
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _text(paragraph: Any) -> str:
    """The visible text of a paragraph: line breaks as ``\\n``, tabs as spaces."""
    parts: list[str] = []
    stack: list[Iterator[Any]] = [iter(paragraph)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
        elif isinstance(element, str):
            parts.append(element)
        elif element.tag in _SKIP or not isinstance(element.tag, str):
            continue
        elif element.tag == _W + "t":
            parts.append(element.text or "")
        elif element.tag in (_W + "tab", _W + "ptab"):
            parts.append(" ")
        elif element.tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif element.tag == _W + "noBreakHyphen":
            parts.append("-")
        elif element.tag == _W + "p":  # a text box's paragraph: lines of its own
            parts.append("\n")
            stack.extend((iter(["\n"]), iter(element)))
        else:
            stack.append(iter(element))
    return "".join(parts)


class _Reader:
    def __init__(self, document: Document) -> None:
        self.numbering = _Numbering(document)

    def paragraph(self, paragraph: Any) -> str:
        return self.numbering.label(paragraph) + _text(paragraph)

    def cell(self, cell: Any) -> str:
        lines = []
        for block in _blocks(cell):
            if block.tag == _W + "p":
                lines.append(self.paragraph(block))
            else:  # a nested table: its cells' text in order
                lines.extend(field for row in self.grid(block) for field in row if field)
        return "\n".join(lines)

    def grid(self, table: Any) -> Grid:
        rows: Grid = []
        for tr in _children(table, "tr"):
            row: list[str | None] = [None] * _int(_val(tr.find(_W + "trPr"), "gridBefore"), 0)
            for tc in _children(tr, "tc"):
                tc_pr = tc.find(_W + "tcPr")
                span = max(_int(_val(tc_pr, "gridSpan"), 1), 1)
                merges = [tc_pr.find(_W + name) for name in ("vMerge", "hMerge")] if tc_pr is not None else []
                continued = any(m is not None and m.get(_W + "val", "continue") == "continue" for m in merges)
                row.append(None if continued else self.cell(tc))
                row.extend([None] * (span - 1))
            rows.append(row)
        return rows


def read_docx(data: bytes) -> Layout:
    """The text of a DOCX file: paragraphs as lines, tables as tab rows."""
    document = _open(data)
    reader = _Reader(document)
    layout = Layout()
    for block in _blocks(document.element.body):
        if block.tag == _W + "p":
            for line in reader.paragraph(block).split("\n"):
                layout.line(line)
        else:
            layout.table(reader.grid(block))
    return layout
