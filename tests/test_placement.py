"""The placement solver on its own: readings of damaged rows, the joint
search, and its limits."""

from __future__ import annotations

import itertools
from math import comb

import pytest
from lark import Token

import govreport
from govreport import placement
from govreport.placement import Constraint, Row, row_readings, solve


def _tokens(*texts: str) -> list[Token]:
    out, position = [], 0
    for text in texts:
        kind = "BLANK" if text == "" else ("NULL" if text in "/—无" else "VALUE")
        token = Token(kind, text or "\t", position)
        token.end_pos = position + max(len(text), 1)
        position = token.end_pos + 1
        out.append(token)
    return out


def _values(row: Row) -> set[tuple[str | None, ...]]:
    return {tuple(p.key for p in r) for r in row.readings}


def test_collapsed_row_lists_every_expansion() -> None:
    row = row_readings(_tokens("2", "0", "2"), 7, collapsed=True)
    assert row.how == "collapsed"
    assert len(row.readings) == comb(6, 2)
    assert ("2", "0", "0", "0", "0", "0", "2") in _values(row)


def test_adjacent_equal_values_are_not_a_collapsed_run() -> None:
    row = row_readings(_tokens("0", "0", "0"), 7, collapsed=True)
    assert row.how == "short" and not row.readings


def test_short_row_outside_crawler_text_has_no_reading() -> None:
    assert row_readings(_tokens("2", "0", "2"), 7).how == "short"


def test_digit_run_and_joined_numbers_are_fallbacks() -> None:
    row = row_readings(_tokens("150000015"), 7, collapsed=True)
    assert ("15", "0", "0", "0", "0", "0", "15") in {tuple(p.key for p in r) for r in row.fallback}
    joined = row_readings(_tokens("1", "62", "0", "162"), 7, collapsed=True)
    assert ("162", "0", "0", "0", "0", "0", "162") in {tuple(p.key for p in r) for r in joined.fallback}


def test_digit_split_pieces_point_into_the_token() -> None:
    row = row_readings(_tokens("150000015"), 7, collapsed=True)
    reading = next(r for r in row.fallback if r[0].text == "15")
    assert [(p.start, p.end) for p in reading[:2]] == [(0, 2), (2, 3)]
    assert (reading[-1].start, reading[-1].end) == (7, 9)


def _b(name: str) -> Constraint:
    return Constraint("B", tuple((name, i) for i in range(6)), ((name, 6),))


def test_rule_b_keeps_only_fitting_readings() -> None:
    rows = {"r": row_readings(_tokens("2", "0", "2"), 7, collapsed=True)}
    outcome = solve(rows, [_b("r")])["r"]
    assert [tuple(p.key for p in r) for r in outcome.readings] == [("2", "0", "0", "0", "0", "0", "2")]
    assert outcome.fitted


def test_a_damaged_row_no_reading_fits_is_not_placed() -> None:
    rows = {"r": row_readings(_tokens("1"), 7, collapsed=True)}
    assert solve(rows, [_b("r")])["r"].readings == ()


def test_an_exact_row_that_breaks_the_rule_is_kept_as_printed() -> None:
    rows = {"r": row_readings(_tokens("1", "0", "0", "0", "0", "0", "5"), 7, collapsed=True)}
    outcome = solve(rows, [_b("r")])["r"]
    assert [tuple(p.key for p in r) for r in outcome.readings] == [("1", "0", "0", "0", "0", "0", "5")]


def test_joint_rule_chooses_between_readings() -> None:
    rows = {
        "part": row_readings(_tokens("0", "1", "0", "1"), 7, collapsed=True),  # 1 in column 1, 2, 3 or 4
        "total": row_readings(_tokens("2", "1", "0", "3"), 7, collapsed=True),  # 2 1 0 0 0 0 3
        "other": row_readings(_tokens("2", "0", "2"), 7, collapsed=True),
    }
    column_sums = [Constraint("C", (("part", c), ("other", c)), (("total", c),)) for c in range(7)]
    outcomes = solve(rows, [_b("part"), _b("total"), _b("other"), *column_sums])
    assert [tuple(p.key for p in r) for r in outcomes["part"].readings] == [
        ("0", "1", "0", "0", "0", "0", "1")
    ]


