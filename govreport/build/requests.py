"""Section 三 (收到和处理政府信息公开申请情况): the request matrix.

Rows of outcomes × applicant columns, solved jointly with the template's
column rules (rule A and the row totals, :mod:`govreport.checks`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from lark import Token

from .. import model as m
from .. import vocabulary as voc
from ..transform import Item, Table
from .context import Context, start_of
from .detached import Unit, assignments, detach
from .labels import extras, label_variant, reprinted, rescue, stray
from .rows import Printed, collect, solve_rows


def read_requests(
    ctx: Context,
    template: str,
    tables: Sequence[Table],
    out: dict[str, m.Cell],
    rows: dict[str, tuple[str | None, m.Span | None]],
) -> tuple[m.ExtraLine, ...]:
    wanted = {row.id: row for row in voc.request_rows(template)}
    columns = [c.key for c in voc.REQUEST_COLUMNS]
    types = [voc.ValueType.COUNT] * len(columns)
    leftovers: list[Item] = []
    printed: list[Printed] = []
    order = {key: index for index, key in enumerate(wanted)}
    items, units = detach(
        ctx, rescue(ctx, [i for t in tables for i in t.items], ("request_row", "request_group")), order
    )
    for item in items:
        if _bare_other(item, template, rows):
            # （六）'s third row printed as 其他 alone, the header word's
            # text: after the other two rows of （六）, with its cells.
            item = Item(
                "request_row",
                Token.new_borrow_pos("RROW_OTHER_OTHER", item.label, item.label),
                item.cells,
            )
        if item.kind == "request_header":
            stray(ctx, item, "the header")
            if item.terminal_kind == "request_column" and item.key:
                column = next(c for c in voc.REQUEST_COLUMNS if c.key == item.key)
                label_variant(ctx, item.label, (column.label.text,), "column header")
            continue
        if item.kind == "fragment":
            leftovers.append(item)
            continue
        kind, key = item.terminal_kind, item.key
        if kind == "request_group" or (key == "other" and template == "2021"):
            stray(ctx, item, "the group label")
            continue
        if key not in wanted:
            leftovers.append(Item("fragment", item.label, item.cells))
            continue
        row = wanted[key]
        path = f"requests.{key}"
        ids = [f"{path}.{c}" for c in columns]
        if path in rows and not reprinted(ctx, item, path, row.label.printed, ids, printed):
            continue
        rows[path] = (ctx.printed(item.label), ctx.token_span(item.label))
        label_variant(ctx, item.label, (row.label.text + row.label.note,), "row label")
        printed.append(collect(ctx, path, ids, types, item.label, row.label.printed, item.cells))
    if units:
        printed = _place_units(ctx, units, wanted, printed, rows)
    solve_rows(ctx, printed, template, out)
    return extras(ctx, leftovers, "section 三")


def _place_units(
    ctx: Context,
    units: Sequence[Unit],
    wanted: dict[str, voc.RequestRow],
    printed: list[Printed],
    rows: dict[str, tuple[str | None, m.Span | None]],
) -> list[Printed]:
    """Rows of numbers printed apart from their labels, given to the rows
    left without cells in template order when one order only fits."""
    keys = list(wanted)  # in the template's order, as detach indexed them
    columns = [c.key for c in voc.REQUEST_COLUMNS]
    by_name = {p.name: p for p in printed}
    unfilled = [i for i, k in enumerate(keys) if not (p := by_name.get(f"requests.{k}")) or not p.tokens]
    found = list(itertools.islice(assignments(units, unfilled), 2))
    lines = ", ".join(str(ctx.lines.position(start_of(u.cells[0]))[0]) for u in units)
    where = ctx.token_span(units[0].cells[0])
    if len(found) != 1:
        ids = [f"requests.{keys[r]}.{c}" for r in unfilled for c in columns]
        why = (
            "no order of the rows left without cells takes them" if not found else "more than one order fits"
        )
        ctx.add(
            "detached-row",
            f"{len(units)} row(s) of numbers printed apart from their labels (line {lines}): {why}, "
            "so they are not read",
            where,
            ids,
        )
        return printed
    placed = dict(zip(found[0], units, strict=True))
    names = []
    out = list(printed)
    for row, unit in placed.items():
        key = keys[row]
        path = f"requests.{key}"
        label = next((p.label for p in printed if p.name == path), unit.cells[0])
        what = wanted[key].label.printed
        ids = [f"{path}.{c}" for c in columns]
        out = [p for p in out if p.name != path]
        types = [voc.ValueType.COUNT] * len(columns)
        out.append(collect(ctx, path, ids, types, label, what, list(unit.cells), detached=True))
        rows.setdefault(path, (None, ctx.token_span(unit.cells[0])))
        names.append(what)
    ctx.add(
        "detached-row",
        f"{len(units)} row(s) of numbers printed apart from their labels (line {lines}) read as the rows "
        f"left without cells, in the template's order: {'; '.join(names)}",
        where,
        [f"requests.{keys[r]}.{c}" for r in placed for c in columns],
    )
    return out


def _bare_other(item: Item, template: str, rows: dict[str, tuple[str | None, m.Span | None]]) -> bool:
    return (
        template == "2021"
        and item.kind == "request_header"
        and item.key == "other_org"
        and "requests.other.unpaid_fee" in rows
        and "requests.other.other" not in rows
        and any(c.type == "VALUE" for c in item.cells)
    )
