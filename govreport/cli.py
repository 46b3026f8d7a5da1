"""The ``govreport`` command (``python -m govreport``).

- ``govreport parse FILE``: the report as JSON (or Markdown) on stdout;
- ``govreport check PATH...``: the diagnostics, one compiler-style line each;
- ``govreport extract PATH... -o OUT``: many reports into one table;
- ``govreport view FILE [FILE2] -o OUT.html``: the tables as one HTML page.

Exit status: 0 on success; 1 when ``check`` (or ``parse --strict``) finds
an error-level diagnostic, and when ``extract`` could read no file (or,
with ``--fail-on-error``, could not parse some file); 2 for a file that
cannot be parsed and for usage
errors (``govreport: error: …``, one line: a path that does not exist, an
output that cannot be written, …); 141 when the reader of stdout closes it
(``govreport check … | head``), quietly, as grep does; 130 on Ctrl-C
(``govreport: interrupted``, one line).
"""

from __future__ import annotations

import argparse
import codecs
import collections
import difflib
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from . import __version__
from . import diagnostics as dx
from ._progress import counter, terminal_bar
from .baseline import Baseline, fingerprint, report_key
from .baseline import write as write_baseline
from .batch import Found, default_jobs, find, load, ordered_map, readable_suffixes, reader
from .errors import GovReportError
from .export import Record, corpus_records, extract, load_record, output_format, record_to_json
from .model import Diagnostic, Severity

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_FAILED = 0, 1, 2
#: Killed by SIGPIPE, as the shell reports grep's status in ``grep … | head``.
EXIT_BROKEN_PIPE = 128 + 13
#: Interrupted (Ctrl-C, SIGINT), as the shell reports it.
EXIT_INTERRUPTED = 128 + 2


def _encoding(text: str) -> str:
    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding {text!r} (Python's codec names: gb18030, big5, utf-16, …)"
        ) from None
    return text


def _error_handler(text: str) -> str:
    try:
        codecs.lookup_error(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown error handler {text!r} (strict, replace, ignore, backslashreplace, …)"
        ) from None
    return text


def _reading(command: argparse.ArgumentParser) -> None:
    """The options of the commands that read report files: the encoding."""
    command.add_argument(
        "--encoding",
        type=_encoding,
        metavar="NAME",
        help="the text encoding of text files and HTML pages (gb18030, big5, utf-16, …), over a "
        "page's <meta charset> (default: detected: byte-order mark, UTF-8, UTF-16, GB18030)",
    )
    command.add_argument(
        "--encoding-errors",
        type=_error_handler,
        default="strict",
        metavar="HANDLER",
        help="what to do with bytes the encoding cannot decode: strict (the default: the file is an "
        "error naming the byte offset), replace (U+FFFD and an undecodable-bytes warning), ignore",
    )


