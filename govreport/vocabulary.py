"""The template's vocabulary: every label govreport reads, in one table.

This module is the single source of the two official templates
(国办公开办函〔2019〕60号 and 〔2021〕30号): section headings, the 第二十条
item blocks of section 二, the rows and columns of the request matrix of
section 三, the review/litigation row of section 四, the cell ids of the public
data contract (``shared/spec/cells.md``), their value types, the label
variants seen in real reports, and which template has what.

Everything else reads it: the grammar's label terminals are generated from it
(:mod:`govreport.grammar`), the transformer maps terminals back to cell ids
with it, :meth:`govreport.Report.cells` takes its order from it, and the docs
are checked against it. No other module spells a label.

Labels are written here as the template prints them (full-width punctuation);
the grammar folds them exactly as it folds the report text.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Final

import attrs

from .errors import UnknownNameError

__all__ = [
    "TEMPLATES",
    "ValueType",
    "Label",
    "SectionDef",
    "SECTIONS",
    "Column",
    "ActiveRow",
    "ActiveBlock",
    "ACTIVE_ROWS",
    "ACTIVE_BLOCKS",
    "ACTIVE_COLUMNS",
    "INFO_HEADER",
    "CAPTION_ITEMS",
    "RequestColumn",
    "REQUEST_COLUMNS",
    "RequestRow",
    "REQUEST_ROWS",
    "RequestGroup",
    "REQUEST_GROUPS",
    "REQUEST_NOTE",
    "APPLICANT_HEADER",
    "REVIEW_GROUPS",
    "REVIEW_OUTCOMES",
    "REVIEW_HEADER",
    "PAGE_CHROME",
    "REQUEST_UNIT",
    "REVIEW_UNIT",
    "CodebookEntry",
    "codebook_entries",
    "cell_ids",
    "cell_types",
    "request_rows",
    "breakdown",
]

#: The two templates, named by the year of the notice that set them.
TEMPLATES: Final = ("2019", "2021")


class ValueType(enum.Enum):
    """The type of the value a cell holds (cells.md, "Values")."""

    COUNT = "count"  #: a whole number ≥ 0 → ``int``
    SIGNED = "signed"  #: 本年增/减: a whole number that may be negative → ``int``
    MONEY = "money"  #: an amount in 万元 → ``decimal.Decimal``


@attrs.frozen
class Label:
    """A label as the template prints it, and the other ways reports print it.

    ``prefix`` is the numbering in front of the label (``一、``, ``（一）``,
    ``1.``); reports often drop, split or re-number it, so it is optional
    unless ``prefix_required`` (for labels that would otherwise read as a
    column header, like ``（七）总计``). ``note`` is the parenthesised
    remark the template prints after some labels.
    """

    text: str
    variants: tuple[str, ...] = ()
    prefix: str = ""
    prefix_required: bool = False
    note: str = ""

    @property
    def printed(self) -> str:
        """The label exactly as the template prints it."""
        return f"{self.prefix}{self.text}{self.note}"


# ---------------------------------------------------------------------------
# The six sections
# ---------------------------------------------------------------------------


@attrs.frozen
class SectionDef:
    """A section heading: ``numeral、title``, and reworded titles as regexes.

    ``patterns`` are regular expressions (over folded text, ASCII
    punctuation) for titles that real reports reword; each matches the whole
    title after the numeral.
    """

    key: str
    numeral: str
    digit: str
    title: str
    terminal: str
    patterns: tuple[str, ...] = ()
    narrative: bool = True


SECTIONS: Final = (
    SectionDef("overview", "一", "1", "总体情况", "H_OVERVIEW"),
    SectionDef(
        "active",
        "二",
        "2",
        "主动公开政府信息情况",
        "H_ACTIVE",
        patterns=(r"(?:行政机关)?主动公开政府信息(?:情况)?",),
        narrative=False,
    ),
    SectionDef(
        "requests",
        "三",
        "3",
        "收到和处理政府信息公开申请情况",
        "H_REQUESTS",
        patterns=(r"(?:行政机关)?收到和处理政府信息公开申请(?:情况)?",),
        narrative=False,
    ),
    SectionDef(
        "review",
        "四",
        "4",
        "政府信息公开行政复议、行政诉讼情况",
        "H_REVIEW",
        # 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况 and the like.
        patterns=(r"[^。\n]{0,16}?行政复议[^。\n]{0,8}?行政诉讼[^。\n]{0,4}?",),
        narrative=False,
    ),
    SectionDef(
        "problems",
        "五",
        "5",
        "存在的主要问题及改进情况",
        "H_PROBLEMS",
        # …存在的主要问题及改进措施, …存在的主要问题及下一步工作计划
        patterns=(r"[^。\n]{0,12}?存在的?主要问题[^。\n]{0,14}?",),
    ),
    SectionDef(
        "other_matters",
        "六",
        "6",
        "其他需要报告的事项",
        "H_OTHER",
        # 其他需要报告事项, 其他应说明事项
        patterns=(r"其他[^。\n]{0,6}?事项",),
    ),
)


# ---------------------------------------------------------------------------
# 二、主动公开政府信息情况: the 第二十条 item blocks
# ---------------------------------------------------------------------------

#: The caption of each block is ``第二十条第（item）项``.
CAPTION_ITEMS: Final = ("一", "五", "六", "八", "九")

#: The header cell over the row labels of every block.
INFO_HEADER: Final = Label("信息内容")


@attrs.frozen
class Column:
    """A value column of a 第二十条 block; ``unit`` is what its values count
    (件 documents or decisions, 项 items) or 万元."""

    key: str
    label: Label
    type: ValueType
    terminal: str
    unit: str = "件"


@attrs.frozen
class ActiveRow:
    """A row of a 第二十条 block; ``label`` is the template's wording."""

    key: str
    label: Label


