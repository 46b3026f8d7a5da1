"""The ``govreport`` console script, run in a subprocess as a user runs it."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import govreport
from govreport.vocabulary import REQUEST_COLUMNS

from .conftest import REAL, SEEDS, benchmark, read

SCRIPT = Path(sys.executable).parent / "govreport"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "govreport"]
CLEAN = SEEDS / "003_70186e5739fffa45.txt"  # no diagnostic
SHORT_ROW = SEEDS / "004_7590363eed79dbcf.txt"  # one error-level diagnostic


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *map(str, args)], capture_output=True, text=True, cwd=cwd, stdin=subprocess.DEVNULL
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds and a corrupt file (binary bytes named .txt), in a folder."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder)
    (folder / "999_corrupt.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def test_version_and_help() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"govreport {govreport.__version__}")
    for command in ("parse", "check", "extract"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert result.stdout.startswith(f"usage: govreport {command}")
    assert run().returncode == 2  # a command is required


def test_parse_prints_json() -> None:
    result = run("parse", SEEDS / "000_b0a0644a2287c115.txt")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["agency"] == "泽州县卫生健康和体育局"
    assert data["cells"]["active.penalty.decisions"] == 31
    assert data["diagnostics"][0]["code"] == "padding-dropped"


def test_parse_reads_stdin_and_any_format() -> None:
    data = CLEAN.read_bytes()
    result = subprocess.run([*COMMAND, "parse", "-"], input=data, capture_output=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agency"] == govreport.parse(read(CLEAN)).agency
    page = REAL / "037_putian_cgj_2024.html"
    result = run("parse", page)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agency"] == "莆田市城市管理局"
    assert "HTML, DOCX or" in run("parse", "--help").stdout


def test_parse_prints_markdown() -> None:
    result = run("parse", "--format", "markdown", SEEDS / "001_ca9e65d44e929827.txt")
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("# 2020年政府信息公开工作年度报告\n")
    assert "| agency | 德惠市卫生健康局 |" in text
    assert "| 信息内容 | 采购项目数量 | 采购总金额 |" in text
    assert "| 政府集中采购 | 3 | 849.39 |" in text
    assert "| （三）不予公开 |  |  |  |  |  |  |  |" in text
    assert "| 行政复议 | 0 | 0 | 0 | 0 | 0 |" in text
    assert "- 87:2: info unrecognised-text: " in text


def test_parse_fails_with_status_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)))
    for args in (["parse", junk], ["parse", tmp_path / "missing.txt"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stdout == ""
        assert result.stderr.startswith(str(args[-1]) + ":")


def test_parse_strict_and_check_agree_on_exit_codes() -> None:
    strict, check = run("parse", "--strict", SHORT_ROW), run("check", SHORT_ROW)
    assert strict.returncode == check.returncode == 1
    assert strict.stdout == "" and strict.stderr.startswith(f"{SHORT_ROW}:")
    assert run("parse", "--strict", CLEAN).returncode == run("check", CLEAN).returncode == 0


def test_check_a_clean_report_exits_0() -> None:
    result = run("check", CLEAN)
    assert result.returncode == 0
    assert result.stdout == "1 file, 0 errors, 0 warnings, 0 infos\n"


def test_check_prints_compiler_style_lines_and_exits_1_on_errors() -> None:
    result = run("check", SHORT_ROW, SEEDS / "000_b0a0644a2287c115.txt")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{SHORT_ROW}:188:1: error short-row: （一）予以公开: 6 cells printed (0 0 0 0 0 0) for 7 columns; "
        "which column is missing cannot be told, so the row is left empty"
    )
    assert re.fullmatch(r".*000_b0a0644a2287c115\.txt:332:3: warning padding-dropped: .*", lines[1])
    assert lines[-1] == "2 files, 1 error, 1 warning, 0 infos"
    only_errors = run("check", "--severity", "error", SHORT_ROW, SEEDS / "000_b0a0644a2287c115.txt")
    assert only_errors.stdout.splitlines() == [lines[0], lines[-1]]


def test_check_exits_2_when_a_file_cannot_be_parsed(corpus: Path) -> None:
    result = run("check", corpus)
    assert result.returncode == 2
    assert f"{corpus / '999_corrupt.txt'}:" in result.stdout
    assert re.search(r"999_corrupt\.txt:(\d+:\d+:)? fatal UnsupportedFormatError: ", result.stdout)
    assert result.stdout.splitlines()[-1].endswith("; 1 file could not be parsed")


def test_check_json(corpus: Path) -> None:
    result = run("check", "--format", "json", corpus)
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["summary"] == {"files": 6, "failed": 1, "errors": 16, "warnings": 2, "infos": 4}
    assert [f["path"] for f in data["files"]] == sorted(str(p) for p in corpus.iterdir())
    assert data["files"][5]["error"]["type"] == "UnsupportedFormatError"
    assert data["files"][4]["diagnostics"][0] == {
        "line": 188,
        "column": 1,
        "severity": "error",
        "category": "reading",
        "code": "short-row",
        "message": "（一）予以公开: 6 cells printed (0 0 0 0 0 0) for 7 columns; which column is missing "
        "cannot be told, so the row is left empty",
        "cells": [f"requests.granted.{column.key}" for column in REQUEST_COLUMNS],
    }


def test_check_json_prints_only_the_severity_asked_for_and_counts_all(corpus: Path) -> None:
    # issue 16, trap 6: --format json ignored --severity
    every = json.loads(run("check", "--format", "json", "--severity", "info", corpus).stdout)
    for severity, kept in (("warning", {"warning", "error"}), ("error", {"error"})):
        result = run("check", "--format", "json", "--severity", severity, corpus)
        assert result.returncode == 2
        data = json.loads(result.stdout)
        assert data["summary"] == every["summary"]
        assert [f["path"] for f in data["files"]] == [f["path"] for f in every["files"]]
        for shown, full in zip(data["files"], every["files"], strict=True):
            assert shown["diagnostics"] == [d for d in full["diagnostics"] if d["severity"] in kept]
            assert shown["error"] == full["error"]
    assert {d["severity"] for f in every["files"] for d in f["diagnostics"]} == {"error", "warning", "info"}


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".duckdb"])
def test_extract_writes_each_format_with_the_corrupt_file_as_an_error(corpus: Path, suffix: str) -> None:
    out = corpus.parent / f"out{suffix}"
    result = run("extract", corpus, "-o", out, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr  # no progress bar when not on a terminal
    assert result.stderr.startswith(f"6 files → {out}: 5 reports, 1 could not be parsed")
    if suffix == ".csv":
        with open(out, encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        assert [r["error_type"] for r in rows] == [""] * 5 + ["UnsupportedFormatError"]
        assert rows[0]["active.penalty.decisions"] == "31"
        assert rows[0]["requests.granted.total"] == ""
    elif suffix == ".jsonl":
        lines = [json.loads(line) for line in read(out).splitlines()]
        assert [d["error"] is not None for d in lines] == [False] * 5 + [True]
    elif suffix == ".parquet":
        pq = pytest.importorskip("pyarrow.parquet")
        assert pq.read_table(out, columns=["error_type"]).column(0).to_pylist() == [None] * 5 + [
            "UnsupportedFormatError"
        ]
    else:
        duckdb = pytest.importorskip("duckdb")
        with duckdb.connect(str(out)) as con:
            assert con.execute("SELECT count(*) FROM reports").fetchall() == [(5,)]
            assert con.execute("SELECT error_type FROM errors").fetchall() == [("UnsupportedFormatError",)]


def test_extract_says_which_values_it_wrote_and_inferred_adds_the_inferred(tmp_path: Path) -> None:
    source = REAL / "037_putian_cgj_2024.txt"  # crawler text: some values are inferred
    plain, everything = tmp_path / "plain.csv", tmp_path / "all.csv"
    result = run("extract", source, "-o", plain)
    assert result.returncode == 0, result.stderr
    assert "printed and solved values (--inferred adds inferred ones)" in result.stderr
    result = run("extract", source, "-o", everything, "--inferred")
    assert "printed, solved and inferred values" in result.stderr
    rows = []
    for path in (plain, everything):
        with open(path, encoding="utf-8", newline="") as file:
            rows.append(list(csv.DictReader(file)))
    cell = "requests.new.commercial"  # 13 / 0 / 13: the 0 may have been a blank
    assert (rows[0][0][cell], rows[1][0][cell]) == ("", "0")
    assert rows[0][0]["requests.new.total"] == rows[1][0]["requests.new.total"] == "13"
    result = run("extract", source, "-o", tmp_path / "x.duckdb")
    assert "every value with its provenance in table cells" in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_extract_output_does_not_depend_on_jobs(corpus: Path, suffix: str) -> None:
    one, two = corpus.parent / f"one{suffix}", corpus.parent / f"two{suffix}"
    assert run("extract", corpus, "-o", one, "--jobs", "1").returncode == 0
    assert run("extract", corpus, "-o", two, "--jobs", "2").returncode == 0
    assert one.read_bytes() == two.read_bytes()


def test_extract_defaults_to_govreport_duckdb_and_rerunning_replaces_rows(corpus: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    work = corpus.parent

    def counts() -> list[int]:
        with duckdb.connect(str(work / "govreport.duckdb")) as con:
            return [
                con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                for table in ("reports", "cells", "diagnostics", "errors")
            ]

    assert run("extract", "reports", "-q", cwd=work).returncode == 0
    first = counts()
    assert first[0] == 5 and first[3] == 1
    result = run(
        "extract",
        "reports",
        cwd=work,
    )
    assert result.returncode == 0
    assert counts() == first


def test_extract_expands_globs_and_reports_what_matches_nothing(corpus: Path) -> None:
    out = corpus.parent / "out.jsonl"
    result = run("extract", str(corpus / "00[0-2]_*.txt"), str(corpus / "*.pdf"), "-o", out)
    assert result.returncode == 0
    assert f"no file matches {corpus / '*.pdf'}" in result.stderr
    assert [json.loads(line)["path"] for line in read(out).splitlines()] == [
        str(p) for p in sorted(corpus.glob("00[0-2]_*.txt"))
    ]


def test_extract_usage_errors(corpus: Path) -> None:
    result = run("extract", corpus, "-o", corpus.parent / "out.xlsx")
    assert result.returncode == 2
    assert "unknown output format .xlsx" in result.stderr
    empty = corpus.parent / "empty"
    empty.mkdir()
    result = run("extract", empty, "-o", corpus.parent / "x.csv")
    assert (result.returncode, result.stderr) == (2, "govreport: error: no report files found\n")
    assert run("extract", corpus, "--jobs", "0").returncode == 2
    assert not (corpus.parent / "x.csv").exists()


def test_extract_of_a_path_that_does_not_exist_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    # issue 16, trap 5: `extract /no/such/dir` wrote an empty output and exited 0
    out = tmp_path / "out.jsonl"
    for missing in (tmp_path / "no" / "such" / "dir", tmp_path / "missing.txt"):
        result = run("extract", CLEAN, missing, "-o", out)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"govreport: error: no such file or folder: {missing} (nothing was written)\n"
        assert not out.exists()


def test_extract_says_what_it_skipped_reads_markdown_and_refuses_a_legacy_doc(tmp_path: Path) -> None:
    # issue 16, trap 5: .doc, .md and suffix-less files were skipped without a word
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS / "000_b0a0644a2287c115.txt", folder / "a.txt")
    shutil.copy(SEEDS / "001_ca9e65d44e929827.txt", folder / "b.md")
    (folder / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"))
    for name in ("README", "d.xls", "e.XLS", ".hidden"):
        (folder / name).write_text("x", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("extract", folder, "-o", out)
    assert result.returncode == 0
    assert result.stderr.splitlines()[0] == (
        "govreport: skipped 3 files of a kind govreport does not read: 1 (no suffix), 2 .xls"
    )
    lines = [json.loads(line) for line in read(out).splitlines()]
    assert [line["path"] for line in lines] == [str(folder / name) for name in ("a.txt", "b.md", "c.doc")]
    assert lines[1]["agency"] == "德惠市卫生健康局"
    assert lines[2]["error"]["type"] == "UnsupportedFormatError"
    assert lines[2]["error"]["message"].startswith("a legacy Word .doc file (Word 97-2003), which govreport")
    assert "soffice --headless --convert-to docx" in lines[2]["error"]["message"]
    check = run("check", folder)  # the same files, the same note
    assert check.stderr.splitlines() == [result.stderr.splitlines()[0]]


def test_extract_exits_1_when_no_file_was_read_or_with_fail_on_error_when_one_was_not(corpus: Path) -> None:
    # issue 16, trap 5: it exited 0 when every file failed
    out = corpus.parent / "out.jsonl"
    result = run("extract", corpus / "999_corrupt.txt", "-o", out)
    assert result.returncode == 1
    assert result.stderr.startswith(f"1 file → {out}: 0 reports, 1 could not be parsed")
    assert json.loads(read(out))["error"]["type"] == "UnsupportedFormatError"  # still written
    assert run("extract", corpus, "-o", out).returncode == 0  # 5 of 6 read
    assert run("extract", corpus, "-o", out, "--fail-on-error").returncode == 1
    assert run("extract", corpus / "000_b0a0644a2287c115.txt", "-o", out, "--fail-on-error").returncode == 0


def test_an_output_that_cannot_be_written_is_one_line_naming_it_and_status_2(corpus: Path) -> None:
    # issue 16, trap 3: tracebacks, naming the temporary file
    work = corpus.parent
    for out, why in (
        (work / "missing" / "x.csv", f"the folder {work / 'missing'} does not exist"),
        (
            corpus / "000_b0a0644a2287c115.txt" / "x.jsonl",
            f"{corpus / '000_b0a0644a2287c115.txt'} is not a folder",
        ),
        (work / "missing" / "x.duckdb", f"the folder {work / 'missing'} does not exist"),
    ):
        if out.suffix == ".duckdb" and importlib.util.find_spec("duckdb") is None:
            continue
        result = run("extract", corpus, "-o", out)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"govreport: error: {out}: cannot write: {why}\n"
    if os.name == "posix" and os.geteuid() != 0:  # root may write anywhere
        locked = work / "locked"
        locked.mkdir(mode=0o500)
        result = run("extract", corpus, "-o", locked / "x.csv")
        assert (result.returncode, result.stderr) == (
            2,
            f"govreport: error: {locked / 'x.csv'}: cannot write: Permission denied\n",
        )
    duckdb = pytest.importorskip("duckdb")
    out = work / "held.duckdb"
    with duckdb.connect(str(out)):  # as a notebook holds it, in another process than the command's
        result = run("extract", corpus, "-o", out)
    assert result.returncode == 2
    assert re.fullmatch(
        rf"govreport: error: {re.escape(str(out))}: cannot write: another process \(PID \d+\) has the "
        r"DuckDB file open: close its connection \(con\.close\(\)\) and run again\n",
        result.stderr,
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet", ".duckdb"])
def test_outputs_are_created_as_the_umask_says(corpus: Path, suffix: str) -> None:
    # issue 16, trap 7: CSV, Parquet and JSON Lines were created 0600
    if suffix in (".parquet", ".duckdb"):
        pytest.importorskip(suffix[1:] if suffix == ".duckdb" else "pyarrow")
    out = corpus.parent / f"out{suffix}"
    command = [*COMMAND, "extract", str(corpus), "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, umask=0o027, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_a_closed_stdout_ends_quietly_as_grep_does(corpus: Path) -> None:
    # issue 16, trap 4: `govreport check … | head` ended in a BrokenPipeError traceback
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        for args in (["check", corpus], ["parse", CLEAN], ["parse", "--format", "markdown", CLEAN]):
            command = [*COMMAND, *map(str, args)]
            result = subprocess.run(
                command, stdout=write_end, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL
            )
            assert (result.returncode, result.stderr) == (141, ""), args
    finally:
        os.close(write_end)


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "govreport", "check", CLEAN],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert result.returncode == 0 and result.stdout.startswith("1 file, 0 errors")


def test_extract_shows_a_progress_bar_on_a_terminal(corpus: Path) -> None:
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    out = corpus.parent / "out.csv"
    subprocess.run(
        [*COMMAND, "extract", str(corpus), "-o", str(out)], stderr=slave, stdout=subprocess.PIPE, check=True
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    # tqdm's bar: percentage, bar, count, elapsed<left, rate
    assert re.search(rb"100%\|[^|\r\n]*\| 6/6 \[\d\d:\d\d<00:00, +[\d.]+ files/s\]", seen), seen.decode()[
        -400:
    ]


def test_check_and_extract_compare_an_agencys_consecutive_years(tmp_path: Path) -> None:
    seed = SEEDS / "000_b0a0644a2287c115.txt"
    text, module = read(seed), benchmark()
    folder = tmp_path / "reports"
    folder.mkdir()
    for year, cell, value in ((2020, "carried_forward", "2"), (2021, "carried_over", "3")):
        generated = module.variant(text, govreport.parse(text), "甲县卫生健康局", year, 7)
        generated = module.rewrite(
            generated, govreport.parse(generated), {f"requests.{cell}.natural_person": value}
        )
        (folder / f"{year}.txt").write_text(generated, encoding="utf-8")
    expected = (
        f"{folder / '2021.txt'}:92:3: warning carried-over-mismatch: column natural_person: "
        f"二、上年结转 3 in this 2021 report, but the 2020 report {folder / '2020.txt'} carried 2 forward "
        "(四、结转下年度继续办理)"
    )
    assert expected in run("check", folder).stdout.splitlines()
    out = tmp_path / "out.jsonl"
    assert run("extract", folder, "-o", out, "--jobs", "2").returncode == 0
    later = json.loads(read(out).splitlines()[1])
    assert [d["code"] for d in later["diagnostics"]].count("carried-over-mismatch") == 1


def test_check_conventions_of_ruff_and_mypy() -> None:
    # By default warnings and errors are shown, not infos.
    crawled = REAL / "037_putian_cgj_2024.txt"
    default = run("check", crawled)
    assert " info " not in default.stdout and run("check", "--severity", "info", crawled).stdout.count(
        " info "
    )
    # --select / --ignore (by prefix); ignored errors do not count.
    selected = run("check", "--severity", "info", "--select", "placement-", crawled)
    lines = [line for line in selected.stdout.splitlines() if line.startswith(str(crawled))]
    assert lines and all(" placement-" in line for line in lines)
    assert run("check", SHORT_ROW).returncode == 1
    assert run("check", "--ignore", "short-row", SHORT_ROW).returncode == 0
    assert run("check", "--exit-zero", SHORT_ROW).returncode == 0
    bad = run("check", "--select", "short-rwo", SHORT_ROW)
    assert bad.returncode == 2 and "did you mean short-row" in bad.stderr
    # --statistics: one line per code, with its count.
    stats = run("check", "--statistics", "--severity", "info", crawled)
    counts = [line.split() for line in stats.stdout.splitlines() if re.fullmatch(r" *\d+  \S+ \(\w+\)", line)]
    assert len(counts) == len(stats.stdout.splitlines()) - 1  # and the summary line
    assert counts[0][1] == "placement-inferred" and int(counts[0][0]) >= int(counts[-1][0])
    assert (
        sum(int(row[0]) for row in counts)
        == len(run("check", "--severity", "info", crawled).stdout.splitlines()) - 1
    )
    # --format github: a workflow command per diagnostic.
    github = run("check", "--format", "github", SHORT_ROW)
    assert github.stdout.startswith(f"::error file={SHORT_ROW},line=188,col=1,title=short-row::")


def test_extract_streams_csv_or_json_lines_to_stdout_and_writes_excel_csv(tmp_path: Path) -> None:
    files = [SEEDS / "000_b0a0644a2287c115.txt", SEEDS / "001_ca9e65d44e929827.txt"]
    streamed = subprocess.run([*COMMAND, "extract", *map(str, files), "-o", "-"], capture_output=True)
    assert streamed.returncode == 0, streamed.stderr
    rows = list(csv.DictReader(streamed.stdout.decode("utf-8").splitlines()))
    assert [r["agency"] for r in rows] == ["泽州县卫生健康和体育局", "德惠市卫生健康局"]
    assert "→ stdout" in streamed.stderr.decode("utf-8")
    lines = subprocess.run(
        [*COMMAND, "extract", *map(str, files), "-o", "-", "--format", "jsonl"], capture_output=True
    ).stdout.decode("utf-8")
    assert [json.loads(line)["year"] for line in lines.splitlines()] == [2021, 2020]
    assert run("extract", *files, "-o", "-", "--format", "parquet").returncode == 2
    # Excel on Chinese Windows reads UTF-8 only with a byte-order mark.
    excel = tmp_path / "excel.csv"
    assert run("extract", *files, "-o", excel, "--excel").returncode == 0
    assert excel.read_bytes().startswith("\ufeffpath,sha256,agency".encode())
    plain = tmp_path / "plain.csv"
    run("extract", *files, "-o", plain)
    assert excel.read_bytes()[3:] == plain.read_bytes()
    assert run("extract", *files, "-o", tmp_path / "x.jsonl", "--excel").returncode == 2
