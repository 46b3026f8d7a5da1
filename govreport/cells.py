"""Reading cells: printed text → typed value, and a row's cells → the template's columns.

Two jobs, both exact:

- :func:`read_value` turns one printed cell into its value for the column's
  type (``0`` → ``0``, ``+89`` → ``89``, ``251000元`` → ``Decimal("25.1")``,
  blank/``/``/``—``/``无`` → ``None``), or says why it cannot.
- :func:`fit` decides which printed cells of a row are the template's cells.
  A row that prints exactly as many cells as the template has is taken as it
  is. One that prints more drops blank padding cells when that leaves exactly
  the right count; if more values than cells remain, every way of leaving some
  out is tried and only the cells on which all of them agree are kept. A row
  that prints fewer cells is never shifted: its cells stay empty (the
  placement solver of a later stage may fill them from the arithmetic).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Final

import attrs
from lark import Token

from .vocabulary import ValueType

__all__ = ["Reading", "read_value", "fit", "Fit", "cell_key"]

#: How many ways of leaving cells out :func:`fit` tries before giving up.
MAX_READINGS: Final = 5000

_NUMBER: Final = re.compile(r"(?P<sign>[+-]?)\s*(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>\S*)")
_YUAN: Final = frozenset({"元", "(元)"})
_WAN: Final = frozenset({"万元", "(万元)", "万"})
_COUNT_UNITS: Final = frozenset({"件", "个", "条", "批", "项", "次"})
_TEN_THOUSAND: Final = Decimal(10000)


@attrs.frozen
class Reading:
    """The value of one printed cell, or why it has none."""

    value: int | Decimal | None
    problem: str | None = None  # set when the printed text is not a value of the type
    unit_assumed: bool = False


def _tidy(amount: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation."""
    tidy = amount.normalize()
    if tidy.as_tuple().exponent > 0:  # type: ignore[operator]
        tidy = tidy.quantize(Decimal(1))
    return tidy


def read_value(token: Token, kind: ValueType) -> Reading:
    """The value of a VALUE/NULL/BLANK token in a column of type ``kind``."""
    if token.type != "VALUE":
        return Reading(None)
    match = _NUMBER.fullmatch(token.value.strip())
    if match is None:  # pragma: no cover - the VALUE terminal guarantees the shape
        return Reading(None, f"{token.value.strip()!r} is not a number")
    sign, number, unit = match["sign"], match["number"].replace(",", ""), match["unit"]
    unit = re.sub(r"\s+", "", unit)
    if kind is ValueType.MONEY:
        try:
            amount = Decimal(number)
        except InvalidOperation:  # pragma: no cover
            return Reading(None, f"{number!r} is not an amount")
        if sign == "-":
            amount = -amount
        if unit in _YUAN:
            return Reading(_tidy(amount / _TEN_THOUSAND))
        if unit in _WAN or unit == "":
            return Reading(amount, unit_assumed=unit == "" and amount != 0)
        return Reading(None, f"{token.value.strip()!r} is not an amount in 元 or 万元")
    if "." in number:
        return Reading(None, f"{token.value.strip()!r} is not a whole number")
    if unit and unit not in _COUNT_UNITS:
        return Reading(None, f"{token.value.strip()!r} is not a count")
    value = int(number)
    return Reading(-value if sign == "-" else value)


def cell_key(token: Token | None) -> str | None:
    """What two readings compare: the printed number, or None for no value."""
    if token is None or token.type != "VALUE":
        return None
    return re.sub(r"\s+", "", token.value)


@attrs.frozen
class Fit:
    """The outcome of :func:`fit`.

    ``cells`` has one entry per column: the token read there, or ``None``
    when the column is left empty. ``status``: ``exact``, ``padded`` (blank
    cells dropped: ``dropped`` lists them; ``structural`` tells whether all
    were merged label cells or trailing cells of a narrower block, which the
    layout explains), ``extra`` (more values than cells; all readings agree
    on the non-None ``cells``), ``short`` (fewer cells) or ``unplaced``
    (more values, readings disagree or too many to try).
    """

    cells: tuple[Token | None, ...]
    status: str
    dropped: tuple[Token, ...] = ()
    structural: bool = False
    candidates: int = 1


def _agree(readings: Sequence[Sequence[Token]], width: int) -> tuple[Token | None, ...]:
    """Per column, the token of the last reading if all readings print the same there."""
    out: list[Token | None] = []
    last = readings[-1]
    for column in range(width):
        keys = {cell_key(reading[column]) for reading in readings}
        if len(keys) == 1:
            out.append(last[column])
        else:
            out.append(None)
    return tuple(out)


def _without(tokens: Sequence[Token], drop: Sequence[int]) -> list[Token]:
    skip = set(drop)
    return [t for i, t in enumerate(tokens) if i not in skip]


def fit(tokens: Sequence[Token], width: int, structural: frozenset[int] = frozenset()) -> Fit:
    """Place a row's printed cells (VALUE/NULL/BLANK tokens) in ``width`` columns.

    ``structural`` holds the indices of blank cells the layout explains
    (merged label cells, trailing cells of a narrower block); they are
    dropped first and silently.
    """
    count = len(tokens)
    if count == width:
        return Fit(tuple(tokens), "exact")
    if count < width:
        return Fit((None,) * width, "short")
    extra = count - width
    blanks = [i for i, t in enumerate(tokens) if t.type == "BLANK"]
    if len(blanks) >= extra:
        quiet = sorted(structural.intersection(blanks))
        pool = quiet if len(quiet) >= extra else blanks
        combos = list(itertools.islice(itertools.combinations(pool, extra), MAX_READINGS + 1))
        if len(combos) > MAX_READINGS:
            return Fit((None,) * width, "unplaced", candidates=len(combos))
        readings = [_without(tokens, combo) for combo in combos]
        cells = _agree(readings, width)
        dropped = tuple(tokens[i] for i in combos[-1])
        status = "padded" if None not in cells else "unplaced"
        return Fit(cells, status, dropped, pool is quiet, len(combos))
    values = _without(tokens, blanks)
    extra = len(values) - width
    combos = list(itertools.islice(itertools.combinations(range(len(values)), extra), MAX_READINGS + 1))
    if len(combos) > MAX_READINGS:
        return Fit((None,) * width, "unplaced", candidates=len(combos))
    readings = [_without(values, combo) for combo in combos]
    cells = _agree(readings, width)
    status = "extra" if None not in cells else "unplaced"
    return Fit(cells, status, tuple(tokens[i] for i in blanks), False, len(combos))
