"""The report model: frozen, typed attrs classes.

A :class:`Report` holds the report's metadata, its narrative sections and its
three tables as nested attrs objects whose attribute paths are the cell ids of
the public data contract (``shared/spec/cells.md``)::

    report.requests.denied.third_party.natural_person   # a Cell
    report.cells()["requests.denied.third_party.natural_person"]  # its value

Every :class:`Cell` keeps its value, the text the report printed (``raw``)
and where it was printed (``span``). Provenance (``raw``, ``span``, printed
labels) and diagnostics take no part in equality, so a report parsed again
from another rendering of the same data compares equal.

Positions (:class:`Span`): ``start``/``end`` are 0-based offsets in code
points into the text given to :func:`govreport.parse` (``end`` exclusive);
``line``/``column`` and ``end_line``/``end_column`` are 1-based, columns
counted in code points (``end_column`` is exclusive). Normalization never
changes the length of the text, so offsets into the normalized text are
offsets into the original.

Serialization lives in :mod:`govreport.serialize`; the methods here are thin
wrappers around it.
"""

from __future__ import annotations

import enum
import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "Span",
    "Provenance",
    "Cell",
    "Value",
    "Severity",
    "Category",
    "Diagnostic",
    "Statement",
    "Subsection",
    "Section",
    "ExtraLine",
    "Active2021",
    "Active2019",
    "RequestRow",
    "Requests",
    "ReviewGroup",
    "Review",
    "Report",
]

#: A cell's value: a count, a signed change, an amount in 万元, or nothing.
Value = int | Decimal | None


@attrs.frozen
class Span:
    """Where something was printed (see the module docstring for the bases)."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def __reduce__(self) -> tuple[type[Span], tuple[int, ...]]:
        # Pickled as its fields: half the size and time of attrs' state dict,
        # and parse_many's workers send hundreds of spans per report.
        return Span, (self.start, self.end, self.line, self.column, self.end_line, self.end_column)


def _span() -> Any:
    return attrs.field(default=None, eq=False, repr=False)


class Provenance(str, enum.Enum):
    """How a cell's value was read from the printed text.

    ``PRINTED``: one printed token, certainly this cell's (a printed blank
    too). ``SOLVED``: the only reading of the printed tokens that fits the
    template's rules and the layout's damage models (a digit run cut into
    cells, a number wrapped over two lines joined, a row of crawler text
    whose collapsed runs every reading expands alike). ``INFERRED``: rests
    on an assumption the text cannot confirm, such as a printed value
    stretched over a run of cells that could have been blank
    (docs/placement.md, "Collapsed runs and dropped blanks").
    """

    PRINTED = "printed"
    SOLVED = "solved"
    INFERRED = "inferred"

    def __repr__(self) -> str:
        return f"Provenance.{self.name}"


@attrs.frozen
class Cell:
    """One table cell: the value read, the text printed, where, and how.

    ``value`` is ``None`` when the report printed no value there (blank,
    ``/``, ``—``, ``无``) or when govreport could not place what was printed
    (a diagnostic then names the cell). ``raw`` is the printed text
    (``""`` for a blank cell, ``None`` when nothing was read for the cell).
    ``provenance`` says how the value was read (:class:`Provenance`;
    ``None`` when nothing was read); an ``INFERRED`` value is left out of
    :meth:`Report.cells` unless asked for.
    """

    value: Value = None
    raw: str | None = attrs.field(default=None, eq=False)
    span: Span | None = _span()
    provenance: Provenance | None = attrs.field(default=None, eq=False)

    @property
    def inferred(self) -> bool:
        """Whether the value was inferred (:attr:`Provenance.INFERRED`): it
        rests on an assumption the text cannot confirm."""
        return self.provenance is Provenance.INFERRED

    def __reduce__(
        self,
    ) -> tuple[type[Cell], tuple[Value, str | None, Span | None, Provenance | None]]:
        return Cell, (self.value, self.raw, self.span, self.provenance)  # as Span.__reduce__


def _cell() -> Any:
    return attrs.field(factory=Cell)


class Severity(str, enum.Enum):
    """How much a diagnostic matters, ordered like :mod:`logging`'s levels:
    ``INFO < WARNING < ERROR``, so ``d.severity >= Severity.WARNING`` keeps
    warnings and errors (``max()`` and ``sorted()`` follow the same order).

    A severity is also its name as a string (``Severity.ERROR == "error"``,
    which is how JSON and the exports write it); a string compared with one
    is read as a severity (``Severity.ERROR > "warning"``; a string that is
    not one raises ``ValueError``). :attr:`level` is the matching
    :mod:`logging` level. Iterating over the class gives the members as
    declared, the most severe first."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def level(self) -> int:
        """The :mod:`logging` level of the same name (``logging.ERROR``, …)."""
        return _LEVELS[self.value]

    # A string is read as a severity (a Severity is one too): not str's own
    # order, in which "error" < "info" < "warning".
    def __lt__(self, other: object) -> bool:
        return self.level < Severity(other).level if isinstance(other, str) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.level <= Severity(other).level if isinstance(other, str) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.level > Severity(other).level if isinstance(other, str) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.level >= Severity(other).level if isinstance(other, str) else NotImplemented


