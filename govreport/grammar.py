"""Stage 2: the Lark grammar, and the label terminals generated from the vocabulary.

``grammars/report.lark`` holds the report's structure; the terminals for the
template's labels are generated here from :mod:`govreport.vocabulary`, so
that no label is spelled twice. Every label terminal is *layout tolerant*:

- white space (including newlines) may separate any two characters, so
  letter-spaced (``结 果 维 持``), wrapped (``三、本`` / ``年度办`` /
  ``理结果``) and crawler-split labels match;
- punctuation inside a label is optional and matches its variants
  (``，``/``、``, curly/straight quotes), since extraction drops and swaps it;
- the numbering in front (``一、``, ``（一）``, ``1.``) is optional unless the
  vocabulary says it is required, and a parenthesised remark after a row
  label (``（区分处理的，只计这一情形，不计其他情形）``, ``(不公开)``) is
  accepted and kept in the printed label.

Terminal priorities (higher wins where two could match at one position):

==  =====================================================================
 7  section headings (H_*): a heading line outranks everything;
    PAGE_FOOTER (in grammar file): a footer line is not cells
 6  TITLE; VALUE (in grammar file), tried early for speed: no label starts
    with a number followed by white space
 5  item captions, the request note, row and group labels: outrank header
    words, so ``3.其他`` is a row and ``（七）总计`` is not the column 总计
 4  header words (ACOL_*, RCOL_*, WORD_*), H_LEAD: outrank SUBHEADING/LINE
 3  SUBHEADING, MD_RULE (in grammar file)
 2  NULL, BLANK (in grammar file): outrank TEXT and WS
 1  LINE (in grammar file)
 0  TEXT, WS, PIPE
==  =====================================================================

The parser is built once per process (:func:`parser`) and holds no state
between parses.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

import lark
import lark.lexer

from . import vocabulary as voc
from .normalize import normalize

__all__ = [
    "parser",
    "grammar_text",
    "label_regex",
    "compact",
    "TERMINAL_KIND",
    "inline_labels",
    "inline_headings",
    "structural_marks",
]

_PUNCT_CLASSES: Final = {
    ",": "[,、;]",
    "、": "[,、;.]",
    ";": "[,、;]",
    ":": ":",
    ".": "[.、]",
    "(": r"\(",
    ")": r"\)",
    "/": "/",
    "“": "[\"“”']",
    "”": "[\"“”']",
    '"': "[\"“”']",
}

# Between two characters of a label: white space, or the pipes of a markdown
# table whose converter cut the label across two cells (信息公|开申请数量).
_SEP: Final = r"[\s|]*"
# A parenthesised remark after a label, but not a following (一)/(2) numbering.
_REMARK: Final = r"(?:\s*\((?![一二三四五六七八九十\d]{1,2}\))[^()]{1,60}\))?"
# A row label ends at white space, a pipe or the end of the text.
_BOUNDARY: Final = r"(?=[\s|]|$)"
# Cell separators a label may carry in front of it (merged empty cells).
_LEAD_IN: Final = r"[ \t|]*"
# The start and end of a line.
_LINE_START: Final = r"(?<![^\n])"
_LINE_END: Final = r"(?![^\n])"


def _literal(text: str) -> str:
    """A pattern matching ``text`` with white space between any characters."""
    parts = []
    for char in normalize(text):
        if char.isspace():
            continue
        if char in _PUNCT_CLASSES:
            parts.append(_PUNCT_CLASSES[char] + "?")
        else:
            parts.append(re.escape(char))
    return _SEP.join(parts)


def _spaced(pattern: str) -> str:
    """Allow white space after every CJK character of a regex (outside [])."""
    out = []
    depth = 0
    escaped = False
    for index, char in enumerate(pattern):
        out.append(char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        elif depth == 0 and "\u4e00" <= char <= "\u9fff":
            if pattern[index + 1 : index + 2] == "?":
                continue  # 的?: the white space goes after the quantifier
            out.append(_SEP)
        elif char == "?" and depth == 0 and index and "\u4e00" <= pattern[index - 1] <= "\u9fff":
            out.append(_SEP)
    return "".join(out)


def _prefix(prefix: str) -> str:
    """A pattern for label numbering: 一、 / （一） / 1."""
    folded = normalize(prefix).strip()
    if not folded:
        return ""
    if folded.startswith("(") and folded.endswith(")"):
        return rf"\(\s*{re.escape(folded[1:-1])}\s*\)\s*"
    return rf"{re.escape(folded[:-1])}\s*[、.,]\s*"


def label_regex(label: voc.Label, *, remark: bool = False, boundary: bool = False) -> str:
    """The regex of a label terminal (see the module docstring)."""
    bodies = [_literal(text) for text in (label.text, *label.variants)]
    body = bodies[0] if len(bodies) == 1 else "(?:" + "|".join(bodies) + ")"
    prefix = _prefix(label.prefix)
    if prefix and not label.prefix_required:
        prefix = f"(?:{prefix})?"
    note = _REMARK if remark or label.note else ""
    end = _BOUNDARY if boundary else ""
    return f"{_LEAD_IN}{prefix}{body}{note}{end}"


def _heading_regex(section: voc.SectionDef) -> str:
    titles = [_literal(section.title), *(_spaced(p) for p in section.patterns)]
    title = "(?:" + "|".join(titles) + ")"
    number = f"(?:{section.numeral}|{section.digit})"
    return rf"{_LINE_START}[ \t|]*{number}\s*[、.,:]\s*{title}[ \t:.。|]*{_LINE_END}"


_CAPTION: Final = _LEAD_IN + _SEP.join("第二十条") + r"\s*第?\s*\(?\s*[一二三四五六七八九十]\s*\)?\s*项"
_NOTE: Final = (
    _LEAD_IN
    + r"(?:\(?\s*"
    + _SEP.join("本列数据")
    + r"[^()]{0,80}?\)|"
    + _SEP.join("办理情况")
    + _BOUNDARY
    + ")"
)
_LEAD_HEADING: Final = rf"{_LINE_START}[ \t]*一\s*、\s*[^\n。]{{2,30}}?[ \t:]*{_LINE_END}"

#: Terminal name → what it is: ("heading", section key), ("active_row", row
#: key), ("active_column", column terminal), ("request_row", row id),
#: ("request_group", group id), ("request_column", column key or ""),
#: ("review_word", terminal), or ("caption"/"note"/"lead", "").
TERMINAL_KIND: Final[dict[str, tuple[str, str]]] = {}


def _terminals() -> list[tuple[str, int, str]]:
    """(name, priority, regex) of every generated terminal."""
    out: list[tuple[str, int, str]] = []

    def add(name: str, priority: int, regex: str, kind: str, key: str) -> None:
        out.append((name, priority, regex))
        TERMINAL_KIND[name] = (kind, key)

    for section in voc.SECTIONS:
        add(section.terminal, 7, _heading_regex(section), "heading", section.key)
    add("H_LEAD", 4, _LEAD_HEADING, "lead", "")
    add("CAPTION", 5, _CAPTION, "caption", "")
    add("ACOL_INFO", 4, label_regex(voc.INFO_HEADER), "active_column", "")
    for terminal, (column, _) in voc.ACTIVE_COLUMNS.items():
        # Column headers may carry a remark too: 采购总金额(单位:万元),
        # 现行有效件数(历史累计).
        add(terminal, 4, label_regex(column.label, remark=True), "active_column", terminal)
    for key, (terminal, labels) in voc.ACTIVE_ROWS.items():
        merged = voc.Label(labels[0].text, tuple(_all_texts(labels))[1:])
        add(terminal, 5, label_regex(merged, remark=True, boundary=True), "active_row", key)
    add("RNOTE", 5, _NOTE, "note", "")
    add("RCOL_APPLICANT", 4, label_regex(voc.APPLICANT_HEADER), "request_column", "")
    add("RCOL_ORG", 4, label_regex(voc.ORG_HEADER), "request_column", "")
    for request_column in voc.REQUEST_COLUMNS:
        add(
            request_column.terminal,
            4,
            label_regex(request_column.label),
            "request_column",
            request_column.key,
        )
    for request_row in voc.REQUEST_ROWS:
        add(
            request_row.terminal,
            5,
            label_regex(request_row.label, remark=True, boundary=True),
            "request_row",
            request_row.id,
        )
    for group in voc.REQUEST_GROUPS:
        add(
            group.terminal, 5, label_regex(group.label, remark=True, boundary=True), "request_group", group.id
        )
    # The first header row of section 四, 行政复议 then 行政诉讼: priority 5, over
    # the words alone (the contextual lexer never offers both, but strict
    # mode checks every pair).
    head = voc.REVIEW_HEADER
    add(
        "WORD_REVIEW_HEAD",
        5,
        label_regex(head["WORD_RECONSIDERATION"]) + r"[\s|]*" + _literal(head["WORD_LITIGATION"].text),
        "review_word",
        "WORD_REVIEW_HEAD",
    )
    for terminal, label in voc.REVIEW_HEADER.items():
        if terminal not in TERMINAL_KIND:  # WORD_TOTAL is shared with the matrix
            add(terminal, 4, label_regex(label), "review_word", terminal)
    return out


def _all_texts(labels: Iterable[voc.Label]) -> list[str]:
    texts: list[str] = []
    for label in labels:
        for text in (label.text, *label.variants):
            if text not in texts:
                texts.append(text)
    return texts


def _rules() -> str:
    def alternatives(names: Iterable[str]) -> str:
        return " | ".join(names)

    request_words = [c.terminal for c in voc.REQUEST_COLUMNS]
    lines = [
        f"_active_header: {alternatives(['ACOL_INFO', *voc.ACTIVE_COLUMNS])}",
        f"_active_label: {alternatives(t for t, _ in voc.ACTIVE_ROWS.values())}",
        "_request_lead: RNOTE | RCOL_APPLICANT",
        "_request_first: RROW_NEW | RROW_CARRIED_OVER | RGROUP_RESULTS",
        f"_request_header: {alternatives(['RNOTE', 'RCOL_APPLICANT', 'RCOL_ORG', *request_words])}",
        "_request_label: "
        + alternatives([*(r.terminal for r in voc.REQUEST_ROWS), *(g.terminal for g in voc.REQUEST_GROUPS)]),
        f"_review_header: {alternatives(voc.REVIEW_HEADER)}",
        # 总计 also ends the matrix's header, so it cannot start this table.
        f"_review_start: {alternatives(t for t in voc.REVIEW_HEADER if t != 'WORD_TOTAL')}",
    ]
    return "\n".join(lines)


def _lark_regex(regex: str) -> str:
    return "/" + regex.replace("/", r"\/") + "/"


def _grammar_file() -> str:
    packaged = importlib.resources.files("govreport") / "grammars" / "report.lark"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # A source checkout: grammars/ sits beside the package.
    source = Path(__file__).resolve().parent.parent / "grammars" / "report.lark"
    return source.read_text(encoding="utf-8")


@functools.cache
def grammar_text() -> str:
    """The complete grammar: report.lark plus the generated label terminals."""
    generated = "\n".join(
        f"{name}.{priority}: {_lark_regex(regex)}" for name, priority, regex in _terminals_cache()
    )
    return (
        _grammar_file()
        + "\n// ---- generated from govreport/vocabulary.py by govreport/grammar.py ----\n"
        + _rules()
        + "\n"
        + generated
        + "\n"
    )


@functools.cache
def parser(*, strict: bool = False) -> lark.Lark:
    """The report parser, built once per process (LALR, contextual lexer);
    ``parser().parse(text)`` returns the :class:`~govreport.transform.Document`.

    ``strict=True`` is the test suite's build: Lark then checks every pair of
    terminals for regex collisions (with interegular) and every rule for
    conflicts, and raises on any. The parser users get skips the collision
    check, which takes most of a second when interegular is installed and
    finds nothing the strict build has not already ruled out.
    """
    from .lexer import supported

    return build_parser(strict=strict, dispatch=supported())


def build_parser(*, strict: bool = False, dispatch: bool = True) -> lark.Lark:
    """A new parser (see :func:`parser`). ``dispatch`` plugs in
    :mod:`govreport.lexer`, which builds on Lark's lexer classes; without it
    Lark's own contextual lexer reads the same tokens, more slowly."""
    from .lexer import DispatchContextualLexer
    from .transform import ToParts  # transform reads this module's TERMINAL_KIND

    plugins = {"ContextualLexer": DispatchContextualLexer} if dispatch else {}
    with _collision_check(strict):
        return lark.Lark(
            grammar_text(),
            start="report",
            parser="lalr",
            lexer="contextual",
            strict=strict,
            maybe_placeholders=False,
            # Run the stateless transformer inside the parser: no tree is built.
            transformer=ToParts(),
            # Each position matched against the terminals that can start there.
            _plugins=plugins,
        )


