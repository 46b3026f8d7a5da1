"""The tidy exports: columns, types, every format holding the same data."""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import pickle
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import govreport
from govreport import Provenance
from govreport.export import (
    LONG_COLUMNS,
    META_COLUMNS,
    ExportError,
    MissingExtraError,
    extract,
    record,
    to_frame,
    wide_cell_ids,
    wide_columns,
)

from .conftest import REAL, SEEDS, read

pd = pytest.importorskip("pandas")
SEED_2019 = SEEDS / "001_ca9e65d44e929827.txt"


def _seeds_and_junk(tmp_path: Path) -> list[Path]:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    return [*sorted(SEEDS.glob("*.txt")), junk]


def test_wide_columns_are_the_2021_ids_then_the_2019_only_ids() -> None:
    ids = wide_cell_ids()
    assert ids[: len(govreport.cell_ids("2021"))] == govreport.cell_ids("2021")
    assert set(ids) == set(govreport.cell_ids("2019")) | set(govreport.cell_ids("2021"))
    assert len(ids) == len(set(ids))
    only2019 = [i for i in govreport.cell_ids("2019") if i not in govreport.cell_ids("2021")]
    assert list(ids[len(govreport.cell_ids("2021")) :]) == only2019
    assert wide_columns() == META_COLUMNS + ids


def test_to_frame_wide_has_one_row_per_report_with_exact_types(tmp_path: Path) -> None:
    results = list(govreport.parse_many(_seeds_and_junk(tmp_path), jobs=1))
    frame = to_frame(results)
    assert list(frame.columns) == list(wide_columns())
    assert len(frame) == 6
    first = frame.iloc[0]
    assert first["agency"] == "泽州县卫生健康和体育局"
    assert first["active.penalty.decisions"] == 31
    assert pd.isna(first["requests.granted.total"])  # printed blank: NULL, not 0
    assert first["n_warning"] == 1 and first["n_error"] == 0
    assert str(frame["active.penalty.decisions"].dtype) == "Int64"
    assert frame.loc[1, "active.procurement.amount"] == Decimal("849.39")
    assert frame.loc[5, "error_type"] == "UnsupportedFormatError"
    assert pd.isna(frame.loc[5, "agency"]) and pd.isna(frame.loc[5, "n_error"])
    # Reports alone (no paths) work too
    reports = [r for _, r in results if isinstance(r, govreport.Report)]
    assert to_frame(reports)["path"].isna().all()


def test_to_frame_long_has_one_row_per_cell() -> None:
    report = govreport.parse(read(SEED_2019))
    frame = to_frame([("seed.txt", report)], form="long")
    assert list(frame.columns) == list(LONG_COLUMNS)
    assert list(frame.columns[:5]) == ["path", "cell", "value", "provenance", "raw"]
    assert list(frame["cell"]) == list(govreport.cell_ids("2019"))
    row = frame[frame["cell"] == "active.procurement.amount"].iloc[0]
    span = report.cell("active.procurement.amount").span
    assert span is not None
    assert (row["value"], row["provenance"], row["raw"], row["line"], row["column"]) == (
        Decimal("849.39"),
        "printed",
        "849.39万元",
        span.line,
        span.column,
    )
    assert (row["start_offset"], row["end_offset"]) == (span.start, span.end)
    with pytest.raises(ValueError, match="form"):
        to_frame([report], form="tall")  # type: ignore[arg-type]


def test_a_missing_extra_names_its_install_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'govreport\[pandas\]'"):
        to_frame([])
    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'govreport\[duckdb\]'") as info:
        extract([SEED_2019], tmp_path / "out.duckdb", jobs=1)
    assert isinstance(info.value, govreport.GovReportError)
    copy = pickle.loads(pickle.dumps(info.value))
    assert (type(copy), copy.extra, copy.message) == (MissingExtraError, "duckdb", info.value.message)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'govreport\[parquet\]'"):
        extract([SEED_2019], tmp_path / "out.parquet", jobs=1)
    assert list(tmp_path.iterdir()) == []


def test_an_amount_too_fine_for_the_exports_is_an_error_not_rounded() -> None:
    text = read(SEED_2019).replace("849.39万元", "849.123456789012万元")
    rec = record("x.txt", govreport.parse(text))
    assert rec.error is not None and rec.error[0] == "ExportError"
    assert "849.123456789012" in rec.error[1]
    assert issubclass(ExportError, govreport.GovReportError)


