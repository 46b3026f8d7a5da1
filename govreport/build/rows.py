"""A table's printed rows → its cells, solved from the template's arithmetic.

Each table reader collects its rows as :class:`Printed` (the row's cell ids
and types, its label and its own cell tokens); :func:`solve_rows` reads
each row under the damage its layout shows (:mod:`govreport.placement`),
solves the table's rows jointly with the template's rules, makes the cells
and says what was uncertain, naming the cells.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

import attrs
from lark import Token

from .. import model as m
from .. import vocabulary as voc
from ..cells import in_unit, read_value
from ..checks import rules
from ..placement import (
    Constraint,
    Outcome,
    Piece,
    Row,
    agree,
    candidates,
    row_readings,
    settled,
    solve,
    split_readings,
)
from .context import Context, end_of, start_of

#: Money cells whose header gives no unit (采购总金额): a bare number there is
#: read in 万元, the template's unit, with a diagnostic.

_UNITLESS: Final = frozenset(
    f"active.{row.key}.{column.key}"
    for blocks in voc.ACTIVE_BLOCKS.values()
    for block in blocks
    for row in block.rows
    for column in block.columns
    if column.type is voc.ValueType.MONEY and "万元" not in column.label.text
)


def split_blanks(cells: Sequence[Token]) -> list[Token]:
    """One token per empty cell: a run of tabs that starts a tab row is one
    BLANK token for as many empty cells as it has tabs."""
    out: list[Token] = []
    for token in cells:
        if token.type == "BLANK" and token.value.count("\t") > 1:
            start = start_of(token)
            for offset, char in enumerate(token.value):
                if char == "\t":
                    piece = Token("BLANK", "\t", start + offset, token.line, (token.column or 0) + offset)
                    piece.end_pos = start + offset + 1
                    out.append(piece)
        else:
            out.append(token)
    return out


@attrs.define
class Printed:
    """A row as printed: its name (``requests.granted``, ``active.licensing``,
    ``review``), cell ids and types, label, and its own cell tokens."""

    name: str
    ids: list[str]
    types: list[voc.ValueType]
    label: Token
    what: str
    tokens: list[Token]
    quiet: frozenset[int]
    #: printed apart from its label, placed by the template's order
    detached: bool = False
    #: per cell, the money unit its column header prints (``元``, ``万元``), or None
    units: tuple[str | None, ...] = ()


def _cut(ctx: Context, start: int, cells: Sequence[Token]) -> list[Token]:
    """A row's own cells: blank cells after the row has ended are merged
    label cells of the next row, not this row's."""
    out: list[Token] = []
    broken = False
    previous = start
    for token in cells:
        if out and not broken and ctx.row_break(previous, start_of(token)):
            broken = True
        if broken and token.type == "BLANK":
            continue
        out.append(token)
        previous = end_of(token)
    return out


def _structural(
    ctx: Context, label: Token, cells: Sequence[Token], *, leading: bool, trailing: bool
) -> frozenset[int]:
    """Blank cells the layout explains: with ``leading``, empty cells right
    after the label on its own line (a matrix label spans up to three
    columns); with ``trailing``, empty cells at the end of a 第二十条 block
    narrower than its table."""
    quiet: set[int] = set()
    if leading:
        for index, token in enumerate(cells):
            if token.type != "BLANK" or "\n" in ctx.text[end_of(label) : start_of(token)]:
                break
            quiet.add(index)
    if trailing:
        for index in range(len(cells) - 1, -1, -1):
            if cells[index].type != "BLANK":
                break
            quiet.add(index)
    return frozenset(quiet)


