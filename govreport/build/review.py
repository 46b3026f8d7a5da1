"""Section 四 (政府信息公开行政复议、行政诉讼情况): the review row.

One row of 15 cells (行政复议, 行政诉讼 未经复议, 复议后起诉; five
outcomes each), read from the first line of data after the last header.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import model as m
from .. import vocabulary as voc
from ..transform import Table
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
    headers = [i for i, item in enumerate(items) if item.kind == "review_header"]
    last = headers[-1]
    data_at = next(
        (i for i in range(last, len(items)) if any(c.type != "BLANK" for c in items[i].cells)),
        last,
    )
    for item in items[:data_at]:
        stray(ctx, item, "the header")
    source = items[data_at]
    # Blank cells on the header word's own line pad the header, not the data.
    cells = list(source.cells)
    while (
        cells and cells[0].type == "BLANK" and "\n" not in ctx.text[end_of(source.label) : start_of(cells[0])]
    ):
        cells.pop(0)
    review = collect(
        ctx, "review", ids, [voc.ValueType.COUNT] * len(ids), source.label, "the review row", cells
    )
    solve_rows(ctx, [review], template, out)
    leftovers = [i for i in items[data_at + 1 :] if i.kind == "fragment"]
    if source.kind == "fragment" and data_at > last:
        pass  # a header word the layout broke (结果 结果 其他 …): not an extra line
    return extras(ctx, leftovers, "section 四")
