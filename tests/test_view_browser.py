"""The HTML view in a real browser: headless Chromium (Debian's ``chromium``
and ``chromium-driver``) driven by Selenium.

What is asserted is read from the rendered page: every cell id of the
template with the value the model has, a diagnostic's cells highlighted
after a click, a cell's source line shown, the hostile fixture's markup
shown as text and never run, and no request to any network address (from
the browser's own network log). A screenshot of each page is saved in
``$GOVREPORT_TEST_ARTIFACTS`` (default ``build/test-artifacts``).

The tests are skipped when Chromium, its driver or Selenium are missing,
unless ``GOVREPORT_REQUIRE_BROWSER=1`` (set by ``.ci/run``, which installs
them): then they fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import govreport
from govreport.formats import extract_text
from govreport.view import cell_status, to_html

from .conftest import DATA, REAL, ROOT, SEEDS, script

ARTIFACTS = Path(os.environ.get("GOVREPORT_TEST_ARTIFACTS", ROOT / "build" / "test-artifacts"))


#: docs/pictures.py, which drives Chromium for the docs' pictures too
PICTURES = script("docs/pictures.py")


def _need_browser() -> None:
    missing = PICTURES.browser_missing()
    if missing:
        if os.environ.get("GOVREPORT_REQUIRE_BROWSER") == "1":
            pytest.fail(missing)
        pytest.skip(missing)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_browser()
    with PICTURES.chromium(network_log=True) as driver:
        yield driver


def _open(browser: Any, tmp_path: Path, name: str, html: str) -> Any:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    browser.get_log("performance")  # drop what earlier pages logged
    browser.get(page.as_uri())
    return page


def _requests(browser: Any) -> list[str]:
    """Every URL the browser asked for since the last call."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _screenshot(browser: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(max(height, 600), 8000))
    assert browser.save_screenshot(str(ARTIFACTS / f"view-{name}.png"))
    assert (ARTIFACTS / f"view-{name}.png").read_bytes().startswith(b"\x89PNG")
    browser.set_window_size(1400, 1000)


def _shown(value: object) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


_CELLS_JS = """
var out = {};
document.querySelectorAll('#report-current td.v').forEach(function (td) {
  out[td.dataset.cell] = [td.innerText.trim(), td.dataset.status, getComputedStyle(td).display];
});
return out;
"""


@pytest.mark.parametrize(
    "path", [SEEDS / "000_b0a0644a2287c115.txt", REAL / "037_putian_cgj_2024.txt"], ids=lambda p: p.name[:3]
)
def test_the_rendered_page_shows_every_cell_with_its_value_and_asks_for_nothing(
    browser: Any, tmp_path: Path, path: Path
) -> None:
    source = extract_text(path).text
    report = govreport.parse(source)
    page = _open(browser, tmp_path, path.stem, to_html(report, source=source))
    cells = browser.execute_script(_CELLS_JS)
    assert set(cells) == set(govreport.cell_ids(report.template))
    ambiguous = {c for d in report.diagnostics if d.code == "placement-ambiguous" for c in d.cells}
    for cell_id, (text, status, display) in cells.items():
        cell = report.cell(cell_id)
        assert text == _shown(cell.value), cell_id  # the marks are drawn, not text
        assert status == cell_status(cell, cell_id in ambiguous).value and display == "table-cell"
    assert _requests(browser) == [page.as_uri()]  # the page itself, nothing else
    _screenshot(browser, path.stem)


def test_a_click_on_a_diagnostic_highlights_its_cells_and_shows_its_line(
    browser: Any, tmp_path: Path
) -> None:
    path = REAL / "037_putian_cgj_2024.txt"
    source = extract_text(path).text
    report = govreport.parse(source)
    _open(browser, tmp_path, "click", to_html(report, source=source))
    from selenium.webdriver.common.by import By

    items = browser.find_elements(By.CSS_SELECTOR, "li.dx")
    assert len(items) == len(report.diagnostics)
    clicked = 0
    for item, diagnostic in zip(items, report.diagnostics, strict=True):
        if not diagnostic.cells or diagnostic.span is None:
            continue
        browser.execute_script("arguments[0].scrollIntoView()", item)
        item.click()
        lit = browser.execute_script(
            "return Array.from(document.querySelectorAll('td.v.hl')).map(td => td.dataset.cell)"
        )
        assert sorted(lit) == sorted(set(diagnostic.cells)), diagnostic.code
        excerpt = browser.find_element(By.ID, "excerpt")
        assert excerpt.is_displayed()
        line = source.splitlines()[diagnostic.span.line - 1]
        assert line.strip() in excerpt.text
        clicked += 1
    assert clicked >= 3
    assert browser.execute_script("return document.querySelectorAll('ul.legend .hl').length") == 1
    _screenshot(browser, "click")


