"""The ``govreport`` command (``python -m govreport``).

- ``govreport parse FILE``: the report as JSON (or Markdown) on stdout;
- ``govreport check PATH...``: the diagnostics, one compiler-style line each;
- ``govreport extract PATH... -o OUT``: many reports into one table.

Exit status: 0 on success; 1 when ``check`` finds an error-level
diagnostic; 2 for a file that cannot be parsed (or ``parse --strict`` on an
error-level diagnostic) and for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from . import __version__
from .batch import default_jobs, expand, load, ordered_map
from .errors import GovReportError
from .export import Record, corpus_records, extract, load_record, output_format, record_to_json
from .model import Diagnostic, Severity

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2


def _jobs(text: str) -> int:
    jobs = int(text)
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govreport",
        description="Read 政府信息公开工作年度报告 (government information disclosure annual reports) "
        "into exact, typed data.",
    )
    parser.add_argument("--version", action="version", version=f"govreport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    jobs = {
        "type": _jobs,
        "default": None,
        "metavar": "N",
        "help": f"processes parsing, this one included (default: the number of cores, here {default_jobs()})",
    }
    paths_help = "report files, folders (walked for .txt, .html, .docx and .pdf files) or glob patterns ('reports/**/*.txt')"

    parse = commands.add_parser(
        "parse",
        help="print one report as JSON or Markdown",
        description="Print the report in FILE: metadata, cells and diagnostics.",
    )
    parse.add_argument("file", type=Path, metavar="FILE", help="the report (a text file)")
    parse.add_argument(
        "--format", choices=("json", "markdown"), default="json", help="output format (default: json)"
    )
    parse.add_argument(
        "--strict", action="store_true", help="exit with status 2 on any error-level diagnostic"
    )

    check = commands.add_parser(
        "check",
        help="report what is inconsistent in reports, compiler-style",
        description="Print every diagnostic as 'path:line:column: severity code: message' "
        "('path: severity code: message' when it has no position), then a summary. "
        "Reports of the same agency for consecutive years are compared too. "
        "Exit status: 1 if any error-level diagnostic, 2 if a file could not be parsed.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    check.add_argument(
        "--severity",
        choices=("info", "warning", "error"),
        default="info",
        help="print (as text or JSON) the diagnostics of this severity and above (default: info); "
        "the summary counts all",
    )
    check.add_argument("--jobs", "-j", **jobs)  # type: ignore[arg-type]

    extract_ = commands.add_parser(
        "extract",
        help="parse many reports into one table (DuckDB, Parquet, CSV, JSON Lines)",
        description="Parse every report in parallel and write them to OUT, in the format of its "
        "suffix: .duckdb (tables reports, cells, diagnostics, errors), .parquet and .csv "
        "(one row per file, one column per cell id), .jsonl (one object per file). "
        "Files that cannot be parsed are written as errors and the run goes on. "
        "Running again over the same files replaces their rows.",
    )
    extract_.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    extract_.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("govreport.duckdb"),
        metavar="OUT",
        help="the output file (default: govreport.duckdb in the current folder)",
    )
    extract_.add_argument("--jobs", "-j", **jobs)  # type: ignore[arg-type]
    extract_.add_argument(
        "--quiet", "-q", action="store_true", help="no progress bar and no summary on stderr"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    command = {"parse": _parse, "check": _check, "extract": _extract}[args.command]
    try:
        return command(args)
    except GovReportError as error:  # raised before any file was read (e.g. a missing extra)
        print(f"govreport: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


# ---------------------------------------------------------------------------
# parse
# ---------------------------------------------------------------------------


def _parse(args: argparse.Namespace) -> int:
    try:
        report = load(args.file)
    except GovReportError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.strict and report.errors:
        for d in report.errors:
            print(_diagnostic_line(str(args.file), d), file=sys.stderr)
        return EXIT_FAILED
    if args.format == "markdown":
        from .markdown import to_markdown

        sys.stdout.write(to_markdown(report))
    else:
        sys.stdout.write(report.to_json(indent=2) + "\n")
    return EXIT_OK


def _diagnostic_line(path: str | None, d: Diagnostic) -> str:
    """``path:line:column: severity code: message`` (``path: severity code:
    message`` for a diagnostic without a position)."""
    return f"{path}:{d}" if d.span else f"{path}: {d}"


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------


def _error_line(rec: Record) -> str:
    assert rec.error is not None
    kind, message, line, column = rec.error
    where = f"{line}:{column or 1}:" if line is not None else ""
    return f"{rec.path}:{where} fatal {kind}: {message}"


def _check(args: argparse.Namespace) -> int:
    files = expand(args.paths, missing=_no_match)
    if not files:
        print("govreport check: no report files found", file=sys.stderr)
        return EXIT_FAILED
    threshold = Severity(args.severity)
    counts = dict.fromkeys(Severity, 0)
    failed = 0
    found: list[dict[str, Any]] = []
    out = sys.stdout
    with tempfile.TemporaryFile() as spool:
        parsed = (rec for _, rec in ordered_map(load_record, files, _workers(args.jobs, files)))
        for rec in corpus_records(parsed, spool):
            failed += rec.error is not None
            for d in rec.diagnostics:
                counts[d.severity] += 1
            shown = [d for d in rec.diagnostics if d.severity >= threshold]
            if args.format == "json":
                found.append(_check_json(attrs.evolve(rec, diagnostics=tuple(shown))))
            elif rec.error:
                print(_error_line(rec), file=out)
            else:
                for d in shown:
                    print(_diagnostic_line(rec.path, d), file=out)
    status = EXIT_FAILED if failed else EXIT_FINDINGS if counts[Severity.ERROR] else EXIT_OK
    summary = {
        "files": len(files),
        "failed": failed,
        **{f"{s.value}s": counts[s] for s in Severity},
    }
    if args.format == "json":
        json.dump({"files": found, "summary": summary}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        print(_summary_line(summary), file=out)
    return status


def _summary_line(summary: dict[str, int]) -> str:
    def n(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    line = (
        f"{n(summary['files'], 'file')}, {n(summary['errors'], 'error')}, "
        f"{n(summary['warnings'], 'warning')}, {n(summary['infos'], 'info')}"
    )
    if summary["failed"]:
        line += f"; {n(summary['failed'], 'file')} could not be parsed"
    return line


def _check_json(rec: Record) -> dict[str, Any]:
    data = record_to_json(rec)
    del data["cells"]
    return data


def _workers(jobs: int | None, files: Sequence[Path]) -> int:
    """No more processes than files (one file is read in this process)."""
    return max(1, min(jobs or default_jobs(), len(files)))


def _no_match(pattern: str) -> None:
    print(f"govreport: no file matches {pattern}", file=sys.stderr)


# ---------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------


class _Progress:
    """A one-line progress bar on a terminal; nothing when stderr is not one."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.stream = stream
        self.start = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self.shown < 0.1:
            return
        self.shown = now
        width = 30
        filled = width * done // max(self.total, 1)
        rate = done / max(now - self.start, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} files, {rate:.0f}/s "
        )
        if done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def _extract(args: argparse.Namespace) -> int:
    out: Path = args.output
    output_format(out)  # an unknown suffix fails before any file is read
    files = expand(args.paths, missing=_no_match)
    if not files:
        print("govreport extract: no report files found", file=sys.stderr)
        return EXIT_FAILED
    progress = _Progress(len(files), sys.stderr) if not args.quiet and sys.stderr.isatty() else None
    start = time.monotonic()
    summary = extract(files, out, jobs=_workers(args.jobs, files), progress=progress)
    if not args.quiet:
        print(
            f"{summary.files} files → {out}: {summary.reports} reports, "
            f"{summary.errors} could not be parsed ({time.monotonic() - start:.1f} s)",
            file=sys.stderr,
        )
    return EXIT_OK
