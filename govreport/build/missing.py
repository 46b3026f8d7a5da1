"""What the report does not print: tables, headings and rows not found."""

from __future__ import annotations

from collections.abc import Sequence

from .. import model as m
from .. import vocabulary as voc
from ..transform import Part, Table
from .context import Context


def say_missing(
    ctx: Context,
    template: str,
    tables: Sequence[Table],
    sections: dict[str, Part],
    cells: dict[str, m.Cell],
    rows: dict[str, tuple[str | None, m.Span | None]],
) -> None:
    found = {t.kind for t in tables}
    first = {}
    for table in reversed(tables):
        head = table.caption if table.caption is not None else (table.items[0].label if table.items else None)
        if head is not None:
            first[table.kind] = ctx.token_span(head)
    for key, numeral in (("active", "二"), ("requests", "三"), ("review", "四")):
        section = next(s for s in voc.SECTIONS if s.key == key)
        if key not in found:
            ids = [i for i in voc.cell_ids(template) if i.startswith(key + ".")]
            ctx.add(
                "missing-table",
                f"the table of section {numeral}、{section.title} was not found; its {len(ids)} cells are left empty",
                None,
                ids,
            )
        elif key not in sections:
            ctx.add(
                "missing-heading",
                f"the heading {numeral}、{section.title} was not found, but its table was",
            )
    if "active" in found:
        for block in voc.ACTIVE_BLOCKS[template]:
            for row in block.rows:
                ids = [f"active.{row.key}.{c.key}" for c in block.columns]
                if ids[0] not in cells:
                    ctx.add(
                        "missing-row",
                        f"row {row.label.text} of 第二十条第（{block.item}）项 was not found",
                        first.get("active"),
                        ids,
                    )
    if "requests" in found:
        for request_row in voc.request_rows(template):
            if f"requests.{request_row.id}" not in rows:
                ids = [f"requests.{request_row.id}.{c.key}" for c in voc.REQUEST_COLUMNS]
                ctx.add(
                    "missing-row",
                    f"row {request_row.label.printed} was not found",
                    first.get("requests"),
                    ids,
                )
