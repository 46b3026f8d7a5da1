"""A report as a page to look at (``govreport view``, :func:`to_html`).

One self-contained HTML file: the metadata, the 第二十条 blocks, the request
matrix and the review row drawn as the template draws them
(:mod:`govreport.tables`), every cell showing its value and how it was
read, every diagnostic listed and tied to its cells, every cell tied to the
line of the source it came from. With the report of the year before, the
two years side by side and the carry-over rule checked cell by cell, with
the comparison ``govreport check`` makes (:func:`govreport.batch.corpus_diagnostics`).

Nothing in the page is fetched: the style and the script are inline, the
source text is embedded as JSON, and a Content-Security-Policy forbids any
request. Every text taken from the report is escaped.

:func:`fragment` is the same tables without the script, for Jupyter
(``Report._repr_html_``).
"""

from __future__ import annotations

import enum
import html
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Final

import attrs

from .batch import corpus_diagnostics, corpus_entry, with_diagnostics
from .model import Category, Cell, Diagnostic, Provenance, Report, Span
from .tables import Drawing, Head, drawings
from .vocabulary import REQUEST_COLUMNS, SECTIONS

__all__ = [
    "CellStatus",
    "cell_status",
    "CarryOver",
    "carry_over",
    "to_html",
    "fragment",
    "draw_table",
    "style",
    "codebook_page",
]


class CellStatus(str, enum.Enum):
    """What a drawn cell shows, for its style and the legend."""

    PRINTED = "printed"  #: a value printed in the report
    SOLVED = "solved"  #: a value placed by the template's arithmetic
    INFERRED = "inferred"  #: a value that rests on an assumption the text cannot confirm
    BLANK = "blank"  #: printed blank (empty, ``/``, ``—``, ``无``): no value
    AMBIGUOUS = "ambiguous"  #: several readings fit; left empty
    UNREAD = "unread"  #: nothing was read for the cell


#: Diagnostic codes that mean "several readings fit" for the cells they name.
AMBIGUOUS_CODES: Final = frozenset({"placement-ambiguous", "long-row", "search-limit"})

_LEGEND: Final = (
    (CellStatus.PRINTED, "printed", "a value as the report prints it"),
    (CellStatus.SOLVED, "solved", "placed by the template's arithmetic from what the row prints"),
    (CellStatus.INFERRED, "inferred", "rests on an assumption the text cannot confirm; not in cells()"),
    (CellStatus.BLANK, "printed blank", "the report prints no value (empty, /, —, 无)"),
    (CellStatus.AMBIGUOUS, "ambiguous", "several readings fit: left empty, a diagnostic says which"),
    (CellStatus.UNREAD, "unread", "nothing was read for the cell"),
)
_FLAGS: Final = (
    ("finding", "named by a finding about the report (its arithmetic, …)"),
    ("confirmed", "the narrative states the same count (docs/narrative.md)"),
    ("carry-diff", "二、上年结转 differs from the year before's 四、结转下年度继续办理"),
    ("hl", "the cells of the diagnostic you point at"),
)
_HEADINGS: Final = {s.key: f"{s.numeral}、{s.title}" for s in SECTIONS}
_SECTION_KEY: Final = {"二": "active", "三": "requests", "四": "review"}


def cell_status(cell: Cell, ambiguous: bool = False) -> CellStatus:
    """How ``cell`` is drawn; ``ambiguous`` when a diagnostic of
    :data:`AMBIGUOUS_CODES` names it."""
    if cell.value is not None:
        if cell.provenance is Provenance.INFERRED:
            return CellStatus.INFERRED
        return CellStatus.SOLVED if cell.provenance is Provenance.SOLVED else CellStatus.PRINTED
    if cell.raw is not None:
        return CellStatus.BLANK
    return CellStatus.AMBIGUOUS if ambiguous else CellStatus.UNREAD


