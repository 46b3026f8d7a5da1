"""Errors: the right class for each kind of bad input, with a location, an
excerpt and pickling; no other exception escapes parse()."""

from __future__ import annotations

import pickle
import random

import pytest

import govreport
from govreport import GovReportError, ParseError, StrictModeError, UnsupportedTemplateError

from .conftest import REAL, SEEDS, read

SEED = read(SEEDS / "001_ca9e65d44e929827.txt")
PRE_2019 = sorted(REAL.glob("*_pre2019.txt"))

NEWS = (
    "新华社北京3月1日电 国务院办公厅日前印发通知，要求各地做好政府信息公开工作。\n"
    "通知指出，要坚持以公开为常态、不公开为例外，2021年各地共主动公开政府信息1200万条。\n"
    "记者 张三\n"
)


@pytest.mark.parametrize("text", ["", " \n\t\u3000\n", "\ufeff"], ids=["empty", "blank", "bom"])
def test_empty_input_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="empty input") as caught:
        govreport.parse(text)
    assert caught.value.line == 1


def test_binary_decoded_as_text_is_a_parse_error() -> None:
    noise = bytes(range(256)).decode("latin-1")
    with pytest.raises(ParseError, match="binary data"):
        govreport.parse(noise)
    rng = random.Random(7)
    decoded = bytes(rng.randrange(256) for _ in range(4000)).decode("utf-8", "replace")
    with pytest.raises(ParseError, match="binary data"):
        govreport.parse(decoded)


def test_news_article_is_not_a_report() -> None:
    with pytest.raises(ParseError, match="not a government information disclosure annual report") as caught:
        govreport.parse(NEWS)
    error = caught.value
    assert (error.line, error.column) == (1, 1)
    assert error.excerpt is not None and error.excerpt.startswith("新华社")
    assert str(error).startswith("1:1: not a government")
    assert "\n    新华社" in str(error) and str(error).endswith("^")


@pytest.mark.parametrize("path", PRE_2019, ids=[p.stem for p in PRE_2019])
def test_pre_2019_reports_are_unsupported(path) -> None:
    text = read(path)
    with pytest.raises(UnsupportedTemplateError, match="before the 2019 template") as caught:
        govreport.parse(text)
    error = caught.value
    assert error.line is not None and error.column is not None
    line = text.split("\n")[error.line - 1]
    assert error.excerpt is not None and error.excerpt.strip() in line.replace("\t", " ")


def test_half_a_report_gives_what_it_can_with_diagnostics() -> None:
    half = govreport.parse(SEED[: len(SEED) // 2])
    assert half.template == "2019"
    assert half.active is not None and half.active.licensing.decisions.value == 3533
    codes = {d.code for d in half.diagnostics}
    assert {"missing-row", "missing-table", "missing-section"} <= codes
    assert half.requests is not None and half.requests.total.total.value is None


def test_a_report_cut_before_its_tables_has_no_template() -> None:
    cut = govreport.parse(SEED[: len(SEED) // 8])
    assert cut.template is None and cut.cells() == {}
    assert cut.overview is not None
    assert "missing-table" in {d.code for d in cut.diagnostics}


def test_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        govreport.parse(SEED.encode())  # type: ignore[arg-type]


def test_strict_mode_raises_on_error_diagnostics_only() -> None:
    govreport.parse(read(SEEDS / "003_70186e5739fffa45.txt"), strict=True)
    with pytest.raises(StrictModeError) as caught:
        govreport.parse(read(SEEDS / "004_7590363eed79dbcf.txt"), strict=True)
    error = caught.value
    assert [d.code for d in error.diagnostics] == ["short-row"]
    assert error.report is not None and error.report.agency == "绥滨县卫生健康局"
    assert error.line == 188


@pytest.mark.parametrize(
    "error",
    [
        GovReportError("plain"),
        ParseError("not a report", line=3, column=2, excerpt="abc"),
        UnsupportedTemplateError("old", line=1, column=1, excerpt="一、概述"),
    ],
)
def test_errors_pickle(error: GovReportError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.message, copy.line, copy.column, copy.excerpt) == (
        error.message,
        error.line,
        error.column,
        error.excerpt,
    )
    assert str(copy) == str(error)


def test_strict_error_pickles_with_its_report() -> None:
    with pytest.raises(StrictModeError) as caught:
        govreport.parse(read(SEEDS / "004_7590363eed79dbcf.txt"), strict=True)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert copy.diagnostics == caught.value.diagnostics
    assert copy.report == caught.value.report
    assert str(copy) == str(caught.value)


def test_every_error_is_a_govreport_error() -> None:
    for cls in (ParseError, UnsupportedTemplateError, StrictModeError):
        assert issubclass(cls, GovReportError)
