"""Hypothesis strategies for 政府信息公开工作年度报告, for govreport's own tests
and for projects that build on it (``pip install 'govreport[testing]'``).

    from hypothesis import given
    from govreport.testing import reports
    import govreport

    @given(reports(template="2021"))
    def test_round_trip(report):
        text = govreport.render(report, layout="tsv")
        assert govreport.parse(text).cells() == report.cells()

:func:`reports` draws whole reports: metadata, a narrative with numbers in
it, and every cell of a template, arithmetic-consistent (rules A–D of
cells.md hold) or not, with or without blank cells. :func:`cell_values`
draws the cells alone, :func:`options` the noise options of
:func:`govreport.render`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from . import model as m
from . import vocabulary as voc
from .serialize import assemble

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError("govreport.testing needs Hypothesis: pip install 'govreport[testing]'") from error

__all__ = ["reports", "cell_values", "options", "agencies", "narratives", "counts"]

_CITIES = ("莆田市", "泽州县", "德惠市", "沙县", "前进区", "绥滨县", "长春市二道区", "汉阳区", "龙岗区")
_BODIES = (
    "卫生健康局",
    "城市管理局",
    "民族与宗教事务局",
    "海洋与渔业局",
    "科学技术局",
    "审计局",
    "林业局",
    "水利局",
    "统计局",
    "体育局",
    "文化和旅游局",
    "应急管理局",
    "人民政府办公室",
)
_SENTENCES = (
    "{year}年，我局主动公开政府信息{n}条，其中政策文件{m}条。",
    "全年办理依申请公开{n}件，均在法定期限内答复。",
    "通过政府网站发布信息{n}条，微信公众号推送{m}篇。",
    "组织政务公开业务培训{n}次，参训人员{m}人次。",
    "进一步完善政府信息公开制度，规范公开流程。",
    "严格落实保密审查制度，做到公开信息不涉密。",
    "下一步将加大公开力度，提升公开质量。",
)
_SUBHEADINGS = (
    "（一）主动公开情况",
    "（二）依申请公开情况",
    "（三）政府信息管理情况",
    "（四）政府信息公开平台建设情况",
    "（五）监督保障情况",
)


def counts(maximum: int = 10**7) -> st.SearchStrategy[int]:
    """Counts as reports print them: mostly small, now and then large."""
    return st.one_of(st.integers(0, 9), st.integers(0, 200), st.integers(0, maximum))


def agencies() -> st.SearchStrategy[str]:
    return st.builds(lambda city, body: city + body, st.sampled_from(_CITIES), st.sampled_from(_BODIES))


@st.composite
def narratives(draw: Any, year: int = 2021, lines: int = 3) -> str:
    """Narrative lines with numbers in them."""
    out = []
    for _ in range(draw(st.integers(1, lines))):
        pattern = draw(st.sampled_from(_SENTENCES))
        out.append(pattern.format(year=year, n=draw(st.integers(0, 5000)), m=draw(st.integers(0, 500))))
    return "\n".join(out)


def _money() -> st.SearchStrategy[Decimal]:
    """Amounts in 万元 with up to four decimals."""
    return st.one_of(*(st.decimals(min_value=0, max_value=10**6, places=places) for places in range(5)))


@st.composite
def cell_values(
    draw: Any,
    template: str = "2021",
    *,
    consistent: bool = True,
    blanks: bool | Literal["breakdown"] = False,
    maximum: int | None = None,
) -> dict[str, int | Decimal | None]:
    """Every cell of ``template``: id → value. With ``consistent``, rules
    A–D hold; with ``blanks``, some cells are ``None`` (printed blank);
    with ``blanks="breakdown"``, only the blanks real reports leave: zero
    breakdown cells (a request row's five legal-person columns, a review
    group's outcomes) printed blank, which keeps every rule holding with a
    blank counted as nothing;
    ``maximum`` caps the counts drawn (by default up to 10⁷ in section 二 and
    10⁵ in the request matrix and the review row)."""
    values: dict[str, int | Decimal | None] = {}
    types = voc.cell_types(template)
    for cell_id, kind in types.items():
        if not cell_id.startswith("active."):
            continue
        if kind is voc.ValueType.MONEY:
            values[cell_id] = draw(_money())
        elif kind is voc.ValueType.SIGNED:
            bound = min(2000, maximum) if maximum is not None else 2000
            values[cell_id] = draw(st.integers(-bound, bound))
        else:
            values[cell_id] = draw(counts() if maximum is None else counts(maximum))
    columns = [c.key for c in voc.REQUEST_COLUMNS]
    parts = columns[:-1]
    rows = voc.request_rows(template)
    results = [r.id for r in rows if r.result]
    small = st.one_of(st.just(0), st.integers(0, 9), st.integers(0, 10**5 if maximum is None else maximum))
    table: dict[str, dict[str, int]] = {}
    for result in results:
        table[result] = {c: draw(small) for c in parts}
    table["total"] = {c: sum(table[r][c] for r in results) for c in parts}
    table["carried_forward"] = {c: draw(small) for c in parts}
    table["carried_over"] = {
        c: draw(st.integers(0, table["total"][c] + table["carried_forward"][c])) for c in parts
    }
    table["new"] = {
        c: table["total"][c] + table["carried_forward"][c] - table["carried_over"][c] for c in parts
    }
    for request_row in rows:
        for c in parts:
            values[f"requests.{request_row.id}.{c}"] = table[request_row.id][c]
        values[f"requests.{request_row.id}.total"] = sum(table[request_row.id].values())
    for group, _ in voc.REVIEW_GROUPS:
        outcomes = [draw(small) for _ in range(4)]
        for (outcome, _), value in zip(voc.REVIEW_OUTCOMES, [*outcomes, sum(outcomes)], strict=True):
            values[f"review.{group}.{outcome}"] = value
    if not consistent:
        broken = draw(
            st.lists(st.sampled_from(sorted(k for k in values if k.endswith(".total"))), max_size=5)
        )
        for cell_id in broken:
            value = values[cell_id]
            assert isinstance(value, int)
            values[cell_id] = value + draw(st.integers(1, 50))
    if blanks == "breakdown":
        zeros = sorted(k for k, v in values.items() if v == 0 and voc.breakdown(k))
        if zeros:
            for cell_id in draw(st.lists(st.sampled_from(zeros), max_size=40)):
                values[cell_id] = None
    elif blanks:
        for cell_id in draw(st.lists(st.sampled_from(sorted(values)), max_size=8)):
            values[cell_id] = None
    return values


@st.composite
def reports(
    draw: Any,
    template: str | None = None,
    *,
    consistent: bool | None = True,
    blanks: bool | Literal["breakdown"] = False,
    maximum: int | None = None,
) -> m.Report:
    """A whole report: metadata, narrative and every cell of a template.

    ``template``: ``"2019"``, ``"2021"`` or None for either (independent of
    the year, as in real reports). ``consistent``: True for arithmetic that
    holds, False for broken totals, None for either. ``blanks`` and
    ``maximum``: as :func:`cell_values`.
    """
    template = template or draw(st.sampled_from(voc.TEMPLATES))
    year = draw(st.integers(2019, 2025))
    agency = draw(agencies())
    if consistent is None:
        consistent = draw(st.booleans())
    values = draw(cell_values(template, consistent=consistent, blanks=blanks, maximum=maximum))
    cells = {key: m.Cell(value) for key, value in values.items()}
    active, requests, review = assemble(template, cells)
    title = f"{agency}{year}年{draw(st.sampled_from(('', '度')))}政府信息公开工作年度报告"
    subsections = tuple(
        m.Subsection(heading, draw(narratives(year))) for heading in _SUBHEADINGS[: draw(st.integers(0, 5))]
    )
    return m.Report(
        agency=agency,
        year=year,
        template=template,
        title=title,
        preamble=draw(st.sampled_from(("", "根据《中华人民共和国政府信息公开条例》编制本报告。"))),
        overview=m.Section("一、总体情况", draw(narratives(year)), subsections),
        active=active,
        requests=requests,
        review=review,
        problems=m.Section("五、存在的主要问题及改进情况", draw(narratives(year))),
        other_matters=m.Section("六、其他需要报告的事项", draw(narratives(year, lines=1))),
    )


def options(layout: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Noise options for :func:`govreport.render` (see its docs)."""
    flags = (
        "fullwidth",
        "padding",
        "crlf",
        "bom",
        "letter_spacing",
        "word_numbering",
        "page_breaks",
        "bookmarks",
        "blank_lines",
        "label_variants",
        "sign_words",
        "nbsp_blanks",
        "md_headings",
        "md_label_headings",
        "md_review_groups",
    )
    optional: dict[str, st.SearchStrategy[Any]] = {
        "null_marker": st.sampled_from(("", "/", "—", "无")),
        "width": st.integers(12, 60),
        "tab_width": st.integers(2, 8),
    }
    if layout == "flattened":
        optional = {**optional, "stray_spaces": st.integers(0, 2**16), "chrome": st.booleans()}
    return st.fixed_dictionaries({flag: st.booleans() for flag in flags}, optional=optional)
