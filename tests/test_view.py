"""The HTML view (govreport.view, ``govreport view``): the template's tables
with every cell as the model has it, the diagnostics tied to their cells,
the carry-over rule between two years as ``check`` finds it, and no text of
the report ever read as HTML.

The page is checked twice: as HTML (the standard library's parser, fast)
and in a real browser (headless Chromium through Selenium, in
tests/test_view_browser.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

import govreport
from govreport.markdown import to_markdown
from govreport.model import Cell, Diagnostic, Provenance, Report
from govreport.view import CellStatus, carry_over, cell_status, fragment, to_html

from .conftest import DATA, REAL, SEEDS

HOSTILE = DATA / "view" / "hostile.txt"
#: One agency's reports of consecutive years (shared/real/MANIFEST.tsv).
CONSECUTIVE = [
    ("037_putian_cgj_2024.txt", "003_putian_cgj_2025.txt"),
    ("011_putian_kjj_2020.txt", "012_putian_kjj_2021.txt"),
    ("020_putian_lyj_2021.txt", "038_putian_lyj_2022.txt"),
    ("022_putian_slj_2022.txt", "023_putian_slj_2023.txt"),
    ("017_putian_sjj_2023.txt", "018_putian_sjj_2024.txt"),
]


class _Page(HTMLParser):
    """The value cells of each article, its diagnostics and every script."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, dict[str, tuple[dict[str, str], str]]] = {}
        self.scripts: list[dict[str, str]] = []
        self.diagnostics: list[dict[str, str]] = []
        self.carry: list[dict[str, str]] = []
        self._article = ""
        self._cell: dict[str, str] | None = None
        self._text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs_ = {k: v or "" for k, v in attributes}
        self.tags.add(tag)
        if tag == "article":
            self._article = attrs_["data-role"]
        elif tag == "td" and "data-cell" in attrs_:
            self._cell, self._text = attrs_, []
        elif tag == "script":
            self.scripts.append(attrs_)
        elif tag == "li" and "dx" in attrs_.get("class", ""):
            self.diagnostics.append({**attrs_, "article": self._article})
        elif tag == "tr" and "carry" in attrs_.get("class", "").split():
            self.carry.append(attrs_)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            cells = self.cells.setdefault(self._article, {})
            assert self._cell["data-cell"] not in cells, f"{self._cell['data-cell']} drawn twice"
            cells[self._cell["data-cell"]] = (self._cell, "".join(self._text))
            self._cell = None


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _shown(value: object) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _read(path: Path) -> tuple[Report, str]:
    from govreport.formats import extract_text

    text = extract_text(path).text
    return govreport.parse(text), text


@pytest.mark.parametrize(
    "path",
    [
        SEEDS / "000_b0a0644a2287c115.txt",
        SEEDS / "001_ca9e65d44e929827.txt",
        REAL / "037_putian_cgj_2024.txt",
    ],
    ids=lambda p: p.name,
)
def test_every_cell_of_the_template_is_drawn_once_with_the_models_value_and_status(path: Path) -> None:
    report, source = _read(path)
    page = _page(to_html(report, source=source))
    drawn = page.cells["current"]
    assert set(drawn) == set(govreport.cell_ids(report.template))
    named_ambiguous = {c for d in report.diagnostics if d.code == "placement-ambiguous" for c in d.cells}
    statuses = set()
    for cell_id, (attributes, text) in drawn.items():
        cell = report.cell(cell_id)
        assert text == _shown(cell.value), cell_id
        status = attributes["data-status"]
        statuses.add(status)
        assert status == cell_status(cell, cell_id in named_ambiguous).value
        if cell.span is not None:
            line, column, *_ = map(int, attributes["data-span"].split())
            assert (line, column) == (cell.span.line, cell.span.column)
    if path.name.startswith("037"):  # crawler text: solved, inferred and an ambiguous cell
        assert {"printed", "solved", "inferred", "ambiguous"} <= statuses


def test_each_diagnostic_is_listed_with_the_cells_it_names() -> None:
    report, source = _read(REAL / "037_putian_cgj_2024.txt")
    page = _page(to_html(report, source=source))
    assert [d["data-code"] for d in page.diagnostics] == [d.code for d in report.diagnostics]
    assert [d["data-cells"].split() for d in page.diagnostics] == [list(d.cells) for d in report.diagnostics]


