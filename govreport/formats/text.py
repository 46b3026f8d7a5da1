"""Decoding text files: the byte-order mark, else strict UTF-8, else UTF-16
without a mark, else GB18030 (a superset of GBK and GB2312), each only when
it gives plausible Chinese text; otherwise a clear error, never mojibake.

An encoding named by the caller (``encoding=``, ``--encoding``) is used
instead, and ``errors`` (Python's codec error handlers: ``"strict"``,
``"replace"``, ``"ignore"``, …) says what to do with bytes it cannot
decode: ``"strict"`` raises :class:`DecodingError`, naming the file, the
encoding and the byte offset; the others decode the rest and count what
they replaced (:class:`Decoded`)."""

from __future__ import annotations

import codecs
import re
from typing import Final, NamedTuple

from .errors import DecodingError, UnsupportedFormatError

__all__ = ["Decoded", "decode", "declared_charset", "check_encoding"]

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: What a report is written in: ASCII, CJK ideographs (with extension A and
#: the compatibility block), CJK and general punctuation, full-width forms,
#: Latin-1 symbols (·, ×, NBSP) and the Kangxi radicals PDF extraction emits.
_PLAUSIBLE: Final = re.compile(
    r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2190-\u21ff\u2460-\u24ff\u2500-\u257f\u25a0-\u26ff"
    r"\u2e80-\u2fdf\u3000-\u303f\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f"
    r"\uff00-\uffef]"
)
_CJK: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
#: The share of characters that must be plausible for a guessed encoding.
_THRESHOLD: Final = 0.95
_GB: Final = frozenset({"gb2312", "gbk", "cp936", "x-gbk", "gb-2312", "gb_2312-80", "euc-cn", "gb18030"})
_CHARSET: Final = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class Decoded(NamedTuple):
    """A decoded file: its text, the encoding read, and how many byte
    sequences could not be decoded (replaced as the ``errors`` handler says;
    0 with ``"strict"``)."""

    text: str
    encoding: str
    undecodable: int = 0


def check_encoding(encoding: str | None, errors: str = "strict") -> str | None:
    """The codec's name for ``encoding`` (``None``: detect), GB2312 and GBK
    read as GB18030, their superset; raises ``LookupError`` for an unknown
    encoding or error handler, as ``open()`` does."""
    codecs.lookup_error(errors)
    if encoding is None:
        return None
    name = codecs.lookup(encoding).name
    return "gb18030" if name in _GB or encoding.lower() in _GB else name


def _plausible(text: str) -> float:
    """The share of ``text``'s characters a report could contain."""
    if not text:
        return 1.0
    return len(_PLAUSIBLE.findall(text)) / len(text)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf8(data: bytes, errors: str = "strict", name: str | None = None) -> Decoded | None:
    """``data`` as UTF-8, or None when it is not UTF-8 text.

    A character cut off at the end (a truncated file) is left out. Text that
    is UTF-8 but for a few damaged bytes raises (with ``errors="strict"``):
    read as another encoding it would be mojibake; with another handler it
    is decoded with that handler.
    """
    try:
        return Decoded(codecs.getincrementaldecoder("utf-8")().decode(data, final=False), "utf-8")
    except UnicodeDecodeError as error:
        replaced = data.decode("utf-8", "replace")
        bad = replaced.count("\ufffd")
        good = sum(1 for char in replaced if ord(char) > 0x7F) - bad
        if good >= 10 * bad:
            if errors != "strict":
                return _decode(data, "utf-8", errors, name)
            line, column = _position(data, error.start, "utf-8")
            raise DecodingError(
                f"damaged UTF-8 text: {bad} invalid byte sequence(s), the first at byte {error.start}; "
                "encoding_errors='replace' (--encoding-errors replace) reads the rest, with U+FFFD for them",
                format="text",
                encoding="utf-8",
                offset=error.start,
                line=line,
                column=column,
            ) from None
        return None


def _position(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    """The line and column (1-based) of byte ``offset`` of ``data``."""
    before = data[:offset].decode(encoding, "replace").removeprefix("\ufeff")
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _decode(
    data: bytes, encoding: str, errors: str, name: str | None, format: str = "text", why: str = ""
) -> Decoded:
    """``data`` in ``encoding``, forced: a byte-order mark of that encoding
    is dropped; bytes it cannot decode raise :class:`DecodingError` with
    ``errors="strict"``, else are handled (and counted) by ``errors``."""
    handler = codecs.lookup_error(errors)
    # Decoding restarts after each error: a mark's byte order is fixed first.
    codec, pos = encoding, 0
    if encoding == "utf-16" and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, pos = ("utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"), 2
    elif encoding in ("utf-8", "utf-8-sig"):
        codec, pos = "utf-8", 3 if data.startswith(codecs.BOM_UTF8) else 0
    parts: list[str] = []
    undecodable = 0
    while True:
        try:
            parts.append(data[pos:].decode(codec, "strict"))
            break
        except UnicodeDecodeError as error:
            start, end = pos + error.start, pos + error.end
            if errors == "strict":
                bad = data[start:end].hex(" ").upper()
                line, column = _position(data, start, encoding)
                raise DecodingError(
                    f"{name or 'the file'} is not {encoding.upper()} text{why}: byte{'s' * (end - start > 1)} "
                    f"{bad} at byte offset {start} cannot be decoded; give the file's encoding "
                    "(encoding=, --encoding), or encoding_errors='replace' (--encoding-errors replace) "
                    "to read it with U+FFFD for what cannot be decoded",
                    format=format,
                    encoding=encoding,
                    offset=start,
                    path=name,
                    line=line,
                    column=column,
                ) from None
            undecodable += 1
            parts.append(data[pos:start].decode(codec, "strict"))
            replacement, resume = handler(UnicodeDecodeError(encoding, data, start, end, error.reason))
            parts.append(replacement if isinstance(replacement, str) else replacement.decode("latin-1"))
            pos = max(resume if resume >= 0 else len(data) + resume, end)
    text = "".join(parts)
    return Decoded(text.removeprefix("\ufeff"), encoding, undecodable)


def _utf16(data: bytes) -> tuple[str, str] | None:
    """``data`` as UTF-16 without a byte-order mark, if it reads as Chinese text."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _strict(data, encoding)
        if text is None or "\x00" in text:
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] < _THRESHOLD or not _CJK.search(best[1]):
        return None
    return best[1], best[2]


def declared_charset(data: bytes) -> str | None:
    """The codec named by a ``<meta charset>`` or ``http-equiv`` declaration
    in the first 4 KB of an HTML page (GB2312 and GBK read as GB18030)."""
    match = _CHARSET.search(data[:4096].replace(b"\x00", b""))
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in _GB:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(
    data: bytes,
    declared: str | None = None,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    name: str | None = None,
    format: str = "text",
) -> Decoded:
    """Decode a text file: returns the text, the encoding read and the count
    of byte sequences that could not be decoded (:class:`Decoded`).

    ``encoding`` forces an encoding (``None``: detect it); ``errors`` is
    the codec error handler for the bytes it cannot decode (``"strict"``
    raises :class:`DecodingError`). ``declared`` is the encoding the file
    itself names (an HTML page's ``<meta charset>``); when detecting it is
    tried after the byte-order mark and strict UTF-8. ``name`` is the file's
    name, for the messages. Raises :class:`UnsupportedFormatError` when no
    encoding gives plausible text.
    """
    forced = check_encoding(encoding, errors)
    if forced is not None:
        return _decode(data, forced, errors, name, format)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is None:  # DecodingError, or the rest with the handler
                why = f" (it starts with a {encoding.upper()} byte-order mark)"
                return _decode(data, encoding, errors, name, format, why)
            return Decoded(text, encoding)
    if b"\x00" in data[:4096] and (utf16 := _utf16(data)) is not None:
        return Decoded(*utf16)
    utf8 = _utf8(data, errors, name)
    if utf8 is not None:
        return utf8
    if declared and declared != "utf-8":
        text = _strict(data, declared)
        if text is not None and _plausible(text) >= _THRESHOLD:
            return Decoded(text, declared)
    if (utf16 := _utf16(data)) is not None:
        return Decoded(*utf16)
    text = _strict(data, "gb18030")
    if text is not None and _plausible(text) >= _THRESHOLD:
        return Decoded(text, "gb18030")
    if text is None and _plausible(data.decode("gb18030", "replace")) >= _THRESHOLD:
        # GB18030 text but for a few bytes: DecodingError saying where, or the handler's reading
        return _decode(data, "gb18030", errors, name, format)
    raise UnsupportedFormatError(
        "cannot tell the file's text encoding: it is not UTF-8, UTF-16 or GB18030/GBK text"
        + (f", nor the declared {declared}" if declared and declared != "utf-8" else "")
        + "; if it is a document of another kind, its format was not recognised; "
        "if you know its encoding, give it (encoding=, --encoding)",
        format="text",
    )
