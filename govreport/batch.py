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
  (``carried-over-mismatch``, ``stock-mismatch``, ``repeated-narrative``).
"""

from __future__ import annotations

import ast
import collections
import functools
import glob
import importlib
import itertools
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, Final, TypeVar, overload

import attrs

from . import diagnostics as dx
from .errors import GovReportError
from .formats import parse_file
from .model import Cell, Diagnostic, Provenance, Report, Span
from .quality import Fingerprint, narrative_fingerprints, repeated_narratives
from .vocabulary import REQUEST_COLUMNS

__all__ = [
    "ReadError",
    "TEXT_SUFFIXES",
    "DOCUMENT_SUFFIXES",
    "LEGACY_SUFFIXES",
    "load",
    "readable_suffixes",
    "Found",
    "find",
    "expand",
    "default_jobs",
    "reader",
    "parse_many",
    "CorpusEntry",
    "corpus_entry",
    "corpus_diagnostics",
    "check_corpus",
]

#: Text files (Markdown too: a converter's output, docs/formats.md).
TEXT_SUFFIXES: Final = frozenset({".txt", ".text", ".md"})
#: Documents (docs/formats.md).
DOCUMENT_SUFFIXES: Final = frozenset({".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf"})
#: Legacy Word files: not read, but picked up, so that each is an
#: :class:`~govreport.formats.UnsupportedFormatError` saying how to convert
#: it rather than a file skipped without a word. (A site's ``.doc`` that is
#: really an HTML page or text is read: the content decides.)
LEGACY_SUFFIXES: Final = frozenset({".doc"})

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
    """The file suffixes :func:`find` picks up in folders and globs."""
    return TEXT_SUFFIXES | DOCUMENT_SUFFIXES | LEGACY_SUFFIXES


def load(
    path: str | os.PathLike[str], *, encoding: str | None = None, encoding_errors: str = "strict"
) -> Report:
    """Read the report in file ``path`` with :func:`govreport.parse_file`
    (text in any common encoding, HTML, DOCX, PDF; ``encoding`` and
    ``encoding_errors`` as there). Raises only
    :class:`~govreport.GovReportError` subclasses: :class:`ReadError` for a
    file that cannot be opened (missing, a folder, no permission)."""
    try:
        return parse_file(path, encoding=encoding, encoding_errors=encoding_errors)
    except OSError as error:
        raise ReadError(f"cannot read the file: {error.strerror or error}") from None


# ---------------------------------------------------------------------------
# Many files
# ---------------------------------------------------------------------------

_GLOB_CHARS: Final = frozenset("*?[")


@attrs.frozen
class Found:
    """What :func:`find` found in the arguments it was given."""

    #: the files to read, in order, each once
    files: tuple[Path, ...]
    #: the glob patterns that match nothing
    unmatched: tuple[str, ...] = ()
    #: the arguments that are not a glob and name nothing that exists
    #: (they are in ``files`` too: reading them fails with :class:`ReadError`)
    absent: tuple[str, ...] = ()
    #: the files found in folders and by globs, not read for their suffix, each once
    #: (not one of :func:`readable_suffixes`; hidden files are not listed)
    skipped: tuple[Path, ...] = ()


def _is_glob(argument: str) -> bool:
    """A glob pattern: it has ``*``, ``?`` or ``[``, is one line, and is not
    the name of something that exists."""
    return bool(_GLOB_CHARS & set(argument)) and "\n" not in argument and not os.path.lexists(argument)


def _walk(folder: Path, suffixes: frozenset[str], skipped: list[Path]) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(root, name)
                (found if path.suffix.lower() in suffixes else skipped).append(path)
    return found


def _matches(argument: str, *, skipped: list[Path], unmatched: list[str]) -> list[Path] | None:
    """The files a folder or a glob ``argument`` names (normalized, sorted,
    each once), or ``None`` for any other argument: a file, taken as named,
    or a path that does not exist. A folder is walked (sorted, hidden
    entries left out) and a glob expanded (sorted; the folders it matches
    walked), keeping the files with a suffix govreport reads; the others
    are added to ``skipped``, a glob that matches nothing to ``unmatched``."""
    suffixes = readable_suffixes()
    if _is_glob(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            unmatched.append(argument)
        found: list[Path] = []
        for match in map(Path, matches):
            if match.is_dir():
                found.extend(_walk(match, suffixes, skipped))
            else:
                (found if match.suffix.lower() in suffixes else skipped).append(match)
    elif os.path.isdir(argument):
        found = _walk(Path(argument), suffixes, skipped)
    else:
        return None
    return list(dict.fromkeys(Path(os.path.normpath(path)) for path in found))


def find(arguments: Iterable[str | os.PathLike[str]]) -> Found:
    """The files named by ``arguments`` (the command line's ``PATH…``), in
    order, each once, and what else was found.

    A file is taken as named, whatever its suffix. A folder is walked
    (sorted, hidden entries skipped) and a glob (``reports/**/*.txt``)
    expanded (sorted), keeping the files with a suffix govreport reads
    (:func:`readable_suffixes`). A path that does not exist is kept (reading
    it fails with :class:`ReadError`) and listed in :attr:`Found.absent`."""
    files: dict[Path, None] = {}
    unmatched: list[str] = []
    absent: list[str] = []
    skipped: list[Path] = []
    for argument in (os.fspath(a) for a in arguments):
        matches = _matches(argument, skipped=skipped, unmatched=unmatched)
        if matches is None:
            if not os.path.exists(argument):
                absent.append(argument)
            matches = [Path(os.path.normpath(argument))]
        files.update(dict.fromkeys(matches))
    return Found(tuple(files), tuple(unmatched), tuple(absent), tuple(dict.fromkeys(skipped)))


def expand(arguments: Iterable[str], *, missing: Callable[[str], None] | None = None) -> list[Path]:
    """The files of :func:`find`; ``missing`` is called with each glob that
    matches nothing."""
    found = find(arguments)
    if missing is not None:
        for pattern in found.unmatched:
            missing(pattern)
    return list(found.files)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _outcome(
    path: str | os.PathLike[str], *, encoding: str | None = None, encoding_errors: str = "strict"
) -> Report | GovReportError:
    try:
        return load(path, encoding=encoding, encoding_errors=encoding_errors)
    except GovReportError as error:
        return error


def reader(
    function: Callable[..., R], encoding: str | None = None, encoding_errors: str = "strict"
) -> Callable[[Any], R]:
    """``function`` (:func:`_outcome`, or the exports' ``load_record``) reading
    files with ``encoding`` and ``encoding_errors``: a ``functools.partial``,
    which pickles to the worker processes. Checks both names first
    (``LookupError``)."""
    from .formats.text import check_encoding

    check_encoding(encoding, encoding_errors)
    if encoding is None and encoding_errors == "strict":
        return function
    return functools.partial(function, encoding=encoding, encoding_errors=encoding_errors)


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


_GUARD: Final = """

    if __name__ == "__main__":
        ...  # the script's work, parse_many() included

or use one process (jobs=1)."""


def _result(path: object, future: Future[bytes]) -> Any:
    try:
        return pickle.loads(future.result())
    except BrokenProcessPool as error:
        raise RuntimeError(
            f"{path}: a worker process ended abruptly while reading this file: out of memory? "
            "Or each worker process imports the main script, and what the script does when "
            f"imported failed there: put the script's work under a guard:{_GUARD}"
        ) from error
    except Exception as error:
        raise _bug(path, error) from error


def _unguarded_main() -> tuple[str, int] | None:
    """``(file, line)`` when the main script is calling here from a line of
    its own top level that is not under an ``if __name__ …:`` guard, as a
    script without ``if __name__ == "__main__":`` does; ``None`` when it is
    not, or when that cannot be told (no script file: the REPL, Jupyter,
    ``python -c``)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or not isinstance(path, str):
        return None
    frame = sys._getframe(1)
    while frame is not None and not (frame.f_globals is vars(main) and frame.f_code.co_name == "<module>"):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return None
    line = frame.f_lineno
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):  # not a Python source file we can read
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.If)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
            and any(isinstance(name, ast.Name) and name.id == "__name__" for name in ast.walk(node.test))
        ):
            return None
    return path, line


