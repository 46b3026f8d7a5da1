"""Reading files, parsing many in parallel, and the corpus check."""

from __future__ import annotations

import itertools
import json
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import attrs
import pytest

import govreport
from govreport import batch
from govreport.batch import ReadError, check_corpus, expand, find, load, parse_many

from .conftest import SEEDS, benchmark, read

SEED = SEEDS / "000_b0a0644a2287c115.txt"
JUNK = bytes(range(256)) * 4


def test_load_reads_a_gb18030_file(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(read(SEED).encode("gb18030"))
    assert load(path) == govreport.parse(read(SEED))


def test_load_raises_read_error_for_what_is_not_a_readable_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read the file"):
        load(tmp_path / "missing.txt")
    with pytest.raises(ReadError):
        load(tmp_path)
    error = pickle.loads(pickle.dumps(ReadError("x", line=1, column=2)))
    assert (type(error), error.message, error.line) == (ReadError, "x", 1)


def test_expand_walks_folders_and_globs_keeping_report_files(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    for name in ("a/2.txt", "a/1.TXT", "a/b/3.txt", "a/notes.md", "a/.hidden/4.txt", "a/.5.txt", "a/6.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    a = tmp_path / "a"
    assert expand([str(a)]) == [a / "1.TXT", a / "2.txt", a / "6.pdf", a / "notes.md", a / "b" / "3.txt"]
    assert expand([str(a / "*.*")]) == [a / "1.TXT", a / "2.txt", a / "6.pdf", a / "notes.md"]
    assert expand([str(a / "**" / "*.txt")]) == [a / "2.txt", a / "b" / "3.txt"]
    # a file named is taken whatever its suffix, each file once, in order
    assert expand([str(a / "notes.md"), str(a / "2.txt"), str(a)]) == [
        a / "notes.md",
        a / "2.txt",
        a / "1.TXT",
        a / "6.pdf",
        a / "b" / "3.txt",
    ]
    unmatched: list[str] = []
    assert expand([str(a / "*.docx"), str(a / "missing.txt")], missing=unmatched.append) == [
        a / "missing.txt"
    ]
    assert unmatched == [str(a / "*.docx")]
    # what else was found: files skipped for their suffix (not hidden ones), paths that do not exist
    for name in ("b/table.xls", "README", "a.doc", ".hidden/x.xls"):
        (a / name).write_text("x", encoding="utf-8")
    found = find([str(a / "b"), str(a), str(a / "*.docx"), str(a / "missing.txt"), str(a / "*.xls")])
    assert found.files == (
        a / "b" / "3.txt",
        a / "1.TXT",
        a / "2.txt",
        a / "6.pdf",
        a / "a.doc",
        a / "notes.md",
        a / "missing.txt",
    )
    assert found.skipped == (a / "b" / "table.xls", a / "README")  # each once
    assert (found.unmatched, found.absent) == (
        (str(a / "*.docx"), str(a / "*.xls")),
        (str(a / "missing.txt"),),
    )


def _batch(tmp_path: Path) -> list[Path]:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(JUNK)
    return [*sorted(SEEDS.glob("*.txt")), junk, tmp_path / "missing.txt", SEED]


@pytest.mark.parametrize("jobs", [1, 2])
def test_parse_many_yields_reports_and_errors_in_input_order(tmp_path: Path, jobs: int) -> None:
    paths = _batch(tmp_path)
    results = list(parse_many(paths, jobs=jobs))
    assert [path for path, _ in results] == paths
    for path, result in results[:5]:
        assert result == govreport.parse(read(path))
    assert isinstance(results[5][1], govreport.formats.UnsupportedFormatError)
    assert isinstance(results[6][1], ReadError)
    assert results[7][1] == results[0][1]


def test_parse_many_streams_with_a_bounded_window() -> None:
    # an endless input: only a bounded number of files are read ahead
    taken = 0

    def endless() -> Iterator[Path]:
        nonlocal taken
        for path in itertools.cycle(sorted(SEEDS.glob("*.txt"))):
            taken += 1
            yield path

    first = list(itertools.islice(parse_many(endless(), jobs=2), 3))
    assert 3 <= taken <= 8 * 2 + 3
    assert [r.agency for _, r in first if isinstance(r, govreport.Report)] == [
        "泽州县卫生健康和体育局",
        "德惠市卫生健康局",
        "沙县卫生健康局",
    ]


def test_parse_many_raises_a_bug_naming_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: object, **options: object) -> govreport.Report:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(batch, "load", broken)
    with pytest.raises(
        RuntimeError, match=r"000_b0a0644a2287c115\.txt: unexpected ZeroDivisionError"
    ) as info:
        list(parse_many([SEED], jobs=1))
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    with pytest.raises(ValueError, match="jobs"):
        list(parse_many([SEED], jobs=0))


def _pid(item: int) -> int:
    time.sleep(0.01)
    return os.getpid()


def _fails_on_3(item: int) -> int:
    return 1 // (item - 3)


def test_the_calling_process_takes_its_share_of_the_calls() -> None:
    results = list(batch.ordered_map(_pid, range(80), jobs=2))
    assert [item for item, _ in results] == list(range(80))
    pids = {pid for _, pid in results}
    assert os.getpid() in pids
    assert len(pids) == 2  # and one worker


def test_a_failing_call_is_a_bug_naming_its_item_in_whichever_process_it_ran() -> None:
    with pytest.raises(RuntimeError, match=r"^3: unexpected ZeroDivisionError") as info:
        list(batch.ordered_map(_fails_on_3, range(40), jobs=2))
    assert info.value.__cause__ is not None


def _warmed(item: int) -> tuple[int, bool]:
    time.sleep(0.01)
    return os.getpid(), "govreport._worker" in sys.modules


def test_each_worker_builds_and_warms_the_parser_before_its_first_file() -> None:
    results = [result for _, result in batch.ordered_map(_warmed, range(40), jobs=2)]
    workers = {pid: warmed for pid, warmed in results if pid != os.getpid()}
    assert workers and all(workers.values())


def test_parse_many_takes_a_file_a_folder_a_glob_or_an_iterable_of_them(tmp_path: Path) -> None:
    # issue 16, trap 2: parse_many("one/file.txt") iterated over the
    # characters of the path, and a folder gave "Is a directory"
    folder = tmp_path / "reports"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))[:2]
    for seed in seeds:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "notes.xls").write_bytes(b"x")
    first, second = (folder / seed.name for seed in seeds)
    agency = govreport.parse(read(SEED)).agency

    [(path, report)] = parse_many(str(SEED))
    assert (path, getattr(report, "agency", report)) == (str(SEED), agency)
    assert [path for path, _ in parse_many(SEED)] == [SEED]  # as given
    in_folder = list(parse_many(str(folder)))
    assert [path for path, _ in in_folder] == [str(first), str(second)]  # str for a str
    assert [r.agency for _, r in in_folder if isinstance(r, govreport.Report)] == [
        govreport.parse(read(seed)).agency for seed in seeds
    ]
    assert [path for path, _ in parse_many(folder)] == [first, second]  # Path for a Path
    assert [path for path, _ in parse_many(str(folder / "*1_*.txt"))] == [str(second)]
    mixed = list(parse_many([SEED, str(folder / "*.txt"), str(tmp_path / "missing.txt"), SEED]))
    assert [path for path, _ in mixed] == [SEED, str(first), str(second), str(tmp_path / "missing.txt"), SEED]
    assert isinstance(mixed[3][1], ReadError) and mixed[4][1] == mixed[0][1]
    with pytest.raises(TypeError, match=r"not a report's text: parse that with govreport\.parse\(\)"):
        parse_many(read(SEED))


