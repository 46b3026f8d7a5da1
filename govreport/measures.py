"""Defined measures: the standard ratios researchers compare agencies by.

Each measure is ``sum(numerator cells) / sum(denominator cells)`` over cell
ids of cells.md (:data:`DEFINITIONS`, documented in ``docs/measures.md``).
:func:`measures` computes them from a report's printed and solved values
(inferred ones only with ``inferred=True``): a measure is ``None`` when a
cell it needs has no value (printed blank, not read, inferred) or when its
denominator is below :data:`MINIMUM_DENOMINATOR`.

Values are exact :class:`fractions.Fraction` objects in Python (a ratio of
two counts, compared and summed without rounding; ``float()`` of one is a
float), and ``float`` in the exports, next to the integer numerator and
denominator, so a pooled ratio over many reports (the sum of numerators
over the sum of denominators) stays exact there too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Final

import attrs

from .model import Report, Value
from .vocabulary import REVIEW_GROUPS

__all__ = [
    "MINIMUM_DENOMINATOR",
    "Definition",
    "DEFINITIONS",
    "Measure",
    "Measures",
    "measures",
    "measures_of",
    "measure_names",
    "markdown_table",
]

#: A measure whose denominator is below this is ``None``: a ratio of fewer
#: cases than this says too little about an agency (one reconsideration of
#: one corrected is a "100 %" correction rate). The numerator and the
#: denominator are still given, so pooled ratios can use them. Pass
#: ``minimum=`` to :func:`measures` for another threshold (``minimum=1``:
#: only a zero denominator gives ``None``).
MINIMUM_DENOMINATOR: Final = 5


@attrs.frozen
class Definition:
    """A measure: ``sum(numerator) / sum(denominator)`` over cell ids."""

    name: str
    title: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    #: the formula in the template's words (docs/measures.md)
    formula: str

    @property
    def cells(self) -> tuple[str, ...]:
        """Every cell id the measure reads, each once, numerator first."""
        return tuple(dict.fromkeys((*self.numerator, *self.denominator)))


_DENIED: Final = tuple(
    f"requests.denied.{row}.total"
    for row in (
        "state_secret",
        "prohibited_by_law",
        "security_stability",
        "third_party",
        "internal_affairs",
        "process_info",
        "enforcement_file",
        "inquiry",
    )
)
_UNAVAILABLE: Final = tuple(
    f"requests.unavailable.{row}.total" for row in ("not_held", "needs_creation", "unclear")
)
_DECIDED: Final = ("upheld", "corrected", "other")  # 尚未审结 (pending) is not decided
_SUITS: Final = tuple(group for group, _ in REVIEW_GROUPS if group.startswith("litigation"))

#: Every measure, in the order of the exports' columns.
DEFINITIONS: Final = (
    Definition(
        "share_granted",
        "share granted",
        ("requests.granted.total", "requests.partly_granted.total"),
        ("requests.total.total",),
        "（三）（一）予以公开 + （二）部分公开, over （七）总计 (总计 column)",
    ),
    Definition(
        "share_refused",
        "share refused",
        _DENIED,
        ("requests.total.total",),
        "（三）不予公开, its eight rows 1–8, over （七）总计 (总计 column)",
    ),
    Definition(
        "share_unavailable",
        "share unavailable",
        _UNAVAILABLE,
        ("requests.total.total",),
        "（四）无法提供, its three rows 1–3, over （七）总计 (总计 column)",
    ),
    Definition(
        "reconsideration_correction_rate",
        "reconsideration correction rate",
        ("review.reconsideration.corrected",),
        tuple(f"review.reconsideration.{o}" for o in _DECIDED),
        "行政复议 结果纠正, over the decided reconsiderations: 结果维持 + 结果纠正 + 其他结果 "
        "(尚未审结 left out)",
    ),
    Definition(
        "litigation_loss_rate",
        "litigation loss rate",
        tuple(f"review.{g}.corrected" for g in _SUITS),
        tuple(f"review.{g}.{o}" for g in _SUITS for o in _DECIDED),
        "行政诉讼 结果纠正, over the decided suits: 结果维持 + 结果纠正 + 其他结果, of 未经复议直接起诉 "
        "and 复议后起诉 together (尚未审结 left out)",
    ),
    Definition(
        "dispute_conversion",
        "dispute conversion",
        tuple(f"review.{g}.total" for g, _ in REVIEW_GROUPS),
        ("requests.new.total",),
        "行政复议 总计 + 行政诉讼 总计 (未经复议直接起诉 + 复议后起诉), over 一、本年新收政府信息公开申请数量 "
        "(总计 column)",
    ),
)


def measure_names() -> tuple[str, ...]:
    """The names of the measures, in order."""
    return tuple(d.name for d in DEFINITIONS)


@attrs.frozen
class Measure:
    """One measure of one report.

    ``value`` is the exact ratio, or ``None`` when a cell it needs has no
    value or the denominator is below the minimum; ``numerator`` and
    ``denominator`` are the two sums (``None`` when a cell of that sum has
    no value), given even when ``value`` is ``None`` for a small denominator.
    """

    definition: Definition = attrs.field(repr=False)
    value: Fraction | None
    numerator: int | None
    denominator: int | None

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def cells(self) -> tuple[str, ...]:
        return self.definition.cells

    def to_float(self) -> float | None:
        """``value`` as a float (``None`` stays ``None``)."""
        return None if self.value is None else float(self.value)


@attrs.frozen
class Measures:
    """The measures of one report (:data:`DEFINITIONS`), one attribute each."""

    share_granted: Measure
    share_refused: Measure
    share_unavailable: Measure
    reconsideration_correction_rate: Measure
    litigation_loss_rate: Measure
    dispute_conversion: Measure

    def __iter__(self) -> Iterator[Measure]:
        return (getattr(self, name) for name in measure_names())

    def values(self) -> dict[str, Fraction | None]:
        """Name → exact value (``None`` where a measure has none)."""
        return {m.name: m.value for m in self}


def _sum(values: Mapping[str, Value], ids: tuple[str, ...]) -> int | None:
    total = 0
    for cell_id in ids:
        value = values.get(cell_id)
        if not isinstance(value, int):
            return None
        total += value
    return total


def measures_of(values: Mapping[str, Value], *, minimum: int = MINIMUM_DENOMINATOR) -> Measures:
    """The measures of a report whose values by cell id are ``values`` (as
    :meth:`Report.cells` gives them: a missing id or ``None`` is unknown)."""
    found = {}
    for definition in DEFINITIONS:
        numerator = _sum(values, definition.numerator)
        denominator = _sum(values, definition.denominator)
        value = None
        if numerator is not None and denominator is not None and denominator >= max(minimum, 1):
            value = Fraction(numerator, denominator)
        found[definition.name] = Measure(definition, value, numerator, denominator)
    return Measures(**found)


def measures(report: Report, *, inferred: bool = False, minimum: int = MINIMUM_DENOMINATOR) -> Measures:
    """The defined measures of ``report`` (docs/measures.md).

    From printed and solved values only, unless ``inferred=True``. A measure
    is ``None`` when a cell it needs has no value or its denominator is below
    ``minimum`` (:data:`MINIMUM_DENOMINATOR`; at least 1, so never a
    division by zero).

        >>> m = govreport.measures(report)              # doctest: +SKIP
        >>> m.share_granted.value, float(m.share_granted.value)   # doctest: +SKIP
        (Fraction(3, 4), 0.75)
    """
    if not isinstance(report, Report):
        raise TypeError(f"measures() takes a Report, not {type(report).__name__}")
    return measures_of(report.cells(inferred=inferred), minimum=minimum)


def markdown_table() -> str:
    """The table of docs/measures.md (a test checks the doc against it):
    ``python -c "from govreport.measures import markdown_table as t; print(t())"``."""
    lines = [
        "| measure | formula | numerator cells | denominator cells | minimum denominator |",
        "|---|---|---|---|---|",
    ]
    for d in DEFINITIONS:
        ids = [" + ".join(f"`{i}`" for i in cells) for cells in (d.numerator, d.denominator)]
        lines.append(f"| `{d.name}` | {d.formula} | {ids[0]} | {ids[1]} | {MINIMUM_DENOMINATOR} |")
    return "\n".join(lines) + "\n"
