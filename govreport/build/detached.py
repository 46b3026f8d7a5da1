"""Rows of numbers printed apart from their labels (a PDF-to-markdown
converter's table: the physical rows kept, some labels lost or printed in a
block before or after the numbers).

In a table whose rows print their cells on their label's line (pipe, tab
and PDF rows), a line of cells after a row that printed its own cells, or
after a block of labels printed with none, is a row unit: it is not the
previous label's. (A label alone on its line followed by its cells on the
next is a row as printed.) The units go to the template rows left without
cells, in template order: physical rows keep the template's order, so a unit
printed between the rows of labels A and B can only be a row between A and
B. When exactly one assignment keeps that order, the units are placed by it;
otherwise none is (the column sums do not change when two result rows swap,
so the arithmetic cannot decide the order) and a diagnostic says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs
from lark import Token

from ..transform import Item
from .context import Context, end_of, start_of

#: A table is read by physical rows when this share of its rows with cells
#: (and at least ``_MIN_ROWS`` of them) print their cells on the label's line.
_ON_LINE_SHARE = 0.6
_MIN_ROWS = 5
#: At most this many units are assigned (the assignments are enumerated).
_MAX_UNITS = 8


@attrs.frozen
class Unit:
    """A line of cells printed with no label, and the rows printed around
    it: the template index of the last row before it that printed cells on
    its own line, and of the first after it (``None``: the table's end)."""

    cells: tuple[Token, ...]
    after: int
    before: int | None


def detach(ctx: Context, items: Sequence[Item], order: dict[str, int]) -> tuple[list[Item], list[Unit]]:
    """``items`` with each row's cells cut to those on its label's line, and
    the lines of cells cut off, as units; the items unchanged when the table
    does not print its rows one per line."""
    rows = [i for i in items if i.kind == "request_row" and i.key in order and i.cells]
    on_line = [i for i in rows if _line(ctx, start_of(i.cells[0])) <= _line(ctx, end_of(i.label))]
    if len(rows) < _MIN_ROWS or len(on_line) < _ON_LINE_SHARE * len(rows):
        return list(items), []
    out: list[Item] = []
    cut: list[tuple[int, list[tuple[Token, ...]]]] = []  # (index in out, the lines cut after it)
    previous: Item | None = None
    for item in items:
        block, previous = previous is not None and _bare(previous, order), item
        if item.kind != "request_row" or item.key not in order or not item.cells:
            out.append(item)
            continue
        # The label's own lines (a label a layout broke holds its cells between its parts).
        last = _line(ctx, end_of(item.label))
        own = [c for c in item.cells if _line(ctx, start_of(c)) <= last]
        if not block and all(c.type == "BLANK" for c in own):
            out.append(item)  # a label alone on its line (or padded), its row's cells on the next
            continue
        lines: dict[int, list[Token]] = {}
        for cell in item.cells:
            at = _line(ctx, start_of(cell))
            if at > last:
                lines.setdefault(at, []).append(cell)
        out.append(Item(item.kind, item.label, own))
        kept = [tuple(cells) for cells in lines.values() if any(c.type != "BLANK" for c in cells)]
        if kept:
            cut.append((len(out) - 1, kept))
    units: list[Unit] = []
    for index, lines_cut in cut:
        after = _anchor(out[: index + 1][::-1], order)
        before = _anchor(out[index + 1 :], order)
        units.extend(Unit(cells, -1 if after is None else after, before) for cells in lines_cut)
    return out, units


def _bare(item: Item, order: dict[str, int]) -> bool:
    """A row label (not a group's) printed with no cells at all (one of a block of labels)."""
    return item.kind == "request_row" and item.key in order and not item.cells


def _line(ctx: Context, offset: int) -> int:
    return ctx.lines.position(offset)[0]


def _anchor(items: Sequence[Item], order: dict[str, int]) -> int | None:
    """The template index of the first row of ``items`` that prints cells."""
    return next((order[i.key] for i in items if i.kind == "request_row" and i.key in order and i.cells), None)


def assignments(units: Sequence[Unit], unfilled: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Every way of giving each unit, in print order, an unfilled row (by
    template index) between the rows printed around it, in template order."""

    def place(k: int, low: int) -> Iterator[tuple[int, ...]]:
        if k == len(units):
            yield ()
            return
        unit = units[k]
        for row in unfilled:
            if row <= max(low, unit.after) or (unit.before is not None and row >= unit.before):
                continue
            for rest in place(k + 1, row):
                yield (row, *rest)

    if len(units) <= _MAX_UNITS:
        yield from place(0, -1)
