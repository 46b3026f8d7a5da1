"""Which template the tables follow (2019 or 2021), and the evidence that
a text holds the template's tables at all (which tells a report of the
template from a pre-2019 one)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

from lark import Token

from .. import vocabulary as voc
from ..grammar import compact
from ..transform import Table
from .context import Context

_CAPTION_ITEM: Final = re.compile(r"\(?\s*([一二三四五六七八九十])\s*\)?\s*项")


def note_evidence(ctx: Context, tables: Sequence[Table]) -> None:
    for table in tables:
        if table.kind == "active":
            ctx.evidence.captions += 1
        for item in table.items:
            kind = item.terminal_kind
            if kind == "note":
                ctx.evidence.notes += 1
            elif kind == "request_row":
                ctx.evidence.request_rows.add(item.key)
            elif kind == "review_word" or item.label.type == "WORD_TOTAL":
                ctx.evidence.review_words.add(item.label.type)


def template_of(ctx: Context, tables: Sequence[Table], year: int | None) -> str | None:
    """The template the tables follow. Each table section (二's blocks, 三's
    matrix) votes for the template most of its marks are of; when the two
    disagree (a report part-way between templates), the year decides."""
    votes: dict[str, Counter[str]] = {"active": Counter(), "requests": Counter()}
    marks: dict[str, list[str]] = {"2019": [], "2021": []}

    def vote(section: str, template: str, token: Token) -> None:
        votes[section][template] += 1
        marks[template].append(ctx.printed(token))

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
                kind == "request_row" and entry.key == "other" and any(c.type == "VALUE" for c in entry.cells)
            ):
                vote(section, "2019", entry.label)
    if not ctx.evidence.tables and not tables:
        return None
    sections = Counter(
        "2019" if counts["2019"] > counts["2021"] else "2021"
        for counts in votes.values()
        if counts["2019"] != counts["2021"]
    )
    if marks["2019"] and marks["2021"]:
        ctx.add(
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
        ctx.add(
            "template-guessed",
            f"the tables do not show which template they follow; read as the {guess} template"
            + (f" from the year {year}" if year is not None else ""),
        )
    return guess