@attrs.frozen
class ActiveBlock:
    """A 第二十条 item block of one template: its rows and value columns."""

    item: str
    rows: tuple[ActiveRow, ...]
    columns: tuple[Column, ...]


def _count(key: str, text: str, terminal: str, *variants: str, unit: str = "件") -> Column:
    return Column(key, Label(text, variants), ValueType.COUNT, terminal, unit)


_ISSUED = _count("issued", "本年制发件数", "COL_ISSUED")
_REPEALED = _count("repealed", "本年废止件数", "COL_REPEALED")
_IN_FORCE = _count("in_force", "现行有效件数", "COL_IN_FORCE")
_DECISIONS_2021 = _count("decisions", "本年处理决定数量", "COL_DECISIONS_2021")
_FEE_AMOUNT = Column(
    "amount",
    # Some reports keep a stray header of the old template in front of it:
    # 上一年项目本年收费金额（单位：万元）.
    Label("本年收费金额（单位：万元）", ("本年收费金额", "上一年项目本年收费金额（单位：万元）")),
    ValueType.MONEY,
    "COL_FEE_AMOUNT",
    "万元",
)
_MADE = _count("made", "本年新制作数量", "COL_MADE")
_PUBLISHED = _count("published", "本年新公开数量", "COL_PUBLISHED")
_TOTAL_2019 = _count("total", "对外公开总数量", "COL_PUBLIC_TOTAL", "对外公开总数")
_PREVIOUS = _count("previous", "上一年项目数量", "COL_PREVIOUS", unit="项")
_CHANGE = Column("change", Label("本年增/减"), ValueType.SIGNED, "COL_CHANGE", "项")
_DECISIONS_2019 = _count("decisions", "处理决定数量", "COL_DECISIONS_2019")
_ITEMS = _count("items", "采购项目数量", "COL_PURCHASE_ITEMS", unit="项")
_PURCHASE_AMOUNT = Column(
    "amount",
    Label("采购总金额", ("采购总金额（单位：万元）",)),
    ValueType.MONEY,
    "COL_PURCHASE_AMOUNT",
    "万元",
)

