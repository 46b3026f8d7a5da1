"""The public entry point: :func:`parse`.

text → normalize → repair → Lark parse tree → parts → report model → checks.
See ``docs/architecture.md`` for the stages.
"""

from __future__ import annotations

import re
from typing import Final

import attrs
import lark
from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken, VisitError

from . import diagnostics as dx
from .build import build
from .errors import GovReportError, ParseError, StrictModeError, UnsupportedTemplateError
from .grammar import _literal, parser
from .model import Diagnostic, Report
from .normalize import LineIndex, normalize
from .repair import repair
from .segment import Segmentation, segment
from .transform import Document

__all__ = ["parse"]

#: How often the parser may skip unexpected input before giving up.
MAX_RECOVERIES: Final = 200

_CONTROL: Final = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")

#: Words that only reports written before the 2019 template use
#: (shared/spec/template.md §7): their section titles and the vocabulary of
#: the old statistics annex.
_PRE_2019_SIGNS: Final = tuple(
    re.compile(pattern)
    for pattern in (
        r"一\s*、\s*(?:主\s*要\s*工\s*作\s*)?概\s*述",
        _literal("指标名称"),
        _literal("历年累计"),
        _literal("计量单位"),
        _literal("统计指标"),
        _literal("政府信息公开的收费及减免情况"),
        _literal("依申请公开政府信息情况"),
        _literal("政府信息依申请公开办理情况"),
        _literal("需要说明的事项与附表"),
        _literal("需要说明的其他事项与附表"),
        _literal("同意公开答复数"),
        _literal("否决公开答复"),
    )
)


def _location(original: str, index: LineIndex, offset: int) -> dict[str, object]:
    line, column = index.position(offset)
    start = index.line_start(line)
    end = original.find("\n", start)
    excerpt = original[start : end if end != -1 else len(original)].rstrip("\r")
    if len(excerpt) > 120:
        cut = max(0, column - 60)
        excerpt = excerpt[cut : cut + 120]
        column -= cut
    return {"line": line, "column": column, "excerpt": excerpt.replace("\t", " ")}


