"""Section 四 (政府信息公开行政复议、行政诉讼情况): the review row.

One row of 15 cells (行政复议, 行政诉讼 未经复议, 复议后起诉; five
outcomes each), read from the first line of data after the last header.

A converter (or an OCR pipeline) may print it as three tables of five
columns, one per group, each under its group's name (``### 行政复议``,
``### 行政诉讼（未经复议直接起诉）``, …): then each group's row is read from
the data after its own name, and the three are solved together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from lark import Token

from .. import model as m
from .. import vocabulary as voc
from ..grammar import compact
from ..transform import Item, Table
from .context import Context, end_of, start_of
from .labels import extras, stray
from .rows import collect, solve_rows


def read_review(
    ctx: Context, template: str, tables: Sequence[Table], out: dict[str, m.Cell]
) -> tuple[m.ExtraLine, ...]:
    ids = [f"review.{g}.{o}" for g, _ in voc.REVIEW_GROUPS for o, _ in voc.REVIEW_OUTCOMES]
    items = [i for t in tables for i in t.items]
    if not items:
        return ()
    grouped = _grouped(ctx, items)
    if grouped is not None:
        return _read_groups(ctx, template, items, grouped, out)
    headers = [i for i, item in enumerate(items) if item.kind == "review_header"]
    last = headers[-1]
    data_at = next(
        (i for i in range(last, len(items)) if any(c.type != "BLANK" for c in items[i].cells)),
        last,
    )
    for item in items[:data_at]:
        stray(ctx, item, "the header")
    source = items[data_at]
    cells = _data(ctx, source)
    review = collect(
        ctx, "review", ids, [voc.ValueType.COUNT] * len(ids), source.label, "the review row", cells
    )
    solve_rows(ctx, [review], template, out)
    leftovers = [i for i in items[data_at + 1 :] if i.kind == "fragment"]
    if source.kind == "fragment" and data_at > last:
        pass  # a header word the layout broke (结果 结果 其他 …): not an extra line
    return extras(ctx, leftovers, "section 四")


#: A group's name as printed over its own table, in the template's order
#: (the litigation groups' words first: 复议后起诉 holds 复议).
_GROUP_WORDS: Final = (
    (1, compact(voc.REVIEW_GROUPS[1][1].text)),
    (2, compact(voc.REVIEW_GROUPS[2][1].text)),
    (0, compact(voc.REVIEW_GROUPS[0][1].text)),
)
_OUTCOMES: Final = len(voc.REVIEW_OUTCOMES)


def _data(ctx: Context, item: Item) -> list[Token]:
    """An item's data cells: blank cells on the label's own line pad the
    header, not the data."""
    cells = list(item.cells)
    while (
        cells and cells[0].type == "BLANK" and "\n" not in ctx.text[end_of(item.label) : start_of(cells[0])]
    ):
        cells.pop(0)
    return cells


def _group_of(item: Item) -> int | None:
    text = compact(item.label.value)
    return next((group for group, word in _GROUP_WORDS if word in text), None)


def _grouped(ctx: Context, items: Sequence[Item]) -> list[tuple[int, int]] | None:
    """(group, item index) of each group's data when the row is printed as
    one table per group: at least two data lines of five cells, each after
    the name of a group of its own. ``None`` for any other layout."""
    found: list[tuple[int, int]] = []
    group: int | None = None
    for index, item in enumerate(items):
        named = _group_of(item)
        if named is not None:
            group = named
        cells = _data(ctx, item)
        if all(c.type == "BLANK" for c in cells):
            continue
        if group is None or len(cells) != _OUTCOMES or any(g == group for g, _ in found):
            return None
        found.append((group, index))
        group = None
    return found if len(found) >= 2 else None


def _read_groups(
    ctx: Context,
    template: str,
    items: Sequence[Item],
    grouped: Sequence[tuple[int, int]],
    out: dict[str, m.Cell],
) -> tuple[m.ExtraLine, ...]:
    rows = []
    for group, index in grouped:
        key, label = voc.REVIEW_GROUPS[group]
        ids = [f"review.{key}.{o}" for o, _ in voc.REVIEW_OUTCOMES]
        source = items[index]
        cells = _data(ctx, source)
        rows.append(
            collect(
                ctx, f"review.{key}", ids, [voc.ValueType.COUNT] * len(ids), source.label,
                f"the review row's {label.text} group", cells,
            )
        )  # fmt: skip
    solve_rows(ctx, rows, template, out)
    data = {index for _, index in grouped}
    leftovers = [
        item
        for index, item in enumerate(items)
        if item.kind == "fragment" and index not in data and _group_of(item) is None
    ]
    return extras(ctx, leftovers, "section 四")
