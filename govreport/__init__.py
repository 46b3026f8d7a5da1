"""govreport: exact, typed data from Chinese government information disclosure
annual reports (政府信息公开工作年度报告).

    >>> import govreport
    >>> report = govreport.parse(text)            # doctest: +SKIP
    >>> report.cells()["requests.total.total"]    # doctest: +SKIP
"""

from __future__ import annotations

from .api import parse
from .batch import ReadError, check_corpus, parse_many
from .errors import GovReportError, ParseError, StrictModeError, UnsupportedTemplateError
from .export import ExportError, to_frame
from .formats import MissingExtraError, parse_bytes, parse_file
from .model import (
    Category,
    Cell,
    Diagnostic,
    ExtraLine,
    Report,
    Section,
    Severity,
    Span,
    Subsection,
)
from .render import LAYOUTS, render
from .vocabulary import cell_ids

__version__ = "0.1.0"

__all__ = [
    "parse",
    "parse_file",
    "parse_bytes",
    "render",
    "LAYOUTS",
    "parse_many",
    "check_corpus",
    "to_frame",
    "Report",
    "Cell",
    "Span",
    "Section",
    "Subsection",
    "ExtraLine",
    "Diagnostic",
    "Severity",
    "Category",
    "GovReportError",
    "ParseError",
    "UnsupportedTemplateError",
    "StrictModeError",
    "ReadError",
    "MissingExtraError",
    "ExportError",
    "cell_ids",
    "__version__",
]
