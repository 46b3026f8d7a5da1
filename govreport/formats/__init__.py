"""Reading report files as they are published: text in any common encoding,
HTML pages, DOCX and PDF files.

    >>> report = govreport.parse_file("report.docx")           # doctest: +SKIP
    >>> extracted = extract_text("report.pdf")                 # doctest: +SKIP
    >>> extracted.page_of(report.cell("requests.total.total").span.start)  # doctest: +SKIP

:func:`sniff` tells the format from the content (magic bytes, markup); the
file name's extension is only a hint. Each reader turns its file into text
in a layout the parser reads (tables as tab rows, one field per grid column,
merged cells as empty fields) and :func:`govreport.parse` reads that text, so
every format gives the same :class:`~govreport.Report`, with spans pointing
into the extracted text (:attr:`Extracted.text`). The HTML, DOCX and PDF
readers need the optional extras ``govreport[html]``, ``[docx]``, ``[pdf]``
(or ``[all]``). See ``docs/formats.md``.
"""

from __future__ import annotations

import bisect
import os
import re
from pathlib import Path
from typing import Final

import attrs

from ..api import parse
from ..model import Report, Span
from ..normalize import LineIndex, normalize
from .errors import DecodingError, MissingExtraError, NoTextLayerError, UnsupportedFormatError
from .text import check_encoding, decode

__all__ = [
    "parse_file",
    "parse_bytes",
    "extract_text",
    "sniff",
    "Extracted",
    "FORMATS",
    "UnsupportedFormatError",
    "NoTextLayerError",
    "DecodingError",
    "MissingExtraError",
]

#: The formats govreport reads.
FORMATS: Final = ("text", "html", "docx", "pdf")

_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES: Final = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_HTML_START: Final = re.compile(
    rb"\s*<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|!--|\?xml)", re.I
)
_HTML_TAG: Final = re.compile(rb"<(?:html|body|table|div|p|br|td)\b", re.I)
_HTML_EXTENSIONS: Final = (".htm", ".html", ".shtml", ".xhtml")


@attrs.frozen
class Extracted:
    """The text a file was read as.

    ``text`` is the text :func:`govreport.parse` reads: every span of the
    report points into it. ``format`` is the format the file was read as
    (one of :data:`FORMATS`), ``encoding`` the text encoding of a text file
    or HTML page, and ``pages`` (PDF only) the 1-based page of each line.
    ``undecodable`` counts the byte sequences of a text file or page that
    its encoding could not decode, handled as ``encoding_errors`` said
    (``"replace"``: each is a U+FFFD in ``text``).
    """

    text: str
    format: str
    encoding: str | None = None
    pages: tuple[int, ...] | None = attrs.field(default=None, repr=False)
    undecodable: int = 0
    _starts: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        starts = [0] + [match.end() for match in re.finditer("\n", self.text)]
        object.__setattr__(self, "_starts", tuple(starts))

    def page_of(self, offset: int) -> int | None:
        """The PDF page that the character at ``offset`` of :attr:`text` came
        from (a :class:`~govreport.Span`'s ``start``), or ``None`` when the
        format has no pages."""
        if not self.pages:
            return None
        line = bisect.bisect_right(self._starts, max(offset, 0)) - 1
        return self.pages[min(line, len(self.pages) - 1)]


