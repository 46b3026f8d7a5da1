"""What every reader of stage 4 shares: the text, positions, diagnostics.

A :class:`Context` is made once per report. It holds the normalized text
the grammar read and the caller's text (``original``), the line indexes
that turn offsets into spans of the caller's text (through the
segmentation, when the text was cut out of flattened lines), the
diagnostics said so far, and the evidence the template is told from.
The table readers (:mod:`.active`, :mod:`.requests`, :mod:`.review`) and
the front matter (:mod:`.front`) take it as their first argument.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Final

from lark import Token

from .. import diagnostics as dx
from .. import model as m
from ..grammar import compact
from ..normalize import LineIndex
from ..segment import Segmentation

_TRIM: Final = " \t|\n"
_NUMBERING: Final = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.,:]|\(?[一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、,:]?)"
)
_LETTERS: Final = re.compile(r"[\u4e00-\u9fff\w]+")
_BLANK_LINE: Final = re.compile(r"\n[ ]*\n")


@functools.lru_cache(maxsize=4096)
def letters(text: str) -> str:
    """A label reduced to its letters, for telling variants apart."""
    return "".join(_LETTERS.findall(_NUMBERING.sub("", compact(text))))


def start_of(token: Token) -> int:
    return token.start_pos or 0


def end_of(token: Token) -> int:
    return token.end_pos or 0


class Evidence:
    """What the parse found that only a report of the template has."""

    def __init__(self) -> None:
        self.captions = 0
        self.notes = 0
        self.request_rows: set[str] = set()
        self.review_words: set[str] = set()
        self.headings = 0

    @property
    def tables(self) -> bool:
        """True when the text shows the 2019/2021 template's tables."""
        return bool(
            self.captions
            or self.notes
            or len(self.request_rows) >= 3
            or {"WORD_DIRECT", "WORD_AFTER_RECONSIDERATION"} & self.review_words
        )


class Context:
    """The text of one report being built, its positions and its diagnostics."""

    def __init__(
        self,
        original: str,
        text: str,
        lines: LineIndex | None = None,
        segmentation: Segmentation | None = None,
        spans: LineIndex | None = None,
    ) -> None:
        self.original = original
        self.text = text
        self.lines = lines if lines is not None else LineIndex(text)
        # Text cut out of flattened lines (segment.py): offsets map back to
        # the caller's text, whose lines ``spans`` indexes.
        self.segmentation = segmentation
        self.span_lines = spans if spans is not None else self.lines
        self.diagnostics: list[m.Diagnostic] = []
        self.evidence = Evidence()
        # Labels joined from words the layout broke apart print as the words.
        self.joined: dict[int, str] = {}
        # Crawler text drops a line equal to the line before it, so it never
        # repeats a line, and it has (almost) no empty lines: a text that
        # repeats a line, or is spaced with empty lines (PDF text), cannot have
        # collapsed.
        all_lines = text.split("\n")
        stripped = [line.strip() for line in all_lines if line.strip()]
        empty = len(all_lines) - len(stripped)
        self.collapsible = empty <= max(2, len(all_lines) // 50) and not any(
            a == b for a, b in itertools.pairwise(stripped)
        )

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        """The offsets of text[start:end] without its surrounding white space."""
        segment = self.text[start:end]
        start += len(segment) - len(segment.lstrip(_TRIM))
        end -= len(segment) - len(segment.rstrip(_TRIM))
        return start, max(end, start)

    def span(self, start: int, end: int) -> m.Span:
        """The span of text[start:end] without its surrounding white space."""
        return self.exact_span(*self.trimmed(start, end))

    def exact_span(self, start: int, end: int) -> m.Span:
        """The span of text[start:end], already trimmed, in the caller's text."""
        if self.segmentation is not None:
            start, end = self.segmentation.to_original(start), self.segmentation.to_original(end)
        return m.Span(start, end, *self.span_lines.positions(start, end))

    def flattened(self, token: Token) -> bool:
        """Whether a token was printed in a flattened line (segment.py)."""
        return self.segmentation is not None and self.segmentation.is_flat(start_of(token))

    def token_span(self, token: Token) -> m.Span:
        return self.span(start_of(token), end_of(token))

    def printed(self, token: Token) -> str:
        """The original text of a token, without surrounding white space."""
        if id(token) in self.joined:
            return self.joined[id(token)]
        start, end = self.trimmed(start_of(token), end_of(token))
        return self.original[start:end]

    def printed_label(self, tokens: Sequence[Token]) -> str:
        text = self.original[start_of(tokens[0]) : end_of(tokens[-1])]
        return re.sub(r"\s+", " ", text.replace("\t", " ")).strip(" |")

    def add(self, code: str, message: str, span: m.Span | None = None, cells: Iterable[str] = ()) -> None:
        """A diagnostic naming ``cells`` (a printed column the template has no
        cell for, named ``#…``, is left out)."""
        self.diagnostics.append(dx.make(code, message, span, [c for c in cells if not c.startswith("#")]))

    def row_break(self, before: int, after: int) -> bool:
        """Whether a table row ends between two offsets.

        A blank line always ends a row; a newline ends one when the line
        before it holds several cells (tab rows, pipe rows).
        """
        if self.text.find("\n", before, after) == -1:
            return False
        if _BLANK_LINE.search(self.text, before, after):
            return True
        line_start = self.text.rfind("\n", 0, before) + 1
        line = self.text[line_start:before].strip(" \t")
        return "\t" in line or "|" in line