_REGULATIONS = ActiveRow("regulations", Label("规章"))
_NORMATIVE_2021 = ActiveRow("normative_documents", Label("行政规范性文件", ("规范性文件",)))
_NORMATIVE_2019 = ActiveRow("normative_documents", Label("规范性文件", ("行政规范性文件",)))
_LICENSING = ActiveRow("licensing", Label("行政许可"))
_OTHER_SERVICES = ActiveRow("other_services", Label("其他对外管理服务事项"))
_PENALTY = ActiveRow("penalty", Label("行政处罚"))
_ENFORCEMENT = ActiveRow("enforcement", Label("行政强制"))
_FEES = ActiveRow("fees", Label("行政事业性收费"))
_PROCUREMENT = ActiveRow("procurement", Label("政府集中采购"))

#: The blocks of section 二, per template, in the template's order.
ACTIVE_BLOCKS: Final[dict[str, tuple[ActiveBlock, ...]]] = {
    "2021": (
        ActiveBlock("一", (_REGULATIONS, _NORMATIVE_2021), (_ISSUED, _REPEALED, _IN_FORCE)),
        ActiveBlock("五", (_LICENSING,), (_DECISIONS_2021,)),
        ActiveBlock("六", (_PENALTY, _ENFORCEMENT), (_DECISIONS_2021,)),
        ActiveBlock("八", (_FEES,), (_FEE_AMOUNT,)),
    ),
    "2019": (
        ActiveBlock("一", (_REGULATIONS, _NORMATIVE_2019), (_MADE, _PUBLISHED, _TOTAL_2019)),
        ActiveBlock("五", (_LICENSING, _OTHER_SERVICES), (_PREVIOUS, _CHANGE, _DECISIONS_2019)),
        ActiveBlock("六", (_PENALTY, _ENFORCEMENT), (_PREVIOUS, _CHANGE, _DECISIONS_2019)),
        ActiveBlock("八", (_FEES,), (_PREVIOUS, _CHANGE)),
        ActiveBlock("九", (_PROCUREMENT,), (_ITEMS, _PURCHASE_AMOUNT)),
    ),
}


def _terminal_for_row(key: str) -> str:
    return "AROW_" + key.upper()


def _index_active() -> tuple[
    dict[str, tuple[str, tuple[Label, ...]]], dict[str, tuple[Column, tuple[str, ...]]]
]:
    rows: dict[str, tuple[str, tuple[Label, ...]]] = {}
    columns: dict[str, tuple[Column, tuple[str, ...]]] = {}
    for template, blocks in ACTIVE_BLOCKS.items():
        for block in blocks:
            for row in block.rows:
                terminal, labels = rows.get(row.key, (_terminal_for_row(row.key), ()))
                if row.label not in labels:
                    labels = (*labels, row.label)
                rows[row.key] = (terminal, labels)
            for column in block.columns:
                known, templates = columns.get(column.terminal, (column, ()))
                if template not in templates:
                    templates = (*templates, template)
                columns[column.terminal] = (known, templates)
    return rows, columns


#: Row key → (terminal, every label any template prints for it), and column
#: terminal → (column, templates that have it).
ACTIVE_ROWS, ACTIVE_COLUMNS = _index_active()


# ---------------------------------------------------------------------------
# 三、收到和处理政府信息公开申请情况: the request matrix
# ---------------------------------------------------------------------------

#: The top-left header cell, which states rule A.
REQUEST_NOTE: Final = Label(
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    ("办理情况",),
)
#: The header over the applicant columns.
APPLICANT_HEADER: Final = Label("申请人情况")
#: What the request matrix counts: applications (件).
REQUEST_UNIT: Final = "件"


@attrs.frozen
class RequestColumn:
    key: str
    label: Label
    terminal: str
    parent: str = ""


#: Header words: the seven value columns and the 法人或其他组织 parent header.
REQUEST_COLUMNS: Final = (
    RequestColumn("natural_person", Label("自然人"), "RCOL_NATURAL_PERSON"),
    RequestColumn("commercial", Label("商业企业"), "RCOL_COMMERCIAL", "法人或其他组织"),
    RequestColumn("research", Label("科研机构"), "RCOL_RESEARCH", "法人或其他组织"),
    RequestColumn("social_welfare", Label("社会公益组织"), "RCOL_SOCIAL_WELFARE", "法人或其他组织"),
    RequestColumn(
        "legal_services", Label("法律服务机构", ("法律服务",)), "RCOL_LEGAL_SERVICES", "法人或其他组织"
    ),
    RequestColumn("other_org", Label("其他"), "RCOL_OTHER_ORG", "法人或其他组织"),
    RequestColumn("total", Label("总计", ("合计",)), "WORD_TOTAL"),
)
#: The 法人或其他组织 header, parent of five columns; it has no cells.
ORG_HEADER: Final = Label("法人或其他组织")


