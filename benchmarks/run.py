"""govreport's benchmark: one command, every figure measured in one run.

    python benchmarks/run.py            # the full run (about ten minutes on two cores)
    python benchmarks/run.py --quick    # a smoke run on a few inputs (CI runs it)

Inputs: the seed reports, the crawled reports of tests/data/real/, and a
reproducible generated corpus in every layout (benchmarks/corpus.py, fixed
seed). Measured:

(a) the floor: ``unicodedata.normalize("NFKC", text)`` plus one
    ``re.finditer(r"\\S+")`` pass over each text;
(b) ``govreport.parse`` on the same texts, interleaved with the floor text by
    text, in several rounds: the ratio parse/floor is the median of the
    rounds' ratios, so that a noisy neighbour shifts both alike. The texts
    are parsed (at least 40 parses) before the rounds, as a long run would
    have: the lexer compiles the narrowed alternations it uses often;
(c) ``govreport.parse_many`` over the generated corpus written to files, with
    1, 2, … jobs (up to the number of cores; j jobs are the calling process
    and j − 1 workers) taking turns in 5 rounds:
    reports/s and the scaling efficiency, rate(j) / (j × rate(1)) within a
    round, median over the rounds;
(d) cold start: a new process that imports govreport and parses one report
    (the time from before the import to after the parse, median of runs),
    with the bytecode cache written, as ``pip install`` leaves it;
(e) memory while streaming: the resident memory of a process that streams
    10,000 generated reports through ``parse_many``: its growth from after
    the first 200 reports to the peak;
(f) where a seed report's time goes: normalizing, Lark (lexing, the LALR
    automaton and the transformer), the same with Lark's own lexer, Lark on
    the same texts with every table cell cut out (what the rest of a report
    costs it, however its cells were read), and building the model (median
    over rounds, per report).
(g) flattened text beside one cell per line: each report of
    tests/data/real/ flattened onto one line, as printed, beside the same
    report (as read) rendered one cell per line (``docx-cells``), and each
    seed rendered both ways; parsed interleaved, pair by pair, in rounds:
    the ratio flattened/one-cell-per-line is the median of the rounds'.

The crawled reports of (a, b) are those with a text run per line ("real");
the flattened ones are timed apart ("flattened").

Speed is never asserted: the figures are printed (and written as JSON with
``--json``) to be compared between runs on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from corpus import ROOT, generate, sources

import govreport
from govreport.normalize import normalize
from govreport.segment import segment

WORDS = re.compile(r"\S+")


def floor(text: str) -> None:
    folded = unicodedata.normalize("NFKC", text)
    for _ in WORDS.finditer(folded):
        pass


def parse(text: str) -> None:
    with contextlib.suppress(govreport.GovReportError):
        govreport.parse(text)


def ratio(texts: list[str], rounds: int) -> dict[str, float]:
    """Median over rounds of (parse time / floor time), interleaved text by text."""
    ratios, floors, parses = [], [], []
    size = sum(len(t.encode("utf-8")) for t in texts)
    for _ in range(-(-40 // len(texts))):  # warm: the lexer compiles what it uses often
        for text in texts:
            parse(text)
    for _ in range(rounds):
        spent_floor = spent_parse = 0.0
        for text in texts:
            start = time.perf_counter()
            floor(text)
            middle = time.perf_counter()
            parse(text)
            end = time.perf_counter()
            spent_floor += middle - start
            spent_parse += end - middle
        ratios.append(spent_parse / spent_floor)
        floors.append(spent_floor)
        parses.append(spent_parse)
    parse_time = statistics.median(parses)
    return {
        "reports": len(texts),
        "ratio": statistics.median(ratios),
        "floor_ms_per_report": statistics.median(floors) / len(texts) * 1000,
        "parse_ms_per_report": parse_time / len(texts) * 1000,
        "reports_per_s": len(texts) / parse_time,
        "mb_per_s": size / parse_time / 1e6,
    }


def without_cells(text: str, document: Any) -> str:
    """``text`` with every table cell the parser read cut out, with the
    white space, tabs and pipes before it."""
    cells = sorted(
        (
            token
            for part in (document.front, *document.sections)
            for table in part.tables
            for cell_list in (table.caption_cells, *(item.cells for item in table.items))
            for token in cell_list
        ),
        key=lambda token: token.start_pos,
    )
    kept, last = [], 0
    for token in cells:
        start = token.start_pos
        while start > last and text[start - 1] in " \t|":
            start -= 1
        kept.append(text[last:start])
        last = max(last, token.end_pos)
    kept.append(text[last:])
    return "".join(kept)


def flattened_pairs(flattened: list[str], seeds: list[str]) -> list[tuple[str, str]]:
    """(g)'s pairs: (flattened text, the same report one cell per line)."""
    pairs = [(text, govreport.render(govreport.parse(text), "docx-cells")) for text in flattened]
    for text in seeds:
        report = govreport.parse(text)
        pairs.append((govreport.render(report, "flattened"), govreport.render(report, "docx-cells")))
    return pairs