def sniff(data: bytes, filename: str | None = None) -> str:
    """The format of a file's content: one of :data:`FORMATS`, or what the
    file is when govreport cannot read it (``"doc"`` for a legacy Office
    file, ``"rtf"``, ``"zip"`` for an archive that is not a Word document,
    ``"image"``). Magic bytes and markup decide; ``filename``'s extension
    only tips a page of bare markup towards HTML."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx" if b"word/" in data else "zip"
    if data.startswith(_OLE2):
        return "doc"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_IMAGES):
        return "image"
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    head = head.replace(b"\x00", b"")
    if _HTML_TAG.search(head) and (
        _HTML_START.match(head) or (filename or "").lower().endswith(_HTML_EXTENSIONS)
    ):
        return "html"
    return "text"


def _unsupported(kind: str, data: bytes) -> UnsupportedFormatError:
    """The error for a file :func:`sniff` found but govreport does not read."""
    if kind == "image":
        return NoTextLayerError("an image, not a document: it has no text layer; OCR is needed", format=kind)
    if kind == "doc" and "EncryptedPackage".encode("utf-16-le") in data:
        return UnsupportedFormatError(
            "an encrypted (password-protected) Word file: save a copy without the password and read that",
            format="docx",
        )
    if kind == "doc":
        word = "WordDocument".encode("utf-16-le") in data
        what = (
            "a legacy Word .doc file (Word 97-2003)"
            if word
            else "a legacy Office file (OLE2: .doc, .xls, .wps)"
        )
    elif kind == "rtf":
        what = "an RTF document"
    elif b"opendocument.text" in data[:200]:
        what = "an OpenDocument text (.odt)"
    else:
        what = "a ZIP archive that is not a Word document (no word/document.xml)"
    return UnsupportedFormatError(
        f"{what}, which govreport does not read: save it as .docx, "
        "or convert it with: soffice --headless --convert-to docx FILE",
        format=kind,
    )


def extract_text(
    source: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    *,
    encoding: str | None = None,
    encoding_errors: str = "strict",
) -> Extracted:
    """Read a file (a path, or its content as ``bytes``) as the text the parser reads.

    ``encoding`` is the encoding of a text file or HTML page: ``None`` (the
    default) detects it (byte-order mark, UTF-8, UTF-16, GB18030, an HTML
    page's ``<meta charset>``); a name (``"gb18030"``, ``"big5"``,
    ``"utf-16"``; GB2312 and GBK read as GB18030, their superset) forces
    it, over a page's ``<meta charset>`` too. ``encoding_errors`` is what
    to do with bytes the encoding cannot decode, as in ``open()``:
    ``"strict"`` (the default) raises :class:`DecodingError`, naming the
    file, the encoding and the byte offset; ``"replace"`` reads each as
    U+FFFD, ``"ignore"`` drops it (:attr:`Extracted.undecodable` counts
    them). DOCX and PDF files name their own encoding: both are ignored there.

    Raises :class:`UnsupportedFormatError` for a file govreport cannot read
    (:class:`NoTextLayerError` for a scan or an image) and
    :class:`MissingExtraError` when the format's reader is not installed;
    ``OSError`` when a path cannot be read; ``LookupError`` for an unknown
    encoding or error handler.
    """
    check_encoding(encoding, encoding_errors)  # an unknown name fails before the file is read
    name = filename
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        data = path.read_bytes()
        filename = filename or path.name
        name = os.fspath(source)
    else:
        raise TypeError(f"extract_text() takes a path or bytes, not {type(source).__name__}")
    kind = sniff(data, filename)
    if kind == "text":
        decoded = decode(data, encoding=encoding, errors=encoding_errors, name=name)
        return Extracted(decoded.text, kind, decoded.encoding, undecodable=decoded.undecodable)
    if kind == "html":
        from .html import read_html

        layout, decoded = read_html(data, encoding=encoding, errors=encoding_errors, name=name)
        return Extracted(layout.text, kind, decoded.encoding, undecodable=decoded.undecodable)
    if kind == "docx":
        from .docx import read_docx

        return Extracted(read_docx(data).text, kind)
    if kind == "pdf":
        from .pdf import read_pdf

        layout = read_pdf(data)
        return Extracted(layout.text, kind, pages=tuple(layout.pages))
    raise _unsupported(kind, data)


def _parse_extracted(extracted: Extracted, strict: bool, errors: str) -> Report:
    """Parse the extracted text; bytes that could not be decoded are an
    ``undecodable-bytes`` diagnostic."""
    report = parse(extracted.text, strict=strict)
    if not extracted.undecodable:
        return report
    from .. import diagnostics as dx

    first = extracted.text.find("\ufffd")
    span = None
    if first != -1:
        index = LineIndex(normalize(extracted.text))
        line, column = index.position(first)
        span = Span(first, first + 1, line, column, line, column + 1)
    n = extracted.undecodable
    how = "read as U+FFFD" if errors == "replace" else f"handled by encoding_errors={errors!r}"
    found = dx.make(
        "undecodable-bytes",
        f"{n} byte sequence{'s' * (n > 1)} of the file could not be decoded as {extracted.encoding} "
        f"and {'were' if n > 1 else 'was'} {how}: a value there may be missing or wrong",
        span,
    )
    merged = sorted((*report.diagnostics, found), key=dx.sort_key)
    return attrs.evolve(report, diagnostics=tuple(merged))


def parse_file(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    encoding: str | None = None,
    encoding_errors: str = "strict",
) -> Report:
    """Read the report in a file: text, HTML, DOCX or PDF, told from its content.

    ``parse(extract_text(path).text)``: the spans of the report point into the
    extracted text (:func:`extract_text` gives it, and the PDF pages).
    ``encoding`` and ``encoding_errors`` are :func:`extract_text`'s: the
    text encoding (``None``: detected) and what to do with bytes it cannot
    decode (``"strict"``: :class:`DecodingError`; with another handler, the
    report has an ``undecodable-bytes`` warning). Raises what
    :func:`extract_text` and :func:`govreport.parse` raise.
    """
    extracted = extract_text(path, encoding=encoding, encoding_errors=encoding_errors)
    return _parse_extracted(extracted, strict, encoding_errors)


def parse_bytes(
    data: bytes,
    filename: str | None = None,
    *,
    strict: bool = False,
    encoding: str | None = None,
    encoding_errors: str = "strict",
) -> Report:
    """:func:`parse_file` for a file's content; ``filename`` is only a hint."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(
            f"parse_bytes() takes the file's content as bytes, not {type(data).__name__}"
            + ("; use govreport.parse() for text" if isinstance(data, str) else "")
        )
    extracted = extract_text(bytes(data), filename, encoding=encoding, encoding_errors=encoding_errors)
    return _parse_extracted(extracted, strict, encoding_errors)