def _check_text(original: str, normalized: str) -> None:
    if not normalized.strip():
        raise ParseError("empty input: there is no text to read", line=1, column=1, excerpt="")
    sample = original[:8000]
    bad = _CONTROL.findall(sample)
    if "\x00" in sample or len(bad) > max(8, len(sample) // 50):
        first = _CONTROL.search(sample)
        assert first is not None
        raise ParseError(
            "binary data, not text: the input has control characters "
            f"({len(bad)} in its first {len(sample)} characters); "
            "decode the file to text first, or pass a document file to parse_file()",
            **_location(original, LineIndex(original), first.start()),  # type: ignore[arg-type]
        )


def _parse_tree(
    text: str, original: str, index: LineIndex, segmentation: Segmentation | None = None
) -> tuple[Document, list[Diagnostic]]:
    """Parse ``text`` (the normalized text, cut by ``segmentation`` if it
    was); positions in messages and errors are those of ``original``."""
    skipped: list[Diagnostic] = []

    def at(offset: int) -> int:
        return segmentation.to_original(offset) if segmentation is not None else offset

    def recover(error: UnexpectedInput) -> bool:
        if len(skipped) >= MAX_RECOVERIES:
            return False
        if isinstance(error, UnexpectedToken) and error.token.type != "$END":
            # A label the lexer offered where LALR's merged lookahead cannot
            # take it: read it as plain text instead, so nothing is lost.
            accepts = error.interactive_parser.accepts()  # type: ignore[no-untyped-call]
            for plain in ("TEXT", "LINE"):
                if plain in accepts:
                    token = error.token
                    error.interactive_parser.feed_token(Token.new_borrow_pos(plain, token.value, token))
                    return True
        offset = getattr(error, "pos_in_stream", None) or 0
        if isinstance(error, UnexpectedToken):
            offset = error.token.start_pos or offset
        line, column = index.position(at(offset))
        what = repr(error.token.value[:40]) if isinstance(error, UnexpectedToken) else "a character"
        skipped.append(
            dx.make(
                "unexpected-input",
                f"{what} at {line}:{column} did not fit the report's structure and was skipped",
            )
        )
        return True

    try:
        document = parser().parse(text, on_error=recover)
        assert isinstance(document, Document)  # the parser's embedded transformer makes one
    except VisitError as error:
        if isinstance(error.orig_exc, GovReportError):
            raise error.orig_exc from None
        raise error.orig_exc from error
    except (UnexpectedCharacters, UnexpectedToken, UnexpectedInput) as error:
        offset = at(getattr(error, "pos_in_stream", 0) or 0)
        raise ParseError(
            "the text does not follow the structure of an annual report",
            **_location(original, index, offset),  # type: ignore[arg-type]
        ) from None
    except lark.exceptions.LarkError as error:  # pragma: no cover - a bug, wrapped for the caller
        raise ParseError(f"internal parser error: {error}") from error
    return document, skipped


def _refuse(original: str, normalized: str, index: LineIndex, report: Report) -> None:
    """Raise when the text is not a report of the 2019/2021 templates."""
    signs = [(m.start(), m.group(0)) for p in _PRE_2019_SIGNS if (m := p.search(normalized))]
    if signs or (report.year is not None and report.year <= 2018):
        if signs:
            offset, sign = min(signs)
            why = "it uses the old report's wording ({})".format(re.sub(r"\s+", "", sign))
        else:
            offset = max(original.find(report.title or "\0"), 0)
            why = f"its reporting year is {report.year}"
        raise UnsupportedTemplateError(
            "a report written before the 2019 template: " + why + "; govreport reads the 2019 and 2021 "
            "templates (国办公开办函〔2019〕60号, 〔2021〕30号), which have the 第二十条 item tables",
            **_location(original, index, offset),  # type: ignore[arg-type]
        )
    if (
        report.overview is None
        and report.problems is None
        and report.other_matters is None
        and report.template is None
    ):
        first = len(original) - len(original.lstrip())
        raise ParseError(
            _lost_line_breaks(normalized)
            or "not a government information disclosure annual report (政府信息公开工作年度报告): "
            "none of its section headings or tables was found",
            **_location(original, index, first),  # type: ignore[arg-type]
        )


#: Words a report prints, in its title, headings and tables.
_LANDMARKS: Final = (
    "政府信息公开",
    "年度报告",
    "总体情况",
    "主动公开",
    "第二十条",
    "申请人情况",
    "本年新收",
    "予以公开",
    "不予公开",
    "结转下年度",
    "行政复议",
    "行政诉讼",
)
#: A line this long is not one a report prints: its line breaks were lost.
_LONG_LINE: Final = 2000


def _lost_line_breaks(normalized: str) -> str | None:
    """What to say of a text that is not read as a report but looks like one
    that lost its line breaks (few, very long lines holding a report's
    words); ``None`` for any other text."""
    lines = normalized.split("\n")
    longest = max(len(line) for line in lines)
    compact = re.sub(r"\s+", "", normalized)
    seen = [word for word in _LANDMARKS if word in compact]
    if longest < _LONG_LINE or len(seen) < 2:
        return None
    count = len(lines)
    shape = (
        f"1 line of {longest:,} characters"
        if count == 1
        else f"{count:,} lines, the longest of {longest:,} characters"
    )
    return (
        f"the text has {shape} and holds a report's words ({', '.join(seen[:6])}): it looks like "
        "a report (政府信息公开工作年度报告) that lost its line breaks, but none of its section "
        "headings or tables could be read in it; read the file as published (the page, DOCX or "
        "PDF: govreport.parse_file) or with its line breaks"
    )


def parse(text: str, *, strict: bool = False) -> Report:
    """Read the text of a 政府信息公开工作年度报告.

    Returns everything readable, with :attr:`Report.diagnostics` for what is
    wrong in the report or could not be read with certainty. Raises
    :class:`ParseError` for text that is not such a report,
    :class:`UnsupportedTemplateError` for a report written before the 2019
    template, and, with ``strict=True``, :class:`StrictModeError` when any
    diagnostic is an error.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the report's text as str, not {type(text).__name__}")
    # What converters did to the layout (markdown markup, tabs expanded to
    # spaces) is undone on the normalized text, its length kept.
    normalized = repair(normalize(text))
    _check_text(text, normalized)
    index = LineIndex(normalized)
    # A report flattened onto one line is cut back into lines first.
    segmentation = segment(normalized, text)
    if segmentation is None:
        document, skipped = _parse_tree(normalized, text, index)
        report, evidence = build(text, normalized, document, index)
    else:
        document, skipped = _parse_tree(segmentation.text, text, index, segmentation)
        report, evidence = build(
            segmentation.original, segmentation.text, document, segmentation=segmentation, spans=index
        )
    if not evidence.tables:
        _refuse(text, normalized, index, report)
    if skipped:
        report = attrs.evolve(
            report, diagnostics=tuple(sorted((*report.diagnostics, *skipped), key=dx.sort_key))
        )
    if strict and report.errors:
        first = report.errors[0]
        where = _location(text, index, first.span.start) if first.span else {}
        raise StrictModeError(
            f"{len(report.errors)} error(s) in the report; the first: {first.code}: {first.message}",
            diagnostics=report.errors,
            report=report,
            **where,  # type: ignore[arg-type]
        )
    return report
