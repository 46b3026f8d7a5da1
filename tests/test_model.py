"""The model and its flat form: cells() follows cells.md exactly, to_dict /
from_dict round-trip through JSON, provenance stays out of equality."""

from __future__ import annotations

import json
import logging
import pickle
import re
from decimal import Decimal

import attrs
import pytest

import govreport
from govreport import Cell, Provenance, Report, Span
from govreport.vocabulary import cell_ids, cell_types

from .conftest import REAL, ROOT, SEEDS, read

SEED_PATHS = sorted(SEEDS.glob("*.txt"))


def _ids_from_spec() -> dict[str, list[str]]:
    """The cell ids of each template, read from the contract (docs/spec/cells.md)."""
    spec = read(ROOT / "docs" / "spec" / "cells.md")
    active, requests, review = (
        spec.split("## 二、")[1].split("## 三、")[0],
        spec.split("## 三、")[1].split("## 四、")[0],
        spec.split("## 四、")[1].split("## Arithmetic")[0],
    )
    out = {}
    blocks = active.split("Template 2019:")
    for template, block in (("2021", blocks[0]), ("2019", blocks[1])):
        ids: list[str] = []
        for first, rest in re.findall(r"^\| (active\.[\w.]+)((?: / \.\w+)*) \|", block, re.M):
            ids.append(first)
            base = first.rsplit(".", 1)[0]
            ids.extend(f"{base}{suffix}" for suffix in re.findall(r"\.\w+", rest))
        out[template] = ids
    columns = re.findall(r"^\| (\w+) \| [^|]+ \|$", requests.split("Rows,")[0], re.M)
    columns = [c for c in columns if c != "column"]
    for template in ("2019", "2021"):
        for row, label in re.findall(r"^\| ([\w.]+) \| (.+) \|$", requests.split("Rows,")[1], re.M):
            if row == "row":
                continue
            if "template 2021" in label and template != "2021":
                continue
            if "template 2019 only" in label and template != "2019":
                continue
            out[template].extend(f"requests.{row}.{c}" for c in columns)
    groups = re.findall(r"`(\w+)` \(", review.split("Outcomes")[0])
    outcomes = re.findall(r"`(\w+)` \(", review.split("Outcomes")[1])
    for template in out:
        out[template].extend(f"review.{g}.{o}" for g in groups for o in outcomes)
    return out


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_cell_ids_follow_the_contract(template: str) -> None:
    spec = _ids_from_spec()[template]
    assert len(spec) == (198 if template == "2019" else 200)
    assert list(cell_ids(template)) == spec


@pytest.mark.parametrize("path", SEED_PATHS, ids=[p.stem for p in SEED_PATHS])
def test_cells_have_the_contract_types(path) -> None:
    report = govreport.parse(read(path))
    assert report.template is not None
    types = cell_types(report.template)
    for key, value in report.cells().items():
        kind = types[key].value
        if value is not None:
            assert isinstance(value, Decimal if kind == "money" else int), key
            assert not isinstance(value, bool)


@pytest.mark.parametrize("path", SEED_PATHS, ids=[p.stem for p in SEED_PATHS])
def test_to_dict_from_dict_round_trips_through_json(path) -> None:
    report = govreport.parse(read(path))
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    again = Report.from_dict(data)
    assert again == report
    assert again.cells() == report.cells()
    assert again.to_dict() == report.to_dict()  # provenance and diagnostics too
    assert again.diagnostics == report.diagnostics


def test_spans_and_raw_text_take_no_part_in_equality() -> None:
    report = govreport.parse(read(SEED_PATHS[0]))
    cell = report.requests.new.natural_person
    moved = attrs.evolve(cell, raw="x", span=Span(0, 1, 1, 1, 1, 2))
    assert moved == cell
    assert Cell(0) != Cell(None)


