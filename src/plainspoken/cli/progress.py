"""How long-running commands show progress on standard error (`--progress`).

`auto` draws a bar or spinner when standard error is a terminal and stays silent otherwise
(scripts and pipes get clean output); `plain` writes one timestamped line per step, and for
counted work at most one line every half minute, so a run logged to a file shows where it
is; `none` shows nothing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

import typer
from rich.console import Console

from plainspoken.errors import UsageError

PROGRESS_MODES = ("auto", "plain", "none")
ProgressOpt = Annotated[
    str,
    typer.Option(
        "--progress",
        help="auto (a bar on a terminal, nothing otherwise), plain (timestamped lines) or none.",
    ),
]
Shown = Literal["bar", "plain", "none"]


def shown(mode: str, console: Console) -> Shown:
    """What `mode` means on this console: a bar, plain lines or nothing."""
    if mode not in PROGRESS_MODES:
        valid = ", ".join(PROGRESS_MODES)
        raise UsageError(f"unknown --progress '{mode}' (valid: {valid})")
    if mode == "plain":
        return "plain"
    if mode == "auto" and console.is_terminal:
        return "bar"
    return "none"


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _size(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


class Lines:
    """Progress as plain lines on `console`, each starting with the time since the start."""

    def __init__(self, console: Console, label: str, every: float = 30.0) -> None:
        self._console = console
        self._label = label
        self._every = every
        self._started = time.monotonic()
        self._last_step: str | None = None
        self._step_at = -every
        self._count_at = -every

    def _say(self, text: str) -> None:
        elapsed = _clock(time.monotonic() - self._started)
        self._console.print(
            f"[{elapsed}] {self._label}: {text}", highlight=False, markup=False, soft_wrap=True
        )

    def step(self, text: str) -> None:
        """A named step begins. A repeat of the current step is not printed again, and a step
        differing from the last one only in its numbers ("read 2,000 of 9,000 posts") is
        printed at most once every `every` seconds."""
        shape = re.sub(r"\d[\d,.]*", "#", text)
        now = time.monotonic() - self._started
        if shape == self._last_step and now - self._step_at < self._every:
            return
        self._last_step, self._step_at = shape, now
        self._say(text)

    def _due(self, finished: bool) -> bool:
        now = time.monotonic() - self._started
        if finished or now - self._count_at >= self._every:
            self._count_at = now
            return True
        return False

    def data(self, done: int, total: int | None) -> None:
        """Bytes read so far, of `total` when known."""
        if not self._due(total is not None and done >= total):
            return
        if total:
            self._say(f"{_size(done)} of {_size(total)} ({100 * done / total:.0f}%)")
        else:
            self._say(f"{_size(done)} read")

    def items(self, done: int, total: int, name: str) -> None:
        """`done` of `total` items finished, the last one being `name`."""
        if self._due(done >= total):
            self._say(f"{done:,} of {total:,} ({name})")


@contextmanager
def steps(mode: str, console: Console, label: str) -> Iterator[Callable[[str], None] | None]:
    """A callback naming the current step: a spinner on a terminal, plain lines or nothing."""
    kind = shown(mode, console)
    if kind == "plain":
        yield Lines(console, label).step
    elif kind == "bar":
        with console.status("starting") as status:
            yield lambda step: status.update(step)
    else:
        yield None
