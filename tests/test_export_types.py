"""Types that survive the trip (issue 16): every export format loaded with
pandas and with DuckDB keeps nullable integers and exact decimals, and holds
the values of hand-written goldens (never the parser's own output);
read_reports(), the public extract(), to_frame(form="diagnostics") and the
codebook."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import govreport
from govreport.export import CODEBOOK_COLUMNS, DIAGNOSTIC_COLUMNS, wide_cell_ids

from .conftest import REAL, ROOT, SEEDS, read

pd = pytest.importorskip("pandas")
duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

#: A 2021 report with money printed to seven places and inferred cells, and
#: a 2019 seed; the goldens were written from the source text.
GOLDENS = (REAL / "022_putian_slj_2022.golden.json", SEEDS / "001_ca9e65d44e929827.golden.json")
SOURCES = [str(g.with_name(g.name.replace(".golden.json", ".txt"))) for g in GOLDENS]
CODEBOOK = govreport.codebook(as_records=True)
MONEY = [e.id for e in CODEBOOK if e.type.value == "money"]
COUNTS = [e.id for e in CODEBOOK if e.type.value != "money"]


def _expected(golden: Path) -> dict[str, Any]:
    """The golden's values as the wide outputs hold them: money exact,
    inferred cells empty, ids of the other template empty."""
    data = json.loads(read(golden))
    inferred = set(data.get("inferred", ()))
    cells = {k: Decimal(v) if isinstance(v, str) else v for k, v in data["cells"].items()}
    values = {i: None if i in inferred else cells.get(i) for i in wide_cell_ids()}
    return {"agency": data["agency"], "year": data["year"], "template": data["template"], **values}


EXPECTED = [_expected(g) for g in GOLDENS]


def _same(got: Any, want: Any) -> bool:
    if want is None:
        return got is None or got is pd.NA or (isinstance(got, float) and got != got)
    return bool(got == want) and type(got) is type(want)


def _check_rows(rows: list[dict[str, Any]]) -> None:
    assert len(rows) == len(EXPECTED)
    for got, want in zip(rows, EXPECTED, strict=True):
        wrong = {k: (got[k], v) for k, v in want.items() if not _same(_plain(got[k]), v)}
        assert not wrong, f"(export, golden): {wrong}"


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as Python's."""
    if value is pd.NA or value is None:
        return None
    return value.item() if hasattr(value, "item") and not isinstance(value, Decimal) else value


def _check_pandas_dtypes(frame: Any) -> None:
    for column in [*COUNTS, "year", "n_error"]:
        assert str(frame[column].dtype) == "Int64", column
    for column in MONEY:
        assert frame[column].dtype == object, column
        assert all(v is None or isinstance(v, Decimal) for v in frame[column]), column


def _check_duckdb_types(relation: Any) -> None:
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert {types[c] for c in COUNTS} == {"BIGINT"}
    assert {types[c] for c in MONEY} == {"DECIMAL(38,10)"}
    assert types["year"] == "BIGINT"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    paths = {suffix: folder / f"reports.{suffix}" for suffix in ("parquet", "duckdb", "csv", "jsonl")}
    for out in paths.values():
        summary = govreport.extract(SOURCES, out)
        assert (summary.files, summary.reports, summary.errors) == (2, 2, 0)
    return paths


def test_parquet_in_pandas_and_duckdb(outputs: dict[str, Path]) -> None:
    frame = pd.read_parquet(outputs["parquet"])
    _check_pandas_dtypes(frame)
    _check_rows(frame.to_dict("records"))
    arrow = pd.read_parquet(outputs["parquet"], dtype_backend="pyarrow")
    assert str(arrow["requests.new.total"].dtype) == "int64[pyarrow]"
    assert str(arrow["active.fees.amount"].dtype) == "decimal128(38, 10)[pyarrow]"
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{outputs['parquet']}')")
    _check_duckdb_types(relation)
    _check_rows([dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()])


def test_duckdb_file_in_duckdb_and_pandas(outputs: dict[str, Path]) -> None:
    con = duckdb.connect(str(outputs["duckdb"]), read_only=True)
    try:
        assert str(con.sql("SELECT value FROM cells").types[0]) == "DECIMAL(38,10)"
        assert str(con.sql("SELECT year FROM reports").types[0]) == "INTEGER"
        rows = []
        for path in SOURCES:
            meta = con.execute("SELECT agency, year, template FROM reports WHERE path = ?", [path]).fetchone()
            assert meta is not None
            cells = con.execute(
                "SELECT cell, CASE WHEN provenance = 'inferred' THEN NULL ELSE value END FROM cells "
                "WHERE path = ?",
                [path],
            ).fetchall()
            values = {cell: value for cell, value in cells}
            rows.append(
                {"agency": meta[0], "year": meta[1], "template": meta[2]}
                | {i: _exact(i, values.get(i)) for i in wide_cell_ids()}
            )
        _check_rows(rows)
        # pandas through Arrow keeps the decimals (DuckDB's .df() makes them floats)
        frame = con.sql("SELECT * FROM cells").to_arrow_table().to_pandas(types_mapper=pd.ArrowDtype)
        assert str(frame["value"].dtype) == "decimal128(38, 10)[pyarrow]"
        assert str(frame["line"].dtype) == "int32[pyarrow]"
    finally:
        con.close()