def test_cell_lookup_by_id() -> None:
    report = govreport.parse(read(SEED_PATHS[1]))
    assert report.cell("active.licensing.decisions").value == 3533
    assert report.cell("active.procurement.amount").value == Decimal("849.39")
    assert report.cell("active.procurement.amount").raw == "849.39万元"
    with pytest.raises(KeyError):
        report.cell("active.fees.amount")  # a 2021 id in a 2019 report


def test_an_unknown_template_or_cell_id_says_what_is_valid() -> None:
    # issue 16, trap 9: bare KeyErrors ('2020', 'nope')
    with pytest.raises(KeyError) as info:
        cell_ids("2020")
    error = info.value
    assert isinstance(error, govreport.UnknownNameError) and isinstance(error, govreport.GovReportError)
    assert error.key == "2020"
    assert str(error) == "'2020' is not a template: the templates are '2019' and '2021'; did you mean '2021'?"
    with pytest.raises(KeyError, match=r"did you mean '2021'\?"):
        cell_types(2021)  # type: ignore[arg-type]
    report = govreport.parse(read(SEED_PATHS[1]))  # the 2019 template
    with pytest.raises(KeyError) as info:
        report.cell("requests.granted.totl")
    assert str(info.value) == (
        "'requests.granted.totl' is not a cell id of this report's 2019 template: its ids are "
        "govreport.cell_ids('2019') (docs/spec/cells.md); did you mean 'requests.granted.total' or "
        "'requests.partly_granted.total' or 'requests.new.total'?"
    )
    with pytest.raises(KeyError, match=r"^'active\.fees\.amount' is a cell of the 2021 template, not of"):
        report.cell("active.fees.amount")
    with pytest.raises(
        KeyError, match=r"^'nope' is not a cell id of this report's 2019 template: [^;]*$"
    ) as info:
        report.cell("nope")  # nothing close
    copy = pickle.loads(pickle.dumps(info.value))
    assert (type(copy), str(copy), copy.key) == (govreport.UnknownNameError, str(info.value), "nope")


def test_narrative_sections_keep_their_subheadings() -> None:
    report = govreport.parse(read(SEEDS / "003_70186e5739fffa45.txt"))
    assert report.overview is not None
    headings = [s.heading for s in report.overview.subsections]
    assert headings == [
        "（一）主动公开情况",
        "（二）依申请公开情况",
        "（三）政府信息管理情况",
        "（四）政府信息公开平台建设情况",
        "（五）监督保障工作情况",
    ]
    assert report.overview.subsections[1].text.endswith("2023年度我局未收到政府信息公开申请。")
    assert report.other_matters is not None
    assert report.other_matters.text == "2023年度，前进区卫生健康局无政府信息公开信息处理费产生。"


@pytest.mark.parametrize("path", SEED_PATHS, ids=[p.stem for p in SEED_PATHS])
def test_a_pickled_report_keeps_its_raw_texts_and_spans(path) -> None:
    # parse_many sends reports between processes by pickle; raw and span take
    # no part in equality, so they are compared one by one.
    report = govreport.parse(read(path))
    copy = pickle.loads(pickle.dumps(report, pickle.HIGHEST_PROTOCOL))
    assert copy == report
    for cell_id in report.cells():
        original, copied = report.cell(cell_id), copy.cell(cell_id)
        assert (copied.value, copied.raw, copied.span, copied.provenance) == (
            original.value,
            original.raw,
            original.span,
            original.provenance,
        )
        assert type(copied.value) is type(original.value)
    assert [d.span for d in copy.diagnostics] == [d.span for d in report.diagnostics]


CRAWLED = REAL / "037_putian_cgj_2024.txt"  # runs collapsed, blanks never written


