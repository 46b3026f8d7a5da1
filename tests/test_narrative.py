"""The narrative against the tables (govreport/narrative.py, docs/narrative.md).

Each pattern the narrative binds has a fixture, beside clauses that must not
bind (a number of another clause, a year, a percentage, a range, a
comparison, another scope or period); then the real corpus, every finding on
it listed with the reason it is one, read by hand from the source sentence
and the table.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import govreport
from govreport import Cell, Provenance, Report, Span, Statement
from govreport.narrative import Line, check_narrative, chinese_number
from govreport.normalize import normalize

from .conftest import REAL, SEEDS, read

#: The table the fixtures are compared with.
TABLE = {
    "requests.new.total": 12,
    "requests.new.natural_person": 10,
    "requests.carried_over.total": 2,
    "requests.carried_over.natural_person": 2,
    "requests.total.total": 13,
    "requests.carried_forward.total": 1,
    "review.reconsideration.upheld": 2,
    "review.reconsideration.corrected": 1,
    "review.reconsideration.other": 0,
    "review.reconsideration.pending": 0,
    "review.reconsideration.total": 3,
    "review.litigation_direct.upheld": 1,
    "review.litigation_direct.total": 1,
    "review.litigation_after_reconsideration.upheld": 0,
    "review.litigation_after_reconsideration.total": 1,
    "active.normative_documents.issued": 2,
    "active.normative_documents.repealed": 1,
    "active.normative_documents.in_force": 16,
    "active.regulations.issued": 0,
}


def _cells(table: dict[str, int | None], how: Provenance = Provenance.PRINTED) -> dict[str, Cell]:
    return {k: Cell(v, "" if v is None else str(v), None, how) for k, v in table.items()}


def _read(
    text: str, table: dict[str, int | None] | None = None, year: int | None = 2023, **kwargs: object
) -> tuple[tuple[Statement, ...], list[govreport.Diagnostic]]:
    """check_narrative over ``text``, one Line per line."""
    lines, at = [], 0
    for line in text.split("\n"):
        lines.append(Line(at, at + len(line), **kwargs))  # type: ignore[arg-type]
        at += len(line) + 1
    cells = _cells(TABLE if table is None else table)
    return check_narrative(
        normalize(text), lines, cells, year, lambda s, e: Span(s, e, 1, s + 1, 1, e + 1), text
    )


def _bound(text: str, table: dict[str, int | None] | None = None, year: int | None = 2023) -> list[tuple]:
    return [(s.cells, s.value, s.matched) for s in _read(text, table, year)[0]]


NEW, CARRIED = "requests.new.total", "requests.carried_over.total"
RECONSIDERATION = "review.reconsideration.total"
LITIGATION = ("review.litigation_direct.total", "review.litigation_after_reconsideration.total")


# ---------------------------------------------------------------------------
# Each pattern
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # requests received: new, or new + carried over (the wording allows both)
        ("2023年，我局共收到政府信息公开申请12件。", [((NEW,), 12, True)]),
        ("本年度共受理政府信息公开申请14件", [((NEW, CARRIED), 14, True)]),
        ("我局收到依申请公开政府信息12件，均为网络申请", [((NEW,), 12, True)]),
        ("全年受理依申请公开12件", [((NEW,), 12, True)]),
        ("接到依申请公开办件12件", [((NEW,), 12, True)]),
        ("收到政府信息公开申请15件", [((NEW,), 15, False)]),
        # 本年新收 is this year's new requests only
        ("本年新收政府信息公开申请数量为14件", [((NEW,), 14, False)]),
        ("本年新收政府信息公开申请12件", [((NEW,), 12, True)]),
        # 自然人: the natural-person column
        ("收到自然人政府信息公开申请10件", [(("requests.new.natural_person",), 10, True)]),
        # carried over, carried forward
        ("上年度结转政府信息公开申请2件", [((CARRIED,), 2, True)]),
        ("结转上年度政府信息公开申请2件", [((CARRIED,), 2, True)]),
        ("依申请公开工作中，结转下年度继续办理1件", [(("requests.carried_forward.total",), 1, True)]),
        # answered: with its object, or as the clause after a request count
        ("依照法定程序出具政府信息公开申请答复书13件", [(("requests.total.total",), 13, True)]),
        (
            "共收到政府信息公开申请12件，办结13件",
            [((NEW,), 12, True), (("requests.total.total",), 13, True)],
        ),
        ("办结13件", []),  # no request count before it: 办结 what?
        # 办理: received or handled
        ("依法依规办理政府信息依申请公开13件", [(("requests.total.total",), 13, True)]),
        # reconsideration, its outcomes, lawsuits
        ("因政府信息公开被申请行政复议3件", [((RECONSIDERATION,), 3, True)]),
        (
            "政府信息公开行政复议3件，其中维持2件、纠正1件；因政府信息公开被提起行政诉讼2件，其中结果维持1件",
            [
                ((RECONSIDERATION,), 3, True),
                (("review.reconsideration.upheld",), 2, True),
                (("review.reconsideration.corrected",), 1, True),
                (LITIGATION, 2, True),
                (
                    ("review.litigation_direct.upheld", "review.litigation_after_reconsideration.upheld"),
                    1,
                    True,
                ),
            ],
        ),
        ("因政府信息公开未经复议直接起诉1件", [(("review.litigation_direct.total",), 1, True)]),
        ("因政府信息公开被提起行政诉讼3件", [(LITIGATION, 3, False)]),
        # 行政复议、行政诉讼 N 件: both 0, or each when 均 says so; else neither
        (
            "因政府信息公开引起行政复议、行政诉讼0件",
            [((RECONSIDERATION,), 0, False), (LITIGATION, 0, False)],
        ),
        ("政府信息公开行政复议、行政诉讼均为1件", [((RECONSIDERATION,), 1, False), (LITIGATION, 1, False)]),
        ("因政府信息公开引起行政复议、行政诉讼3件", []),
        ("因政府信息公开引起行政复议、提起行政诉讼3件", []),
        # items of their own, each with its count
        (
            "因政府信息公开引起行政复议3件、行政诉讼2件",
            [((RECONSIDERATION,), 3, True), (LITIGATION, 2, True)],
        ),
        (
            "因政府信息公开被申请行政复议3件和提起行政诉讼1件",
            [((RECONSIDERATION,), 3, True), (LITIGATION, 1, False)],
        ),
        # 规章 and 行政规范性文件 (2021 template)
        ("现行有效行政规范性文件16件", [(("active.normative_documents.in_force",), 16, True)]),
        ("本年制发行政规范性文件2件", [(("active.normative_documents.issued",), 2, True)]),
        ("2023年，废止规范性文件1件", [(("active.normative_documents.repealed",), 1, True)]),
        ("行政规范性文件现行有效件数为17件", [(("active.normative_documents.in_force",), 17, False)]),
        # Chinese numerals, read exactly
        ("收到政府信息公开申请十二件", [((NEW,), 12, True)]),
        ("依申请公开工作中，结转下年度继续办理一件", [(("requests.carried_forward.total",), 1, True)]),
        ("政府信息公开行政诉讼两件", [(LITIGATION, 2, True)]),
        # a wrapped line is joined
        ("本年度共收到政府信息公开\n申请12件", [((NEW,), 12, True)]),
    ],
)
def test_a_pattern_binds_its_count(text: str, expected: list[tuple]) -> None:
    assert _bound(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the first-match regex's false alarm: numbers of other clauses
        "本年度未发生行政复议，办理人大建议和政协提案134件，行政诉讼方面，出庭应诉57件",
        "行政复议工作平稳，办理群众来信134件",
        "收到政府信息公开申请，其中15件予以公开",
        "收到政府信息公开申请和咨询15件",
        # another year, a percentage, a range, an ordinal, money, a date
        "2022年共收到政府信息公开申请8件",
        "2022年，我局共收到政府信息公开申请8件",
        "收到政府信息公开申请2023年",
        "收到政府信息公开申请办结率100%",
        "收到政府信息公开申请15%",
        "收到政府信息公开申请3-5件",
        "收到政府信息公开申请3至5件",
        "收到政府信息公开申请3~5件",
        "行政复议2.5件",
        "受理的第3件申请",
        "收到政府信息公开申请第3件",
        "收取信息处理费15万元",
        "12月31日前收到政府信息公开申请5件",
        # a change, not a count; last year's figure
        "收到政府信息公开申请同比增长3件",
        "收到政府信息公开申请较上年增加3件",
        "上年收到政府信息公开申请15件",
        "与上年的15件相比，收到政府信息公开申请减少3件",
        "行政复议、行政诉讼分别为1件、2件",
        # another scope, part of the year, a cumulative count, a part
        "全市共受理政府信息公开申请3119件",
        "各级行政机关共收到政府信息公开申请50件",
        "上半年收到政府信息公开申请4件",
        "累计收到政府信息公开申请100件",
        "其中通过网络收到政府信息公开申请5件",
        "收到公民办理政府信息公开申请5件",
        # approximations and numbers that cannot be read exactly
        "收到政府信息公开申请15件左右",
        "收到政府信息公开申请十余件",
        "收到政府信息公开申请约15件",
        "收到政府信息公开申请两三件",
        "收到政府信息公开申请1 5件",
        "收到政府信息公开申请一万件",
        # a negation
        "不予受理政府信息公开申请5件",
        # not about disclosure, or the agency as the one deciding cases
        "行政许可方面，共受理申请120件",
        "结转下年度继续办理1件",
        "本局被申请行政复议5件，其中涉及政府信息公开的2件",
        "作为复议机关办理政府信息公开行政复议案件50件",
        "收到政府信息公开行政复议申请3件",
        # a heading is a clause of its own
        "（四）行政复议\n申请5件",
    ],
)
def test_a_clause_that_must_not_bind(text: str) -> None:
    assert _bound(text) == []


def test_the_true_count_binds_beside_decoys() -> None:
    text = "2023年，我局共收到政府信息公开申请12件，较上年的15件减少3件，办结率100%，处理费0.5万元。"
    assert _bound(text) == [((NEW,), 12, True)]
    # a year ends its clause's reading, not the sentence's before it
    assert _bound("收到政府信息公开申请12件，2022年为15件") == [((NEW,), 12, True)]
    assert _bound("2022年收到申请15件，2023年收到政府信息公开申请12件") == [((NEW,), 12, True)]


def test_a_report_without_a_year_binds_only_sentences_without_one() -> None:
    assert _bound("收到政府信息公开申请12件", year=None) == [((NEW,), 12, True)]
    assert _bound("2023年收到政府信息公开申请12件", year=None) == []


def test_only_printed_and_solved_values_are_compared() -> None:
    inferred = _cells(TABLE, Provenance.INFERRED)
    text = "收到政府信息公开申请15件"
    lines = [Line(0, len(text))]
    assert check_narrative(text, lines, inferred, 2023, lambda s, e: Span(s, e, 1, 1, 1, 1)) == ((), [])
    solved = _cells(TABLE, Provenance.SOLVED)
    statements, found = check_narrative(text, lines, solved, 2023, lambda s, e: Span(s, e, 1, 1, 1, 1))
    assert [s.matched for s in statements] == [False] and len(found) == 1


def test_a_reading_the_table_cannot_give_leaves_the_count_uncompared() -> None:
    blank = {**TABLE, CARRIED: None}
    # 14 might be new + carried over: the blank cell cannot say
    assert _bound("收到政府信息公开申请14件", blank) == []
    assert _bound("收到政府信息公开申请12件", blank) == [((NEW,), 12, True)]
    # a cell the template does not have (active.* in a 2019 report)
    assert _bound("现行有效行政规范性文件16件", {NEW: 12}) == []


def test_a_mismatch_has_both_spans_both_values_and_the_cells() -> None:
    text = "因政府信息公开被申请行政复议5件。"
    statements, found = _read(text)
    (statement,) = statements
    assert (statement.value, statement.table, statement.matched) == (5, 3, False)
    assert statement.text == "行政复议5件"
    assert statement.span is not None and text[statement.span.start : statement.span.end] == "5"
    (diagnostic,) = found
    assert (diagnostic.code, diagnostic.severity.value, diagnostic.category.value) == (
        "narrative-mismatch",
        "warning",
        "report",
    )
    assert diagnostic.cells == (RECONSIDERATION,) and diagnostic.values == (5, 3)
    assert diagnostic.span == statement.span
    assert diagnostic.message == (
        "the narrative's '行政复议5件' states 5, but the table has 3 in review.reconsideration.total"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("零", 0),
        ("〇", 0),
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("一十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("两百", 200),
        ("一千零五十", 1050),
        ("三千二百零一", 3201),
        ("两三", None),
        ("十十", None),
        ("一百五", None),  # colloquial 150, or 105 misprinted: not read
        ("二二", None),
        ("一万", None),
        ("百", None),
        ("", None),
    ],
)
def test_chinese_numerals_are_read_exactly_or_not_at_all(text: str, value: int | None) -> None:
    assert chinese_number(text) == value


# ---------------------------------------------------------------------------
# Through the parser: spans into the caller's text
# ---------------------------------------------------------------------------

SEED = SEEDS / "000_b0a0644a2287c115.txt"


def _with_sentence(sentence: str) -> str:
    text = read(SEED)
    heading = "一、总体情况"
    assert heading in text
    return text.replace(heading, heading + "\n" + sentence, 1)


def test_the_parser_compares_the_narrative_with_the_table() -> None:
    plain = govreport.parse(read(SEED))
    new = plain.cells()["requests.new.total"]
    assert isinstance(new, int)
    text = _with_sentence(f"2021年，我局共收到政府信息公开申请{new + 5}件，因政府信息公开引起行政复议0件。")
    report = govreport.parse(text)
    assert attrs.evolve(report, narrative=()) == report  # no part in equality, as diagnostics
    mismatch = [d for d in report.diagnostics if d.code == "narrative-mismatch"]
    assert len(mismatch) == 1
    (d,) = mismatch
    assert d.span is not None and text[d.span.start : d.span.end] == str(new + 5)
    cell = report.cell("requests.new.total")
    assert d.related == (cell.span,)
    assert cell.span is not None and text[cell.span.start : cell.span.end] == str(new)
    assert d.values[0] == new + 5
    # the seed's own 2021年泽州县卫体局受理依申请公开0条 (its table: 0), and 行政复议0件
    assert (new, report.cells()["review.reconsideration.total"]) == (0, 0)
    confirmed = [(s.cells, s.value) for s in report.narrative if s.matched]
    assert confirmed == [((RECONSIDERATION,), 0), ((NEW,), 0)]
    # JSON keeps the statements and the diagnostic's second span and values
    again = Report.from_dict(json.loads(report.to_json()))
    assert again.narrative == report.narrative
    assert [s.span for s in again.narrative] == [s.span for s in report.narrative]
    (back,) = [x for x in again.diagnostics if x.code == "narrative-mismatch"]
    assert (back.related, back.values) == (d.related, d.values)


def _five_too_many(tmp_path: Path) -> tuple[Path, int]:
    """The seed with a sentence stating 5 requests more than its table: the
    file, and the table's count."""
    source = tmp_path / "report.txt"
    new = govreport.parse(read(SEED)).cells()["requests.new.total"]
    assert isinstance(new, int)
    source.write_text(_with_sentence(f"本年度共收到政府信息公开申请{new + 5}件。"), encoding="utf-8")
    return source, new