@attrs.frozen
class RequestRow:
    """A row of the request matrix, or a group label (``cells=False``).

    ``id`` is the row's id in cells.md (``denied.third_party``); group labels
    have the id of their group (``denied``). ``templates`` lists the templates
    that have the row.
    """

    id: str
    label: Label
    terminal: str
    templates: tuple[str, ...] = TEMPLATES
    result: bool = False  # counted in （七）总计 (rule C)


@attrs.frozen
class RequestGroup:
    id: str
    label: Label
    terminal: str


def _row(
    id: str,
    text: str,
    prefix: str,
    *variants: str,
    templates: tuple[str, ...] = TEMPLATES,
    result: bool = True,
    required: bool = False,
    note: str = "",
) -> RequestRow:
    terminal = "RROW_" + id.upper().replace(".", "_")
    label = Label(text, variants, prefix, required, note)
    return RequestRow(id, label, terminal, templates, result)


#: Every data row of the matrix, in the template's order; a row absent from
#: a template is skipped by :func:`request_rows`.
REQUEST_ROWS: Final = (
    _row("new", "本年新收政府信息公开申请数量", "一、", "本年度新收政府信息公开申请数量", result=False),
    _row(
        "carried_over", "上年结转政府信息公开申请数量", "二、", "上年度结转政府信息公开申请数量", result=False
    ),
    _row("granted", "予以公开", "（一）"),
    _row("partly_granted", "部分公开", "（二）", note="（区分处理的，只计这一情形，不计其他情形）"),
    _row("denied.state_secret", "属于国家秘密", "1."),
    _row(
        "denied.prohibited_by_law",
        "其他法律行政法规禁止公开",
        "2.",
        "其他法律法规规章禁止公开",
        "其他法律和行政法规禁止公开",
    ),
    _row("denied.security_stability", "危及“三安全一稳定”", "3."),
    _row("denied.third_party", "保护第三方合法权益", "4."),
    _row("denied.internal_affairs", "属于三类内部事务信息", "5.", "属于三类内容事务信息"),
    _row("denied.process_info", "属于四类过程性信息", "6."),
    _row("denied.enforcement_file", "属于行政执法案卷", "7."),
    _row("denied.inquiry", "属于行政查询事项", "8."),
    _row("unavailable.not_held", "本机关不掌握相关政府信息", "1."),
    _row("unavailable.needs_creation", "没有现成信息需要另行制作", "2."),
    _row("unavailable.unclear", "补正后申请内容仍不明确", "3."),
    _row("not_processed.complaint", "信访举报投诉类申请", "1."),
    _row("not_processed.repeated", "重复申请", "2."),
    _row("not_processed.publication", "要求提供公开出版物", "3."),
    _row("not_processed.excessive", "无正当理由大量反复申请", "4."),
    _row("not_processed.confirmation", "要求行政机关确认或重新出具已获取信息", "5."),
    # （六）其他处理 is one data row in 2019 and the label of a group of three
    # rows in 2021; one terminal reads both.
    _row("other", "其他处理", "（六）"),
    _row(
        "other.overdue_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1.",
        "申请人无正当理由逾期不补正、行政机关不再受理其政府信息公开申请",
        templates=("2021",),
    ),
    _row(
        "other.unpaid_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2.",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再受理其政府信息公开申请",
        templates=("2021",),
    ),
    _row("other.other", "其他", "3.", templates=("2021",), required=True),
    _row("total", "总计", "（七）", "合计", result=False, required=True),
    _row("carried_forward", "结转下年度继续办理", "四、", result=False),
)

