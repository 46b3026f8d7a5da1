"""A baseline of findings, as linters keep one: ``govreport check --baseline FILE``.

An office reviews the findings of its reports once and keeps them in a
baseline file; later runs show only what is not in it. Each finding is known
by a fingerprint that survives moving, renaming and re-converting the
files, and edits elsewhere in the report:

- its code;
- the report's key: ``agency year`` as read (the same report as text, HTML
  or PDF has one key), or ``sha256:<hex>`` of the file when the agency or
  the year is not read;
- the cell ids it names, each with its value in the report (a finding on the
  same cells with other numbers is a new finding);
- its message with numbers and file names masked (no line numbers, no
  paths: a finding that moved within the report is the same finding).

A report may have the same fingerprint more than once (two identical
label variants): the baseline counts them, and a run shows those beyond the
count.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from . import __version__
from .errors import GovReportError
from .model import Diagnostic, Value

__all__ = ["VERSION", "BaselineError", "report_key", "fingerprint", "Baseline", "write"]

#: The format of the baseline file; a file of another version is refused.
VERSION: Final = 1

_FILE: Final = re.compile(r"\S+\.(?:txt|text|md|html?|shtml|xhtml|docx?|pdf)\b", re.I)
_NUMBER: Final = re.compile(r"\d+(?:\.\d+)?")


class BaselineError(GovReportError):
    """The baseline file cannot be read: not JSON, or not a baseline."""


def report_key(agency: str | None, year: int | None, sha256: str | None) -> str:
    """The key of a report in a baseline: ``agency year``, or the hash of
    its file when either is not read (``"?"`` for a report without a file)."""
    if agency and year is not None:
        return f"{agency} {year}"
    return f"sha256:{sha256}" if sha256 else "?"


def _plain(value: Value) -> int | str | None:
    return format(value, "f") if isinstance(value, Decimal) else value


def _masked(message: str) -> str:
    return _NUMBER.sub("#", _FILE.sub("<file>", message))


def fingerprint(key: str, diagnostic: Diagnostic, values: Mapping[str, Value]) -> dict[str, Any]:
    """The baseline entry of ``diagnostic`` in the report ``key`` whose
    values by cell id are ``values``: its fingerprint and what it is made of."""
    cells = {cell_id: _plain(values.get(cell_id)) for cell_id in diagnostic.cells}
    made_of = [diagnostic.code, key, sorted(cells.items()), _masked(diagnostic.message)]
    digest = hashlib.sha256(json.dumps(made_of, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]
    return {
        "fingerprint": digest,
        "code": diagnostic.code,
        "report": key,
        "cells": cells,
        "message": diagnostic.message,
    }


class Baseline:
    """The fingerprints of a baseline file, and what a run leaves of them."""

    def __init__(self, entries: Iterable[Mapping[str, Any]] = ()) -> None:
        self.counts: collections.Counter[str] = collections.Counter(e["fingerprint"] for e in entries)
        self.suppressed = 0

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Baseline:
        """The baseline in ``path``; :class:`BaselineError` when it is not one."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BaselineError(f"{path}: cannot read the baseline: {error}") from None
        if (
            not isinstance(data, dict)
            or data.get("version") != VERSION
            or not isinstance(data.get("findings"), list)
        ):
            raise BaselineError(
                f"{path}: not a govreport baseline (version {VERSION}): write a new one with --update-baseline"
            )
        entries = data["findings"]
        if not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
            raise BaselineError(f"{path}: a finding of the baseline has no fingerprint")
        return cls(entries)

    def new(self, entries: Iterable[tuple[Diagnostic, Mapping[str, Any]]]) -> Iterator[Diagnostic]:
        """The diagnostics not in the baseline (each entry's fingerprint
        used up once), counting the others as suppressed."""
        for diagnostic, entry in entries:
            if self.counts[entry["fingerprint"]] > 0:
                self.counts[entry["fingerprint"]] -= 1
                self.suppressed += 1
            else:
                yield diagnostic


def write(path: str | os.PathLike[str], entries: Iterable[Mapping[str, Any]]) -> int:
    """Write the baseline ``entries`` to ``path`` (sorted, so that the file
    diffs well); returns how many."""
    ordered = sorted(entries, key=lambda e: (e["report"], e["code"], e["fingerprint"]))
    data = {"version": VERSION, "govreport": __version__, "findings": ordered}
    try:
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror or error}") from None
    return len(ordered)