def _exact(cell_id: str, value: Decimal | None) -> Any:
    """A DuckDB DECIMAL as the cell's type: int for counts (exactly whole)."""
    if value is None or cell_id in MONEY:
        return value
    assert value == int(value)
    return int(value)


def _csv_types() -> tuple[dict[str, str], dict[str, Any]]:
    """pandas' dtype= and converters= for the CSV, from the codebook."""
    money = {c: (lambda text: Decimal(text) if text else None) for c in MONEY}
    ints = dict.fromkeys([*COUNTS, "year", "n_error", "n_warning", "n_info"], "Int64")
    return ints | {"template": "string"}, money


def test_csv_in_pandas_and_duckdb_with_the_codebooks_types(outputs: dict[str, Path]) -> None:
    ints, money = _csv_types()
    frame = pd.read_csv(outputs["csv"], dtype=ints, converters=money)
    _check_pandas_dtypes(frame)
    _check_rows(frame.to_dict("records"))
    types = {c: "BIGINT" for c in ints} | {c: "DECIMAL(38,10)" for c in MONEY} | {"template": "VARCHAR"}
    relation = duckdb.sql(f"SELECT * FROM read_csv('{outputs['csv']}', types = {types!r})")
    _check_duckdb_types(relation)
    _check_rows([dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()])


def test_jsonl_in_pandas_and_duckdb(outputs: dict[str, Path]) -> None:
    frame = pd.read_json(outputs["jsonl"], lines=True, dtype=False)
    cells = pd.DataFrame(list(frame["cells"])).astype(dict.fromkeys(COUNTS, "Int64"))
    for column in MONEY:
        cells[column] = [None if v is None or v != v else Decimal(v) for v in cells[column]]
    wide = pd.concat([frame[["agency", "year", "template"]].astype({"year": "Int64"}), cells], axis=1)
    _check_pandas_dtypes(wide.assign(n_error=frame["diagnostics"].map(len).astype("Int64")))
    _check_rows(wide.to_dict("records"))
    struct = ", ".join(f'"{c}" {"DECIMAL(38,10)" if c in MONEY else "BIGINT"}' for c in wide_cell_ids())
    relation = duckdb.sql(
        f"SELECT agency, year, template, cells.* FROM read_json('{outputs['jsonl']}', "
        f"columns = {{agency: 'VARCHAR', year: 'BIGINT', template: 'VARCHAR', cells: 'STRUCT({struct})'}})"
    )
    _check_duckdb_types(relation)
    _check_rows([dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()])


def test_read_reports_is_the_parquet_export(outputs: dict[str, Path]) -> None:
    frame = govreport.read_reports(SOURCES)
    _check_pandas_dtypes(frame)
    _check_rows(frame.to_dict("records"))
    assert frame.equals(pd.read_parquet(outputs["parquet"]))
    arrow = govreport.read_reports(SOURCES, dtype_backend="pyarrow")
    assert arrow.equals(pd.read_parquet(outputs["parquet"], dtype_backend="pyarrow"))
    # a folder and a glob, as parse_many takes them; inferred=True fills the inferred cells
    folder = govreport.read_reports(str(SEEDS))
    assert list(folder["path"]) == sorted(str(p) for p in SEEDS.glob("*.txt"))
    inferred = json.loads(read(GOLDENS[0]))["inferred"]
    full = govreport.read_reports(SOURCES[0], inferred=True)
    assert full[inferred].notna().all(axis=None) and frame.loc[0, inferred].isna().all()
    with pytest.raises(ValueError, match="dtype_backend"):
        govreport.read_reports(SOURCES, dtype_backend="numpy")  # type: ignore[arg-type]