#: Group labels of the matrix: merged row headers that carry no values.
REQUEST_GROUPS: Final = (
    RequestGroup("results", Label("本年度办理结果", (), "三、"), "RGROUP_RESULTS"),
    RequestGroup("denied", Label("不予公开", (), "（三）"), "RGROUP_DENIED"),
    RequestGroup("unavailable", Label("无法提供", (), "（四）"), "RGROUP_UNAVAILABLE"),
    RequestGroup("not_processed", Label("不予处理", (), "（五）"), "RGROUP_NOT_PROCESSED"),
)


def request_rows(template: str) -> tuple[RequestRow, ...]:
    """The data rows of the matrix in ``template``, in order."""
    rows = tuple(row for row in REQUEST_ROWS if template in row.templates)
    if template == "2021":
        # （六）其他处理 is a group label there, not a data row.
        rows = tuple(row for row in rows if row.id != "other")
    return rows


# ---------------------------------------------------------------------------
# 四、政府信息公开行政复议、行政诉讼情况
# ---------------------------------------------------------------------------

#: (group key, header label), in the order of the data row.
REVIEW_GROUPS: Final = (
    ("reconsideration", Label("行政复议")),
    ("litigation_direct", Label("未经复议直接起诉")),
    ("litigation_after_reconsideration", Label("复议后起诉")),
)
#: (outcome key, header label), in order within each group.
REVIEW_OUTCOMES: Final = (
    ("upheld", Label("结果维持")),
    ("corrected", Label("结果纠正")),
    ("other", Label("其他结果")),
    ("pending", Label("尚未审结")),
    ("total", Label("总计", ("合计",))),
)
#: What the review table counts: cases (件).
REVIEW_UNIT: Final = "件"
#: Every header word of the review table: terminal → label.
REVIEW_HEADER: Final = {
    "WORD_RECONSIDERATION": Label("行政复议"),
    "WORD_LITIGATION": Label("行政诉讼"),
    "WORD_DIRECT": Label("未经复议直接起诉"),
    "WORD_AFTER_RECONSIDERATION": Label("复议后起诉"),
    "WORD_UPHELD": Label("结果维持"),
    "WORD_CORRECTED": Label("结果纠正"),
    "WORD_OTHER_RESULT": Label("其他结果"),
    "WORD_PENDING": Label("尚未审结"),
    "WORD_TOTAL": Label("总计", ("合计",)),
}


# ---------------------------------------------------------------------------
# Page chrome
# ---------------------------------------------------------------------------

#: Lines a web page puts around a report (site tools, view switches) that
#: crawler text keeps; they are not part of the report's narrative.
PAGE_CHROME: Final = frozenset(
    {
        "电脑版",
        "手机版",
        "翻译",
        "搜索",
        "复制",
        "打印",
        "关闭",
        "打印本页",
        "关闭窗口",
        "返回顶部",
        "分享到",
        "【打印】",
        "【关闭】",
        "【打印本页】",
        "【关闭窗口】",
        "字号",
        "大",
        "中",
        "小",
    }
)


# ---------------------------------------------------------------------------
# Cell ids (cells.md) and their value types
# ---------------------------------------------------------------------------


@attrs.frozen
class CodebookEntry:
    """What a cell id is, in the template's words: a row of
    :func:`govreport.codebook`.

    ``row_label`` and ``column_label`` are the template's labels (numbering
    kept, notes left out), the headers above a cell joined by `` · `` as
    cells.md writes them (``（三）不予公开 · 1.属于国家秘密``, ``法人或其他组织 ·
    商业企业``); the review table has one unlabelled data row, so its
    ``row_label`` is empty. A cell id both templates have is described as
    the newest one prints it (2019 heads the ``decisions`` column
    处理决定数量, 2021 本年处理决定数量)."""

    id: str
    #: the templates that have this cell, oldest first
    templates: tuple[str, ...]
    #: the section's numeral: 二, 三 or 四
    section: str
    row_label: str
    column_label: str
    type: ValueType
    #: 件, 项 or 万元
    unit: str


def _numbered(label: Label) -> str:
    return f"{label.prefix}{label.text}"


