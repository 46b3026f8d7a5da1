"""Tidy exports of many reports: DuckDB, Parquet, CSV, JSON Lines, pandas.

Two shapes (docs/usage.md, "Many reports", describes every column):

- **wide**: one row per file: ``path, agency, year, template, title``, the
  counts of diagnostics by severity (``n_error, n_warning, n_info``),
  ``error_type, error_message`` (a file that could not be parsed), then one
  column per cell id: the 2021 template's ids in cells.md order, then the ids
  only the 2019 template has (:func:`wide_cell_ids`). CSV, Parquet and
  ``to_frame(form="wide")``.
- **long**: one row per cell: ``path, cell, value, provenance, raw`` and the
  span the value was read from (``line, column, end_line, end_column,
  start_offset, end_offset``). The DuckDB ``cells`` table and
  ``to_frame(form="long")``.

How each value was read (``provenance``: ``printed``, ``solved``,
``inferred``; :class:`govreport.Provenance`) is kept apart: the long form
holds every value read with its provenance; the wide forms (CSV, Parquet,
JSON Lines, ``to_frame(form="wide")``) hold printed and solved values only,
and inferred ones too when asked (``inferred=True``, ``--inferred``).

A DuckDB file has four tables: ``reports`` (the wide form's metadata
columns), ``cells`` (long), ``diagnostics`` and ``errors``.

Counts are integers; money is exact: ``DECIMAL(38, 10)`` in DuckDB and
Parquet (the long form's ``value`` column, which holds counts too, has the
same type), a plain decimal string in CSV and JSON Lines,
``decimal.Decimal`` in pandas. A blank cell is NULL (an empty CSV field).

:func:`extract` is the engine of ``govreport extract``: it parses the files
in parallel, spools compact records to a temporary file, runs the corpus
check (:func:`govreport.batch.check_corpus`), then writes the output in input
order, so the output does not depend on the number of jobs and memory stays
flat.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import importlib
import io
import itertools
import json
import os
import pickle
import re
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import IO, Any, Final, Literal, Protocol, overload

import attrs

from . import __version__
from . import diagnostics as dx
from .batch import CorpusEntry, corpus_diagnostics, corpus_entry, files_of, ordered_map, reader
from .batch import _outcome as outcome_of
from .errors import GovReportError
from .formats import MissingExtraError
from .measures import DEFINITIONS, measures_of
from .model import Diagnostic, Report, Severity, Value
from .vocabulary import CodebookEntry, ValueType, cell_ids, cell_types, codebook_entries

__all__ = [
    "MissingExtraError",
    "ExportError",
    "OutputError",
    "FORMATS",
    "MONEY_SCALE",
    "META_COLUMNS",
    "wide_cell_ids",
    "wide_columns",
    "LONG_COLUMNS",
    "Record",
    "record",
    "DIAGNOSTIC_COLUMNS",
    "CODEBOOK_COLUMNS",
    "TABLES",
    "measure_columns",
    "to_frame",
    "read_reports",
    "codebook",
    "Summary",
    "extract",
]


class ExportError(GovReportError):
    """A parsed report holds a value the exports cannot hold exactly."""


class OutputError(GovReportError):
    """The output file cannot be written: its folder does not exist,
    permission is denied, or (DuckDB) another process has the file open.
    The message names the output file as given, never a temporary file."""


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` naming ``extra``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{purpose} needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'govreport[{extra}]'",
            format=extra,
        ) from None


#: Output formats by file suffix.
FORMATS: Final = {".duckdb": "duckdb", ".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl"}

#: Decimal places of money (万元) in DuckDB and Parquet: to 0.000001 元. Real
#: reports print amounts such as 793.0570158 万元; one printed finer than this
#: makes its file an :class:`ExportError` rather than be rounded.
MONEY_SCALE: Final = 10

#: The wide form's columns before the cells.
META_COLUMNS: Final = (
    "path",
    "sha256",
    "agency",
    "year",
    "template",
    "title",
    "n_error",
    "n_warning",
    "n_info",
    "error_type",
    "error_message",
)
_REPORT_COLUMNS: Final = META_COLUMNS[:9]
_TYPES: Final = {**cell_types("2019"), **cell_types("2021")}


def wide_cell_ids() -> tuple[str, ...]:
    """The wide form's cell columns: the 2021 template's ids in cells.md
    order, then the ids only the 2019 template has, in cells.md order."""
    return tuple(entry.id for entry in codebook_entries())


def wide_columns() -> tuple[str, ...]:
    """Every column of the wide form, in order."""
    return META_COLUMNS + wide_cell_ids()


def _is_money(cell_id: str) -> bool:
    return _TYPES[cell_id] is ValueType.MONEY


# ---------------------------------------------------------------------------
# Records: a report (or the error reading it) as plain data
# ---------------------------------------------------------------------------


@attrs.frozen
class Record:
    """What the exports keep of one file: small, and cheap to pickle."""

    path: str | None
    agency: str | None = None
    year: int | None = None
    template: str | None = None
    title: str | None = None
    #: (cell id, value, raw, provenance, span), in cells.md order; the span
    #: as (line, column, end_line, end_column, start, end)
    cells: tuple[tuple[str, Value, str | None, str | None, tuple[int, ...] | None], ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    #: (error type, message, line, column) of a file that could not be parsed
    error: tuple[str, str, int | None, int | None] | None = None
    corpus: CorpusEntry | None = None
    #: the SHA-256 of the file's bytes (hex): a re-run key, and a citable input
    sha256: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)


def _error_record(path: str | None, error: GovReportError) -> Record:
    return Record(path, error=(type(error).__name__, error.message, error.line, error.column))


def record(path: str | None, outcome: Report | GovReportError) -> Record:
    """The :class:`Record` of ``outcome`` (a report, or the error of a file
    that could not be parsed)."""
    if isinstance(outcome, GovReportError):
        return _error_record(path, outcome)
    report = outcome
    cells = []
    for cell_id in cell_ids(report.template) if report.template else ():
        cell = report.cell(cell_id)
        value = cell.value
        if isinstance(value, Decimal) and int(value.as_tuple().exponent) < -MONEY_SCALE:
            return _error_record(
                path,
                ExportError(
                    f"{cell_id}: {value} 万元 has more than {MONEY_SCALE} decimal places, "
                    "which the exports do not hold exactly",
                    line=cell.span.line if cell.span else None,
                    column=cell.span.column if cell.span else None,
                ),
            )
        span = cell.span
        where = (
            (span.line, span.column, span.end_line, span.end_column, span.start, span.end)
            if span is not None
            else None
        )
        cells.append((cell_id, value, cell.raw, cell.provenance.value if cell.provenance else None, where))
    return Record(
        path,
        report.agency,
        report.year,
        report.template,
        report.title,
        tuple(cells),
        report.diagnostics,
        corpus=corpus_entry(path, report),
    )


def load_record(
    path: str | os.PathLike[str], *, encoding: str | None = None, encoding_errors: str = "strict"
) -> Record:
    """Read ``path`` into a :class:`Record` (run in the worker processes),
    with the SHA-256 of its bytes (None when it cannot be read); ``encoding``
    and ``encoding_errors`` as in :func:`govreport.parse_file`."""
    outcome = outcome_of(path, encoding=encoding, encoding_errors=encoding_errors)
    return _hashed(record(str(path), outcome), path)


def _hashed(rec: Record, path: str | os.PathLike[str]) -> Record:
    """``rec`` with the SHA-256 of the bytes of file ``path`` (unchanged when
    it cannot be read)."""
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return rec
    return attrs.evolve(rec, sha256=digest)


def _as_record(item: Report | tuple[Any, Report | GovReportError]) -> Record:
    if isinstance(item, Report):
        return record(None, item)
    path, outcome = item
    if path is None:
        return record(None, outcome)
    return _hashed(record(str(path), outcome), path)


def _values(rec: Record, inferred: bool) -> dict[str, Value]:
    """The record's values by cell id; inferred ones as None unless ``inferred``."""
    return {
        cell_id: value if inferred or how != _INFERRED else None for cell_id, value, _, how, _ in rec.cells
    }


