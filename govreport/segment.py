"""Stage 1c: flattened text, cut back into lines.

A common web-archive crawler writes a whole report page as one line:
headings, captions, column headers, row labels and numbers follow each other
with no separator, and the cells of a table row become one digit run::

    …二、上年结转政府信息公开申请数量1000001三、本年度办理结果（一）予以公开7200009…

This stage finds such lines in the normalized text and cuts them where the
template's labels begin and end, so that the parser reads them like any other
layout: each heading, caption, header word and row label on a line of its
own, and each row's printed run of cells on the line after its label, with a
space wherever two printed groups touch (before a sign, around a null mark).
How a run of digits is split into the row's cells is decided later, from the
template's arithmetic (:mod:`govreport.placement`).

It never changes or drops a character: it only inserts line breaks and
spaces, and keeps where it inserted them, so every offset of the cut text
maps back to the caller's text (:meth:`Segmentation.to_original`) and every
span still points into it.

A line is *flattened* when it is long and holds several of the template's
structural marks (section headings, 第二十条 captions, the request note,
the first rows of the matrix, the review table's first header), or holds
two of them in 60 characters or more (one table of a page whose paragraphs
kept their line breaks). Inside such a line:

- section headings are found in the template's order (a reworded heading
  ends before a number, a clause's punctuation or a bracket, taking a
  closing 情况/措施/计划/事项 that follows);
- the title (…政府信息公开…报告) before the first heading gets its own line;
- a *table run* starts at a caption, the note, the applicant header, the
  review header or the first rows of the matrix, when a label or a number
  follows it; inside it every label (longest first: ``行政规范性文件``
  before ``规范性文件``, ``（七）总计`` before ``总计``) and every run of
  printed values is cut out, the digits before an ordinal label (``…0000000``
  + ``2.其他…``) ending at the ordinal. A run ends at text that reads as a
  sentence (a clause's punctuation): narrative between tables stays whole;
- in narrative, a sub-heading (``（一）…``) after a sentence starts a line.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from typing import Final

import attrs

from .grammar import TERMINAL_KIND, inline_headings, inline_labels, structural_marks
from .lexer import First, first_set

__all__ = ["Segmentation", "segment", "MIN_LINE"]

#: A flattened line holds at least a table: shorter lines are never cut.
MIN_LINE: Final = 200
#: How many structural marks make a long line a flattened report.
_MIN_MARKS: Final = 3
#: A shorter line (one table of a page whose paragraphs kept their breaks)
#: is flattened when it holds two marks.
_SHORT_LINE: Final = 60
_LONG: Final = re.compile(rf"[^\n]{{{_SHORT_LINE},}}")

#: Terminals that start a table run (when a label or a value follows them).
_OPENERS: Final = frozenset(
    {
        "CAPTION",
        "RNOTE",
        "RCOL_APPLICANT",
        "WORD_REVIEW_HEAD",
        "RROW_NEW",
        "RROW_CARRIED_OVER",
        "RGROUP_RESULTS",
    }
)

#: One printed value as the VALUE and NULL terminals read it (without their
#: look-ahead for white space: here values touch each other and the labels).
_ITEM: Final = re.compile(
    r"(?:[+-]|增|减)?\d+(?:,\d{3})*(?:\.\d+)?(?:万元|元|\(元\)|\(万元\)|万|件|个|条|批|项|次)?"
    r"|/+|—+|–+|―+|-+|无"
)
#: A digit that numbers the label after it (``2.其他…``), not a cell.
_ORDINAL: Final = re.compile(r"\d\s*[.、,]\s*[^\d\s]")
#: A narrative sub-heading, (一)…(十): text that starts with one is not a table's.
_SUBHEAD_START: Final = re.compile(r"\(\s*[一二三四五六七八九十]{1,2}\s*\)")
#: Text that reads as a sentence ends a table run.
_SENTENCE: Final = re.compile(r"[。,;!?]")
#: The title of the report, inside a line.
_TITLE: Final = re.compile(
    r"(?<![^\s。:>])(?:"
    r"[^\s。,;:!?《》<>\"“”]{2,60}?政府信息公开[^\s。,;:!?《》<>\"“”]{0,24}?报告"
    # letter-spaced: 莆 田 市 … 报 告
    r"|(?:[^\s。,;:!?《》<>\"“”] ){2,60}?政 府 信 息 公 开 (?:[^\s。,;:!?《》<>\"“”] ){0,24}?报 告"
    r")"
)
#: The words a reworded heading ends with, and what a heading cannot run over.
_HEADING_END: Final = re.compile(r"[^\d。,;:()\n]{0,14}?(?:情况|措施|计划|事项|打算)")
_HEADING_ENDS: Final = ("情况", "措施", "计划", "事项", "打算")
#: A narrative sub-heading after a sentence: (一)…(十).
_SUBHEADING: Final = re.compile(r"(?<=[。;:!?\s])\(\s*[一二三四五六七八九十]{1,2}\s*\)")
#: Structural marks that tell a flattened line.
_MARKS: Final = re.compile(structural_marks())


@attrs.frozen
class Segmentation:
    """The normalized text with the cuts inserted (``text``), the caller's
    text with the same cuts (``original``), the offsets in ``text`` of the
    inserted characters (sorted), and the ranges of ``text`` that were
    flattened lines."""

    text: str
    original: str
    inserted: tuple[int, ...]
    flat: tuple[tuple[int, int], ...]

    def to_original(self, offset: int) -> int:
        """The offset in the caller's text of an offset in ``text``: an
        inserted character maps to the character it was inserted before."""
        return offset - bisect.bisect_left(self.inserted, offset)

    def is_flat(self, offset: int) -> bool:
        """Whether ``offset`` (in ``text``) lies in a flattened line."""
        index = bisect.bisect_right(self.flat, (offset, len(self.text) + 1)) - 1
        return index >= 0 and self.flat[index][0] <= offset < self.flat[index][1]


@attrs.frozen
class _Label:
    """A label found at a position: its terminal, priority and end."""

    terminal: str
    priority: int
    end: int


class _Labels:
    """The table labels, matched at a position against those that can start
    with its character (longest first, then by priority)."""

    def __init__(self) -> None:
        self.patterns = [(name, priority, re.compile(regex)) for name, priority, regex in inline_labels()]
        self.firsts: list[First | None] = [first_set(regex) for _, _, regex in inline_labels()]
        self.by_char: dict[str, list[int]] = {}
        self.openers_by_char: dict[str, list[int]] = {}

    def candidates(self, char: str) -> list[int]:
        found = self.by_char.get(char)
        if found is None:
            found = [i for i, first in enumerate(self.firsts) if first is None or first.may_start(char)]
            self.by_char[char] = found
        return found

    def opener_candidates(self, char: str) -> list[int]:
        found = self.openers_by_char.get(char)
        if found is None:
            found = [i for i in self.candidates(char) if self.patterns[i][0] in _OPENERS]
            self.openers_by_char[char] = found
        return found

    def at(self, text: str, pos: int, end: int, *, openers: bool = False) -> _Label | None:
        """The longest label at ``pos`` (of those that start a table run, with ``openers``)."""
        best: _Label | None = None
        char = text[pos]
        for index in self.opener_candidates(char) if openers else self.candidates(char):
            name, priority, pattern = self.patterns[index]
            match = pattern.match(text, pos, end)
            if match is None or match.end() == pos:
                continue
            if best is None or (match.end(), priority) > (best.end, best.priority):
                best = _Label(name, priority, match.end())
        return best


@functools.cache
def _labels() -> _Labels:
    return _Labels()


@functools.cache
def _headings() -> tuple[tuple[int, str, tuple[re.Pattern[str], ...]], ...]:
    return tuple(
        (order, key, tuple(re.compile(r) for r in regexes))
        for order, (key, regexes) in enumerate(inline_headings())
    )


def segment(normalized: str, original: str) -> Segmentation | None:
    """The flattened lines of ``normalized`` cut into lines (None when the
    text has none). ``original`` is the caller's text, of the same length."""
    lines = list(_flattened_lines(normalized))
    if not lines:
        return None
    cuts: dict[int, str] = {}
    for start, end in lines:
        _Line(normalized, start, end, cuts).cut()
    cuts = {at: char for at, char in cuts.items() if 0 < at < len(normalized)}
    if not cuts:
        return None
    order = sorted(cuts)
    text_parts: list[str] = []
    original_parts: list[str] = []
    inserted: list[int] = []
    previous = 0
    for shift, at in enumerate(order):
        text_parts.append(normalized[previous:at])
        original_parts.append(original[previous:at])
        inserted.append(at + shift)
        text_parts.append(cuts[at])
        original_parts.append(cuts[at])
        previous = at
    text_parts.append(normalized[previous:])
    original_parts.append(original[previous:])

    def moved(offset: int) -> int:
        return offset + bisect.bisect_left(order, offset)

    flat = tuple((moved(start), moved(end)) for start, end in lines)
    return Segmentation("".join(text_parts), "".join(original_parts), tuple(inserted), flat)


