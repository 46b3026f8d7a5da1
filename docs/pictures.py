"""Draw the docs' pictures of the HTML view (tests/test_view_browser.py runs it).

    python docs/pictures.py [OUT]     # default: docs/images

Each picture is a page of :mod:`govreport.view` photographed by headless
Chromium (Debian's ``chromium`` and ``chromium-driver``, through Selenium):

- ``codebook-2019.png``, ``codebook-2021.png``: each template's tables with
  the cell id in every cell (docs/model.md, the codebook to keep open);
- ``placement.png``: a damaged crawler row as printed and as placed
  (docs/placement.md);
- ``view.png`` and ``view-two-years.png``: ``govreport view`` of one report
  with a diagnostic clicked, and of two years of one agency (docs/usage.md).

The reports are the test copies of ``shared/real`` (tests/data/real).
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import govreport
from govreport.formats import extract_text
from govreport.view import codebook_page, draw_table, style, to_html

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"
WIDTH = 1400


def browser_missing() -> str:
    """Why Chromium cannot be driven here ("" when it can)."""
    if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which("chromedriver"):
        return "Chromium and chromium-driver are not installed (apt install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return ""


@contextmanager
def chromium(*, network_log: bool = False) -> Iterator[Any]:
    """A headless Chromium driven by Selenium: the system's browser and
    driver, so that nothing is downloaded."""
    missing = browser_missing()
    if missing:
        raise RuntimeError(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={WIDTH},1000"):
        options.add_argument(argument)
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def photograph(driver: Any, page: str, out: Path, *, height: int | None = None, click: str = "") -> None:
    """Open ``page`` (HTML) and save it as ``out``: the whole page, or its
    first ``height`` pixels; ``click`` is a CSS selector clicked first."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        driver.set_window_size(WIDTH, 1000)
        driver.get(path.as_uri())
        if click:
            from selenium.webdriver.common.by import By

            element = driver.find_element(By.CSS_SELECTOR, click)
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            element.click()
            driver.execute_script("window.scrollTo(0, 0)")
        width = max(WIDTH, driver.execute_script("return document.documentElement.scrollWidth"))
        full = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, height or full)
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))


def placement_page() -> str:
    """A crawler row as printed and as placed: 一、本年新收 of 莆田市城市管理局
    2022 (tests/data/real/002), printed as ``8 / 0 / 8``: 8 0 0 0 0 0 8 with the
    repeated zeros collapsed into one line."""
    text = extract_text(REAL / "002_putian_cgj_2022.txt").text
    report = govreport.parse(text)
    cells = [report.cell(f"requests.new.{c}") for c in ("natural_person", "commercial", "total")]
    spans = [cell.span for cell in cells if cell.span is not None]
    first = min(span.line for span in spans) - 1  # the row's label line
    last = max(span.end_line for span in spans)
    printed = "\n".join(
        f"{n:>4}  {line}" for n, line in enumerate(text.splitlines()[first - 1 : last], first)
    )
    table = draw_table(report, "requests", rows=["requests.new.total"])
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<style>{style()} .fig {{ display: flex; gap: 3em; align-items: flex-start; padding: 1em; }}"
        " pre { background: #f6f6f6; padding: .6em 1em; border: 1px solid #ccc; }</style></head>"
        '<body class="govreport-view"><div class="fig">'
        f"<div><h3>As the crawler printed it</h3><pre>{html.escape(printed)}</pre></div>"
        "<div><h3>As govreport placed it</h3>"
        "<p>自然人 and 总计 are solved (8 = 8, rule B); the five cells between are inferred zeros.</p>"
        f"{table}</div></div></body></html>"
    )


def main(out: Path) -> None:
    earlier, later = (REAL / name for name in ("037_putian_cgj_2024.txt", "003_putian_cgj_2025.txt"))
    texts = [extract_text(path).text for path in (earlier, later)]
    reports = [govreport.parse(text) for text in texts]
    with chromium() as driver:
        for template in ("2019", "2021"):
            photograph(driver, codebook_page(template), out / f"codebook-{template}.png")
        photograph(driver, placement_page(), out / "placement.png")
        photograph(
            driver,
            to_html(reports[0], source=texts[0]),
            out / "view.png",
            height=1500,
            click='li.dx[data-code="placement-ambiguous"]',
        )
        two_years = to_html(reports[1], reports[0], source=texts[1], previous_source=texts[0])
        photograph(driver, two_years, out / "view-two-years.png", height=1300)
    for name in ("codebook-2019", "codebook-2021", "placement", "view", "view-two-years"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images")