_INFERRED: Final = "inferred"
_SPAN_COLUMNS: Final = ("line", "column", "end_line", "end_column", "start_offset", "end_offset")
#: The long form's columns.
LONG_COLUMNS: Final = ("path", "cell", "value", "provenance", "raw", *_SPAN_COLUMNS)


def _long_rows(rec: Record) -> Iterator[tuple[Any, ...]]:
    for cell_id, value, raw, how, span in rec.cells:
        yield (rec.path, cell_id, value, how, raw, *(span or (None,) * len(_SPAN_COLUMNS)))


def _wide_row(rec: Record, inferred: bool = False) -> list[Any]:
    values = _values(rec, inferred)
    error_type, error_message = rec.error[:2] if rec.error else (None, None)
    counts: list[int | None] = (
        [None] * 3 if rec.error else [rec.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    )
    meta = [rec.path, rec.sha256, rec.agency, rec.year, rec.template, rec.title, *counts]
    meta += [error_type, error_message]
    return meta + [values.get(cell_id) for cell_id in wide_cell_ids()]


#: The columns of the diagnostics (DuckDB's table, ``to_frame(form="diagnostics")``).
DIAGNOSTIC_COLUMNS: Final = ("path", "line", "column", "severity", "category", "code", "message", "cells")


def _diagnostic_row(path: str | None, d: Diagnostic) -> tuple[Any, ...]:
    line, column = (d.span.line, d.span.column) if d.span else (None, None)
    return (path, line, column, d.severity.value, d.category.value, d.code, d.message, list(d.cells))


def _plain(value: Value) -> int | str | None:
    """A value for CSV and JSON: money as an exact decimal string."""
    return format(value, "f") if isinstance(value, Decimal) else value


# -- the measures table (govreport.measures, docs/measures.md) ----------------

#: The tables a one-table output (CSV, Parquet) can hold: ``reports`` (the
#: wide form, the default) or ``measures``.
TABLES: Final = ("reports", "measures")
_MEASURE_META: Final = ("path", "sha256", "agency", "year", "template")


def measure_columns() -> tuple[str, ...]:
    """The columns of the measures table: the report's path, hash, agency,
    year and template, then per measure (docs/measures.md) its value (a
    float) and its integer ``_numerator`` and ``_denominator``."""
    return _MEASURE_META + tuple(
        f"{d.name}{suffix}" for d in DEFINITIONS for suffix in ("", "_numerator", "_denominator")
    )


def _measure_kinds() -> Iterator[tuple[str, Literal["int", "text", "float"]]]:
    for name in _MEASURE_META:
        yield name, "int" if name == "year" else "text"
    for name in measure_columns()[len(_MEASURE_META) :]:
        yield name, "int" if name.endswith(("_numerator", "_denominator")) else "float"


def _measure_rows(records: Iterable[Record], inferred: bool) -> list[Sequence[Any]]:
    """One row per parsed report (files that could not be parsed have none)."""
    rows: list[Sequence[Any]] = []
    for rec in records:
        if rec.error:
            continue
        row: list[Any] = [rec.path, rec.sha256, rec.agency, rec.year, rec.template]
        for m in measures_of(_values(rec, inferred)):
            row += [m.to_float(), m.numerator, m.denominator]
        rows.append(row)
    return rows


def _measures_json(rec: Record, inferred: bool) -> dict[str, Any]:
    return {
        m.name: {"value": m.to_float(), "numerator": m.numerator, "denominator": m.denominator}
        for m in measures_of(_values(rec, inferred))
    }


# ---------------------------------------------------------------------------
# pandas
# ---------------------------------------------------------------------------


def to_frame(
    reports: Iterable[Report | tuple[Any, Report | GovReportError]],
    form: Literal["wide", "long", "diagnostics", "measures"] = "wide",
    *,
    inferred: bool = False,
) -> Any:
    """A pandas DataFrame of ``reports``: :class:`~govreport.Report` objects,
    or the ``(path, Report | GovReportError)`` pairs of
    :func:`govreport.parse_many`.

    ``form="wide"``: one row per report (a file that could not be parsed is a
    row with ``error_type`` and ``error_message``), the columns of
    :func:`wide_columns`; counts are ``Int64``, money ``decimal.Decimal``;
    printed and solved values only, unless ``inferred=True``.
    ``form="long"``: one row per cell, the columns of :data:`LONG_COLUMNS`
    (every value read, with its provenance and span; files that could not
    be parsed have no cells). ``form="diagnostics"``: one row per
    diagnostic, the columns of :data:`DIAGNOSTIC_COLUMNS` (``line`` and
    ``column`` ``Int64``, ``cells`` a list of cell ids). ``form="measures"``:
    one row per report parsed, the columns of :func:`measure_columns` (the
    measures as ``float64``, their numerators and denominators ``Int64``;
    from printed and solved values unless ``inferred=True``). Needs pandas
    (``pip install 'govreport[pandas]'``)."""
    if form not in ("wide", "long", "diagnostics", "measures"):
        raise ValueError(f"form must be 'wide', 'long', 'diagnostics' or 'measures', not {form!r}")
    return _frame(map(_as_record, reports), form, inferred)


def _frame(records: Iterable[Record], form: str, inferred: bool) -> Any:
    pd = require("pandas", "pandas", "a DataFrame")
    if form == "long":
        rows = [row for rec in records for row in _long_rows(rec)]
        frame = pd.DataFrame(rows, columns=list(LONG_COLUMNS), dtype=object)
        texts: tuple[str, ...] = ("path", "cell", "provenance", "raw")
        return frame.astype({**dict.fromkeys(texts, "string"), **dict.fromkeys(_SPAN_COLUMNS, "Int64")})
    if form == "diagnostics":
        rows = [_diagnostic_row(rec.path, d) for rec in records for d in rec.diagnostics]
        frame = pd.DataFrame(rows, columns=list(DIAGNOSTIC_COLUMNS), dtype=object)
        texts = ("path", "severity", "category", "code", "message")
        return frame.astype({**dict.fromkeys(texts, "string"), "line": "Int64", "column": "Int64"})
    if form == "measures":
        frame = pd.DataFrame(_measure_rows(records, inferred), columns=list(measure_columns()), dtype=object)
        return frame.astype(
            {name: {"int": "Int64", "text": "string", "float": "float64"}[k] for name, k in _measure_kinds()}
        )
    frame = pd.DataFrame(
        [_wide_row(rec, inferred) for rec in records], columns=list(wide_columns()), dtype=object
    )
    return frame.astype(
        {name: "Int64" if kind == "int" else "string" for name, kind in _wide_kinds() if kind != "money"}
    )


def _wide_kinds() -> Iterator[tuple[str, Literal["int", "text", "money"]]]:
    """The wide form's columns and the kind of value each holds."""
    for name in META_COLUMNS:
        yield name, "int" if name == "year" or name.startswith("n_") else "text"
    for cell_id in wide_cell_ids():
        yield cell_id, "money" if _is_money(cell_id) else "int"


def read_reports(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    inferred: bool = False,
    dtype_backend: Literal["numpy_nullable", "pyarrow"] = "numpy_nullable",
    jobs: int | None = 1,
    encoding: str | None = None,
    encoding_errors: str = "strict",
    progress: bool = False,
) -> Any:
    """Parse the report files ``paths`` names into a pandas DataFrame of the
    wide form, one row per file, as :func:`extract` writes it to Parquet
    (the corpus check included).

    ``paths`` is what :func:`govreport.parse_many` takes (a file, a folder,
    a glob pattern, or an iterable of them), and ``jobs`` as there. Printed
    and solved values only, unless ``inferred=True``. ``dtype_backend``, as
    in ``pandas.read_parquet``: ``"numpy_nullable"`` (the default) gives
    ``Int64`` counts and years, ``string`` text and money as
    ``decimal.Decimal`` objects; ``"pyarrow"`` gives ``ArrowDtype`` columns,
    ``int64[pyarrow]`` and ``decimal128(38, 10)[pyarrow]``. ``encoding``
    and ``encoding_errors`` are :func:`govreport.parse_file`'s;
    ``progress=True`` shows a progress bar (as :func:`extract`). Needs pandas
    (``pip install 'govreport[pandas]'``), and pyarrow for
    ``dtype_backend="pyarrow"``."""
    if dtype_backend not in ("numpy_nullable", "pyarrow"):
        raise ValueError(f"dtype_backend must be 'numpy_nullable' or 'pyarrow', not {dtype_backend!r}")
    pd = require("pandas", "pandas", "read_reports()")
    pa = _arrow("read_reports(dtype_backend='pyarrow')", "parquet") if dtype_backend == "pyarrow" else None
    read = reader(load_record, encoding, encoding_errors)
    files = list(files_of(paths, "read_reports()"))
    with tempfile.TemporaryFile() as spool, _bar(progress, len(files)) as shown:
        parsed = (rec for _, rec in ordered_map(read, files, jobs))
        records = list(corpus_records(parsed, spool, shown))
    if pa is None:
        return _frame(records, "wide", inferred)
    return _wide_table(pa, records, inferred).to_pandas(types_mapper=pd.ArrowDtype)


#: The columns of the codebook (:func:`codebook`, DuckDB's ``codebook`` table).
CODEBOOK_COLUMNS: Final = tuple(attrs.fields_dict(CodebookEntry))


@overload
def codebook(*, as_records: Literal[False] = False) -> Any: ...
@overload
def codebook(*, as_records: Literal[True]) -> tuple[CodebookEntry, ...]: ...
def codebook(*, as_records: bool = False) -> Any:
    """Every cell id of both templates, described in the template's words:
    a pandas DataFrame, one row per id in the order of the wide form's
    columns, with the columns of :data:`CODEBOOK_COLUMNS`: ``id``,
    ``templates`` (a list: ``["2019", "2021"]``), ``section`` (二, 三, 四),
    ``row_label``, ``column_label`` (the template's Chinese labels), ``type``
    (``count``, ``signed``, ``money``) and ``unit`` (件, 项, 万元).

    ``as_records=True`` returns the same rows as a tuple of
    :class:`~govreport.vocabulary.CodebookEntry` (attrs objects), without
    pandas. The DataFrame needs pandas (``pip install 'govreport[pandas]'``).

        >>> govreport.codebook().set_index("id").loc["active.fees.amount", "unit"]  # doctest: +SKIP
        '万元'
    """
    entries = codebook_entries()
    if as_records:
        return entries
    pd = require("pandas", "pandas", "codebook()")
    frame = pd.DataFrame(list(map(_codebook_row, entries)), columns=list(CODEBOOK_COLUMNS), dtype=object)
    return frame.astype({name: "string" for name in CODEBOOK_COLUMNS if name != "templates"})


def _codebook_row(entry: CodebookEntry) -> tuple[Any, ...]:
    """A codebook row as the DataFrame and DuckDB hold it."""
    return (
        entry.id,
        list(entry.templates),
        entry.section,
        entry.row_label,
        entry.column_label,
        entry.type.value,
        entry.unit,
    )


# ---------------------------------------------------------------------------
# Output files
# ---------------------------------------------------------------------------


class _Sink(Protocol):
    def write(self, records: Sequence[Record]) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


def _temporary_beside(out: Path) -> Path:
    """A new, empty file beside ``out``, created as ``open()`` creates one:
    mode 0666 less the umask, as DuckDB creates its file (``mkstemp`` makes
    it 0600), since it becomes the output."""
    for _ in range(100):
        path = out.parent / f".{out.name}.{secrets.token_hex(4)}.tmp"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(out))  # pragma: no cover


