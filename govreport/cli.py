"""The ``govreport`` command (``python -m govreport``).

``govreport parse FILE`` prints the report read from a text file as JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, parse
from .errors import GovReportError

__all__ = ["main"]


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GovReportError(f"{path}: not UTF-8 or GB18030 text")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="govreport",
        description="Read 政府信息公开工作年度报告 (government information disclosure annual reports).",
    )
    parser.add_argument("--version", action="version", version=f"govreport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    parse_command = commands.add_parser("parse", help="print a report as JSON")
    parse_command.add_argument("file", type=Path, help="the report as a text file")
    parse_command.add_argument("--strict", action="store_true", help="fail on any error-level diagnostic")
    args = parser.parse_args(argv)

    try:
        report = parse(_read_text(args.file), strict=args.strict)
    except (GovReportError, OSError) as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(report.to_json(indent=2) + "\n")
    return 0
