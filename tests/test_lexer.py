"""The dispatching lexer (govreport/lexer.py) gives exactly the tokens of
Lark's own contextual lexer: the same types, values and positions, and the
same errors at the same places, on every real report and on drawn texts."""

from __future__ import annotations

import functools
import random
from typing import Any

import attrs
import lark
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lark.exceptions import UnexpectedInput

import govreport
from govreport import grammar, vocabulary
from govreport.lexer import DispatchContextualLexer, first_set, supported
from govreport.normalize import normalize
from govreport.segment import segment
from govreport.testing import options, reports

from .conftest import REAL, SEEDS, read

CORPUS = sorted(SEEDS.glob("*.txt")) + sorted(REAL.glob("*.txt"))


@functools.cache
def _stock() -> lark.Lark:
    """The same grammar with Lark's own contextual lexer."""
    return grammar.build_parser(dispatch=False)


def _tokens(node: Any) -> list[tuple[str, str, int]]:
    if isinstance(node, lark.Token):
        return [(node.type, str(node), node.start_pos)]
    if isinstance(node, (list, tuple)):
        return [t for child in node for t in _tokens(child)]
    if attrs.has(type(node)):
        return [t for field in attrs.fields(type(node)) for t in _tokens(getattr(node, field.name))]
    return []


def _outcome(parser: lark.Lark, text: str) -> tuple[object, ...]:
    try:
        return ("parsed", _tokens(parser.parse(text)))
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        where = token.start_pos if token is not None else getattr(error, "pos_in_stream", None)
        return (type(error).__name__, where, str(token) if token is not None else None)


def _same(text: str, parser: lark.Lark | None = None) -> None:
    """The parser's tokens and errors for ``text`` (as parse() gives it to
    Lark: normalized, and cut back into lines if it was flattened) are Lark's."""
    normalized = normalize(text)
    cut = segment(normalized, text)
    if cut is not None:
        normalized = cut.text
    assert _outcome(parser or grammar.parser(), normalized) == _outcome(_stock(), normalized)


def test_the_parser_uses_the_dispatching_lexer() -> None:
    assert supported(), f"the dispatching lexer is not tested with Lark {lark.__version__}"
    assert isinstance(grammar.parser().parser.lexer, DispatchContextualLexer)
    assert not isinstance(_stock().parser.lexer, DispatchContextualLexer)


def test_other_lark_releases_get_larks_own_lexer() -> None:
    assert supported("1.3.1") and supported("1.3.0")
    assert not supported("1.4.0") and not supported("2.0") and not supported("1.2.2")
    assert not supported("unknown")


def test_first_sets() -> None:
    line = first_set(r"(?<![^\n])[ \t|]*[^\s|][^\n]*")
    assert line is not None and line.line_start and line.lead == frozenset(" \t|")
    assert [c for c in "a本0\t\n |-" if line.may_start(c)] == ["a", "本", "0", "-"]
    value = first_set(r"(?:(?:[+-]|增|减)\s?)?\d+")
    assert value is not None and not value.line_start and not value.lead
    assert [c for c in "增减+-0٣a \n." if value.may_start(c)] == ["增", "减", "+", "-", "0", "٣"]
    # [ \t]* followed by what may itself start with a space: no lead run.
    title = first_set(r"[ \t]*(?:x)?[^\n]")
    assert title is not None and not title.lead
    assert [c for c in " \tx\n" if title.may_start(c)] == [" ", "\t", "x"]
    # What can be empty, or starts with any character, is always a candidate.
    assert first_set(r"a*") is None
    assert first_set(r".b") is None
    assert first_set(r"(?i:a)b") is None


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_every_real_report_lexes_alike(path: Any) -> None:
    _same(read(path))


@pytest.mark.parametrize("path", CORPUS[:12], ids=lambda p: p.name[:3])
def test_damaged_real_reports_lex_alike(path: Any) -> None:
    text = read(path)
    rng = random.Random(path.name)
    for _ in range(20):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randrange(1, 40))
        insert = rng.choice(["", "\t", " ", "\n", "|", "0", "—", "(一)", "三、"])
        _same(text[:start] + insert + text[end:])


_LABELS = sorted(
    {
        *(r.label.printed for r in vocabulary.REQUEST_ROWS),
        *(c.label.text for c in vocabulary.REQUEST_COLUMNS),
        *(label.text for label in vocabulary.REVIEW_HEADER.values()),
        *(label.text for _, labels in vocabulary.ACTIVE_ROWS.values() for label in labels),
        *(f"{s.numeral}、{s.title}" for s in vocabulary.SECTIONS),
        "第二十条第(一)项",
        "信息内容",
        "政府信息公开工作年度报告",
    }
)
_PIECES = st.one_of(
    st.sampled_from(_LABELS),
    st.sampled_from([" ", "  ", "\t", "\t\t", "\n", "\n\n", " \n", "|", " | ", "|---|", "— 3 —"]),
    st.sampled_from(["0", "12", "-", "/", "—", "无", "3.5万元", "增 7", "1.", "(二)", "一、", "(一)"]),
    st.text(alphabet="0123456789 \t\n|-—/.()、,:一二三四五六七八九十本年合计总其他予以公开", max_size=12),
)


@given(st.lists(_PIECES, max_size=60).map("".join))
@example("\t\n\t")
@example(" \t| 三、本年度办理结果\n")
def test_drawn_texts_lex_alike(text: str) -> None:
    _same(text)


@given(reports(consistent=None, blanks=True), st.sampled_from(govreport.LAYOUTS), options())
def test_rendered_reports_lex_alike(report: govreport.Report, layout: str, noise: dict) -> None:
    _same(govreport.render(report, layout, **noise))


def test_the_lexer_reads_alike_when_its_caches_start_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    import govreport.lexer

    monkeypatch.setattr(govreport.lexer, "_CACHED_KEYS", 2)
    fresh = grammar.build_parser()
    for path in CORPUS[:3]:
        _same(read(path), fresh)
    scanners = [lexer._scanner for lexer in fresh.parser.lexer.lexers.values() if lexer._scanner]
    assert scanners and all(len(s._by_key) <= 3 for s in scanners)