def collect(
    ctx: Context,
    name: str,
    ids: Sequence[str],
    types: Sequence[voc.ValueType],
    label: Token,
    what: str,
    cells: Sequence[Token],
    *,
    trailing: bool = False,
    detached: bool = False,
    units: Sequence[str | None] = (),
) -> Printed:
    """A row's own printed cells, ready for placement (``units``: per cell,
    the unit its column header prints)."""
    row = _cut(ctx, end_of(label), split_blanks(cells))
    quiet = _structural(ctx, label, row, leading=not trailing, trailing=trailing)
    return Printed(name, list(ids), list(types), label, what, row, quiet, detached, tuple(units))


def _one_per_line(ctx: Context, label: Token, tokens: Sequence[Token]) -> bool:
    """Whether the label and each of the row's cells (none blank) are lines
    of their own: the layouts where a line may wrap a number."""
    if not tokens or any(t.type == "BLANK" for t in tokens):
        return False
    lines = [ctx.lines.position(start_of(label))[0]]
    for token in tokens:
        line = ctx.lines.position(start_of(token))[0]
        start = ctx.lines.line_start(line)
        end = ctx.text.find("\n", start)
        if ctx.text[start : end if end != -1 else len(ctx.text)].strip() != token.value.strip():
            return False
        lines.append(line)
    return len(set(lines)) == len(lines)


def solve_rows(
    ctx: Context, printed: Sequence[Printed], template: str | None, out: dict[str, m.Cell]
) -> None:
    """Place every printed row of a table, jointly, from the template's arithmetic."""
    layout = tuple((p.name, tuple(p.ids)) for p in printed)
    constraints = _constraints(template, layout)
    read = {p.name: _readings(ctx, p, constraints) for p in printed}
    rows = {name: row for name, (row, _) in read.items()}
    outcomes = solve(rows, constraints)
    by_row = _local(constraints)
    for p in printed:
        row, collapsed = read[p.name]
        outcome = outcomes[p.name]
        local = by_row.get(p.name, ())
        if (
            collapsed
            and row.how == "collapsed"
            and not (outcome.readings or outcome.refuted or outcome.gave_up)
        ):
            # No reading without blanks fits: the cells every reading with
            # blank cells printing nothing gives the same printed value.
            cells: Sequence[Piece | None] = _with_blanks(ctx, p, local)
            hows: list[m.Provenance | None] = [m.Provenance.SOLVED if c else None for c in cells]
        else:
            cells = agree(outcome.readings, len(p.ids))
            hows = _provenance(p, row, outcome, cells, local if collapsed else None)
            cells = _emit(ctx, p, row, outcome, cells, hows)
        units = p.units or (None,) * len(p.ids)
        for cell_id, kind, piece, how, unit in zip(p.ids, p.types, cells, hows, units, strict=True):
            if not cell_id.startswith("#"):  # a printed column the template has no cell for
                out[cell_id] = _cell(ctx, cell_id, kind, piece, how, unit)


def _readings(ctx: Context, printed: Printed, constraints: Sequence[Constraint]) -> tuple[Row, bool]:
    """The readings of a printed row: in a flattened line its groups of
    digits cut into cells (equal cells are printed each time there, so
    runs never collapsed); elsewhere under the damage its layout shows.
    And whether the row is crawler text whose equal cells may have
    collapsed and whose blank cells print nothing."""
    if ctx.flattened(printed.label):
        local = [c for c in constraints if c.rows == {printed.name}]
        kinds = [kind.value for kind in printed.types]
        split = split_readings(printed.tokens, kinds, local, printed.name)
        if split is not None:
            return split, False
        if len(printed.tokens) <= len(printed.ids):
            return Row((), "uncut"), False  # the digits cannot make the row's cells
        return row_readings(printed.tokens, len(printed.ids), printed.quiet), False
    # Crawler text whose equal cells may have collapsed (the text can have
    # collapsed: see ``collapsible``), or a row with more numbers than
    # columns that a line may have wrapped: the label and each cell lines of their own.
    width = len(printed.ids)
    longer = len(printed.tokens) > width
    own_lines = (ctx.collapsible or longer) and _one_per_line(ctx, printed.label, printed.tokens)
    collapsed = ctx.collapsible and own_lines
    row = row_readings(
        printed.tokens, width, printed.quiet, collapsed=collapsed, wrapped=longer and own_lines
    )
    return row, collapsed


