"""Writing what a reader found as text in a layout the parser reads.

Every reader turns its file into narrative lines and table grids, and this
module writes them out:

- a narrative line is written as it is, tabs turned into spaces;
- a table is written as **tab rows**: one line per grid row, one field per
  grid column, fields separated by tabs (a row whose first field is empty
  starts with a tab). A cell covered by a row or column span is an empty field,
  never a repeat of the merged cell's text; a blank cell is an empty field.
  A cell's own line breaks are joined (without a space between Chinese
  characters, with one between Latin words or numbers).

A table with a single column or a cell as long as an article is a table that
lays out a page, not a data table: its cells are written as lines.

A grid is a list of rows; each row a list of fields: the cell's text (``""``
for a blank cell) where a cell starts, ``None`` where a span covers the
position. Rows with no text and columns in which no cell starts (columns
that exist only because of how a file laid out its column widths) are
dropped; they hold nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

__all__ = ["Grid", "Span", "expand", "join_lines", "Layout"]

Grid = list[list[str | None]]

#: The most columns and rows one HTML cell may span (HTML's own limits).
MAX_COLSPAN: Final = 1000
#: The longest text a cell of the template's tables holds is a label of some
#: 45 characters; a table with a cell longer than this lays out a page.
MAX_CELL: Final = 300
_SPACE: Final = re.compile(r"\s+")


def join_lines(text: str) -> str:
    """A cell's text on one line: its lines stripped and joined, without a
    space where either side is not ASCII (Chinese text), with one otherwise."""
    out = ""
    for piece in text.splitlines():
        piece = _SPACE.sub(" ", piece).strip()
        if not piece:
            continue
        if out and out[-1].isascii() and piece[0].isascii():
            out += " "
        out += piece
    return out


class Span:
    """A table cell as a file declares it: its text and how many columns and
    rows it spans (HTML ``colspan``/``rowspan``)."""

    __slots__ = ("columns", "rows", "text")

    def __init__(self, text: str, columns: int = 1, rows: int = 1) -> None:
        self.text = text
        self.columns = min(max(columns, 1), MAX_COLSPAN)
        self.rows = max(rows, 1)


def expand(rows: Sequence[Sequence[Span]]) -> Grid:
    """The grid of a table given as rows of spanning cells (HTML's model):
    each cell takes the next position its row has free, and covers the
    positions of its spans (clipped at the table's last row)."""
    taken: dict[tuple[int, int], str | None] = {}
    height = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            for dr in range(min(cell.rows, height - r)):
                for dc in range(cell.columns):
                    taken[r + dr, c + dc] = None
            taken[r, c] = cell.text
            c += cell.columns
    width = max((c for _, c in taken), default=-1) + 1
    return [[taken.get((r, c)) for c in range(width)] for r in range(height)]


def _prune(grid: Grid) -> Grid:
    rows = [row for row in grid if any(field and field.strip() for field in row)]
    width = max((len(row) for row in rows), default=0)
    padded = [row + [None] * (width - len(row)) for row in rows]
    keep = [c for c in range(width) if any(row[c] is not None for row in padded)]
    return [[row[c] for c in keep] for row in padded]


class Layout:
    """The extracted text being written, with the page of each line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pages: list[int] = []

    def line(self, text: str, page: int = 0) -> None:
        """A narrative line (nothing is written for a blank one)."""
        text = text.replace("\t", " ").strip()
        if text:
            self.lines.append(text)
            self.pages.append(page)

    def table(self, grid: Grid, page: int = 0) -> None:
        """A table grid, as tab rows; a table that only lays out a page (one
        column, or a cell holding text as long as an article) as lines."""
        rows = _prune(grid)
        if any(len(row) < 2 for row in rows) or any(
            len(field or "") > MAX_CELL for row in rows for field in row
        ):
            for field in (field for row in rows for field in row if field):
                for line in field.splitlines():
                    self.line(line, page)
            return
        for row in rows:
            self.lines.append("\t".join(join_lines(field or "") for field in row))
            self.pages.append(page)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n" if self.lines else ""
