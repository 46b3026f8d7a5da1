"""Test helper: a report whose every cell is known, built as the official
Word template lays out its tables (docs/spec/template.md §2.2-§2.4, §3.2),
and rendered as the files reports are published in:

- :func:`to_text`: the one-cell-per-line layout of DOCX text (the seeds'
  layout), read by the parser as it is;
- :func:`to_html`: a page as a government site serves it (navigation,
  scripts and footer inside an ASP.NET ``<form>``, the article in
  ``<div class=TRS_Editor>``, ``rowspan``/``colspan``, ``<br>`` in header
  cells, ``&nbsp;`` in blank cells);
- :func:`to_docx`: python-docx, with real merged cells (``cell.merge``) and
  the section headings numbered by Word (一、… from numbering.xml);
- :func:`to_pdf`: reportlab, with the CID font STSong-Light, ruled tables,
  page numbers, and the request table split over two pages with its header
  rows repeated.

A table is a list of rows of :class:`C` (the cells that start in the row,
as in HTML); :class:`Table` places them on the grid.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

import govreport

COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_services",
    "other_org",
    "total",
)
REVIEW = tuple(
    f"review.{group}.{outcome}"
    for group in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
    for outcome in ("upheld", "corrected", "other", "pending", "total")
)
MONEY = frozenset({"active.fees.amount", "active.procurement.amount"})
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class C:
    """A printed cell: its text and spans."""

    text: str
    cols: int = 1
    rows: int = 1


@dataclass
class Table:
    """A table's cells placed on its grid: ``cells[(row, column)]`` is the
    cell starting there."""

    cells: dict[tuple[int, int], C] = field(default_factory=dict)
    height: int = 0
    width: int = 0
    header_rows: int = 0

    @classmethod
    def of(cls, rows: list[list[C]], header_rows: int = 0) -> Table:
        table = cls(height=len(rows), header_rows=header_rows)
        covered: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while (r, c) in covered:
                    c += 1
                table.cells[r, c] = cell
                covered.update((r + i, c + j) for i in range(cell.rows) for j in range(cell.cols))
                c += cell.cols
        table.width = max(c for _, c in covered) + 1
        return table

    def continued_from_above(self, r: int, c: int) -> bool:
        """Whether a vertically merged cell starting above covers (r, c), c being its first column."""
        return any(
            cc == c and rr < r < rr + cell.rows for (rr, cc), cell in self.cells.items() if cell.rows > 1
        )


@dataclass
class Spec:
    """A report: its title and its blocks (narrative lines and tables)."""

    agency: str
    year: int
    template: str
    blocks: list[str | Table]

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"


# -- the official tables ------------------------------------------------------


def _caption(text: str) -> list[C]:
    return [C(text, cols=4)]


def _active_2021(v: dict[str, str]) -> Table:
    def block(label: str, key: str) -> list[C]:
        return [C(label), C(v[key], cols=3)]

    return Table.of(
        [
            _caption("第二十条第（一）项"),
            [C("信息内容"), C("本年制发件数"), C("本年废止件数"), C("现行有效件数")],
            [C("规章"), *(C(v[f"active.regulations.{k}"]) for k in ("issued", "repealed", "in_force"))],
            [
                C("行政规范性文件"),
                *(C(v[f"active.normative_documents.{k}"]) for k in ("issued", "repealed", "in_force")),
            ],
            _caption("第二十条第（五）项"),
            [C("信息内容"), C("本年处理决定数量", cols=3)],
            block("行政许可", "active.licensing.decisions"),
            _caption("第二十条第（六）项"),
            [C("信息内容"), C("本年处理决定数量", cols=3)],
            block("行政处罚", "active.penalty.decisions"),
            block("行政强制", "active.enforcement.decisions"),
            _caption("第二十条第（八）项"),
            [C("信息内容"), C("本年收费金额（单位：万元）", cols=3)],
            block("行政事业性收费", "active.fees.amount"),
        ]
    )


def _active_2019(v: dict[str, str]) -> Table:
    def row(label: str, key: str, columns: tuple[str, ...]) -> list[C]:
        return [C(label), *(C(v[f"active.{key}.{k}"]) for k in columns)]

    made = ("made", "published", "total")
    counted = ("previous", "change", "decisions")
    header = [C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("处理决定数量")]
    return Table.of(
        [
            _caption("第二十条第（一）项"),
            [C("信息内容"), C("本年新制作数量"), C("本年新公开数量"), C("对外公开总数量")],
            row("规章", "regulations", made),
            row("规范性文件", "normative_documents", made),
            _caption("第二十条第（五）项"),
            header,
            row("行政许可", "licensing", counted),
            row("其他对外管理服务事项", "other_services", counted),
            _caption("第二十条第（六）项"),
            header,
            row("行政处罚", "penalty", counted),
            row("行政强制", "enforcement", counted),
            _caption("第二十条第（八）项"),
            [C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("")],
            [*row("行政事业性收费", "fees", ("previous", "change")), C("")],
            _caption("第二十条第（九）项"),
            [C("信息内容"), C("采购项目数量"), C("采购总金额", cols=2)],
            [C("政府集中采购"), C(v["active.procurement.items"]), C(v["active.procurement.amount"], cols=2)],
        ]
    )


REQUEST_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied.state_secret": "1.属于国家秘密",
    "denied.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied.security_stability": "3.危及“三安全一稳定”",
    "denied.third_party": "4.保护第三方合法权益",
    "denied.internal_affairs": "5.属于三类内部事务信息",
    "denied.process_info": "6.属于四类过程性信息",
    "denied.enforcement_file": "7.属于行政执法案卷",
    "denied.inquiry": "8.属于行政查询事项",
    "unavailable.not_held": "1.本机关不掌握相关政府信息",
    "unavailable.needs_creation": "2.没有现成信息需要另行制作",
    "unavailable.unclear": "3.补正后申请内容仍不明确",
    "not_processed.complaint": "1.信访举报投诉类申请",
    "not_processed.repeated": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.excessive": "4.无正当理由大量反复申请",
    "not_processed.confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other.overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他",
    "total": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUPS = {
    "denied": ("（三）不予公开", 8),
    "unavailable": ("（四）无法提供", 3),
    "not_processed": ("（五）不予处理", 5),
}


def _requests(v: dict[str, str], template: str) -> Table:
    def values(key: str) -> list[C]:
        return [C(v[f"requests.{key}.{column}"]) for column in COLUMNS]

    rows: list[list[C]] = [
        [C(NOTE, cols=3, rows=3), C("申请人情况", cols=7)],
        [C("自然人", rows=2), C("法人或其他组织", cols=5), C("总计", rows=2)],
        [C("商业企业"), C("科研机构"), C("社会公益组织"), C("法律服务机构"), C("其他")],
        [C(REQUEST_LABELS["new"], cols=3), *values("new")],
        [C(REQUEST_LABELS["carried_over"], cols=3), *values("carried_over")],
        [C("三、本年度办理结果", rows=20 if template == "2019" else 22), C(REQUEST_LABELS["granted"], cols=2), *values("granted")],
        [C(REQUEST_LABELS["partly_granted"], cols=2), *values("partly_granted")],
    ]  # fmt: skip
    groups = dict(GROUPS)
    if template == "2021":
        groups["other"] = ("（六）其他处理", 3)
    for group, (label, size) in groups.items():
        keys = [k for k in REQUEST_LABELS if k.startswith(group + ".")]
        assert len(keys) == size
        for i, key in enumerate(keys):
            rows.append([*([C(label, rows=size)] if i == 0 else []), C(REQUEST_LABELS[key]), *values(key)])
        if group == "not_processed" and template == "2019":
            rows.append([C(REQUEST_LABELS["other"], cols=2), *values("other")])
    rows.append([C(REQUEST_LABELS["total"], cols=2), *values("total")])
    rows.append([C(REQUEST_LABELS["carried_forward"], cols=3), *values("carried_forward")])
    return Table.of(rows, header_rows=3)


def _review(v: dict[str, str]) -> Table:
    outcomes = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return Table.of(
        [
            [C("行政复议", cols=5), C("行政诉讼", cols=10)],
            [*(C(o, rows=2) for o in outcomes), C("未经复议直接起诉", cols=5), C("复议后起诉", cols=5)],
            [C(o) for o in outcomes * 2],
            [C(v[key]) for key in REVIEW],
        ],
        header_rows=3,
    )


def report(agency: str, year: int, template: str, values: dict[str, str]) -> Spec:
    """The report of ``agency`` with these printed cells (every other cell
    of the template printed as ``0``)."""
    printed = {key: "0" for key in govreport.cell_ids(template)}
    assert set(values) <= set(printed), set(values) - set(printed)
    printed.update(values)
    active = _active_2021(printed) if template == "2021" else _active_2019(printed)
    return Spec(
        agency,
        year,
        template,
        [
            f"本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自{year}年1月1日至{year}年12月31日。",
            "一、总体情况",
            f"{year}年，{agency}认真贯彻落实《条例》，推进政府信息公开工作。",
            "（一）主动公开情况",
            "全年主动公开政府信息36条。",
            "（二）依申请公开情况",
            "依法办理政府信息公开申请。",
            "二、主动公开政府信息情况",
            active,
            "三、收到和处理政府信息公开申请情况",
            _requests(printed, template),
            "四、政府信息公开行政复议、行政诉讼情况",
            _review(printed),
            "五、存在的主要问题及改进情况",
            "公开内容还不够全面，下一步将加强培训。",
            "六、其他需要报告的事项",
            "本年度未收取信息处理费。",
        ],
    )


def expected(spec_values: dict[str, str], template: str) -> dict[str, int | Decimal | None]:
    """The values of the printed cells, read by hand: blank is None, signs
    kept, money in 万元."""
    out: dict[str, int | Decimal | None] = {}
    for key in govreport.cell_ids(template):
        raw = spec_values.get(key, "0")
        if raw == "":
            out[key] = None
        elif key in MONEY:
            out[key] = Decimal(raw.removesuffix("万元"))
        else:
            out[key] = int(raw)
    return out


# -- renderings ---------------------------------------------------------------


def to_text(spec: Spec) -> str:
    """The one-cell-per-line layout: every cell a line starting with a tab
    (a cell continuing a vertical merge an empty one), rows separated by an
    empty line."""
    lines = [spec.title]
    for block in spec.blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        for r in range(block.height):
            for c in range(block.width):
                if (r, c) in block.cells:
                    lines.append("\t" + block.cells[r, c].text)
                elif block.continued_from_above(r, c):
                    lines.append("\t")
            lines.append("")
    return "\n".join(lines) + "\n"


def _broken(text: str) -> list[str]:
    """A header cell's text as Word wraps it in a narrow column: two lines."""
    if len(text) < 4 or text[0].isdigit() or text == NOTE:
        return [text]
    return [text[: len(text) // 2], text[len(text) // 2 :]]


_NAVIGATION = """<div class="header"><div class="top">无障碍 | 长者模式 | 登录</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zxft/">行政复议</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开 &gt; 政府信息公开年报</div>
<div class="left"><ul><li>政府信息公开指南</li><li>政府信息公开制度</li><li>政府信息公开年报</li></ul></div>"""
_SCRIPT = """<script type="text/javascript">
var PageInfo = {title: "%s", body: "一、总体情况 二、主动公开政府信息情况 第二十条 0 0 0"};
document.write('<div class="share">分享到：</div>');
</script>"""
_FOOTER = """<div class="footer"><p>主办单位：某某市人民政府办公室 网站标识码：3503000001</p>
<p>闽ICP备05004321号 <a href="#">网站地图</a> <a href="#">联系我们</a></p></div>
<script>var _hmt = _hmt || []; (function(){ var hm = document.createElement("script"); })();</script>"""


def _html_cell(cell: C, header: bool) -> str:
    attrs = (f' colspan="{cell.cols}"' if cell.cols > 1 else "") + (
        f' rowspan="{cell.rows}"' if cell.rows > 1 else ""
    )
    if not cell.text:
        return f'<td{attrs} valign="center">&nbsp;</td>'
    if cell.text == NOTE:  # the note split over runs, as 024's page prints it
        inner = "".join(f"<strong>{escape(part)}</strong>" for part in (NOTE[:2], NOTE[2:-2], NOTE[-2:]))
    else:
        inner = "<br>\n".join(escape(part) for part in (_broken(cell.text) if header else [cell.text]))
    return f'<td{attrs} valign="center">\n<p align="center">{inner}</p>\n</td>'


def to_html(
    spec: Spec,
    encoding: str = "utf-8",
    declare: str | None = None,
    article: str = "TRS_Editor",
    layout_table: bool = False,
    fragment: bool = False,
) -> bytes:
    """A report page as a government site serves it, encoded in ``encoding``
    and declaring ``declare`` (default: ``encoding``) in its ``<meta>``; the
    article in ``<div class={article}>``, and (``layout_table``) the page laid
    out by an outer table, as older sites do. A ``fragment`` is the report's
    HTML alone, as pasted into a page or a script: the title and the blocks
    with no page, head, body or article container around them."""
    body = []
    for block in spec.blocks:
        if isinstance(block, str):
            heading = block[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}
            body.append(
                f"<p>\u3000\u3000{'<strong>' if heading else ''}{escape(block)}{'</strong>' if heading else ''}&nbsp;</p>"
            )
            continue
        body.append('<table width="100%" border="1" cellspacing="0" cellpadding="2">\n<tbody>')
        for r in range(block.height):
            cells = [
                _html_cell(cell, r < block.header_rows or "项" in cell.text)
                for (rr, _), cell in sorted(block.cells.items())
                if rr == r
            ]
            body.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
        body.append("</tbody>\n</table>")
    if fragment:
        return (f"<p>{escape(spec.title)}</p>" + "".join(body)).encode(encoding)
    charset = declare or encoding
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{spec.title}">
<title>{spec.title}_政府信息公开年报_{spec.agency}</title>
<style>.TRS_Editor p {{ text-indent: 2em; }}</style>
{_SCRIPT % spec.title}
</head>
<body>
<form id="form1" method="post" action="./detail.aspx">
{_NAVIGATION}
<div class="main"><div class="xl_article">
<h1>
    {spec.title}
</h1>
<div class="info">发布时间：{spec.year + 1}-01-15 来源：{spec.agency} 浏览次数：<span id="count">0</span></div>
{"<table><tr><td>" if layout_table else ""}<div class={article}>{chr(10).join(body)}
<p align="right">{spec.agency}</p>
</div>{"</td></tr></table>" if layout_table else ""}
<div class="fj" style="display:none"><h5>附件下载：</h5><p>第二十条 三、收到和处理政府信息公开申请情况</p></div>
</div></div>
{_FOOTER}
</form>
</body>
</html>
"""  # fmt: skip
    return page.encode(encoding)


_NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>"""


def to_docx(spec: Spec, numbered: bool = True) -> bytes:
    """A Word file: paragraphs, tables with merged cells, header cells with
    a line break, and (``numbered``) the headings numbered by Word."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING))
    num = parse_xml(
        '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
        '<w:abstractNumId w:val="90"/></w:num>'
    )
    numbering.append(num)
    document.add_paragraph(spec.title)
    for block in spec.blocks:
        if isinstance(block, str):
            level = (
                0
                if block[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}
                else 1
                if block.startswith("（")
                else None
            )
            if numbered and level is not None:
                paragraph = document.add_paragraph(block[2:] if level == 0 else block[3:])
                num_pr = parse_xml(
                    '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
                )
                paragraph._p.get_or_add_pPr().append(num_pr)
            else:
                document.add_paragraph(block)
            continue
        table = document.add_table(rows=block.height, cols=block.width)
        table.style = "Table Grid"
        for (r, c), cell in block.cells.items():
            target = table.cell(r, c)
            if cell.rows > 1 or cell.cols > 1:
                target = target.merge(table.cell(r + cell.rows - 1, c + cell.cols - 1))
            paragraph = target.paragraphs[0]
            parts = _broken(cell.text) if r < block.header_rows else [cell.text]
            for i, part in enumerate(parts):
                run = paragraph.add_run(part)
                if i < len(parts) - 1:
                    run.add_break()
        assert table._tbl.find(qn("w:tblGrid")) is not None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_table(block: Table, rows: range, repeat_header: bool = False):  # type: ignore[no-untyped-def]
    """A reportlab table of ``rows`` of ``block`` (after the header rows when
    ``repeat_header``); a merged cell cut by the split goes on as an empty cell."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as PdfTable

    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7.5, leading=9.5, wordWrap="CJK")
    shown = ([*range(block.header_rows)] if repeat_header else []) + [*rows]
    at = {r: i for i, r in enumerate(shown)}
    data: list[list[object]] = [["" for _ in range(block.width)] for _ in shown]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (0, 0), (-1, -1), "STSong-Light", 7.5),
    ]
    for (r, c), cell in block.cells.items():
        span = [rr for rr in range(r, r + cell.rows) if rr in at]
        if not span:
            continue
        text = cell.text if span[0] == r else ""  # the part on a later page is empty, as Word prints it
        data[at[span[0]]][c] = Paragraph(escape(text), style) if text else ""
        if len(span) > 1 or cell.cols > 1:
            commands.append(("SPAN", (c, at[span[0]]), (c + cell.cols - 1, at[span[-1]])))
    widths = [36, 50, 96] + [37] * 7 if block.width == 10 else [500 / block.width] * block.width
    return PdfTable(data, colWidths=widths, style=commands)


