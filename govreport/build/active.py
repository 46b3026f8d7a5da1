"""Section 二 (主动公开政府信息情况): the 第二十条 blocks.

Each block's rows are read into the cells of the template's columns. The
section has no arithmetic: a row's cells are what its printing forces.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import model as m
from .. import vocabulary as voc
from ..transform import Item, Table
from .context import Context
from .labels import extras, label_variant, reprinted, rescue, stray
from .rows import Printed, collect, solve_rows


def read_active(
    ctx: Context, template: str, tables: Sequence[Table], out: dict[str, m.Cell]
) -> tuple[m.ExtraLine, ...]:
    blocks = {row.key: (block, row) for block in voc.ACTIVE_BLOCKS[template] for row in block.rows}
    seen: set[str] = set()
    leftovers: list[Item] = []
    printed: list[Printed] = []
    for table in tables:
        assert table.caption is not None
        stray(ctx, Item("active_header", table.caption, table.caption_cells), "the caption")
        foreign = _foreign_columns(ctx, template, table)
        for item in rescue(ctx, table.items, ("active_row",)):
            if item.kind == "active_header":
                stray(ctx, item, "the header")
                if item.key in voc.ACTIVE_COLUMNS:
                    column = voc.ACTIVE_COLUMNS[item.key][0]
                    label_variant(ctx, item.label, (column.label.text,), "column header")
                continue
            if item.kind == "fragment":
                leftovers.append(item)
                continue
            key = item.key
            if key not in blocks:
                leftovers.append(Item("fragment", item.label, item.cells))
                continue
            block, row = blocks[key]
            ids = [f"active.{key}.{c.key}" for c in block.columns]
            if key in seen and not reprinted(ctx, item, f"active.{key}", row.label.text, ids, printed):
                continue
            seen.add(key)
            label_variant(ctx, item.label, (row.label.text,), "row label")
            if foreign:
                ctx.add(
                    "foreign-columns",
                    f"row {row.label.text}: its block prints the columns of the other template "
                    f"({foreign}), not the {template} template's, so its cells are left empty",
                    ctx.token_span(item.label),
                    ids,
                )
                for cell_id in ids:
                    out[cell_id] = m.Cell()
                continue
            printed.append(
                collect(
                    ctx,
                    f"active.{key}",
                    ids,
                    [c.type for c in block.columns],
                    item.label,
                    row.label.text,
                    item.cells,
                    trailing=True,
                )
            )
    solve_rows(ctx, printed, None, out)
    return extras(ctx, leftovers, "section 二")


def _foreign_columns(ctx: Context, template: str, table: Table) -> str:
    """The column headers of a 第二十条 block, when they are all of the
    other template (a report part-way between templates): its values
    are not the cells of ``template``'s columns. "" otherwise."""
    own: list[str] = []
    other: list[str] = []
    for item in table.items:
        if item.kind == "active_header" and item.key in voc.ACTIVE_COLUMNS:
            templates = voc.ACTIVE_COLUMNS[item.key][1]
            (own if template in templates else other).append(ctx.printed(item.label))
    return "" if own or not other else ", ".join(other)
