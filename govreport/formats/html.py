"""Reading a report page saved from a government site.

The page is decoded (byte-order mark, UTF-8, the ``<meta>`` charset, then the
text detection of :mod:`.text`), parsed with BeautifulSoup and lxml, and the
article found: a ``TRS_Editor`` div (the CMS most Chinese government sites
use) that holds the report, else the smallest element holding the most of
the report's landmarks (一、总体情况, 第二十条, 行政复议, …), the body
itself a candidate (a fragment's tables sit directly in it), else the body.
Scripts, styles, navigation, headers, footers, form controls and hidden elements are
dropped. Block elements and ``<br>`` end lines; each table is expanded to its
true grid (``rowspan``/``colspan``) and written as tab rows by
:mod:`.layout`. A table holding other tables is a layout table: its cells
are read as blocks. The page's title (``<h1>``, the ``ArticleTitle`` meta,
``<title>``) is put first when the article does not print it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from .errors import missing_extra
from .layout import Grid, Layout, Span, expand
from .text import Decoded, declared_charset, decode

if TYPE_CHECKING:
    from bs4 import BeautifulSoup
    from bs4.element import PageElement, Tag

__all__ = ["read_html"]

_DROP: Final = frozenset(
    ("script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "svg", "canvas",
     "nav", "header", "footer", "button", "select", "input", "textarea", "head", "link", "meta")
)  # fmt: skip
_BLOCK: Final = frozenset(
    ("address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
     "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
     "hgroup", "hr", "html", "li", "main", "menu", "ol", "p", "pre", "section", "summary", "ul",
     "table", "thead", "tbody", "tfoot", "tr", "td", "th")
)  # fmt: skip
_MARKERS: Final = ("总体情况", "主动公开政府信息情况", "第二十条", "收到和处理政府信息公开申请", "行政复议",
                   "存在的主要问题", "其他需要报告")  # fmt: skip
_CONTAINERS: Final = ("body", "div", "td", "article", "section", "main", "table", "center")
_WHITESPACE: Final = re.compile(r"[ \t\n\r\f]+")
_HIDDEN: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_SPLIT: Final = re.compile(r"\s+[-_|–—]\s+|[_|]")


def _soup(text: str) -> BeautifulSoup:
    try:
        from bs4 import BeautifulSoup, FeatureNotFound
    except ImportError as error:
        raise missing_extra("html", "HTML pages", error) from error
    try:
        return BeautifulSoup(text, "lxml")
    except FeatureNotFound:  # lxml, the parser the page is read with, is not installed
        raise missing_extra("html", "HTML pages", ImportError(name="lxml")) from None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _span_attr(cell: Tag, name: str) -> int:
    value = cell.get(name)
    match = re.match(r"\s*(\d+)", value if isinstance(value, str) else "")
    return int(match.group(1)) if match else 1


class _Sink:
    """Collects the lines and tables of a walk."""

    def __init__(self, tables: bool) -> None:
        self.tables = tables
        self.parts: list[str] = []
        self.blocks: list[str | Grid] = []

    def text(self, text: str) -> None:
        self.parts.append(_WHITESPACE.sub(" ", text))

    def newline(self) -> None:
        line = "".join(self.parts).strip()
        self.parts.clear()
        if line:
            self.blocks.append(line)

    def table(self, table: Tag) -> None:
        self.blocks.append(_grid(table))


def _walk(root: Tag, sink: _Sink) -> None:
    """Walk ``root``'s content in document order (without recursion: pages
    nest deeply)."""
    from bs4.element import CData, NavigableString, Tag

    stack: list[Iterator[PageElement] | None] = [iter(root.children)]
    while stack:
        top = stack[-1]
        if top is None:
            stack.pop()
            sink.newline()
            continue
        child = next(top, None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            style = child.get("style")
            if child.name in _DROP or (isinstance(style, str) and _HIDDEN.search(style)):
                continue
            if child.name == "br":
                sink.newline()
            elif child.name == "table" and sink.tables and child.find("table") is None:
                sink.newline()
                sink.table(child)
            elif child.name in _BLOCK:
                sink.newline()
                stack.extend((None, iter(child.children)))
            else:
                stack.append(iter(child.children))
        elif type(child) in (NavigableString, CData):
            sink.text(str(child))
    sink.newline()


def _cell_text(cell: Tag) -> str:
    sink = _Sink(tables=False)
    _walk(cell, sink)
    return "\n".join(block for block in sink.blocks if isinstance(block, str))


def _grid(table: Tag) -> Grid:
    rows = []
    for tr in table.find_all("tr"):
        cells = tr.find_all(["td", "th"], recursive=False)
        rows.append(
            [
                Span(_cell_text(td), _span_attr(td, "colspan"), _span_attr(td, "rowspan") or 1 << 16)
                for td in cells
            ]
        )
    return expand(rows)


def _best(tags: list[Tag]) -> Tag | None:
    """The smallest of ``tags`` holding the most of the report's landmarks."""
    scored = []
    for tag in tags:
        text = _compact(tag.get_text())
        scored.append((sum(marker in text for marker in _MARKERS), len(text), tag))
    top = max((score for score, _, _ in scored), default=0)
    if top == 0:
        return None
    return min((item for item in scored if item[0] == top), key=lambda item: item[1])[2]


def _article(body: Tag) -> Tag:
    editors = body.find_all(class_=re.compile(r"^TRS_U?Editor$", re.I))
    return _best(editors) or _best([body, *body.find_all(_CONTAINERS)]) or body


def _title(soup: BeautifulSoup) -> str | None:
    """The report's title as the page shows it outside the article."""
    for heading in soup.find_all(["h1", "h2", "h3"]):
        text = _WHITESPACE.sub(" ", heading.get_text(" ")).strip()
        if "报告" in text:
            return text
    for name in ("ArticleTitle", "title", "og:title"):
        meta = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        content = meta.get("content") if meta is not None else None
        if isinstance(content, str) and "报告" in content:
            return content.strip()
    if soup.title is not None:
        for part in _TITLE_SPLIT.split(soup.title.get_text()):
            if "报告" in part:
                return _WHITESPACE.sub(" ", part).strip()
    return None


def read_html(
    data: bytes, *, encoding: str | None = None, errors: str = "strict", name: str | None = None
) -> tuple[Layout, Decoded]:
    """The text of a report page, and how it was decoded (its text is the
    page's markup). ``encoding``, when given, is used instead of the page's
    own ``<meta charset>`` and of detection; ``errors`` as in
    :func:`~govreport.formats.text.decode`."""
    decoded = decode(data, declared_charset(data), encoding=encoding, errors=errors, name=name, format="html")
    text = decoded.text
    soup = _soup(text)
    title = _title(soup)
    body = soup.body or soup
    for tag in body.find_all(list(_DROP)):
        if not tag.decomposed:
            tag.decompose()
    sink = _Sink(tables=True)
    _walk(_article(body), sink)
    layout = Layout()
    first = [_compact(block) for block in sink.blocks[:5] if isinstance(block, str)]
    if title and _compact(title) not in first:
        layout.line(title)
    for block in sink.blocks:
        if isinstance(block, str):
            layout.line(block)
        else:
            layout.table(block)
    return layout, decoded