def test_a_click_on_a_cell_shows_the_line_it_came_from(browser: Any, tmp_path: Path) -> None:
    path = SEEDS / "000_b0a0644a2287c115.txt"
    source = extract_text(path).text
    report = govreport.parse(source)
    _open(browser, tmp_path, "cell", to_html(report, source=source))
    from selenium.webdriver.common.by import By

    cell = report.cell("requests.new.total")
    assert cell.span is not None
    td = browser.find_element(By.CSS_SELECTOR, 'td.v[data-cell="requests.new.total"]')
    browser.execute_script("arguments[0].scrollIntoView()", td)
    td.click()
    marked = browser.find_element(By.CSS_SELECTOR, "#excerpt mark").text
    assert marked == source[cell.span.start : cell.span.end]
    assert (
        f"line {cell.span.line}, column {cell.span.column}"
        in browser.find_element(By.ID, "excerpt-where").text
    )


def test_hostile_report_text_is_shown_as_text_and_never_run(browser: Any, tmp_path: Path) -> None:
    path = DATA / "view" / "hostile.txt"
    source = extract_text(path).text
    report = govreport.parse(source)
    page = _open(browser, tmp_path, "hostile", to_html(report, source=source))
    from selenium.webdriver.common.by import By

    assert browser.execute_script("return window.pwned === undefined")
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading == report.title and "<script>window.pwned=1</script>" in heading
    # the narrative's <img> and </script> shown as text in the excerpt, not run, not fetched
    td = browser.find_element(By.CSS_SELECTOR, 'td.v[data-cell="requests.new.total"]')
    browser.execute_script("arguments[0].click()", td)
    assert browser.find_elements(By.TAG_NAME, "img") == []
    assert browser.execute_script("return window.pwned === undefined")
    assert _requests(browser) == [page.as_uri()]
    _screenshot(browser, "hostile")


def test_two_years_side_by_side_in_the_browser(browser: Any, tmp_path: Path) -> None:
    earlier, later = (REAL / name for name in ("037_putian_cgj_2024.txt", "003_putian_cgj_2025.txt"))
    texts = [extract_text(p).text for p in (earlier, later)]
    reports = [govreport.parse(t) for t in texts]
    page = _open(
        browser,
        tmp_path,
        "two",
        to_html(reports[1], reports[0], source=texts[1], previous_source=texts[0]),
    )
    from selenium.webdriver.common.by import By

    articles = browser.find_elements(By.CSS_SELECTOR, "article.report")
    assert [a.get_attribute("data-role") for a in articles] == ["previous", "current"]
    left, right = (a.rect for a in articles)
    assert left["x"] + left["width"] <= right["x"]  # side by side
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.carry")
    assert len(rows) == 7
    assert _requests(browser) == [page.as_uri()]
    _screenshot(browser, "two-years")


def test_the_docs_pictures_are_drawn_by_their_script(tmp_path: Path) -> None:
    _need_browser()
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "pictures.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    names = [Path(line).name for line in result.stdout.split()]
    assert names == [
        "codebook-2019.png",
        "codebook-2021.png",
        "placement.png",
        "view.png",
        "view-two-years.png",
    ]
    for name in names:
        drawn = (tmp_path / name).read_bytes()
        assert drawn.startswith(b"\x89PNG\r\n\x1a\n") and len(drawn) > 20_000, name
        assert (ROOT / "docs" / "images" / name).read_bytes().startswith(b"\x89PNG"), name
    docs = {
        page: (ROOT / "docs" / page).read_text(encoding="utf-8")
        for page in ("model.md", "placement.md", "usage.md")
    }
    assert (
        "(images/codebook-2019.png)" in docs["model.md"] and "(images/codebook-2021.png)" in docs["model.md"]
    )
    assert "(images/placement.png)" in docs["placement.md"]
    assert "(images/view.png)" in docs["usage.md"] and "(images/view-two-years.png)" in docs["usage.md"]
