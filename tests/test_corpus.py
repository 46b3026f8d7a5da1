"""The real-report corpus (tests/data/real/: crawler text of the Putian city
site, 001-045; reports of the Pingtan zone flattened onto one line, 046-059;
pre-2019 reports to refuse; a published PDF, 063): every report parses, the
pre-2019 ones are refused, and each report gets exactly the error-level
diagnostics listed here, each with the reason (checked against the source
text and, for 021/024/037, the saved page).

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

FILES = sorted([*REAL.glob("*.txt"), *REAL.glob("*.pdf")])
PRE_2019 = {p.name for p in FILES if "_pre2019" in p.name}


def _parse(path: Path) -> govreport.Report:
    return govreport.parse_file(path) if path.suffix == ".pdf" else govreport.parse(read(path))


# A 3-column row of section 二 printed with two values collapsed from three:
# the repeated value is either the first or the second, and section 二 has no
# arithmetic to tell which, so the middle cell is left empty.
COLLAPSED_ACTIVE = "two printed values for three cells; section 二 has no arithmetic to place the repeat"

# A flattened row of section 二 whose digits can be cut into its cells in
# more than one way: section 二 has no arithmetic to choose.
RUN_ACTIVE = "section 二 has no arithmetic to choose the cut"
RUN_PROCUREMENT = "the item count and the amount run together; any cut fits"

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
        # never writes an empty cell: rows print nothing, or a lone 1 (1 in
        # 自然人 and in 总计, collapsed), which only 1 □ □ □ □ □ 1 explains:
        # those rows are solved (placement-solved, not an error).
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
    # -- flattened onto one line (Pingtan) ------------------------------------
    "046_pingtan_czj_2019.txt": {
        ("placement-ambiguous", "active.normative_documents"): "规范性文件1077: 1 0 77 or 10 7 7; "
        + RUN_ACTIVE,
        ("placement-ambiguous", "active.penalty"): "行政处罚3500: 3 50 0 or 35 0 0; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.procurement"): "政府集中采购2832995元: " + RUN_PROCUREMENT,
    },
    "048_pingtan_scj_2020.txt": {
        ("placement-ambiguous", "active.licensing"): "行政许可3705: 3 70 5 or 37 0 5; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.other_services"): "其他对外管理服务事项109024: five cuts; "
        + RUN_ACTIVE,
        ("placement-ambiguous", "active.penalty"): "行政处罚103040: five cuts; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.procurement"): "政府集中采购176586650.10元: " + RUN_PROCUREMENT,
    },
    "049_pingtan_spp_2020.txt": {
        ("placement-ambiguous", "active.procurement"): "政府集中采购161089059: " + RUN_PROCUREMENT,
    },
    "050_pingtan_shs_2021.txt": {
        # A 2021 report whose section 二 still prints the 2019 columns (its
        # section 三 has the 2021 rows): 2019 values are not 2021 cells.
        **{
            ("foreign-columns", f"active.{row}"): "section 二 printed with the 2019 template's columns"
            for row in ("regulations", "normative_documents", "licensing", "penalty", "enforcement", "fees")
        },
    },
    "051_pingtan_htp_2021.txt": {
        ("placement-ambiguous", "active.procurement"): "政府集中采购328291965元: " + RUN_PROCUREMENT,
        # The agency's own error, kept as printed: every result row is 0, but
        # （七）总计 prints 1000000 (seven digits, seven cells).
        ("column-balance-mismatch", "requests.new"): "（七）总计 1 0 0 0 0 0 0 as printed",
        ("results-sum-mismatch", "requests.granted"): "（七）总计 1 0 0 0 0 0 0 as printed",
        ("row-total-mismatch", "requests.total"): "（七）总计 1 0 0 0 0 0 0 as printed",
    },
    "052_pingtan_jjp_2022.txt": {
        (
            "short-row",
            "requests.carried_forward",
        ): "四、结转下年度继续办理 0 00000: six digits for seven cells",
    },
    "056_pingtan_shs_2025.txt": {
        (
            "missing-row",
            "active.regulations",
        ): "section 二 prints no 规章 row (规范性文件700 follows the header)",
    },
    "057_pingtan_jtj_2020.txt": {
        ("placement-ambiguous", "active.licensing"): "行政许可88-720: 88 -7 20 or 88 -72 0; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.penalty"): "行政处罚26-260: 26 -2 60 or 26 -26 0; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.procurement"): "政府集中采购263042532: " + RUN_PROCUREMENT,
    },
    "059_pingtan_zrz_2019.txt": {
        ("placement-ambiguous", "active.normative_documents"): "规范性文件121212: ten cuts; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.penalty"): "行政处罚88022: four cuts; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.enforcement"): "行政强制7020: 7 0 20 or 70 2 0; " + RUN_ACTIVE,
        ("placement-ambiguous", "active.procurement"): "政府集中采购82059.2090万元: " + RUN_PROCUREMENT,
    },
}


def test_the_corpus_is_all_here() -> None:
    assert len(FILES) == 64
    assert len(PRE_2019) == 9
    assert set(KNOWN) <= {p.name for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_real_report(path: Path) -> None:
    if path.name in PRE_2019:
        with pytest.raises(UnsupportedTemplateError):
            _parse(path)
        return
    report = _parse(path)
    assert report.template in ("2019", "2021")
    assert report.agency
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
        report = _parse(REAL / name)
        assert (report.template, report.year) == (template, year), name
        assert report.agency is not None
        if name == "011_putian_kjj_2020.txt":  # titles itself with the short name 莆田市科技局
            continue
        if name == "063_huaian_szf_2024.pdf":  # the manifest adds who compiled it: （…办公室编制）
            agency = agency.split("（")[0]
        assert report.agency == agency, name
