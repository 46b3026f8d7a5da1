"""The front matter and the narrative: metadata, title, year, agency, sections.

Crawler metadata (``key: value`` lines up to 正文), the title and the lines
around it, the reporting year and the publishing agency, and the narrative
sections (一、五、六) with their sub-headings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from lark import Token

from .. import model as m
from .. import vocabulary as voc
from ..grammar import compact
from ..transform import Document, Part
from .context import Context, end_of, letters, start_of

_YEAR: Final = re.compile(r"((?:19|20)\d{2})年")
_CN_YEAR: Final = re.compile(r"([〇零一二三四五六七八九]{4})年")
_CN_DIGITS: Final = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_METADATA: Final = re.compile(r"^([\u4e00-\u9fff]{2,6})\s*:\s*(.*)$")
_SENTENCE: Final = re.compile(r"[。,;:!?]")
_AGENCY_END: Final = re.compile(r"[局委办厅院府会室所站队处部署中心馆社]$")
_CHROME_LENGTH: Final = max(len(word) for word in voc.PAGE_CHROME) * 2
#: A title, its lines joined: …政府信息公开…报告, a name and a year at most
#: before it (a title wrapped over two or three lines is joined first).
_TITLE_TEXT: Final = re.compile(r"(?:标题:)?.{0,40}政府信息公开.{0,12}报告")
#: A sentence, not a title: a preamble that ends in …工作年度报告 too
#: (本年度报告根据《…工作年度报告, 现公布…年度报告).
_PROSE: Final = re.compile(r"[《》。,;]|根据|现公布|现将|按照")
#: A bare place name (岚溪市): the body may name its government (岚溪市人民政府).
_PLACE: Final = re.compile(r"[\u4e00-\u9fff]{1,8}[省市县区州盟旗]")


def front_matter(
    ctx: Context, front: Part
) -> tuple[list[tuple[str, str]], str | None, list[Token], list[str]]:
    """Crawler metadata, the title (its lines joined when it is wrapped),
    preamble lines, lines before the title."""
    lines = list(front.lines)
    metadata: list[tuple[str, str]] = []
    # Crawler text opens with "key: value" lines up to 正文:
    if lines and _METADATA.match(ctx.printed(lines[0])):
        while lines:
            match = _METADATA.match(ctx.printed(lines[0]))
            if match is None:
                break
            lines.pop(0)
            if match[1] == "正文":
                break
            metadata.append((match[1], match[2].strip()))
    crawled = next((compact(value) for key, value in metadata if key == "标题" and value), None)
    if crawled is not None:
        # The page's own title is whole; the body repeats it, maybe split.
        while lines and compact(ctx.printed(lines[0])) and compact(ctx.printed(lines[0])) in crawled:
            lines.pop(0)
        return metadata, None, lines, []
    found = _title_lines(ctx, lines)
    if found is None:
        return metadata, None, lines, []
    at, end = found
    title = "".join(ctx.printed(t).strip() for t in lines[at:end])
    # The agency line can come before the title; text after it is the preamble.
    return metadata, title, lines[end:], [ctx.printed(t) for t in lines[:at]]


def _title_lines(ctx: Context, lines: Sequence[Token]) -> tuple[int, int] | None:
    """Where the title is among the front lines (from, to): the first line
    that reads as a title and not as a sentence, else the first two or three
    lines joined that do (a wrapped title), else the first TITLE line."""
    texts = [compact(ctx.printed(t)) for t in lines]
    for at, text in enumerate(texts):
        if text and not _PROSE.search(text) and _TITLE_TEXT.fullmatch(text):
            return at, at + 1
    for at in range(len(lines)):
        for end in range(at + 2, min(at + 3, len(lines)) + 1):
            joined = "".join(texts[at:end])
            if not joined or _PROSE.search(joined) or (end > at + 1 and not texts[end - 1]):
                break
            if _TITLE_TEXT.fullmatch(joined):
                return at, end
    return next(((i, i + 1) for i, t in enumerate(lines) if t.type == "TITLE"), None)


def narrative_section(ctx: Context, part: Part) -> m.Section:
    assert part.heading is not None
    heading = ctx.printed(part.heading)
    text: list[str] = []
    subsections: list[m.Subsection] = []
    current: tuple[str, list[str], int] | None = None
    end = end_of(part.heading)

    def close() -> None:
        if current is not None:
            sub_heading, lines, start = current
            subsections.append(m.Subsection(sub_heading, "\n".join(lines), ctx.span(start, end)))

    for token in part.lines:
        line = ctx.printed(token)
        if len(line) <= _CHROME_LENGTH and compact(line) in voc.PAGE_CHROME:
            continue
        if token.type == "SUBHEADING":
            close()
            head, _, rest = line.partition("。")
            lines = [rest.strip()] if rest.strip() else []
            current = (head.strip() if rest.strip() else line, lines, start_of(token))
        elif current is not None:
            current[1].append(line)
        else:
            text.append(line)
        end = end_of(token)
    close()
    return m.Section(heading, "\n".join(text), tuple(subsections), ctx.span(start_of(part.heading), end))


def heading_variant(ctx: Context, heading: Token, key: str, lead: bool) -> None:
    section = next(s for s in voc.SECTIONS if s.key == key)
    printed = ctx.printed(heading)
    if lead or letters(printed) != letters(section.title):
        ctx.add(
            "heading-variant",
            f"section heading {printed!r} read as {section.numeral}、{section.title}",
            ctx.token_span(heading),
        )


def year_of(title: str | None, metadata: Sequence[tuple[str, str]], document: Document) -> int | None:
    candidates = [title or ""] + [v for k, v in metadata if k == "标题"]
    for text in candidates:
        folded = compact(text)
        match = _YEAR.search(folded)
        if match:
            return int(match[1])
        match = _CN_YEAR.search(folded)
        if match:
            return int("".join(_CN_DIGITS[c] for c in match[1]))
    return None


def _government(name: str, narrative: dict[str, m.Section], around: Sequence[str]) -> str:
    """``name``, or the government of a bare place name (岚溪市 → 岚溪市人民政府)
    when the report's own text names it so."""
    if not _PLACE.fullmatch(name):
        return name
    government = f"{name}人民政府"
    texts = [*around, *(s.full_text for s in narrative.values())]
    return government if any(government in compact(text) for text in texts) else name