def _flattened_lines(text: str) -> Iterator[tuple[int, int]]:
    """The lines of a flattened report: long, without tabs, holding three of
    the template's marks (or, shorter, two)."""
    for line in _LONG.finditer(text):
        start, end = line.span()
        tabs = text.find("\t", start, end) != -1
        marks = 0
        for marks, _ in enumerate(_MARKS.finditer(text, start, end), 1):
            if marks >= _MIN_MARKS:
                break
        if (marks >= _MIN_MARKS and end - start >= MIN_LINE) or (marks >= 2 and not tabs):
            yield start, end


class _Line:
    """The cuts of one flattened line, added to ``cuts`` (offset → the
    character to insert before it: a line break, or a space inside a run of
    values)."""

    def __init__(self, text: str, start: int, end: int, cuts: dict[int, str]) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.cuts = cuts
        self.labels = _labels()

    def cut_at(self, offset: int, char: str = "\n") -> None:
        """Insert ``char`` before ``offset``, unless white space is already
        there (a line break is needed before a heading: ``force``)."""
        text = self.text
        if offset <= self.start or offset >= self.end:
            return
        if char == " " and (text[offset - 1].isspace() or text[offset].isspace()):
            return
        if self.cuts.get(offset) != "\n":
            self.cuts[offset] = char

    def line_break(self, offset: int) -> None:
        """A line break before ``offset``, even where a space is (headings
        and the title are matched at a line's start and end)."""
        if self.start < offset < self.end and self.text[offset - 1] != "\n":
            self.cuts[offset] = "\n"

    def cut(self) -> None:
        headings = self._headings()
        first = headings[0][0] if headings else self.end
        title = _TITLE.search(self.text, self.start, first)
        if title is not None:
            self.line_break(title.start())
            self.line_break(title.end())
        bounds = [self.start, *(b for h in headings for b in h), self.end]
        for start, end in headings:
            self.line_break(start)
            self.line_break(end)
        # The bodies: between one heading's end and the next one's start.
        for body_start, body_end in zip(bounds[::2], bounds[1::2], strict=True):
            self._body(body_start, body_end)

    # -- headings -------------------------------------------------------------

    def _headings(self) -> list[tuple[int, int]]:
        """The section headings of the line, in the template's order (the
        longest run of matches whose sections increase)."""
        found: list[tuple[int, int, int]] = []  # (start, end, section order)
        for order, _key, patterns in _headings():
            for pattern in patterns:
                for match in pattern.finditer(self.text, self.start, self.end):
                    found.append((match.start(), self._heading_end(match, pattern is patterns[0]), order))
        # A heading matched by several of its regexes: the first regex's reading.
        first: dict[tuple[int, int], tuple[int, int, int]] = {}
        for entry in found:
            first.setdefault((entry[0], entry[2]), entry)
        found = sorted(first.values())
        # The longest chain of non-overlapping matches with increasing sections.
        best: list[list[tuple[int, int, int]]] = []
        for index, entry in enumerate(found):
            chain = [entry]
            for previous in range(index):
                candidate = best[previous]
                last = candidate[-1]
                if last[1] <= entry[0] and last[2] < entry[2] and len(candidate) + 1 > len(chain):
                    chain = [*candidate, entry]
            best.append(chain)
        chosen = max(best, key=len, default=[])
        return [(start, end) for start, end, _ in chosen]

    def _heading_end(self, match: re.Match[str], literal: bool) -> int:
        end = match.end()
        if literal or match.group(0).endswith(_HEADING_ENDS):
            return end
        tail = _HEADING_END.match(self.text, end, self.end)
        return tail.end() if tail is not None else end

    # -- a section's body -------------------------------------------------------

    def _body(self, start: int, end: int) -> None:
        """Table runs inside the body, and sub-headings in its narrative."""
        text = self.text
        labels = self.labels
        pos = start
        prose = start
        while pos < end:
            label = labels.at(text, pos, end, openers=True)
            if label is not None and self._follows(label.end, end):
                self._prose(prose, pos)
                pos = self._table(pos, end)
                prose = pos
            else:
                pos += 1
        self._prose(prose, end)

    def _follows(self, pos: int, end: int) -> bool:
        """Whether a label or a value follows ``pos`` (the table goes on)."""
        text = self.text
        while pos < end and text[pos] in " \t":
            pos += 1
        if pos >= end:
            return False
        return bool(_ITEM.match(text, pos, end)) or self.labels.at(text, pos, end) is not None

    def _prose(self, start: int, end: int) -> None:
        for match in _SUBHEADING.finditer(self.text, start, end):
            self.line_break(match.start())

    def _table(self, pos: int, end: int) -> int:
        """Cut one table run from ``pos``; return where it ends."""
        text = self.text
        labels = self.labels
        value_before = False  # whether the item before is a printed value
        while pos < end:
            char = text[pos]
            if char.isspace():
                pos += 1
                continue
            label = labels.at(text, pos, end)
            if label is not None:
                self.cut_at(pos)
                self.cut_at(label.end)
                pos = label.end
                value_before = False
                continue
            item = _ITEM.match(text, pos, end)
            if item is not None:
                stop = self._value_end(pos, item.end(), end)
                if stop > pos:
                    self.cut_at(pos, " " if value_before else "\n")
                    self.cut_at(stop, " ")
                    pos = stop
                    value_before = True
                    continue
            # Text: up to the next label or value (one character at least).
            stop = pos + 1
            while stop < end and not text[stop].isspace():
                if text[stop].isdigit() or labels.at(text, stop, end) is not None:
                    break
                stop += 1
            if _SENTENCE.search(text, pos, stop) or _SUBHEAD_START.match(text, pos, stop):
                self.cut_at(pos)
                return pos  # narrative: the table run is over
            self.cut_at(pos)
            self.cut_at(stop)
            pos = stop
            value_before = False
        return pos

    def _value_end(self, start: int, stop: int, end: int) -> int:
        """Where a printed value ends: before a digit that numbers the next
        label (``…0000000`` + ``2.其他…``) or where a label starts."""
        text = self.text
        for at in range(start, stop):
            if text[at].isdigit() and _ORDINAL.match(text, at, end):
                return at
        return stop


assert all(name in TERMINAL_KIND for name in _OPENERS)
