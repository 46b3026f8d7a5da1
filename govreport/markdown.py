"""A report as Markdown, for reading (``govreport parse --format markdown``).

The metadata, the narrative sections, the three tables with the template's
labels (from :mod:`govreport.vocabulary`) and the diagnostics. A blank cell
is an empty table cell; money is in 万元.
"""

from __future__ import annotations

from decimal import Decimal

from .model import Report, Section, Value
from .vocabulary import (
    ACTIVE_BLOCKS,
    REQUEST_COLUMNS,
    REQUEST_GROUPS,
    REQUEST_ROWS,
    REVIEW_GROUPS,
    REVIEW_OUTCOMES,
    SECTIONS,
    request_rows,
)

__all__ = ["to_markdown"]

_HEADINGS = {s.key: f"{s.numeral}、{s.title}" for s in SECTIONS}
_GROUPS = {
    **{g.id: g.label.printed for g in REQUEST_GROUPS},
    # （六）其他处理 is a group label in 2021 (a row of its own in 2019)
    "other": next(row.label.printed for row in REQUEST_ROWS if row.id == "other"),
}


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


def _active(report: Report, template: str) -> list[str]:
    lines = []
    for block in ACTIVE_BLOCKS[template]:
        lines += [f"第二十条第（{block.item}）项", ""]
        header = ["信息内容", *(column.label.printed for column in block.columns)]
        rows = [
            [row.label.printed]
            + [_value(report.cell(f"active.{row.key}.{column.key}").value) for column in block.columns]
            for row in block.rows
        ]
        lines += _table(header, rows)
    return lines


def _requests(report: Report, template: str) -> list[str]:
    header = ["", *(column.label.printed for column in REQUEST_COLUMNS)]
    rows: list[list[str]] = []
    groups_seen: set[str] = set()
    for row in request_rows(template):
        # the group labels (三、本年度办理结果, （三）不予公开, …) head their rows
        group = "results" if row.id == "granted" else row.id.split(".")[0] if "." in row.id else None
        if group is not None and group not in groups_seen:
            groups_seen.add(group)
            rows.append([_GROUPS[group], *[""] * len(REQUEST_COLUMNS)])
        values = [_value(report.cell(f"requests.{row.id}.{c.key}").value) for c in REQUEST_COLUMNS]
        rows.append([row.label.printed, *values])
    return _table(header, rows)


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
