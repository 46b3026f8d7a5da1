"""The defined measures (govreport.measures, docs/measures.md): values
computed by hand from three real reports, the None cases, the doc against
the code, and the measures table of every export."""

from __future__ import annotations

import csv
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

import govreport
from govreport.export import extract, measure_columns, to_frame
from govreport.measures import DEFINITIONS, MINIMUM_DENOMINATOR, markdown_table, measures_of

from .conftest import REAL, ROOT, SEEDS, read

# -- three real reports, read by hand -------------------------------------


def test_putian_tjj_2025_one_cell_per_line_2021_template() -> None:
    # tests/data/real/027_putian_tjj_2025.txt, crawler text with runs of
    # equal cells collapsed ("22 / 0 / 22": 自然人 22, the five 法人 columns 0,
    # 总计 22). The 总计 column, by line of the source:
    granted, partly = 15, 0  # lines 81-83 （一）予以公开 15 0 15; line 86 （二）部分公开 0
    denied = [0, 0, 0, 0, 2, 0, 0, 0]  # lines 89-105: only 5.属于三类内部事务信息 (97-99) is 2
    unavailable = [5, 0, 0]  # lines 108-110 1.本机关不掌握 5 0 5; lines 112, 114: 0
    total = 22  # lines 134-136 （七）总计 22 0 22
    new = 22  # lines 74-76 一、本年新收 22 0 22
    m = govreport.measures(govreport.parse_file(REAL / "027_putian_tjj_2025.txt"))
    assert m.share_granted.value == Fraction(granted + partly, total) == Fraction(15, 22)
    assert m.share_refused.value == Fraction(sum(denied), total) == Fraction(1, 11)
    assert m.share_unavailable.value == Fraction(sum(unavailable), total)
    # line 170: the review row is one "0" for fifteen cells: its 总计 cells are
    # certain (each group's four outcomes are at least 0, and the run is
    # zeros), the outcomes only inferred (the collapsed run may hide blanks)
    assert m.dispute_conversion.value == Fraction(0, new)
    assert m.reconsideration_correction_rate.numerator is None  # inferred: not used
    assert m.litigation_loss_rate.value is None
    with_inferred = govreport.measures(govreport.parse_file(REAL / "027_putian_tjj_2025.txt"), inferred=True)
    rate = with_inferred.reconsideration_correction_rate
    assert (rate.numerator, rate.denominator, rate.value) == (0, 0, None)  # no case decided


def test_pingtan_shs_2025_flattened_2021_template() -> None:
    # tests/data/real/056_pingtan_shs_2025.txt, line 10 (the whole report on one line):
    # "一、本年新收政府信息公开申请数量 3000003": 自然人 3, 总计 3;
    # "（一）予以公开 0000000", "（二）部分公开… 0000000", 不予公开 1-8 each "0000000";
    # "1.本机关不掌握相关政府信息2000002", "2.没有现成信息需要另行制作1000001",
    # "3.补正后申请内容仍不明确0000000"; "（七）总计3000003";
    # the review row "210033300620002": 行政复议 2 1 0 0 3 | 直接起诉 3 3 0 0 6 | 复议后起诉 2 0 0 0 2.
    new = total = 3
    reconsideration = (2, 1, 0, 0, 3)  # 维持, 纠正, 其他, 尚未审结, 总计
    direct = (3, 3, 0, 0, 6)
    after = (2, 0, 0, 0, 2)
    report = govreport.parse(read(REAL / "056_pingtan_shs_2025.txt"))
    m, small = govreport.measures(report), govreport.measures(report, minimum=1)
    # 3 requests answered: below the minimum of 5, so the shares need minimum=1
    assert (m.share_granted.value, m.share_granted.numerator, m.share_granted.denominator) == (None, 0, 3)
    assert small.share_granted.value == Fraction(0 + 0, total) == 0
    assert small.share_refused.value == 0
    assert small.share_unavailable.value == Fraction(2 + 1 + 0, total) == 1
    # 行政复议: 1 corrected of 2 + 1 + 0 decided
    rate = m.reconsideration_correction_rate
    assert (rate.numerator, rate.denominator, rate.value) == (1, 3, None)
    assert small.reconsideration_correction_rate.value == Fraction(
        reconsideration[1], sum(reconsideration[:3])
    )
    loss = m.litigation_loss_rate
    assert loss.value == Fraction(direct[1] + after[1], sum(direct[:3]) + sum(after[:3])) == Fraction(3, 8)
    # 3 + 6 + 2 disputes over 3 new requests: more than 1 (a dispute may be of an earlier year's request)
    assert m.dispute_conversion.denominator == new
    assert m.dispute_conversion.numerator == reconsideration[4] + direct[4] + after[4] == 11
    assert m.dispute_conversion.value is None  # 3 new requests: below the minimum
    assert m.dispute_conversion.numerator > m.dispute_conversion.denominator


