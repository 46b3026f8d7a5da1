"""Imported by the fork server of :func:`govreport.parse_many` before it
forks any worker: the package is imported, the parser built and its lexers
warmed once there (by parsing a blank report of each template: the lexer
compiles the alternations it uses often), so every worker starts warm,
sharing all of it copy-on-write, instead of each building its own. A pool
started again later in the same process forks from the same warm server."""

from __future__ import annotations

from .api import parse
from .model import Report
from .render import render
from .vocabulary import cell_types


def warm() -> None:
    """Parse a blank report of each template (nothing is kept)."""
    for template in ("2021", "2019"):
        blank = Report.from_dict(
            {
                "template": template,
                "agency": "某局",
                "year": int(template),
                "cells": dict.fromkeys(cell_types(template)),
            }
        )
        parse(render(blank, layout="tsv"))


warm()