def side_by_side(pairs: list[tuple[str, str]], rounds: int) -> dict[str, float]:
    """(g): ms per report of each side, and the median ratio over rounds."""
    for _ in range(3):
        for flat, cells in pairs:
            parse(flat)
            parse(cells)
    ratios, flats, lines = [], [], []
    for _ in range(rounds):
        spent_flat = spent_cells = 0.0
        for flat, cells in pairs:
            start = time.perf_counter()
            parse(flat)
            middle = time.perf_counter()
            parse(cells)
            end = time.perf_counter()
            spent_flat += middle - start
            spent_cells += end - middle
        ratios.append(spent_flat / spent_cells)
        flats.append(spent_flat)
        lines.append(spent_cells)
    return {
        "reports": len(pairs),
        "ratio": statistics.median(ratios),
        "flattened_ms_per_report": statistics.median(flats) / len(pairs) * 1000,
        "one_cell_per_line_ms_per_report": statistics.median(lines) / len(pairs) * 1000,
    }


def stages(texts: list[str], rounds: int) -> dict[str, float]:
    """(f): milliseconds per report for each stage of ``govreport.parse``."""
    from govreport.build import build
    from govreport.grammar import build_parser, parser
    from govreport.normalize import LineIndex, normalize

    ours, larks = parser(), build_parser(dispatch=False)
    normalized = [normalize(t) for t in texts]
    documents: list[Any] = [ours.parse(n) for n in normalized]
    bare = [without_cells(n, d) for n, d in zip(normalized, documents, strict=True)]
    for _ in range(10):  # compile both parsers' lexers before timing
        for text in normalized:
            ours.parse(text)
            larks.parse(text)
        for text in bare:
            ours.parse(text)

    def timed(run: Callable[[], object]) -> float:
        spent = []
        for _ in range(rounds):
            start = time.perf_counter()
            run()
            spent.append(time.perf_counter() - start)
        return statistics.median(spent) / len(texts) * 1000

    return {
        "normalize_ms": timed(lambda: [normalize(t) for t in texts]),
        "lark_ms": timed(lambda: [ours.parse(n) for n in normalized]),
        "lark_own_lexer_ms": timed(lambda: [larks.parse(n) for n in normalized]),
        "lark_without_cells_ms": timed(lambda: [ours.parse(b) for b in bare]),
        "build_ms": timed(
            lambda: [
                build(t, n, d, LineIndex(n)) for t, n, d in zip(texts, normalized, documents, strict=True)
            ]
        ),
    }


def scaling(paths: list[Path], jobs: list[int], rounds: int) -> list[dict[str, Any]]:
    """Throughput of parse_many per job count. The first call with workers
    is reported apart as ``start_s`` (each worker builds and warms the
    parser when it starts; it used to be once, in the fork server). Then
    the job counts take turns, in ``rounds`` rounds: each round's
    efficiency compares its own rates (a busy neighbour slows one round's
    calls alike), and the figures are the medians over the rounds."""
    started = {}
    for count in jobs:
        start = time.perf_counter()
        sum(1 for _ in govreport.parse_many(paths[: 2 * count], jobs=count))
        started[count] = time.perf_counter() - start
    rates: dict[int, list[float]] = {count: [] for count in jobs}
    efficiencies: dict[int, list[float]] = {count: [] for count in jobs}
    for _ in range(rounds):
        for count in jobs:
            start = time.perf_counter()
            done = sum(1 for _ in govreport.parse_many(paths, jobs=count))
            rates[count].append(done / (time.perf_counter() - start))
        for count in jobs:
            efficiencies[count].append(rates[count][-1] / (count * rates[jobs[0]][-1]))
    return [
        {
            "jobs": count,
            "reports": len(paths),
            "rounds": rounds,
            "reports_per_s": statistics.median(rates[count]),
            "efficiency": statistics.median(efficiencies[count]),
            "efficiency_range": [min(efficiencies[count]), max(efficiencies[count])],
            "start_s": started[count],
        }
        for count in jobs
    ]


COLD = """
import time
start = time.perf_counter()
import govreport
govreport.parse(open({path!r}, encoding="utf-8").read())
print(time.perf_counter() - start)
"""


def cold_start(runs: int) -> dict[str, float]:
    seed = ROOT / "tests" / "data" / "seeds" / "000_b0a0644a2287c115.txt"
    # As after `pip install`, which compiles the package: one start that may
    # write the bytecode cache (whatever PYTHONDONTWRITEBYTECODE says), then
    # the measured ones, which read it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-c", COLD.format(path=str(seed))], capture_output=True, check=True, env=env
    )
    times, walls = [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", COLD.format(path=str(seed))], capture_output=True, text=True, check=True
        )
        walls.append(time.perf_counter() - started)
        times.append(float(result.stdout))
    bare = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
    return {
        "import_and_first_parse_ms": statistics.median(times) * 1000,
        "process_wall_ms": statistics.median(walls) * 1000,
        "bare_interpreter_ms": statistics.median(bare) * 1000,
    }


