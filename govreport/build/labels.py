"""What a table prints beside its cells: labels and stray words.

Labels a layout broke into words joined again (:func:`rescue`), labels
printed in a variant wording, values printed after a caption or header,
and words that are not the template's, kept as extra lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from lark import Token

from .. import model as m
from ..grammar import TERMINAL_KIND, compact, label_patterns
from ..transform import Item
from .context import Context, end_of, letters, start_of
from .rows import Printed


def label_variant(ctx: Context, token: Token, canonical: Sequence[str], what: str) -> None:
    printed = ctx.printed(token)
    reduced = letters(printed)
    if reduced and all(reduced != letters(text) for text in canonical):
        ctx.add(
            "label-variant",
            f"{what} printed as {printed!r} (template: {canonical[0]!r})",
            ctx.token_span(token),
        )


def rescue(ctx: Context, items: Sequence[Item], kinds: tuple[str, ...]) -> list[Item]:
    """Join labels that a layout broke into unrecognised words.

    ``4.`` / ``保护第三方`` / ``合法权益`` (a tab row whose label wrapped
    after its values) reads as one row label; the words' cells go with it.
    """
    patterns = label_patterns(kinds)
    out: list[Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        if item.kind != "fragment":
            out.append(item)
            index += 1
            continue
        joined = None
        for stop in range(min(len(items), index + 4), index, -1):
            run = items[index:stop]
            if any(i.kind != "fragment" for i in run):
                continue
            text = "".join(compact(i.label.value) for i in run)
            for name, pattern in patterns:
                if pattern.fullmatch(text):
                    joined = (stop, name, run)
                    break
            if joined:
                break
        if joined is None:
            out.append(item)
            index += 1
            continue
        stop, name, run = joined
        first = run[0].label
        label = Token(name, text, start_of(first), first.line, first.column)
        label.end_pos = end_of(run[-1].label)
        ctx.joined[id(label)] = "".join(ctx.printed(i.label) for i in run)
        cells = [c for i in run for c in i.cells]
        kind = {"active_row": "active_row", "request_row": "request_row", "request_group": "request_row"}[
            TERMINAL_KIND[name][0]
        ]
        out.append(Item(kind, label, cells))
        index = stop
    return _same_line(ctx, out)


def _same_line(ctx: Context, items: Sequence[Item]) -> list[Item]:
    """A row label printed with no cells, followed on its own line by words
    that are not a label and then the cells: the words are the rest of the
    label cell, broken by the layout (a converter's markdown cutting
    ``（二）部分公开（区分处理的…）`` across two cells, its lines interleaved),
    and the cells are the row's. A line of a tab, pipe or PDF row holds one
    row, so the cells can be no other row's."""
    out: list[Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        index += 1
        if item.kind not in ("active_row", "request_row") or item.cells:
            out.append(item)
            continue
        line = ctx.lines.position(end_of(item.label))[0]
        stop = index
        while (
            stop < len(items)
            and items[stop].kind == "fragment"
            and ctx.lines.position(start_of(items[stop].label))[0] == line
        ):
            stop += 1
            if items[stop - 1].cells:
                break
        words = items[index:stop]
        cells = words[-1].cells if words else []
        if not cells or ctx.lines.position(start_of(cells[0]))[0] != line or any(w.cells for w in words[:-1]):
            out.append(item)
            continue
        out.append(Item(item.kind, item.label, list(cells)))
        index = stop
    return out


def extras(ctx: Context, items: Sequence[Item], where: str) -> tuple[m.ExtraLine, ...]:
    """Unrecognised words of a table, as extra lines (one per printed line)."""
    lines: list[list[Token]] = []
    for item in items:
        if item.kind != "fragment":
            continue
        tokens = [item.label, *item.cells]
        tokens = [t for t in tokens if t.type != "BLANK"]
        if (
            lines
            and ctx.lines.position(end_of(lines[-1][-1]))[0] == ctx.lines.position(start_of(tokens[0]))[0]
        ):
            lines[-1].extend(tokens)
        else:
            lines.append(tokens)
    out = []
    for tokens in lines:
        text = ctx.printed_label(tokens)
        span = ctx.span(start_of(tokens[0]), end_of(tokens[-1]))
        out.append(m.ExtraLine(text, span))
        ctx.add(
            "unrecognised-text",
            f"{where}: {text!r} is not part of the template; kept as an extra line",
            span,
        )
    return tuple(out)


def stray(ctx: Context, item: Item, what: str) -> None:
    values = [c for c in item.cells if c.type != "BLANK"]
    if values:
        shown = " ".join(ctx.printed(v) for v in values)
        ctx.add(
            "stray-values",
            f"values printed after {what} {ctx.printed(item.label)!r} ({shown}) were not read",
            ctx.token_span(values[0]),
        )


def reprinted(
    ctx: Context, item: Item, name: str, what: str, ids: Sequence[str], printed: list[Printed]
) -> bool:
    """Whether to read ``item``, a printing of row ``name`` after another.

    The label again with no cells (a heading over its table) is not read;
    with cells, it is when the first printing had none (taken out of
    ``printed``), and otherwise not (``duplicate-row``: the first is read).
    """
    if not item.cells:
        return False
    first = next((p for p in printed if p.name == name), None)
    if first is not None and not first.tokens:
        printed.remove(first)
        return True
    ctx.add("duplicate-row", f"row {what} printed again; the first is read", ctx.token_span(item.label), ids)
    return False
