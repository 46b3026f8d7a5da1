"""The template's tables as the template draws them: header rows with their
merged cells, label cells with their row spans, and the cell id of every
value, for the writers that draw tables (:mod:`govreport.markdown`,
:mod:`govreport.view`).

Built from :mod:`govreport.vocabulary` (no label is spelled here) and from
the layout ``shared/spec/template.md`` gives: in the request matrix, 一, 二
and 四 span the three label columns, （一）（二）（六）（七） span two, and the
group labels (三、本年度办理结果, （三）不予公开, …) are merged row headers
over their rows; the review table is one row of fifteen values under a
three-row header.
"""

from __future__ import annotations

import functools
from typing import Final

import attrs

from .vocabulary import (
    ACTIVE_BLOCKS,
    APPLICANT_HEADER,
    INFO_HEADER,
    ORG_HEADER,
    REQUEST_COLUMNS,
    REQUEST_GROUPS,
    REQUEST_NOTE,
    REQUEST_ROWS,
    REVIEW_GROUPS,
    REVIEW_HEADER,
    REVIEW_OUTCOMES,
    request_rows,
)

__all__ = ["Head", "Line", "Drawing", "drawings"]


@attrs.frozen
class Head:
    """A header or label cell: its text and how many columns and rows it spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@attrs.frozen
class Line:
    """One drawn row of a table body: the label cells that begin on it (a
    group label first, spanning the rows of its group) and the cell ids of
    its values, left to right."""

    labels: tuple[Head, ...]
    cells: tuple[str, ...]


@attrs.frozen
class Drawing:
    """One table of a template as drawn.

    ``key`` names it (``active.一`` … ``active.九``, ``requests``, ``review``),
    ``section`` is the numeral of its section, ``caption`` what is printed
    above it (the 第二十条 blocks' ``第二十条第（一）项``; empty for the
    others), ``header`` its header rows, ``body`` its rows, and ``columns``
    the label of each value column (the header's last word over it)."""

    key: str
    section: str
    caption: str
    header: tuple[tuple[Head, ...], ...]
    body: tuple[Line, ...]
    columns: tuple[str, ...]

    @property
    def cell_ids(self) -> tuple[str, ...]:
        """Every cell id of the table, row by row."""
        return tuple(cell for line in self.body for cell in line.cells)


#: The numeral of the section each table is in.
SECTION_OF: Final = {"active": "二", "requests": "三", "review": "四"}

_LABEL_COLUMNS: Final = 3  # label columns of the request matrix
_GROUP_LABELS: Final = {
    **{group.id: group.label.printed for group in REQUEST_GROUPS},
    # （六）其他处理 is a group label in 2021 (a row of its own in 2019)
    "other": next(row.label.printed for row in REQUEST_ROWS if row.id == "other"),
}


def _active(template: str) -> list[Drawing]:
    out = []
    for block in ACTIVE_BLOCKS[template]:
        columns = tuple(column.label.printed for column in block.columns)
        header = ((Head(INFO_HEADER.printed), *(Head(text) for text in columns)),)
        body = tuple(
            Line(
                (Head(row.label.printed),),
                tuple(f"active.{row.key}.{column.key}" for column in block.columns),
            )
            for row in block.rows
        )
        out.append(
            Drawing(f"active.{block.item}", "二", f"第二十条第（{block.item}）项", header, body, columns)
        )
    return out


def _requests(template: str) -> Drawing:
    parts = [column for column in REQUEST_COLUMNS if column.parent]
    header = (
        (
            Head(REQUEST_NOTE.printed, _LABEL_COLUMNS, 3),
            Head(APPLICANT_HEADER.printed, len(REQUEST_COLUMNS)),
        ),
        (
            Head(REQUEST_COLUMNS[0].label.printed, rowspan=2),
            Head(ORG_HEADER.printed, len(parts)),
            Head(REQUEST_COLUMNS[-1].label.printed, rowspan=2),
        ),
        tuple(Head(column.label.printed) for column in parts),
    )
    rows = request_rows(template)
    members: dict[str, int] = {}  # group → its number of rows
    for row in rows:
        if row.result:
            members["results"] = members.get("results", 0) + 1
        if "." in row.id:
            group = row.id.split(".")[0]
            members[group] = members.get(group, 0) + 1
    members["results"] += sum(1 for row in rows if row.id == "total")  # （七）总计 is under 三 too
    body = []
    opened: set[str] = set()
    for row in rows:
        labels: list[Head] = []
        under = ["results"] if row.result or row.id == "total" else []
        if "." in row.id:
            under.append(row.id.split(".")[0])
        for group in under:
            if group not in opened:
                opened.add(group)
                labels.append(Head(_GROUP_LABELS[group], rowspan=members[group]))
        labels.append(Head(row.label.printed, _LABEL_COLUMNS - len(under)))
        body.append(Line(tuple(labels), tuple(f"requests.{row.id}.{c.key}" for c in REQUEST_COLUMNS)))
    columns = tuple(column.label.printed for column in REQUEST_COLUMNS)
    return Drawing("requests", "三", "", header, tuple(body), columns)


def _review() -> Drawing:
    outcomes = [label.printed for _, label in REVIEW_OUTCOMES]
    litigation = REVIEW_HEADER["WORD_LITIGATION"].printed
    (_, first_label), *suits = REVIEW_GROUPS
    header = (
        (Head(first_label.printed, len(outcomes)), Head(litigation, len(outcomes) * len(suits))),
        (
            *(Head(text, rowspan=2) for text in outcomes),
            *(Head(label.printed, len(outcomes)) for _, label in suits),
        ),
        tuple(Head(text) for _ in suits for text in outcomes),
    )
    cells = tuple(f"review.{group}.{outcome}" for group, _ in REVIEW_GROUPS for outcome, _ in REVIEW_OUTCOMES)
    return Drawing("review", "四", "", header, (Line((), cells),), tuple(outcomes) * len(REVIEW_GROUPS))


@functools.cache
def drawings(template: str) -> tuple[Drawing, ...]:
    """The tables of ``template`` (``"2019"`` or ``"2021"``) in the order the
    report prints them: the 第二十条 blocks, the request matrix, the review
    row. Together they hold every cell id of the template once."""
    return (*_active(template), _requests(template), _review())