def test_parse_many_parses_in_this_process_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 16, trap 8: it started one process per core by default
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(batch, "default_jobs", lambda: 4)
    monkeypatch.setattr(batch, "ProcessPoolExecutor", no_pool)
    assert [(path, type(r).__name__) for path, r in parse_many([SEED, SEED])] == [(SEED, "Report")] * 2
    with pytest.raises(AssertionError, match="a worker pool was started"):
        list(parse_many([SEED, SEED], jobs=None))  # one process per core, as asked


GLOBAL_STATE = """
import json, multiprocessing, multiprocessing.forkserver as forkserver, sys
import govreport

def main():
    multiprocessing.set_start_method("spawn")  # the host program's settings
    multiprocessing.set_forkserver_preload(["json"])
    results = list(govreport.parse_many([sys.argv[1]] * 6, jobs=2))
    print(json.dumps({
        "preload": forkserver._forkserver._preload_modules,
        "method": multiprocessing.get_start_method(),
        "reports": sum(isinstance(r, govreport.Report) for _, r in results),
    }))

if __name__ == "__main__":
    main()
"""


@pytest.mark.skipif(
    "forkserver" not in __import__("multiprocessing").get_all_start_methods(), reason="no fork server"
)
def test_parse_many_leaves_the_global_multiprocessing_settings_alone(tmp_path: Path) -> None:
    # issue 16, trap 8: it replaced the host program's fork-server preload list
    script = tmp_path / "host.py"
    script.write_text(GLOBAL_STATE, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(SEED)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"preload": ["json"], "method": "spawn", "reports": 6}


