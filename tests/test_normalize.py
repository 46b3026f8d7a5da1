"""Normalization keeps the length of the text, so every offset into the
normalized text is an offset into the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govreport.normalize import LineIndex, normalize
from govreport.repair import repair


@given(st.text())
def test_length_is_kept(text: str) -> None:
    assert len(normalize(text)) == len(text)


@given(st.text())
def test_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_folds_full_width_forms_and_spaces() -> None:
    assert normalize("（一）０１２：，") == "(一)012:,"
    assert normalize("a\u3000b\u00a0c\u200bd\ufeff") == "a b c d "
    assert normalize("a\r\nb\fc") == "a \nb\nc"
    assert normalize("⼀") == "一"  # a Kangxi radical from PDF extraction
    assert normalize("x[bookmark: _GoBack]y") == "x" + " " * len("[bookmark: _GoBack]") + "y"
    assert normalize("“三安全一稳定”") == "“三安全一稳定”"


def test_line_index() -> None:
    index = LineIndex("ab\ncd\n\nef")
    assert index.position(0) == (1, 1)
    assert index.position(4) == (2, 2)
    assert index.position(7) == (4, 1)
    assert index.line_count() == 4


# The repairs of stage 1b (govreport/repair.py) keep the length and the
# lines too (but where <br> tags or escaped line breaks were the text's line
# breaks), and change only markup and white space.

_MARKUP = st.lists(
    st.sampled_from([*"#*_ \t\n|一、二规章0123", "<br>", "<BR/>", "\\n", "&nbsp;"]), max_size=100
).map("".join)


@given(st.one_of(st.text(), _MARKUP))
def test_repair_keeps_length_and_lines(text: str) -> None:
    normalized = normalize(text)
    repaired = repair(normalized)
    assert len(repaired) == len(normalized)
    breaks = {i for i, c in enumerate(repaired) if c == "\n"}
    assert breaks >= {i for i, c in enumerate(normalized) if c == "\n"}
    for i in breaks:  # a new one ends a <br> tag or an escaped \n
        assert normalized[i] == "\n" or normalized[i] in ">nr", (i, normalized)
    for before, after in zip(normalized, repaired, strict=True):
        assert before == after or (before in "#*_ <>/brBR\\nrt&nbsp;" and after in " \t\n"), (before, after)


def test_repair_strips_markdown_markers() -> None:
    assert repair("## 二、主动公开政府信息情况\n") == "   二、主动公开政府信息情况\n"
    assert repair("**一、总体情况**") == "  一、总体情况  "
    assert repair("### **第二十条第(一)项**") == "      第二十条第(一)项  "
    # not a heading: no space after the marks, or mid-line
    assert repair("#1 号\n规章 # 0") == "#1 号\n规章 # 0"
    assert repair("|（四）无法<br>提供|0|") == "|（四）无法    提供|0|"
    # <br> tags as the text's only line breaks are line breaks (a page's source)
    page = "一、总体情况<br>" * 11 + "二、主动公开<br/>"
    assert repair(page) == "一、总体情况   \n" * 11 + "二、主动公开    \n"


def test_repair_puts_back_tabs_expanded_to_spaces() -> None:
    cells = "".join(f"    规章\n    {n}\n    \n    3\n\n" for n in range(10))
    repaired = repair("一、总体情况\n" + cells)
    assert repaired.startswith("一、总体情况\n\t   规章\n\t   0\n\t   \n\t   3\n\n")
    # indented prose with no blank cell line is left alone
    prose = "一、总体情况\n" + "    本年度工作概况。\n" * 30
    assert repair(prose) == prose
