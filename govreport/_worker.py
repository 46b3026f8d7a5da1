"""Imported by each worker process of :func:`govreport.parse_many` when it
starts (the pool's initializer), before it takes a file: the parser is
built and its lexers warmed there once. (The workers used to fork from a
fork server that had imported this module, so that every pool started
warm; that meant setting the fork server's preload list, which is global
to the host program: issue 16.)

Warming parses a report of each template in each layout, with numbers in
its cells: the lexer learns which terminals can start at each kind of
position and compiles the alternations it uses often, as a worker would
otherwise do over its first few dozen reports. Then everything the worker
holds is moved out of the garbage collector's sight (:func:`gc.freeze`): its
collections do not walk the parser's tables. Measured on the generated
corpus (docs/benchmarks.md): a worker warmed on one blank report took about
9.4 ms for each of its first 50 reports and 5.8 ms later on; warmed and
frozen as here, 7.6 and 5.4 ms. Warming takes about half a second, while
the calling process parses the first files itself."""

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