class _FileSink:
    """Writes a temporary file beside the output, renamed over it on commit,
    so a run replaces the output whole or not at all."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.temporary = _temporary_beside(out)

    def commit(self) -> None:
        self._close()
        os.replace(self.temporary, self.out)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._close()
        self.temporary.unlink(missing_ok=True)

    def _close(self) -> None:
        raise NotImplementedError


#: ``-o -``: the output streamed to stdout (CSV or JSON Lines).
STDOUT: Final = Path("-")


class _TextSink(_FileSink):
    """A text output: a file replaced whole on commit, or stdout (``-``),
    written as it comes."""

    def __init__(self, out: Path, encoding: str = "utf-8") -> None:
        if out == STDOUT:
            self.out = out
            self.file: IO[str] = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
            return
        super().__init__(out)
        self.file = open(self.temporary, "w", encoding=encoding, newline="")  # noqa: SIM115

    def commit(self) -> None:
        if self.out != STDOUT:
            super().commit()
            return
        self._close()

    def abort(self) -> None:
        if self.out != STDOUT:
            super().abort()
            return
        with contextlib.suppress(Exception):
            self._close()

    def _close(self) -> None:
        if self.out == STDOUT:
            assert isinstance(self.file, io.TextIOWrapper)
            self.file.flush()
            self.file.detach()  # stdout stays open
        else:
            self.file.close()


class _CsvSink(_TextSink):
    def __init__(self, out: Path, inferred: bool, bom: bool = False, table: str = "reports") -> None:
        # With a byte-order mark, Excel on Chinese Windows reads the file as UTF-8.
        super().__init__(out, "utf-8-sig" if bom else "utf-8")
        self.inferred = inferred
        self.table = table
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.writer.writerow(measure_columns() if table == "measures" else wide_columns())

    def write(self, records: Sequence[Record]) -> None:
        if self.table == "measures":
            self.writer.writerows(_measure_rows(records, self.inferred))
            return
        self.writer.writerows([_plain(v) for v in _wide_row(rec, self.inferred)] for rec in records)


class _JsonlSink(_TextSink):
    def __init__(self, out: Path, inferred: bool) -> None:
        super().__init__(out)
        self.inferred = inferred

    def write(self, records: Sequence[Record]) -> None:
        for rec in records:
            self.file.write(json.dumps(record_to_json(rec, self.inferred), ensure_ascii=False) + "\n")


def _diagnostic_json(path: str | None, d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as JSON Lines and ``check --format json`` write it; the
    numbers it compares (``values``) and the further places it names
    (``related``: the table cells of a ``narrative-mismatch``) when it has them."""
    keys = ("line", "column", "severity", "category", "code", "message", "cells")
    data = dict(zip(keys, _diagnostic_row(path, d)[1:], strict=True))
    if d.values:
        data["values"] = [_plain(value) for value in d.values]
    if d.related:
        data["related"] = [{"line": span.line, "column": span.column} for span in d.related]
    return data


