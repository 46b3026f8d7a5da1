"""Stage 3: parse tree → parts.

A stateless :class:`lark.Transformer` turns the tree into plain records that
keep every token (with its position): the front matter, one :class:`Part`
per section, and per table its :class:`Item` list (a label and the cells
printed after it). What the items mean is decided in :mod:`govreport.build`.
"""

from __future__ import annotations

from typing import Any

import attrs
from lark import Token, Transformer

from .grammar import TERMINAL_KIND

__all__ = ["Item", "Table", "Part", "Document", "ToParts"]


@attrs.define(slots=True)
class Item:
    """A label (or unrecognised word) and the cells printed after it.

    ``kind``: ``active_header``, ``active_row``, ``request_header``,
    ``request_row``, ``review_header`` or ``fragment``; ``key`` is the row id,
    column key or terminal the label stands for (see grammar.TERMINAL_KIND).
    """

    kind: str
    label: Token
    cells: list[Token]

    @property
    def key(self) -> str:
        return TERMINAL_KIND.get(self.label.type, ("fragment", ""))[1]

    @property
    def terminal_kind(self) -> str:
        return TERMINAL_KIND.get(self.label.type, ("fragment", ""))[0]


@attrs.define(slots=True)
class Table:
    """``kind``: ``active`` (one 第二十条 block; ``caption`` set), ``requests``
    or ``review``."""

    kind: str
    items: list[Item]
    caption: Token | None = None
    caption_cells: list[Token] = attrs.field(factory=list)


@attrs.define(slots=True)
class Part:
    """A section: its heading token (None for the front matter), its lines
    (LINE, SUBHEADING and TITLE tokens) and its tables."""

    heading: Token | None
    lines: list[Token]
    tables: list[Table]


@attrs.define(slots=True)
class Document:
    front: Part
    sections: list[Part]


def _split(children: list[Any]) -> tuple[list[Token], list[Table]]:
    lines = [c for c in children if isinstance(c, Token)]
    tables = [c for c in children if isinstance(c, Table)]
    return lines, tables


class ToParts(Transformer[Token, Document]):
    """Stateless: one instance serves every parse."""

    def report(self, children: list[Any]) -> Document:
        front, *sections = children
        if isinstance(front, tuple):  # the front matter and a lead section
            front, lead = front
            sections.insert(0, lead)
        return Document(front, sections)

    def front(self, children: list[Any]) -> Part | tuple[Part, Part]:
        # front: (TITLE | LINE)* lead? _tables. A lead heading opens the first
        # section, which takes the tables that follow it.
        leads = [c for c in children if isinstance(c, Part)]
        lines, tables = _split(children)
        if not leads:
            return Part(None, lines, tables)
        lead = leads[0]
        lead.tables.extend(tables)
        return Part(None, lines, []), lead

    def lead(self, children: list[Any]) -> Part:
        heading, *rest = children
        lines, tables = _split(rest)
        return Part(heading, lines, tables)

    def section(self, children: list[Any]) -> Part:
        heading, *rest = children
        lines, tables = _split(rest)
        return Part(heading, lines, tables)

    def active_block(self, children: list[Any]) -> Table:
        caption, *rest = children
        cells = [c for c in rest if isinstance(c, Token)]
        items = [c for c in rest if isinstance(c, Item)]
        return Table("active", items, caption, cells)

    def request_table(self, children: list[Item]) -> Table:
        return Table("requests", children)

    def review_table(self, children: list[Item]) -> Table:
        return Table("review", children)

    request_table_here = request_table
    review_table_here = review_table

    def _item(kind: str) -> Any:  # type: ignore[misc]
        def method(self: ToParts, children: list[Token]) -> Item:
            label, *cells = children
            return Item(kind, label, cells)

        method.__name__ = kind
        return method

    active_header = _item("active_header")
    active_row = _item("active_row")
    request_lead = _item("request_header")
    request_header = _item("request_header")
    request_row = _item("request_row")
    request_first = _item("request_row")
    review_lead = _item("review_header")
    review_start = _item("review_header")
    review_header = _item("review_header")
    active_fragment = _item("fragment")
    request_fragment = _item("fragment")
    review_fragment = _item("fragment")
    del _item
