"""Every diagnostic code govreport emits, with its severity and category.

Codes are stable: tools match on them. ``docs/diagnostics.md`` documents each
one with an example (a test checks that every code here is documented).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from .model import Category, Diagnostic, Severity, Span

__all__ = ["Code", "CODES", "make", "sort_key"]

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
REPORT, READING = Category.REPORT, Category.READING


@attrs.frozen
class Code:
    code: str
    severity: Severity
    category: Category
    summary: str


CODES: Final = {
    c.code: c
    for c in (
        # -- the template's arithmetic (cells.md): findings about the report ----
        Code(
            "row-total-mismatch",
            E,
            REPORT,
            "a request row's 总计 is not the sum of its six applicant cells (rule B)",
        ),
        Code("column-balance-mismatch", E, REPORT, "一 + 二 ≠ （七）总计 + 四 in a request column (rule A)"),
        Code(
            "results-sum-mismatch",
            E,
            REPORT,
            "（七）总计 is not the sum of the result rows of its column (rule C)",
        ),
        Code(
            "review-total-mismatch",
            E,
            REPORT,
            "a review group's 总计 is not the sum of its four outcomes (rule D)",
        ),
        Code("negative-count", W, REPORT, "a count cell prints a negative number"),
        # -- the narrative against the tables (govreport.narrative) ------------
        Code(
            "narrative-mismatch",
            W,
            REPORT,
            "a count the narrative states differs from the table's cells for it",
        ),
        # -- across reports (govreport.batch.check_corpus) ----------------------
        Code(
            "carried-over-mismatch",
            W,
            REPORT,
            "二、上年结转 differs from 四、结转下年度继续办理 in the agency's report for the year before",
        ),
        # -- quality findings (govreport.quality; the stock rule: batch) -------
        Code(
            "stock-mismatch",
            W,
            REPORT,
            "现行有效 of 规章 or 行政规范性文件 is not last year's 现行有效 + 本年制发 − 本年废止",
        ),
        Code("problems-empty", W, REPORT, "section 五 (problems and improvements) is empty or says only 无"),
        Code(
            "fees-contradiction",
            W,
            REPORT,
            "section 二 prints fees charged (收费金额 > 0) while section 六 says no 行政事业性收费 was charged",
        ),
        Code("table-mostly-blank", W, REPORT, "more than half of the cells a table prints are blank or '/'"),
        Code("table-not-printed", W, REPORT, "a table section's heading is printed without its table"),
        Code(
            "repeated-narrative",
            I,
            REPORT,
            "a narrative section repeats the agency's report for the year before",
        ),
        # -- labels and structure as printed ----------------------------------
        Code("label-variant", I, REPORT, "a label is printed differently from the template"),
        Code("heading-variant", I, REPORT, "a section heading is worded differently from the template"),
        Code("missing-section", W, REPORT, "a narrative section's heading was not found"),
        Code("missing-heading", I, REPORT, "a table was found but not the heading of its section"),
        Code("template-mixed", W, REPORT, "the tables carry marks of both templates"),
        Code(
            "year-before-template",
            W,
            REPORT,
            "the reporting year comes before the template the tables follow",
        ),
        # -- reading: cells --------------------------------------------------
        Code(
            "short-row",
            E,
            READING,
            "a row prints fewer cells than the template has; its cells are left empty",
        ),
        Code(
            "long-row",
            E,
            READING,
            "a row prints more values than the template has cells, and where the extra ones are cannot be told",
        ),
        Code(
            "extra-values",
            W,
            READING,
            "a row prints more values than the template has cells, but every reading gives the same cells",
        ),
        Code("padding-dropped", W, READING, "blank cells were dropped so that a row fits the template"),
        Code(
            "placement-solved",
            I,
            READING,
            "a damaged row's cells were placed by the only reading of its printed values that fits",
        ),
        Code(
            "placement-inferred",
            I,
            READING,
            "a damaged row was read on an assumption the text cannot confirm; its inferred cells are "
            "left out of Report.cells() unless asked for",
        ),
        Code(
            "placement-ambiguous",
            E,
            READING,
            "several readings of a damaged row fit; the cells they disagree on are left empty",
        ),
        Code("search-limit", E, READING, "a row has too many readings to try; it is left empty"),
        Code("bad-value", E, READING, "a cell prints something that is not a value of its type"),
        Code(
            "foreign-columns",
            E,
            READING,
            "a 第二十条 block prints the other template's columns; its cells are left empty",
        ),
        Code("unit-assumed", I, READING, "an amount printed without a unit was read in 万元"),
        Code(
            "own-header",
            W,
            READING,
            "a 第二十条 block prints its own column header: the template's columns it lacks are left empty",
        ),
        Code(
            "header-unit",
            I,
            READING,
            "an amount printed without a unit was read in the unit its column header prints",
        ),
        Code("stray-values", W, READING, "values printed after a header word or group label were not read"),
        # -- reading: structure ---------------------------------------------
        Code("missing-row", E, READING, "a row of the template was not found; its cells are left empty"),
        Code("missing-table", E, READING, "a table of the template was not found; its cells are left empty"),
        Code("duplicate-row", W, READING, "a row is printed twice; the first one is read"),
        Code(
            "detached-row",
            W,
            READING,
            "rows of numbers printed apart from their labels, placed by the order of the rows or not read",
        ),
        Code(
            "unrecognised-text",
            I,
            READING,
            "text in a table that is not one of the template's labels, kept as an extra line",
        ),
        Code("unexpected-input", E, READING, "text the parser could not fit anywhere was skipped"),
        Code(
            "template-guessed", W, READING, "the tables do not show the template; it was taken from the year"
        ),
        Code("agency-missing", W, READING, "the publishing agency was not found"),
        Code("year-missing", W, READING, "the reporting year was not found"),
        # -- reading: the file -------------------------------------------------
        Code(
            "undecodable-bytes",
            W,
            READING,
            "bytes of the file that its encoding cannot decode were replaced (encoding_errors)",
        ),
    )
}


def make(code: str, message: str, span: Span | None = None, cells: Iterable[str] = ()) -> Diagnostic:
    """A :class:`Diagnostic` of a registered ``code``."""
    entry = CODES[code]
    return Diagnostic(code, entry.severity, entry.category, message, span, tuple(cells))


def sort_key(diagnostic: Diagnostic) -> tuple[int, int, str]:
    """Diagnostics sort by position; those without a position come last."""
    if diagnostic.span is None:
        return (1, 0, diagnostic.code)
    return (0, diagnostic.span.start, diagnostic.code)