def _progress_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr, with the time elapsed and left (default: when stderr is a terminal)",
    )


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
    paths_help = (
        f"report files, folders (walked for {', '.join(sorted(readable_suffixes()))} files; "
        "the others are counted on stderr) or glob patterns ('reports/**/*.txt')"
    )

    parse = commands.add_parser(
        "parse",
        help="print one report as JSON or Markdown",
        description="Print the report in FILE: metadata, cells and diagnostics.",
    )
    parse.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help="the report: text in any common encoding, HTML, DOCX or PDF (docs/formats.md); - reads it from stdin",
    )
    parse.add_argument(
        "--format", choices=("json", "markdown"), default="json", help="output format (default: json)"
    )
    parse.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 on any error-level diagnostic, as check does (2: the file cannot be parsed)",
    )
    _reading(parse)

    check = commands.add_parser(
        "check",
        help="report what is inconsistent in reports, compiler-style",
        description="Print every diagnostic as 'path:line:column: severity code: message' "
        "('path: severity code: message' when it has no position), then a summary. "
        "Reports of the same agency for consecutive years are compared too. "
        "Exit status: 1 if any error-level diagnostic (of those selected), 2 if a file could "
        "not be parsed.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output format (default: text; github: workflow commands, ::error file=…,line=…::…)",
    )
    check.add_argument(
        "--severity",
        choices=("info", "warning", "error"),
        default="warning",
        help="print the diagnostics of this severity and above (default: warning); the summary counts all",
    )
    check.add_argument(
        "--select",
        action="append",
        metavar="CODE",
        help="only these codes (a code, or the start of one: placement-); repeat or separate by commas",
    )
    check.add_argument(
        "--ignore", action="append", metavar="CODE", help="not these codes (as --select); they do not count"
    )
    check.add_argument(
        "--statistics", action="store_true", help="print how many of each code instead of each diagnostic"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when an error-level diagnostic is found"
    )
    check.add_argument("--jobs", "-j", **jobs)  # type: ignore[arg-type]
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="findings reviewed before: if FILE does not exist, write every finding to it and exit 0; "
        "if it does, show only the findings not in it (the summary says how many were suppressed)",
    )
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="with --baseline: write the current findings to FILE, whether or not it exists",
    )
    _reading(check)
    _progress_option(check)

    extract_ = commands.add_parser(
        "extract",
        help="parse many reports into one table (DuckDB, Parquet, CSV, JSON Lines)",
        description="Parse every report in parallel and write them to OUT, in the format of its "
        "suffix: .duckdb (tables reports, cells, diagnostics, errors), .parquet and .csv "
        "(one row per file, one column per cell id), .jsonl (one object per file). "
        "Files that cannot be parsed are written as errors and the run goes on. "
        "Running again over the same files replaces their rows. "
        "The one-row-per-file outputs hold printed and solved values; --inferred adds the "
        "values that rest on an assumption the text cannot confirm. The DuckDB cells table "
        "holds every value with its provenance (printed, solved, inferred) and span. "
        "Exit status: 1 if no file could be parsed (or, with --fail-on-error, any file "
        "could not), 2 for a PATH that does not exist or an OUT that cannot be written "
        "(then nothing is written).",
    )
    extract_.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    extract_.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("govreport.duckdb"),
        metavar="OUT",
        help="the output file (default: govreport.duckdb in the current folder); - streams CSV "
        "(or, with --format jsonl, JSON Lines) to stdout",
    )
    extract_.add_argument(
        "--format",
        choices=("csv", "jsonl", "parquet", "duckdb"),
        help="the output format, instead of OUT's suffix (with -o -: csv, the default, or jsonl)",
    )
    extract_.add_argument(
        "--excel", action="store_true", help="CSV with a byte-order mark, for Excel on Chinese Windows"
    )
    extract_.add_argument("--jobs", "-j", **jobs)  # type: ignore[arg-type]
    extract_.add_argument(
        "--table",
        choices=("reports", "measures"),
        default="reports",
        help="for .csv and .parquet: the table to write, one row per file (default: reports) or the "
        "defined measures (docs/measures.md); .duckdb has both, .jsonl a measures key",
    )
    extract_.add_argument(
        "--inferred",
        action="store_true",
        help="also write inferred values in the one-row-per-file outputs (.csv, .parquet, .jsonl)",
    )
    extract_.add_argument(
        "--quiet", "-q", action="store_true", help="no progress bar and no summary on stderr"
    )
    _progress_option(extract_)
    _reading(extract_)
    extract_.add_argument(
        "--fail-on-error",
        action="store_true",
        help="exit with status 1 if any file could not be parsed (default: only if none could)",
    )

    view = commands.add_parser(
        "view",
        help="draw a report's tables as one HTML page, every finding on its cells",
        description="Write one self-contained HTML page (no network, no external file: it opens "
        "from a mail attachment) showing the report's metadata and tables as the template draws "
        "them, how each value was read, and every diagnostic on its cells; click a cell or a "
        "diagnostic to see the source line. With FILE2, the same agency's report of another "
        "year: the two side by side, earlier first, and the carry-over rule checked column by "
        "column as check does.",
    )
    view.add_argument("file", type=Path, metavar="FILE", help="the report (any format parse reads)")
    view.add_argument(
        "file2",
        type=Path,
        nargs="?",
        metavar="FILE2",
        help="the same agency's report of the year before or after",
    )
    view.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="the HTML file to write (default: FILE's name with .html, in the current folder); - writes to stdout",
    )
    view.add_argument("--open", action="store_true", help="open the page in the web browser afterwards")
    _reading(view)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    command = {"parse": _parse, "check": _check, "extract": _extract, "view": _view}[args.command]
    try:
        status = command(args)
        sys.stdout.flush()  # where a closed pipe often shows
        return status
    except BrokenPipeError:
        return _stdout_closed()
    except GovReportError as error:  # a missing extra, an output that cannot be written
        return _usage_error(str(error))
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback (and no output file left behind)
        print("govreport: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _usage_error(message: str) -> int:
    print(f"govreport: error: {message}", file=sys.stderr)
    return EXIT_FAILED


def _stdout_closed() -> int:
    """The reader of stdout closed it (``govreport check … | head``): stop
    quietly, with the status the shell gives grep there (killed by SIGPIPE,
    128 + 13). stdout is pointed at /dev/null, so that the interpreter's own
    flush at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


# ---------------------------------------------------------------------------
# parse
# ---------------------------------------------------------------------------


def _parse(args: argparse.Namespace) -> int:
    try:
        if str(args.file) == "-":
            from .formats import parse_bytes

            report = parse_bytes(
                sys.stdin.buffer.read(), encoding=args.encoding, encoding_errors=args.encoding_errors
            )
        else:
            report = load(args.file, encoding=args.encoding, encoding_errors=args.encoding_errors)
    except GovReportError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if args.strict and report.errors:
        for d in report.errors:
            print(_diagnostic_line(str(args.file), d), file=sys.stderr)
        return EXIT_FINDINGS  # as check: 1 for error-level diagnostics, 2 for a file not parsed
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
    if args.update_baseline and args.baseline is None:
        return _usage_error("--update-baseline needs --baseline FILE")
    files = _files(args.paths).files  # a path that does not exist is a file that could not be read
    if not files:
        return _usage_error("no report files found")
    writing = args.baseline is not None and (args.update_baseline or not args.baseline.exists())
    baseline = Baseline.read(args.baseline) if args.baseline is not None and not writing else None
    reviewed: list[dict[str, Any]] = []
    threshold = Severity(args.severity)
    chosen = _codes(args.select, args.ignore)
    counts = dict.fromkeys(Severity, 0)
    by_code: collections.Counter[tuple[str, Severity]] = collections.Counter()
    failed = errors = 0
    found: list[dict[str, Any]] = []
    out = sys.stdout
    read = reader(load_record, args.encoding, args.encoding_errors)
    with tempfile.TemporaryFile() as spool:
        with terminal_bar(len(files), sys.stderr, enabled=_shows_progress(args)) as bar:
            parsed = (rec for _, rec in ordered_map(read, files, _workers(args.jobs, files)))
            records = corpus_records(parsed, spool, counter(bar))
            first = next(records, None)  # every file is read (and the bar done) before the first is shown
        for rec in itertools.chain([first] if first is not None else [], records):
            if args.baseline is not None:
                rec = _against_baseline(rec, baseline, reviewed)
            failed += rec.error is not None
            for d in rec.diagnostics:
                counts[d.severity] += 1
            picked = [d for d in rec.diagnostics if chosen(d.code)]
            errors += sum(d.severity is Severity.ERROR for d in picked)
            shown = [d for d in picked if d.severity >= threshold]
            by_code.update((d.code, d.severity) for d in shown)
            if args.format == "json":
                found.append(_check_json(attrs.evolve(rec, diagnostics=tuple(shown))))
            elif args.statistics:
                continue
            elif args.format == "github":
                for line in _github_lines(rec, shown):
                    print(line, file=out)
            elif rec.error:
                print(_error_line(rec), file=out)
            else:
                for d in shown:
                    print(_diagnostic_line(rec.path, d), file=out)
    status = EXIT_FAILED if failed else EXIT_FINDINGS if errors and not args.exit_zero else EXIT_OK
    if writing:
        written = write_baseline(args.baseline, reviewed)
        print(
            f"govreport: wrote {_count(written, 'finding')} to the baseline {args.baseline}", file=sys.stderr
        )
        status = EXIT_FAILED if failed else EXIT_OK
    if args.statistics and args.format != "json":
        for (code, severity), n in sorted(by_code.items(), key=lambda item: (-item[1], item[0][0])):
            print(f"{n:>7}  {code} ({severity.value})", file=out)
    summary = {
        "files": len(files),
        "failed": failed,
        **{f"{s.value}s": counts[s] for s in Severity},
    }
    if args.baseline is not None:
        summary["baselined"] = len(reviewed) if writing else baseline.suppressed if baseline else 0
    if args.format == "json":
        json.dump({"files": found, "summary": summary}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        print(_summary_line(summary), file=out)
    return status


def _codes(select: Sequence[str] | None, ignore: Sequence[str] | None) -> Callable[[str], bool]:
    """Whether a diagnostic code is checked: selected (all when no --select)
    and not ignored; a code given is the code or the start of codes."""

    def split(values: Sequence[str] | None) -> tuple[str, ...]:
        return tuple(c.strip() for value in values or () for c in value.split(",") if c.strip())

    selected, ignored = split(select), split(ignore)
    known = set(dx.CODES)
    for code in (*selected, *ignored):
        if not any(k.startswith(code) for k in known):
            close = difflib.get_close_matches(code, sorted(known), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else " (docs/diagnostics.md lists them)"
            raise SystemExit(_usage_error(f"no diagnostic code is or starts with {code!r}{hint}"))
    return lambda code: (
        (not selected or code.startswith(selected)) and not (ignored and code.startswith(ignored))
    )


def _github_lines(rec: Record, shown: Sequence[Diagnostic]) -> Iterator[str]:
    """GitHub Actions workflow commands: an annotation per diagnostic."""
    if rec.error is not None:
        kind, message, line, column = rec.error
        where = f",line={line},col={column or 1}" if line is not None else ""
        yield f"::error file={rec.path}{where},title={kind}::{_escape(message)}"
    for d in shown:
        level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")
        where = f",line={d.span.line},col={d.span.column}" if d.span else ""
        yield f"::{level} file={rec.path}{where},title={d.code}::{_escape(d.message)}"


def _escape(message: str) -> str:
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _count(count: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary_line(summary: dict[str, int]) -> str:
    n = _count
    line = (
        f"{n(summary['files'], 'file')}, {n(summary['errors'], 'error')}, "
        f"{n(summary['warnings'], 'warning')}, {n(summary['infos'], 'info')}"
    )
    if summary["failed"]:
        line += f"; {n(summary['failed'], 'file')} could not be parsed"
    if "baselined" in summary:
        line += f"; {n(summary['baselined'], 'finding')} in the baseline, not shown"
    return line


def _against_baseline(rec: Record, baseline: Baseline | None, reviewed: list[dict[str, Any]]) -> Record:
    """``rec`` with the findings of the baseline left out (all of them when
    the baseline is being written: ``baseline`` is None, and ``reviewed``
    collects them)."""
    if rec.error is not None:
        return rec
    key = report_key(rec.agency, rec.year, rec.sha256)
    values = {cell_id: value for cell_id, value, *_ in rec.cells}
    pairs = [(d, fingerprint(key, d, values)) for d in rec.diagnostics]
    if baseline is None:
        reviewed.extend(entry for _, entry in pairs)
        return attrs.evolve(rec, diagnostics=())
    return attrs.evolve(rec, diagnostics=tuple(baseline.new(pairs)))


def _check_json(rec: Record) -> dict[str, Any]:
    data = record_to_json(rec)
    del data["cells"], data["measures"]
    return data


def _workers(jobs: int | None, files: Sequence[Path]) -> int:
    """No more processes than files (one file is read in this process)."""
    return max(1, min(jobs or default_jobs(), len(files)))


def _files(paths: Sequence[str]) -> Found:
    """:func:`~govreport.batch.find` ``paths``, saying on stderr which globs
    match nothing and how many files were skipped, by suffix."""
    found = find(paths)
    for pattern in found.unmatched:
        print(f"govreport: no file matches {pattern}", file=sys.stderr)
    if found.skipped:
        by_suffix = collections.Counter(path.suffix.lower() or "(no suffix)" for path in found.skipped)
        counts = ", ".join(f"{count} {suffix}" for suffix, count in sorted(by_suffix.items()))
        n = len(found.skipped)
        print(
            f"govreport: skipped {n} file{'' if n == 1 else 's'} of a kind govreport does not read: {counts}",
            file=sys.stderr,
        )
    return found


# ---------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------


def _shows_progress(args: argparse.Namespace) -> bool:
    """``--progress`` or ``--no-progress`` when given; else a bar when stderr
    is a terminal (and not ``--quiet``)."""
    if args.progress is not None:
        return bool(args.progress)
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def _extract(args: argparse.Namespace) -> int:
    out: Path = args.output
    kind = output_format(out, args.format)  # an unknown format fails before any file is read
    if args.excel and kind != "csv":
        return _usage_error(f"--excel writes CSV, not {kind}")
    found = _files(args.paths)
    if found.absent:
        return _usage_error(f"no such file or folder: {', '.join(found.absent)} (nothing was written)")
    files = found.files
    if not files:
        return _usage_error("no report files found")
    start = time.monotonic()
    with terminal_bar(len(files), sys.stderr, enabled=_shows_progress(args)) as bar:
        summary = extract(
            files,
            out,
            jobs=_workers(args.jobs, files),
            progress=counter(bar),
            inferred=args.inferred,
            format=args.format,
            bom=args.excel,
            table=args.table,
            encoding=args.encoding,
            encoding_errors=args.encoding_errors,
        )
    if not args.quiet:
        wrote = (
            "every value with its provenance in table cells"
            if kind == "duckdb"
            else "printed, solved and inferred values"
            if args.inferred
            else "printed and solved values (--inferred adds inferred ones)"
        )
        print(
            f"{_count(summary.files, 'file')} → {'stdout' if str(out) == '-' else out}: "
            f"{_count(summary.reports, 'report')}, "
            f"{summary.errors} could not be parsed ({time.monotonic() - start:.1f} s); {wrote}",
            file=sys.stderr,
        )
    if summary.reports == 0 or (args.fail_on_error and summary.errors):
        return EXIT_FINDINGS
    return EXIT_OK


# ---------------------------------------------------------------------------
# view
# ---------------------------------------------------------------------------


def _view(args: argparse.Namespace) -> int:
    from .formats import _parse_extracted, extract_text
    from .view import to_html

    read: list[tuple[Any, str]] = []
    for path in (args.file, args.file2):
        if path is None:
            continue
        try:
            extracted = extract_text(path, encoding=args.encoding, encoding_errors=args.encoding_errors)
            read.append((_parse_extracted(extracted, False, args.encoding_errors), extracted.text))
        except OSError as error:
            print(f"{path}: cannot read the file: {error.strerror or error}", file=sys.stderr)
            return EXIT_FAILED
        except GovReportError as error:
            print(f"{path}: {error}", file=sys.stderr)
            return EXIT_FAILED
    if len(read) == 2 and read[0][0].year is not None and read[1][0].year is not None:
        read.sort(key=lambda pair: pair[0].year)  # earlier first
    (report, source), previous = read[-1], read[0] if len(read) == 2 else None
    page = to_html(
        report,
        previous[0] if previous else None,
        source=source,
        previous_source=previous[1] if previous else None,
    )
    output = args.output or Path(args.file.stem + ".html")
    if str(output) == "-":
        sys.stdout.write(page)
        return EXIT_OK
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as error:
        return _usage_error(f"cannot write {output}: {error.strerror or error}")
    print(f"govreport: wrote {output}", file=sys.stderr)
    if args.open:
        import webbrowser

        webbrowser.open(output.resolve().as_uri())
    return EXIT_OK
