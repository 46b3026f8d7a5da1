"""Stage 1b: repairs of what converters do to a report's layout, on the
normalized text, each keeping its length (so every span still points into
the caller's text, at the same line and column).

- **Markdown markup** (PDF-to-markdown converters, OCR and language-model
  pipelines): the heading markers that start a line (``## 二、主动公开…``)
  and the emphasis markers around a run of text (``**一、总体情况**``)
  become spaces, so that a heading or a label matches as printed, and so
  does a ``<br>`` inside a table cell (a line break the converter kept).
- **Tabs expanded to spaces** (a one-cell-per-line text whose tab-led cell
  lines a converter indented with spaces instead): when the text has no tab,
  and its indented lines are cell lines (one field each, all indented at
  least as deep as the shallowest) among which some are indentation alone
  (the blank cells), the first character of each indented line becomes the
  tab it stood for. Without this, a blank cell's line reads as white space
  and its row comes out a cell short.

Each repair looks for its own signature in the text and leaves a text
without it exactly as it was.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["repair"]

#: A markdown heading marker at a line start: ``#`` to ``######`` and a space.
_HEADING: Final = re.compile(r"(?m)^[ ]{0,3}(#{1,6})[ ]+(?=\S)")
#: A line break inside a markdown table cell, as converters write it.
_BREAK: Final = re.compile(r"<br\s*/?>", re.I)
#: Emphasis markers around a run of text on one line: ``**…**``, ``__…__``.
_EMPHASIS: Final = re.compile(r"(\*\*|__)(?=\S)([^\n*_]*?\S)\1")
#: An indented line: its indentation and the rest.
_INDENTED: Final = re.compile(r"(?m)^([ ]{2,})(.*)$")

#: At least this many indented lines make a text of expanded tabs.
_MIN_CELL_LINES: Final = 20
#: And at least this share of them hold a single field.
_SINGLE_FIELD_SHARE: Final = 0.8


def repair(text: str) -> str:
    """``text`` (normalized) with the converters' layout damage undone; same length."""
    if "#" in text or "**" in text or "__" in text:
        text = _unmark(text)
    if "<br" in text or "<BR" in text:
        text = _BREAK.sub(lambda m: " " * len(m.group(0)), text)
    if "\t" not in text and "\n  " in text:
        text = _expand_tabs_back(text)
    return text


def _unmark(text: str) -> str:
    text = _HEADING.sub(lambda m: m.group(0).replace("#", " "), text)
    return _EMPHASIS.sub(lambda m: "  " + m.group(2) + "  ", text)


def _expand_tabs_back(text: str) -> str:
    lines = text.split("\n")
    indented = [(len(m.group(1)), m.group(2)) for line in lines if (m := _INDENTED.match(line))]
    content = [(depth, rest) for depth, rest in indented if rest.strip()]
    if len(content) < _MIN_CELL_LINES:
        return text
    depth = min(d for d, _ in content)
    single = sum("  " not in rest.strip() for _, rest in content)
    blanks = sum(1 for d, rest in indented if not rest.strip() and d >= depth)
    if single < _SINGLE_FIELD_SHARE * len(content) or blanks == 0:
        return text
    lead = " " * depth
    return "\n".join("\t" + line[1:] if line.startswith(lead) else line for line in lines)
