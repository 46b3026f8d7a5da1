"""Rendering a report back to text, in the layouts real extractions produce.

``render(report, layout="markdown")`` writes the report as a human-readable
canonical text; the other layouts imitate what Word, PDF and web extraction
make of the template's tables, so that a test can prove the parser reads
each of them back exactly::

    >>> import govreport
    >>> report = govreport.parse(open("tests/data/seeds/003_70186e5739fffa45.txt", encoding="utf-8").read())
    >>> text = govreport.render(report, layout="tsv")
    >>> govreport.parse(text).cells() == report.cells()
    True

Layouts (:data:`LAYOUTS`):

``docx-cells``  one tab-led cell per line, a blank line between table rows,
                merged cells as empty cells (Word to text);
``tsv``         one table row per line, tab-separated, merged cells as empty fields;
``pdf``         cells separated by spaces, blank cells gone, long labels and
                paragraphs hard-wrapped at ``width``, header words broken into
                fragments, blank lines between lines (PDF to text);
``pipe``        ``| a | b |`` rows, colspans as ``||`` (HTML table to text);
``markdown``    pipe rows with a ``|---|`` rule under each table's first row;
``html-spans``  every text run on its own line (crawler text); with
                ``collapse=True`` a line equal to the line before it is
                dropped, as the crawler does;
``flattened``   the whole report on one line, every text run directly after
                the one before (a web-archive crawler): a row's cells run
                together into one digit run, with a stray space at some
                boundaries (``stray_spaces``: the seed that chooses them)
                and site chrome in front (``chrome``).

Noise (keyword options, all off by default): ``fullwidth`` (digits and
punctuation in full width), ``padding`` (NBSP and U+3000 around cell values),
``sign_words`` (a 本年增/减 change as ``增 5`` / ``减 2``, the word on a line of
its own in ``html-spans``), ``nbsp_blanks`` (a blank cell printed as a lone
NBSP, as a Word cell holding one), ``tab_width`` (``docx-cells``: the tabs
expanded to that many spaces, as some converters do; sign words and NBSP
blanks are not used in ``flattened``), ``crlf``, ``bom``, ``letter_spacing`` (title, agency and headings spaced out),
``word_numbering`` (``1、 总体情况``), ``page_breaks`` (footers such as
``— 3 —`` in the request matrix, its header rows and group label repeated
after the break), ``bookmarks`` (``[bookmark: _GoBack]``), ``blank_lines``,
``label_variants`` (the variants real reports print, from the vocabulary),
``null_marker`` (how a cell with no value prints: ``""``, ``"/"``, ``"—"``
or ``"无"``), ``width`` (the ``pdf`` wrap width), ``stray_spaces`` and
``chrome`` (the ``flattened`` layout; page breaks and blank lines do not
apply to it: a web page has neither), and what converters and OCR pipelines
make of a report in ``markdown``: ``md_headings`` (``#`` markers on the
title and section headings, the 第二十条 captions as ``###`` headings over
their blocks), ``md_label_headings`` (the first two request rows each under
a ``###`` heading of its label, in a table of its own with a generic header
and its label without its numbering), ``md_review_groups`` (the review row
as three five-column tables, each under a ``###`` heading naming its group),
``md_detach_labels`` (a seed: as a PDF-to-markdown converter loses them,
some request rows print their numbers without their label, which is printed
as a block of wrapped lines before the row's numbers).

Labels come from :mod:`govreport.vocabulary`; nothing here spells one.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from typing import Final

import attrs

from . import model as m
from . import vocabulary as voc

__all__ = ["render", "LAYOUTS", "Options"]

#: The layouts :func:`render` writes (docs/rendering.md describes each, and the noise options).
LAYOUTS: Final = ("docx-cells", "tsv", "pdf", "pipe", "markdown", "html-spans", "flattened")
_FOOTERS: Final = ("— {page} —", "第 {page} 页 共 {pages} 页", "- {page} -")
#: What a web page prints before the report (the ``chrome`` option).
_CHROME: Final = "当前位置：首页 > 政务公开 > 政府信息公开年报 微信 微博 打印 关闭"
#: How often a boundary between two text runs of a flattened line gets a space.
_STRAY: Final = 0.25


@attrs.frozen
class Options:
    """Noise options (see the module docstring)."""

    fullwidth: bool = False
    padding: bool = False
    crlf: bool = False
    bom: bool = False
    letter_spacing: bool = False
    word_numbering: bool = False
    page_breaks: bool = False
    bookmarks: bool = False
    blank_lines: bool = False
    label_variants: bool = False
    collapse: bool = False
    null_marker: str = ""
    width: int = 30
    stray_spaces: int | None = None
    chrome: bool = False
    sign_words: bool = False
    nbsp_blanks: bool = False
    tab_width: int | None = None
    md_headings: bool = False
    md_label_headings: bool = False
    md_review_groups: bool = False
    md_detach_labels: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.null_marker not in ("", "/", "—", "无"):
            raise ValueError(f"null_marker must be '', '/', '—' or '无', not {self.null_marker!r}")
        if self.width < 8:
            raise ValueError("width must be at least 8")
        if self.tab_width is not None and not 1 <= self.tab_width <= 8:
            raise ValueError("tab_width must be from 1 to 8")


# ---------------------------------------------------------------------------
# Tables as grids
# ---------------------------------------------------------------------------


@attrs.frozen
class _Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    value: bool = False  # a data cell (gets padding, never letter-spaced)
    header: bool = False  # a header word (may be broken into fragments)
    caption: bool = False  # a 第二十条 caption (a heading in converters' markdown)


# A grid slot: the cell that starts there, or a continuation of one.
_H: Final = "h"  # covered by a colspan
_V: Final = "v"  # covered by a rowspan
_Slot = _Cell | str


def _grid(rows: Sequence[Sequence[_Cell]], width: int) -> list[list[_Slot]]:
    """Expand rows of cells with spans into a full grid of slots."""
    grid: list[list[_Slot]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan
    for row in rows:
        slots: list[_Slot] = []
        cells = iter(row)
        column = 0
        while column < width:
            if pending.get(column, 0) > 0:
                pending[column] -= 1
                slots.append(_V)
                column += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            for offset in range(cell.colspan):
                slots.append(cell if offset == 0 else _H)
                if cell.rowspan > 1:
                    pending[column + offset] = cell.rowspan - 1
            column += cell.colspan
        grid.append(slots)
    return grid


def _label(label: voc.Label, options: Options) -> str:
    if options.label_variants and label.variants:
        text = label.variants[0]
        return f"{label.prefix}{text}{label.note if text == label.text else ''}"
    return label.printed


def _value(cell: m.Cell, kind: voc.ValueType, options: Options, money_unit: str = "") -> str:
    value = cell.value
    if value is None:
        return "\u00a0" if options.nbsp_blanks and not options.null_marker else options.null_marker
    if kind is voc.ValueType.SIGNED and isinstance(value, int) and value and options.sign_words:
        return f"{'增' if value > 0 else '减'} {abs(value)}"
    if kind is voc.ValueType.SIGNED and isinstance(value, int) and value > 0:
        return f"+{value}"
    if isinstance(value, Decimal):
        return f"{value:f}{money_unit}"
    return str(value)


def _active_rows(report: m.Report, options: Options) -> list[list[_Cell]]:
    assert report.template is not None and report.active is not None
    rows: list[list[_Cell]] = []
    for block in voc.ACTIVE_BLOCKS[report.template]:
        rows.append([_Cell(f"第二十条第（{block.item}）项", 4, header=True, caption=True)])
        span = 3 - len(block.columns)  # the grid has a label column and three value columns
        header = [_Cell(_label(voc.INFO_HEADER, options), header=True)]
        header += [_Cell(_label(c.label, options), header=True) for c in block.columns]
        if span:
            header[-1] = attrs.evolve(header[-1], colspan=1 + span)
        rows.append(header)
        for row in block.rows:
            cells = [_Cell(_label(row.label, options))]
            for column in block.columns:
                cell = report.cell(f"active.{row.key}.{column.key}")
                unit = "万元" if column.key == "amount" and "万元" not in column.label.text else ""
                cells.append(_Cell(_value(cell, column.type, options, unit), value=True))
            if span:
                cells[-1] = attrs.evolve(cells[-1], colspan=1 + span)
            rows.append(cells)
    return rows


def _request_rows(report: m.Report, options: Options) -> list[list[_Cell]]:
    assert report.template is not None
    columns = voc.REQUEST_COLUMNS
    header = [
        [
            _Cell(_label(voc.REQUEST_NOTE, options), 3, 3, header=True),
            _Cell(_label(voc.APPLICANT_HEADER, options), 7, header=True),
        ],
        [
            _Cell(_label(columns[0].label, options), 1, 2, header=True),
            _Cell(_label(voc.ORG_HEADER, options), 5, header=True),
            _Cell(_label(columns[-1].label, options), 1, 2, header=True),
        ],
        [_Cell(_label(c.label, options), header=True) for c in columns[1:-1]],
    ]
    rows = voc.request_rows(report.template)
    groups = {g.id: g for g in voc.REQUEST_GROUPS}
    other_group = next(r for r in voc.REQUEST_ROWS if r.id == "other")
    results = [r for r in rows if r.result]
    body: list[list[_Cell]] = []
    seen: set[str] = set()
    for row in rows:
        values = [
            _Cell(_value(report.cell(f"requests.{row.id}.{c.key}"), voc.ValueType.COUNT, options), value=True)
            for c in columns
        ]
        label = _Cell(_label(row.label, options))
        lead: list[_Cell] = []
        if row is results[0]:  # 三、本年度办理结果 spans the result rows and （七）总计
            lead.append(_Cell(_label(groups["results"].label, options), rowspan=len(results) + 1))
        group = row.id.split(".")[0] if "." in row.id else None
        if group is not None:
            if group not in seen:
                seen.add(group)
                count = sum(1 for r in rows if r.id.startswith(group + "."))
                group_label = groups[group].label if group in groups else other_group.label
                lead.append(_Cell(_label(group_label, options), rowspan=count))
            body.append([*lead, label, *values])
        elif row.result or row.id == "total":  # under 三、本年度办理结果
            body.append([*lead, attrs.evolve(label, colspan=2), *values])
        else:
            body.append([*lead, attrs.evolve(label, colspan=3), *values])
    return header + body


def _review_group_tables(report: m.Report, options: Options) -> list[tuple[str, list[list[_Cell]]]]:
    """The review row as three five-column tables, each with its group's name."""
    words = {t: _label(label, options) for t, label in voc.REVIEW_HEADER.items()}
    names = (
        words["WORD_RECONSIDERATION"],
        f"{words['WORD_LITIGATION']}（{words['WORD_DIRECT']}）",
        f"{words['WORD_LITIGATION']}（{words['WORD_AFTER_RECONSIDERATION']}）",
    )
    outcomes = [_Cell(_label(label, options), header=True) for _, label in voc.REVIEW_OUTCOMES]
    return [
        (
            name,
            [
                outcomes,
                [
                    _Cell(_value(report.cell(f"review.{g}.{o}"), voc.ValueType.COUNT, options), value=True)
                    for o, _ in voc.REVIEW_OUTCOMES
                ],
            ],
        )
        for name, (g, _) in zip(names, voc.REVIEW_GROUPS, strict=True)
    ]


