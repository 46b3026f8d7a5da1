"""The grammar: LALR with the contextual lexer, no conflicts and no regex
collisions (strict mode, with interegular), and the labels it is built from."""

from __future__ import annotations

import re

import lark
import pytest

from govreport import grammar, vocabulary
from govreport.grammar import TERMINAL_KIND, compact


def test_grammar_builds_in_strict_mode() -> None:
    pytest.importorskip("interegular")
    parser = grammar.parser(strict=True)
    assert isinstance(parser, lark.Lark)
    assert parser.options.parser == "lalr"
    assert parser.options.lexer == "contextual"


def test_parser_is_built_once() -> None:
    assert grammar.parser() is grammar.parser()


def test_every_label_terminal_matches_its_label() -> None:
    patterns = {name: re.compile(regex) for name, _, regex in grammar._terminals_cache()}
    checked = 0
    for row in vocabulary.REQUEST_ROWS:
        assert patterns[row.terminal].fullmatch(compact(row.label.printed)), row.id
        for variant in row.label.variants:
            assert patterns[row.terminal].fullmatch(compact(row.label.prefix + variant)), variant
        checked += 1
    for key, (terminal, labels) in vocabulary.ACTIVE_ROWS.items():
        for label in labels:
            assert patterns[terminal].fullmatch(label.text), key
    for section in vocabulary.SECTIONS:
        heading = f"{section.numeral}、{section.title}"
        assert patterns[section.terminal].fullmatch(heading), heading
        assert patterns[section.terminal].fullmatch(f"{section.digit}、 {section.title}"), heading
    assert checked == len(vocabulary.REQUEST_ROWS)


@pytest.mark.parametrize(
    ("terminal", "text"),
    [
        ("RGROUP_RESULTS", "三、本\n\n年度办\n\n理结果"),
        ("RROW_DENIED_PROCESS_INFO", "6.属于四类过 程性信息"),
        ("RROW_DENIED_SECURITY_STABILITY", "3.危及\n“\n三安全一稳定\n”"),
        ("RROW_PARTLY_GRANTED", "(二) 部分公开(区分处理的, 只计这一情况, 不计其他情形)"),
        ("WORD_UPHELD", "结 果 维 持"),
        ("H_REVIEW", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
        ("H_PROBLEMS", "五、政府信息公开工作存在的主要问题及改进措施"),
        ("H_OTHER", "六、其他需要报告事项"),
    ],
)
def test_labels_tolerate_layout_noise(terminal: str, text: str) -> None:
    patterns = {name: re.compile(regex) for name, _, regex in grammar._terminals_cache()}
    assert patterns[terminal].fullmatch(text)


def test_numbering_is_required_where_the_label_alone_is_a_header() -> None:
    patterns = {name: re.compile(regex) for name, _, regex in grammar._terminals_cache()}
    assert not patterns["RROW_TOTAL"].fullmatch("总计")
    assert not patterns["RROW_OTHER_OTHER"].fullmatch("其他")


def test_every_generated_terminal_has_a_kind() -> None:
    for name, _, _ in grammar._terminals_cache():
        assert name in TERMINAL_KIND