def test_pingtan_scj_2020_flattened_2019_template() -> None:
    # tests/data/real/048_pingtan_scj_2020.txt, line 10: "一、本年新收… 5000005";
    # "（一）予以公开0000000"; "（二）部分公开…2000002"; 不予公开 1-8 and 无法提供 1-3
    # each "0000000"; the 2019 template's one row "（六）其他处理3000003";
    # "（七）总计5000005"; the review row fifteen zeros.
    m = govreport.measures(govreport.parse(read(REAL / "048_pingtan_scj_2020.txt")))
    assert m.share_granted.value == Fraction(0 + 2, 5)
    assert m.share_refused.value == Fraction(0, 5)
    assert m.share_unavailable.value == Fraction(0, 5)
    assert m.dispute_conversion.value == Fraction(0 + 0 + 0, 5)
    for rate in (m.reconsideration_correction_rate, m.litigation_loss_rate):
        assert (rate.numerator, rate.denominator, rate.value) == (0, 0, None)


# -- None ----------------------------------------------------------------

_FULL = {
    **{cell_id: 0 for d in DEFINITIONS for cell_id in d.cells},
    "requests.granted.total": 6,
    "requests.partly_granted.total": 2,
    "requests.total.total": 10,
    "requests.new.total": 12,
    "review.reconsideration.corrected": 2,
    "review.reconsideration.upheld": 4,
    "review.reconsideration.pending": 9,
    "review.reconsideration.total": 15,
}


def test_full_values_give_every_measure() -> None:
    m = measures_of(_FULL)
    assert m.share_granted.value == Fraction(8, 10)
    assert m.reconsideration_correction_rate.value == Fraction(2, 6)  # 尚未审结 9 is not decided
    assert m.dispute_conversion.value == Fraction(15, 12)
    assert m.values()["share_granted"] == Fraction(4, 5)
    assert [x.name for x in m] == [d.name for d in DEFINITIONS]


@pytest.mark.parametrize("cell_id", ["requests.partly_granted.total", "requests.total.total"])
def test_a_blank_cell_is_none_not_zero(cell_id: str) -> None:
    m = measures_of({**_FULL, cell_id: None})
    assert m.share_granted.value is None
    assert m.share_granted.numerator if cell_id == "requests.total.total" else m.share_granted.denominator


def test_an_absent_cell_is_none() -> None:
    values = dict(_FULL)
    del values["requests.denied.inquiry.total"]
    m = measures_of(values)
    assert (m.share_refused.value, m.share_refused.numerator) == (None, None)
    assert m.share_granted.value is not None


def test_a_denominator_below_the_minimum_is_none_with_its_sums_kept() -> None:
    values = {**_FULL, "requests.new.total": MINIMUM_DENOMINATOR - 1}
    m = measures_of(values)
    assert m.dispute_conversion.value is None
    assert (m.dispute_conversion.numerator, m.dispute_conversion.denominator) == (15, MINIMUM_DENOMINATOR - 1)
    assert measures_of(values, minimum=1).dispute_conversion.value == Fraction(15, MINIMUM_DENOMINATOR - 1)
    assert measures_of({**_FULL, "requests.new.total": MINIMUM_DENOMINATOR}).dispute_conversion.value


def test_a_zero_denominator_is_none_whatever_the_minimum() -> None:
    m = measures_of({**_FULL, "requests.total.total": 0}, minimum=0)
    assert m.share_granted.value is None


