"""Stage 1: text normalization.

Every later stage reads the normalized text, and every span points into the
text the caller gave. Both hold at once because normalization never changes
the length of the text: each character is replaced by exactly one character,
and each removed artefact by spaces of the same length. An offset in the
normalized text is therefore the same offset in the original text, and the
line and column numbers agree.

What it does:

- full-width forms become ASCII (``（一）`` → ``(一)``, ``０`` → ``0``,
  ``：`` → ``:``), as do the other compatibility characters whose NFKC form is
  a single character (Kangxi radicals from PDF extraction, ``﹝`` → ``〔``);
- every Unicode space (NBSP, U+3000, U+2000…U+200A, …), zero-width character
  and the byte-order mark becomes an ASCII space;
- ``\\r`` becomes a space (so CRLF keeps one newline), and ``\\n`` where no
  ``\\n`` (or ``\\r``) follows it (a classic Mac OS text's line ends); form feeds,
  vertical tabs and the Unicode line/paragraph separators become ``\\n``;
- Word bookmark artefacts (``[bookmark: _GoBack]``) become spaces.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import Final

__all__ = ["normalize", "LineIndex"]


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = (
        (0x00A0, 0x00FF),  # Latin-1: NBSP and friends
        (0x2000, 0x206F),  # general punctuation: spaces, zero-width characters
        (0x2E80, 0x2FDF),  # CJK and Kangxi radicals (PDF extraction)
        (0x3000, 0x3000),  # ideographic space
        (0xF900, 0xFAFF),  # CJK compatibility ideographs
        (0xFE10, 0xFE6F),  # vertical, small and compatibility forms
        (0xFF00, 0xFFEF),  # half-width and full-width forms
    )
    for first, last in ranges:
        for code in range(first, last + 1):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if folded.isspace() or unicodedata.category(char) in ("Zs", "Cf"):
                table[code] = " "
            elif len(folded) == 1 and folded != char:
                table[code] = folded
    # Characters NFKC keeps but that mean the same thing in a report.
    table.update(
        {
            0xFEFF: " ",  # byte-order mark / zero-width no-break space
            0x200B: " ",  # zero-width space
            0x200C: " ",
            0x200D: " ",
            0x2060: " ",  # word joiner
            0x2212: "-",  # minus sign
            ord("\r"): " ",
            ord("\f"): "\n",
            ord("\v"): "\n",
            0x0085: "\n",  # next line
            0x2028: "\n",  # line separator
            0x2029: "\n",  # paragraph separator
        }
    )
    # Keep the characters whose NFKC form would change the reading of a label.
    for keep in ("\u2026",):  # … (NFKC: three dots)
        table.pop(ord(keep), None)
    return table


_TABLE: Final = _build_table()
_ARTEFACT: Final = re.compile(r"\[bookmark: [^\]\n]*\]")


_LONE_RETURN: Final = re.compile(r"\r(?![\r\n])")


def _lone_returns(text: str, out: str) -> str:
    """``out`` with a line break for each ``\\r`` of ``text`` that no ``\\n`` or ``\\r`` follows."""
    chars = list(out)
    for match in _LONE_RETURN.finditer(text):
        chars[match.start()] = "\n"
    return "".join(chars)


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def normalize(text: str) -> str:
    """Return ``text`` normalized, with exactly the same length."""
    out = text.translate(_TABLE)
    if "\r" in text:
        out = _lone_returns(text, out)
    if "[bookmark:" in out:
        out = _ARTEFACT.sub(_blank, out)
    return out


class LineIndex:
    """Maps offsets of a text to 1-based line and column numbers.

    Lines are counted by ``\\n`` in the normalized text (so ``\\r\\n`` counts
    once and a lone ``\\r`` or a form feed starts a line); columns count code
    points from 1.
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column (both 1-based) of ``offset`` (0-based)."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def positions(self, start: int, end: int) -> tuple[int, int, int, int]:
        """Line and column of ``start`` and of ``end`` (``start <= end``)."""
        starts = self._starts
        index = bisect.bisect_right(starts, start) - 1
        last = index
        if last + 1 < len(starts) and starts[last + 1] <= end:
            last = bisect.bisect_right(starts, end, index) - 1
        return index + 1, start - starts[index] + 1, last + 1, end - starts[last] + 1

    def line_start(self, line: int) -> int:
        return self._starts[line - 1]

    def line_count(self) -> int:
        return len(self._starts)