def _emit(
    ctx: Context,
    printed: Printed,
    row: Row,
    outcome: Outcome,
    cells: Sequence[Piece | None],
    hows: Sequence[m.Provenance | None],
) -> Sequence[Piece | None]:
    """The pieces of one placed row's cells (``cells``: what its fitting
    readings agree on), and what to say about its placement (``hows``: how
    each was read)."""
    width = len(printed.ids)
    what, ids = printed.what, printed.ids
    unknown = [i for i, c in zip(ids, cells, strict=True) if c is None]
    resolved = not unknown
    was_open = None in agree(row.readings, width)
    before = len(ctx.diagnostics)
    # Messages are built only when a diagnostic is made (the hot path has none).
    where = ctx.token_span(printed.label) if row.how not in ("exact", "forced") or unknown else None

    def shown() -> str:
        return " ".join(ctx.printed(t) or "□" for t in printed.tokens) or "nothing"

    def head() -> str:
        return f"{what}: {len(printed.tokens)} cells printed ({shown()}) for {width} columns"

    def read_as() -> str:
        return " ".join((c.text or "□") if c is not None else "?" for c in cells)

    def options() -> str:
        return "; ".join(
            f"{ids[i].rsplit('.', 1)[1]} {' or '.join(candidates(outcome.readings, i))}"
            for i, c in enumerate(cells)
            if c is None
        )

    if row.how in ("split", "forced") and not outcome.gave_up:
        _say_cut(ctx, printed, outcome, cells, where, agree(row.readings, width))
    elif row.how == "unplaced" or outcome.gave_up:
        ctx.add(
            "search-limit",
            f"{head()}; too many readings to try, so the row is left empty",
            where,
            ids,
        )
        cells = (None,) * width
    elif outcome.refuted:
        ctx.add(
            "short-row",
            f"{head()}; its only reading as damaged cells breaks the table's rule "
            f"{', '.join(outcome.refuted)} with the other rows, so the row is left empty",
            where,
            ids,
        )
    elif not outcome.readings:
        why = {
            "collapsed": "no way of expanding its collapsed cells fits the template's arithmetic",
            "uncut": "no cut of its digits makes the row's cells (too few digits, as when a blank "
            "cell printed nothing, or a zero, sign or decimal where no cell can take it)",
        }.get(row.how, "which column is missing cannot be told")
        ctx.add("short-row", f"{head()}; {why}, so the row is left empty", where, ids)
    elif row.how == "exact" and not outcome.used_fallback:
        pass
    elif row.how in ("padded", "extra") and not outcome.used_fallback:
        if not resolved:
            ctx.add(
                "long-row",
                f"{head()}; {len(unknown)} cell(s) left empty because where the extra values belong "
                f"cannot be told ({options()})",
                where,
                unknown,
            )
        elif was_open:
            ctx.add(
                "placement-solved",
                f"{head()}; read as {read_as()}, the only reading that fits the template's arithmetic",
                where,
                ids,
            )
        elif row.how == "extra":
            ctx.add(
                "extra-values",
                f"{head()}; every way of leaving the extra ones out reads the same cells",
                where,
                ids,
            )
        elif not row.quiet:
            first = row.dropped[0]
            ctx.add(
                "padding-dropped",
                f"{what}: {len(printed.tokens)} cells printed for {width} columns; "
                f"{len(row.dropped)} blank cell(s) dropped",
                ctx.span(first.start, first.end),
                ids,
            )
    elif resolved and row.how == "joined" and m.Provenance.INFERRED in hows:
        ctx.add(
            "placement-inferred",
            f"{head()}; read as {read_as()}, joining numbers a line may have wrapped, the only such "
            "reading, which no rule of the table confirms: its cells are inferred",
            where,
            ids,
        )
    elif resolved and m.Provenance.INFERRED in hows:
        how = (
            "the only such reading that fits the template's arithmetic" if outcome.fitted else "the only one"
        )
        sure = [i.rsplit(".", 1)[1] for i, h in zip(ids, hows, strict=True) if h is not m.Provenance.INFERRED]
        ctx.add(
            "placement-inferred",
            f"{head()}; read as {read_as()} if each printed value stands for a run of equal cells and no "
            f"cell was blank ({how}); a blank cell prints nothing here, so the text settles "
            + (", ".join(sure) if sure else "none of them")
            + " and the other cells are inferred",
            where,
            ids,
        )
    elif resolved:
        how = "the only reading that fits the template's arithmetic" if outcome.fitted else "the only reading"
        ctx.add("placement-solved", f"{head()}; read as {read_as()}, {how}", where, ids)
    else:
        ctx.add(
            "placement-ambiguous",
            f"{head()}; {len(outcome.readings)} readings fit, and they disagree: {options()}; "
            "those cells are left empty",
            where,
            unknown,
        )
    inferred = [
        i for i, c, h in zip(ids, cells, hows, strict=True) if c is not None and h is m.Provenance.INFERRED
    ]
    named = {c for d in ctx.diagnostics[before:] if d.code == "placement-inferred" for c in d.cells}
    inferred = [i for i in inferred if i not in named]
    if inferred:
        # Cells the row's other diagnostics do not say were inferred.
        ctx.add(
            "placement-inferred",
            f"{head()}; " + ", ".join(i.rsplit(".", 1)[1] for i in inferred) + " rest on reading each "
            "printed value as a run of equal cells with no cell blank, which the text cannot confirm",
            where,
            inferred,
        )
    return cells