def test_extract_takes_what_parse_many_takes(tmp_path: Path) -> None:
    out = tmp_path / "seeds.csv"
    summary = govreport.extract(str(SEEDS / "00[01]_*.txt"), str(out))
    assert (summary.files, summary.reports) == (2, 2)
    assert govreport.extract.__doc__ and "govreport extract" in govreport.extract.__doc__
    with pytest.raises(TypeError, match=r"^extract\(\) takes paths.*govreport\.parse\(\)"):
        govreport.extract(read(SEEDS / "000_b0a0644a2287c115.txt"), out)
    missing = govreport.extract([SOURCES[0], str(tmp_path / "nope.txt")], tmp_path / "x.jsonl")
    assert (missing.files, missing.reports, missing.errors) == (2, 1, 1)


def test_to_frame_diagnostics_has_one_row_per_diagnostic() -> None:
    results = list(govreport.parse_many([*SOURCES, str(SEEDS / "nope.txt")]))
    frame = govreport.to_frame(results, form="diagnostics")
    assert list(frame.columns) == list(DIAGNOSTIC_COLUMNS)
    expected = [(path, d) for path, r in results if isinstance(r, govreport.Report) for d in r.diagnostics]
    assert len(frame) == len(expected) > 0
    for (_, row), (path, d) in zip(frame.iterrows(), expected, strict=True):
        assert (row["path"], row["code"], row["severity"], list(row["cells"])) == (
            path,
            d.code,
            d.severity.value,
            list(d.cells),
        )
        if d.span is not None:
            assert (row["line"], row["column"]) == (d.span.line, d.span.column)
    assert str(frame["line"].dtype) == "Int64" and str(frame["code"].dtype) == "string"


# ---------------------------------------------------------------------------
# The codebook
# ---------------------------------------------------------------------------


def _cells_md_labels() -> dict[str, str]:
    """id → label of the tables of docs/spec/cells.md that list one id a row."""
    text = read(ROOT / "docs" / "spec" / "cells.md")
    return dict(re.findall(r"^\| (active\.[a-z_]+\.[a-z_]+) \| ([^|]+?) \|$", text, re.M))


def test_the_codebook_describes_every_cell_id_as_cells_md_does() -> None:
    assert [e.id for e in CODEBOOK] == list(wide_cell_ids())
    for template in ("2019", "2021"):
        ids = govreport.cell_ids(template)
        assert [e.id for e in CODEBOOK if template in e.templates] == sorted(ids, key=wide_cell_ids().index)
    labels = _cells_md_labels()
    assert len(labels) >= 13
    for cell_id, label in labels.items():
        entry = next(e for e in CODEBOOK if e.id == cell_id)
        assert f"{entry.row_label} · {entry.column_label}" == label.replace(" (万元)", ""), cell_id
    by_id = {e.id: e for e in CODEBOOK}
    assert (by_id["active.fees.amount"].type.value, by_id["active.fees.amount"].unit) == ("money", "万元")
    assert by_id["active.licensing.change"].type.value == "signed"
    assert (
        by_id["requests.denied.third_party.commercial"].row_label == "（三）不予公开 · 4.保护第三方合法权益"
    )
    assert by_id["requests.denied.third_party.commercial"].column_label == "法人或其他组织 · 商业企业"
    assert by_id["review.litigation_direct.pending"].column_label == "行政诉讼 · 未经复议直接起诉 · 尚未审结"
    assert {e.section for e in CODEBOOK} == {"二", "三", "四"}
    assert by_id["requests.other.natural_person"].templates == ("2019",)


def test_the_codebook_frame_and_the_duckdb_table(outputs: dict[str, Path], tmp_path: Path) -> None:
    frame = govreport.codebook()
    assert list(frame.columns) == list(CODEBOOK_COLUMNS)
    assert list(frame["id"]) == [e.id for e in CODEBOOK]
    assert frame.set_index("id").loc["active.fees.amount", "unit"] == "万元"
    con = duckdb.connect(str(outputs["duckdb"]), read_only=True)
    try:
        table = con.sql("SELECT * FROM codebook").fetchall()
    finally:
        con.close()
    assert [row[0] for row in table] == [e.id for e in CODEBOOK]
    assert table[0][1] == list(CODEBOOK[0].templates)
    # replaced on each run, and created in a file written before it existed
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("CREATE TABLE codebook (id VARCHAR)")
    con.execute("INSERT INTO codebook VALUES ('stale')")
    con.close()
    govreport.extract(SOURCES[1], old)
    govreport.extract(SOURCES[1], old)
    con = duckdb.connect(str(old), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM codebook").fetchone() == (len(CODEBOOK),)
    finally:
        con.close()


def test_codebook_as_records_needs_no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    assert govreport.codebook(as_records=True) == CODEBOOK
    with pytest.raises(govreport.MissingExtraError, match="govreport\\[pandas\\]"):
        govreport.codebook()