def test_every_format_holds_the_same_data(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    pq = pytest.importorskip("pyarrow.parquet")
    paths = _seeds_and_junk(tmp_path)
    outputs = {suffix: tmp_path / f"out{suffix}" for suffix in (".csv", ".jsonl", ".parquet", ".duckdb")}
    for out in outputs.values():
        summary = extract(paths, out, jobs=1)
        assert (summary.files, summary.reports, summary.errors) == (6, 5, 1)
    frame = to_frame(govreport.parse_many(paths, jobs=1))

    with open(outputs[".csv"], encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == list(wide_columns())
    expected = [["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)]
    assert rows[1:] == expected

    parquet = pq.read_table(outputs[".parquet"]).to_pylist()
    assert [list(r.values()) for r in parquet] == [
        [None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)
    ]

    lines = [json.loads(line) for line in read(outputs[".jsonl"]).splitlines()]
    assert [d["path"] for d in lines] == [str(p) for p in paths]
    assert lines[1]["cells"]["active.procurement.amount"] == "849.39"
    assert lines[5]["error"]["type"] == "UnsupportedFormatError" and lines[5]["cells"] == {}

    with duckdb.connect(str(outputs[".duckdb"])) as con:

        def query(sql: str) -> list[tuple[object, ...]]:
            return con.execute(sql).fetchall()

        assert query("SELECT count(*) FROM reports") == [(5,)]
        assert query("SELECT path, error_type FROM errors") == [(str(paths[5]), "UnsupportedFormatError")]
        cells = sum(len(govreport.cell_ids(t)) for t in frame["template"].dropna())
        assert query("SELECT count(*) FROM cells") == [(cells,)]
        assert query(
            "SELECT value, raw FROM cells WHERE cell = 'active.procurement.amount' AND value > 0"
        ) == [(Decimal("849.39"), "849.39万元")]
        assert query("SELECT sum(n_error + n_warning + n_info) FROM reports") == query(
            "SELECT count(*) FROM diagnostics"
        )
        first = govreport.parse(read(paths[0])).diagnostics[0]
        assert query("SELECT path, line, code, message, cells FROM diagnostics LIMIT 1") == [
            (str(paths[0]), first.span.line, first.code, first.message, list(first.cells))  # type: ignore[union-attr]
        ]


def test_duckdb_rerun_replaces_rows(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "out.duckdb"
    paths = _seeds_and_junk(tmp_path)
    tables = ("reports", "cells", "diagnostics", "errors")

    def counts() -> list[int]:
        with duckdb.connect(str(out)) as con:
            return [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables]

    extract(paths, out, jobs=1)
    before = counts()
    extract(paths, out, jobs=1)
    assert counts() == before
    # the junk file is fixed: its error row goes, its report comes
    paths[5].write_text(read(SEED_2019), encoding="utf-8")
    extract(paths[5:], out, jobs=1)
    after = counts()
    assert after[0] == before[0] + 1 and after[3] == before[3] - 1


# -- provenance: printed, solved and inferred values kept apart ---------------

COLLAPSED = REAL / "037_putian_cgj_2024.txt"  # crawler text: runs collapsed, blanks never written


def test_wide_outputs_leave_inferred_values_out_unless_asked(tmp_path: Path) -> None:
    report = govreport.parse(read(COLLAPSED))
    inferred = [k for k in report.cells() if report.cell(k).inferred]
    solved = [
        k
        for k, v in report.cells().items()
        if v is not None and report.cell(k).provenance is Provenance.SOLVED
    ]
    assert inferred and solved
    frame = to_frame([report])
    assert frame.loc[0, inferred].isna().all()
    assert not frame.loc[0, solved].isna().any()
    everything = to_frame([report], inferred=True)
    assert [everything.loc[0, k] for k in inferred] == [report.cell(k).value for k in inferred]
    out = tmp_path / "out.jsonl"
    extract([COLLAPSED], out, jobs=1)
    line = json.loads(read(out))
    assert line["cells"][inferred[0]] is None and line["provenance"][inferred[0]] == "inferred"
    assert line["provenance"][solved[0]] == "solved"
    extract([COLLAPSED], out, jobs=1, inferred=True)
    assert json.loads(read(out))["cells"][inferred[0]] == report.cell(inferred[0]).value
    extract([COLLAPSED], tmp_path / "x.csv", jobs=1)
    with open(tmp_path / "x.csv", encoding="utf-8", newline="") as file:
        header, row = list(csv.reader(file))
    assert row[header.index(inferred[0])] == ""
    assert row[header.index(solved[0])] == str(report.cell(solved[0]).value)


def test_every_duckdb_value_traces_to_its_provenance_and_span(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "out.duckdb"
    paths = [COLLAPSED, SEED_2019]
    extract(paths, out, jobs=1)
    texts = {str(p): read(p) for p in paths}
    reports = {path: govreport.parse(text) for path, text in texts.items()}
    with duckdb.connect(str(out)) as con:
        rows = con.execute(
            'SELECT path, cell, value, provenance, raw, line, "column", start_offset, end_offset '
            "FROM cells WHERE value IS NOT NULL"
        ).fetchall()
        kinds = dict(con.execute("SELECT provenance, count(*) FROM cells GROUP BY ALL").fetchall())
    assert {"printed", "solved", "inferred"} <= set(kinds)
    for path, cell, value, how, raw, line, column, start, end in rows:
        text = texts[path]
        assert how in ("printed", "solved", "inferred"), cell
        assert text[start:end] == raw, cell
        assert text.count("\n", 0, start) + 1 == line, cell
        assert start - (text.rfind("\n", 0, start) + 1) + 1 == column, cell
        report = reports[path]
        assert report.cell(cell).provenance.value == how  # type: ignore[union-attr]
        assert report.cell(cell).value == value


@pytest.mark.parametrize(
    "table",
    [
        "cells (path VARCHAR, cell VARCHAR, value DECIMAL(38, 10), raw VARCHAR, line INTEGER)",
        "measures (path VARCHAR, share_granted DOUBLE)",
    ],
    ids=["cells", "measures"],
)
def test_a_duckdb_file_of_an_older_govreport_is_refused(tmp_path: Path, table: str) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "old.duckdb"
    with duckdb.connect(str(out)) as con:
        con.execute(f"CREATE TABLE {table}")
    with pytest.raises(
        govreport.GovReportError, match=f"its {table.split()[0]} table was written by an older"
    ):
        extract([SEED_2019], out, jobs=1)


@pytest.mark.parametrize("when", ["creating", "renaming"])
def test_an_output_refused_is_an_output_error_naming_the_output_not_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    # issue 16, trap 3, as root too (root is never refused: tests/test_cli.py
    # tries a read-only folder only for other users)
    from govreport import export

    out = tmp_path / "x.csv"
    temporary = str(tmp_path / ".x.csv.1a2b3c4d.tmp")

    def refused(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", temporary)

    if when == "creating":
        monkeypatch.setattr(export, "_temporary_beside", refused)
    else:
        monkeypatch.setattr(export.os, "replace", refused)  # the os module's, until the test ends
    with pytest.raises(export.OutputError) as info:
        extract([SEEDS / "000_b0a0644a2287c115.txt"], out, jobs=1)
    assert str(info.value) == f"{out}: cannot write: Permission denied"
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left behind


def test_each_report_carries_the_sha256_of_its_file(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    paths = [SEED_2019, COLLAPSED]
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    out = tmp_path / "out.jsonl"
    extract(paths, out, jobs=1)
    assert [json.loads(line)["sha256"] for line in read(out).splitlines()] == digests
    frame = to_frame(govreport.parse_many(paths))
    assert list(frame["sha256"]) == digests
    assert to_frame([govreport.parse(read(SEED_2019))])["sha256"].isna().all()  # no file, no hash
    extract(paths, tmp_path / "out.duckdb", jobs=1)
    with duckdb.connect(str(tmp_path / "out.duckdb")) as con:
        found = dict(con.execute("SELECT path, sha256 FROM reports").fetchall())
    assert found == {str(p): d for p, d in zip(paths, digests, strict=True)}


def test_duckdb_output_needs_no_pyarrow(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    from govreport.export import _diagnostic_row, _long_rows, load_record

    # a title that a CSV would mangle: a quote and a comma
    odd = tmp_path / "odd.txt"
    title = '德惠市"卫健局",2020年政府信息公开工作年度报告'
    odd.write_text(read(SEED_2019).replace("2020年政府信息公开工作年度报告", title, 1), encoding="utf-8")
    paths = [*_seeds_and_junk(tmp_path), odd]
    records = [load_record(path) for path in paths]
    assert records[-1].title == title
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    out = tmp_path / "out.duckdb"
    summary = extract(paths, out, jobs=1)
    assert (summary.reports, summary.errors) == (6, 1)
    with duckdb.connect(str(out)) as con:

        def query(sql: str) -> list[tuple[object, ...]]:
            return con.execute(sql).fetchall()

        types = {name: kind for name, kind, *_ in query("DESCRIBE cells")}
        assert types["value"] == "DECIMAL(38,10)" and types["line"] == "INTEGER"
        assert query("SELECT typeof(cells) FROM diagnostics LIMIT 1") == [("VARCHAR[]",)]
        # every row as the records hold it: texts, NULLs, exact decimals and lists
        assert query("SELECT * FROM cells") == [row for rec in records for row in _long_rows(rec)]
        assert query("SELECT * FROM diagnostics") == [
            _diagnostic_row(rec.path, d) for rec in records for d in rec.diagnostics
        ]
        assert query("SELECT * FROM errors") == [(rec.path, *rec.error) for rec in records if rec.error]
        assert query("SELECT path, sha256, agency, year, template, title FROM reports") == [
            (rec.path, rec.sha256, rec.agency, rec.year, rec.template, rec.title)
            for rec in records
            if not rec.error
        ]
        assert query("SELECT value FROM cells WHERE cell = 'active.procurement.amount' AND value > 0") == [
            (Decimal("849.39"),),
            (Decimal("849.39"),),
        ]
        assert query("SELECT count(*) FROM codebook") == [(len(govreport.codebook(as_records=True)),)]


def test_the_duckdb_writer_keeps_every_text_null_and_list_exactly(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    from govreport.export import _DuckdbSink

    texts = ['a"b,c\nd\r\ne', "", "'", "\\ back", "x" * 10_000, "结果维持"]
    lists = [[], [""], ["it's, [odd] \\ x", "a.b"]]
    sink = _DuckdbSink(tmp_path / "out.duckdb", inferred=False)
    rows = [(text, None, 1, "error", "report", "code", text, items) for text in texts for items in lists]
    sink._insert("diagnostics", rows)
    sink.commit()
    with duckdb.connect(str(tmp_path / "out.duckdb")) as con:
        assert con.execute("SELECT * FROM diagnostics").fetchall() == rows
    assert not sink.spool.exists()