def _settled(
    printed: Printed, pieces: Sequence[Piece], local: Sequence[Constraint]
) -> tuple[frozenset[int], ...]:
    """:func:`placement.settled` for a row of crawler text, with its own
    rules (B, D) and the cells its table never leaves blank."""
    sums = [
        (tuple(i for _, i in rule.left), rule.right[0][1])
        for rule in local
        if len(rule.right) == 1 and all(rule.right[0][1] > i for _, i in rule.left)
    ]
    fixed = frozenset(i for i, cell_id in enumerate(printed.ids) if not voc.breakdown(cell_id))
    return settled(pieces, len(printed.ids), fixed, sums)


def _one_value(found: frozenset[int], pieces: Sequence[Piece]) -> Piece | None:
    """The printed piece a cell holds in every reading (any one of several
    printing the same value), or None: blank in some reading, or values differ."""
    if not found or -1 in found or len({pieces[k].key for k in found}) != 1:
        return None
    return pieces[min(found)]


def _with_blanks(ctx: Context, printed: Printed, local: Sequence[Constraint]) -> list[Piece | None]:
    """The cells of a row of crawler text that no reading without blank
    cells explains (``4`` / ``9`` for seven cells): those every reading with
    blanks gives one printed value, the others left empty; and what to say."""
    pieces = [Piece.of(t) for t in printed.tokens]
    options = _settled(printed, pieces, local)
    cells = [_one_value(o, pieces) for o in options]
    ids, width = printed.ids, len(printed.ids)
    head = (
        f"{printed.what}: {len(pieces)} cells printed ({' '.join(p.text for p in pieces)}) for {width} "
        "columns; no reading without blank cells fits the template's arithmetic"
    )
    where = ctx.token_span(printed.label)
    filled = [i for i, c in zip(ids, cells, strict=True) if c is not None]
    if not any(options):
        ctx.add("short-row", f"{head}, nor any with blank cells, so the row is left empty", where, ids)
        return [None] * width
    blank = [i for i, o in zip(ids, options, strict=True) if o == {-1}]
    open_ = [i for i, c, o in zip(ids, cells, options, strict=True) if c is None and o != {-1}]
    ctx.add(
        "placement-solved",
        f"{head}; as a blank cell prints nothing here, every reading with blanks gives "
        + ", ".join(
            f"{i.rsplit('.', 1)[1]} {c.text}" for i, c in zip(ids, cells, strict=True) if c is not None
        )
        + (", and leaves " + ", ".join(i.rsplit(".", 1)[1] for i in blank) + " blank" if blank else ""),
        where,
        filled + blank,
    )
    if open_:
        ctx.add(
            "placement-ambiguous",
            f"{head}; with blank cells, its readings disagree on "
            + ", ".join(i.rsplit(".", 1)[1] for i in open_)
            + "; those cells are left empty",
            where,
            open_,
        )
    return cells