UNGUARDED = """import sys
import govreport
print(len(list(govreport.parse_many(sys.argv[1], jobs=2))))
"""


def test_a_script_starting_workers_without_a_main_guard_is_told_how_to_guard_it(tmp_path: Path) -> None:
    # issue 16, trap 8: the script died with a worker's traceback
    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(SEED)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.count("Traceback") == 1  # no worker was started
    last = result.stderr[result.stderr.index("RuntimeError: ") :]
    assert last.startswith(
        f"RuntimeError: {script}, line 3: parse_many() with jobs=2 starts worker processes"
    )
    assert '\n    if __name__ == "__main__":\n        ...  # the script\'s work' in last
    # guarded, the same call runs
    script.write_text(UNGUARDED.replace("print(", 'if __name__ == "__main__":\n    print('), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(SEED)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "1\n"), result.stderr


def test_a_worker_ending_abruptly_says_how_to_guard_a_script() -> None:
    future: Future[bytes] = Future()
    future.set_exception(BrokenProcessPool("terminated abruptly"))
    with pytest.raises(RuntimeError, match=r"a\.txt: a worker process ended abruptly") as info:
        batch._result("a.txt", future)
    assert '\n    if __name__ == "__main__":\n' in str(info.value)


WARMED = """
import gc, json, govreport, govreport._worker as worker
parsed = []
real = govreport.parse
worker.parse = lambda text: parsed.append(real(text))
worker.warm()
print(json.dumps({
    "frozen": gc.get_freeze_count() > 0,
    "templates": [r.template for r in parsed],
    "numbers": [sum(v not in (None, 0) for v in r.cells().values()) for r in parsed],
    "unread": [len(r.reading_issues) for r in parsed],
}))
"""


def test_a_worker_warms_on_numbers_in_every_layout_and_freezes() -> None:
    # what govreport._worker does in each worker, run in a process of its
    # own (importing it freezes the importing process's objects)
    result = subprocess.run([sys.executable, "-c", WARMED], capture_output=True, text=True, check=True)
    warmed = json.loads(result.stdout)
    assert warmed["frozen"]
    layouts = len(govreport.LAYOUTS)
    assert warmed["templates"] == ["2021"] * layouts + ["2019"] * layouts
    assert all(count > 50 for count in warmed["numbers"])  # cells with numbers, not blanks
    # every layout read cleanly (the drawn numbers break the template's
    # arithmetic, which the warming does not need)
    assert warmed["unread"] == [0] * (2 * layouts)


# -- the corpus check --------------------------------------------------------


def _report(agency: str, year: int, values: dict[str, str]) -> govreport.Report:
    text = read(SEED)
    report = govreport.parse(text)
    generated = benchmark().variant(text, report, agency, year, 7)
    return govreport.parse(benchmark().rewrite(generated, govreport.parse(generated), values))