@contextlib.contextmanager
def _collision_check(enabled: bool) -> Iterator[None]:
    saved = getattr(lark.lexer, "has_interegular", None)
    if not enabled and saved is not None:
        lark.lexer.has_interegular = False
    try:
        yield
    finally:
        if saved is not None:
            lark.lexer.has_interegular = saved


_COMPACT: Final = re.compile(r"[\s|]+")


@functools.lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """A printed label with its white space removed, for comparing labels."""
    return _COMPACT.sub("", normalize(text))


@functools.cache
def label_patterns(kinds: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(terminal, compiled regex) of the label terminals of the given kinds,
    for matching text the lexer did not see as one label."""
    return tuple(
        (name, re.compile(regex)) for name, _, regex in _terminals_cache() if TERMINAL_KIND[name][0] in kinds
    )


@functools.cache
def _terminals_cache() -> tuple[tuple[str, int, str], ...]:
    return tuple(_terminals())


# ---------------------------------------------------------------------------
# Labels inside a line (govreport/segment.py)
# ---------------------------------------------------------------------------

#: A reworded heading's free text, inside a line: it cannot run over a
#: number, a clause's punctuation or a bracket (the text after a heading in a
#: flattened line starts with one of them far more often than not).
_INLINE_FREE: Final = r"[^。\n\d,;:()]"


@functools.cache
def inline_labels() -> tuple[tuple[str, int, str], ...]:
    """(terminal, priority, regex) of every table label (captions, header
    words, row and group labels, the request note), for finding labels
    inside a line: the terminals' own regexes without the cell separators a
    label may carry in front (``[ \\t|]*``) or the white space a row label
    must end at."""
    out = []
    for name, priority, regex in _terminals_cache():
        if TERMINAL_KIND[name][0] in ("heading", "lead"):
            continue
        assert regex.startswith(_LEAD_IN), name
        out.append((name, priority, regex[len(_LEAD_IN) :].removesuffix(_BOUNDARY)))
    return tuple(out)


@functools.cache
def inline_headings() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per section, in order: its key and the regexes of its heading inside
    a line (``二、主动公开政府信息情况`` with what follows it on the line),
    the template's wording first. Numbered with the section's numeral, or
    its digit (Word numbering, ``2、``) when no digit or point comes just
    before it (inside a flattened line, digits are cells)."""
    out = []
    for section in voc.SECTIONS:
        number = rf"(?:{section.numeral}|(?<![\d.]){section.digit})\s*[、.,:]\s*"
        titles = [_literal(section.title)]
        titles += [_spaced(p).replace(r"[^。\n]", _INLINE_FREE) for p in section.patterns]
        out.append((section.key, tuple(number + title for title in titles)))
    return tuple(out)


@functools.cache
def structural_marks() -> str:
    """A regex of the marks only a report's structure prints (a caption, the
    request note, the first and last rows of the matrix, the review table's
    header, a section heading as the template words it), for telling a
    flattened line. Each alternative starts with a literal character (no
    numbering in front), so the regex engine skips other positions fast."""
    rows = {row.id: row.label for row in voc.REQUEST_ROWS}
    outcomes = voc.REVIEW_OUTCOMES
    head = voc.REVIEW_HEADER
    marks = [
        _CAPTION.removeprefix(_LEAD_IN),
        _literal("本列数据"),
        *(_literal(text) for text in (rows["new"].text, *rows["new"].variants)),
        _literal(rows["carried_forward"].text),
        _literal(head["WORD_RECONSIDERATION"].text) + r"[\s|]*" + _literal(head["WORD_LITIGATION"].text),
        # the review header's words run together
        re.escape(outcomes[0][1].text + outcomes[1][1].text),
        *(rf"{section.numeral}\s*[、.,:]\s*{_literal(section.title)}" for section in voc.SECTIONS),
    ]
    return "|".join(marks)


_terminals_cache()  # fills TERMINAL_KIND at import
