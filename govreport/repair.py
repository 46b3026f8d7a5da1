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

- **Line breaks written as markup or escapes** (a page's source, or a
  JSON string, saved as text): when a text's ``<br>`` tags, or its
  escaped ``\\n`` sequences, are many (over ten) and twice its line breaks,
  they were its line breaks: each becomes spaces and a line break (escaped ``\\t`` a space and
  a tab, too). A literal ``&nbsp;`` is white space.

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


#: Escaped line breaks and tabs, as a JSON string or a program's source writes them.
_ESCAPED: Final = re.compile(r"\\r\\n|\\[nrt]")
#: ``<br>`` tags or escaped line breaks are the text's line breaks when there
#: are more than this many, and twice as many as its real ones.
_MIN_BREAKS: Final = 10
#: An HTML entity that is white space, written out.
_SPACE_ENTITY: Final = re.compile(r"&(?:nbsp|ensp|emsp|#160|#xa0);", re.I)


def _as_line_break(match: re.Match[str]) -> str:
    """Spaces and a line break, as long as ``match`` (a tab for ``\\t``)."""
    end = "\t" if match.group(0) == "\\t" else "\n"
    return " " * (len(match.group(0)) - 1) + end


def repair(text: str) -> str:
    """``text`` (normalized) with the converters' layout damage undone; same length."""
    if "#" in text or "**" in text or "__" in text:
        text = _unmark(text)
    if "<br" in text or "<BR" in text:
        breaks = len(_BREAK.findall(text))
        # more tags than line breaks: they were the text's line breaks (a page's
        # source); else a line break inside a markdown table's cell
        keep = breaks > max(2 * text.count("\n"), _MIN_BREAKS)
        text = _BREAK.sub(_as_line_break if keep else (lambda m: " " * len(m.group(0))), text)
    if "\\" in text and len(_ESCAPED.findall(text)) > max(2 * text.count("\n"), _MIN_BREAKS):
        text = _ESCAPED.sub(_as_line_break, text)
    if "&" in text:
        text = _SPACE_ENTITY.sub(lambda m: " " * len(m.group(0)), text)
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