STREAM = """
import json, sys
sys.path.insert(0, {bench!r})
from pathlib import Path
import govreport

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

paths = sorted(Path({folder!r}).glob("*.txt"))
samples = []
warm = None
for index, _ in enumerate(govreport.parse_many(paths, jobs=1), 1):
    if index == min(200, len(paths)):
        warm = rss()
    if index % 100 == 0:
        samples.append(rss())
peak = max(samples + [rss()])
print(json.dumps({{"reports": len(paths), "warm_mb": warm, "peak_mb": peak, "growth_mb": peak - warm,
                  "samples_mb": samples[:: max(1, len(samples) // 10)]}}))
"""


def streaming(folder: Path) -> dict[str, object]:
    script = STREAM.format(bench=str(Path(__file__).resolve().parent), folder=str(folder))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def write_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (name, text) in enumerate(generate(count, seed=0)):
        path = folder / f"{index:06d}{Path(name).suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run on a few inputs (no figures to trust)"
    )
    parser.add_argument("--rounds", type=int, help="rounds of the parse/floor comparison")
    parser.add_argument("--corpus", type=int, help="generated reports for the ratio and parse_many")
    parser.add_argument("--stream", type=int, help="generated reports streamed for the memory figure")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    quick = args.quick
    rounds = args.rounds or (2 if quick else 15)
    corpus = args.corpus or (12 if quick else 600)
    stream = args.stream or (120 if quick else 10_000)
    cores = os.cpu_count() or 1
    jobs = list(range(1, max(2, cores) + 1))

    govreport.parse(sources()[0][1])  # build the parser before timing
    texts = sources()
    seeds = [t for name, t in texts if name.startswith("seeds/")]
    crawled = [t for name, t in texts if name.startswith("real/")]
    real = [t for t in crawled if segment(normalize(t), t) is None]
    flattened = [t for t in crawled if segment(normalize(t), t) is not None]
    generated = [t for _, t in generate(corpus, seed=0)]
    results: dict[str, object] = {"python": sys.version.split()[0], "cores": cores, "quick": quick}
    print(
        f"govreport {govreport.__version__}, Python {results['python']}, {cores} cores"
        + (" (quick)" if quick else "")
    )

    for name, group in (("seeds", seeds), ("real", real), ("flattened", flattened), ("generated", generated)):
        figures = ratio(group, rounds)
        results[f"ratio_{name}"] = figures
        print(
            f"(a, b) {name:9} {figures['reports']:4} reports: parse/floor {figures['ratio']:6.1f}  "
            f"parse {figures['parse_ms_per_report']:6.2f} ms  floor {figures['floor_ms_per_report']:5.3f} ms  "
            f"{figures['reports_per_s']:7.1f} reports/s  {figures['mb_per_s']:5.2f} MB/s"
        )
    split = stages(seeds, rounds)
    results["stages"] = split
    print(
        f"(f) seeds, ms per report: normalize {split['normalize_ms']:.2f}, Lark {split['lark_ms']:.2f} "
        f"(with Lark's own lexer {split['lark_own_lexer_ms']:.2f}; "
        f"without the cells {split['lark_without_cells_ms']:.2f}), model {split['build_ms']:.2f}"
    )
    pairs = flattened_pairs(flattened[:2] if quick else flattened, seeds)
    side = side_by_side(pairs, rounds)
    results["flattened_vs_one_cell_per_line"] = side
    print(
        f"(g) {side['reports']} reports flattened onto one line: {side['flattened_ms_per_report']:.2f} ms, "
        f"one cell per line {side['one_cell_per_line_ms_per_report']:.2f} ms: ratio {side['ratio']:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_corpus(Path(tmp) / "corpus", corpus)
        rows = scaling(paths, jobs, 1 if quick else 5)
        results["parse_many"] = rows
        for row in rows:
            print(
                f"(c) parse_many jobs={row['jobs']}: {row['reports_per_s']:7.1f} reports/s, "
                f"efficiency {row['efficiency'] * 100:5.1f}% "
                f"({row['efficiency_range'][0] * 100:.0f}–{row['efficiency_range'][1] * 100:.0f}% over "
                f"{row['rounds']} rounds; first call, {2 * row['jobs']} reports: {row['start_s'] * 1000:.0f} ms)"
            )
        cold = cold_start(3 if quick else 7)
        results["cold_start"] = cold
        print(
            f"(d) cold start: import + first parse {cold['import_and_first_parse_ms']:.0f} ms "
            f"(process {cold['process_wall_ms']:.0f} ms; bare interpreter {cold['bare_interpreter_ms']:.0f} ms)"
        )
        streamed = write_corpus(Path(tmp) / "stream", stream)
        memory = streaming(streamed[0].parent)
        results["streaming"] = memory
        print(
            f"(e) streaming {memory['reports']} reports: resident memory {memory['warm_mb']:.0f} MB after 200, "
            f"peak {memory['peak_mb']:.0f} MB, growth {memory['growth_mb']:.1f} MB"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
