"""Quality findings: what supervisors ask of a report beyond its arithmetic.

Each has its own code (category report; docs/diagnostics.md):

- ``problems-empty``: section 五 (存在的主要问题及改进情况) is printed empty
  or says only 无;
- ``fees-contradiction``: section 二 prints a 行政事业性收费 本年收费金额
  above 0 while section 六 says plainly that no 行政事业性收费 was charged;
- ``table-mostly-blank``: more than :data:`BLANK_SHARE` of the cells a
  table prints are blank or ``/``;
- ``table-not-printed``: a table section's heading is printed, its table
  is not, and the section states no count instead;
- ``repeated-narrative`` (two reports of one agency, from
  :mod:`govreport.batch`'s corpus check): a narrative section repeats the
  year before's (:data:`REPEATED_SHARE`).

The per-report ones run in the build stage, after the arithmetic
(:func:`check_report`); each reads printed and solved values only. Every
one binds only what the text states plainly: a wrong finding is worse than
a missed one.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from . import diagnostics as dx
from .model import Cell, Diagnostic, Provenance, Report, Section, Span
from .vocabulary import SECTIONS, cell_ids

__all__ = [
    "BLANK_SHARE",
    "MIN_TABLE_CELLS",
    "REPEATED_SHARE",
    "MIN_REPEATED_CHARS",
    "REPEATED_SECTIONS",
    "Fingerprint",
    "check_report",
    "narrative_fingerprints",
    "repeated_narratives",
]

#: A table is ``table-mostly-blank`` when more than this share of the cells
#: it prints are blank, ``/``, ``—`` or ``无`` (a blank is not a zero: the
#: template asks for a number in every cell).
BLANK_SHARE: Final = 0.5
#: ... and it prints at least this many cells (a table of a few cells read
#: is a reading problem, said by other diagnostics, not a report's).
MIN_TABLE_CELLS: Final = 5

#: A narrative section is ``repeated-narrative`` when at least this share of
#: its characters is in sentences that the agency's report for the year
#: before has in the same section (numbers masked, so "2022年…3件" repeats
#: "2021年…5件").
REPEATED_SHARE: Final = 0.8
#: ... and the section has at least this many characters in sentences (a
#: short section, or one of a sentence or two, is often the same every year
#: by nature).
MIN_REPEATED_CHARS: Final = 200
#: The sections compared: 一、总体情况 and 五、存在的主要问题及改进情况.
#: Section 六 is left out: its fee statement (按件、按量收费标准…没有产生
#: 信息处理费) is the same every year by design.
REPEATED_SECTIONS: Final = ("overview", "problems")

_TITLES: Final = {s.key: f"{s.numeral}、{s.title}" for s in SECTIONS}
_BLANK_MARKS: Final = re.compile(r"[\s/／\\—–\-－_无]*")
_PUNCTUATION: Final = re.compile(r"[\s\W_]+")
_EMPTY_PROBLEMS: Final = frozenset({"", "无", "暂无", "没有", "本年度无", "无问题"})


# ---------------------------------------------------------------------------
# One report
# ---------------------------------------------------------------------------


def check_report(
    report: Report, cells: Mapping[str, Cell], unprinted: Mapping[str, tuple[Span | None, str]]
) -> list[Diagnostic]:
    """The per-report quality findings of ``report``, whose cells by id are
    ``cells``. ``unprinted`` holds, for each table section whose heading is
    printed but whose table is not found, the heading's span and the
    section's text."""
    return [
        *_problems_empty(report.problems),
        *_fees_contradiction(report, cells),
        *_mostly_blank(report.template, cells),
        *_not_printed(unprinted),
    ]


def _compact(text: str) -> str:
    return _PUNCTUATION.sub("", text)


def _problems_empty(section: Section | None) -> list[Diagnostic]:
    if section is None:  # not found: missing-section says so
        return []
    body = _compact(section.full_text)
    heading = _compact(section.heading)
    # a heading that runs on into its text ("五、存在的主要问题及改进情况：无")
    for title in ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"):
        if heading.endswith(title + "无"):
            body = "无" + body
    if body not in _EMPTY_PROBLEMS:
        return []
    said = "is empty" if not body else f"says only {body}"
    return [
        dx.make(
            "problems-empty",
            f"section {_TITLES['problems']} {said}: the template asks for the problems of the year "
            "and how they are being improved",
            section.span,
        )
    ]


#: A clause of section 六 that says no 行政事业性收费 was charged: a negation
#: (未/没有/不/无) before 收取 or 收费, 行政事业性收费 named in the same
#: clause, and not about the 信息处理费 (the fee for answering requests,
#: which is another thing than section 二's 行政事业性收费).
_NO_FEES: Final = re.compile(r"(?:未|没有|不|无)[^，,。；;]{0,6}?(?:收取|收费|征收)")
_CLAUSE: Final = re.compile(r"[^，,。；;\n]+")


