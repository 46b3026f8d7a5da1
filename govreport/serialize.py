"""The flat form of a report, and JSON.

The model is nested (:mod:`govreport.model`); the public contract is flat:
cell id → value (``shared/spec/cells.md``). This module is the one place that
walks between the two, for :meth:`Report.cells`, :meth:`Report.to_dict`,
:meth:`Report.from_dict` and the parser itself (:func:`assemble`).

JSON form (:func:`report_to_dict`)::

    {
      "agency": "…", "year": 2021, "template": "2021", "title": "…",
      "preamble": "…",
      "sections": {"overview": {...} | null, "problems": ..., "other_matters": ...},
      "cells": {"active.regulations.issued": 0, "active.fees.amount": "25.1", ...},
      "provenance": {"active.regulations.issued":
                       {"raw": "0", "span": {...}, "how": "printed"}, ...},
      "rows": {"requests.granted": {"label": "（一）予以公开", "span": {...}}, ...},
      "tables": {"active": {"text": "…", "extra": [...]}, "requests": ..., "review": ...},
      "metadata": [["发布时间", "…"], ...],
      "diagnostics": [{"code": …, "severity": …, "category": …, "message": …,
                       "span": {...} | null, "cells": [...]}, ...],
      "narrative": [{"cells": [...], "value": 12, "table": 12, "matched": true,
                     "text": "收到政府信息公开申请12件", "span": {...} | null}, ...]
    }

A diagnostic comparing two places (``narrative-mismatch``) also has
``"related": [span, ...]`` and ``"values": [...]``; the keys are left out
when empty, and a dict without them reads back as empty.

``cells`` holds every value read, inferred ones included (the JSON form
is lossless); ``provenance[id]["how"]`` says how each was read
(``printed``, ``solved``, ``inferred``: :class:`govreport.Provenance`).
Money values (``decimal.Decimal``) are written as strings so that no digit is
lost; counts are JSON integers; ``None`` is ``null``. A span is
``{"start", "end", "line", "column", "end_line", "end_column"}``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from . import model as m
from .errors import UnknownNameError
from .vocabulary import TEMPLATES, ValueType, cell_ids, cell_types

__all__ = [
    "cell_values",
    "get_cell",
    "assemble",
    "report_to_dict",
    "report_from_dict",
    "report_to_json",
    "span_to_dict",
    "span_from_dict",
]

_ACTIVE = {"2019": m.Active2019, "2021": m.Active2021}
_OTHER = {"2019": m.RequestRow, "2021": m.OtherOutcomes}
_TABLES = ("active", "requests", "review")
_SECTIONS = ("overview", "problems", "other_matters")


def _walk(obj: Any, path: str) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj


@functools.cache
def _id_set(template: str) -> frozenset[str]:
    """The cell ids of ``template``, for :func:`get_cell`'s membership test
    (:func:`~govreport.vocabulary.cell_types` builds a new dict each call)."""
    return frozenset(cell_ids(template))


def get_cell(report: m.Report, cell_id: str) -> m.Cell:
    if report.template is None:
        raise UnknownNameError(f"{cell_id!r}: the report has no template, so it has no cells", key=cell_id)
    ids = _id_set(report.template)
    if cell_id not in ids:
        raise UnknownNameError.build(
            cell_id, _not_a_cell(report.template, cell_id), cell_ids(report.template)
        )
    cell = _walk(report, cell_id)
    assert isinstance(cell, m.Cell)
    return cell


def _not_a_cell(template: str, cell_id: object) -> str:
    others = [t for t in TEMPLATES if t != template and cell_id in cell_types(t)]
    where = f"a cell of the {others[0]} template, not" if others else "not a cell id"
    return (
        f"{where} of this report's {template} template: its ids are govreport.cell_ids({template!r}) "
        "(docs/spec/cells.md)"
    )


def cell_values(report: m.Report, *, inferred: bool = False) -> dict[str, m.Value]:
    if report.template is None:
        return {}
    out = {}
    for cell_id in cell_ids(report.template):
        cell = _walk(report, cell_id)
        out[cell_id] = cell.value if inferred or cell.provenance is not m.Provenance.INFERRED else None
    return out


# ---------------------------------------------------------------------------
# Building the nested model from flat cells
# ---------------------------------------------------------------------------


def _build(
    cls: type,
    prefix: str,
    template: str,
    cells: Mapping[str, m.Cell],
    rows: Mapping[str, tuple[str | None, m.Span | None]],
) -> Any:
    kwargs: dict[str, Any] = {}
    for field in attrs.fields(cls):
        path = prefix + field.name
        kind = _field_kind(cls, field.name, template)
        if kind is m.Cell:
            if path in cells:
                kwargs[field.name] = cells[path]
        elif kind is not None:
            kwargs[field.name] = _build(kind, path + ".", template, cells, rows)
    if cls is m.RequestRow:
        label, span = rows.get(prefix[:-1], (None, None))
        kwargs["label"] = label
        kwargs["span"] = span
    return cls(**kwargs)


def _field_kind(cls: type, name: str, template: str) -> type | None:
    """The class of a field that holds cells (Cell or a nested class), or None."""
    if cls is m.Requests and name == "other":
        return _OTHER[template]
    return _KINDS[cls].get(name)


def _kinds(cls: type) -> dict[str, type]:
    kinds: dict[str, type] = {}
    for field in attrs.fields(attrs.resolve_types(cls, globalns=vars(m))):
        if field.type is m.Cell or (isinstance(field.type, type) and attrs.has(field.type)):
            kinds[field.name] = field.type
    return kinds


_KINDS: dict[type, dict[str, type]] = {}
_pending: list[type] = [m.Active2019, m.Active2021, m.Requests, m.Review, m.RequestRow, m.OtherOutcomes]
while _pending:
    _cls = _pending.pop()
    if _cls not in _KINDS:
        _KINDS[_cls] = _kinds(_cls)
        _pending.extend(k for k in _KINDS[_cls].values() if k is not m.Cell)


def assemble(
    template: str,
    cells: Mapping[str, m.Cell],
    rows: Mapping[str, tuple[str | None, m.Span | None]] | None = None,
    *,
    active_fields: Mapping[str, Any] | None = None,
    requests_fields: Mapping[str, Any] | None = None,
    review_fields: Mapping[str, Any] | None = None,
) -> tuple[Any, m.Requests, m.Review]:
    """Build ``(active, requests, review)`` of ``template`` from flat cells.

    ``cells`` maps cell ids to :class:`Cell`; ids it lacks get an empty cell.
    ``rows`` maps request row paths (``requests.granted``) to the printed
    label and its span. The ``*_fields`` give the tables' other fields
    (``text``, ``extra``).
    """
    rows = rows or {}
    active = _build(_ACTIVE[template], "active.", template, cells, rows)
    requests = _build(m.Requests, "requests.", template, cells, rows)
    review = _build(m.Review, "review.", template, cells, rows)
    if active_fields:
        active = attrs.evolve(active, **active_fields)
    if requests_fields:
        requests = attrs.evolve(requests, **requests_fields)
    if review_fields:
        review = attrs.evolve(review, **review_fields)
    return active, requests, review


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def span_to_dict(span: m.Span | None) -> dict[str, int] | None:
    return None if span is None else attrs.asdict(span)


def span_from_dict(data: Mapping[str, int] | None) -> m.Span | None:
    return None if data is None else m.Span(**data)


def _value_to_json(value: m.Value) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value


def _value_from_json(value: Any, kind: ValueType) -> m.Value:
    if value is None:
        return None
    if kind is ValueType.MONEY:
        return Decimal(str(value))
    return int(value)


def _section_to_dict(section: m.Section | None) -> dict[str, Any] | None:
    if section is None:
        return None
    return {
        "heading": section.heading,
        "text": section.text,
        "span": span_to_dict(section.span),
        "subsections": [
            {"heading": s.heading, "text": s.text, "span": span_to_dict(s.span)} for s in section.subsections
        ],
    }


def _section_from_dict(data: Mapping[str, Any] | None) -> m.Section | None:
    if data is None:
        return None
    return m.Section(
        heading=data["heading"],
        text=data["text"],
        span=span_from_dict(data.get("span")),
        subsections=tuple(
            m.Subsection(s["heading"], s["text"], span_from_dict(s.get("span")))
            for s in data.get("subsections", ())
        ),
    )


def _diagnostic_to_dict(diagnostic: m.Diagnostic) -> dict[str, Any]:
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "category": diagnostic.category.value,
        "message": diagnostic.message,
        "span": span_to_dict(diagnostic.span),
        "cells": list(diagnostic.cells),
        **({"related": [span_to_dict(s) for s in diagnostic.related]} if diagnostic.related else {}),
        **({"values": [_value_to_json(v) for v in diagnostic.values]} if diagnostic.values else {}),
    }


def diagnostic_from_dict(data: Mapping[str, Any]) -> m.Diagnostic:
    return m.Diagnostic(
        code=data["code"],
        severity=m.Severity(data["severity"]),
        category=m.Category(data["category"]),
        message=data["message"],
        span=span_from_dict(data.get("span")),
        cells=tuple(data.get("cells", ())),
        related=tuple(m.Span(**s) for s in data.get("related", ())),
        values=tuple(Decimal(v) if isinstance(v, str) else v for v in data.get("values", ())),
    )


def _statement_to_dict(statement: m.Statement) -> dict[str, Any]:
    return {
        "cells": list(statement.cells),
        "value": statement.value,
        "table": statement.table,
        "matched": statement.matched,
        "text": statement.text,
        "span": span_to_dict(statement.span),
    }


def _statement_from_dict(data: Mapping[str, Any]) -> m.Statement:
    return m.Statement(
        tuple(data["cells"]),
        data["value"],
        data["table"],
        data["matched"],
        data.get("text", ""),
        span_from_dict(data.get("span")),
    )


def _request_rows(report: m.Report) -> dict[str, m.RequestRow]:
    out: dict[str, m.RequestRow] = {}
    if report.template is None:
        return out
    for cell_id in cell_ids(report.template):
        if cell_id.startswith("requests.") and cell_id.endswith(".total"):
            path = cell_id[: -len(".total")]
            out[path] = _walk(report, path)
    return out


def report_to_dict(report: m.Report) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    provenance: dict[str, Any] = {}
    if report.template is not None:
        for cell_id in cell_ids(report.template):
            cell = _walk(report, cell_id)
            cells[cell_id] = _value_to_json(cell.value)
            if cell.raw is not None or cell.span is not None or cell.provenance is not None:
                provenance[cell_id] = {
                    "raw": cell.raw,
                    "span": span_to_dict(cell.span),
                    "how": None if cell.provenance is None else cell.provenance.value,
                }
    rows = {
        path: {"label": row.label, "span": span_to_dict(row.span)}
        for path, row in _request_rows(report).items()
        if row.label is not None or row.span is not None
    }
    tables: dict[str, Any] = {}
    for name in _TABLES:
        table = getattr(report, name)
        if table is not None:
            tables[name] = {
                "text": table.text,
                "extra": [{"text": e.text, "span": span_to_dict(e.span)} for e in table.extra],
            }
    return {
        "agency": report.agency,
        "year": report.year,
        "template": report.template,
        "title": report.title,
        "preamble": report.preamble,
        "sections": {name: _section_to_dict(getattr(report, name)) for name in _SECTIONS},
        "cells": cells,
        "provenance": provenance,
        "rows": rows,
        "tables": tables,
        "metadata": [list(pair) for pair in report.metadata],
        "diagnostics": [_diagnostic_to_dict(d) for d in report.diagnostics],
        "narrative": [_statement_to_dict(s) for s in report.narrative],
    }


def report_from_dict(data: Mapping[str, Any]) -> m.Report:
    template = data.get("template")
    active = requests = review = None
    if template is not None:
        types = cell_types(template)
        provenance = data.get("provenance", {})
        cells = {}
        for cell_id, value in data.get("cells", {}).items():
            if cell_id not in types:
                raise ValueError(f"cell id {cell_id!r} is not in the {template} template")
            extra = provenance.get(cell_id, {})
            how = extra.get("how")
            cells[cell_id] = m.Cell(
                _value_from_json(value, types[cell_id]),
                extra.get("raw"),
                span_from_dict(extra.get("span")),
                None if how is None else m.Provenance(how),
            )
        rows = {
            path: (row.get("label"), span_from_dict(row.get("span")))
            for path, row in data.get("rows", {}).items()
        }
        fields = {}
        for name in _TABLES:
            table = data.get("tables", {}).get(name, {})
            fields[name] = {
                "text": table.get("text", ""),
                "extra": tuple(
                    m.ExtraLine(e["text"], span_from_dict(e.get("span"))) for e in table.get("extra", ())
                ),
            }
        active, requests, review = assemble(
            template,
            cells,
            rows,
            active_fields=fields["active"],
            requests_fields=fields["requests"],
            review_fields=fields["review"],
        )
    sections = data.get("sections", {})
    return m.Report(
        agency=data.get("agency"),
        year=data.get("year"),
        template=template,
        title=data.get("title"),
        preamble=data.get("preamble", ""),
        overview=_section_from_dict(sections.get("overview")),
        active=active,
        requests=requests,
        review=review,
        problems=_section_from_dict(sections.get("problems")),
        other_matters=_section_from_dict(sections.get("other_matters")),
        metadata=tuple((k, v) for k, v in data.get("metadata", ())),
        diagnostics=tuple(diagnostic_from_dict(d) for d in data.get("diagnostics", ())),
        narrative=tuple(_statement_from_dict(s) for s in data.get("narrative", ())),
    )


def report_to_json(report: m.Report, **kwargs: Any) -> str:
    kwargs.setdefault("ensure_ascii", False)
    return json.dumps(report_to_dict(report), **kwargs)