def test_provenance_survives_json_and_pickle_and_stays_out_of_equality() -> None:
    report = govreport.parse(read(CRAWLED))
    hows = {k: report.cell(k).provenance for k in report.cells()}
    assert set(hows.values()) >= {Provenance.PRINTED, Provenance.SOLVED, Provenance.INFERRED}
    for copy in (
        Report.from_dict(json.loads(report.to_json())),
        pickle.loads(pickle.dumps(report, pickle.HIGHEST_PROTOCOL)),
    ):
        assert {k: copy.cell(k).provenance for k in copy.cells()} == hows
    data = report.to_dict()
    assert data["provenance"]["requests.new.commercial"]["how"] == "inferred"
    assert data["cells"]["requests.new.commercial"] == 0  # the JSON form is lossless
    cell = report.requests.new.commercial
    assert attrs.evolve(cell, provenance=Provenance.PRINTED) == cell


def test_cells_leave_inferred_values_out_unless_asked() -> None:
    report = govreport.parse(read(CRAWLED))
    sure, everything = report.cells(), report.cells(inferred=True)
    assert sure.keys() == everything.keys()
    for key, value in everything.items():
        if report.cell(key).inferred:
            assert sure[key] is None and value is not None
        else:
            assert sure[key] == value
    # 13 / 0 / 13: 自然人 and 总计 are settled, the 0 between may be blanks
    assert [sure[f"requests.new.{c}"] for c in ("natural_person", "commercial", "total")] == [13, None, 13]
    assert report.cell("requests.new.total").provenance is Provenance.SOLVED
    assert report.cell("active.licensing.decisions").provenance is Provenance.PRINTED


def test_the_arithmetic_is_not_checked_on_inferred_values() -> None:
    from govreport.checks import check_arithmetic

    report = govreport.parse(read(CRAWLED))
    cells = {k: report.cell(k) for k in report.cells()}
    # Break rule B on an inferred cell: no finding (the value is not the report's).
    cells["requests.new.commercial"] = attrs.evolve(cells["requests.new.commercial"], value=5)
    assert not [d for d in check_arithmetic("2021", cells) if "requests.new.commercial" in d.cells]
    # The same values printed are the report's: rule B is broken.
    printed = {k: attrs.evolve(c, provenance=Provenance.PRINTED) for k, c in cells.items()}
    found = [d for d in check_arithmetic("2021", printed) if "requests.new.commercial" in d.cells]
    assert "row-total-mismatch" in [d.code for d in found]


def test_severity_is_ordered_like_logging_levels_and_written_as_its_name() -> None:
    # issue 16, trap 1: Severity compared as a string ("error" < "warning"),
    # so `d.severity >= Severity.WARNING` dropped every error
    from govreport import Severity

    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert Severity.ERROR > Severity.WARNING and not Severity.ERROR < Severity.INFO
    assert sorted([Severity.ERROR, Severity.INFO, Severity.WARNING]) == [
        Severity.INFO,
        Severity.WARNING,
        Severity.ERROR,
    ]
    assert max(Severity) is Severity.ERROR and min(Severity) is Severity.INFO
    assert [s.level for s in Severity] == [logging.ERROR, logging.WARNING, logging.INFO]
    assert Severity.ERROR >= "warning" and "warning" < Severity.ERROR  # noqa: SIM300 (a string is read as a severity)
    with pytest.raises(ValueError):
        _ = Severity.ERROR > "fatal"
    with pytest.raises(TypeError):
        _ = Severity.ERROR > 3
    report = govreport.parse(read(SEEDS / "004_7590363eed79dbcf.txt"))
    assert [d.code for d in report.diagnostics if d.severity >= Severity.WARNING] == ["short-row"]
    # written as today: its name, in JSON and pickles
    assert json.dumps([Severity.ERROR, {"s": Severity.INFO}]) == '["error", {"s": "info"}]'
    assert Severity.WARNING == "warning" and Severity("error") is Severity.ERROR
    assert pickle.loads(pickle.dumps(Severity.WARNING)) is Severity.WARNING
    assert [s.value for s in Severity] == ["error", "warning", "info"]  # as declared