def test_cell_status_tells_printed_solved_inferred_blank_ambiguous_and_unread_apart() -> None:
    assert cell_status(Cell(3, "3", provenance=Provenance.PRINTED)) is CellStatus.PRINTED
    assert cell_status(Cell(3, "3", provenance=Provenance.SOLVED)) is CellStatus.SOLVED
    assert cell_status(Cell(0, None, provenance=Provenance.INFERRED)) is CellStatus.INFERRED
    assert cell_status(Cell(None, "")) is CellStatus.BLANK
    assert cell_status(Cell(None, "/")) is CellStatus.BLANK
    assert cell_status(Cell(None, None)) is CellStatus.UNREAD
    assert cell_status(Cell(None, None), ambiguous=True) is CellStatus.AMBIGUOUS
    # a value is never "ambiguous": the diagnostic's other cells are
    assert cell_status(Cell(5, "5", provenance=Provenance.PRINTED), ambiguous=True) is CellStatus.PRINTED


def test_report_text_is_shown_as_text_never_read_as_html() -> None:
    report, source = _read(HOSTILE)
    assert "<script>" in (report.title or "") and "<img" in source  # the fixture is hostile
    html = to_html(report, source=source)
    page = _page(html)
    # the page's own scripts only: the source as JSON, and the view's script
    assert [s.get("type", "") for s in page.scripts] == ["application/json", ""]
    assert "img" not in page.tags
    assert "window.pwned" not in html.split("<script>")[-1]  # not in the view's script
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;&quot;&#x27;&amp;amp;" in html
    # the JSON holds the source exactly, and no "<" that could close its element
    payload = html.split('id="source-current">', 1)[1].split("</script>", 1)[0]
    assert "<" not in payload and json.loads(payload) == source.splitlines()


def test_a_page_asks_for_nothing_outside_itself() -> None:
    report, source = _read(SEEDS / "000_b0a0644a2287c115.txt")
    html = to_html(report, source=source)
    assert "default-src 'none'" in html  # Content-Security-Policy: no request of any kind
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    for tag in ("link", "img", "iframe", "object", "embed"):
        assert tag not in _page(html).tags


def _check_differences(earlier: Path, later: Path) -> set[str]:
    """The columns ``govreport check`` finds different between two reports."""
    command = [
        "check",
        "--format",
        "json",
        "--select",
        "carried-over-mismatch",
        "--",
        str(earlier),
        str(later),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "govreport", *command],
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    found = set()
    for file in json.loads(result.stdout)["files"]:
        for d in file["diagnostics"] or ():
            if d["code"] == "carried-over-mismatch":
                assert file["path"] == str(later)
                found |= {cell.rsplit(".", 1)[1] for cell in d["cells"]}
    return found


@pytest.mark.parametrize("names", CONSECUTIVE, ids=lambda n: "+".join(x[:3] for x in n))
def test_two_years_show_the_carry_over_differences_check_reports_no_more_no_fewer(
    names: tuple[str, str],
) -> None:
    (earlier, earlier_text), (later, later_text) = (_read(REAL / name) for name in names)
    carry = carry_over(earlier, later)
    # 011 and 012 name the agency 莆田市科技局 and 莆田市科学技术局: neither compares them
    assert bool(carry.reason) == names[0].startswith("011"), carry.reason
    page = _page(to_html(later, earlier, source=later_text, previous_source=earlier_text))
    shown = {row["data-column"] for row in page.carry if "differs" in row["class"].split()}
    assert shown == set(carry.differences) == _check_differences(REAL / names[0], REAL / names[1])
    marked = {c for c, (a, _) in page.cells["current"].items() if "carry-diff" in a["class"].split()}
    assert marked == {f"requests.carried_over.{column}" for column in shown}


def test_a_carry_over_difference_is_shown_in_both_years(tmp_path: Path) -> None:
    # 2025's report with its 二、上年结转 row changed from 0 to 3 (自然人 and 总计)
    names = CONSECUTIVE[0]
    text = (REAL / names[1]).read_text(encoding="utf-8")
    label = "二、上年结转政府信息公开申请数量"
    head, tail = text.split(label, 1)
    row, rest = tail.split("\n三、", 1) if "\n三、" in tail else (tail, "")
    assert row.split() == ["0"], row  # the crawler prints the all-zero row as one 0
    changed = tmp_path / names[1]
    changed.write_text(head + label + "\n3\n0\n3\n三、" + rest, encoding="utf-8")
    earlier, earlier_text = _read(REAL / names[0])
    later, later_text = _read(changed)
    assert later.cell("requests.carried_over.natural_person").value == 3
    expected = _check_differences(REAL / names[0], changed)
    assert expected == {"natural_person", "total"}
    page = _page(to_html(later, earlier, source=later_text, previous_source=earlier_text))
    shown = {row["data-column"] for row in page.carry if "differs" in row["class"].split()}
    assert shown == expected
    for role, row in (("previous", "carried_forward"), ("current", "carried_over")):
        marked = {c for c, (a, _) in page.cells[role].items() if "carry-diff" in a["class"].split()}
        assert marked == {f"requests.{row}.{column}" for column in expected}
    # and the finding is among the later year's diagnostics, on its cells
    assert any(
        d["data-code"] == "carried-over-mismatch" for d in page.diagnostics if d["article"] == "current"
    )


