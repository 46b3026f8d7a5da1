"""govreport: exact, typed data from Chinese government information disclosure
annual reports (政府信息公开工作年度报告).

    >>> import govreport
    >>> report = govreport.parse(text)            # doctest: +SKIP
    >>> report.cells()["requests.total.total"]    # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .api import parse
from .errors import (
    GovReportError,
    ParseError,
    StrictModeError,
    UnknownNameError,
    UnsupportedTemplateError,
)
from .measures import measures  # eager: the function shadows its module's name
from .model import (
    Category,
    Cell,
    Diagnostic,
    ExtraLine,
    Provenance,
    Report,
    Section,
    Severity,
    Span,
    Statement,
    Subsection,
)
from .render import LAYOUTS, render  # eager: the function shadows its module's name
from .vocabulary import cell_ids

if TYPE_CHECKING:
    from .batch import ReadError, check_corpus, parse_many
    from .export import ExportError, codebook, extract, read_reports, to_frame
    from .formats import MissingExtraError, parse_bytes, parse_file
    from .view import to_html

#: Names imported from their module when first used, so that ``import
#: govreport`` (and a cold start) pays only for parsing.
_LAZY: dict[str, str] = {
    "ReadError": "batch",
    "check_corpus": "batch",
    "parse_many": "batch",
    "ExportError": "export",
    "to_frame": "export",
    "read_reports": "export",
    "extract": "export",
    "codebook": "export",
    "MissingExtraError": "formats",
    "parse_bytes": "formats",
    "parse_file": "formats",
    "to_html": "view",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
    "read_reports",
    "extract",
    "codebook",
    "to_html",
    "measures",
    "Report",
    "Cell",
    "Provenance",
    "Span",
    "Section",
    "Subsection",
    "ExtraLine",
    "Diagnostic",
    "Statement",
    "Severity",
    "Category",
    "GovReportError",
    "ParseError",
    "UnsupportedTemplateError",
    "StrictModeError",
    "UnknownNameError",
    "ReadError",
    "MissingExtraError",
    "ExportError",
    "cell_ids",
    "__version__",
]