def test_carried_over_is_checked_against_the_year_before() -> None:
    earlier = _report("甲县卫生健康局", 2020, {"requests.carried_forward.natural_person": "2"})
    later = _report("甲县卫生健康局", 2021, {"requests.carried_over.natural_person": "3"})
    other = _report("乙县卫生健康局", 2021, {"requests.carried_over.natural_person": "3"})
    checked = check_corpus([("a/2020.txt", earlier), ("a/2021.txt", later), ("b/2021.txt", other)])
    assert [path for path, _ in checked] == ["a/2020.txt", "a/2021.txt", "b/2021.txt"]
    assert checked[0][1].diagnostics == earlier.diagnostics
    assert checked[2][1].diagnostics == other.diagnostics
    added = [
        d for d in checked[1][1].diagnostics if d not in later.diagnostics and d.code != "repeated-narrative"
    ]  # (the two copies of one seed repeat their narrative: tested below)
    assert len(added) == 1
    (d,) = added
    assert (d.code, d.severity, d.category) == ("carried-over-mismatch", "warning", "report")
    assert d.cells == ("requests.carried_over.natural_person",)
    assert d.span == later.cell("requests.carried_over.natural_person").span
    assert d.message == (
        "column natural_person: 二、上年结转 3 in this 2021 report, but the 2020 report a/2020.txt "
        "carried 2 forward (四、结转下年度继续办理)"
    )
    assert list(checked[1][1].diagnostics) == sorted(
        checked[1][1].diagnostics, key=govreport.diagnostics.sort_key
    )


def test_the_corpus_check_compares_only_consecutive_years_with_values() -> None:
    base = _report("甲县卫生健康局", 2019, {"requests.carried_forward.natural_person": "2"})
    gap = _report("甲县卫生健康局", 2021, {"requests.carried_over.natural_person": "3"})
    blank = _report("甲县卫生健康局", 2020, {"requests.carried_over.natural_person": "-"})
    same = _report("甲县卫生健康局", 2020, {"requests.carried_over.natural_person": "2"})
    for pair in ([base, gap], [base, blank], [base, same]):
        checked = check_corpus(enumerate(pair))
        assert [_carried(r) for _, r in checked] == [_carried(r) for r in pair]


def _carried(report: govreport.Report) -> list[govreport.Diagnostic]:
    return [d for d in report.diagnostics if d.code == "carried-over-mismatch"]


def _added(before: govreport.Report, after: govreport.Report, code: str) -> list[govreport.Diagnostic]:
    return [d for d in after.diagnostics if d not in before.diagnostics and d.code == code]


# -- the stock rule: 现行有效 of y−1 + 本年制发 − 本年废止 of y = 现行有效 of y ----------
# SEED prints 0 in each of the six cells; the tests print their own values.

_STOCK = {  # 规章 0 1 2, 行政规范性文件 3 0 12 (本年制发, 本年废止, 现行有效)
    "active.regulations.repealed": "1",
    "active.regulations.in_force": "2",
    "active.normative_documents.issued": "3",
    "active.normative_documents.in_force": "12",
}


def test_stock_is_checked_against_the_year_before() -> None:
    earlier = _report(
        "甲县卫生健康局",
        2021,
        {"active.regulations.in_force": "2", "active.normative_documents.in_force": "10"},
    )
    # 规章: 2 + 0 − 1 = 1, but 2 printed; 行政规范性文件: 10 + 3 − 0 = 13, but 12 printed
    later = _report("甲县卫生健康局", 2022, _STOCK)
    checked = check_corpus([("a/2021.txt", earlier), ("a/2022.txt", later)])
    found = _added(later, checked[1][1], "stock-mismatch")
    assert [d.cells for d in found] == [
        ("active.regulations.issued", "active.regulations.repealed", "active.regulations.in_force"),
        (
            "active.normative_documents.issued",
            "active.normative_documents.repealed",
            "active.normative_documents.in_force",
        ),
    ]
    assert (found[1].severity, found[1].category) == ("warning", "report")
    assert found[1].span == later.cell("active.normative_documents.in_force").span
    assert found[1].message == (
        "行政规范性文件: 现行有效 10 in the 2021 report a/2021.txt + 本年制发 3 − 本年废止 0 = 13, "
        "but this 2022 report prints 现行有效 12"
    )
    assert found[0].message.startswith(
        "规章: 现行有效 2 in the 2021 report a/2021.txt + 本年制发 0 − 本年废止 1 = 1,"
    )
    assert not _added(earlier, checked[0][1], "stock-mismatch")