def _request_row_label(row: RequestRow) -> str:
    parent, _, child = row.id.partition(".")
    if not child:
        return _numbered(row.label)
    groups = {group.id: group.label for group in REQUEST_GROUPS}
    groups.update({r.id: r.label for r in REQUEST_ROWS if r.id == parent})
    return f"{_numbered(groups[parent])} · {_numbered(row.label)}"


def _review_column_label(group: str, group_label: Label, outcome_label: Label) -> str:
    header: tuple[str, ...] = (group_label.text, outcome_label.text)
    if group.startswith("litigation"):
        header = (REVIEW_HEADER["WORD_LITIGATION"].text, *header)
    return " · ".join(header)


def _iter_cells(template: str) -> Iterator[CodebookEntry]:
    section = {s.key: s.numeral for s in SECTIONS}
    templates = (template,)
    for block in ACTIVE_BLOCKS[template]:
        for row in block.rows:
            for column in block.columns:
                yield CodebookEntry(
                    f"active.{row.key}.{column.key}",
                    templates,
                    section["active"],
                    row.label.text,
                    column.label.text,
                    column.type,
                    column.unit,
                )
    for request_row in request_rows(template):
        for request_column in REQUEST_COLUMNS:
            parent = f"{request_column.parent} · " if request_column.parent else ""
            yield CodebookEntry(
                f"requests.{request_row.id}.{request_column.key}",
                templates,
                section["requests"],
                _request_row_label(request_row),
                parent + request_column.label.text,
                ValueType.COUNT,
                REQUEST_UNIT,
            )
    for group, group_label in REVIEW_GROUPS:
        for outcome, outcome_label in REVIEW_OUTCOMES:
            yield CodebookEntry(
                f"review.{group}.{outcome}",
                templates,
                section["review"],
                "",
                _review_column_label(group, group_label, outcome_label),
                ValueType.COUNT,
                REVIEW_UNIT,
            )


_ENTRIES: Final = {template: tuple(_iter_cells(template)) for template in TEMPLATES}
_CELLS: Final = {
    template: tuple((entry.id, entry.type) for entry in entries) for template, entries in _ENTRIES.items()
}


def codebook_entries() -> tuple[CodebookEntry, ...]:
    """Every cell id of both templates, described: the 2021 template's ids in
    cells.md order, then the ids only the 2019 template has (the order of
    the wide exports' columns)."""
    newest: dict[str, CodebookEntry] = {}
    templates: dict[str, tuple[str, ...]] = {}
    for template in TEMPLATES:
        for entry in _ENTRIES[template]:
            newest[entry.id] = entry
            templates[entry.id] = (*templates.get(entry.id, ()), template)
    order = dict.fromkeys(entry.id for template in ("2021", "2019") for entry in _ENTRIES[template])
    return tuple(attrs.evolve(newest[i], templates=templates[i]) for i in order)


def _cells(template: str) -> tuple[tuple[str, ValueType], ...]:
    try:
        return _CELLS[template]
    except (KeyError, TypeError):  # TypeError: an unhashable argument
        valid = " and ".join(map(repr, TEMPLATES))
        raise UnknownNameError.build(
            template, f"not a template: the templates are {valid}", TEMPLATES
        ) from None


def cell_ids(template: str) -> tuple[str, ...]:
    """Every cell id of ``template`` (``"2019"`` or ``"2021"``), in the
    order of cells.md. Raises :class:`~govreport.errors.UnknownNameError`
    (a ``KeyError``) for another template."""
    return tuple(cell_id for cell_id, _ in _cells(template))


def cell_types(template: str) -> dict[str, ValueType]:
    """Cell id → value type, for ``template`` (as :func:`cell_ids`)."""
    return dict(_cells(template))


def breakdown(cell_id: str) -> bool:
    """Whether ``cell_id`` is a breakdown cell, the only cells real reports
    leave blank: a request row's five legal-person columns and a review
    group's outcomes. A request row's 自然人, every total and the 第二十条
    cells are printed whenever their row prints anything."""
    if cell_id.startswith("requests."):
        return not cell_id.endswith((".natural_person", ".total"))
    return cell_id.startswith("review.") and not cell_id.endswith(".total")