def _provenance(
    printed: Printed,
    row: Row,
    outcome: Outcome,
    cells: Sequence[Piece | None],
    collapsed: Sequence[Constraint] | None,
) -> list[m.Provenance | None]:
    """How each placed cell of a row was read (``collapsed``: the row's own
    rules, when it is crawler text whose runs may have collapsed and whose
    blanks print nothing)."""
    width = len(printed.ids)
    if row.how == "exact" and not outcome.used_fallback and not printed.detached:
        # The hot path: one printed token per cell, in order.
        return [None if c is None else m.Provenance.PRINTED for c in cells]
    pieces = [Piece.of(t) for t in printed.tokens]
    whole = {(p.start, p.end) for p in pieces}
    if collapsed is not None:
        # Runs collapsed and blanks dropped: settled only where every reading
        # of both damage models gives the same printed piece.
        options = _settled(printed, pieces, collapsed)

        def sure(found: frozenset[int], piece: Piece) -> bool:
            one = _one_value(found, pieces)
            return (
                one is not None
                and one.key == piece.key
                and any((pieces[k].start, pieces[k].end) == (piece.start, piece.end) for k in found)
            )

        return [
            None if c is None else m.Provenance.SOLVED if sure(found, c) else m.Provenance.INFERRED
            for c, found in zip(cells, options, strict=True)
        ]
    certain = agree(row.fallback if outcome.used_fallback else row.readings, width)
    out: list[m.Provenance | None] = []
    for c, sure_of in zip(cells, certain, strict=True):
        if c is None:
            out.append(None)
        elif row.how == "joined" and not outcome.fitted:
            out.append(m.Provenance.INFERRED)  # which numbers wrapped rests on a preference
        elif (
            not printed.detached
            and not outcome.used_fallback
            and row.how in ("exact", "padded", "extra", "split", "forced")
            and sure_of is not None
            and (c.start, c.end) in whole
        ):
            out.append(m.Provenance.PRINTED)
        else:
            out.append(m.Provenance.SOLVED)
    return out


