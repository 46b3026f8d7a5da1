"""Many reports at once: reading files, parsing them in parallel, and the
checks that need more than one report.

- :func:`load` reads one file into a :class:`~govreport.Report`
  (:func:`govreport.parse_file`, with the errors of opening a file as
  :class:`ReadError`);
- :func:`expand` turns command-line arguments (files, folders, globs) into
  the list of files to read;
- :func:`parse_many` parses files in worker processes and yields
  ``(path, Report | GovReportError)`` in input order, with a bounded number
  of files in flight, so memory stays flat however many files there are;
- :func:`check_corpus` compares an agency's consecutive years
  (``carried-over-mismatch``).
"""

from __future__ import annotations

import collections
import glob
import itertools
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from . import diagnostics as dx
from .errors import GovReportError
from .formats import parse_file
from .model import Diagnostic, Report, Span
from .vocabulary import REQUEST_COLUMNS

__all__ = [
    "ReadError",
    "TEXT_SUFFIXES",
    "DOCUMENT_SUFFIXES",
    "load",
    "readable_suffixes",
    "expand",
    "default_jobs",
    "parse_many",
    "CorpusEntry",
    "corpus_entry",
    "corpus_diagnostics",
    "check_corpus",
]

#: Text files.
TEXT_SUFFIXES: Final = frozenset({".txt", ".text"})
#: Documents (docs/formats.md).
DOCUMENT_SUFFIXES: Final = frozenset({".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf"})

P = TypeVar("P")
R = TypeVar("R")


class ReadError(GovReportError):
    """A file could not be opened: it does not exist, it is a folder, or
    permission is denied. (A file govreport cannot read as a report raises
    what :func:`govreport.parse_file` raises.)"""


# ---------------------------------------------------------------------------
# One file
# ---------------------------------------------------------------------------


def readable_suffixes() -> frozenset[str]:
    """The file suffixes :func:`expand` picks up in folders and globs."""
    return TEXT_SUFFIXES | DOCUMENT_SUFFIXES


def load(path: str | os.PathLike[str]) -> Report:
    """Read the report in file ``path`` with :func:`govreport.parse_file`
    (text in any common encoding, HTML, DOCX, PDF). Raises only
    :class:`~govreport.GovReportError` subclasses: :class:`ReadError` for a
    file that cannot be opened (missing, a folder, no permission)."""
    try:
        return parse_file(path)
    except OSError as error:
        raise ReadError(f"cannot read the file: {error.strerror or error}") from None


# ---------------------------------------------------------------------------
# Many files
# ---------------------------------------------------------------------------

_GLOB_CHARS: Final = frozenset("*?[")


def _walk(folder: Path, suffixes: frozenset[str]) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(
            Path(root, name)
            for name in sorted(files)
            if not name.startswith(".") and Path(name).suffix.lower() in suffixes
        )
    return found


def expand(arguments: Iterable[str], *, missing: Callable[[str], None] | None = None) -> list[Path]:
    """The files named by ``arguments``, in order, each once.

    A file is taken as named, whatever its suffix. A folder is walked
    (sorted, hidden entries skipped) and a glob (``reports/**/*.txt``)
    expanded (sorted), keeping the files with a suffix govreport reads
    (:func:`readable_suffixes`). A path that does not exist is kept (reading
    it fails with :class:`ReadError`); ``missing`` is called with each glob
    that matches nothing."""
    suffixes = readable_suffixes()
    seen: set[str] = set()
    files: list[Path] = []

    def add(path: Path) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            files.append(Path(key))

    for argument in arguments:
        if _GLOB_CHARS & set(argument) and not Path(argument).exists():
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches and missing is not None:
                missing(argument)
            for match in map(Path, matches):
                if match.is_dir():
                    for path in _walk(match, suffixes):
                        add(path)
                elif match.suffix.lower() in suffixes:
                    add(match)
        elif Path(argument).is_dir():
            for path in _walk(Path(argument), suffixes):
                add(path)
        else:
            add(Path(argument))
    return files


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _outcome(path: str | os.PathLike[str]) -> Report | GovReportError:
    try:
        return load(path)
    except GovReportError as error:
        return error


def _bug(path: object, error: BaseException) -> RuntimeError:
    return RuntimeError(
        f"{path}: unexpected {type(error).__name__} while reading this file "
        f"(a bug in govreport; please report it with the file): {error}"
    )