#: :attr:`Severity.level`, by name.
_LEVELS: Final = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


class Category(str, enum.Enum):
    """Whom a diagnostic is about.

    ``REPORT``: the report as printed (its arithmetic, a reworded label, a
    missing section): a finding about the report, kept exactly as printed.
    ``READING``: what govreport could not read with certainty (a row with
    too few cells, text it did not recognise, an assumption it made).
    """

    REPORT = "report"
    READING = "reading"


@attrs.frozen
class Diagnostic:
    """A finding about the report or about reading it.

    ``code`` is stable (kebab-case; ``docs/diagnostics.md`` lists them all),
    ``cells`` names the cell ids involved. A finding that compares two places
    of the report (``narrative-mismatch``: a count the narrative states and
    the table's cells) has the first place's ``span``, the others' in
    ``related`` (the spans of ``cells``, in order), and the numbers compared
    in ``values`` (the narrative's, then the table's); both are empty for
    every other finding.
    """

    code: str
    severity: Severity
    category: Category
    message: str
    span: Span | None = attrs.field(default=None, eq=False)
    cells: tuple[str, ...] = ()
    related: tuple[Span, ...] = attrs.field(default=(), eq=False)
    values: tuple[Value, ...] = ()

    def __str__(self) -> str:
        where = f"{self.span.line}:{self.span.column}: " if self.span else ""
        return f"{where}{self.severity.value} {self.code}: {self.message}"


# ---------------------------------------------------------------------------
# Narrative
# ---------------------------------------------------------------------------


@attrs.frozen
class Statement:
    """A count the narrative states, compared with the table
    (:mod:`govreport.narrative`, docs/narrative.md).

    ``cells`` are the cell ids whose sum the count was compared with (the
    reading that matched, when the wording allows two), ``value`` the count
    as stated, ``table`` the sum of the cells' printed or solved values,
    ``matched`` whether they agree (a statement that does not is also a
    ``narrative-mismatch`` diagnostic); ``text`` is the statement as
    printed, ``span`` where its number is.
    """

    cells: tuple[str, ...]
    value: int
    table: int
    matched: bool
    text: str = ""
    span: Span | None = _span()


@attrs.frozen
class Subsection:
    """A （一）…（五） sub-heading and the text under it."""

    heading: str
    text: str
    span: Span | None = _span()


@attrs.frozen
class Section:
    """A narrative section: its heading as printed, its text, its sub-sections.

    ``text`` is the text before the first sub-heading; lines are joined with
    ``"\\n"`` as printed.
    """

    heading: str
    text: str = ""
    subsections: tuple[Subsection, ...] = ()
    span: Span | None = _span()

    @property
    def full_text(self) -> str:
        """The whole section as text, sub-headings included."""
        parts = [self.text] if self.text else []
        for sub in self.subsections:
            parts.append(sub.heading)
            if sub.text:
                parts.append(sub.text)
        return "\n".join(parts)


@attrs.frozen
class ExtraLine:
    """Text printed in a table section that is not part of the template
    (a local extra line, a sentence before the table, a footnote), with the
    numbers printed after it."""

    text: str
    span: Span | None = _span()


# ---------------------------------------------------------------------------
# 二、主动公开政府信息情况
# ---------------------------------------------------------------------------


def _extra() -> Any:
    return attrs.field(factory=tuple, eq=False)


def _text() -> Any:
    return attrs.field(default="", eq=False)


@attrs.frozen
class DocumentCounts2021:
    issued: Cell = _cell()
    repealed: Cell = _cell()
    in_force: Cell = _cell()


@attrs.frozen
class Decisions2021:
    decisions: Cell = _cell()


@attrs.frozen
class Fees2021:
    amount: Cell = _cell()


