"""The exceptions govreport raises. Every one is a :class:`GovReportError`.

An error's ``message`` says what is wrong and carries no location; ``line``,
``column`` (1-based) and ``excerpt`` (the source line) say where, and
``str(error)`` joins them with a caret under the column::

    3:1: a report written before the 2019 template (一、概述) …
        一、概述
        ^

Errors pickle (batch parsing sends them between processes).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Diagnostic, Report

__all__ = [
    "GovReportError",
    "ParseError",
    "UnsupportedTemplateError",
    "StrictModeError",
    "UnknownNameError",
]


class GovReportError(Exception):
    """The root of every error govreport raises."""

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.excerpt = excerpt

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        text = f"{self.line}:{self.column or 1}: {self.message}"
        if self.excerpt is not None:
            pad = " " * max((self.column or 1) - 1, 0)
            text += f"\n    {self.excerpt}\n    {pad}^"
        return text

    def _state(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "excerpt": self.excerpt}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self._state()))


def _rebuild(cls: type[GovReportError], message: str, state: dict[str, Any]) -> GovReportError:
    error = cls.__new__(cls)
    GovReportError.__init__(
        error, message, line=state.pop("line"), column=state.pop("column"), excerpt=state.pop("excerpt")
    )
    error.__dict__.update(state)
    return error


class ParseError(GovReportError):
    """The text is not a government information disclosure annual report:
    empty, binary data, or text with none of the template's headings and
    tables."""


class UnsupportedTemplateError(GovReportError):
    """A report written before the 2019 template (pre-2019 reports had no
    national table template; see shared/spec/template.md §7)."""


class StrictModeError(GovReportError):
    """Raised by ``parse(text, strict=True)`` when the report has an
    error-level diagnostic. ``diagnostics`` lists them all and ``report`` is
    the report as read."""

    def __init__(
        self,
        message: str,
        *,
        diagnostics: tuple[Diagnostic, ...] = (),
        report: Report | None = None,
        line: int | None = None,
        column: int | None = None,
        excerpt: str | None = None,
    ) -> None:
        super().__init__(message, line=line, column=column, excerpt=excerpt)
        self.diagnostics = diagnostics
        self.report = report

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "diagnostics": self.diagnostics, "report": self.report}


class UnknownNameError(GovReportError, KeyError):
    """A name govreport does not know: a template (``cell_ids("2020")``) or
    a cell id (``report.cell("nope")``). The message says what is valid and
    the closest valid names ("did you mean …"); ``key`` is the name asked
    for. A ``KeyError`` too, so ``except KeyError`` catches it."""

    def __init__(self, message: str, *, key: object = None) -> None:
        super().__init__(message)
        self.key = key

    @classmethod
    def build(cls, key: object, what: str, valid: Sequence[str]) -> UnknownNameError:
        """The error for ``key``, not one of ``valid``: ``what`` says what
        ``key`` is not and what is valid instead (``"not a template: use '2019'
        or '2021'"``); the closest names of ``valid`` follow."""
        name = str(key)  # 2021 for "2021": that one, not the closest
        close = [name] if name in valid else difflib.get_close_matches(name, valid, n=3)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        return cls(f"{key!r} is {what}{hint}", key=key)

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "key": self.key}