def _pickled(function: Callable[[P], R], item: P) -> bytes:
    """In a worker: ``function(item)``, pickled. The caller's process then
    unpickles it in the thread that consumes it rather than in the
    executor's result thread: measured on two cores, 2 jobs came about 7
    points closer to twice one job's rate (docs/benchmarks.md)."""
    return pickle.dumps(function(item), pickle.HIGHEST_PROTOCOL)


def _result(path: object, future: Future[bytes]) -> Any:
    try:
        return pickle.loads(future.result())
    except BrokenProcessPool as error:
        raise RuntimeError(
            f"{path}: a worker process ended abruptly while reading this file (out of memory? "
            "In a script, call parse_many() under `if __name__ == '__main__':`, since worker "
            "processes import the script)"
        ) from error
    except Exception as error:
        raise _bug(path, error) from error


def _context() -> multiprocessing.context.BaseContext:
    # Workers fork from a clean server process where the platform has one:
    # forking the caller itself is unsafe once it runs threads (a DuckDB
    # connection, the executor's own manager thread).
    # The server imports govreport and builds the parser once, before it
    # forks (govreport/_worker.py): workers start warm.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", "govreport._worker"])
        return context
    return multiprocessing.get_context("spawn")


class _Task:
    """A call in flight: submitted to the workers, or made here instead."""

    __slots__ = ("done", "future", "item", "result")

    def __init__(self, item: Any, future: Future[bytes]) -> None:
        self.item = item
        self.future = future
        self.result: Any = None
        self.done = False

    def run_here(self, function: Callable[[Any], Any]) -> bool:
        """Make the call in this process, if no worker has taken it yet."""
        if self.done or not self.future.cancel():
            return False
        self.result = _call(function, self.item)
        self.done = True
        return True

    def receive(self) -> None:
        """Wait for the worker's result."""
        self.result = _result(self.item, self.future)
        self.done = True


def _call(function: Callable[[P], R], item: P) -> R:
    try:
        return function(item)
    except Exception as error:
        raise _bug(item, error) from error