def test_stock_that_adds_up_or_is_not_printed_is_no_finding() -> None:
    earlier = _report(
        "甲县卫生健康局",
        2021,
        {"active.regulations.in_force": "3", "active.normative_documents.in_force": "9"},
    )
    fits = _report("甲县卫生健康局", 2022, _STOCK)
    blank = _report(
        "甲县卫生健康局",
        2022,
        {**_STOCK, "active.normative_documents.repealed": "/", "active.normative_documents.in_force": "5"},
    )
    # 规章 3 + 0 − 1 = 2 and 行政规范性文件 9 + 3 − 0 = 12: both add up
    assert not _added(fits, check_corpus(enumerate([earlier, fits]))[1][1], "stock-mismatch")
    # 本年废止 printed blank: 行政规范性文件 is not checked (9 + 3 − ? = 5 would need 7)
    assert blank.cells()["active.normative_documents.repealed"] is None
    assert not _added(blank, check_corpus(enumerate([earlier, blank]))[1][1], "stock-mismatch")


def test_stock_is_not_checked_on_inferred_values_or_the_2019_template() -> None:
    entry = batch.corpus_entry("x", _report("甲县卫生健康局", 2021, _STOCK))
    assert entry.stock == (0, 1, 2, 3, 0, 12)
    earlier = batch.CorpusEntry("a", "甲", 2021, (), (), stock=(0, 1, 5, 3, 0, 5))
    inferred = batch.CorpusEntry("b", "甲", 2022, (), (), stock=(0, 1, 2, 3, 0, None))
    old = batch.CorpusEntry("c", "甲", 2022, (), ())  # the 2019 template: no stock
    # 规章 5 + 0 − 1 = 4 ≠ 2: found; 行政规范性文件: this year's 现行有效 not known
    found = batch.corpus_diagnostics([earlier, inferred])
    assert list(found) == [1]
    assert [d.cells[-1] for d in found[1]] == ["active.regulations.in_force"]
    # an inferred value is not the report's: the entry holds None for it
    assert batch._count(govreport.Cell(12, provenance=govreport.Provenance.INFERRED)) is None
    assert batch._count(govreport.Cell(12, provenance=govreport.Provenance.SOLVED)) == 12
    assert batch.corpus_diagnostics([earlier, old]) == {}
    seed_2019 = govreport.parse(read(SEEDS / "001_ca9e65d44e929827.txt"))
    assert seed_2019.template == "2019" and batch.corpus_entry("y", seed_2019).stock == ()


# -- repeated-narrative -------------------------------------------------------


def test_a_narrative_copied_from_the_year_before_is_found() -> None:
    earlier = _report("甲县卫生健康局", 2021, {})
    later = _report("甲县卫生健康局", 2022, {})
    checked = check_corpus([("a/2021.txt", earlier), ("a/2022.txt", later)])
    found = _added(later, checked[1][1], "repeated-narrative")
    assert [d.span for d in found] == [s.span for s in (later.overview, later.problems) if s is not None][
        : len(found)
    ]
    assert found and all(
        d.severity == "info" and "repeats the 2021 report a/2021.txt" in d.message for d in found
    )
    assert not _added(earlier, checked[0][1], "repeated-narrative")


def test_different_narratives_or_years_apart_are_not_repeats() -> None:
    other = govreport.parse(read(SEEDS / "002_7a73e5b0e976edb4.txt"))
    earlier = _report("甲县卫生健康局", 2021, {})
    later = attrs.evolve(other, agency="甲县卫生健康局", year=2022)
    assert not _added(later, check_corpus(enumerate([earlier, later]))[1][1], "repeated-narrative")
    apart = _report("甲县卫生健康局", 2023, {})
    assert not _added(apart, check_corpus(enumerate([earlier, apart]))[1][1], "repeated-narrative")
