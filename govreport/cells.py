"""Reading one printed cell: text → the typed value of its column.

``0`` → ``0``, ``+89`` → ``89``, ``251000元`` → ``Decimal("25.1")``,
blank/``/``/``—``/``无`` → ``None``; or why the text is not a value of the
column's type. Which printed cells are a row's cells is decided in
:mod:`govreport.placement`.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Final, NamedTuple

from .vocabulary import ValueType

__all__ = ["Reading", "read_value", "header_unit", "in_unit"]

_NUMBER: Final = re.compile(
    r"(?P<sign>[+-]|增|减)?\s*(?P<number>\d+(?:,\d{3})*(?:\s*\.\s*\d+)?)\s*(?P<unit>\S*)"
)
_YUAN: Final = frozenset({"元", "(元)"})
_WAN: Final = frozenset({"万元", "(万元)", "万"})
_COUNT_UNITS: Final = frozenset({"件", "个", "条", "批", "项", "次"})
_TEN_THOUSAND: Final = Decimal(10000)


class Reading(NamedTuple):
    """The value of one printed cell, or why it has none."""

    value: int | Decimal | None
    problem: str | None = None  # set when the printed text is not a value of the type
    unit_assumed: bool = False


#: A unit printed in a column header: 采购总金额（单位：元）, 采购总金额（元）.
_HEADER_UNIT: Final = re.compile(r"[（(](?:单位[:：])?(万元|元)[)）]")


def header_unit(header: str) -> str | None:
    """The money unit a column header prints (``元`` or ``万元``), if any."""
    found = _HEADER_UNIT.findall("".join(header.split()))
    return found[-1] if found else None


def in_unit(reading: Reading, unit: str) -> Reading:
    """A bare amount (printed without a unit) read in ``unit``, the unit its
    column header prints; an amount that printed its own unit is unchanged."""
    if not reading.unit_assumed or not isinstance(reading.value, Decimal):
        return reading
    if unit == "元":
        return Reading(_tidy(reading.value / _TEN_THOUSAND))
    return Reading(reading.value)


def _tidy(amount: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation."""
    tidy = amount.normalize()
    if tidy.as_tuple().exponent > 0:  # type: ignore[operator]
        tidy = tidy.quantize(Decimal(1))
    return tidy


@functools.lru_cache(maxsize=4096)
def read_value(token_type: str, text: str, kind: ValueType) -> Reading:
    """The value of a printed cell (a VALUE, NULL or BLANK token's text) in a
    column of type ``kind``. Cached: tables print the same few numbers over
    and over, and a reading is immutable."""
    if token_type != "VALUE":
        return Reading(None)
    text = text.strip()
    if text.isascii() and text.isdigit():  # the common case: a plain count
        value = int(text)
        if kind is ValueType.MONEY:
            return Reading(Decimal(value), unit_assumed=value != 0)
        return Reading(value)
    match = _NUMBER.fullmatch(text)
    if match is None:  # pragma: no cover - the VALUE terminal guarantees the shape
        return Reading(None, f"{text!r} is not a number")
    sign = {"增": "+", "减": "-"}.get(match["sign"] or "", match["sign"] or "")
    number = re.sub(r"[,\s]", "", match["number"])
    unit = match["unit"]
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
        return Reading(None, f"{text!r} is not an amount in 元 or 万元")
    if "." in number:
        return Reading(None, f"{text!r} is not a whole number")
    if unit and unit not in _COUNT_UNITS:
        return Reading(None, f"{text!r} is not a count")
    value = int(number)
    return Reading(-value if sign == "-" else value)
