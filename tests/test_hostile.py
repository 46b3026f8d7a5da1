"""Must not crash: hostile and damaged inputs give a Report or a
GovReportError, never another exception (lark's included)."""

from __future__ import annotations

import contextlib
import random

import pytest

import govreport
from govreport import GovReportError

from .conftest import REAL, SEEDS, read

SEED_TEXTS = [read(p) for p in sorted(SEEDS.glob("*.txt"))]

HOSTILE = [
    "",
    "\x00" * 10,
    "报告",
    "一、总体情况",
    "二、主动公开政府信息情况\n第二十条第（一）项\n",
    "第二十条第（一）项\n规章 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
    "三、收到和处理政府信息公开申请情况\n（七）总计 " + " ".join(["1"] * 40),
    "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n" + "\n".join(["0"] * 200),
    "\t" * 1000,
    "|" * 500 + "\n" + "| |" * 300,
    "（" * 300 + "）" * 300,
    "1.\n" * 500,
    "一、总体情况\n" * 100 + "二、主动公开政府信息情况\n" * 100,
    "第二十条第（一）项\n" * 50 + "规章\n" * 50 + "0\n" * 50,
    "\r\n".join(["行政复议", "结果维持", "/", "—", "无", "-", "+", "+ 3", "1,234", "3.5万元", "元"]),
]


def _parse(text: str) -> None:
    with contextlib.suppress(GovReportError):
        govreport.parse(text)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input(text: str) -> None:
    _parse(text)


@pytest.mark.parametrize("index", range(len(SEED_TEXTS)))
def test_damaged_seed_reports(index: int) -> None:
    text = SEED_TEXTS[index]
    rng = random.Random(index)
    lines = text.split("\n")
    for _ in range(10):
        # delete, duplicate and shuffle lines
        damaged = list(lines)
        for _ in range(rng.randrange(1, 20)):
            at = rng.randrange(len(damaged))
            op = rng.randrange(3)
            if op == 0:
                del damaged[at]
            elif op == 1:
                damaged.insert(at, damaged[rng.randrange(len(damaged))])
            else:
                other = rng.randrange(len(damaged))
                damaged[at], damaged[other] = damaged[other], damaged[at]
        _parse("\n".join(damaged))
        # truncate anywhere
        _parse(text[: rng.randrange(len(text))])
        # mutate characters
        chars = list(text)
        for _ in range(50):
            chars[rng.randrange(len(chars))] = chr(
                rng.choice([0x09, 0x0A, 0x20, 0x30, 0x31, 0x4E00, 0xFF10, 0x3000, 0x7C])
            )
        _parse("".join(chars))


def test_real_reports_never_raise_anything_else() -> None:
    for path in sorted(REAL.glob("*.txt")):
        _parse(read(path))