def _fees_contradiction(report: Report, cells: Mapping[str, Cell]) -> list[Diagnostic]:
    cell = cells.get("active.fees.amount")
    if report.template != "2021" or report.other_matters is None or cell is None:
        return []
    if cell.value is None or cell.provenance is Provenance.INFERRED or cell.value <= 0:
        return []
    text = _compact_lines(report.other_matters.full_text)
    for clause in _CLAUSE.finditer(text):
        words = clause.group(0)
        if (
            "行政事业性收费" in words
            and _NO_FEES.search(words)
            and not re.search(r"信息处理费|信息公开", words)
        ):
            return [
                dx.make(
                    "fees-contradiction",
                    f"section 二 prints 行政事业性收费 本年收费金额 {cell.value} 万元, but section "
                    f"{_TITLES['other_matters']} says {words.strip()!r}",
                    cell.span,
                    ("active.fees.amount",),
                )
            ]
    return []


def _compact_lines(text: str) -> str:
    """Text with its line breaks and spaces removed (crawler text breaks
    lines inside words)."""
    return re.sub(r"\s+", "", text)


def _mostly_blank(template: str | None, cells: Mapping[str, Cell]) -> list[Diagnostic]:
    if template is None:
        return []
    found = []
    for key in ("active", "requests", "review"):
        printed = blank = 0
        first: Span | None = None
        for cell_id in _table_ids(template, key):
            cell = cells.get(cell_id)
            if cell is None or cell.raw is None:  # nothing read for the cell
                continue
            printed += 1
            if cell.value is None and _BLANK_MARKS.fullmatch(cell.raw):
                blank += 1
                first = first or cell.span
        if printed >= MIN_TABLE_CELLS and blank > BLANK_SHARE * printed:
            found.append(
                dx.make(
                    "table-mostly-blank",
                    f"section {_TITLES[key]}: {blank} of the {printed} cells printed are blank or '/' "
                    f"(more than {BLANK_SHARE:.0%}); a blank is not a zero",
                    first,
                )
            )
    return found


@functools.cache
def _table_ids(template: str, key: str) -> tuple[str, ...]:
    return tuple(i for i in cell_ids(template) if i.startswith(key + "."))


_YEAR: Final = re.compile(r"\d{4}\s*年(?:度)?")


def _not_printed(unprinted: Mapping[str, tuple[Span | None, str]]) -> list[Diagnostic]:
    found = []
    for key, (span, text) in unprinted.items():
        if re.search(r"\d", _YEAR.sub("", text)):  # a count is printed: a table govreport did not read?
            continue
        said = f": {_compact_lines(text)[:40]!r}" if text.strip() else ""
        found.append(
            dx.make(
                "table-not-printed",
                f"section {_TITLES[key]} is printed without its table{said}; the template asks for "
                "the table, with 0 where there is nothing to count",
                span,
            )
        )
    return found


# ---------------------------------------------------------------------------
# Two years of one agency
# ---------------------------------------------------------------------------


@attrs.frozen
class Fingerprint:
    """A narrative section, as the corpus check compares it: the CRC-32 of
    each sentence (white space and punctuation removed, digits masked) and
    its length in characters. Small: a few hundred bytes a report."""

    section: str
    span: Span | None
    sentences: tuple[tuple[int, int], ...]


_SENTENCE: Final = re.compile(r"[^。；;！!？?\n]+")
_MIN_SENTENCE: Final = 8  # shorter: a sub-heading, a date


def _fingerprint(key: str, section: Section) -> Fingerprint:
    text = re.sub(r"[ \t\u3000]+", "", section.full_text)
    text = re.sub(r"(?<=\S)\n(?=\S)", "", text)  # lines broken inside a sentence
    sentences = []
    for match in _SENTENCE.finditer(text):
        sentence = re.sub(r"\d+", "#", _compact(match.group(0)))
        if len(sentence) >= _MIN_SENTENCE:
            sentences.append((zlib.crc32(sentence.encode("utf-8")), len(sentence)))
    return Fingerprint(key, section.span, tuple(sentences))


def narrative_fingerprints(report: Report) -> tuple[Fingerprint, ...]:
    """The :class:`Fingerprint` of each section of :data:`REPEATED_SECTIONS`
    the report prints."""
    found = []
    for key in REPEATED_SECTIONS:
        section = getattr(report, key)
        if isinstance(section, Section):
            found.append(_fingerprint(key, section))
    return tuple(found)


def repeated_narratives(
    earlier: Sequence[Fingerprint], later: Sequence[Fingerprint], other: str
) -> list[Diagnostic]:
    """``repeated-narrative`` for each section of ``later`` whose sentences
    are, for :data:`REPEATED_SHARE` of its characters or more, sentences of
    the same section of ``earlier`` (the report ``other`` names)."""
    before = {f.section: f for f in earlier}
    found = []
    for now in later:
        then = before.get(now.section)
        if then is None:
            continue
        total = sum(length for _, length in now.sentences)
        if total < MIN_REPEATED_CHARS:
            continue
        known = {crc for crc, _ in then.sentences}
        same = sum(length for crc, length in now.sentences if crc in known)
        if same >= REPEATED_SHARE * total:
            found.append(
                dx.make(
                    "repeated-narrative",
                    f"section {_TITLES[now.section]}: {same / total:.0%} of its text ({same} of {total} "
                    f"characters, numbers aside) repeats {other}",
                    now.span,
                )
            )
    return found
