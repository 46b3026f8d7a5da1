"""govreport check --baseline FILE: findings reviewed once are not shown
again, whatever the files are called or where their lines moved; a finding
on other numbers is new. And check --statistics counts the codes of issue
18 (the stock rule, the quality findings)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import govreport
from govreport.cli import main

from .conftest import SEEDS, benchmark, read

SEED = SEEDS / "000_b0a0644a2287c115.txt"
# rule A broken in columns natural_person and total: 一 5 + 二 1 = 6, but （七）总计 5 + 四 0 = 5
BROKEN = """某某局2021年政府信息公开工作年度报告
一、总体情况
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5
二、上年结转政府信息公开申请数量 {over} 0 0 0 0 0 {over}
（一）予以公开 5 0 0 0 0 0 5
（七）总计 5 0 0 0 0 0 5
四、结转下年度继续办理 0 0 0 0 0 0 0
"""


def check(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main(["check", "-j", "1", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(BROKEN.format(over=1), encoding="utf-8")
    shutil.copy(SEED, folder / "seed.txt")
    return folder


def test_a_missing_baseline_is_written_and_the_run_exits_0(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = check(capsys, folder)
    assert status == 1 and "column-balance-mismatch" in out  # without a baseline
    baseline = tmp_path / "baseline.json"
    status, out, err = check(capsys, folder, "--baseline", baseline)
    assert status == 0
    assert "column-balance-mismatch" not in out
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["version"] == 1
    entry = next(e for e in data["findings"] if "requests.carried_over.natural_person" in e["cells"])
    assert (entry["code"], entry["report"]) == ("column-balance-mismatch", "某某局 2021")
    assert entry["cells"]["requests.carried_over.natural_person"] == 1
    text = baseline.read_text(encoding="utf-8")
    assert str(folder) not in text and "a.txt" not in text  # no paths
    assert f"wrote {len(data['findings'])} findings to the baseline" in err
    assert f"{len(data['findings'])} findings in the baseline, not shown" in out


def test_findings_in_the_baseline_are_not_shown_wherever_the_files_and_their_lines_are(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    check(capsys, folder, "--baseline", baseline)
    written = len(json.loads(baseline.read_text(encoding="utf-8"))["findings"])
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    (moved / "renamed.txt").write_text("\n\n\n" + BROKEN.format(over=1), encoding="utf-8")  # lines moved
    shutil.copy(SEED, moved / "seed-copy.txt")
    status, out, _ = check(capsys, moved, "--baseline", baseline, "--severity", "info")
    assert status == 0
    assert out.splitlines() == [
        f"2 files, 0 errors, 0 warnings, 0 infos; {written} findings in the baseline, not shown"
    ]


def test_a_finding_on_other_numbers_is_new(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    check(capsys, folder, "--baseline", baseline)
    (folder / "a.txt").write_text(BROKEN.format(over=2), encoding="utf-8")  # 二 is now 2
    status, out, _ = check(capsys, folder, "--baseline", baseline)
    assert status == 1
    lines = [line for line in out.splitlines() if "column-balance-mismatch" in line]
    assert len(lines) == 2 and all("一 5 + 二 2 = 7" in line for line in lines)  # natural_person, total
    assert "2 errors" in out.splitlines()[-1]
    # --update-baseline takes the new finding in
    assert check(capsys, folder, "--baseline", baseline, "--update-baseline")[0] == 0
    status, out, _ = check(capsys, folder, "--baseline", baseline)
    assert status == 0 and "column-balance-mismatch" not in out


def test_a_finding_twice_in_a_report_is_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(BROKEN.format(over=1), encoding="utf-8")
    baseline = tmp_path / "b.json"
    check(capsys, folder, "--baseline", baseline)
    (folder / "copy.txt").write_text(BROKEN.format(over=1), encoding="utf-8")  # the same report twice
    status, out, _ = check(capsys, folder, "--baseline", baseline)
    assert status == 1 and out.count("column-balance-mismatch") == 2  # the copy's two


def test_baseline_usage_errors(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = check(capsys, folder, "--update-baseline")
    assert status == 2 and "--update-baseline needs --baseline FILE" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    status, _, err = check(capsys, folder, "--baseline", bad)
    assert status == 2 and "cannot read the baseline" in err
    bad.write_text('{"findings": []}', encoding="utf-8")
    status, _, err = check(capsys, folder, "--baseline", bad)
    assert status == 2 and "not a govreport baseline" in err


def test_the_report_key_falls_back_to_the_files_hash() -> None:
    from govreport.baseline import report_key

    assert report_key("甲局", 2021, "ab") == "甲局 2021"
    assert report_key(None, 2021, "ab") == "sha256:ab"
    assert report_key("甲局", None, None) == "?"


# -- check --statistics counts the new codes ----------------------------------


def _variant(agency: str, year: int, values: dict[str, str]) -> str:
    text = read(SEED)
    report = govreport.parse(text)
    generated = benchmark().variant(text, report, agency, year, 7)
    return str(benchmark().rewrite(generated, govreport.parse(generated), values))


def test_check_statistics_counts_the_stock_rule_and_the_quality_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "2021.txt").write_text(
        _variant("甲县卫生健康局", 2021, {"active.normative_documents.in_force": "10"}), encoding="utf-8"
    )
    # 10 + 0 − 0 ≠ 12
    (folder / "2022.txt").write_text(
        _variant("甲县卫生健康局", 2022, {"active.normative_documents.in_force": "12"}), encoding="utf-8"
    )
    (folder / "empty.txt").write_text(
        "某某局2022年政府信息公开工作年度报告\n一、总体情况\n概况。\n五、存在的主要问题及改进情况\n无。\n",
        encoding="utf-8",
    )
    status, out, _ = check(capsys, folder, "--statistics", "--severity", "info")
    assert status == 1  # empty.txt has no table: missing-table is an error
    counts = {line.split()[1]: int(line.split()[0]) for line in out.splitlines()[:-1]}
    assert counts["stock-mismatch"] == 1
    assert counts["problems-empty"] == 1
    assert counts["repeated-narrative"] >= 1  # the two copies of one seed
