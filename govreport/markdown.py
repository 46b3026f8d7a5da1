"""A report as Markdown, for reading (``govreport parse --format markdown``).

The metadata, the narrative sections, the three tables with the template's
labels (from :mod:`govreport.vocabulary`) and the diagnostics. A blank cell
is an empty table cell; money is in 万元.
"""

from __future__ import annotations

from decimal import Decimal

from .model import Report, Section, Value
from .tables import Drawing, drawings
from .vocabulary import INFO_HEADER, REVIEW_GROUPS, REVIEW_OUTCOMES, SECTIONS

__all__ = ["to_markdown"]

_HEADINGS = {s.key: f"{s.numeral}、{s.title}" for s in SECTIONS}


def _value(value: Value) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _section(key: str, section: Section | None) -> list[str]:
    if section is None:
        return [f"## {_HEADINGS[key]}", "", "*(not found)*", ""]
    lines = [f"## {section.heading}", ""]
    if section.text:
        lines += [section.text, ""]
    for sub in section.subsections:
        lines += [f"### {sub.heading}", ""]
        if sub.text:
            lines += [sub.text, ""]
    return lines


def _drawn(report: Report, drawing: Drawing) -> list[str]:
    """A table of :func:`govreport.tables.drawings` with a flat header: each
    group label a row of its own above its first row."""
    header = ["" if drawing.key == "requests" else INFO_HEADER.printed, *drawing.columns]
    rows: list[list[str]] = []
    for line in drawing.body:
        *groups, label = line.labels
        rows += [[group.text, *[""] * len(line.cells)] for group in groups]
        rows.append([label.text, *(_value(report.cell(cell_id).value) for cell_id in line.cells)])
    return _table(header, rows)


def _active(report: Report, template: str) -> list[str]:
    lines = []
    for drawing in drawings(template):
        if drawing.section == "二":
            lines += [drawing.caption, "", *_drawn(report, drawing)]
    return lines


def _requests(report: Report, template: str) -> list[str]:
    return _drawn(report, next(d for d in drawings(template) if d.key == "requests"))


def _review(report: Report) -> list[str]:
    header = ["", *(label.printed for _, label in REVIEW_OUTCOMES)]
    rows = [
        [label.printed]
        + [_value(report.cell(f"review.{group}.{outcome}").value) for outcome, _ in REVIEW_OUTCOMES]
        for group, label in REVIEW_GROUPS
    ]
    return _table(header, rows)


def to_markdown(report: Report) -> str:
    """``report`` as a Markdown document."""
    lines = [f"# {report.title or '(no title)'}", ""]
    meta = [
        ("agency", report.agency or ""),
        ("year", "" if report.year is None else str(report.year)),
        ("template", report.template or ""),
        *report.metadata,
    ]
    lines += _table(["", ""], [[key, value] for key, value in meta])
    lines += _section("overview", report.overview)
    tables = (("active", _active), ("requests", _requests))
    for key, render in tables:
        lines += [f"## {_HEADINGS[key]}", ""]
        lines += render(report, report.template) if report.template else ["*(no table)*", ""]
    lines += [f"## {_HEADINGS['review']}", ""]
    lines += _review(report) if report.template else ["*(no table)*", ""]
    lines += _section("problems", report.problems)
    lines += _section("other_matters", report.other_matters)
    lines += ["## Diagnostics", ""]
    lines += [f"- {d}" for d in report.diagnostics] or ["none"]
    return "\n".join(lines).rstrip() + "\n"
