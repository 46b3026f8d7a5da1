"""Imported by the fork server of :func:`govreport.parse_many` before it
forks any worker: the package is imported, the parser built and its lexers
warmed there once, so every worker starts warm, sharing all of it
copy-on-write, instead of each building its own. A pool started again later
in the same process forks from the same warm server.

Warming parses a report of each template in each layout, with numbers in
its cells: the lexer learns which terminals can start at each kind of
position and compiles the alternations it uses often, as a worker would
otherwise do over its first few dozen reports. Then everything the server
holds is moved out of the garbage collector's sight (:func:`gc.freeze`): a
worker's collections do not walk the parser's tables, nor copy the pages
they lie on. Measured on the generated corpus (docs/benchmarks.md): a
worker forked from a server warmed on one blank report took about 9.4 ms
for each of its first 50 reports and 5.8 ms later on; warmed and frozen as
here, 7.6 and 5.4 ms."""

from __future__ import annotations

import contextlib
import gc
from decimal import Decimal

from .api import parse
from .errors import GovReportError
from .model import Report
from .render import LAYOUTS, render
from .vocabulary import ValueType, cell_types


def warm() -> None:
    """Parse a report of each template in each layout (nothing is kept).
    Warming is best effort: a report that did not parse would only leave
    the workers less warm, never stop the server."""
    for template in ("2021", "2019"):
        cells = {
            cell: Decimal(index % 5) / 2 if kind is ValueType.MONEY else index % 7
            for index, (cell, kind) in enumerate(cell_types(template).items())
        }
        report = Report.from_dict(
            {"template": template, "agency": "某局", "year": int(template), "cells": cells}
        )
        for layout in LAYOUTS:
            with contextlib.suppress(GovReportError):
                parse(render(report, layout=layout))


warm()
gc.freeze()