def _value(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


# ---------------------------------------------------------------------------
# The carry-over rule between two years
# ---------------------------------------------------------------------------


@attrs.frozen
class CarryOver:
    """The carry-over rule between two reports, column by column.

    ``compared`` is why not when the two are not one agency's consecutive
    years (``""`` when they are); ``rows`` holds, per request column, the
    earlier report's 四、结转下年度继续办理, the later one's 二、上年结转
    and whether ``govreport check`` finds them different (``None``: one of
    them has no value, not compared)."""

    earlier: Report
    later: Report
    reason: str
    rows: tuple[tuple[str, int | None, int | None, bool | None], ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def differences(self) -> tuple[str, ...]:
        """The columns where the two years differ."""
        return tuple(column for column, _, _, differs in self.rows if differs)


def carry_over(earlier: Report, later: Report) -> CarryOver:
    """Compare 二、上年结转 of ``later`` with 四、结转下年度继续办理 of
    ``earlier`` as ``govreport check`` does over a folder."""
    entries = [corpus_entry("earlier", earlier), corpus_entry("later", later)]
    found = tuple(corpus_diagnostics(entries).get(1, ()))
    reason = ""
    if not (earlier.agency and later.agency and earlier.agency == later.agency):
        reason = f"not one agency ({earlier.agency or 'unknown'}, {later.agency or 'unknown'})"
    elif earlier.year is None or later.year is None or later.year != earlier.year + 1:
        reason = f"not consecutive years ({earlier.year or 'unknown'}, {later.year or 'unknown'})"
    elif not entries[0].carried_forward or not entries[1].carried_over:
        reason = "a report without the request table"
    named = {cell for d in found for cell in d.cells}
    rows = []
    for number, column in enumerate(REQUEST_COLUMNS):
        forward = entries[0].carried_forward[number] if entries[0].carried_forward else None
        over = entries[1].carried_over[number] if entries[1].carried_over else None
        compared = not reason and forward is not None and over is not None
        differs = f"requests.carried_over.{column.key}" in named if compared else None
        rows.append((column.key, forward, over, differs))
    return CarryOver(earlier, later, reason, tuple(rows), found)


# ---------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _head(head: Head, tag: str = "th") -> str:
    spans = (f' colspan="{head.colspan}"' if head.colspan > 1 else "") + (
        f' rowspan="{head.rowspan}"' if head.rowspan > 1 else ""
    )
    return f"<{tag}{spans}>{_e(head.text)}</{tag}>"


@attrs.frozen
class _Marks:
    """What the diagnostics (and the year before) say of each cell id."""

    ambiguous: frozenset[str]
    findings: frozenset[str]
    codes: Mapping[str, tuple[str, ...]]
    carry_diff: frozenset[str] = frozenset()
    confirmed: frozenset[str] = frozenset()


def _marks(report: Report, carry_diff: Iterable[str] = ()) -> _Marks:
    codes: dict[str, list[str]] = {}
    ambiguous, findings = set(), set()
    for d in report.diagnostics:
        for cell in d.cells:
            codes.setdefault(cell, []).append(d.code)
            if d.code in AMBIGUOUS_CODES:
                ambiguous.add(cell)
            if d.category is Category.REPORT:
                findings.add(cell)
    confirmed = {cell for statement in report.narrative if statement.matched for cell in statement.cells}
    return _Marks(
        frozenset(ambiguous),
        frozenset(findings),
        {cell: tuple(dict.fromkeys(c)) for cell, c in codes.items()},
        frozenset(carry_diff),
        frozenset(confirmed),
    )


def _cell(report: Report, cell_id: str, marks: _Marks) -> str:
    cell = report.cell(cell_id)
    status = cell_status(cell, cell_id in marks.ambiguous)
    classes = ["v", status.value]
    if cell_id in marks.findings:
        classes.append("finding")
    if cell_id in marks.carry_diff:
        classes.append("carry-diff")
    if cell_id in marks.confirmed:
        classes.append("confirmed")
    tip = [cell_id, status.value]
    attributes = [f'data-cell="{_e(cell_id)}"', f'data-status="{status.value}"']
    if cell.raw is not None and cell.raw != _value(cell):
        tip.append(f"printed {cell.raw!r}")
    if cell.span is not None:
        tip.append(f"line {cell.span.line}, column {cell.span.column}")
        attributes.append(_span_attribute(cell.span).strip())
    if cell_id in marks.codes:
        tip.append("see " + ", ".join(marks.codes[cell_id]))
    attributes.append(f'title="{_e(" · ".join(tip))}"')
    return f'<td class="{" ".join(classes)}" {" ".join(attributes)}>{_e(_value(cell))}</td>'


def _drawing(report: Report, drawing: Drawing, marks: _Marks) -> str:
    rows = ["<tr>" + "".join(_head(h) for h in row) + "</tr>" for row in drawing.header]
    for line in drawing.body:
        labels = "".join(_head(h) for h in line.labels)
        rows.append("<tr>" + labels + "".join(_cell(report, c, marks) for c in line.cells) + "</tr>")
    caption = f"<caption>{_e(drawing.caption)}</caption>" if drawing.caption else ""
    return f'<table class="t {drawing.key.split(".")[0]}" data-table="{_e(drawing.key)}">{caption}{"".join(rows)}</table>'


def _tables(report: Report, marks: _Marks) -> str:
    if report.template is None:
        return '<p class="none">No table of the template was found.</p>'
    out, section = [], ""
    for drawing in drawings(report.template):
        if drawing.section != section:
            section = drawing.section
            out.append(f"<h3>{_e(_HEADINGS[_SECTION_KEY[section]])}</h3>")
        out.append(_drawing(report, drawing, marks))
    return "".join(out)


def _metadata(report: Report) -> str:
    values = report.cells(inferred=True)
    statuses: dict[str, int] = {}
    marks = _marks(report)
    for cell_id in values:
        status = cell_status(report.cell(cell_id), cell_id in marks.ambiguous)
        statuses[status.value] = statuses.get(status.value, 0) + 1
    rows = [
        ("机关 agency", report.agency or "—"),
        ("年度 year", "—" if report.year is None else str(report.year)),
        (
            "模板 template",
            f"{report.template} (国办公开办函〔{report.template}〕)" if report.template else "—",
        ),
        *report.metadata,
        ("cells", ", ".join(f"{n} {s}" for s, n in statuses.items()) or "none"),
        (
            "diagnostics",
            f"{len(report.findings)} about the report, {len(report.reading_issues)} about reading it",
        ),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def _diagnostics(report: Report) -> str:
    if not report.diagnostics:
        return '<p class="none">No diagnostics.</p>'
    items = []
    for d in report.diagnostics:
        where = f"{d.span.line}:{d.span.column}" if d.span else "—"
        span = _span_attribute(d.span)
        items.append(
            f'<li class="dx {d.severity.value} {d.category.value}" tabindex="0" '
            f'data-code="{_e(d.code)}" data-cells="{_e(" ".join(d.cells))}"{span}>'
            f'<span class="where">{where}</span> <span class="sev">{d.severity.value}</span> '
            f"<code>{_e(d.code)}</code> {_e(d.message)}</li>"
        )
    return '<ol class="dxs">' + "".join(items) + "</ol>"


def _span_attribute(span: Span | None) -> str:
    if span is None:
        return ""
    return f' data-span="{span.line} {span.column} {span.end_line} {span.end_column}"'


def _statements(report: Report) -> str:
    """The counts the narrative states, each compared with its cells."""
    if not report.narrative:
        return ""
    items = []
    for statement in report.narrative:
        verdict = "matches" if statement.matched else "differs from"
        where = f"{statement.span.line}:{statement.span.column}" if statement.span else "—"
        items.append(
            f'<li class="st {"matched" if statement.matched else "mismatch"}" tabindex="0" '
            f'data-code="narrative" data-cells="{_e(" ".join(statement.cells))}"{_span_attribute(statement.span)}>'
            f'<span class="where">{where}</span> 「{_e(statement.text)}」: {statement.value} {verdict} '
            f"the table's {statement.table} ({_e(' + '.join(statement.cells))})</li>"
        )
    return '<h3>The narrative against the tables</h3><ol class="dxs">' + "".join(items) + "</ol>"


def _legend() -> str:
    swatches = [
        f'<li><span class="v {status.value}">{"12" if status.value in ("printed", "solved", "inferred") else ""}</span>'
        f" <b>{_e(name)}</b>: {_e(text)}</li>"
        for status, name, text in _LEGEND
    ]
    swatches += [f'<li><span class="v printed {flag}">3</span> {_e(text)}</li>' for flag, text in _FLAGS]
    return '<ul class="legend">' + "".join(swatches) + "</ul>"


def _narrative(report: Report) -> str:
    """The narrative sections, folded, as printed (text, never markup)."""
    parts = []
    for key, section in (
        ("overview", report.overview),
        ("problems", report.problems),
        ("other_matters", report.other_matters),
    ):
        if section is None:
            parts.append(f'<p class="none">{_e(_HEADINGS[key])}: not found.</p>')
            continue
        parts.append(
            f'<details class="narrative"><summary>{_e(section.heading)}</summary>'
            f'<div class="text">{_e(section.full_text)}</div></details>'
        )
    return '<section class="narratives"><h3>Narrative</h3>' + "".join(parts) + "</section>"


def _report(report: Report, role: str, marks: _Marks, source: str | None, heading: bool = False) -> str:
    title = f"<h2>{_e(report.title or '(no title)')}</h2>" if heading else ""
    lines = "" if source is None else _json_script(f"source-{role}", source.splitlines())
    return (
        f'<article class="report" id="report-{role}" data-role="{role}">'
        f"{title}{_metadata(report)}"
        f'<section class="tables">{_tables(report, marks)}</section>'
        f'<section class="diagnostics"><h3>Diagnostics</h3>{_diagnostics(report)}{_statements(report)}</section>'
        f"{_narrative(report)}{lines}</article>"
    )


def _json_script(element_id: str, data: object) -> str:
    # "<", ">" and "&" escaped so that no text of the report can close the element
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    payload = payload.replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{payload}</script>'


def _carry_table(carry: CarryOver) -> str:
    header = (
        f"<tr><th>column</th><th>{_e(carry.earlier.year)} 四、结转下年度继续办理</th>"
        f"<th>{_e(carry.later.year)} 二、上年结转</th><th></th></tr>"
    )
    rows = []
    labels = {column.key: column.label.printed for column in REQUEST_COLUMNS}
    for column, forward, over, differs in carry.rows:
        verdict = "not compared" if differs is None else "differs" if differs else "equal"
        rows.append(
            f'<tr class="carry {verdict.replace(" ", "-")}" data-column="{column}" '
            f'data-cells="requests.carried_forward.{column} requests.carried_over.{column}">'
            f"<th>{_e(labels[column])}</th><td>{_e('' if forward is None else forward)}</td>"
            f"<td>{_e('' if over is None else over)}</td><td>{verdict}</td></tr>"
        )
    note = (
        f"<p>Not compared: {_e(carry.reason)}.</p>"
        if carry.reason
        else f"<p>{len(carry.differences)} of {len(REQUEST_COLUMNS)} columns differ.</p>"
    )
    return (
        '<section id="carry-over"><h2>The carry-over rule</h2>'
        f"<p>This year's 二、上年结转 equals last year's 四、结转下年度继续办理, column by column.</p>"
        f'{note}<table class="t carry-table">{header}{"".join(rows)}</table></section>'
    )


@cache
def _static(name: str) -> str:
    return resources.files("govreport").joinpath("static", name).read_text(encoding="utf-8")


_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def to_html(
    report: Report,
    previous: Report | None = None,
    *,
    source: str | None = None,
    previous_source: str | None = None,
) -> str:
    """``report`` as one self-contained HTML page (``govreport view``).

    ``source`` is the text the report was parsed from (``govreport.parse``'s
    argument, or ``govreport.formats.extract_text(path).text`` for a file): with it, clicking
    a cell or a diagnostic shows the lines it came from. ``previous`` is the
    same agency's report for the year before: the two are drawn side by
    side, the carry-over rule checked column by column as ``govreport
    check`` does, and its findings added to ``report``'s diagnostics.
    """
    _require_report(report, "report")
    title = report.title or "(no title)"
    if previous is not None:
        _require_report(previous, "previous")
        years = f"{previous.year or '?'} → {report.year or '?'}"
        title = f"{report.agency or previous.agency or '(agency unknown)'}: {years}"
    parts = [f'<header class="page"><h1>{_e(title)}</h1>{_legend()}</header>']
    if previous is None:
        parts.append('<div class="reports">' + _report(report, "current", _marks(report), source) + "</div>")
    else:
        carry = carry_over(previous, report)
        current = with_diagnostics(report, carry.diagnostics)
        diff = carry.differences
        parts.append(_carry_table(carry))
        parts.append(
            '<div class="reports two">'
            + _report(
                previous,
                "previous",
                _marks(previous, [f"requests.carried_forward.{c}" for c in diff]),
                previous_source,
                True,
            )
            + _report(
                current,
                "current",
                _marks(current, [f"requests.carried_over.{c}" for c in diff]),
                source,
                True,
            )
            + "</div>"
        )
    parts.append(
        '<aside id="excerpt" hidden><h2>Source <button type="button" id="excerpt-close">×</button></h2>'
        '<p id="excerpt-where"></p><pre id="excerpt-text"></pre></aside>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="generator" content="govreport"><title>{_e(title)}</title>'
        f"<style>{_static('view.css')}</style></head>"
        f'<body class="govreport-view">{"".join(parts)}<script>{_static("view.js")}</script></body></html>\n'
    )


def fragment(report: Report) -> str:
    """The tables of ``report`` with their legend and diagnostics, as an HTML
    fragment with its style and no script (``Report._repr_html_``)."""
    _require_report(report, "report")
    return (
        f'<div class="govreport-view"><style>{_static("view.css")}</style>{_legend()}'
        + _report(report, "current", _marks(report), None, True)
        + "</div>"
    )


def draw_table(report: Report, key: str, *, rows: Iterable[str] = ()) -> str:
    """One table of ``report`` (a key of :func:`govreport.tables.drawings`:
    ``requests``, ``review``, ``active.一`` …) as an HTML ``<table>``, each
    cell marked as in :func:`to_html`; ``rows`` keeps only the body rows
    holding one of these cell ids (all rows when empty). Style it with
    :func:`style`."""
    _require_report(report, "report")
    if report.template is None:
        raise ValueError("the report has no table: its template is unknown")
    drawing = next((d for d in drawings(report.template) if d.key == key), None)
    if drawing is None:
        known = ", ".join(d.key for d in drawings(report.template))
        raise ValueError(f"no table {key!r} in the {report.template} template; the tables are {known}")
    keep = set(rows)
    if keep:
        body = tuple(line for line in drawing.body if keep & set(line.cells))
        labels = tuple(
            attrs.evolve(line, labels=tuple(attrs.evolve(h, rowspan=1) for h in line.labels)) for line in body
        )
        drawing = attrs.evolve(drawing, body=labels)
    return _drawing(report, drawing, _marks(report))


def style() -> str:
    """The view's style sheet (scoped to ``.govreport-view``)."""
    return _static("view.css")


def codebook_page(template: str) -> str:
    """The tables of ``template`` as one HTML page with the cell id of every
    cell in it: the codebook to keep open beside the data."""
    if template not in ("2019", "2021"):
        raise ValueError(f"no template {template!r}: the templates are 2019 and 2021")
    tables, section = [], ""
    for drawing in drawings(template):
        if drawing.section != section:
            section = drawing.section
            tables.append(f"<h3>{_e(_HEADINGS[_SECTION_KEY[section]])}</h3>")
        rows = ["<tr>" + "".join(_head(h) for h in row) + "</tr>" for row in drawing.header]
        for line in drawing.body:
            ids = "".join(
                f'<td class="id" data-cell="{_e(c)}">{"<wbr>.".join(_e(part) for part in c.split("."))}</td>'
                for c in line.cells
            )
            rows.append("<tr>" + "".join(_head(h) for h in line.labels) + ids + "</tr>")
        caption = f"<caption>{_e(drawing.caption)}</caption>" if drawing.caption else ""
        tables.append(f'<table class="t {drawing.key.split(".")[0]}">{caption}{"".join(rows)}</table>')
    title = f"The cell ids of the {template} template (国办公开办函〔{template}〕)"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}"><title>{_e(title)}</title>'
        f'<style>{_static("view.css")}</style></head><body class="govreport-view codebook">'
        f"<h1>{_e(title)}</h1>{''.join(tables)}</body></html>\n"
    )


def _require_report(value: object, name: str) -> None:
    if not isinstance(value, Report):
        raise TypeError(f"to_html() takes a govreport.Report as {name}, not {type(value).__name__}")