def _check_main_guard(jobs: int) -> None:
    """Worker processes import the main script again (each start method
    but fork, which is not used): a script that starts them from its top
    level, unguarded, would start them again in every worker. Said before
    any is started."""
    unguarded = _unguarded_main()
    if unguarded is not None:
        path, line = unguarded
        raise RuntimeError(
            f"{path}, line {line}: parse_many() with jobs={jobs} starts worker processes, and "
            "each one imports this script, whose top level runs this line: each worker would run "
            f"it again. Put the script's work under a guard:{_GUARD}"
        )


def _warm_worker() -> None:
    """A worker's first task (the pool's initializer): govreport._worker
    builds the parser and warms it. Ctrl-C is left to the main process (it
    reaches every process of the terminal's group): a worker finishes its
    file, and prints no traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    importlib.import_module("govreport._worker")


def _context() -> multiprocessing.context.BaseContext:
    # Workers fork from a clean server process where the platform has one:
    # forking the caller itself is unsafe once it runs threads (a DuckDB
    # connection, the executor's own manager thread). The context object
    # only: nothing global is set (start method, the fork server's preload
    # list), which belongs to the host program.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


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
    _check_main_guard(jobs)
    window = 8 * jobs
    source = iter(items)
    pool = ProcessPoolExecutor(jobs - 1, mp_context=_context(), initializer=_warm_worker)
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


_Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def files_of(paths: _Paths, caller: str = "parse_many()") -> Iterator[str | os.PathLike[str]]:
    """The files ``paths`` names, as :func:`parse_many` takes them (a
    ``str`` with a line break is a report's text: ``TypeError``, naming
    ``caller``)."""
    if isinstance(paths, str) and "\n" in paths:
        raise TypeError(
            f"{caller} takes paths (a file, a folder, a glob pattern, or an iterable of them), "
            "not a report's text: parse that with govreport.parse()"
        )
    return _paths(paths)


def _paths(paths: _Paths) -> Iterator[str | os.PathLike[str]]:
    for item in (paths,) if isinstance(paths, (str, os.PathLike)) else paths:
        matches = _matches(os.fspath(item), skipped=[], unmatched=[])
        if matches is None:
            yield item
        else:
            yield from (str(path) if isinstance(item, str) else path for path in matches)


@overload
def parse_many(
    paths: str | Iterable[str],
    jobs: int | None = 1,
    *,
    encoding: str | None = None,
    encoding_errors: str = "strict",
    progress: bool = False,
) -> Iterator[tuple[str, Report | GovReportError]]: ...
@overload
def parse_many(
    paths: os.PathLike[str] | Iterable[os.PathLike[str]],
    jobs: int | None = 1,
    *,
    encoding: str | None = None,
    encoding_errors: str = "strict",
    progress: bool = False,
) -> Iterator[tuple[os.PathLike[str], Report | GovReportError]]: ...
@overload
def parse_many(
    paths: _Paths,
    jobs: int | None = 1,
    *,
    encoding: str | None = None,
    encoding_errors: str = "strict",
    progress: bool = False,
) -> Iterator[tuple[str | os.PathLike[str], Report | GovReportError]]: ...
def parse_many(
    paths: _Paths,
    jobs: int | None = 1,
    *,
    encoding: str | None = None,
    encoding_errors: str = "strict",
    progress: bool = False,
) -> Iterator[tuple[Any, Report | GovReportError]]:
    """Parse the files ``paths`` names and yield ``(path, Report |
    GovReportError)`` in input order.

    ``paths`` is what the command line takes: a file, a folder, a glob
    pattern (``"reports/**/*.txt"``), or an iterable of any of these. A
    ``str`` is always a path or a pattern, never a report's text (parse
    that with :func:`govreport.parse`): one with a line break is refused
    with ``TypeError``. A file is read whatever its suffix (one that does not
    exist yields its :class:`ReadError`) and yielded as given; a folder is
    walked (sorted, hidden entries left out) and a glob expanded (sorted),
    for the files with a suffix govreport reads (:func:`readable_suffixes`),
    each yielded as a ``str`` when the folder or pattern was one, else as a
    ``Path``. Each item of an iterable is taken on its own: a file listed
    twice is parsed twice.

    ``jobs`` processes parse the files: by default one, this process;
    ``jobs=n`` this one and ``n - 1`` worker processes; ``jobs=None`` one
    process per core. At most ``8 * jobs`` files are in
    flight at a time and ``paths`` is consumed lazily, so memory stays flat
    over any number of files. A file that cannot be parsed yields its error
    (see :func:`load`); any other exception is a bug in govreport and is
    raised, naming the file. Worker processes import the main script, so a
    script that asks for them must do its work under
    ``if __name__ == "__main__":``; one that does not is told so
    (``RuntimeError``) before any worker starts.

    ``encoding`` and ``encoding_errors`` are :func:`govreport.parse_file`'s
    (the text encoding, detected by default, and the codec error handler).
    ``progress=True`` shows a progress bar (tqdm's: a widget in Jupyter, a
    text bar on a terminal) as the files are read; the files are then listed
    first, to know how many there are.

        >>> for path, result in govreport.parse_many("reports"):   # doctest: +SKIP
        ...     if isinstance(result, govreport.GovReportError): ...
    """
    read = reader(_outcome, encoding, encoding_errors)
    files = files_of(paths)
    if not progress:
        return ordered_map(read, files, jobs)
    listed = list(files)
    return _shown(ordered_map(read, listed, jobs), len(listed))


def _shown(pairs: Iterator[tuple[P, R]], total: int) -> Iterator[tuple[P, R]]:
    """``pairs``, with a progress bar counting them (:mod:`tqdm.auto`)."""
    from ._progress import notebook_bar

    with notebook_bar(total) as bar:
        try:
            for pair in pairs:
                bar.update(1)
                yield pair
        finally:
            close = getattr(pairs, "close", None)
            if close is not None:
                close()


# ---------------------------------------------------------------------------
# The corpus check: an agency's consecutive years
# ---------------------------------------------------------------------------

_COLUMNS: Final = tuple(column.key for column in REQUEST_COLUMNS)


@attrs.frozen
class CorpusEntry:
    """What the corpus check needs of one report: its agency and year, and
    the 二、上年结转 (``carried_over``) and 四、结转下年度继续办理
    (``carried_forward``) rows, one value per request column; for the 2021
    template, the 本年制发, 本年废止 and 现行有效 cells of 规章 and
    行政规范性文件 (``stock``, :data:`STOCK_CELLS`); and the fingerprints of
    the narrative sections (:func:`govreport.quality.narrative_fingerprints`).
    Values are printed or solved ones (an inferred value is ``None``). The
    spans of the ``carried_over`` and ``stock`` cells are kept pickled
    (:meth:`span` reads them), as only a mismatch needs them: an entry is a
    few hundred bytes, kept for every report of a run."""

    key: object
    agency: str | None
    year: int | None
    carried_over: tuple[int | None, ...]
    carried_forward: tuple[int | None, ...]
    spans: bytes = b""
    stock: tuple[int | None, ...] = ()
    narrative: tuple[Fingerprint, ...] = ()

    def span(self, column: int) -> Span | None:
        """The span of the ``carried_over`` cell of column number ``column``
        (then of the ``stock`` cells, from ``len(carried_over)`` on)."""
        spans: tuple[Span | None, ...] = pickle.loads(self.spans) if self.spans else ()
        return spans[column] if column < len(spans) else None


#: The cells of the stock rule (2021 template), by kind of document: 本年制发,
#: 本年废止, 现行有效.
STOCK_CELLS: Final = tuple(
    (kind, label, tuple(f"active.{kind}.{column}" for column in ("issued", "repealed", "in_force")))
    for kind, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件"))
)


def _count(cell: Cell) -> int | None:
    """A cell's count, printed or solved (an inferred one is not the report's)."""
    value = cell.value
    return value if isinstance(value, int) and cell.provenance is not Provenance.INFERRED else None


def corpus_entry(key: object, report: Report) -> CorpusEntry:
    """The :class:`CorpusEntry` of ``report``, under ``key`` (its path)."""
    agency = sys.intern(report.agency) if report.agency else None
    narrative = narrative_fingerprints(report)
    stock = (
        [report.cell(cell_id) for _, _, ids in STOCK_CELLS for cell_id in ids]
        if report.template == "2021" and report.active is not None
        else []
    )
    if report.requests is None:
        over: list[Cell] = []
        forward: list[Cell] = []
    else:
        over = [getattr(report.requests.carried_over, column) for column in _COLUMNS]
        forward = [getattr(report.requests.carried_forward, column) for column in _COLUMNS]
    return CorpusEntry(
        key,
        agency,
        report.year,
        tuple(map(_count, over)),
        tuple(map(_count, forward)),
        pickle.dumps(tuple(cell.span for cell in (*over, *stock)), pickle.HIGHEST_PROTOCOL),
        tuple(map(_count, stock)),
        narrative,
    )


def corpus_diagnostics(entries: Sequence[CorpusEntry]) -> dict[int, list[Diagnostic]]:
    """The corpus check's diagnostics, by index into ``entries``.

    For every agency and year y, each report of year y is compared with each
    report of the same agency for year y−1: per request column, 二、上年结转
    of y must equal 四、结转下年度继续办理 of y−1 where both print a value
    (``carried-over-mismatch``); for 规章 and 行政规范性文件 (2021 template),
    现行有效 of y−1 + 本年制发 − 本年废止 of y must equal 现行有效 of y
    where all four have a value (``stock-mismatch``); each narrative section
    of y must not repeat that of y−1 (``repeated-narrative``,
    :func:`govreport.quality.repeated_narratives`)."""
    by_year: dict[tuple[str, int], list[int]] = collections.defaultdict(list)
    for index, entry in enumerate(entries):
        if entry.agency and entry.year is not None:
            by_year[entry.agency, entry.year].append(index)
    found: dict[int, list[Diagnostic]] = {}
    for (agency, year), indexes in by_year.items():
        for later in indexes:
            for earlier in by_year.get((agency, year - 1), ()):
                pair = (entries[earlier], entries[later])
                diagnostics = [*_compare(*pair), *_compare_stock(*pair), *_compare_narratives(*pair)]
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


def _compare_stock(earlier: CorpusEntry, later: CorpusEntry) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if not later.stock or not earlier.stock:  # not the 2021 template, or no section 二
        return found
    for number, (_, label, ids) in enumerate(STOCK_CELLS):
        before = earlier.stock[3 * number + 2]
        issued, repealed, in_force = later.stock[3 * number : 3 * number + 3]
        if before is None or issued is None or repealed is None or in_force is None:
            continue
        if before + issued - repealed == in_force:
            continue
        found.append(
            dx.make(
                "stock-mismatch",
                f"{label}: 现行有效 {before} in the {earlier.year} report {earlier.key} + 本年制发 "
                f"{issued} − 本年废止 {repealed} = {before + issued - repealed}, but this {later.year} "
                f"report prints 现行有效 {in_force}",
                later.span(len(later.carried_over) + 3 * number + 2),
                ids,
            )
        )
    return found


def _compare_narratives(earlier: CorpusEntry, later: CorpusEntry) -> list[Diagnostic]:
    return repeated_narratives(earlier.narrative, later.narrative, f"the {earlier.year} report {earlier.key}")


def check_corpus(items: Iterable[tuple[P, Report]]) -> list[tuple[P, Report]]:
    """Compare the reports of each agency's consecutive years.

    Returns ``items`` with a ``carried-over-mismatch`` diagnostic (warning,
    category report) added to every later report whose 二、上年结转 differs,
    in some column, from 四、结转下年度继续办理 of the agency's report for the
    year before; a ``stock-mismatch`` (warning) where 现行有效 of 规章 or
    行政规范性文件 is not last year's 现行有效 + 本年制发 − 本年废止; a
    ``repeated-narrative`` (info) where a narrative section repeats last
    year's (:func:`corpus_diagnostics`). Reports are matched by ``agency`` exactly as read; the
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
