"""Decoding text files: the byte-order mark, else strict UTF-8, else UTF-16
without a mark, else GB18030 (a superset of GBK and GB2312), each only when
it gives plausible Chinese text; otherwise a clear error, never mojibake."""

from __future__ import annotations

import codecs
import re
from typing import Final

from .errors import UnsupportedFormatError

__all__ = ["decode", "declared_charset"]

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


def _utf8(data: bytes) -> str | None:
    """``data`` as UTF-8, or None when it is not UTF-8 text.

    A character cut off at the end (a truncated file) is left out. Text that
    is UTF-8 but for a few damaged bytes raises: read as another encoding it
    would be mojibake.
    """
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError as error:
        replaced = data.decode("utf-8", "replace")
        bad = replaced.count("\ufffd")
        good = sum(1 for char in replaced if ord(char) > 0x7F) - bad
        if good >= 10 * bad:
            raise UnsupportedFormatError(
                f"damaged UTF-8 text: {bad} invalid byte sequence(s), the first at byte {error.start}",
                format="text",
            ) from None
        return None


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


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a text file: returns the text and the encoding read.

    ``declared`` is the encoding the file itself names (an HTML page's
    ``<meta charset>``); it is tried after the byte-order mark and strict
    UTF-8. Raises :class:`UnsupportedFormatError` when no encoding gives
    plausible text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding)
            if text is None:
                raise UnsupportedFormatError(
                    f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}",
                    format="text",
                )
            return text, encoding
    if b"\x00" in data[:4096] and (utf16 := _utf16(data)) is not None:
        return utf16
    text = _utf8(data)
    if text is not None:
        return text, "utf-8"
    if declared and declared != "utf-8":
        text = _strict(data, declared)
        if text is not None and _plausible(text) >= _THRESHOLD:
            return text, declared
    if (utf16 := _utf16(data)) is not None:
        return utf16
    text = _strict(data, "gb18030")
    if text is not None and _plausible(text) >= _THRESHOLD:
        return text, "gb18030"
    raise UnsupportedFormatError(
        "cannot tell the file's text encoding: it is not UTF-8, UTF-16 or GB18030/GBK text"
        + (f", nor the declared {declared}" if declared and declared != "utf-8" else "")
        + "; if it is a document of another kind, its format was not recognised",
        format="text",
    )
