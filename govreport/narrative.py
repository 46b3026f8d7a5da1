"""Stage 5b: the counts the narrative states, compared with the tables.

The narrative (一、总体情况 above all, but any section) states counts the
tables hold: requests received (共收到…申请 N 件), carried over (上年结转),
carried forward (结转下年度), answered (办结 / 答复), administrative
reconsiderations (行政复议 N 件, with 其中维持 / 纠正 / 其他 / 尚未审结),
lawsuits (行政诉讼 N 件 = 直接起诉 + 复议后起诉) and, in the 2021 template,
the 规章 and 行政规范性文件 counts. Each is read only where the text leaves
no doubt (docs/narrative.md lists what binds and what is refused):

- a number binds to a subject only inside its own clause (``，；。：`` and
  brackets end one; a line break ends one unless the line was wrapped), and
  only when what stands between them is one of a few filler words
  (共, 为, 数量…): no other subject, number, qualifier or comparison;
- a sentence about another year, a part of the year, a cumulative figure, a
  comparison (较上年, 同比, 增加…) or another scope (全市, 各级…) is not read;
- a number is a count printed with its unit (件, 条…): not a year, a
  percentage, a range, an ordinal, a date or money; Chinese numerals are read
  when they are well formed (零…九, 十, 百, 千), not otherwise.

A statement is compared with the table's printed or solved values (never
inferred ones, :class:`govreport.Provenance`); a reading the table cannot
give (a blank cell) leaves it uncompared. Wording that can mean two counts
(收到 / 受理 N 件: this year's new requests, or new plus carried over) is a
match when it equals either. Every comparison is a :class:`Statement` on
:attr:`Report.narrative`; a mismatch is also a ``narrative-mismatch``
finding with both spans and both values.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Final

import attrs

from . import diagnostics as dx
from . import model as m

__all__ = ["Line", "check_narrative", "chinese_number"]


@attrs.frozen
class Line:
    """A narrative line: its offsets in the (normalized) text, and whether it
    is a heading (a clause ends after it)."""

    start: int
    end: int
    heading: bool = False


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

_CN_DIGITS: Final = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_CN_UNITS: Final = {"十": 10, "百": 100, "千": 1000}
_CANONICAL: Final = "零一二三四五六七八九"


def _spellings(n: int) -> set[str]:
    """Every well-formed spelling of ``n`` (0–9999) in Chinese numerals."""
    if n == 0:
        return {"零", "〇"}
    out, zero, started = "", False, False
    for digit, unit in zip(
        (n // 1000, n // 100 % 10, n // 10 % 10, n % 10), ("千", "百", "十", ""), strict=True
    ):
        if digit == 0:
            zero = zero or started
            continue
        if zero:
            out += "零"
            zero = False
        out += _CANONICAL[digit] + unit
        started = True
    spellings = {out}
    if out.startswith("一十"):
        spellings.add(out[1:])  # 十五, not only 一十五
    for spelling in list(spellings):
        # 两 for 二 before 千 and 百, and alone (两件).
        two = re.sub("二(?=[千百])", "两", spelling)
        spellings.add(two)
        if spelling == "二":
            spellings.add("两")
    return spellings


def chinese_number(text: str) -> int | None:
    """The value of a well-formed Chinese numeral up to 9999 (``十二`` → 12,
    ``一百零五`` → 105, ``两`` → 2), ``None`` for anything else (``两三``,
    ``十十``, ``一万``)."""
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        return None
    value = current = 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        else:
            value += (current or 1) * _CN_UNITS[char]
            current = 0
    value += current
    return value if value <= 9999 and text in _spellings(value) else None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_number(text)


# ---------------------------------------------------------------------------
# The patterns: a subject, filler words, a number and its unit
# ---------------------------------------------------------------------------

#: The number: ASCII digits (folded from full-width by normalization) or
#: Chinese numerals (read by :func:`chinese_number`, refused if malformed).
_NUM: Final = r"(?P<n>\d+|[零〇一二两三四五六七八九十百千]+)"
#: Words that may stand between a subject and its number.
_POST: Final = r"(?:的?(?:数量|总数|总量))?(?:共计|合计|总计|共|为|是|达){0,2}"
#: The unit of a count, and what may not follow it (an approximation, 人次).
_UNIT_REQUEST: Final = r"(?:件|条|份|项|个)(?!以上|以下|左右|之多|多|余|次)"
_UNIT_REVIEW: Final = r"(?:件|起|宗|例|个|项)(?!以上|以下|左右|之多|多|余|次)"
#: A count's last digit and its unit: a clause without one states no count.
_COUNT: Final = re.compile(r"[\d零〇一二两三四五六七八九十百千](?:件|条|份|项|个|起|宗|例)")
#: A list joiner or a negation in front of a subject: not read.
_NOT_AFTER: Final = r"(?<![、和及与或不未没无])"
_OBJECT: Final = (
    r"(?:政府信息公开申请|政府信息依申请公开(?:申请)?|信息公开申请"
    r"|依申请公开(?:政府信息|信息|申请|事项|办件|件)?|公开申请|申请)"
)
_WHO: Final = r"(?P<who>自然人)?(?:提出的|的)?"
_LAST_YEAR: Final = r"上(?:一)?年(?:度)?"
_NEXT_YEAR: Final = r"下(?:一)?年(?:度)?"

#: A request count: (kind, pattern). ``kind`` picks the readings (_READINGS).
_REQUEST_PATTERNS: Final = (
    ("new", rf"{_NOT_AFTER}(?:本年(?:度)?)?新收(?:了)?{_WHO}{_OBJECT}{_POST}{_NUM}{_UNIT_REQUEST}"),
    (
        "received",
        rf"{_NOT_AFTER}(?<!不予)(?:收到|受理|接收|接到|收悉)(?:了)?(?:共|共计)?{_WHO}{_OBJECT}"
        rf"{_POST}{_NUM}{_UNIT_REQUEST}",
    ),
    ("handled", rf"{_NOT_AFTER}办理(?:了)?(?:共|共计)?{_WHO}{_OBJECT}{_POST}{_NUM}{_UNIT_REQUEST}"),
    (
        "carried_over",
        rf"{_NOT_AFTER}(?:{_LAST_YEAR}结转(?:的|来)?|结转{_LAST_YEAR}(?:的)?)(?:{_OBJECT})?"
        rf"{_POST}{_NUM}{_UNIT_REQUEST}",
    ),
    (
        "carried_forward",
        rf"{_NOT_AFTER}(?:结转(?:至|到)?{_NEXT_YEAR}|转入{_NEXT_YEAR})(?:继续)?(?:办理|答复)?(?:的)?"
        rf"(?:{_OBJECT})?{_POST}{_NUM}{_UNIT_REQUEST}",
    ),
    (
        "answered",
        rf"{_NOT_AFTER}(?:(?:答复|办结)(?:了)?(?:共|共计)?{_WHO}{_OBJECT}"
        rf"|(?:出具|作出)(?:了)?{_WHO.replace('who', 'who2')}(?:{_OBJECT})?(?:的)?答复(?:书|意见书|告知书)?)"
        rf"{_POST}{_NUM}{_UNIT_REQUEST}",
    ),
)

#: 办结 / 答复 N 件 as a clause of its own, right after a clause that stated
#: a request count (共收到申请12件，办结12件).
_BARE_ANSWERED: Final = re.compile(
    rf"(?:均|已|全部|并|共|依法)*(?:答复|办结)(?:了)?(?:共|共计)?{_NUM}{_UNIT_REQUEST}"
)

_GROUP: Final = (
    r"(?P<group>行政复议|行政诉讼|(?:未经复议)?直接(?:起诉|提起行政诉讼)|复议后(?:起诉|提起行政诉讼))"
)
_GROUP_TAIL: Final = rf"(?:案件|案|申请|事项)?(?:数量)?{_POST}{_NUM}{_UNIT_REVIEW}"
#: One review group's count; its own words only (a list is _REVIEW_LIST).
_REVIEW_PATTERN: Final = re.compile(
    rf"(?<![不未没无])(?P<joiner>(?:、|和|及|与|或|以及)(?:提起|被申请|被提起)?)?{_GROUP}{_GROUP_TAIL}"
)
#: A count just before a joiner: the subject after it is an item of its own
#: (行政复议1件、行政诉讼2件), not one of a list sharing a number.
_COUNT_BEFORE: Final = re.compile(r"[\d零〇一二两三四五六七八九十百千](?:件|起|宗|例|个|项)$")
#: 行政复议、行政诉讼 0 件 (or 均为 N 件): one number for both.
_REVIEW_LIST: Final = re.compile(
    rf"{_NOT_AFTER}行政复议(?:案件)?(?:、|和|及|与|或|以及)(?:提起|被申请)?行政诉讼(?:案件|案)?"
    rf"(?P<each>均|都|各)?(?:为|是)?{_NUM}{_UNIT_REVIEW}"
)
#: An outcome of the group just stated (其中维持2件、纠正1件).
_OUTCOME: Final = re.compile(
    rf"(?P<outcome>结果维持|维持|结果纠正|纠正|其他结果|其他|尚未审结|未审结)(?:原(?:具体)?行政行为)?(?:的)?"
    rf"{_POST}{_NUM}{_UNIT_REVIEW}"
)
_OUTCOMES: Final = {
    word: outcome
    for outcome, words in (
        ("upheld", ("结果维持", "维持")),
        ("corrected", ("结果纠正", "纠正")),
        ("other", ("其他结果", "其他")),
        ("pending", ("尚未审结", "未审结")),
    )
    for word in words
}

_DOCUMENTS: Final = ("行政规范性文件", "规范性文件", "规章")
_DOC: Final = rf"(?P<doc>{'|'.join(_DOCUMENTS)})"


def _document_count(verb: str) -> str:
    """制发行政规范性文件 N 件 and 行政规范性文件（本年）制发件数 N 件."""
    this_year = r"(?:本年(?:度)?)?"
    return (
        rf"{_NOT_AFTER}(?:{this_year}{verb}(?:了|的)?{_DOC}"
        rf"|{_DOC.replace('doc', 'doc2')}(?:的)?{this_year}{verb}(?:件数|数量)?)"
    )


_DOC_PATTERNS: Final = tuple(
    (column, _document_count(verb))
    for column, verb in (
        ("in_force", "现行有效"),
        ("issued", "制发"),
        ("repealed", "废止"),
    )
)

_PATTERNS: Final = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        *_REQUEST_PATTERNS,
        *((f"active.{kind}", rf"{p}{_POST}{_NUM}{_UNIT_REQUEST}") for kind, p in _DOC_PATTERNS),
    )
)

# ---------------------------------------------------------------------------
# Sentences and clauses that are not read
# ---------------------------------------------------------------------------

#: Another scope than the agency's own: the whole sentence is not read.
_SCOPE: Final = re.compile(
    r"全市|全区|全县|全省|全州|全旗|全镇|各级|各地|各县|各区|各市|各乡|各镇|各部门|各单位|系统内|全系统|本系统"
    r"|下属|所属|直属|辖区|汇总"
)
#: Part of the year, or more than one: the whole sentence is not read.
_PERIOD: Final = re.compile(
    r"上半年|下半年|季度|前三季|月份|月底|月末|\d{1,2}月|[一二三四五六七八九十]{1,2}月|累计|历年|以来|截至|截止"
)
#: The whole year, which _PERIOD's months must not refuse.
_WHOLE_YEAR: Final = re.compile(
    r"(?:\d{2,4}年)?(?:0?1|一)月(?:0?1|一)日(?:起)?(?:至|到|-|—|~)(?:\d{2,4}年)?12月31日"
)
#: Words before a subject that narrow its count to a part (其中, a channel,
#: a kind of applicant): not read.
_NARROWING: Final = re.compile(
    r"其中|通过|经由|网上|网络|在线|线上|线下|信函|邮寄|邮件|当面|现场|窗口|传真|电话|平台|渠道"
    r"|自然人|法人|企业|组织|机构|个人|公民|群众|部分|本级|市级|县级|区级"
)
#: Words before 行政复议 / 行政诉讼 that make the agency the one deciding or
#: handling cases (a 复议机关), not the one the cases are against: not read.
_REVIEWER: Final = re.compile(r"办理|审理|受理|收到|接收|接到|作为|复议机关|审结|办结|承办|代理|指导|督办")
#: A comparison in the clause: not read.
_COMPARISON: Final = re.compile(
    r"较|比|同比|环比|相比|增长|增加|减少|下降|上升|持平|去年|前年|分别"
    r"|(?<!结转)上(?:一)?年(?:度)?(?!结转)"
)
_YEAR: Final = re.compile(r"(?<!\d)(\d{4}|\d{2})年")
#: Clause ends (normalization folded ，；：（） to ASCII); a sentence ends at
#: 。 ; ! ? and at a line that ends a paragraph.
_SENTENCES: Final = re.compile(r"[^。;!?\n]+")
_CLAUSES: Final = re.compile(r"[^,:()\[\]【】《》<>。;!?\n]+")
_ITEMS: Final = re.compile(r"[^、]+")
#: A line that starts with a numbering mark starts a paragraph.
_NUMBERED: Final = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.]|\(?[一二三四五六七八九十\d]{1,2}\)|\d{1,2}[.、])"
)
_PUNCTUATED: Final = re.compile(r"[。;!?:]\s*$")
_SENTENCE: Final = re.compile(r"[。;!?,]")
_WORD: Final = re.compile(r"\S+")
_ALNUM: Final = re.compile(r"[0-9A-Za-z]")

# ---------------------------------------------------------------------------
# Readings: the table's cells a statement is compared with
# ---------------------------------------------------------------------------

_NEW, _CARRIED = "requests.new.{}", "requests.carried_over.{}"
_TOTAL, _FORWARD = "requests.total.{}", "requests.carried_forward.{}"
#: Per kind, the sums of cells the stated count may be (``{}``: the column).
_READINGS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "new": ((_NEW,),),
    "received": ((_NEW,), (_NEW, _CARRIED)),
    "handled": ((_NEW,), (_NEW, _CARRIED), (_TOTAL,)),
    "carried_over": ((_CARRIED,),),
    "carried_forward": ((_FORWARD,),),
    "answered": ((_TOTAL,),),
}
_DIRECT, _AFTER = "review.litigation_direct", "review.litigation_after_reconsideration"
_GROUPS: Final = {
    "行政复议": ("review.reconsideration",),
    "行政诉讼": (_DIRECT, _AFTER),
    "direct": (_DIRECT,),
    "after": (_AFTER,),
}
_DOCS: Final = {
    "行政规范性文件": "normative_documents",
    "规范性文件": "normative_documents",
    "规章": "regulations",
}
_SUBJECTS: Final = {
    "new": "本年新收申请",
    "received": "收到的申请",
    "handled": "办理的申请",
    "carried_over": "上年结转",
    "carried_forward": "结转下年度",
    "answered": "办结 / 答复",
}


@attrs.frozen
class _Found:
    """A statement read from a clause: the readings, the stated number and
    where it is in the compact text."""

    subject: str
    readings: tuple[tuple[str, ...], ...]
    value: int
    start: int
    end: int
    number: tuple[int, int]


class _Text:
    """The narrative's lines as one compact string: white space dropped
    (one space kept between two digits or letters, so that ``2 3件`` is not
    ``23件``), wrapped lines joined, a ``\\n`` where a paragraph or clause
    ends; ``offsets[i]`` is where character ``i`` is in the normalized text."""

    def __init__(self, text: str, lines: Sequence[Line]) -> None:
        chars: list[str] = []
        offsets: list[int] = []
        after_heading = ended = True
        for line in lines:
            printed = text[line.start : line.end]
            # A numbered line without a sentence's punctuation is a heading.
            numbered = _NUMBERED.match(printed) is not None
            heading = line.heading or (numbered and not _SENTENCE.search(printed))
            if chars and (after_heading or ended or heading or numbered):
                chars.append("\n")
                offsets.append(line.start)
            after_heading, ended = heading, _PUNCTUATED.search(printed) is not None
            for word in _WORD.finditer(printed):
                # Two digits or letters apart stay apart (1 5件 is not 15件).
                if chars and _ALNUM.match(chars[-1][-1]) and _ALNUM.match(word[0]):
                    chars.append(" ")
                    offsets.append(line.start + word.start() - 1)
                chars.append(word[0])
                offsets.extend(range(line.start + word.start(), line.start + word.end()))
        self.text = "".join(chars)
        self.offsets = offsets

    def offset(self, i: int) -> int:
        return self.offsets[i]

    def end_offset(self, i: int) -> int:
        """The normalized offset just after compact character ``i - 1``."""
        return self.offsets[i - 1] + 1


def _pieces(text: str, pieces: re.Pattern[str], start: int, stop: int) -> Iterator[tuple[int, int]]:
    """The (start, end) of each piece of text[start:stop] between separators."""
    for match in pieces.finditer(text, start, stop):
        yield match.start(), match.end()


def _sentence_refused(sentence: str) -> bool:
    return bool(_SCOPE.search(sentence) or _PERIOD.search(_WHOLE_YEAR.sub("", sentence)))


def _year_of(match: re.Match[str]) -> int:
    value = int(match[1])
    return value + 2000 if value < 100 else value


def _clauses(compact: str, year: int | None) -> Iterator[tuple[int, int, int, bool]]:
    """Each clause of the compact text (its sentence's start, its start and
    end) and whether it may be read: not in a refused sentence, not about
    another year (the last year the sentence names so far is the report's)."""
    for s_start, s_end in _pieces(compact, _SENTENCES, 0, len(compact)):
        if not _COUNT.search(compact, s_start, s_end):
            continue  # no count to read
        refused = _sentence_refused(compact[s_start:s_end])
        current = year
        for c_start, c_end in _pieces(compact, _CLAUSES, s_start, s_end):
            years = [_year_of(y) for y in _YEAR.finditer(_WHOLE_YEAR.sub("", compact[c_start:c_end]))]
            current = years[-1] if years else current
            readable = not refused and current == year and all(y == year for y in years)
            yield s_start, c_start, c_end, readable


def _statements(compact: str, year: int | None) -> Iterator[_Found]:
    """Every statement the compact text makes, in order."""
    # The review group a clause just stated (其中维持… reads as its outcomes),
    # and whether it stated a request count (办结 N 件 reads as answered).
    group: tuple[str, ...] | None = None
    requested = False
    sentence = -1
    for at, start, end, readable in _clauses(compact, year):
        if at != sentence:
            group, requested, sentence = None, False, at
        clause = compact[start:end]
        if not readable or _COMPARISON.search(_masked(clause)):
            group, requested = None, False
            continue
        found = list(_in_clause(clause, start)) if _COUNT.search(clause) else []
        if not found and group is not None:
            outcomes = list(_outcomes(clause, start, group))
            if outcomes:
                yield from outcomes
                continue
        if not found and requested:
            found = list(_answered(clause, start))
        # A request or review count only in a sentence about disclosure
        # (受理申请 N 件 may be licensing's, 行政复议 N 件 all of them).
        found = [f for f in found if f.subject.startswith(_DOCUMENTS) or "公开" in compact[at : f.end]]
        totals = [f for f in found if f.subject in _GROUPS]
        group = totals[0].readings[0] if len(found) == 1 and totals else None
        requested = any(f.readings[0][0].startswith("requests.") for f in found)
        yield from found


def _answered(clause: str, start: int) -> Iterator[_Found]:
    """办结 N 件 as a clause of its own, after one that stated a request count."""
    match = _BARE_ANSWERED.fullmatch(clause)
    value = _number(match["n"]) if match else None
    if match is not None and value is not None:
        number = (start + match.start("n"), start + match.end("n"))
        yield _Found(
            _SUBJECTS["answered"], ((_TOTAL.format("total"),),), value, start, start + len(clause), number
        )


def _masked(clause: str) -> str:
    """The clause without the words that name a carried-over count (上年结转
    is not a comparison with last year)."""
    return re.sub(rf"{_LAST_YEAR}结转|结转{_LAST_YEAR}", "", clause)


def _in_clause(clause: str, start: int) -> Iterator[_Found]:
    """The statements of one clause; a number two subjects would bind is
    bound by neither, and a subject after a narrowing word is not read."""
    found = [
        f
        for f in _subjects(clause, start)
        if not _NARROWING.search(clause, 0, f.start - start)
        and not (f.readings[0][0].startswith("review.") and _REVIEWER.search(clause, 0, f.start - start))
    ]
    numbers = collections.Counter(f.number for f in found)
    yield from (f for f in found if numbers[f.number] == 1)
    for match in _REVIEW_LIST.finditer(clause):
        value = _number(match["n"])
        if value is None or (value != 0 and not match["each"]):
            continue  # 行政复议、行政诉讼 3 件: each, or both together?
        if _NARROWING.search(clause, 0, match.start()) or _REVIEWER.search(clause, 0, match.start()):
            continue
        number = (start + match.start("n"), start + match.end("n"))
        for group in ("行政复议", "行政诉讼"):
            readings = (tuple(f"{g}.total" for g in _GROUPS[group]),)
            yield _Found(group, readings, value, start + match.start(), start + match.end(), number)


def _subjects(clause: str, start: int) -> Iterator[_Found]:
    """Every subject of the clause with the number its filler words lead to."""
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(clause):
            value = _number(match["n"])
            if value is None:
                continue
            number = (start + match.start("n"), start + match.end("n"))
            span = (start + match.start(), start + match.end())
            groups = match.groupdict()
            if kind.startswith("active."):
                printed = groups["doc"] or groups["doc2"]
                column = kind.split(".", 1)[1]
                cell_id = f"active.{_DOCS[printed]}.{column}"
                yield _Found(f"{printed} {column}", ((cell_id,),), value, *span, number)
                continue
            who = "自然人" if groups.get("who") or groups.get("who2") else ""
            column = "natural_person" if who else "total"
            readings = tuple(tuple(c.format(column) for c in reading) for reading in _READINGS[kind])
            yield _Found(who + _SUBJECTS[kind], readings, value, *span, number)
    for match in _REVIEW_PATTERN.finditer(clause):
        value = _number(match["n"])
        if value is None or (match["joiner"] and not _COUNT_BEFORE.search(clause, 0, match.start())):
            continue  # 行政复议、行政诉讼 3 件: _REVIEW_LIST's
        printed = match["group"]
        key = printed if printed in _GROUPS else "direct" if "直接" in printed else "after"
        readings = (tuple(f"{g}.total" for g in _GROUPS[key]),)
        number = (start + match.start("n"), start + match.end("n"))
        yield _Found(
            key if key in ("行政复议", "行政诉讼") else printed,
            readings,
            value,
            start + match.start("group"),
            start + match.end(),
            number,
        )


def _outcomes(clause: str, start: int, groups: tuple[str, ...]) -> Iterator[_Found]:
    """其中维持2件、纠正1件: every item an outcome of the group stated just
    before, or none is read."""
    body = clause[2:] if clause.startswith("其中") else clause
    offset = start + len(clause) - len(body)
    found = []
    for item_start, item_end in _pieces(body, _ITEMS, 0, len(body)):
        match = _OUTCOME.fullmatch(body, item_start, item_end)
        value = _number(match["n"]) if match else None
        if match is None or value is None:
            return
        outcome = _OUTCOMES[match["outcome"]]
        readings = (tuple(f"{g.rsplit('.', 1)[0]}.{outcome}" for g in groups),)
        number = (offset + match.start("n"), offset + match.end("n"))
        found.append(
            _Found(match["outcome"], readings, value, offset + item_start, offset + item_end, number)
        )
    yield from found


# ---------------------------------------------------------------------------
# Comparing with the tables
# ---------------------------------------------------------------------------


def _table_value(cells: Mapping[str, m.Cell], reading: Sequence[str]) -> int | None:
    """The sum of a reading's cells, or ``None`` when one has no printed or
    solved count (or the template has no such cell)."""
    total = 0
    for cell_id in reading:
        cell = cells.get(cell_id)
        if (
            cell is None
            or not isinstance(cell.value, int)
            or cell.provenance not in (m.Provenance.PRINTED, m.Provenance.SOLVED)
        ):
            return None
        total += cell.value
    return total


def check_narrative(
    text: str,
    lines: Sequence[Line],
    cells: Mapping[str, m.Cell],
    year: int | None,
    span: Callable[[int, int], m.Span],
    original: str | None = None,
) -> tuple[tuple[m.Statement, ...], list[m.Diagnostic]]:
    """The statements the narrative ``lines`` of the normalized ``text``
    make that the tables can be compared with, and a ``narrative-mismatch``
    diagnostic for each that the tables contradict. ``span`` turns offsets
    of ``text`` into spans of the caller's text; ``original`` (the caller's
    text, offsets as ``text``'s) gives the statements as printed."""
    compact = _Text(text, lines)
    statements: list[m.Statement] = []
    found_diagnostics: list[m.Diagnostic] = []
    source = original if original is not None else text
    for found in _statements(compact.text, year):
        values = [_table_value(cells, reading) for reading in found.readings]
        number = span(compact.offset(found.number[0]), compact.end_offset(found.number[1]))
        start, end = compact.offset(found.start), compact.end_offset(found.end)
        printed = re.sub(r"\s+", "", source[start:end])
        matched = next((i for i, v in enumerate(values) if v == found.value), None)
        if matched is None and None in values:
            continue  # a reading the table cannot give might be the one meant
        which = 0 if matched is None else matched
        reading, table = found.readings[which], values[which]
        assert table is not None
        statements.append(m.Statement(reading, found.value, table, matched is not None, printed, number))
        if matched is None:
            found_diagnostics.append(_mismatch(found, printed, values, number, cells))
    return tuple(statements), found_diagnostics


def _mismatch(
    found: _Found,
    printed: str,
    values: Sequence[int | None],
    number: m.Span,
    cells: Mapping[str, m.Cell],
) -> m.Diagnostic:
    tables = " and ".join(
        f"{value} in {' + '.join(reading)}" for reading, value in zip(found.readings, values, strict=True)
    )
    message = f"the narrative's {printed!r} states {found.value}, but the table has {tables}"
    reading = found.readings[0]
    related = tuple(s for c in reading if (s := cells[c].span) is not None)
    diagnostic = dx.make("narrative-mismatch", message, number, reading)
    return attrs.evolve(diagnostic, related=related, values=(found.value, values[0]))
