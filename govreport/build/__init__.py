"""Stage 4: parts → the report model.

This is where the template's meaning is applied to what the grammar found:
which template the tables follow, which cells a row's printed values are,
which text is the title, the agency and the narrative. Nothing here guesses a
number: a value is read only from a printed cell, and every doubt becomes a
diagnostic naming the cells (see :mod:`govreport.cells` for the row rules).

One module per part of a report, sharing a :class:`~.context.Context`:

- :mod:`.context`: the text, positions, spans and diagnostics;
- :mod:`.front`: metadata, title, year, agency and the narrative sections;
- :mod:`.template`: which template the tables follow;
- :mod:`.active`, :mod:`.requests`, :mod:`.review`: the three tables
  (section 二's 第二十条 blocks, section 三's request matrix, section 四's
  review row);
- :mod:`.rows`: a table's printed rows placed into cells, solved from the
  template's arithmetic (shared by the three tables);
- :mod:`.labels`: labels and words printed beside the cells;
- :mod:`.missing`: tables, headings and rows the report does not print.
"""

from __future__ import annotations

import re

import attrs

from .. import diagnostics as dx
from .. import model as m
from .. import vocabulary as voc
from ..checks import check_arithmetic
from ..grammar import TERMINAL_KIND, compact
from ..narrative import Line, check_narrative
from ..normalize import LineIndex
from ..quality import check_report
from ..segment import Segmentation
from ..serialize import assemble
from ..transform import Document, Part, Table
from .active import read_active
from .context import Context, Evidence, end_of, start_of
from .front import agency_of, front_matter, heading_variant, narrative_section, year_of
from .missing import say_missing
from .requests import read_requests
from .review import read_review
from .template import note_evidence, template_of

__all__ = ["build", "Evidence"]


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
    ctx = Context(original, text, lines, segmentation, spans)
    return _report(ctx, document), ctx.evidence


def _report(ctx: Context, document: Document) -> m.Report:
    metadata, title, preamble_lines, agency_lines = front_matter(ctx, document.front)
    crawled = next((value for key, value in metadata if key == "标题" and value), None)
    if crawled is not None:  # the page's own title: whole, where the body's may be split
        title = crawled
    if title is not None:
        title = re.sub(r"^标题\s*[:：]\s*", "", title)
    sections: dict[str, Part] = {}
    table_text: dict[str, list[str]] = {"active": [], "requests": [], "review": []}
    tables: list[Table] = list(document.front.tables)
    narrative: dict[str, m.Section] = {}
    narrative_lines: list[Line] = []
    for part in document.sections:
        assert part.heading is not None
        narrative_lines.append(Line(*ctx.trimmed(start_of(part.heading), end_of(part.heading)), heading=True))
        narrative_lines.extend(
            Line(*ctx.trimmed(start_of(t), end_of(t)), heading=t.type != "LINE") for t in part.lines
        )
        kind, key = TERMINAL_KIND[part.heading.type]
        key = "overview" if kind == "lead" else key
        tables.extend(part.tables)
        heading_variant(ctx, part.heading, key, kind == "lead")
        if key in table_text:
            table_text[key].extend(ctx.printed(t) for t in part.lines)
            sections.setdefault(key, part)
            continue
        section = narrative_section(ctx, part)
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
    ctx.evidence.headings = len(sections)
    note_evidence(ctx, tables)

    template = template_of(ctx, tables, year_of(title, metadata, document))
    year = year_of(title, metadata, document)
    agency = agency_of(title, agency_lines, metadata, narrative, [ctx.printed(t) for t in preamble_lines])
    if agency is None:
        ctx.add("agency-missing", "the publishing agency was not found in the title or the lines around it")
    if year is None:
        ctx.add("year-missing", "the reporting year was not found in the title")
    elif template is not None and year < int(template):
        ctx.add(
            "year-before-template",
            f"the report is for {year}, but its tables follow the {template} template, "
            f"first used for the {template} reports",
        )

    active = requests = review = None
    statements: tuple[m.Statement, ...] = ()
    cells: dict[str, m.Cell] = {}
    if template is not None:
        rows: dict[str, tuple[str | None, m.Span | None]] = {}
        active_extra = read_active(ctx, template, [t for t in tables if t.kind == "active"], cells)
        request_extra = read_requests(ctx, template, [t for t in tables if t.kind == "requests"], cells, rows)
        review_extra = read_review(ctx, template, [t for t in tables if t.kind == "review"], cells)
        say_missing(ctx, template, tables, sections, cells, rows)
        ctx.diagnostics.extend(check_arithmetic(template, cells))
        statements, mismatches = check_narrative(
            ctx.text, narrative_lines, cells, year, ctx.exact_span, ctx.original
        )
        ctx.diagnostics.extend(mismatches)
        active, requests, review = assemble(
            template,
            cells,
            rows,
            active_fields={"text": "\n".join(table_text["active"]), "extra": active_extra},
            requests_fields={"text": "\n".join(table_text["requests"]), "extra": request_extra},
            review_fields={"text": "\n".join(table_text["review"]), "extra": review_extra},
        )
    else:
        ctx.add(
            "missing-table",
            "none of the template's tables was found, so the template and the cells cannot be read",
        )
    for key in ("overview", "problems", "other_matters"):
        if key not in narrative:
            section_def = next(s for s in voc.SECTIONS if s.key == key)
            ctx.add(
                "missing-section",
                f"section {section_def.numeral}、{section_def.title} was not found",
            )
    found = {t.kind for t in tables}
    unprinted = {
        key: (ctx.token_span(part.heading), "\n".join(table_text[key]))
        for key, part in sections.items()
        if key in table_text and key not in found and part.heading is not None
    }
    report = m.Report(
        agency=agency,
        year=year,
        template=template,
        title=title,
        preamble="\n".join(
            ctx.printed(t) for t in preamble_lines if compact(ctx.printed(t)) not in voc.PAGE_CHROME
        ),
        overview=narrative.get("overview"),
        active=active,
        requests=requests,
        review=review,
        problems=narrative.get("problems"),
        other_matters=narrative.get("other_matters"),
        metadata=tuple(metadata),
        narrative=statements,
    )
    # the quality findings read the report as built (govreport.quality)
    ctx.diagnostics.extend(check_report(report, cells, unprinted))
    ctx.diagnostics.sort(key=dx.sort_key)
    return attrs.evolve(report, diagnostics=tuple(ctx.diagnostics))
