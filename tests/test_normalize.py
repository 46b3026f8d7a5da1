"""Normalization keeps the length of the text, so every offset into the
normalized text is an offset into the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govreport.normalize import LineIndex, normalize


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