def _say_cut(
    ctx: Context,
    printed: Printed,
    outcome: Outcome,
    cells: Sequence[Piece | None],
    where: m.Span | None,
    unfitted: Sequence[Piece | None],
) -> None:
    """What to say about a flattened row whose printed groups were cut
    into cells (nothing when there was one way of cutting them)."""
    if len(outcome.readings) == 1 and not outcome.fitted:
        return
    ids, width = printed.ids, len(printed.ids)
    shown = " ".join(ctx.printed(t) for t in printed.tokens)
    head = f"{printed.what}: {shown!r} printed run together for {width} cells"
    unknown = [i for i, c in zip(ids, cells, strict=True) if c is None]
    if not outcome.readings:
        ctx.add(
            "short-row",
            f"{head}; no way of cutting it into the row's cells fits the template's arithmetic, "
            "so the row is left empty",
            where,
            ids,
        )
    elif not unknown:
        cut = " ".join(c.text for c in cells if c is not None)
        ctx.add(
            "placement-solved",
            f"{head}; cut as {cut}, the only cut that fits the template's arithmetic",
            where,
            ids,
        )
    else:
        cuts = [" ".join(p.text for p in reading) for reading in outcome.readings]
        listed = " | ".join(cuts[:6]) + (f" | … ({len(cuts) - 6} more)" if len(cuts) > 6 else "")
        ways = (
            f"{len(cuts)} cuts fit the template's arithmetic"
            if outcome.fitted
            else f"it can be cut {len(cuts)} ways"
        )
        ctx.add(
            "placement-ambiguous",
            f"{head}; {ways} ({listed}), and they disagree on "
            + ", ".join(i.rsplit(".", 1)[1] for i in unknown)
            + "; those cells are left empty",
            where,
            unknown,
        )
        # The cells the fitting cuts agree on, where other cuts did not: read
        # from the arithmetic, which an agency's own error can mislead.
        # A flattened row's cuts are pruned by its own rule (B, D) as they are
        # listed: in a row that has one, every cell they agree on was chosen.
        ruled = printed.name.startswith(("requests.", "review"))
        chosen = [
            i for i, c, u in zip(ids, cells, unfitted, strict=True) if c is not None and (u is None or ruled)
        ]
        if (outcome.fitted or ruled) and chosen:
            ctx.add(
                "placement-solved",
                f"{head}; "
                + ", ".join(i.rsplit(".", 1)[1] for i in chosen)
                + " read from the cuts that fit the template's arithmetic, on which they agree",
                where,
                chosen,
            )


def _cell(
    ctx: Context,
    cell_id: str,
    kind: voc.ValueType,
    piece: Piece | None,
    how: m.Provenance | None,
    unit: str | None = None,
) -> m.Cell:
    if piece is None:
        return m.Cell()
    span = ctx.exact_span(piece.start, piece.end)
    raw = ctx.original[piece.start : piece.end]
    reading = read_value(piece.kind, piece.text, kind)
    if reading.problem is not None:
        ctx.add("bad-value", f"{cell_id}: {reading.problem}", span, (cell_id,))
        return m.Cell(None, raw, span)
    if reading.unit_assumed and unit is not None:
        # A unit in the cell wins over the header's; the header's over the template's.
        reading = in_unit(reading, unit)
        ctx.add(
            "header-unit",
            f"{cell_id}: {raw!r} printed without a unit, read in {unit}, the unit its column header prints",
            span,
            (cell_id,),
        )
    elif reading.unit_assumed and cell_id in _UNITLESS:
        ctx.add("unit-assumed", f"{cell_id}: {raw!r} printed without a unit, read in 万元", span, (cell_id,))
    if isinstance(reading.value, int) and reading.value < 0 and kind is voc.ValueType.COUNT:
        ctx.add("negative-count", f"{cell_id}: count printed as {raw}", span, (cell_id,))
    return m.Cell(reading.value, raw, span, how)


def _local(constraints: Sequence[Constraint]) -> dict[str, tuple[Constraint, ...]]:
    """Row name → the rules on that row alone (B, D)."""
    out: dict[str, list[Constraint]] = {}
    for constraint in constraints:
        if len(constraint.rows) == 1:
            out.setdefault(next(iter(constraint.rows)), []).append(constraint)
    return {name: tuple(rules) for name, rules in out.items()}


@functools.lru_cache(maxsize=256)
def _constraints(
    template: str | None, layout: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[Constraint, ...]:
    """The template's rules over the printed rows ``layout`` (each row's name
    and cell ids), as constraints on (row, column) places; rules naming a
    cell that was not printed are left out. Tables print the same rows
    report after report, so the constraints are built once per layout."""
    where = {cell_id: (name, i) for name, ids in layout for i, cell_id in enumerate(ids)}
    return tuple(
        Constraint(rule.letter, tuple(where[c] for c in rule.left), tuple(where[c] for c in rule.right))
        for rule in (rules(template) if template else ())
        if all(c in where for c in (*rule.left, *rule.right))
    )
