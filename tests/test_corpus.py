"""The real-report corpus (tests/data/real/, crawled from the Putian city
site): every report parses, the pre-2019 ones are refused, and each report
gets exactly the error-level diagnostics listed here, each with the reason
(checked against the source text and, for 021/024/037, the saved page).

This is the list of known gaps: a gap fixed, or a new error, fails the test,
so the list has to be kept true. Warnings and infos are recorded per file in
the test's output (run with -rA to see it) but not pinned.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import govreport
from govreport import UnsupportedTemplateError

from .conftest import REAL, read, row_of

FILES = sorted(REAL.glob("*.txt"))
PRE_2019 = {p.name for p in FILES if "_pre2019" in p.name}

# A 3-column row of section 二 printed with two values collapsed from three:
# the repeated value is either the first or the second, and section 二 has no
# arithmetic to tell which, so the middle cell is left empty.
COLLAPSED_ACTIVE = "two printed values for three cells; section 二 has no arithmetic to place the repeat"

#: file → {(code, row): reason}. Every error-level diagnostic of every file.
KNOWN: dict[str, dict[tuple[str, str], str]] = {
    "004_putian_mzj_2020.txt": {
        ("placement-ambiguous", "active.penalty"): "行政处罚 11 / 0: " + COLLAPSED_ACTIVE
    },
    "010_putian_hyyyj_2025.txt": {
        ("placement-ambiguous", "active.normative_documents"): "0 / 7: " + COLLAPSED_ACTIVE
    },
    "011_putian_kjj_2020.txt": {
        ("placement-ambiguous", "active.normative_documents"): "3 / 6: " + COLLAPSED_ACTIVE
    },
    "012_putian_kjj_2021.txt": {
        ("placement-ambiguous", "active.normative_documents"): "0 / 10: " + COLLAPSED_ACTIVE
    },
    "014_putian_kjj_2025.txt": {
        ("placement-ambiguous", "active.normative_documents"): "0 / 7: " + COLLAPSED_ACTIVE
    },
    "019_putian_lyj_2019.txt": {
        ("placement-ambiguous", "active.enforcement"): "行政强制 11 / 0: " + COLLAPSED_ACTIVE
    },
    "021_putian_lyj_2025.txt": {
        # the saved page shows 1 / 1 / 9
        ("placement-ambiguous", "active.normative_documents"): "1 / 9: " + COLLAPSED_ACTIVE
    },
    "023_putian_slj_2023.txt": {
        ("placement-ambiguous", "active.normative_documents"): "规范性文件 0 / 2: " + COLLAPSED_ACTIVE
    },
    "028_putian_tyj_2020.txt": {
        ("placement-ambiguous", "active.normative_documents"): "规范性文件 4 / 6: " + COLLAPSED_ACTIVE
    },
    "031_putian_wlj_2019.txt": {
        # The page left the request table's zero cells EMPTY, and the crawler
        # dropped empty runs: rows print nothing, or a lone 1 (1 in 自然人
        # and in 总计, collapsed); seven 1s would break rule B, so no reading
        # fits and the rows are left empty.
        **{
            ("short-row", f"requests.{row}"): "the page printed no cell for this row"
            for row in (
                "granted",
                "partly_granted",
                "denied.state_secret",
                "denied.prohibited_by_law",
                "denied.security_stability",
                "denied.third_party",
                "denied.internal_affairs",
                "denied.process_info",
                "denied.enforcement_file",
                "denied.inquiry",
                "unavailable.needs_creation",
                "unavailable.unclear",
                "not_processed.complaint",
                "not_processed.repeated",
                "not_processed.publication",
                "not_processed.excessive",
                "not_processed.confirmation",
                "other",
            )
        },
        **{
            ("short-row", f"requests.{row}"): "a lone 1 with empty cells around it; seven 1s break rule B"
            for row in ("new", "unavailable.not_held", "total")
        },
    },
    "033_putian_wlj_2024.txt": {
        ("placement-ambiguous", "active.normative_documents"): "0 / 2: " + COLLAPSED_ACTIVE
    },
    "034_putian_yjglj_2020.txt": {
        ("placement-ambiguous", "active.penalty"): "行政处罚 135 / 0: " + COLLAPSED_ACTIVE,
        ("placement-ambiguous", "active.enforcement"): "行政强制 7 / 0: " + COLLAPSED_ACTIVE,
    },
    "035_putian_yjglj_2022.txt": {
        ("placement-ambiguous", "active.normative_documents"): "0 / 22: " + COLLAPSED_ACTIVE
    },
    "037_putian_cgj_2024.txt": {
        # the saved page shows 4 / 4 / 16
        ("placement-ambiguous", "active.normative_documents"): "4 / 16: " + COLLAPSED_ACTIVE
    },
    "038_putian_lyj_2022.txt": {
        ("placement-ambiguous", "active.normative_documents"): "1 / 9: " + COLLAPSED_ACTIVE
    },
    "040_putian_slj_2020.txt": {
        ("placement-ambiguous", "active.other_services"): "其他对外管理服务事项 3 / 0: " + COLLAPSED_ACTIVE,
        ("placement-ambiguous", "active.enforcement"): "行政强制 4 / 0: " + COLLAPSED_ACTIVE,
    },
}


def test_the_corpus_is_all_here() -> None:
    assert len(FILES) == 45
    assert len(PRE_2019) == 5
    assert set(KNOWN) <= {p.name for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_real_report(path: Path) -> None:
    text = read(path)
    if path.name in PRE_2019:
        with pytest.raises(UnsupportedTemplateError):
            govreport.parse(text)
        return
    report = govreport.parse(text)
    assert report.template in ("2019", "2021")
    assert report.agency and report.agency.startswith("莆田市")
    assert report.year is not None and 2019 <= report.year <= 2025
    errors = {(d.code, row_of(d.cells)) for d in report.diagnostics if d.severity.value == "error"}
    known = KNOWN.get(path.name, {})
    assert errors == set(known), f"new: {errors - set(known)}; fixed: {set(known) - errors}"
    counts = Counter(f"{d.severity.value} {d.code}" for d in report.diagnostics)
    print(path.name, dict(sorted(counts.items())))


def test_manifest_templates_match() -> None:
    manifest = (REAL / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in manifest:
        fields = line.split("\t")
        name, agency, year, template = fields[0].split()[0], fields[2], int(fields[3]), fields[4]
        if template == "pre-2019":
            continue
        report = govreport.parse(read(REAL / name))
        assert (report.template, report.year) == (template, year), name
        assert report.agency is not None
        # 011 titles itself with the short name 莆田市科技局
        if name != "011_putian_kjj_2020.txt":
            assert report.agency == agency, name
