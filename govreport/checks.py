"""Stage 5: the template's arithmetic (cells.md), checked and never "fixed".

The four rules the template states or implies:

A. every request column: 一 + 二 == （七）总计 + 四 (stated in the header);
B. every request row: 总计 == the sum of the six applicant columns;
C. every request column: （七）总计 == the sum of the result rows;
D. every review group: 总计 == 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

:func:`rules` lists them over cell ids; the placement solver reads damaged
tables with the same list. A rule is checked where every cell it involves
has a printed or solved value; a blank cell is not a zero, and an inferred
value (:class:`govreport.Provenance`) is not the report's. A broken rule is a finding about
the report, reported with the rule, the cells and the numbers; the cells
keep the values printed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import attrs

from . import diagnostics as dx
from . import model as m
from .vocabulary import REQUEST_COLUMNS, REVIEW_GROUPS, REVIEW_OUTCOMES, request_rows

__all__ = ["Rule", "rules", "check_arithmetic"]


@attrs.frozen
class Rule:
    """``sum(left) == sum(right)`` over cell ids: one instance of rule A–D.

    For the sum rules (B, C, D) ``right`` is the one 总计 cell.
    """

    letter: str
    code: str
    subject: str
    left: tuple[str, ...]
    right: tuple[str, ...]


_CODES = {
    "A": "column-balance-mismatch",
    "B": "row-total-mismatch",
    "C": "results-sum-mismatch",
    "D": "review-total-mismatch",
}
_OF = {"B": "its applicant columns", "C": "the result rows", "D": "its outcomes"}


@functools.cache
def rules(template: str) -> tuple[Rule, ...]:
    """Every instance of rules A–D in ``template``."""
    out: list[Rule] = []
    rows = request_rows(template)
    parts = [c.key for c in REQUEST_COLUMNS if c.key != "total"]
    for row in rows:
        out.append(
            Rule(
                "B",
                _CODES["B"],
                f"requests.{row.id}",
                tuple(f"requests.{row.id}.{c}" for c in parts),
                (f"requests.{row.id}.total",),
            )
        )
    results = [row.id for row in rows if row.result]
    for column in REQUEST_COLUMNS:
        key = column.key
        out.append(
            Rule(
                "A",
                _CODES["A"],
                f"column {key}",
                (f"requests.new.{key}", f"requests.carried_over.{key}"),
                (f"requests.total.{key}", f"requests.carried_forward.{key}"),
            )
        )
        out.append(
            Rule(
                "C",
                _CODES["C"],
                f"column {key}: （七）",
                tuple(f"requests.{r}.{key}" for r in results),
                (f"requests.total.{key}",),
            )
        )
    outcomes = [o for o, _ in REVIEW_OUTCOMES if o != "total"]
    for group, _ in REVIEW_GROUPS:
        out.append(
            Rule(
                "D",
                _CODES["D"],
                f"review.{group}",
                tuple(f"review.{group}.{o}" for o in outcomes),
                (f"review.{group}.total",),
            )
        )
    return tuple(out)


def _values(cells: Mapping[str, m.Cell], ids: Sequence[str]) -> list[int] | None:
    values = []
    for cell_id in ids:
        cell = cells.get(cell_id)
        if cell is None or not isinstance(cell.value, int) or cell.provenance is m.Provenance.INFERRED:
            return None
        values.append(cell.value)
    return values


def _terms(ids: Sequence[str], values: Sequence[int]) -> str:
    shown = [f"{i.split('.', 1)[1]} {v}" for i, v in zip(ids, values, strict=True) if v]
    return " + ".join(shown) if shown else "0"


def _message(rule: Rule, left: Sequence[int], right: Sequence[int]) -> str:
    if rule.letter == "A":
        return (
            f"{rule.subject}: 一 {left[0]} + 二 {left[1]} = {sum(left)}, "
            f"but （七）总计 {right[0]} + 四 {right[1]} = {sum(right)}"
        )
    return (
        f"{rule.subject}: 总计 {right[0]} ≠ {sum(left)}, "
        f"the sum of {_OF[rule.letter]} ({_terms(rule.left, left)})"
    )


def check_arithmetic(template: str, cells: Mapping[str, m.Cell]) -> list[m.Diagnostic]:
    """Every break of rules A–D among the cells that have values."""
    out = []
    for rule in rules(template):
        left, right = _values(cells, rule.left), _values(cells, rule.right)
        if left is None or right is None or sum(left) == sum(right):
            continue
        cell = cells.get(rule.right[0])
        span = cell.span if cell is not None else None
        out.append(dx.make(rule.code, _message(rule, left, right), span, [*rule.left, *rule.right]))
    return out