def record_to_json(rec: Record, inferred: bool = False) -> dict[str, Any]:
    """A record as JSON Lines writes it (money as a decimal string): the
    values (inferred ones as null unless ``inferred``) and how each was read."""
    data: dict[str, Any] = {
        "path": rec.path,
        "sha256": rec.sha256,
        "agency": rec.agency,
        "year": rec.year,
        "template": rec.template,
        "title": rec.title,
        "cells": {cell_id: _plain(value) for cell_id, value in _values(rec, inferred).items()},
        "provenance": {cell_id: how for cell_id, _, _, how, _ in rec.cells if how is not None},
        "diagnostics": [_diagnostic_json(rec.path, d) for d in rec.diagnostics],
        "error": None,
        "measures": None if rec.error else _measures_json(rec, inferred),
    }
    if rec.error:
        data["error"] = dict(zip(("type", "message", "line", "column"), rec.error, strict=True))
    return data


def _arrow(purpose: str, extra: str) -> Any:
    return require("pyarrow", extra, purpose)


def _money_type(pa: Any) -> Any:
    return pa.decimal128(38, MONEY_SCALE)


def _money(value: Value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _table(pa: Any, schema: Any, rows: Iterable[Sequence[Any]]) -> Any:
    columns = list(zip(*rows, strict=True)) or [() for _ in schema.names]
    return pa.Table.from_arrays(
        [pa.array(list(column), type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def _wide_schema(pa: Any, kinds: Iterable[tuple[str, str]] | None = None) -> Any:
    """The wide form in Arrow (or the table of columns and ``kinds`` given):
    ``int64`` counts and years, ``decimal128(38, 10)`` money, ``string``
    text, ``float64`` measures, with the pandas metadata that makes
    ``pandas.read_parquet`` give ``Int64``, ``string``, ``decimal.Decimal``
    and ``float64`` columns, as :func:`to_frame` does."""
    types = {"int": pa.int64(), "text": pa.string(), "money": _money_type(pa), "float": pa.float64()}
    pandas_types = {
        "int": ("int64", "Int64"),
        "text": ("unicode", "string"),
        "money": ("decimal", "object"),
        "float": ("float64", "float64"),
    }
    kinds = list(_wide_kinds() if kinds is None else kinds)
    columns = [
        {
            "name": name,
            "field_name": name,
            "pandas_type": pandas_types[kind][0],
            "numpy_type": pandas_types[kind][1],
            "metadata": {"precision": 38, "scale": MONEY_SCALE} if kind == "money" else None,
        }
        for name, kind in kinds
    ]
    metadata = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "creator": {"library": "govreport", "version": __version__},
        "pandas_version": "2.0.0",
    }
    return pa.schema([(name, types[kind]) for name, kind in kinds], metadata={"pandas": json.dumps(metadata)})


def _wide_table(pa: Any, records: Iterable[Record], inferred: bool, schema: Any = None) -> Any:
    """The records' wide rows as an Arrow table of :func:`_wide_schema`."""
    schema = _wide_schema(pa) if schema is None else schema
    money = [i for i, (_, kind) in enumerate(_wide_kinds()) if kind == "money"]
    rows = [_wide_row(rec, inferred) for rec in records]
    for row in rows:
        for i in money:
            row[i] = _money(row[i])
    return _table(pa, schema, rows)


class _ParquetSink(_FileSink):
    def __init__(self, out: Path, inferred: bool, table: str = "reports") -> None:
        self.inferred = inferred
        self.table = table
        pa = _arrow("writing Parquet", "parquet")
        self.pa = pa
        self.pq = require("pyarrow.parquet", "parquet", "writing Parquet")
        super().__init__(out)
        self.schema = _wide_schema(pa, _measure_kinds() if table == "measures" else None)
        self.writer = self.pq.ParquetWriter(self.temporary, self.schema)

    def write(self, records: Sequence[Record]) -> None:
        if self.table == "measures":
            self.writer.write_table(_table(self.pa, self.schema, _measure_rows(records, self.inferred)))
            return
        self.writer.write_table(_wide_table(self.pa, records, self.inferred, self.schema))

    def _close(self) -> None:
        self.writer.close()


class _DuckdbSink:
    """Writes into a DuckDB file in one transaction: rows of the files being
    written are deleted first, so a run over the same files replaces them."""

    def __init__(self, out: Path, inferred: bool) -> None:
        # The cells table is long: every value with its provenance (``inferred`` is for the wide forms).
        duckdb = require("duckdb", "duckdb", "writing DuckDB")
        self.inferred = inferred  # for the measures table
        self.connection = duckdb.connect(str(out))
        self.connection.execute("SET memory_limit = '256MB'")
        #: each table's column types, as DuckDB names them
        self.types: dict[str, list[str]] = {}
        for name, ddl in _DUCKDB_TABLES.items():
            self.connection.execute(f"CREATE TABLE IF NOT EXISTS {name} ({ddl})")
            described = self.connection.execute(f"DESCRIBE {name}").fetchall()
            self.types[name] = [row[1] for row in described]
            columns = [row[0] for row in described]
            if name in ("reports", "cells", "measures") and columns != _ddl_columns(ddl):
                self.connection.close()
                raise OutputError(
                    f"{out}: cannot write: its {name} table was written by an older govreport (columns "
                    f"{', '.join(columns)}); write to a new file"
                )
        # Rows go in through a CSV file that DuckDB reads with the tables' types:
        # no pyarrow needed, and faster than importing it (docs/benchmarks.md).
        handle, name = tempfile.mkstemp(prefix="govreport-", suffix=".csv")
        os.close(handle)
        self.spool = Path(name)
        self.connection.execute("BEGIN TRANSACTION")

    def write(self, records: Sequence[Record]) -> None:
        con = self.connection
        paths = [rec.path for rec in records]
        for name in _DUCKDB_TABLES:
            con.execute(f"DELETE FROM {name} WHERE path IN (SELECT unnest(?::VARCHAR[]))", [paths])
        tables: dict[str, list[Sequence[Any]]] = {
            "reports": [_wide_row(rec)[: len(_REPORT_COLUMNS)] for rec in records if not rec.error],
            "cells": list(itertools.chain.from_iterable(map(_long_rows, records))),
            "diagnostics": [_diagnostic_row(rec.path, d) for rec in records for d in rec.diagnostics],
            "errors": [(rec.path, *rec.error) for rec in records if rec.error],
            "measures": _measure_rows(records, self.inferred),
        }
        for name, rows in tables.items():
            if rows:
                self._insert(name, rows)

    def _insert(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert ``rows`` into ``table``: written to a CSV file (every text
        quoted, NULL an empty field, money an exact decimal string, a list
        DuckDB's list literal), which DuckDB reads with the table's types."""
        types = self.types[table]
        fields = [_csv_fields(kind) for kind in types]
        with open(self.spool, "w", encoding="utf-8", newline="") as file:
            file.writelines(",".join([f(v) for f, v in zip(fields, row, strict=True)]) + "\n" for row in rows)
        columns = ", ".join(f"'c{i}': '{kind}'" for i, kind in enumerate(types))
        self.connection.execute(
            f"INSERT INTO {table} SELECT * FROM read_csv(?, header = false, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false, "
            f"columns = {{{columns}}})",
            [str(self.spool)],
        )

    def commit(self) -> None:
        con = self.connection
        con.execute(f"CREATE OR REPLACE TABLE codebook ({_CODEBOOK_DDL})")
        con.executemany(
            "INSERT INTO codebook VALUES (?, ?, ?, ?, ?, ?, ?)", list(map(_codebook_row, codebook_entries()))
        )
        con.execute("COMMIT")
        con.close()
        self.spool.unlink(missing_ok=True)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.execute("ROLLBACK")
        self.connection.close()
        self.spool.unlink(missing_ok=True)


def _ddl_columns(ddl: str) -> list[str]:
    """The column names of a table's DDL (``path VARCHAR, "column" INTEGER, …``)."""
    return re.findall(r'(?:^|,)\s*"?([a-z_][a-z0-9_]*)"?\s+[A-Z]', ddl)


def _csv_fields(kind: str) -> Callable[[Any], str]:
    """How a value of a column of DuckDB type ``kind`` is written in the CSV
    file DuckDB reads: text quoted (so that an empty text is not NULL), NULL
    empty, money an exact decimal, a list of texts DuckDB's list literal
    (``['a', 'b']``)."""
    if kind.endswith("[]"):
        return _csv_list
    if kind.startswith("DECIMAL"):
        return _csv_decimal
    if kind == "VARCHAR":
        return _csv_text
    return _csv_plain


def _csv_text(value: str | None) -> str:
    return "" if value is None else '"' + value.replace('"', '""') + '"'


def _csv_plain(value: object) -> str:
    return "" if value is None else str(value)


def _csv_decimal(value: Value) -> str:
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def _csv_list(value: Sequence[str] | None) -> str:
    if value is None:
        return ""
    items = ", ".join("'" + str(item).replace("\\", "\\\\").replace("'", "\\'") + "'" for item in value)
    return f'"[{items}]"'


_DUCKDB_TABLES: Final = {
    "reports": "path VARCHAR, sha256 VARCHAR, agency VARCHAR, year INTEGER, template VARCHAR, title VARCHAR, "
    "n_error INTEGER, n_warning INTEGER, n_info INTEGER",
    "cells": f"path VARCHAR, cell VARCHAR, value DECIMAL(38, {MONEY_SCALE}), provenance VARCHAR, raw VARCHAR, "
    'line INTEGER, "column" INTEGER, end_line INTEGER, end_column INTEGER, start_offset INTEGER, '
    "end_offset INTEGER",
    "diagnostics": 'path VARCHAR, line INTEGER, "column" INTEGER, severity VARCHAR, category VARCHAR, '
    "code VARCHAR, message VARCHAR, cells VARCHAR[]",
    "errors": 'path VARCHAR, error_type VARCHAR, message VARCHAR, line INTEGER, "column" INTEGER',
    "measures": ", ".join(
        f"{name} { ({'int': 'BIGINT', 'text': 'VARCHAR', 'float': 'DOUBLE'}[kind]) }"
        for name, kind in _measure_kinds()
    ),
}

#: The codebook table of every DuckDB file (:func:`codebook`), replaced each run.
_CODEBOOK_DDL: Final = (
    "id VARCHAR, templates VARCHAR[], section VARCHAR, row_label VARCHAR, column_label VARCHAR, "
    "type VARCHAR, unit VARCHAR"
)

_SINKS: Final[dict[str, Callable[[Path, bool], _Sink]]] = {
    "duckdb": _DuckdbSink,
    "parquet": _ParquetSink,
    "csv": _CsvSink,
    "jsonl": _JsonlSink,
}


def _io_errors() -> tuple[type[Exception], ...]:
    """What writing an output raises when the file system refuses: OSError,
    and DuckDB's IOException once DuckDB is imported."""
    duckdb = sys.modules.get("duckdb")
    return (OSError,) if duckdb is None else (OSError, duckdb.IOException)


@contextlib.contextmanager
def _writing(out: Path) -> Iterator[None]:
    """Raise the errors of writing ``out`` as :class:`OutputError`, one line
    naming ``out`` (not the temporary file) and why."""
    try:
        yield
    except BrokenPipeError:
        if out == STDOUT:
            raise  # the reader of stdout closed it: the command stops quietly
        raise OutputError(f"{out}: cannot write: broken pipe") from None
    except _io_errors() as error:
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        pid = re.search(r"\(PID \d+\)", text)
        folder = out.absolute().parent
        if not folder.exists():
            why = f"the folder {out.parent} does not exist"
        elif not folder.is_dir():
            why = f"{out.parent} is not a folder"
        elif "Could not set lock" in text:
            holder = f"another process {pid[0]}" if pid else "another process"
            why = f"{holder} has the DuckDB file open: close its connection (con.close()) and run again"
        elif isinstance(error, OSError) and error.strerror:
            why = error.strerror
        else:  # DuckDB: 'IO Error: Cannot open file "…": Permission denied'
            why = text.rpartition(": ")[2]
        raise OutputError(f"{out}: cannot write: {why}") from error


def output_format(out: Path, format: str | None = None) -> str:
    """The format of output ``out``: ``format`` when given, else by its
    suffix; ``-`` (stdout) is CSV unless ``format`` says JSON Lines."""
    if format is not None and format not in FORMATS.values():
        raise GovReportError(f"unknown output format {format!r}; use one of {', '.join(FORMATS.values())}")
    if out == STDOUT:
        kind = format or "csv"
        if kind not in ("csv", "jsonl"):
            raise GovReportError(f"{kind} cannot be streamed to stdout (-o -): write it to a file")
        return kind
    if format is not None:
        return format
    try:
        return FORMATS[out.suffix.lower()]
    except KeyError:
        raise GovReportError(
            f"{out}: unknown output format {out.suffix or '(no suffix)'}; use one of {', '.join(FORMATS)}"
        ) from None


# ---------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------


@attrs.frozen
class Summary:
    """What :func:`extract` wrote."""

    files: int
    reports: int
    errors: int
    diagnostics: dict[str, int]


#: Records written per batch.
BATCH: Final = 200


def corpus_records(
    records: Iterable[Record], spool: IO[bytes], progress: Callable[[int], None] | None = None
) -> Iterator[Record]:
    """``records`` with the corpus check's diagnostics added, in order.

    The records are spooled to ``spool`` (a binary temporary file) while the
    corpus check's entries are collected, then read back from it, so only the
    entries (a few hundred bytes a report) are held in memory."""
    entries: list[CorpusEntry] = []
    indexes: list[int] = []
    count = 0
    for rec in records:
        if rec.corpus is not None:
            entries.append(rec.corpus)
            indexes.append(count)
        pickle.dump(attrs.evolve(rec, corpus=None), spool, pickle.HIGHEST_PROTOCOL)
        count += 1
        if progress is not None:
            progress(count)
    extra = {indexes[i]: found for i, found in corpus_diagnostics(entries).items()}
    spool.seek(0)
    for index in range(count):
        rec = pickle.load(spool)
        if index in extra:
            merged = sorted((*rec.diagnostics, *extra[index]), key=dx.sort_key)
            rec = attrs.evolve(rec, diagnostics=tuple(merged))
        yield rec


def extract(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    jobs: int | None = 1,
    inferred: bool = False,
    progress: bool | Callable[[int], None] | None = None,
    format: str | None = None,
    bom: bool = False,
    table: str = "reports",
    encoding: str | None = None,
    encoding_errors: str = "strict",
) -> Summary:
    """Parse the report files ``paths`` names and write them to ``out``, in
    the format of its suffix (:data:`FORMATS`: ``.duckdb``, ``.parquet``,
    ``.csv``, ``.jsonl``): the Python form of ``govreport extract``
    (docs/usage.md, "Many reports", describes every table and column).

    ``paths`` is what :func:`govreport.parse_many` takes (a file, a folder,
    a glob pattern, or an iterable of them), and ``jobs`` as there (one
    process by default). A file that cannot be parsed (one that does not
    exist too) is written as an error. The wide formats hold printed and
    solved values, and inferred ones with ``inferred``; DuckDB's long
    ``cells`` table holds every value with its provenance, and its
    ``codebook`` table describes every cell id (:func:`codebook`).
    ``progress=True`` shows a progress bar (tqdm's: a widget in Jupyter, a
    text bar on a terminal), and a function as ``progress`` is called with
    the number of files read so far instead. ``encoding`` and
    ``encoding_errors`` are :func:`govreport.parse_file`'s (the text
    encoding, detected by default, and the codec error handler).
    ``format`` names the format instead of the suffix (``"csv"``,
    ``"jsonl"``, ``"parquet"``, ``"duckdb"``); ``out="-"`` streams CSV or
    JSON Lines to stdout. ``bom`` writes CSV with a byte-order mark, for
    Excel on Chinese Windows. ``table="measures"`` writes the measures
    table (:func:`measure_columns`, docs/measures.md) instead of the wide
    form to a CSV or Parquet file; DuckDB files always have a ``measures``
    table and JSON Lines objects a ``measures`` key. Returns what was written (:class:`Summary`). An output that cannot be written
    raises :class:`OutputError` (before any file is read when it cannot be
    created), an unknown suffix :class:`~govreport.GovReportError`, and a
    missing extra :class:`MissingExtraError`.

        >>> govreport.extract("reports/", "reports.duckdb")   # doctest: +SKIP
        Summary(files=68, reports=59, errors=9, diagnostics={...})
    """
    out = Path(out)
    kind = output_format(out, format)
    if table not in TABLES:
        raise GovReportError(f"unknown table {table!r}; use one of {', '.join(TABLES)}")
    if table != "reports" and kind not in ("csv", "parquet"):
        raise GovReportError(
            f"table={table!r} is for CSV and Parquet: {kind} output always holds the measures "
            "(DuckDB a measures table, JSON Lines a measures key)"
        )
    files = list(files_of(paths, "extract()"))
    read = reader(load_record, encoding, encoding_errors)
    with _writing(out):
        sink = (
            _CsvSink(out, inferred, bom, table)
            if kind == "csv"
            else _ParquetSink(out, inferred, table)
            if kind == "parquet"
            else _SINKS[kind](out, inferred)
        )
    reports = errors = 0
    counts = dict.fromkeys((s.value for s in Severity), 0)
    try:
        with tempfile.TemporaryFile() as spool, _bar(progress, len(files)) as shown:
            parsed = (rec for _, rec in ordered_map(read, files, jobs))
            records = iter(corpus_records(parsed, spool, shown))
            while batch := list(itertools.islice(records, BATCH)):
                for rec in batch:
                    if rec.error:
                        errors += 1
                    else:
                        reports += 1
                    for d in rec.diagnostics:
                        counts[d.severity.value] += 1
                with _writing(out):
                    sink.write(batch)
        with _writing(out):
            sink.commit()
    except BaseException:
        sink.abort()
        raise
    return Summary(len(files), reports, errors, counts)


@contextlib.contextmanager
def _bar(progress: bool | Callable[[int], None] | None, total: int) -> Iterator[Callable[[int], None] | None]:
    """The ``progress`` callback of :func:`corpus_records`: ``progress``
    itself when it is one, a tqdm bar's (:mod:`tqdm.auto`) for ``True``."""
    if progress is None or progress is False:
        yield None
    elif progress is True:
        from ._progress import counter, notebook_bar

        with notebook_bar(total) as bar:
            yield counter(bar)
    else:
        yield progress