def ordered_map(
    function: Callable[[P], R], items: Iterable[P], jobs: int | None = None
) -> Iterator[tuple[P, R]]:
    """``(item, function(item))`` for each item, in input order.

    With ``jobs`` > 1 the calls run in ``jobs`` processes: this one and
    ``jobs - 1`` workers, with at most ``8 * jobs`` items in flight:
    ``items`` is consumed lazily and results are yielded as soon as every
    earlier one is, so memory stays flat. While the next result is not
    ready, this process makes a call itself: the next one no worker has
    taken yet (its result needs no pickling, and it takes the share of the
    work a worker would). ``function`` should return errors, not raise them:
    an exception is a bug and is raised again here, naming the item."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        for item in items:
            yield item, _call(function, item)
        return
    window = 8 * jobs
    source = iter(items)
    pool = ProcessPoolExecutor(jobs - 1, mp_context=_context())
    tasks: collections.deque[_Task] = collections.deque()
    try:
        while True:
            for item in itertools.islice(source, window - len(tasks)):
                tasks.append(_Task(item, pool.submit(_pickled, function, item)))
            if not tasks:
                return
            first = tasks[0]
            while not first.done:
                if first.run_here(function):
                    break
                if first.future.done() or not any(task.run_here(function) for task in tasks):
                    first.receive()
            tasks.popleft()
            yield first.item, first.result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def parse_many(paths: Iterable[P], jobs: int | None = None) -> Iterator[tuple[P, Report | GovReportError]]:
    """Parse the files ``paths`` and yield ``(path, Report | GovReportError)``
    in input order.

    ``jobs`` processes parse the files: this one and ``jobs - 1`` worker
    processes (default: one process per core; ``jobs=1`` parses in this
    process only). At most ``8 * jobs`` files are in
    flight at a time and ``paths`` is consumed lazily, so memory stays flat
    over any number of files. A file that cannot be parsed yields its error
    (see :func:`load`); any other exception is a bug in govreport and is
    raised, naming the file. With ``jobs`` > 1, call it under
    ``if __name__ == "__main__":`` in a script (worker processes may import
    the script).

        >>> for path, result in govreport.parse_many(paths):   # doctest: +SKIP
        ...     if isinstance(result, govreport.GovReportError): ...
    """
    return ordered_map(_outcome, paths, jobs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# The corpus check: an agency's consecutive years
# ---------------------------------------------------------------------------

_COLUMNS: Final = tuple(column.key for column in REQUEST_COLUMNS)


@attrs.frozen
class CorpusEntry:
    """What the corpus check needs of one report: its agency and year, and
    the 二、上年结转 (``carried_over``) and 四、结转下年度继续办理
    (``carried_forward``) rows, one value per request column. The spans of
    the ``carried_over`` cells are kept pickled (:meth:`span` reads them),
    as only a mismatch needs them: an entry is a few hundred bytes, kept for
    every report of a run."""

    key: object
    agency: str | None
    year: int | None
    carried_over: tuple[int | None, ...]
    carried_forward: tuple[int | None, ...]
    spans: bytes = b""

    def span(self, column: int) -> Span | None:
        """The span of the ``carried_over`` cell of column number ``column``."""
        spans: tuple[Span | None, ...] = pickle.loads(self.spans) if self.spans else ()
        return spans[column] if column < len(spans) else None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def corpus_entry(key: object, report: Report) -> CorpusEntry:
    """The :class:`CorpusEntry` of ``report``, under ``key`` (its path)."""
    agency = sys.intern(report.agency) if report.agency else None
    if report.requests is None:
        return CorpusEntry(key, agency, report.year, (), ())
    over = [getattr(report.requests.carried_over, column) for column in _COLUMNS]
    forward = [getattr(report.requests.carried_forward, column) for column in _COLUMNS]
    return CorpusEntry(
        key,
        agency,
        report.year,
        tuple(_count(cell.value) for cell in over),
        tuple(_count(cell.value) for cell in forward),
        pickle.dumps(tuple(cell.span for cell in over), pickle.HIGHEST_PROTOCOL),
    )


def corpus_diagnostics(entries: Sequence[CorpusEntry]) -> dict[int, list[Diagnostic]]:
    """``carried-over-mismatch`` diagnostics, by index into ``entries``.

    For every agency and year y, each report of year y is compared with each
    report of the same agency for year y−1: per request column, 二、上年结转
    of y must equal 四、结转下年度继续办理 of y−1 where both print a value."""
    by_year: dict[tuple[str, int], list[int]] = collections.defaultdict(list)
    for index, entry in enumerate(entries):
        if entry.agency and entry.year is not None:
            by_year[entry.agency, entry.year].append(index)
    found: dict[int, list[Diagnostic]] = {}
    for (agency, year), indexes in by_year.items():
        for later in indexes:
            for earlier in by_year.get((agency, year - 1), ()):
                diagnostics = _compare(entries[earlier], entries[later])
                if diagnostics:
                    found.setdefault(later, []).extend(diagnostics)
    return found


def _compare(earlier: CorpusEntry, later: CorpusEntry) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if not later.carried_over or not earlier.carried_forward:  # a report without section 三
        return found
    pairs = zip(later.carried_over, earlier.carried_forward, strict=True)
    for number, (column, (over, forward)) in enumerate(zip(_COLUMNS, pairs, strict=True)):
        if over is None or forward is None or over == forward:
            continue
        found.append(
            dx.make(
                "carried-over-mismatch",
                f"column {column}: 二、上年结转 {over} in this {later.year} report, but the "
                f"{earlier.year} report {earlier.key} carried {forward} forward "
                "(四、结转下年度继续办理)",
                later.span(number),
                (f"requests.carried_over.{column}",),
            )
        )
    return found


def check_corpus(items: Iterable[tuple[P, Report]]) -> list[tuple[P, Report]]:
    """Compare the reports of each agency's consecutive years.

    Returns ``items`` with a ``carried-over-mismatch`` diagnostic (warning,
    category report) added to every later report whose 二、上年结转 differs,
    in some column, from 四、结转下年度继续办理 of the agency's report for the
    year before. Reports are matched by ``agency`` exactly as read; the
    messages name the other report by its path (the first item of its
    pair)."""
    pairs = list(items)
    extra = corpus_diagnostics([corpus_entry(path, report) for path, report in pairs])
    return [
        (path, with_diagnostics(report, extra[index]) if index in extra else report)
        for index, (path, report) in enumerate(pairs)
    ]


def with_diagnostics(report: Report, diagnostics: Iterable[Diagnostic]) -> Report:
    """``report`` with ``diagnostics`` added, in position order."""
    merged = sorted((*report.diagnostics, *diagnostics), key=dx.sort_key)
    return attrs.evolve(report, diagnostics=tuple(merged))