@attrs.frozen
class Active2021:
    """Section 二 in the 2021 template."""

    regulations: DocumentCounts2021 = attrs.field(factory=DocumentCounts2021)
    normative_documents: DocumentCounts2021 = attrs.field(factory=DocumentCounts2021)
    licensing: Decisions2021 = attrs.field(factory=Decisions2021)
    penalty: Decisions2021 = attrs.field(factory=Decisions2021)
    enforcement: Decisions2021 = attrs.field(factory=Decisions2021)
    fees: Fees2021 = attrs.field(factory=Fees2021)
    text: str = _text()
    extra: tuple[ExtraLine, ...] = _extra()


@attrs.frozen
class DocumentCounts2019:
    made: Cell = _cell()
    published: Cell = _cell()
    total: Cell = _cell()


@attrs.frozen
class Items2019:
    previous: Cell = _cell()
    change: Cell = _cell()
    decisions: Cell = _cell()


@attrs.frozen
class Fees2019:
    previous: Cell = _cell()
    change: Cell = _cell()


@attrs.frozen
class Procurement2019:
    items: Cell = _cell()
    amount: Cell = _cell()


@attrs.frozen
class Active2019:
    """Section 二 in the 2019 template."""

    regulations: DocumentCounts2019 = attrs.field(factory=DocumentCounts2019)
    normative_documents: DocumentCounts2019 = attrs.field(factory=DocumentCounts2019)
    licensing: Items2019 = attrs.field(factory=Items2019)
    other_services: Items2019 = attrs.field(factory=Items2019)
    penalty: Items2019 = attrs.field(factory=Items2019)
    enforcement: Items2019 = attrs.field(factory=Items2019)
    fees: Fees2019 = attrs.field(factory=Fees2019)
    procurement: Procurement2019 = attrs.field(factory=Procurement2019)
    text: str = _text()
    extra: tuple[ExtraLine, ...] = _extra()


# ---------------------------------------------------------------------------
# 三、收到和处理政府信息公开申请情况
# ---------------------------------------------------------------------------


@attrs.frozen
class RequestRow:
    """A row of the request matrix: one cell per applicant column."""

    natural_person: Cell = _cell()
    commercial: Cell = _cell()
    research: Cell = _cell()
    social_welfare: Cell = _cell()
    legal_services: Cell = _cell()
    other_org: Cell = _cell()
    total: Cell = _cell()
    #: The row label as printed (``None`` if the row was not found).
    label: str | None = attrs.field(default=None, eq=False)
    span: Span | None = _span()


def _row() -> Any:
    return attrs.field(factory=RequestRow)


@attrs.frozen
class Denied:
    """（三）不予公开"""

    state_secret: RequestRow = _row()
    prohibited_by_law: RequestRow = _row()
    security_stability: RequestRow = _row()
    third_party: RequestRow = _row()
    internal_affairs: RequestRow = _row()
    process_info: RequestRow = _row()
    enforcement_file: RequestRow = _row()
    inquiry: RequestRow = _row()


@attrs.frozen
class Unavailable:
    """（四）无法提供"""

    not_held: RequestRow = _row()
    needs_creation: RequestRow = _row()
    unclear: RequestRow = _row()


@attrs.frozen
class NotProcessed:
    """（五）不予处理"""

    complaint: RequestRow = _row()
    repeated: RequestRow = _row()
    publication: RequestRow = _row()
    excessive: RequestRow = _row()
    confirmation: RequestRow = _row()


@attrs.frozen
class OtherOutcomes:
    """（六）其他处理 in the 2021 template (one row in 2019)."""

    overdue_correction: RequestRow = _row()
    unpaid_fee: RequestRow = _row()
    other: RequestRow = _row()


@attrs.frozen
class Requests:
    """The request matrix. ``other`` is a :class:`RequestRow` in the 2019
    template and :class:`OtherOutcomes` in the 2021 template."""

    new: RequestRow = _row()
    carried_over: RequestRow = _row()
    granted: RequestRow = _row()
    partly_granted: RequestRow = _row()
    denied: Denied = attrs.field(factory=Denied)
    unavailable: Unavailable = attrs.field(factory=Unavailable)
    not_processed: NotProcessed = attrs.field(factory=NotProcessed)
    other: RequestRow | OtherOutcomes = attrs.field(factory=OtherOutcomes)
    total: RequestRow = _row()
    carried_forward: RequestRow = _row()
    text: str = _text()
    extra: tuple[ExtraLine, ...] = _extra()


