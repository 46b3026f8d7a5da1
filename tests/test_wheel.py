"""The built artefact: build the wheel, install it into a fresh virtual
environment, and parse a seed from outside the source tree (so the grammar
must load from inside the installed package)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import REAL, ROOT, SEEDS

pytestmark = pytest.mark.slow

SCRIPT = """
import json, sys, govreport, pathlib
report = govreport.parse(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
here = pathlib.Path(govreport.__file__).resolve()
grammar = here.parent / "grammars" / "report.lark"
print(json.dumps({"file": str(here), "grammar": grammar.is_file(),
                  "agency": report.agency, "decisions": report.cells()["active.licensing.decisions"]},
                 ensure_ascii=False))
"""


def test_wheel_installs_and_parses_outside_the_source_tree(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    wheels = list(dist.glob("govreport-*.whl"))
    assert len(wheels) == 1
    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = env / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheels[0])], check=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    subprocess.run([str(python), "-c", "import govreport"], check=True, cwd=outside)
    result = subprocess.run(
        [str(python), "-c", SCRIPT, str(SEEDS / "003_70186e5739fffa45.txt")],
        check=True,
        cwd=outside,
        capture_output=True,
        text=True,
    )
    data = json.loads(result.stdout)
    assert str(env) in data["file"], "govreport was not imported from the installed wheel"
    assert data["grammar"] is True
    assert data["agency"] == "前进区卫生健康局"
    assert data["decisions"] == 86
    # the console script is installed too
    script = env / "bin" / "govreport"
    out = subprocess.run(
        [str(script), "parse", str(SEEDS / "003_70186e5739fffa45.txt")],
        check=True,
        cwd=outside,
        capture_output=True,
        text=True,
    )
    assert json.loads(out.stdout)["cells"]["active.licensing.decisions"] == 86
    # without the extras, a page is refused with the command that installs them
    missing = subprocess.run(
        [str(python), "-c", MISSING, str(REAL / "037_putian_cgj_2024.html")],
        cwd=outside,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 0, missing.stderr
    assert missing.stdout.strip() == "MissingExtraError html pip install 'govreport[html]'"
    # README's main job with no extra: a folder extracted to CSV
    table = outside / "seeds.csv"
    job = subprocess.run(
        [str(script), "extract", str(SEEDS), "-o", str(table)], cwd=outside, capture_output=True, text=True
    )
    assert job.returncode == 0, job.stderr
    with open(table, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == len(list(SEEDS.glob("*.txt")))
    assert {r["agency"] for r in rows} >= {"前进区卫生健康局"}
    # the view's style and script are in the wheel, and need no extra
    view = subprocess.run(
        [str(script), "view", str(SEEDS / "003_70186e5739fffa45.txt"), "-o", "page.html"],
        cwd=outside,
        capture_output=True,
        text=True,
    )
    assert view.returncode == 0, view.stderr
    page = (outside / "page.html").read_text(encoding="utf-8")
    assert ".govreport-view" in page and 'document.querySelectorAll("li.dx, li.st")' in page
    # the duckdb extra is DuckDB alone: no pyarrow, and the default output works
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"{wheels[0]}[duckdb]"], check=True)
    assert subprocess.run([str(python), "-c", "import pyarrow"], capture_output=True).returncode != 0
    job = subprocess.run([str(script), "extract", str(SEEDS)], cwd=outside, capture_output=True, text=True)
    assert job.returncode == 0, job.stderr
    counts = subprocess.run(
        [str(python), "-c", DUCKDB, str(outside / "govreport.duckdb")],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    )
    reports, cells, value_type = json.loads(counts.stdout)
    assert reports == len(list(SEEDS.glob("*.txt"))) and cells > 900 and value_type == "DECIMAL(38,10)"


MISSING = """
import sys, govreport
from govreport.formats import MissingExtraError
try:
    govreport.parse_file(sys.argv[1])
except MissingExtraError as error:
    print(type(error).__name__, error.extra, "pip install 'govreport[html]'" if "pip install 'govreport[html]'" in str(error) else str(error))
"""

DUCKDB = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
one = lambda sql: con.execute(sql).fetchall()[0][0]
print(json.dumps([one("SELECT count(*) FROM reports"), one("SELECT count(*) FROM cells"),
                  one("SELECT typeof(value) FROM cells LIMIT 1")]))
"""
