"""Stage 4: parts → the report model.

This is where the template's meaning is applied to what the grammar found:
which template the tables follow, which cells a row's printed values are,
which text is the title, the agency and the narrative. Nothing here guesses a
number: a value is read only from a printed cell, and every doubt becomes a
diagnostic naming the cells (see :mod:`govreport.cells` for the row rules).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Final

import attrs
from lark import Token

from . import diagnostics as dx
from . import model as m
from . import vocabulary as voc
from .cells import read_value
from .checks import check_arithmetic, rules
from .grammar import TERMINAL_KIND, compact, label_patterns
from .normalize import LineIndex
from .placement import (
    Constraint,
    Outcome,
    Piece,
    Row,
    agree,
    candidates,
    row_readings,
    solve,
    split_readings,
)
from .segment import Segmentation
from .serialize import assemble
from .transform import Document, Item, Part, Table

__all__ = ["build", "Evidence"]

_TRIM: Final = " \t|\n"
_NUMBERING: Final = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.,:]|\(?[一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.、,:]?)"
)
_LETTERS: Final = re.compile(r"[\u4e00-\u9fff\w]+")
_YEAR: Final = re.compile(r"((?:19|20)\d{2})年")
_CN_YEAR: Final = re.compile(r"([〇零一二三四五六七八九]{4})年")
_CN_DIGITS: Final = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_METADATA: Final = re.compile(r"^([\u4e00-\u9fff]{2,6})\s*:\s*(.*)$")
_CAPTION_ITEM: Final = re.compile(r"\(?\s*([一二三四五六七八九十])\s*\)?\s*项")
_SENTENCE: Final = re.compile(r"[。,;:!?]")
_BLANK_LINE: Final = re.compile(r"\n[ ]*\n")
_AGENCY_END: Final = re.compile(r"[局委办厅院府会室所站队处部署中心馆社]$")


@functools.lru_cache(maxsize=4096)
def _letters(text: str) -> str:
    """A label reduced to its letters, for telling variants apart."""
    return "".join(_LETTERS.findall(_NUMBERING.sub("", compact(text))))


_CHROME_LENGTH: Final = max(len(word) for word in voc.PAGE_CHROME) * 2

#: Money cells whose header gives no unit (采购总金额): a bare number there is
#: read in 万元, the template's unit, with a diagnostic.
_UNITLESS: Final = frozenset(
    f"active.{row.key}.{column.key}"
    for blocks in voc.ACTIVE_BLOCKS.values()
    for block in blocks
    for row in block.rows
    for column in block.columns
    if column.type is voc.ValueType.MONEY and "万元" not in column.label.text
)


def _split_blanks(cells: Sequence[Token]) -> list[Token]:
    """One token per empty cell: a run of tabs that starts a tab row is one
    BLANK token for as many empty cells as it has tabs."""
    out: list[Token] = []
    for token in cells:
        if token.type == "BLANK" and token.value.count("\t") > 1:
            start = _start(token)
            for offset, char in enumerate(token.value):
                if char == "\t":
                    piece = Token("BLANK", "\t", start + offset, token.line, (token.column or 0) + offset)
                    piece.end_pos = start + offset + 1
                    out.append(piece)
        else:
            out.append(token)
    return out


def _start(token: Token) -> int:
    return token.start_pos or 0


def _end(token: Token) -> int:
    return token.end_pos or 0


@attrs.define
class _Printed:
    """A row as printed: its name (``requests.granted``, ``active.licensing``,
    ``review``), cell ids and types, label, and its own cell tokens."""

    name: str
    ids: list[str]
    types: list[voc.ValueType]
    label: Token
    what: str
    tokens: list[Token]
    quiet: frozenset[int]


class Evidence:
    """What the parse found that only a report of the template has."""

    def __init__(self) -> None:
        self.captions = 0
        self.notes = 0
        self.request_rows: set[str] = set()
        self.review_words: set[str] = set()
        self.headings = 0

    @property
    def tables(self) -> bool:
        """True when the text shows the 2019/2021 template's tables."""
        return bool(
            self.captions
            or self.notes
            or len(self.request_rows) >= 3
            or {"WORD_DIRECT", "WORD_AFTER_RECONSIDERATION"} & self.review_words
        )


