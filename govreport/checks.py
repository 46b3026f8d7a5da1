"""Stage 5: the template's arithmetic (cells.md), checked and never "fixed".

The four rules the template states or implies:

A. every request column: 一 + 二 == （七）总计 + 四 (stated in the header);
B. every request row: 总计 == the sum of the six applicant columns;
C. every request column: （七）总计 == the sum of the result rows;
D. every review group: 总计 == 结果维持 + 结果纠正 + 其他结果 + 尚未审结.

A rule is checked where every cell it involves has a value; a blank cell is
not a zero. A broken rule is a finding about the report, reported with the
rule, the cells and the numbers; the cells keep the values printed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import diagnostics as dx
from . import model as m
from .vocabulary import REQUEST_COLUMNS, REVIEW_GROUPS, REVIEW_OUTCOMES, request_rows

__all__ = ["check_arithmetic", "RULES"]

#: Rule letter → (diagnostic code, statement).
RULES = {
    "A": ("column-balance-mismatch", "一 + 二 = （七）总计 + 四"),
    "B": ("row-total-mismatch", "总计 = the sum of the applicant columns"),
    "C": ("results-sum-mismatch", "（七）总计 = the sum of the result rows"),
    "D": ("review-total-mismatch", "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"),
}


def _values(cells: Mapping[str, m.Cell], ids: Sequence[str]) -> list[int] | None:
    values = []
    for cell_id in ids:
        cell = cells.get(cell_id)
        if cell is None or not isinstance(cell.value, int):
            return None
        values.append(cell.value)
    return values


def _terms(ids: Sequence[str], values: Sequence[int]) -> str:
    shown = [f"{i.split('.', 1)[1]} {v}" for i, v in zip(ids, values, strict=False) if v]
    return " + ".join(shown) if shown else "0"


def _span(cells: Mapping[str, m.Cell], cell_id: str) -> m.Span | None:
    cell = cells.get(cell_id)
    return cell.span if cell is not None else None


def _sum_rule(
    code: str, cells: Mapping[str, m.Cell], parts: Sequence[str], total: str, what: str, of: str
) -> m.Diagnostic | None:
    """``total == sum(parts)``, when every cell has a value."""
    values = _values(cells, [*parts, total])
    if values is None or sum(values[:-1]) == values[-1]:
        return None
    return dx.make(
        code,
        f"{what}: 总计 {values[-1]} ≠ {sum(values[:-1])}, the sum of {of} ({_terms(parts, values[:-1])})",
        _span(cells, total),
        [*parts, total],
    )


def check_arithmetic(template: str, cells: Mapping[str, m.Cell]) -> list[m.Diagnostic]:
    """Every break of rules A–D among the cells that have values."""
    found: list[m.Diagnostic | None] = []
    rows = request_rows(template)
    parts = [c.key for c in REQUEST_COLUMNS if c.key != "total"]
    # B: row totals.
    for row in rows:
        found.append(
            _sum_rule(
                "row-total-mismatch",
                cells,
                [f"requests.{row.id}.{c}" for c in parts],
                f"requests.{row.id}.total",
                f"requests.{row.id}",
                "its applicant columns",
            )
        )
    results = [row.id for row in rows if row.result]
    for column in REQUEST_COLUMNS:
        key = column.key
        # A: the column balance.
        ids = [f"requests.{r}.{key}" for r in ("new", "carried_over", "total", "carried_forward")]
        values = _values(cells, ids)
        if values is not None and values[0] + values[1] != values[2] + values[3]:
            found.append(
                dx.make(
                    "column-balance-mismatch",
                    f"column {key}: 一 {values[0]} + 二 {values[1]} = {values[0] + values[1]}, "
                    f"but （七）总计 {values[2]} + 四 {values[3]} = {values[2] + values[3]}",
                    _span(cells, ids[2]),
                    ids,
                )
            )
        # C: the results sum.
        found.append(
            _sum_rule(
                "results-sum-mismatch",
                cells,
                [f"requests.{r}.{key}" for r in results],
                f"requests.total.{key}",
                f"column {key}: （七）",
                "the result rows",
            )
        )
    # D: review totals.
    outcomes = [o for o, _ in REVIEW_OUTCOMES if o != "total"]
    for group, _ in REVIEW_GROUPS:
        found.append(
            _sum_rule(
                "review-total-mismatch",
                cells,
                [f"review.{group}.{o}" for o in outcomes],
                f"review.{group}.total",
                f"review.{group}",
                "its outcomes",
            )
        )
    return [d for d in found if d is not None]
