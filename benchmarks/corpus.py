"""A reproducible generated corpus in mixed layouts, for the benchmarks.

``generate(count, seed)`` yields ``(name, text)``: reports built from the seed
and real reports in tests/data/, with their cells redrawn from a seeded
random generator and rendered by :func:`govreport.render` in every layout,
with random noise. The same ``count`` and ``seed`` give the same texts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs

import govreport
from govreport.serialize import assemble
from govreport.vocabulary import ValueType, cell_types

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
NOISE = ("fullwidth", "padding", "crlf", "letter_spacing", "word_numbering", "page_breaks", "label_variants")


def sources() -> list[tuple[str, str]]:
    """The real texts: the seeds and the crawled reports (pre-2019 ones left out)."""
    out = []
    for folder in ("seeds", "real"):
        for path in sorted((DATA / folder).glob("*.txt")):
            if "_pre2019" not in path.name:
                out.append((f"{folder}/{path.name}", path.read_text(encoding="utf-8")))
    return out


def _value(rng: random.Random, kind: ValueType) -> int | Decimal | None:
    if rng.random() < 0.02:
        return None
    if kind is ValueType.MONEY:
        return Decimal(rng.randrange(0, 10**6)) / 100
    if kind is ValueType.SIGNED:
        return rng.randrange(-50, 50)
    return rng.choice((0, 0, 0, rng.randrange(10), rng.randrange(1000)))


def generate(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    bases = [govreport.parse(text) for _, text in sources()]
    for index in range(count):
        base = rng.choice(bases)
        assert base.template is not None
        cells = {
            cell_id: govreport.Cell(_value(rng, kind)) for cell_id, kind in cell_types(base.template).items()
        }
        active, requests, review = assemble(base.template, cells)
        report = attrs.evolve(base, active=active, requests=requests, review=review)
        layout = govreport.LAYOUTS[index % len(govreport.LAYOUTS)]
        noise = {flag: rng.random() < 0.3 for flag in NOISE}
        yield f"generated/{index:06d}-{layout}.txt", govreport.render(report, layout, **noise)
