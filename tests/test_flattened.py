"""Reports flattened onto one line (a web-archive crawler's text): the cut
back into lines (govreport/segment.py), the cutting of a row's digit runs
into cells (govreport/placement.py), and the round trip through the
``flattened`` layout of the renderer.

The round-trip properties check two things against the report the text was
rendered from: every value govreport gives is the rendered one (never
wrong), and every cell the printed digits and the template's arithmetic
determine is filled. What is determined is worked out here by an oracle of
its own: it finds each row's printed run in the text from the values it
knows, lists every cut of the run by brute force, and keeps the cuts that
fit the rules, row by row and jointly over the request matrix.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st
from lark import Token

import govreport
from govreport import Report
from govreport import vocabulary as voc
from govreport.checks import check_arithmetic
from govreport.normalize import normalize
from govreport.placement import Constraint, split_readings
from govreport.segment import segment
from govreport.testing import options, reports

from .conftest import REAL, SEEDS, read, row_of

FLAT = sorted(p for p in REAL.glob("*.txt") if "pingtan" in p.name and "_pre2019" not in p.name)
OTHERS = sorted(SEEDS.glob("*.txt")) + sorted(p for p in REAL.glob("*.txt") if "putian" in p.name)


# ---------------------------------------------------------------------------
# The cut back into lines
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", FLAT, ids=[p.stem for p in FLAT])
def test_a_flattened_report_is_cut_by_insertions_only(path: object) -> None:
    text = read(path)  # type: ignore[arg-type]
    cut = segment(normalize(text), text)
    assert cut is not None
    # Only line breaks and spaces are inserted, and each maps back.
    assert len(cut.original) == len(text) + len(cut.inserted)
    kept = [c for i, c in enumerate(cut.original) if i not in set(cut.inserted)]
    assert "".join(kept) == text
    assert {cut.original[i] for i in cut.inserted} <= {"\n", " "}
    for offset in range(0, len(cut.original), 97):
        if offset not in cut.inserted:
            assert text[cut.to_original(offset)] == cut.original[offset]


_HEADING = re.compile(
    "(?=[一二三四五六]、(?:总体情况|主动公开政府信息情况|收到和处理|政府信息公开行政|存在的主要问题|其他需要报告))"
)


@pytest.mark.parametrize("path", FLAT, ids=[p.stem for p in FLAT])
def test_a_page_whose_sections_kept_their_line_breaks_reads_the_same(path: object) -> None:
    """Each section on a line of its own (the review table's line is short):
    the same cells as the report on one line."""
    text = read(path)  # type: ignore[arg-type]
    broken = _HEADING.sub("\n", text)
    assert broken.count("\n") > text.count("\n") + 3
    assert govreport.parse(broken).cells() == govreport.parse(text).cells()


@pytest.mark.parametrize("path", OTHERS, ids=[p.stem for p in OTHERS])
def test_other_layouts_are_left_alone(path: object) -> None:
    text = read(path)  # type: ignore[arg-type]
    assert segment(normalize(text), text) is None


@given(
    reports(consistent=None, blanks=True), st.sampled_from([x for x in govreport.LAYOUTS if x != "flattened"])
)
def test_rendered_layouts_other_than_flattened_are_left_alone(report: Report, layout: str) -> None:
    text = govreport.render(report, layout)
    assert segment(normalize(text), text) is None


def test_spans_point_into_the_callers_text() -> None:
    text = read(REAL / "055_pingtan_jsp_2024.txt")
    report = govreport.parse(text)
    cell = report.cell("review.reconsideration.corrected")
    assert cell.value == 1 and cell.span is not None
    assert text[cell.span.start : cell.span.end] == "1"
    line = text.split("\n")[cell.span.line - 1]
    assert line[cell.span.column - 1 : cell.span.end_column - 1] == "1"
    # The review row is 010010000000000: the second digit of the run.
    assert line[cell.span.column - 2 : cell.span.column + 13] == "010010000000000"


# ---------------------------------------------------------------------------
# Cutting a digit run into cells, against brute force
# ---------------------------------------------------------------------------


def _tokens(run: str) -> list[Token]:
    out = []
    for match in re.finditer(r"\S+", run):
        kind = "VALUE" if any(c.isdigit() for c in match.group()) else "NULL"
        token = Token(kind, match.group(), match.start(), 1, match.start() + 1)
        token.end_pos = match.end()
        out.append(token)
    return out


def _brute(run: str, width: int) -> Iterator[list[int]]:
    """Every cut of a run of plain digit groups into ``width`` numbers."""
    groups = run.split()
    for sizes in itertools.product(*(range(1, len(g) + 1) for g in groups)):
        if sum(sizes) != width:
            continue
        per_group = []
        for group, size in zip(groups, sizes, strict=True):
            ways = []
            for cuts in itertools.combinations(range(1, len(group)), size - 1):
                bounds = (0, *cuts, len(group))
                parts = [group[a:b] for a, b in itertools.pairwise(bounds)]
                if all(len(p) == 1 or p[0] != "0" for p in parts):
                    ways.append([int(p) for p in parts])
            per_group.append(ways)
        for choice in itertools.product(*per_group):
            yield [v for part in choice for v in part]


ROW_B = [Constraint("B", (("r", 6),), tuple(("r", i) for i in range(6)))]
ROW_D = [Constraint("D", (("r", g * 5 + 4),), tuple(("r", g * 5 + i) for i in range(4))) for g in range(3)]


@st.composite
def _runs(draw: st.DrawFn, blocks: Sequence[tuple[int, int]], maximum: int) -> str:
    values: list[int] = []
    for first, total in blocks:
        parts = [
            draw(st.one_of(st.just(0), st.integers(0, 9), st.integers(0, maximum)))
            for _ in range(total - first)
        ]
        values += [*parts, sum(parts)]
    spaces = draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    return "".join(str(v) + (" " if gap else "") for v, gap in zip(values, spaces, strict=True)).strip()


@given(_runs([(0, 6)], 300))
@example("1230 00015")
@example("150000015")
def test_a_request_row_is_cut_as_brute_force_cuts_it(run: str) -> None:
    note(run)
    want = sorted(v for v in _brute(run, 7) if v[6] == sum(v[:6]))
    row = split_readings(_tokens(run), ["count"] * 7, ROW_B, "r")
    assert row is not None
    got = sorted([int(p.text) for p in reading] for reading in row.readings)
    if row.how == "forced":
        assert len(list(_brute(run, 7))) == 1
        assert got == [next(_brute(run, 7))]
    else:
        assert row.how == "split"
        assert got == want


@given(_runs([(0, 4), (5, 9), (10, 14)], 40))
@example("200131000100000")
@example("210033300620002")
def test_the_review_row_is_cut_as_brute_force_cuts_it(run: str) -> None:
    note(run)
    if math.comb(len(run.replace(" ", "")) - 1, 14) > 50_000:
        return  # too many for the brute force
    ok = [v for v in _brute(run, 15) if all(v[g * 5 + 4] == sum(v[g * 5 : g * 5 + 4]) for g in range(3))]
    row = split_readings(_tokens(run), ["count"] * 15, ROW_D, "r")
    assert row is not None
    got = sorted([int(p.text) for p in reading] for reading in row.readings)
    assert got == (sorted(ok) if row.how == "split" else [next(_brute(run, 15))])


def test_signs_decimals_and_units_stay_with_their_number() -> None:
    def cuts(run: str, kinds: list[str]) -> list[list[str]]:
        row = split_readings(_tokens(run), kinds, (), "r")
        assert row is not None
        return [[p.text for p in reading] for reading in row.readings]

    assert cuts("88 -720", ["count", "signed", "count"]) == [["88", "-7", "20"], ["88", "-72", "0"]]
    assert cuts("15 -15", ["count", "signed"]) == [["15", "-15"]]
    assert cuts("12.5万元", ["count", "money"]) == [["1", "2.5万元"]]
    assert cuts("5949.09", ["money"]) == [["5949.09"]]
    # a sign only in 本年增/减, a decimal only in a money column
    assert split_readings(_tokens("-5 3"), ["count", "count"], (), "r") is None
    assert split_readings(_tokens("1.5 3"), ["count", "count"], (), "r") is None
    # a run of null marks is one cell's mark (——) or one for each cell (— —)
    assert cuts("1 —— 2", ["count"] * 3) == [["1", "", "2"]]
    assert cuts("1 —— 2", ["count"] * 4) == [["1", "", "", "2"]]
    # no leading zeros: 007 is 0 0 7; 0.10 is a number, 05 is not
    assert cuts("007", ["count"] * 3) == [["0", "0", "7"]]
    assert cuts("80.10元", ["count", "money"]) == [["8", "0.10元"]]


# ---------------------------------------------------------------------------
# The round trip, with an oracle of what the text determines
# ---------------------------------------------------------------------------

_ORDINAL_OR_TEXT = r"(?:[^\d]|\d(?=\s*[.、,]\s*[^\d\s]))*?"


def _printed(value: object, kind: voc.ValueType, unit: str, null: str) -> str:
    """A cell as the renderer prints it."""
    if value is None:
        return null
    if kind is voc.ValueType.SIGNED and isinstance(value, int) and value > 0:
        return f"+{value}"
    if isinstance(value, Decimal):
        return f"{value:f}{unit}"
    return str(value)


def _rows(report: Report) -> list[tuple[str, list[str], list[voc.ValueType], list[str]]]:
    """(row, cell ids, types, money units) of every row, in printed order."""
    template = report.template
    assert template is not None
    rows = []
    for block in voc.ACTIVE_BLOCKS[template]:
        for row in block.rows:
            ids = [f"active.{row.key}.{c.key}" for c in block.columns]
            units = [
                "万元" if c.key == "amount" and "万元" not in c.label.text else "" for c in block.columns
            ]
            rows.append((f"active.{row.key}", ids, [c.type for c in block.columns], units))
    for request_row in voc.request_rows(template):
        ids = [f"requests.{request_row.id}.{c.key}" for c in voc.REQUEST_COLUMNS]
        rows.append((f"requests.{request_row.id}", ids, [voc.ValueType.COUNT] * 7, [""] * 7))
    ids = [f"review.{g}.{o}" for g, _ in voc.REVIEW_GROUPS for o, _ in voc.REVIEW_OUTCOMES]
    rows.append(("review", ids, [voc.ValueType.COUNT] * 15, [""] * 15))
    return rows


def _runs_in(text: str, report: Report, null: str) -> list[str]:
    """Each row's printed run, found in the text from the values the oracle
    knows: the rows' cells in order, with nothing between two rows but text
    and the ordinals of labels."""
    cells = report.cells()
    folded = normalize(text)
    start = re.search(r"第\s*二\s*十\s*条", folded)
    assert start is not None
    pattern = _ORDINAL_OR_TEXT.join(
        "("
        + r"\s*".join(
            re.escape(_printed(cells[i], k, u, null)) for i, k, u in zip(ids, kinds, units, strict=True)
        )
        + ")"
        for _, ids, kinds, units in _rows(report)
    )
    match = re.compile(pattern).search(folded, start.start())
    assert match is not None, "the rows' runs were not found in the rendered text"
    return list(match.groups())


_NUMBER = re.compile(r"([+-]?)(\d+)((?:\.\d+)?(?:万元|元)?)")


def _cuts(run: str, kinds: Sequence[voc.ValueType]) -> list[list[object]] | None:
    """Every cut of a printed run into the row's cells, as values; None when
    there are too many to list here."""
    groups = re.findall(r"[+-]?[^\s+-]+", run)
    parsed = []
    for group in groups:
        match = _NUMBER.fullmatch(group)
        if match is None:
            parsed.append(None)  # a null mark: one cell, no value
        else:
            parsed.append((match[1], match[2], match[3]))
    width = len(kinds)
    if math.prod(2 ** (len(g[1]) - 1) for g in parsed if g) > 2**14:
        return None
    found: list[list[object]] = []

    def go(index: int, cells: list[object]) -> None:
        if len(cells) > width:
            return
        if index == len(parsed):
            if len(cells) == width:
                found.append(list(cells))
            return
        group = parsed[index]
        if group is None:
            go(index + 1, [*cells, None])
            return
        sign, digits, tail = group
        column = len(cells)
        later = parsed[index + 1 :]
        fewest = len(later)  # each group after takes a cell at least, and a digit's worth at most
        most = sum(len(g[1]) if g else 1 for g in later)
        for size in range(max(1, width - column - most), min(len(digits), width - column - fewest) + 1):
            for cuts in itertools.combinations(range(1, len(digits)), size - 1):
                bounds = (0, *cuts, len(digits))
                parts = [digits[a:b] for a, b in itertools.pairwise(bounds)]
                if any(len(p) > 1 and p[0] == "0" for p in parts):
                    continue
                values: list[object] = []
                ok = True
                for offset, part in enumerate(parts):
                    kind = kinds[column + offset]
                    first, last = offset == 0, offset == size - 1
                    signed = bool(sign) and first
                    money = bool(tail) and last
                    if (signed and kind is not voc.ValueType.SIGNED) or (
                        money and kind is not voc.ValueType.MONEY
                    ):
                        ok = False
                        break
                    text = (sign if first else "") + part + (tail if last else "")
                    if kind is voc.ValueType.MONEY:
                        number = Decimal(text.removesuffix("万元").removesuffix("元"))
                        values.append(
                            number / 10000 if text.endswith("元") and not text.endswith("万元") else number
                        )
                    else:
                        values.append(int(text))
                if ok:
                    go(index + 1, [*cells, *values])

    go(0, [])
    return found


def _row_rule(row: str, cut: list[object]) -> bool:
    def total(cells: list[object]) -> bool:
        *parts, last = cells
        if any(v is None for v in cells):
            return True
        return sum(parts) == last  # type: ignore[arg-type]

    if row.startswith("requests."):
        return total(cut)
    if row == "review":
        return all(total(cut[g * 5 : g * 5 + 5]) for g in range(3))
    return True


def _agree(ids: Sequence[str], cuts: Sequence[Sequence[object]]) -> dict[str, object]:
    return {i: cuts[0][n] for n, i in enumerate(ids) if len({repr(c[n]) for c in cuts}) == 1}


def _determined(report: Report, runs: Sequence[str]) -> dict[str, object]:
    """Cell id → value, for every cell the printed runs and the rules fix."""
    out: dict[str, object] = {}
    matrix: dict[str, tuple[list[str], list[list[object]]]] = {}
    complete = True
    for (row, ids, kinds, _), run in zip(_rows(report), runs, strict=True):
        cuts = _cuts(run, kinds)
        if cuts is None:
            complete = complete and not row.startswith("requests.")
            continue
        if len(cuts) > 1:
            cuts = [c for c in cuts if _row_rule(row, c)]
        if not cuts:
            continue
        if row.startswith("requests."):
            matrix[row] = (ids, cuts)
        out.update(_agree(ids, cuts))
    template = report.template
    assert template is not None
    names = [f"requests.{r.id}" for r in voc.request_rows(template)]
    if not complete or set(names) - matrix.keys() or math.prod(len(matrix[n][1]) for n in names) > 20_000:
        return out
    results = [f"requests.{r.id}" for r in voc.request_rows(template) if r.result]
    fits: dict[str, list[list[object]]] = {n: [] for n in names}
    for combination in itertools.product(*(matrix[n][1] for n in names)):
        table = dict(zip(names, combination, strict=True))
        columns_ok = all(
            table["requests.new"][c] + table["requests.carried_over"][c]  # type: ignore[operator]
            == table["requests.total"][c] + table["requests.carried_forward"][c]  # type: ignore[operator]
            and table["requests.total"][c] == sum(table[r][c] for r in results)  # type: ignore[misc]
            for c in range(7)
        )
        if columns_ok:
            for n in names:
                fits[n].append(table[n])
    for n in names:
        if fits[n]:
            out.update(_agree(matrix[n][0], fits[n]))
    return out


def _check(report: Report, text: str, parsed: Report, *, solved: bool) -> None:
    note(text)
    assert (parsed.agency, parsed.year, parsed.template) == (report.agency, report.year, report.template)
    want, got = report.cells(), parsed.cells()
    wrong = {k: (v, want[k]) for k, v in got.items() if v is not None and v != want[k]}
    assert not wrong, f"read, rendered: {wrong}"
    named = {cell for d in parsed.diagnostics for cell in d.cells}
    for key, value in got.items():
        if value is None and want[key] is not None:
            assert key in named, f"{key} left empty without a diagnostic naming it"
    if solved:
        determined = _determined(report, _runs_in(text, report, ""))
        missed = {k: v for k, v in determined.items() if got[k] is None}
        assert not missed, f"determined by the text but left empty: {missed}"


_FLAT_NOISE = {"page_breaks": False, "blank_lines": False}


@given(reports(consistent=True, maximum=999), options("flattened"))
def test_flattened_round_trip_is_never_wrong_and_fills_what_the_text_determines(
    report: Report, noise: dict
) -> None:
    text = govreport.render(report, "flattened", **{**noise, **_FLAT_NOISE})
    _check(report, text, govreport.parse(text), solved=True)


@given(reports(consistent=True), options("flattened"))
def test_flattened_round_trip_with_large_counts(report: Report, noise: dict) -> None:
    text = govreport.render(report, "flattened", **{**noise, **_FLAT_NOISE})
    _check(report, text, govreport.parse(text), solved=True)


@given(reports(consistent=True, blanks=True), options("flattened"), st.sampled_from(("/", "—", "无")))
def test_flattened_round_trip_with_printed_blanks_is_never_wrong(
    report: Report, noise: dict, null: str
) -> None:
    text = govreport.render(report, "flattened", **{**noise, **_FLAT_NOISE, "null_marker": null})
    _check(report, text, govreport.parse(text), solved=False)


@given(reports(consistent=False, blanks=True), options("flattened"), st.sampled_from(("/", "—", "无")))
def test_flattened_round_trip_with_broken_totals_differs_only_where_the_report_breaks_a_rule(
    report: Report, noise: dict, null: str
) -> None:
    """An agency's broken total can be cut, by the rules it breaks, into a
    reading that fits them (the text cannot tell them apart): a value read
    may differ from the rendered one only in a row that a rule the rendered
    report breaks names, and only where govreport said it solved the row from
    the arithmetic."""
    text = govreport.render(report, "flattened", **{**noise, **_FLAT_NOISE, "null_marker": null})
    note(text)
    parsed = govreport.parse(text)
    assert (parsed.agency, parsed.year, parsed.template) == (report.agency, report.year, report.template)
    assert report.template is not None
    want = report.cells()
    broken = {
        row_of((cell,))
        for finding in check_arithmetic(report.template, {k: govreport.Cell(v) for k, v in want.items()})
        for cell in finding.cells
    }
    # placement-solved names the rows placed by the arithmetic (placement-inferred
    # the inferred cells, which cells() leaves out)
    solved = {cell for d in parsed.diagnostics if d.code == "placement-solved" for cell in d.cells}
    for key, value in parsed.cells().items():
        if value is not None and value != want[key]:
            assert row_of((key,)) in broken, f"{key}: read {value}, rendered {want[key]}"
            assert key in solved, f"{key}: read {value}, rendered {want[key]}, not said to be solved"
            assert parsed.cell(key).provenance is govreport.Provenance.SOLVED, key