def test_search_limit_gives_up_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(placement, "MAX_READINGS", 10)
    row = row_readings(_tokens("2", "0", "2"), 7, collapsed=True)
    assert row.how == "unplaced" and not row.readings
    monkeypatch.setattr(placement, "MAX_READINGS", 5000)
    monkeypatch.setattr(placement, "MAX_NODES", 3)
    rows = {name: row_readings(_tokens("0", "1", "0", "1"), 7, collapsed=True) for name in ("a", "b", "c")}
    joint = [Constraint("C", (("a", c), ("b", c)), (("c", c),)) for c in range(7)]
    assert all(o.gave_up for o in solve(rows, joint).values())


def test_search_limit_is_reported_and_the_row_left_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(placement, "MAX_READINGS", 10)
    text = "某某局2022年政府信息公开工作年度报告\n一、总体情况\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n2\n0\n2\n"
    report = govreport.parse(text)
    assert report.requests is not None and report.requests.new.natural_person.value is None
    assert "search-limit" in {d.code for d in report.diagnostics}


def test_compositions_are_bounded() -> None:
    pieces = [placement.Piece("VALUE", str(i), i, i + 1) for i in range(8)]
    assert sum(1 for _ in placement._expansions(pieces, 15)) == comb(14, 7)
    assert len(list(itertools.islice(placement._expansions(pieces, 15), 5))) == 5


# -- both damage models of crawler text: runs collapsed, blanks dropped -------


def _pieces(*texts: str) -> list[placement.Piece]:
    return [placement.Piece.of(t) for t in _tokens(*texts)]


RULE_B = [((0, 1, 2, 3, 4, 5), 6)]
ALWAYS = frozenset({0, 6})  # 自然人 and 总计 are printed whenever the row prints anything


def test_settled_gives_only_what_every_reading_of_both_models_agrees_on() -> None:
    options = placement.settled(_pieces("4", "2", "0", "6"), 7, ALWAYS, RULE_B)
    assert options[0] == {0} and options[6] == {3}  # 自然人 4, 总计 6
    assert all(-1 in o for o in options[1:6])  # each breakdown cell may be blank
    assert options[1] == {1, -1}  # 商业企业 is the 2 or blank, never the 0


def test_settled_a_lone_value_is_both_ends_and_blanks_between() -> None:
    assert placement.settled(_pieces("1"), 7, ALWAYS, RULE_B) == (
        frozenset({0}),
        *[frozenset({-1})] * 5,
        frozenset({0}),
    )
    zero = placement.settled(_pieces("0"), 7, ALWAYS, RULE_B)
    assert zero[0] == zero[6] == {0} and all(o == {0, -1} for o in zero[1:6])


def test_settled_review_row_totals() -> None:
    groups = [((0, 1, 2, 3), 4), ((5, 6, 7, 8), 9), ((10, 11, 12, 13), 14)]
    totals = frozenset({4, 9, 14})
    options = placement.settled(_pieces("1", "0", "1", "0"), 15, totals, groups)
    assert options[4] == {0, 2}  # 行政复议 total: one of the printed 1s, a 1 either way
    assert options[9] == {2, 3}  # 未经复议直接起诉 total: the second 1 or the last 0
    assert options[14] == {3}  # 复议后起诉 total: the last 0


def test_settled_without_blanks_is_the_collapsed_runs_alone() -> None:
    # A section 二 row prints every cell: its runs are the only damage.
    assert placement.settled(_pieces("0"), 3, frozenset({0, 1, 2}), []) == (frozenset({0}),) * 3
    two = placement.settled(_pieces("4", "16"), 3, frozenset({0, 1, 2}), [])
    assert two == (frozenset({0}), frozenset({0, 1}), frozenset({1}))


def test_settled_no_reading() -> None:
    assert placement.settled(_pieces("3", "5"), 7, ALWAYS, RULE_B) == (frozenset(),) * 7
    assert placement.settled([], 7, ALWAYS, RULE_B) == (frozenset(),) * 7
