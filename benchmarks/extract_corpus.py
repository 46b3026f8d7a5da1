"""`govreport extract` over a generated corpus: memory, time, row counts.

    python benchmarks/extract_corpus.py              # 10,000 files, every core
    python benchmarks/extract_corpus.py -n 1000 --jobs 2 --output out.csv

Generates N report files from the seed reports (tests/data/seeds): each gets
an agency of its own (four consecutive years per agency, so the corpus check
runs), and its 行政处罚 决定数量 cell (``active.penalty.decisions``) is
rewritten to the file's number, so every row can be checked. Every 1000th
file is binary junk, which must land in ``errors``. Then it runs
``govreport extract`` on the folder in a subprocess, samples the resident
memory of it and its workers, and checks the output's row counts and values.

Prints the duration, the peak resident memory of the main process and of
all processes, the main process's peak so far at each tenth of the run (flat
once warm: parsing streams through a bounded window, then the writer works
in batches; DuckDB's cache is capped), and the row counts. Exits with status 1 if a count or value is wrong.
Not a test (tests/test_benchmark.py runs it with -n 20).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import govreport
from govreport.export import wide_cell_ids

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
#: The cell each generated file carries its own number in.
MARKED = "active.penalty.decisions"
CORRUPT_EVERY = 1000
JUNK = bytes(range(256)) * 4


def rewrite(text: str, report: govreport.Report, values: dict[str, str]) -> str:
    """``text`` with the cells ``values`` names printed as the given text
    (each cell must have been read from ``text``, so that it has a span)."""
    for cell_id in sorted(values, key=lambda c: -_span(report, c).start):
        span = _span(report, cell_id)
        text = text[: span.start] + values[cell_id] + text[span.end :]
    return text


def _span(report: govreport.Report, cell_id: str) -> govreport.Span:
    span = report.cell(cell_id).span
    if span is None:
        raise ValueError(f"{cell_id} was not read from the seed")
    return span


def variant(text: str, report: govreport.Report, agency: str, year: int, number: int) -> str:
    """A copy of a seed report for another agency and year, with ``MARKED``
    printed as ``number``."""
    assert report.agency and report.title and report.year
    text = rewrite(text, report, {MARKED: str(number)})
    title_at = text.index(report.title)
    title = report.title.replace(str(report.year), str(year), 1)
    text = text[:title_at] + title + text[title_at + len(report.title) :]
    return text.replace(report.agency, agency)


def generate(folder: Path, count: int) -> dict[str, object]:
    """Write ``count`` files into ``folder``; return what the output must hold."""
    seeds = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        seeds.append((text, govreport.parse(text)))
    folder.mkdir(parents=True, exist_ok=True)
    reports = errors = cells = 0
    marked: dict[str, int] = {}
    for i in range(count):
        path = folder / f"{i:06d}.txt"
        if i % CORRUPT_EVERY == CORRUPT_EVERY - 1:
            path.write_bytes(JUNK)
            errors += 1
            continue
        text, report = seeds[i % len(seeds)]
        agency = f"第{i // 4:05d}号测试县卫生健康局"
        path.write_text(variant(text, report, agency, 2020 + i % 4, i), encoding="utf-8")
        assert report.template is not None
        reports += 1
        cells += len(govreport.cell_ids(report.template))
        marked[str(path)] = i
    return {"reports": reports, "errors": errors, "cells": cells, "marked": marked}


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _children(c)]


def memory(pid: int) -> tuple[int, int]:
    """(main process, main process and its descendants) resident memory, KiB."""
    try:
        import psutil

        main = psutil.Process(pid)
        processes = [main, *main.children(recursive=True)]
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss // 1024
            except psutil.Error:
                continue
        return main.memory_info().rss // 1024, total
    except ImportError:
        return _rss_kib(pid), _rss_kib(pid) + sum(map(_rss_kib, _children(pid)))
    except Exception:  # the process ended between two looks
        return 0, 0


def run(folder: Path, output: Path, jobs: int | None) -> dict[str, float]:
    command = [sys.executable, "-m", "govreport", "extract", str(folder), "-o", str(output), "-q"]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.monotonic()
    process = subprocess.Popen(command)
    samples: list[tuple[float, int, int]] = []
    while process.poll() is None:
        main, tree = memory(process.pid)
        if main:
            samples.append((time.monotonic() - start, main, tree))
        time.sleep(0.2)
    duration = time.monotonic() - start
    if process.returncode != 0:
        raise SystemExit(f"govreport extract failed with status {process.returncode}")
    tenths = [max((m for t, m, _ in samples if t <= duration * k / 10), default=0) for k in range(1, 11)]
    return {
        "duration": duration,
        "peak_main": max((s[1] for s in samples), default=0) / 1024,
        "peak_tree": max((s[2] for s in samples), default=0) / 1024,
        "timeline": [m / 1024 for m in tenths],
    }


def counts(output: Path) -> dict[str, object]:
    """Row counts and the marked cell's values, read back from ``output``."""
    suffix = output.suffix
    if suffix == ".duckdb":
        import duckdb

        with duckdb.connect(str(output), read_only=True) as con:

            def one(sql: str) -> int:
                return int(con.execute(sql).fetchall()[0][0])

            rows = con.execute("SELECT path, value FROM cells WHERE cell = ?", [MARKED]).fetchall()
            return {
                "reports": one("SELECT count(*) FROM reports"),
                "errors": one("SELECT count(*) FROM errors"),
                "cells": one("SELECT count(*) FROM cells"),
                "marked": {path: int(value) for path, value in rows},
            }
    if suffix == ".csv":
        import csv

        with open(output, encoding="utf-8", newline="") as file:
            reader = csv.DictReader(file)
            rows2 = list(reader)
        ok = [r for r in rows2 if not r["error_type"]]
        return {
            "reports": len(ok),
            "errors": len(rows2) - len(ok),
            "cells": None,
            "marked": {r["path"]: int(r[MARKED]) for r in ok},
        }
    if suffix == ".jsonl":
        with open(output, encoding="utf-8") as file:
            data = [json.loads(line) for line in file]
        ok2 = [d for d in data if not d["error"]]
        return {
            "reports": len(ok2),
            "errors": len(data) - len(ok2),
            "cells": sum(len(d["cells"]) for d in ok2),
            "marked": {d["path"]: d["cells"][MARKED] for d in ok2},
        }
    import pyarrow.parquet as pq

    table = pq.read_table(output, columns=["path", "error_type", MARKED]).to_pylist()
    ok3 = [r for r in table if r["error_type"] is None]
    return {
        "reports": len(ok3),
        "errors": len(table) - len(ok3),
        "cells": None,
        "marked": {r["path"]: r[MARKED] for r in ok3},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--files", type=int, default=10_000, help="files to generate (default 10000)")
    parser.add_argument("--jobs", type=int, default=None, help="passed to govreport extract")
    parser.add_argument(
        "--output", default="corpus.duckdb", help="output file name; its suffix sets the format"
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep the files here (default: a temp dir)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        workdir = args.workdir or Path(temporary)
        folder = workdir / "reports"
        start = time.monotonic()
        expected = generate(folder, args.files)
        generated = time.monotonic() - start
        output = workdir / args.output
        output.unlink(missing_ok=True)
        figures = run(folder, output, args.jobs)
        found = counts(output)
    print(f"files:                 {args.files} generated in {generated:.1f} s")
    print(
        f"extract:               {figures['duration']:.1f} s, {args.files / figures['duration']:.0f} files/s"
    )
    print(f"peak RSS, main:        {figures['peak_main']:.0f} MiB")
    print(f"peak RSS, all workers: {figures['peak_tree']:.0f} MiB")
    timeline = " ".join(f"{m:.0f}" for m in figures["timeline"])
    print(f"peak RSS of main so far, at each tenth of the run (MiB): {timeline}")
    print(f"wide columns:          {len(wide_cell_ids())} cell ids")
    ok = True
    for key in ("reports", "errors", "cells"):
        if found[key] is None:
            continue
        good = found[key] == expected[key]
        ok &= good
        print(f"{key + ':':22} {found[key]} (expected {expected[key]}){'' if good else '  WRONG'}")
    marked_ok = found["marked"] == expected["marked"]
    ok &= marked_ok
    print(f"{MARKED}: {'every value as written' if marked_ok else 'WRONG values'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