def to_pdf(spec: Spec, split_requests_at: int | None = None, frame: bool = False) -> bytes:
    """A PDF with a text layer: each section from 三 on starts a page, the
    request table split after row ``split_requests_at`` with its header rows
    repeated on the next page, a page number at the bottom of each page and
    (``frame``) a ruled frame around each page's text, as some offices print."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    text = ParagraphStyle("text", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("title", parent=text, fontSize=15, leading=22, alignment=1)
    flow: list[object] = [Paragraph(escape(spec.title), title)]
    for block in spec.blocks:
        if isinstance(block, str):
            if block.startswith(("三、", "四、")):
                flow.append(PageBreak())
            flow.append(Paragraph(escape(block), text))
        elif block.header_rows == 3 and block.width == 10 and split_requests_at is not None:
            flow.append(_pdf_table(block, range(split_requests_at)))
            flow.append(PageBreak())
            flow.append(_pdf_table(block, range(split_requests_at, block.height), repeat_header=True))
        else:
            flow.append(_pdf_table(block, range(block.height)))
        flow.append(Spacer(1, 4))

    def number(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {document.page} —")
        if frame:
            canvas.rect(30, 45, A4[0] - 60, A4[1] - 85)

    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=40, rightMargin=40, topMargin=50, bottomMargin=60
    )
    document.build(flow, onFirstPage=number, onLaterPages=number)
    return out.getvalue()
