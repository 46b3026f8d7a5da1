"""Progress bars, drawn by tqdm: on the command line's stderr (``check``,
``extract``), and for ``progress=True`` in Python, where :mod:`tqdm.auto`
draws a widget in Jupyter and a text bar elsewhere. Elapsed time, rate and
the time left are tqdm's."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, Any

__all__ = ["terminal_bar", "notebook_bar", "counter"]

#: The bar's unit: ``45/45 [00:01<00:00, 30.10 files/s]``.
UNIT = " files"
#: tqdm's default, but files per second even below one a second (not ``1.01s/ files``).
FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_noinv_fmt}{postfix}]"


def terminal_bar(total: int, stream: IO[str], *, enabled: bool) -> Any:
    """A tqdm bar on ``stream`` (disabled: draws nothing, costs nothing)."""
    from tqdm import tqdm

    width, height = _size(stream)
    return tqdm(
        total=total,
        file=stream,
        disable=not enabled,
        unit=UNIT,
        bar_format=FORMAT,
        ncols=width,
        nrows=height,
        mininterval=0.1,
        leave=True,
    )


def _size(stream: IO[str]) -> tuple[int, int]:
    """The terminal's columns and lines, or 80 by 24 where it has none (a
    pipe, a pty never sized, where tqdm would draw nothing)."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return 80, 24
    return size.columns or 80, size.lines or 24


def notebook_bar(total: int) -> Any:
    """A tqdm bar from :mod:`tqdm.auto`: a widget in Jupyter (when
    ipywidgets is installed), a text bar on stderr elsewhere."""
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=UNIT, bar_format=FORMAT, mininterval=0.1)


def counter(bar: Any) -> Callable[[int], None]:
    """A ``progress`` callback (called with the number of files read so far)
    that moves ``bar``."""

    def update(done: int) -> None:
        bar.update(done - bar.n)

    return update