def _review_rows(report: m.Report, options: Options) -> list[list[_Cell]]:
    words = {t: _label(label, options) for t, label in voc.REVIEW_HEADER.items()}
    outcomes = [_label(label, options) for _, label in voc.REVIEW_OUTCOMES]
    values = [
        _Cell(_value(report.cell(f"review.{g}.{o}"), voc.ValueType.COUNT, options), value=True)
        for g, _ in voc.REVIEW_GROUPS
        for o, _ in voc.REVIEW_OUTCOMES
    ]
    return [
        [
            _Cell(words["WORD_RECONSIDERATION"], 5, header=True),
            _Cell(words["WORD_LITIGATION"], 10, header=True),
        ],
        [
            *(_Cell(o, 1, 2, header=True) for o in outcomes),
            _Cell(words["WORD_DIRECT"], 5, header=True),
            _Cell(words["WORD_AFTER_RECONSIDERATION"], 5, header=True),
        ],
        [_Cell(o, header=True) for o in outcomes * 2],
        values,
    ]


# ---------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------


def _pad(text: str, index: int, options: Options) -> str:
    if not options.padding or not text:
        return text
    return ("\u00a0" if index % 2 else "\u3000\u3000") + text + ("\u00a0" if index % 3 == 0 else "")


def _spaced(text: str) -> str:
    return " ".join(text)