# ---------------------------------------------------------------------------
# 四、政府信息公开行政复议、行政诉讼情况
# ---------------------------------------------------------------------------


@attrs.frozen
class ReviewGroup:
    upheld: Cell = _cell()
    corrected: Cell = _cell()
    other: Cell = _cell()
    pending: Cell = _cell()
    total: Cell = _cell()


def _group() -> Any:
    return attrs.field(factory=ReviewGroup)


@attrs.frozen
class Review:
    """行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉."""

    reconsideration: ReviewGroup = _group()
    litigation_direct: ReviewGroup = _group()
    litigation_after_reconsideration: ReviewGroup = _group()
    text: str = _text()
    extra: tuple[ExtraLine, ...] = _extra()


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


@attrs.frozen(repr=False)
class Report:
    """A parsed 政府信息公开工作年度报告.

    ``template`` is ``"2019"`` (国办公开办函〔2019〕60号, the 2019 and 2020
    reports) or ``"2021"`` (〔2021〕30号), read from the tables; ``None``
    only when the report has no table to read it from, and then ``active``,
    ``requests`` and ``review`` are ``None`` too.
    """

    agency: str | None = None
    year: int | None = None
    template: str | None = None
    title: str | None = None
    preamble: str = ""
    overview: Section | None = None
    active: Active2019 | Active2021 | None = None
    requests: Requests | None = None
    review: Review | None = None
    problems: Section | None = None
    other_matters: Section | None = None
    metadata: tuple[tuple[str, str], ...] = attrs.field(default=(), eq=False)
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False)
    #: The counts the narrative states that were compared with the tables.
    narrative: tuple[Statement, ...] = attrs.field(default=(), eq=False)

    # -- the flat form (cells.md) -------------------------------------------

    def cells(self, *, inferred: bool = False) -> dict[str, Value]:
        """Every cell id of the report's template → its value, in cells.md order.

        Printed and solved values only: a cell whose value was inferred
        (:class:`Provenance`) is ``None`` here unless ``inferred=True``."""
        from .serialize import cell_values

        return cell_values(self, inferred=inferred)

    def cell(self, cell_id: str) -> Cell:
        """The :class:`Cell` with id ``cell_id`` (``KeyError`` if the template has none)."""
        from .serialize import get_cell

        return get_cell(self, cell_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` reads it back losslessly."""
        from .serialize import report_to_dict

        return report_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """The report that :meth:`to_dict` (or the JSON of :meth:`to_json`,
        loaded) describes."""
        from .serialize import report_from_dict

        return report_from_dict(data)

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (Chinese as it is, not escaped);
        ``kwargs`` go to :func:`json.dumps` (``indent=2``)."""
        from .serialize import report_to_json

        return report_to_json(self, **kwargs)

    # -- display ----------------------------------------------------------------

    def __repr__(self) -> str:
        """One line: who, when, which template, how many values and diagnostics
        (the whole object is in :meth:`to_dict`)."""
        values = self.cells()
        filled = sum(1 for value in values.values() if value is not None)
        inferred = sum(1 for value in self.cells(inferred=True).values() if value is not None) - filled
        counts = {severity: 0 for severity in Severity}
        for d in self.diagnostics:
            counts[d.severity] += 1
        told = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        return (
            f"<Report {self.agency or 'agency unknown'} {self.year or 'year unknown'}, "
            f"template {self.template or 'unknown'}: {filled} of {len(values)} cells with a value"
            f"{f' ({inferred} more inferred)' if inferred else ''}; "
            f"{told or 'no diagnostics'}>"
        )

    def _repr_html_(self) -> str:
        """The tables as the template draws them, for Jupyter (:func:`govreport.view.fragment`)."""
        from .view import fragment

        return fragment(self)

    def _repr_markdown_(self) -> str:
        from .markdown import to_markdown

        return to_markdown(self)

    # -- diagnostics ----------------------------------------------------------

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The error-level diagnostics (what ``strict=True`` raises for)."""
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def findings(self) -> tuple[Diagnostic, ...]:
        """Diagnostics about the report as printed (its arithmetic, its labels)."""
        return tuple(d for d in self.diagnostics if d.category is Category.REPORT)

    @property
    def reading_issues(self) -> tuple[Diagnostic, ...]:
        """Diagnostics about what govreport could not read with certainty."""
        return tuple(d for d in self.diagnostics if d.category is Category.READING)
