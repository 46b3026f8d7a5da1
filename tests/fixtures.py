"""Reader for the numbered spec-example files in tests/fixtures/ (see the
header of layouts.txt for the format)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs

ESCAPES = {"→": "\t", "␣": "\u00a0", "⏎": "\r", "◊": "\ufeff"}


@attrs.frozen
class Case:
    name: str
    file: str
    line: int
    text: str
    expect: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line} {self.name}"


def _unescape(line: str) -> str:
    for mark, char in ESCAPES.items():
        line = line.replace(mark, char)
    return line


def cases(path: Path) -> Iterator[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        if not (line.startswith("=== ") and line.endswith(" ===")):
            index += 1
            continue
        name, start = line[4:-4], index + 1
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index] != "--- expect ---":
            body.append(_unescape(lines[index]))
            index += 1
        index += 1
        expect: list[str] = []
        while index < len(lines) and not lines[index].startswith("=== "):
            if lines[index].strip() and not lines[index].startswith("#"):
                expect.append(lines[index].strip())
            index += 1
        yield Case(name, path.name, start, "\n".join(body).rstrip("\n") + "\n", tuple(expect))