def _fragments(text: str, size: int = 2) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _wrap(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


class _Writer:
    def __init__(self, layout: str, options: Options) -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        self.layout = layout
        self.options = options
        self.lines: list[str] = []
        self.page = 1
        # Lines a flattened page keeps apart from the next by a space (the title).
        self.apart: set[int] = set()

    def line(self, text: str) -> None:
        if self.layout == "pdf":
            for part in _wrap(text, self.options.width):
                self.lines.append(part)
                self.lines.append("")
        else:
            self.lines.append(text)

    def heading(self, text: str) -> None:
        """A title or heading line: never wrapped (PDF keeps them on a line)."""
        self.lines.append(_spaced(text) if self.options.letter_spacing else text)
        if self.layout == "pdf":
            self.lines.append("")

    def footer(self) -> None:
        self.page += 1
        pattern = _FOOTERS[self.page % len(_FOOTERS)]
        self.lines.append(pattern.format(page=self.page, pages=self.page + 1))

    def table(self, grid: list[list[_Slot]], breaks: Sequence[tuple[int, int, int]] = ()) -> None:
        """Write a grid. ``breaks``: (row index, header rows to repeat, label column)."""
        width = max(len(r) for r in grid)
        at = {index: (repeat, column) for index, repeat, column in breaks if self.layout != "flattened"}
        for index, slots in enumerate(grid):
            if index in at:
                repeat, column = at[index]
                self.footer()
                for header in grid[:repeat]:
                    self.row(header, width, 0)
                slots = self._restate(grid, index, column)
            self.row(slots, width, index)
            if self.layout == "markdown" and index == 0:
                self.lines.append("|" + "---|" * width)
        if self.layout in ("docx-cells", "pdf", "pipe", "markdown", "tsv"):
            self.lines.append("")

    def markdown_table(self, grid: list[list[_Slot]], heading: str | None = None) -> None:
        """A table of its own, under a ``###`` heading (converters' markdown)."""
        if heading is not None:
            self.lines.append(f"### {heading}")
        self.table(grid)

    @staticmethod
    def _restate(grid: list[list[_Slot]], index: int, column: int) -> list[_Slot]:
        """The row after a page break, its merged group label printed again."""
        slots = list(grid[index])
        for col in range(column + 1):
            if slots[col] == _V:
                for above in range(index - 1, -1, -1):
                    origin = grid[above][col]
                    if isinstance(origin, _Cell):
                        slots[col] = attrs.evolve(origin, rowspan=1)
                        break
        return slots

    def row(self, slots: Sequence[_Slot], width: int, index: int) -> None:
        options = self.options
        first = slots[0]
        if self.layout == "markdown" and options.md_headings and isinstance(first, _Cell) and first.caption:
            self.lines.append(f"### {first.text}")
            return
        texts: list[str | None] = []  # None: a continuation of a merged cell
        for position, slot in enumerate(slots):
            if isinstance(slot, _Cell):
                text = _pad(slot.text, index + position, options) if slot.value else slot.text
                if options.letter_spacing and slot.header:
                    text = _spaced(text)
                texts.append(text)
            else:
                texts.append(None if slot == _H else "")
        layout = self.layout
        if layout == "docx-cells":
            self.lines.extend("\t" + t for t in texts if t is not None)
            self.lines.append("")
        elif layout == "tsv":
            self.lines.append("\t".join(t or "" for t in texts))
        elif layout in ("pipe", "markdown"):
            self.lines.append("".join("|" if t is None else f"| {t} " for t in texts) + "|")
        elif layout == "html-spans":
            for run in texts:
                if run and options.sign_words and run.strip()[:1] in ("增", "减"):
                    word, _, number = run.partition(" ")
                    self.lines.extend((word, number))  # the sign word on a line of its own
                elif run:
                    self.lines.append(run)
        elif layout == "flattened":
            self.lines.extend(t for t in texts if t)
        else:  # pdf
            self._pdf_row(slots, texts)

    def _pdf_row(self, slots: Sequence[_Slot], texts: Sequence[str | None]) -> None:
        labels = [t for s, t in zip(slots, texts, strict=True) if isinstance(s, _Cell) and not s.value and t]
        values = [t for s, t in zip(slots, texts, strict=True) if isinstance(s, _Cell) and s.value and t]
        headers = all(isinstance(s, _Cell) and s.header for s in slots if isinstance(s, _Cell))
        if headers and not values:
            for label in labels:
                for fragment in _fragments(label):
                    self.lines.append(fragment)
                    self.lines.append("")
            return
        width = self.options.width
        for label in labels[:-1]:
            for part in _wrap(label, width):
                self.lines.append(part)
                self.lines.append("")
        last = _wrap(labels[-1], width) if labels else [""]
        for part in last[:-1]:
            self.lines.append(part)
            self.lines.append("")
        tail = " ".join([last[-1], *values]).strip()
        self.lines.append(tail)
        self.lines.append("")


def _narrative(writer: _Writer, section: m.Section | None) -> None:
    if section is None:
        return
    for line in section.text.splitlines():
        writer.line(line)
    for sub in section.subsections:
        writer.line(sub.heading)
        for line in sub.text.splitlines():
            writer.line(line)


def render(report: m.Report, layout: str = "markdown", **options: object) -> str:
    """The report as text in ``layout`` (one of :data:`LAYOUTS`), with the
    noise ``options`` (keyword options, all off by default: ``fullwidth``,
    ``padding``, ``crlf``, ``bom``, ``letter_spacing``, …): the layouts that
    real extractions produce, so that a test can prove the parser reads each
    back. docs/rendering.md describes every layout and option.

        >>> govreport.render(report, layout="tsv", fullwidth=True)  # doctest: +SKIP
    """
    opts = Options(**options)  # type: ignore[arg-type]
    if layout == "flattened":  # a flattened page prints neither (see the module docstring)
        opts = attrs.evolve(opts, sign_words=False, nbsp_blanks=False)
    writer = _Writer(layout, opts)
    title = report.title or f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告"
    if report.agency and report.title and not _compact(report.title).startswith(_compact(report.agency)):
        title = report.title
    # A flattened page prints the title alone: the agency is in it.
    if report.agency and not (layout == "flattened" and _compact(title).startswith(_compact(report.agency))):
        writer.heading(report.agency)
        writer.apart.add(len(writer.lines) - 1)
    writer.heading(title)
    writer.apart.add(len(writer.lines) - 1)
    marked = layout == "markdown" and opts.md_headings
    if marked:
        writer.lines[-1] = "# " + writer.lines[-1]
    for line in report.preamble.splitlines():
        writer.line(line)
    sections = {s.key: s for s in voc.SECTIONS}

    def heading(key: str, printed: m.Section | None = None) -> None:
        section = sections[key]
        text = printed.heading if printed is not None else f"{section.numeral}、{section.title}"
        if opts.word_numbering and text.startswith(section.numeral):
            text = f"{section.digit}、 " + text[len(section.numeral) :].lstrip("、. ")
        writer.heading(text)
        if marked:
            writer.lines[-1] = "## " + writer.lines[-1]

    heading("overview", report.overview)
    start = len(writer.lines)
    _narrative(writer, report.overview)
    if opts.bookmarks and len(writer.lines) > start:
        writer.lines[start] = "[bookmark: _GoBack]" + writer.lines[start]
    if report.template is not None:
        heading("active")
        writer.table(_grid(_active_rows(report, opts), 4))
        heading("requests")
        grid = _grid(_request_rows(report, opts), 10)
        if layout == "markdown" and opts.md_label_headings:
            _labelled_tables(writer, report, grid)
        else:
            breaks = [(len(grid) // 2, 3, 1)] if opts.page_breaks else []
            start = len(writer.lines)
            writer.table(grid, breaks)
            if layout == "markdown" and opts.md_detach_labels is not None:
                _detach_labels(writer, report, start, random.Random(opts.md_detach_labels))
        heading("review")
        if layout == "markdown" and opts.md_review_groups:
            for name, rows in _review_group_tables(report, opts):
                writer.markdown_table(_grid(rows, 5), name)
        else:
            writer.table(_grid(_review_rows(report, opts), 15))
    heading("problems", report.problems)
    _narrative(writer, report.problems)
    heading("other_matters", report.other_matters)
    _narrative(writer, report.other_matters)
    return _finish(writer.lines, layout, opts, writer.apart)


#: The generic header an OCR pipeline gives a one-row table.
_GENERIC_HEADER: Final = ("类别", *(f"数据{i}" for i in range(1, 7)), "总计")
#: The request matrix's header rows, and the rows printed under headings of their own.
_REQUEST_HEADER_ROWS: Final = 3
_HEADED_ROWS: Final = ("new", "carried_over")


def _labelled_tables(writer: _Writer, report: m.Report, grid: list[list[_Slot]]) -> None:
    """The request matrix as an OCR pipeline prints it: its header rows; the
    first rows each under a ``###`` heading of its label, in a one-row table
    with a generic header and the label without its numbering; the rest."""
    assert report.template is not None
    rows = {row.id: row for row in voc.request_rows(report.template)}
    writer.table(grid[:_REQUEST_HEADER_ROWS])
    for key in _HEADED_ROWS:
        label = rows[key].label
        values = [
            _Cell(
                _value(report.cell(f"requests.{key}.{c.key}"), voc.ValueType.COUNT, writer.options),
                value=True,
            )
            for c in voc.REQUEST_COLUMNS
        ]
        table = [[_Cell(h, header=True) for h in _GENERIC_HEADER], [_Cell(label.text), *values]]
        writer.markdown_table(_grid(table, len(_GENERIC_HEADER)), label.printed)
    writer.table(grid[_REQUEST_HEADER_ROWS + len(_HEADED_ROWS) :])


#: The share of a request matrix's rows whose labels a converter loses, at most.
_DETACHED_SHARE: Final = 0.3
_DETACHED_MOST: Final = 3


def _detach_labels(writer: _Writer, report: m.Report, start: int, rng: random.Random) -> None:
    """Some request rows printed as a converter of a PDF does when it loses
    their labels (ex_C4): each row's numbers alone on its line, where the row
    was, and the labels of all of them as one block of wrapped lines before
    the first one's numbers. Only rows that print their own label alone (not
    a group's) lose it."""
    assert report.template is not None
    rows = {r.label.printed: r for r in voc.request_rows(report.template)}
    own = "|  |  | "  # a row under a group label: its own label only
    lines = writer.lines
    chosen: list[tuple[int, str, list[str]]] = []  # (line index, label, values)
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.startswith(own) or len(chosen) == _DETACHED_MOST or rng.random() >= _DETACHED_SHARE:
            continue
        row = rows.get(line[len(own) :].split(" |", 1)[0])
        if row is None:
            continue
        values = [
            _value(report.cell(f"requests.{row.id}.{c.key}"), voc.ValueType.COUNT, writer.options)
            for c in voc.REQUEST_COLUMNS
        ]
        chosen.append((index, row.label.printed, values))
    for index, _, values in chosen:
        lines[index] = "".join(f"| {v} " for v in values) + "|"
    if chosen:
        block = [part for _, label, _ in chosen for part in _wrap(label, 10)]
        lines[chosen[0][0] : chosen[0][0]] = block


def _compact(text: str) -> str:
    return "".join(text.split())


def _flatten(lines: list[str], options: Options, apart: Collection[int]) -> list[str]:
    """Every text run of the report on one line, after the site's chrome:
    the chrome and the lines ``apart`` (the title) followed by a space, the
    other runs directly after each other but where ``stray_spaces`` puts a
    space."""
    rng = random.Random(options.stray_spaces) if options.stray_spaces is not None else None
    out = [_CHROME + " "] if options.chrome else []
    for index, line in enumerate(lines):
        run = line.strip()
        if not run:
            continue
        out.append(run)
        if index in apart or (rng is not None and rng.random() < _STRAY):
            out.append(" ")
    return ["".join(out).rstrip()]


def _finish(lines: list[str], layout: str, options: Options, apart: Collection[int] = ()) -> str:
    if layout == "flattened":
        lines = _flatten(lines, options, apart)
    if layout == "html-spans":
        lines = [line for line in lines if line.strip()]
        if options.collapse:
            lines = [line for line, _ in itertools.groupby(lines)]
    if options.blank_lines and layout not in ("docx-cells", "html-spans", "flattened"):
        lines = list(_interleave(lines))
    text = "\n".join(lines).rstrip("\n") + "\n"
    if options.fullwidth:
        text = text.translate(_FULLWIDTH)
    if options.tab_width is not None and layout == "docx-cells":
        text = text.replace("\n\t", "\n" + " " * options.tab_width)
    if options.crlf:
        text = text.replace("\n", "\r\n")
    if options.bom:
        text = "\ufeff" + text
    return text


def _interleave(lines: Sequence[str]) -> Iterator[str]:
    for line in lines:
        yield line
        if line.strip():
            yield ""


# Digits and the punctuation the template prints, in full width. Tabs,
# newlines, pipes and spaces stay: they are layout, not text.
_FULLWIDTH: Final = {ord(c): ord(c) + 0xFEE0 for c in "0123456789+-.,:()/"}