class _Builder:
    def __init__(
        self,
        original: str,
        text: str,
        lines: LineIndex | None = None,
        segmentation: Segmentation | None = None,
        spans: LineIndex | None = None,
    ) -> None:
        self.original = original
        self.text = text
        self.lines = lines if lines is not None else LineIndex(text)
        # Text cut out of flattened lines (segment.py): offsets map back to
        # the caller's text, whose lines ``spans`` indexes.
        self.segmentation = segmentation
        self.span_lines = spans if spans is not None else self.lines
        self.diagnostics: list[m.Diagnostic] = []
        self.evidence = Evidence()
        # Labels joined from words the layout broke apart print as the words.
        self.joined: dict[int, str] = {}
        # Crawler text drops a line equal to the line before it, so it never
        # repeats a line, and it has (almost) no empty lines: a text that
        # repeats a line, or is spaced with empty lines (PDF text), cannot have
        # collapsed.
        all_lines = text.split("\n")
        stripped = [line.strip() for line in all_lines if line.strip()]
        empty = len(all_lines) - len(stripped)
        self.collapsible = empty <= max(2, len(all_lines) // 50) and not any(
            a == b for a, b in itertools.pairwise(stripped)
        )

    # -- positions and printed text ------------------------------------------

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        """The offsets of text[start:end] without its surrounding white space."""
        segment = self.text[start:end]
        start += len(segment) - len(segment.lstrip(_TRIM))
        end -= len(segment) - len(segment.rstrip(_TRIM))
        return start, max(end, start)

    def span(self, start: int, end: int) -> m.Span:
        """The span of text[start:end] without its surrounding white space."""
        return self.exact_span(*self.trimmed(start, end))

    def exact_span(self, start: int, end: int) -> m.Span:
        """The span of text[start:end], already trimmed, in the caller's text."""
        if self.segmentation is not None:
            start, end = self.segmentation.to_original(start), self.segmentation.to_original(end)
        return m.Span(start, end, *self.span_lines.positions(start, end))

    def flattened(self, token: Token) -> bool:
        """Whether a token was printed in a flattened line (segment.py)."""
        return self.segmentation is not None and self.segmentation.is_flat(_start(token))

    def token_span(self, token: Token) -> m.Span:
        return self.span(_start(token), _end(token))

    def printed(self, token: Token) -> str:
        """The original text of a token, without surrounding white space."""
        if id(token) in self.joined:
            return self.joined[id(token)]
        start, end = self.trimmed(_start(token), _end(token))
        return self.original[start:end]

    def printed_label(self, tokens: Sequence[Token]) -> str:
        text = self.original[_start(tokens[0]) : _end(tokens[-1])]
        return re.sub(r"\s+", " ", text.replace("\t", " ")).strip(" |")

    def add(self, code: str, message: str, span: m.Span | None = None, cells: Iterable[str] = ()) -> None:
        self.diagnostics.append(dx.make(code, message, span, cells))

    def row_break(self, before: int, after: int) -> bool:
        """Whether a table row ends between two offsets.

        A blank line always ends a row; a newline ends one when the line
        before it holds several cells (tab rows, pipe rows).
        """
        if self.text.find("\n", before, after) == -1:
            return False
        if _BLANK_LINE.search(self.text, before, after):
            return True
        line_start = self.text.rfind("\n", 0, before) + 1
        line = self.text[line_start:before].strip(" \t")
        return "\t" in line or "|" in line

    # -- the report ----------------------------------------------------------

    def build(self, document: Document) -> m.Report:
        metadata, title_token, preamble_lines, agency_lines = self._front(document.front)
        title = self.printed(title_token) if title_token is not None else None
        crawled = next((value for key, value in metadata if key == "标题" and value), None)
        if crawled is not None:  # the page's own title: whole, where the body's may be split
            title = crawled
        if title is not None:
            title = re.sub(r"^标题\s*[:：]\s*", "", title)
        sections: dict[str, Part] = {}
        table_text: dict[str, list[str]] = {"active": [], "requests": [], "review": []}
        tables: list[Table] = list(document.front.tables)
        narrative: dict[str, m.Section] = {}
        for part in document.sections:
            assert part.heading is not None
            kind, key = TERMINAL_KIND[part.heading.type]
            key = "overview" if kind == "lead" else key
            tables.extend(part.tables)
            self._heading_variant(part.heading, key, kind == "lead")
            if key in table_text:
                table_text[key].extend(self.printed(t) for t in part.lines)
                sections.setdefault(key, part)
                continue
            section = self._narrative(part)
            if key in narrative:  # a heading printed twice: keep both texts
                first = narrative[key]
                section = m.Section(
                    first.heading,
                    "\n".join(t for t in (first.text, section.full_text) if t),
                    first.subsections,
                    first.span,
                )
            else:
                sections[key] = part
            narrative[key] = section
        self.evidence.headings = len(sections)
        self._note_evidence(tables)

        template = self._template(tables, _year(title, metadata, document))
        year = _year(title, metadata, document)
        agency = _agency(title, agency_lines, metadata, narrative)
        if agency is None:
            self.add(
                "agency-missing", "the publishing agency was not found in the title or the lines around it"
            )
        if year is None:
            self.add("year-missing", "the reporting year was not found in the title")
        elif template is not None and year < int(template):
            self.add(
                "year-before-template",
                f"the report is for {year}, but its tables follow the {template} template, "
                f"first used for the {template} reports",
            )

        active = requests = review = None
        if template is not None:
            cells: dict[str, m.Cell] = {}
            rows: dict[str, tuple[str | None, m.Span | None]] = {}
            active_extra = self._read_active(template, [t for t in tables if t.kind == "active"], cells)
            request_extra = self._read_requests(
                template, [t for t in tables if t.kind == "requests"], cells, rows
            )
            review_extra = self._read_review(template, [t for t in tables if t.kind == "review"], cells)
            self._missing(template, tables, sections, cells, rows)
            self.diagnostics.extend(check_arithmetic(template, cells))
            active, requests, review = assemble(
                template,
                cells,
                rows,
                active_fields={"text": "\n".join(table_text["active"]), "extra": active_extra},
                requests_fields={"text": "\n".join(table_text["requests"]), "extra": request_extra},
                review_fields={"text": "\n".join(table_text["review"]), "extra": review_extra},
            )
        else:
            self.add(
                "missing-table",
                "none of the template's tables was found, so the template and the cells cannot be read",
            )
        for key in ("overview", "problems", "other_matters"):
            if key not in narrative:
                section_def = next(s for s in voc.SECTIONS if s.key == key)
                self.add(
                    "missing-section",
                    f"section {section_def.numeral}、{section_def.title} was not found",
                )
        self.diagnostics.sort(key=dx.sort_key)
        return m.Report(
            agency=agency,
            year=year,
            template=template,
            title=title,
            preamble="\n".join(
                self.printed(t) for t in preamble_lines if compact(self.printed(t)) not in voc.PAGE_CHROME
            ),
            overview=narrative.get("overview"),
            active=active,
            requests=requests,
            review=review,
            problems=narrative.get("problems"),
            other_matters=narrative.get("other_matters"),
            metadata=tuple(metadata),
            diagnostics=tuple(self.diagnostics),
        )

    # -- front matter and narrative -----------------------------------------

    def _front(self, front: Part) -> tuple[list[tuple[str, str]], Token | None, list[Token], list[str]]:
        """Crawler metadata, the title token, preamble lines, lines before the title."""
        lines = list(front.lines)
        metadata: list[tuple[str, str]] = []
        # Crawler text opens with "key: value" lines up to 正文:
        if lines and _METADATA.match(self.printed(lines[0])):
            while lines:
                match = _METADATA.match(self.printed(lines[0]))
                if match is None:
                    break
                lines.pop(0)
                if match[1] == "正文":
                    break
                metadata.append((match[1], match[2].strip()))
        crawled = next((compact(value) for key, value in metadata if key == "标题" and value), None)
        if crawled is not None:
            # The page's own title is whole; the body repeats it, maybe split.
            while lines and compact(self.printed(lines[0])) and compact(self.printed(lines[0])) in crawled:
                lines.pop(0)
            return metadata, None, lines, []
        title = next((t for t in lines if t.type == "TITLE"), None)
        if title is None:
            return metadata, None, lines, []
        at = lines.index(title)
        # The agency line can come before the title; text after it is the preamble.
        return metadata, title, lines[at + 1 :], [self.printed(t) for t in lines[:at]]

    def _narrative(self, part: Part) -> m.Section:
        assert part.heading is not None
        heading = self.printed(part.heading)
        text: list[str] = []
        subsections: list[m.Subsection] = []
        current: tuple[str, list[str], int] | None = None
        end = _end(part.heading)

        def close() -> None:
            if current is not None:
                sub_heading, lines, start = current
                subsections.append(m.Subsection(sub_heading, "\n".join(lines), self.span(start, end)))

        for token in part.lines:
            line = self.printed(token)
            if len(line) <= _CHROME_LENGTH and compact(line) in voc.PAGE_CHROME:
                continue
            if token.type == "SUBHEADING":
                close()
                head, _, rest = line.partition("。")
                lines = [rest.strip()] if rest.strip() else []
                current = (head.strip() if rest.strip() else line, lines, _start(token))
            elif current is not None:
                current[1].append(line)
            else:
                text.append(line)
            end = _end(token)
        close()
        return m.Section(heading, "\n".join(text), tuple(subsections), self.span(_start(part.heading), end))

    def _heading_variant(self, heading: Token, key: str, lead: bool) -> None:
        section = next(s for s in voc.SECTIONS if s.key == key)
        printed = self.printed(heading)
        if lead or _letters(printed) != _letters(section.title):
            self.add(
                "heading-variant",
                f"section heading {printed!r} read as {section.numeral}、{section.title}",
                self.token_span(heading),
            )

    # -- the template --------------------------------------------------------

    def _note_evidence(self, tables: Sequence[Table]) -> None:
        for table in tables:
            if table.kind == "active":
                self.evidence.captions += 1
            for item in table.items:
                kind = item.terminal_kind
                if kind == "note":
                    self.evidence.notes += 1
                elif kind == "request_row":
                    self.evidence.request_rows.add(item.key)
                elif kind == "review_word" or item.label.type == "WORD_TOTAL":
                    self.evidence.review_words.add(item.label.type)

    def _template(self, tables: Sequence[Table], year: int | None) -> str | None:
        """The template the tables follow. Each table section (二's blocks, 三's
        matrix) votes for the template most of its marks are of; when the two
        disagree (a report part-way between templates), the year decides."""
        votes: dict[str, Counter[str]] = {"active": Counter(), "requests": Counter()}
        marks: dict[str, list[str]] = {"2019": [], "2021": []}

        def vote(section: str, template: str, token: Token) -> None:
            votes[section][template] += 1
            marks[template].append(self.printed(token))

        for table in tables:
            section = "active" if table.kind == "active" else "requests"
            if table.kind == "active" and table.caption is not None:
                item = _CAPTION_ITEM.search(compact(table.caption.value))
                if item and item[1] == "九":
                    vote(section, "2019", table.caption)
            for entry in table.items:
                kind = entry.terminal_kind
                if kind == "active_column" and entry.key in voc.ACTIVE_COLUMNS:
                    templates = voc.ACTIVE_COLUMNS[entry.key][1]
                    if len(templates) == 1:
                        vote(section, templates[0], entry.label)
                elif kind == "active_row" and entry.key in ("other_services", "procurement"):
                    vote(section, "2019", entry.label)
                elif kind == "request_row" and entry.key.startswith("other."):
                    vote(section, "2021", entry.label)
                elif (
                    kind == "request_row"
                    and entry.key == "other"
                    and any(c.type == "VALUE" for c in entry.cells)
                ):
                    vote(section, "2019", entry.label)
        if not self.evidence.tables and not tables:
            return None
        sections = Counter(
            "2019" if counts["2019"] > counts["2021"] else "2021"
            for counts in votes.values()
            if counts["2019"] != counts["2021"]
        )
        if marks["2019"] and marks["2021"]:
            self.add(
                "template-mixed",
                "the tables carry marks of both templates: 2019 ({}), 2021 ({})".format(
                    ", ".join(marks["2019"][:3]), ", ".join(marks["2021"][:3])
                ),
            )
        if sections["2019"] > sections["2021"]:
            return "2019"
        if sections["2021"] > sections["2019"]:
            return "2021"
        guess = "2019" if year is not None and year <= 2020 else "2021"
        if not sections:
            self.add(
                "template-guessed",
                f"the tables do not show which template they follow; read as the {guess} template"
                + (f" from the year {year}" if year is not None else ""),
            )
        return guess

    # -- tables: shared machinery ---------------------------------------------

    def _cut(self, start: int, cells: Sequence[Token]) -> list[Token]:
        """A row's own cells: blank cells after the row has ended are merged
        label cells of the next row, not this row's."""
        out: list[Token] = []
        broken = False
        previous = start
        for token in cells:
            if out and not broken and self.row_break(previous, _start(token)):
                broken = True
            if broken and token.type == "BLANK":
                continue
            out.append(token)
            previous = _end(token)
        return out

    def _structural(
        self, label: Token, cells: Sequence[Token], *, leading: bool, trailing: bool
    ) -> frozenset[int]:
        """Blank cells the layout explains: with ``leading``, empty cells right
        after the label on its own line (a matrix label spans up to three
        columns); with ``trailing``, empty cells at the end of a 第二十条 block
        narrower than its table."""
        quiet: set[int] = set()
        if leading:
            for index, token in enumerate(cells):
                if token.type != "BLANK" or "\n" in self.text[_end(label) : _start(token)]:
                    break
                quiet.add(index)
        if trailing:
            for index in range(len(cells) - 1, -1, -1):
                if cells[index].type != "BLANK":
                    break
                quiet.add(index)
        return frozenset(quiet)

    def _collect(
        self,
        name: str,
        ids: Sequence[str],
        types: Sequence[voc.ValueType],
        label: Token,
        what: str,
        cells: Sequence[Token],
        *,
        trailing: bool = False,
    ) -> _Printed:
        """A row's own printed cells, ready for placement."""
        row = self._cut(_end(label), _split_blanks(cells))
        quiet = self._structural(label, row, leading=not trailing, trailing=trailing)
        return _Printed(name, list(ids), list(types), label, what, row, quiet)

    def _crawled(self, label: Token, tokens: Sequence[Token]) -> bool:
        """Whether a row reads as crawler text whose equal cells may have
        collapsed: the text can have collapsed (see ``collapsible``), and the
        label and each cell are lines of their own."""
        if not self.collapsible or not tokens or any(t.type == "BLANK" for t in tokens):
            return False
        lines = [self.lines.position(_start(label))[0]]
        for token in tokens:
            line = self.lines.position(_start(token))[0]
            start = self.lines.line_start(line)
            end = self.text.find("\n", start)
            if self.text[start : end if end != -1 else len(self.text)].strip() != token.value.strip():
                return False
            lines.append(line)
        return len(set(lines)) == len(lines)

    def _solve(self, printed: Sequence[_Printed], template: str | None, out: dict[str, m.Cell]) -> None:
        """Place every printed row of a table, jointly, from the template's arithmetic."""
        layout = tuple((p.name, tuple(p.ids)) for p in printed)
        constraints = _constraints(template, layout)
        rows = {p.name: self._readings(p, constraints) for p in printed}
        outcomes = solve(rows, constraints)
        for p in printed:
            self._emit(p, rows[p.name], outcomes[p.name], out)

    def _readings(self, printed: _Printed, constraints: Sequence[Constraint]) -> Row:
        """The readings of a printed row: in a flattened line its groups of
        digits cut into cells (equal cells are printed each time there, so
        runs never collapsed); elsewhere under the damage its layout shows."""
        if self.flattened(printed.label):
            local = [c for c in constraints if c.rows == {printed.name}]
            kinds = [kind.value for kind in printed.types]
            split = split_readings(printed.tokens, kinds, local, printed.name)
            if split is not None:
                return split
            if len(printed.tokens) <= len(printed.ids):
                return Row((), "uncut")  # the digits cannot make the row's cells
            return row_readings(printed.tokens, len(printed.ids), printed.quiet)
        return row_readings(
            printed.tokens,
            len(printed.ids),
            printed.quiet,
            collapsed=self._crawled(printed.label, printed.tokens),
        )

    def _emit(self, printed: _Printed, row: Row, outcome: Outcome, out: dict[str, m.Cell]) -> None:
        """The cells of one placed row, and what to say about its placement."""
        width = len(printed.ids)
        cells = agree(outcome.readings, width)
        what, ids = printed.what, printed.ids
        unknown = [i for i, c in zip(ids, cells, strict=True) if c is None]
        resolved = not unknown
        was_open = None in agree(row.readings, width)
        # Messages are built only when a diagnostic is made (the hot path has none).
        where = self.token_span(printed.label) if row.how not in ("exact", "forced") or unknown else None

        def shown() -> str:
            return " ".join(self.printed(t) or "□" for t in printed.tokens) or "nothing"

        def head() -> str:
            return f"{what}: {len(printed.tokens)} cells printed ({shown()}) for {width} columns"

        def read_as() -> str:
            return " ".join((c.text or "□") if c is not None else "?" for c in cells)

        def options() -> str:
            return "; ".join(
                f"{ids[i].rsplit('.', 1)[1]} {' or '.join(candidates(outcome.readings, i))}"
                for i, c in enumerate(cells)
                if c is None
            )

        if row.how in ("split", "forced") and not outcome.gave_up:
            self._say_cut(printed, outcome, cells, where)
        elif row.how == "unplaced" or outcome.gave_up:
            self.add(
                "search-limit",
                f"{head()}; too many readings to try, so the row is left empty",
                where,
                ids,
            )
            cells = (None,) * width
        elif not outcome.readings:
            why = {
                "collapsed": "no way of expanding its collapsed cells fits the template's arithmetic",
                "uncut": "no cut of its digits makes the row's cells (too few digits, as when a blank "
                "cell printed nothing, or a zero, sign or decimal where no cell can take it)",
            }.get(row.how, "which column is missing cannot be told")
            self.add("short-row", f"{head()}; {why}, so the row is left empty", where, ids)
        elif row.how == "exact" and not outcome.used_fallback:
            pass
        elif row.how in ("padded", "extra") and not outcome.used_fallback:
            if not resolved:
                self.add(
                    "long-row",
                    f"{head()}; {len(unknown)} cell(s) left empty because where the extra values belong "
                    f"cannot be told ({options()})",
                    where,
                    unknown,
                )
            elif was_open:
                self.add(
                    "placement-inferred",
                    f"{head()}; read as {read_as()}, the only reading that fits the template's arithmetic",
                    where,
                    ids,
                )
            elif row.how == "extra":
                self.add(
                    "extra-values",
                    f"{head()}; every way of leaving the extra ones out reads the same cells",
                    where,
                    ids,
                )
            elif not row.quiet:
                first = row.dropped[0]
                self.add(
                    "padding-dropped",
                    f"{what}: {len(printed.tokens)} cells printed for {width} columns; "
                    f"{len(row.dropped)} blank cell(s) dropped",
                    self.span(first.start, first.end),
                    ids,
                )
        elif resolved:
            how = (
                "the only reading that fits the template's arithmetic"
                if outcome.fitted
                else "the only reading"
            )
            self.add("placement-inferred", f"{head()}; read as {read_as()}, {how}", where, ids)
        else:
            self.add(
                "placement-ambiguous",
                f"{head()}; {len(outcome.readings)} readings fit, and they disagree: {options()}; "
                "those cells are left empty",
                where,
                unknown,
            )
        for cell_id, kind, piece in zip(ids, printed.types, cells, strict=True):
            out[cell_id] = self._cell(cell_id, kind, piece)

    def _say_cut(
        self, printed: _Printed, outcome: Outcome, cells: Sequence[Piece | None], where: m.Span | None
    ) -> None:
        """What to say about a flattened row whose printed groups were cut
        into cells (nothing when there was one way of cutting them)."""
        if len(outcome.readings) == 1 and not outcome.fitted:
            return
        ids, width = printed.ids, len(printed.ids)
        shown = " ".join(self.printed(t) for t in printed.tokens)
        head = f"{printed.what}: {shown!r} printed run together for {width} cells"
        unknown = [i for i, c in zip(ids, cells, strict=True) if c is None]
        if not outcome.readings:
            self.add(
                "short-row",
                f"{head}; no way of cutting it into the row's cells fits the template's arithmetic, "
                "so the row is left empty",
                where,
                ids,
            )
        elif not unknown:
            cut = " ".join(c.text for c in cells if c is not None)
            self.add(
                "placement-inferred",
                f"{head}; cut as {cut}, the only cut that fits the template's arithmetic",
                where,
                ids,
            )
        else:
            cuts = [" ".join(p.text for p in reading) for reading in outcome.readings]
            listed = " | ".join(cuts[:6]) + (f" | … ({len(cuts) - 6} more)" if len(cuts) > 6 else "")
            ways = (
                f"{len(cuts)} cuts fit the template's arithmetic"
                if outcome.fitted
                else f"it can be cut {len(cuts)} ways"
            )
            self.add(
                "placement-ambiguous",
                f"{head}; {ways} ({listed}), and they disagree on "
                + ", ".join(i.rsplit(".", 1)[1] for i in unknown)
                + "; those cells are left empty",
                where,
                unknown,
            )

    def _cell(self, cell_id: str, kind: voc.ValueType, piece: Piece | None) -> m.Cell:
        if piece is None:
            return m.Cell()
        span = self.exact_span(piece.start, piece.end)
        raw = self.original[piece.start : piece.end]
        reading = read_value(piece.kind, piece.text, kind)
        if reading.problem is not None:
            self.add("bad-value", f"{cell_id}: {reading.problem}", span, (cell_id,))
            return m.Cell(None, raw, span)
        if reading.unit_assumed and cell_id in _UNITLESS:
            self.add(
                "unit-assumed", f"{cell_id}: {raw!r} printed without a unit, read in 万元", span, (cell_id,)
            )
        if isinstance(reading.value, int) and reading.value < 0 and kind is voc.ValueType.COUNT:
            self.add("negative-count", f"{cell_id}: count printed as {raw}", span, (cell_id,))
        return m.Cell(reading.value, raw, span)

    def _label_variant(self, token: Token, canonical: Sequence[str], what: str) -> None:
        printed = self.printed(token)
        letters = _letters(printed)
        if letters and all(letters != _letters(text) for text in canonical):
            self.add(
                "label-variant",
                f"{what} printed as {printed!r} (template: {canonical[0]!r})",
                self.token_span(token),
            )

    def _rescue(self, items: Sequence[Item], kinds: tuple[str, ...]) -> list[Item]:
        """Join labels that a layout broke into unrecognised words.

        ``4.`` / ``保护第三方`` / ``合法权益`` (a tab row whose label wrapped
        after its values) reads as one row label; the words' cells go with it.
        """
        patterns = label_patterns(kinds)
        out: list[Item] = []
        index = 0
        while index < len(items):
            item = items[index]
            if item.kind != "fragment":
                out.append(item)
                index += 1
                continue
            joined = None
            for stop in range(min(len(items), index + 4), index, -1):
                run = items[index:stop]
                if any(i.kind != "fragment" for i in run):
                    continue
                text = "".join(compact(i.label.value) for i in run)
                for name, pattern in patterns:
                    if pattern.fullmatch(text):
                        joined = (stop, name, run)
                        break
                if joined:
                    break
            if joined is None:
                out.append(item)
                index += 1
                continue
            stop, name, run = joined
            first = run[0].label
            label = Token(name, text, _start(first), first.line, first.column)
            label.end_pos = _end(run[-1].label)
            self.joined[id(label)] = "".join(self.printed(i.label) for i in run)
            cells = [c for i in run for c in i.cells]
            kind = {"active_row": "active_row", "request_row": "request_row", "request_group": "request_row"}[
                TERMINAL_KIND[name][0]
            ]
            out.append(Item(kind, label, cells))
            index = stop
        return out

    def _extras(self, items: Sequence[Item], where: str) -> tuple[m.ExtraLine, ...]:
        """Unrecognised words of a table, as extra lines (one per printed line)."""
        lines: list[list[Token]] = []
        for item in items:
            if item.kind != "fragment":
                continue
            tokens = [item.label, *item.cells]
            tokens = [t for t in tokens if t.type != "BLANK"]
            if (
                lines
                and self.lines.position(_end(lines[-1][-1]))[0] == self.lines.position(_start(tokens[0]))[0]
            ):
                lines[-1].extend(tokens)
            else:
                lines.append(tokens)
        out = []
        for tokens in lines:
            text = self.printed_label(tokens)
            span = self.span(_start(tokens[0]), _end(tokens[-1]))
            out.append(m.ExtraLine(text, span))
            self.add(
                "unrecognised-text",
                f"{where}: {text!r} is not part of the template; kept as an extra line",
                span,
            )
        return tuple(out)

    def _stray(self, item: Item, what: str) -> None:
        values = [c for c in item.cells if c.type != "BLANK"]
        if values:
            shown = " ".join(self.printed(v) for v in values)
            self.add(
                "stray-values",
                f"values printed after {what} {self.printed(item.label)!r} ({shown}) were not read",
                self.token_span(values[0]),
            )

    # -- 二、主动公开政府信息情况 ---------------------------------------------------

    def _read_active(
        self, template: str, tables: Sequence[Table], out: dict[str, m.Cell]
    ) -> tuple[m.ExtraLine, ...]:
        blocks = {row.key: (block, row) for block in voc.ACTIVE_BLOCKS[template] for row in block.rows}
        seen: set[str] = set()
        leftovers: list[Item] = []
        printed: list[_Printed] = []
        for table in tables:
            assert table.caption is not None
            self._stray(Item("active_header", table.caption, table.caption_cells), "the caption")
            foreign = self._foreign_columns(template, table)
            for item in self._rescue(table.items, ("active_row",)):
                if item.kind == "active_header":
                    self._stray(item, "the header")
                    if item.key in voc.ACTIVE_COLUMNS:
                        column = voc.ACTIVE_COLUMNS[item.key][0]
                        self._label_variant(item.label, (column.label.text,), "column header")
                    continue
                if item.kind == "fragment":
                    leftovers.append(item)
                    continue
                key = item.key
                if key not in blocks:
                    leftovers.append(Item("fragment", item.label, item.cells))
                    continue
                block, row = blocks[key]
                ids = [f"active.{key}.{c.key}" for c in block.columns]
                if key in seen:
                    self.add(
                        "duplicate-row",
                        f"row {row.label.text} printed again; the first is read",
                        self.token_span(item.label),
                        ids,
                    )
                    continue
                seen.add(key)
                self._label_variant(item.label, (row.label.text,), "row label")
                if foreign:
                    self.add(
                        "foreign-columns",
                        f"row {row.label.text}: its block prints the columns of the other template "
                        f"({foreign}), not the {template} template's, so its cells are left empty",
                        self.token_span(item.label),
                        ids,
                    )
                    for cell_id in ids:
                        out[cell_id] = m.Cell()
                    continue
                printed.append(
                    self._collect(
                        f"active.{key}",
                        ids,
                        [c.type for c in block.columns],
                        item.label,
                        row.label.text,
                        item.cells,
                        trailing=True,
                    )
                )
        self._solve(printed, None, out)
        return self._extras(leftovers, "section 二")

    def _foreign_columns(self, template: str, table: Table) -> str:
        """The column headers of a 第二十条 block, when they are all of the
        other template (a report part-way between templates): its values
        are not the cells of ``template``'s columns. "" otherwise."""
        own: list[str] = []
        other: list[str] = []
        for item in table.items:
            if item.kind == "active_header" and item.key in voc.ACTIVE_COLUMNS:
                templates = voc.ACTIVE_COLUMNS[item.key][1]
                (own if template in templates else other).append(self.printed(item.label))
        return "" if own or not other else ", ".join(other)

    # -- 三、收到和处理政府信息公开申请情况 ----------------------------------------------

    def _read_requests(
        self,
        template: str,
        tables: Sequence[Table],
        out: dict[str, m.Cell],
        rows: dict[str, tuple[str | None, m.Span | None]],
    ) -> tuple[m.ExtraLine, ...]:
        wanted = {row.id: row for row in voc.request_rows(template)}
        columns = [c.key for c in voc.REQUEST_COLUMNS]
        types = [voc.ValueType.COUNT] * len(columns)
        leftovers: list[Item] = []
        printed: list[_Printed] = []
        items = [i for t in tables for i in t.items]
        for item in self._rescue(items, ("request_row", "request_group")):
            if self._bare_other(item, template, rows):
                # （六）'s third row printed as 其他 alone, the header word's
                # text: after the other two rows of （六）, with its cells.
                item = Item(
                    "request_row",
                    Token.new_borrow_pos("RROW_OTHER_OTHER", item.label, item.label),
                    item.cells,
                )
            if item.kind == "request_header":
                self._stray(item, "the header")
                if item.terminal_kind == "request_column" and item.key:
                    column = next(c for c in voc.REQUEST_COLUMNS if c.key == item.key)
                    self._label_variant(item.label, (column.label.text,), "column header")
                continue
            if item.kind == "fragment":
                leftovers.append(item)
                continue
            kind, key = item.terminal_kind, item.key
            if kind == "request_group" or (key == "other" and template == "2021"):
                self._stray(item, "the group label")
                continue
            if key not in wanted:
                leftovers.append(Item("fragment", item.label, item.cells))
                continue
            row = wanted[key]
            path = f"requests.{key}"
            ids = [f"{path}.{c}" for c in columns]
            if path in rows:
                self.add(
                    "duplicate-row",
                    f"row {row.label.printed} printed again; the first is read",
                    self.token_span(item.label),
                    ids,
                )
                continue
            rows[path] = (self.printed(item.label), self.token_span(item.label))
            self._label_variant(item.label, (row.label.text + row.label.note,), "row label")
            printed.append(self._collect(path, ids, types, item.label, row.label.printed, item.cells))
        self._solve(printed, template, out)
        return self._extras(leftovers, "section 三")

    @staticmethod
    def _bare_other(item: Item, template: str, rows: dict[str, tuple[str | None, m.Span | None]]) -> bool:
        return (
            template == "2021"
            and item.kind == "request_header"
            and item.key == "other_org"
            and "requests.other.unpaid_fee" in rows
            and "requests.other.other" not in rows
            and any(c.type == "VALUE" for c in item.cells)
        )

    # -- 四、政府信息公开行政复议、行政诉讼情况 -------------------------------------------

    def _read_review(
        self, template: str, tables: Sequence[Table], out: dict[str, m.Cell]
    ) -> tuple[m.ExtraLine, ...]:
        ids = [f"review.{g}.{o}" for g, _ in voc.REVIEW_GROUPS for o, _ in voc.REVIEW_OUTCOMES]
        items = [i for t in tables for i in t.items]
        if not items:
            return ()
        headers = [i for i, item in enumerate(items) if item.kind == "review_header"]
        last = headers[-1]
        data_at = next(
            (i for i in range(last, len(items)) if any(c.type != "BLANK" for c in items[i].cells)),
            last,
        )
        for item in items[:data_at]:
            self._stray(item, "the header")
        source = items[data_at]
        # Blank cells on the header word's own line pad the header, not the data.
        cells = list(source.cells)
        while (
            cells
            and cells[0].type == "BLANK"
            and "\n" not in self.text[_end(source.label) : _start(cells[0])]
        ):
            cells.pop(0)
        review = self._collect(
            "review", ids, [voc.ValueType.COUNT] * len(ids), source.label, "the review row", cells
        )
        self._solve([review], template, out)
        leftovers = [i for i in items[data_at + 1 :] if i.kind == "fragment"]
        if source.kind == "fragment" and data_at > last:
            pass  # a header word the layout broke (结果 结果 其他 …): not an extra line
        return self._extras(leftovers, "section 四")

    # -- what is missing ------------------------------------------------------

    def _missing(
        self,
        template: str,
        tables: Sequence[Table],
        sections: dict[str, Part],
        cells: dict[str, m.Cell],
        rows: dict[str, tuple[str | None, m.Span | None]],
    ) -> None:
        found = {t.kind for t in tables}
        first = {}
        for table in reversed(tables):
            head = (
                table.caption
                if table.caption is not None
                else (table.items[0].label if table.items else None)
            )
            if head is not None:
                first[table.kind] = self.token_span(head)
        for key, numeral in (("active", "二"), ("requests", "三"), ("review", "四")):
            section = next(s for s in voc.SECTIONS if s.key == key)
            if key not in found:
                ids = [i for i in voc.cell_ids(template) if i.startswith(key + ".")]
                self.add(
                    "missing-table",
                    f"the table of section {numeral}、{section.title} was not found; its {len(ids)} cells are left empty",
                    None,
                    ids,
                )
            elif key not in sections:
                self.add(
                    "missing-heading",
                    f"the heading {numeral}、{section.title} was not found, but its table was",
                )
        if "active" in found:
            for block in voc.ACTIVE_BLOCKS[template]:
                for row in block.rows:
                    ids = [f"active.{row.key}.{c.key}" for c in block.columns]
                    if ids[0] not in cells:
                        self.add(
                            "missing-row",
                            f"row {row.label.text} of 第二十条第（{block.item}）项 was not found",
                            first.get("active"),
                            ids,
                        )
        if "requests" in found:
            for request_row in voc.request_rows(template):
                if f"requests.{request_row.id}" not in rows:
                    ids = [f"requests.{request_row.id}.{c.key}" for c in voc.REQUEST_COLUMNS]
                    self.add(
                        "missing-row",
                        f"row {request_row.label.printed} was not found",
                        first.get("requests"),
                        ids,
                    )


