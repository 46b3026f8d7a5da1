"""Section 二 (主动公开政府信息情况): the 第二十条 blocks.

Each block's rows are read into the cells of the template's columns. The
section has no arithmetic: a row's cells are what its printing forces.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from .. import model as m
from .. import vocabulary as voc
from ..cells import header_unit
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
        own_header = _printed_header(ctx, template, table)
        units: dict[str, str] = {}  # column key → the unit its header prints
        for item in rescue(ctx, table.items, ("active_row",)):
            if item.kind == "active_header":
                stray(ctx, item, "the header")
                if item.key in voc.ACTIVE_COLUMNS:
                    column = voc.ACTIVE_COLUMNS[item.key][0]
                    label_variant(ctx, item.label, (column.label.text,), "column header")
                    unit = header_unit(ctx.printed(item.label))
                    if (
                        unit is not None
                        and column.type is voc.ValueType.MONEY
                        and unit != header_unit(column.label.text)
                    ):
                        units[column.key] = unit  # not the template's own (本年收费金额（单位：万元）)
                continue
            if item.kind == "fragment":
                if own_header is None or all(item is not word for word, _ in own_header):
                    leftovers.append(item)  # (a header word of the block's own is read)
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
            columns: Sequence[voc.Column | None] = block.columns
            header_words = [c.label.text for c in block.columns]
            if own_header is not None:
                columns = _own_columns(ctx, block, own_header, row.label.text, item, out)
                header_words = ["".join(ctx.printed(w.label).split()) for w, _ in own_header]
            printed.append(
                collect(
                    ctx,
                    f"active.{key}",
                    [
                        f"active.{key}.{c.key}" if c else f"#.{w}"
                        for c, w in zip(columns, header_words, strict=True)
                    ],
                    [c.type if c else voc.ValueType.COUNT for c in columns],
                    item.label,
                    row.label.text,
                    item.cells,
                    trailing=True,
                    units=[units.get(c.key) if c else None for c in columns],
                )
            )
    solve_rows(ctx, printed, None, out)
    return extras(ctx, leftovers, "section 二")


#: A header word a block prints instead of the template's (2020年项目数量).
_HEADER_WORD = re.compile(r"(数量|件数|金额|增/减|增减)")


def _printed_header(ctx: Context, template: str, table: Table) -> list[tuple[Item, voc.Column | None]] | None:
    """A 第二十条 block's own column header, when it prints a header word
    that is not the template's (``2020年项目数量 | 处理决定数量`` for
    ``上一年项目数量 | 本年增/减 | 处理决定数量``): its header words in order,
    each with the template column it names, or None (a column the template
    has no cell for). A word close to a template column the header lacks
    (本公开数量 for 本年新公开数量) is that column misprinted. None when the
    block prints the template's header."""
    row = next((i for i in table.items if i.kind == "active_row"), None)
    block = next(
        (b for b in voc.ACTIVE_BLOCKS[template] if row and any(r.key == row.key for r in b.rows)), None
    )
    if block is None:
        return None
    by_key = {c.key: c for c in block.columns}
    words: list[tuple[Item, voc.Column | None]] = []
    for item in table.items:
        if item.kind == "active_row":
            break
        if item.kind == "active_header" and item.key in voc.ACTIVE_COLUMNS:
            words.append((item, by_key.get(voc.ACTIVE_COLUMNS[item.key][0].key)))
        elif item.kind == "fragment" and not any(c.type == "VALUE" for c in item.cells):
            text = "".join(ctx.printed(item.label).split())
            if len(text) <= 16 and _HEADER_WORD.search(text):
                words.append((item, None))
    named = {c.key for _, c in words if c is not None}
    out: list[tuple[Item, voc.Column | None]] = []
    for item, column in words:
        if column is None:
            text = "".join(ctx.printed(item.label).split())
            close = [
                c
                for c in block.columns
                if c.key not in named and difflib.SequenceMatcher(None, text, c.label.text).ratio() >= 0.75
            ]
            if len(close) == 1:
                column = close[0]
                named.add(column.key)
        out.append((item, column))
    if all(c is not None for _, c in out):
        return None  # the template's header, maybe with a word misprinted: read as the template's
    for item, column in out:
        if column is not None and item.kind == "fragment":
            label_variant(ctx, item.label, (column.label.text,), "column header")
    return out


def _own_columns(
    ctx: Context,
    block: voc.ActiveBlock,
    header: Sequence[tuple[Item, voc.Column | None]],
    what: str,
    item: Item,
    out: dict[str, m.Cell],
) -> list[voc.Column | None]:
    """The columns a row of a block with its own header prints, in order.
    The template's columns the header does not print get no value, and a
    diagnostic says so."""
    columns = [column for _, column in header]
    missing = [c for c in block.columns if c not in columns]
    shown = " | ".join(ctx.printed(w.label) for w, _ in header)
    if missing:
        ids = [f"active.{item.key}.{c.key}" for c in missing]
        for cell_id in ids:
            out[cell_id] = m.Cell()
        ctx.add(
            "own-header",
            f"{what}: its block prints its own column header ({shown}), without "
            + ", ".join(c.label.text for c in missing)
            + ": those cells are left empty, and each value printed goes to the column its header names",
            ctx.token_span(item.label),
            ids,
        )
    return columns


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