def test_inferred_values_are_used_only_when_asked() -> None:
    # the 2021 seed whose review row is inferred (crawler run of zeros): see test 027 above
    report = govreport.parse_file(REAL / "027_putian_tjj_2025.txt")
    assert report.cell("review.reconsideration.corrected").inferred
    assert govreport.measures(report).reconsideration_correction_rate.numerator is None
    assert govreport.measures(report, inferred=True).reconsideration_correction_rate.numerator == 0


def test_a_report_without_tables_has_no_measures() -> None:
    report = govreport.Report(agency="x", year=2021)
    assert all(m.value is None and m.numerator is None for m in govreport.measures(report))


def test_measures_takes_a_report() -> None:
    with pytest.raises(TypeError, match="takes a Report"):
        govreport.measures({"requests.total.total": 3})  # type: ignore[arg-type]


# -- the doc --------------------------------------------------------------


def test_docs_measures_md_holds_the_generated_table() -> None:
    doc = read(ROOT / "docs" / "measures.md")
    block = re.search(r"<!-- measures table: [^\n]*-->\n(.*?)<!-- end of measures table -->", doc, re.S)
    assert block is not None
    assert block.group(1) == markdown_table()
    assert f"MINIMUM_DENOMINATOR`, {MINIMUM_DENOMINATOR}" in doc
    for d in DEFINITIONS:  # every cell id a measure uses is a cell id of both templates
        assert set(d.cells) <= set(govreport.cell_ids("2021")) & set(govreport.cell_ids("2019"))


# -- the exports -----------------------------------------------------------

_PATHS = [REAL / "027_putian_tjj_2025.txt", REAL / "048_pingtan_scj_2020.txt", SEEDS / "missing.txt"]


def test_jsonl_has_a_measures_key(tmp_path: Path) -> None:
    extract(_PATHS, tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["measures"]["share_granted"] == {"value": 15 / 22, "numerator": 15, "denominator": 22}
    assert rows[1]["measures"]["share_granted"]["value"] == 0.4
    assert rows[2]["error"] is not None and rows[2]["measures"] is None


def test_csv_measures_table(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    extract(_PATHS, out, table="measures")
    with out.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert tuple(rows[0]) == measure_columns()
    assert len(rows) == 2  # the missing file has no row
    assert rows[0]["share_refused"] == repr(2 / 22) and rows[0]["share_refused_numerator"] == "2"
    assert rows[1]["reconsideration_correction_rate"] == ""


def test_measures_table_in_duckdb_parquet_and_pandas(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    pd = pytest.importorskip("pandas")
    extract(_PATHS, tmp_path / "out.duckdb")
    with duckdb.connect(str(tmp_path / "out.duckdb")) as con:
        rows = con.execute(
            "SELECT year, share_granted, share_granted_numerator, dispute_conversion_denominator "
            "FROM measures ORDER BY year"
        ).fetchall()
    assert rows == [(2020, 0.4, 2, 5), (2025, 15 / 22, 15, 22)]
    extract(_PATHS, tmp_path / "m.parquet", table="measures")
    frame = pd.read_parquet(tmp_path / "m.parquet")
    assert list(frame.columns) == list(measure_columns())
    assert str(frame["share_granted"].dtype) == "float64"
    assert str(frame["share_granted_numerator"].dtype) == "Int64"
    numerators = frame["reconsideration_correction_rate_numerator"]
    assert numerators.isna().tolist() == [True, False] and numerators[1] == 0  # 027: inferred; 048: printed 0
    mine = to_frame(govreport.parse_many(_PATHS[:2]), form="measures")
    assert mine["share_granted"].tolist() == frame["share_granted"].tolist()


def test_table_measures_is_for_csv_and_parquet(tmp_path: Path) -> None:
    with pytest.raises(govreport.GovReportError, match="always holds the measures"):
        extract(_PATHS, tmp_path / "out.jsonl", table="measures")
    with pytest.raises(govreport.GovReportError, match="unknown table"):
        extract(_PATHS, tmp_path / "out.csv", table="cells")