def agency_of(
    title: str | None,
    before_title: Sequence[str],
    metadata: Sequence[tuple[str, str]],
    narrative: dict[str, m.Section],
    preamble: Sequence[str] = (),
) -> str | None:
    if title is not None:
        folded = compact(title)
        match = re.match(r"(.*?)(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年", folded)
        name = ""
        if match:
            # …局关于报送2020年度…的函, 关于…局2020年…: the agency, not the letter.
            name = re.sub(r"^关于|关于.*$", "", match[1])
        if not name:
            # A year-first title: 2019年某市某局政府信息公开工作年度报告.
            first = re.match(r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年度?(.*?)政府信息公开", folded)
            name = first[1] if first else ""
        if len(name) >= 2:
            return _government(name, narrative, [*before_title, *preamble])
    for line in reversed(before_title):
        name = compact(line)
        if 2 <= len(name) <= 40 and not _SENTENCE.search(name):
            return name
        # A page's chrome and the agency on one line: its last word.
        words = line.split()
        word = compact(words[-1]) if len(words) > 1 else ""
        if 2 <= len(word) <= 40 and _AGENCY_END.search(word) and not _SENTENCE.search(word):
            return word
    for key, value in metadata:
        if key == "发布机构" and value.strip():
            return compact(value)
    last = narrative.get("other_matters") or narrative.get("problems")
    if last is not None:
        for line in reversed(last.full_text.splitlines()[-4:]):
            name = compact(line)
            if 2 <= len(name) <= 40 and _AGENCY_END.search(name) and not _SENTENCE.search(name):
                return name
    return None