def test_check_statistics_counts_narrative_findings(tmp_path: Path) -> None:
    source, _ = _five_too_many(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "govreport", "check", "--statistics", str(source)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert re.search(r"^ +1  narrative-mismatch \(warning\)$", out.stdout, re.M), out.stdout


def test_check_json_and_json_lines_carry_the_numbers_and_the_table_cells_place(tmp_path: Path) -> None:
    source, new = _five_too_many(tmp_path)
    cell = govreport.parse(source.read_text(encoding="utf-8")).cell("requests.new.total")
    assert cell.span is not None
    out = subprocess.run(
        [sys.executable, "-m", "govreport", "check", "--format", "json", str(source)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    (found,) = [
        d for d in json.loads(out.stdout)["files"][0]["diagnostics"] if d["code"] == "narrative-mismatch"
    ]
    assert found["values"] == [new + 5, new]
    assert found["related"] == [{"line": cell.span.line, "column": cell.span.column}]
    lines = tmp_path / "out.jsonl"
    govreport.extract([source], lines)
    (record,) = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert [d for d in record["diagnostics"] if d["code"] == "narrative-mismatch"] == [found]


# ---------------------------------------------------------------------------
# The real corpus
# ---------------------------------------------------------------------------

POST_2019 = sorted(
    p for p in REAL.iterdir() if p.suffix in (".txt", ".html", ".pdf") and "pre2019" not in p.name
)

#: Every narrative finding on the corpus, and why it is one (read by hand).
FINDINGS = {
    ("040_putian_slj_2020.txt", "requests.new.total", 1, 0): (
        "（二）依申请公开受理情况: '2020年我局共受理依申请公开信息1条和政府信息公开意见箱信息4条', "
        "but the request table prints 一、本年新收…申请数量 0 (every row of it 0; the hand-read "
        "golden has requests.new.total 0): the narrative says one request was accepted, the table none"
    ),
}

#: Every count the narrative confirms, per file (each read by hand: the
#: statement as printed and the table's value for it).
CONFIRMED = {
    "002_putian_cgj_2022.txt": [("requests.new.natural_person", 8)],  # 收到自然人…申请8条
    "003_putian_cgj_2025.txt": [
        ("requests.new.natural_person", 19),  # 收到自然人政府信息公开申请19件
        ("requests.total.total", 18),  # 出具政府信息公开申请答复书18件
        ("requests.carried_forward.total", 1),  # 结转下年度继续办理1件
        ("review.reconsideration.total", 0),  # 行政复议、行政诉讼0件
        ("review.litigation_direct.total+review.litigation_after_reconsideration.total", 0),
    ],
    "016_putian_sjj_2021.txt": [("requests.new.total", 1), ("requests.total.total", 1)],  # 收到…1份、…办结1份
    "017_putian_sjj_2023.txt": [("requests.new.total", 3)],  # 办理政府信息依申请公开3件
    "018_putian_sjj_2024.txt": [("requests.new.total", 1)],  # 办理政府信息依申请公开1件
    "019_putian_lyj_2019.txt": [("requests.new.total", 1)],  # 收到依申请公开政府信息1件
    "025_putian_tjj_2019.txt": [("requests.new.total", 4), ("requests.carried_over.total", 0)],
    "026_putian_tjj_2021.txt": [("requests.new.total", 2), ("requests.carried_over.total", 0)],
    "027_putian_tjj_2025.txt": [("requests.new.total", 22)],  # 共收到政府信息公开申请22件
    "030_putian_tyj_2024.txt": [("requests.new.total", 0)],  # 共接到依申请公开办件0件
    "031_putian_wlj_2019.txt": [("requests.new.total", 1)],  # 共受理依申请公开1件
    "033_putian_wlj_2024.txt": [("requests.new.total", 0)],  # 共收到政府信息公开申请0件
    "036_putian_yjglj_2025.txt": [("requests.new.total", 4)],  # 共受理政府信息公开申请4件
    "037_putian_cgj_2024.txt": [
        ("active.normative_documents.in_force", 16),  # 公布现行有效行政规范性文件16件
        ("requests.new.natural_person", 13),  # 收到自然人政府信息公开申请13条
        ("review.reconsideration.total", 1),  # 因政府信息公开引起行政复议1件
    ],
    "039_putian_tjj_2023.txt": [("requests.new.total", 8)],  # 共受理依申请公开信息8件
    "052_pingtan_jjp_2022.txt": [("requests.new.total", 0)],  # 收到依申请公开事项0项
    "053_pingtan_jjf_2022.txt": [("requests.new.total", 3)],  # 共收到政府信息公开申请3条
    "055_pingtan_jsp_2024.txt": [("requests.new.total", 5)],  # 共受理政府信息公开申请5件
    "056_pingtan_shs_2025.txt": [("requests.new.total", 3)],  # 全年受理依申请公开3件
    "058_pingtan_gaj_2022.txt": [("requests.new.total", 1), ("requests.carried_over.total", 1)],
    "063_huaian_szf_2024.pdf": [
        # 政府信息公开行政复议 351件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件
        ("review.reconsideration.total", 351),
        ("review.reconsideration.upheld", 72),
        ("review.reconsideration.corrected", 64),
        ("review.reconsideration.other", 178),
        ("review.reconsideration.pending", 37),
        # 政府信息公开行政诉讼 46 件，其中结果维持 25件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件
        ("review.litigation_direct.total+review.litigation_after_reconsideration.total", 46),
        ("review.litigation_direct.upheld+review.litigation_after_reconsideration.upheld", 25),
        ("review.litigation_direct.corrected+review.litigation_after_reconsideration.corrected", 5),
        ("review.litigation_direct.other+review.litigation_after_reconsideration.other", 9),
        ("review.litigation_direct.pending+review.litigation_after_reconsideration.pending", 7),
    ],
}
# The saved pages of 037 (and of 021, 024) read like their crawler text.
CONFIRMED["037_putian_cgj_2024.html"] = CONFIRMED["037_putian_cgj_2024.txt"]


@pytest.fixture(scope="module")
def corpus() -> dict[str, Report]:
    return {p.name: govreport.parse_file(p) for p in POST_2019}


def test_every_narrative_finding_on_the_real_corpus_is_listed_with_its_reason(corpus) -> None:
    found = {
        (name, *d.cells, *d.values)
        for name, report in corpus.items()
        for d in report.diagnostics
        if d.code.startswith("narrative-")
    }
    assert found == set(FINDINGS)
    report = corpus["040_putian_slj_2020.txt"]
    (d,) = [d for d in report.diagnostics if d.code == "narrative-mismatch"]
    source = read(REAL / "040_putian_slj_2020.txt")
    assert d.span is not None and source[d.span.start : d.span.end] == "1"
    assert "2020年我局共受理依申请公开信息1条" in source.splitlines()[d.span.line - 1]


def test_the_counts_the_real_narratives_confirm(corpus) -> None:
    confirmed = {
        name: [("+".join(s.cells), s.value) for s in report.narrative if s.matched]
        for name, report in corpus.items()
    }
    assert {k: v for k, v in confirmed.items() if v} == CONFIRMED
    # every statement's span is its number as printed in the file
    for name, report in corpus.items():
        if name.endswith(".txt"):
            source = read(REAL / name)
            for s in report.narrative:
                assert s.span is not None
                assert normalize(source[s.span.start : s.span.end]) == str(s.value), (name, s)
    assert sum(map(len, CONFIRMED.values())) == 43


# ---------------------------------------------------------------------------
# Decoys never make a true count a mismatch
# ---------------------------------------------------------------------------

TRUE_CLAUSES = (
    ("本年度共收到政府信息公开申请{}件", NEW),
    ("上年结转政府信息公开申请{}件", CARRIED),
    ("结转下年度继续办理{}件", "requests.carried_forward.total"),
    ("因政府信息公开被申请行政复议{}件", RECONSIDERATION),
    ("行政诉讼{}件", "+".join(LITIGATION)),
)

_count = st.integers(0, 3000)
#: Clauses with numbers that are not the count: (text, whether it refuses
#: its whole sentence, so that it is put in a sentence of its own).
DECOYS = st.one_of(
    st.integers(2000, 2030).filter(lambda y: y != 2023).map(lambda y: (f"{y}年为{{k}}件", False)),
    st.integers(1, 12).map(lambda mo: (f"{mo}月收到政府信息公开申请{{k}}件", True)),
    st.sampled_from(
        [
            ("同比增长{p}%", False),
            ("较上年的{k}件减少{j}件", False),
            ("上年收到政府信息公开申请{k}件", False),
            ("办理人大建议和政协提案{k}件", False),
            ("{k}-{j}件", False),
            ("{j}至{k}件", False),
            ("第{j}项", False),
            ("收取处理费{k}万元", False),
            ("其中自然人{j}件", False),
            ("行政复议工作平稳", False),
            ("出庭应诉{k}件", False),
            ("办结率{p}%", False),
            ("全市共收到政府信息公开申请{k}件", True),
            ("上半年收到政府信息公开申请{j}件", True),
        ]
    ),
)


@given(
    st.sampled_from(TRUE_CLAUSES),
    st.fixed_dictionaries({"new": _count, "co": _count, "r": _count, "d": _count, "a": _count}),
    st.lists(st.tuples(DECOYS, _count, _count, st.integers(0, 100)), max_size=4),
    st.lists(st.sampled_from(["，", "；", "。", "、"]), min_size=4, max_size=4),
)
def test_decoys_never_make_a_true_count_a_mismatch(true, values, decoys, marks) -> None:
    pattern, cell_id = true
    table = {
        NEW: values["new"],
        CARRIED: values["co"],
        "requests.carried_forward.total": values["co"],
        RECONSIDERATION: values["r"],
        LITIGATION[0]: values["d"],
        LITIGATION[1]: values["a"],
    }
    count = sum(table[c] for c in cell_id.split("+"))
    text = "2023年，在政府信息公开工作中，我局" + pattern.format(count)
    for ((decoy, whole), k, j, p), mark in zip(decoys, marks, strict=False):
        text += ("。" if whole else mark) + decoy.format(k=k, j=j, p=p)
    statements, found = _read(text + "。", table)
    assert found == []
    # The true count is confirmed unless a decoy joined its clause (、).
    if not decoys or marks[0] != "、" or decoys[0][0][1]:
        assert [("+".join(s.cells), s.value) for s in statements if s.matched][:1] == [(cell_id, count)]
