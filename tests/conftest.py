"""Shared test configuration: data paths and Hypothesis profiles.

Profiles: ``ci`` (the default: derandomized, so CI is repeatable), ``dev``
(random, more examples) and ``long`` (10,000 examples). Choose one with
``HYPOTHESIS_PROFILE=long python -m pytest``.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds"
REAL = DATA / "real"
ROOT = Path(__file__).parent.parent

settings.register_profile(
    "ci", derandomize=True, max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=500, deadline=None)
settings.register_profile(
    "long", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def script(relative: str) -> ModuleType:
    """The repository's script at ``relative`` (``docs/pictures.py``), imported as a module."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def benchmark() -> ModuleType:
    """benchmarks/extract_corpus.py, whose ``variant()`` writes report files
    for other agencies, years and cell values."""
    return script("benchmarks/extract_corpus.py")


def row_of(cell_ids: tuple[str, ...]) -> str:
    """The row a diagnostic's cells belong to: ``requests.granted``,
    ``active.licensing`` or ``review`` ("" when it names none)."""
    if not cell_ids:
        return ""
    first = cell_ids[0]
    return "review" if first.startswith("review.") else first.rsplit(".", 1)[0]