@functools.lru_cache(maxsize=256)
def _constraints(
    template: str | None, layout: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[Constraint, ...]:
    """The template's rules over the printed rows ``layout`` (each row's name
    and cell ids), as constraints on (row, column) places; rules naming a
    cell that was not printed are left out. Tables print the same rows
    report after report, so the constraints are built once per layout."""
    where = {cell_id: (name, i) for name, ids in layout for i, cell_id in enumerate(ids)}
    return tuple(
        Constraint(rule.letter, tuple(where[c] for c in rule.left), tuple(where[c] for c in rule.right))
        for rule in (rules(template) if template else ())
        if all(c in where for c in (*rule.left, *rule.right))
    )


def _year(title: str | None, metadata: Sequence[tuple[str, str]], document: Document) -> int | None:
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


def _agency(
    title: str | None,
    before_title: Sequence[str],
    metadata: Sequence[tuple[str, str]],
    narrative: dict[str, m.Section],
) -> str | None:
    if title is not None:
        folded = compact(title)
        match = re.match(r"(.*?)(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年", folded)
        if match:
            # …局关于报送2020年度…的函, 关于…局2020年…: the agency, not the letter.
            name = re.sub(r"^关于|关于.*$", "", match[1])
            if len(name) >= 2:
                return name
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


def build(
    original: str,
    text: str,
    document: Document,
    lines: LineIndex | None = None,
    *,
    segmentation: Segmentation | None = None,
    spans: LineIndex | None = None,
) -> tuple[m.Report, Evidence]:
    """The report read from ``document`` (parts of the normalized ``text``,
    whose line index ``lines`` is, if the caller has made it). When ``text``
    was cut out of flattened lines, ``original`` is the caller's text cut
    the same way, ``segmentation`` says where, and ``spans`` is the line
    index of the caller's text, which every span points into."""
    builder = _Builder(original, text, lines, segmentation, spans)
    report = builder.build(document)
    return report, builder.evidence