def test_reports_of_two_agencies_are_drawn_but_not_compared() -> None:
    earlier, _ = _read(REAL / "011_putian_kjj_2020.txt")
    later, _ = _read(REAL / "003_putian_cgj_2025.txt")
    carry = carry_over(earlier, later)
    assert carry.reason.startswith("not one agency") and carry.differences == ()
    assert "Not compared: not one agency" in to_html(later, earlier)
    moved = attrs.evolve(earlier, agency=later.agency, year=2023)
    assert carry_over(moved, later).reason.startswith("not consecutive years")


def test_a_report_displays_in_jupyter_and_has_a_short_repr() -> None:
    report, _ = _read(SEEDS / "000_b0a0644a2287c115.txt")
    shown = repr(report)
    assert len(shown) < 200 and "\n" not in shown
    assert report.agency in shown and str(report.year) in shown and "template 2021" in shown
    html = report._repr_html_()
    assert html == fragment(report) and "<script" not in html
    assert set(_page(html).cells["current"]) == set(govreport.cell_ids("2021"))
    assert report._repr_markdown_() == to_markdown(report)
    assert repr(Report()).startswith("<Report agency unknown")


def test_to_html_is_public_and_refuses_what_is_not_a_report() -> None:
    assert govreport.to_html is to_html and "to_html" in govreport.__all__
    with pytest.raises(TypeError, match="Report as report, not str"):
        to_html("text")  # type: ignore[arg-type]
    report, _ = _read(SEEDS / "003_70186e5739fffa45.txt")
    with pytest.raises(TypeError, match="as previous"):
        to_html(report, "text")  # type: ignore[arg-type]


def test_a_report_without_tables_is_drawn_with_a_note() -> None:
    diagnostic = Diagnostic("missing-table", govreport.Severity.ERROR, govreport.Category.READING, "no table")
    page = to_html(Report(agency="某局", year=2023, diagnostics=(diagnostic,)))
    assert "No table of the template was found." in page and "missing-table" in page


def _view(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govreport", "view", *args], capture_output=True, text=True, cwd=cwd
    )


def test_the_view_command_writes_one_page_next_to_where_it_runs(tmp_path: Path) -> None:
    seed = SEEDS / "003_70186e5739fffa45.txt"
    result = _view(str(seed), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "003_70186e5739fffa45.html"
    assert result.stderr.strip() == f"govreport: wrote {written.name}"
    report, source = _read(seed)
    assert written.read_text(encoding="utf-8") == to_html(report, source=source)
    to_stdout = _view(str(seed), "-o", "-", cwd=tmp_path)
    assert to_stdout.stdout == to_html(report, source=source)


def test_the_view_command_puts_the_earlier_year_first(tmp_path: Path) -> None:
    earlier, later = (REAL / name for name in CONSECUTIVE[0])
    result = _view(str(later), str(earlier), "-o", "two.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "two.html").read_text(encoding="utf-8")
    (a, a_text), (b, b_text) = _read(earlier), _read(later)
    assert page == to_html(b, a, source=b_text, previous_source=a_text)


def test_the_view_command_says_in_one_line_what_it_cannot_read(tmp_path: Path) -> None:
    result = _view(str(REAL / "README.md"), cwd=tmp_path)
    assert result.returncode == 2 and "not a government information disclosure annual report" in result.stderr
    assert "Traceback" not in result.stderr
    missing = _view(str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert missing.returncode == 2 and "cannot read the file" in missing.stderr
    unwritable = _view(
        str(SEEDS / "003_70186e5739fffa45.txt"), "-o", str(tmp_path / "no" / "x.html"), cwd=tmp_path
    )
    assert unwritable.returncode == 2 and unwritable.stderr.startswith("govreport: error: cannot write")


def test_the_narrative_statements_are_listed_and_their_cells_marked_confirmed() -> None:
    report, source = _read(REAL / "003_putian_cgj_2025.txt")
    matched = [s for s in report.narrative if s.matched]
    assert matched  # the narrative states 19 requests from 自然人, 18 answered, 1 carried forward
    page = _page(to_html(report, source=source))
    confirmed = {c for c, (a, _) in page.cells["current"].items() if "confirmed" in a["class"].split()}
    assert confirmed == {cell for s in matched for cell in s.cells}
    html = to_html(report, source=source)
    assert html.count('<li class="st matched"') == len(matched)
    assert html.count('<li class="st mismatch"') == len(report.narrative) - len(matched)
