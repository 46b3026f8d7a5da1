"""Progress bars (tqdm's) on ``check`` and ``extract``, and ``progress=True``
in Python; Ctrl-C during a batch ends it with one line and status 130."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import govreport

from .conftest import SEEDS
from .test_cli import COMMAND

#: tqdm's bar at its end: percentage, bar, count, elapsed<left, rate.
DONE = r"100%\|[^|\r\n]*\| {n}/{n} \[\d\d:\d\d<00:00, +[\d.]+ files/s\]"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *map(str, args)], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """45 report files: the seeds, nine times over."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for copy in range(9):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"{copy}_{seed.name}")
    return folder


def test_progress_draws_tqdms_bar_on_stderr_when_asked(folder: Path) -> None:
    out = folder.parent / "out.csv"
    result = run("extract", folder, "-o", out, "--progress")
    assert result.returncode == 0, result.stderr
    assert re.search(DONE.format(n=45), result.stderr), result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("45 files → ")  # the summary after it
    checked = run("check", folder, "--progress")
    assert re.search(DONE.format(n=45), checked.stderr), checked.stderr
    assert "%|" not in checked.stdout  # the bar is on stderr, the findings on stdout
    assert checked.stdout.rstrip().splitlines()[-1].startswith("45 files, ")


def test_no_bar_when_stderr_is_not_a_terminal_or_with_no_progress(folder: Path) -> None:
    out = folder.parent / "out.csv"
    for args in (
        ("extract", folder, "-o", out),
        ("check", folder),
        ("extract", folder, "-o", out, "--no-progress"),
        ("extract", folder, "-o", out, "--progress", "--no-progress"),
    ):
        result = run(*args)
        assert "%|" not in result.stderr and "\r" not in result.stderr, args


def test_no_progress_on_a_terminal() -> None:
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        subprocess.run(
            [*COMMAND, "check", str(SEEDS), "--no-progress"],
            stderr=slave,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    finally:
        os.close(slave)
    seen = b""
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert b"%|" not in seen


def test_python_progress_true_uses_tqdm_auto(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = folder.parent / "out.jsonl"
    govreport.extract(folder, out, progress=True)
    assert re.search(DONE.format(n=45), capsys.readouterr().err)
    pairs = govreport.parse_many(folder, progress=True)
    assert len(list(pairs)) == 45
    assert re.search(DONE.format(n=45), capsys.readouterr().err)
    # a generator closed early closes its bar
    pairs = govreport.parse_many(folder, progress=True)
    next(pairs)
    pairs.close()
    assert re.search(r" 1/45 ", capsys.readouterr().err)
    # without it, nothing is drawn
    list(govreport.parse_many(folder))
    govreport.extract(folder, out)
    assert capsys.readouterr().err == ""


def test_ctrl_c_during_a_batch_exits_130_with_one_line(folder: Path) -> None:
    for copy in range(9, 60):  # enough files to be in the middle of it
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, folder / f"{copy}_{seed.name}")
    out = folder.parent / "out.csv"
    process = subprocess.Popen(
        [*COMMAND, "extract", str(folder), "-o", str(out), "--progress", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's job: Ctrl-C reaches every process
    )
    assert process.stderr is not None
    stderr = b""
    deadline = time.monotonic() + 60
    while not re.search(rb"\| *[1-9]\d*/300 ", stderr) and time.monotonic() < deadline:
        if select.select([process.stderr], [], [], 1)[0]:
            chunk = os.read(process.stderr.fileno(), 65536)
            if not chunk:
                break
            stderr += chunk
    assert process.poll() is None, stderr.decode()  # still reading
    os.killpg(process.pid, signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    stderr += rest
    text = stderr.decode()
    assert process.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert text.rstrip().splitlines()[-1].endswith("govreport: interrupted")
    assert [line for line in re.split(r"[\r\n]", text) if line.strip() and "%|" not in line] == [
        "govreport: interrupted"
    ]
    # nothing half-written is left behind
    assert not out.exists() and not list(folder.parent.glob(".out.csv.*"))
