"""`plainspoken community import`: parse, call `community.importing.import_dataset`, report."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from plainspoken.cli.progress import Lines, ProgressOpt, shown
from plainspoken.errors import ExitCode, PlainspokenError

_err = Console(stderr=True)
_out = Console(soft_wrap=True, highlight=False)
_ORDER = ("threads", "posts", "accounts", "reactions", "links")


class ImportInterruptedError(PlainspokenError):
    """Ctrl-C during an import (Typer would turn it into exit code 130 before run_safely)."""

    exit_code = ExitCode.INTERRUPTED


@contextmanager
def _progress(label: str, mode: str) -> Iterator[Callable[[int, int | None], None] | None]:
    """Bytes read, on standard error: a bar, plain lines or nothing (`--progress`)."""
    kind = shown(mode, _err)
    if kind == "plain":
        yield Lines(_err, f"importing {label}").data
        return
    if kind == "none":
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    bar = Progress(
        TextColumn(f"importing {label}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=_err,
        transient=True,
    )
    task = bar.add_task("", total=None)
    with bar:

        def advance(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def summary(manifest: dict[str, Any], seconds: float) -> str:
    """The one line printed after an import."""
    counts = manifest.get("counts", {})
    parts = [f"{counts.get(t, 0):,} {t}" for t in _ORDER]
    span = manifest.get("time_range") or {}
    first, last = span.get("first"), span.get("last")
    when = f", {first[:10]} to {last[:10]}" if first and last else ""
    return (
        f"imported '{manifest['name']}' ({manifest['format']}): {', '.join(parts)}{when} "
        f"in {seconds:.1f} s"
    )


def import_command(
    source: Annotated[
        Path, typer.Argument(help="The dump: a file or folder (a .7z for Stack Exchange).")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="stackexchange, discourse, reddit or generic.")
    ],
    name: Annotated[str, typer.Option("--name", "-n", help="Dataset name (datasets/NAME).")],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", "-m", help="YAML file naming the columns (generic only)."),
    ] = None,
    progress: ProgressOpt = "auto",
) -> None:
    """Import a community dump as dataset NAME of the workspace (merging into it if it exists).

    Rows with the same id as rows already in the dataset replace them; importing the same dump
    twice changes nothing. A failed or interrupted import leaves the dataset as it was.
    """
    shown(progress, _err)
    from plainspoken.community.importing import import_dataset

    started = time.perf_counter()
    try:
        with _progress(source.name, progress) as advance:
            manifest = import_dataset(
                source, fmt, name, workspace, mapping=mapping, progress=advance
            )
    except KeyboardInterrupt:
        raise ImportInterruptedError(f"interrupted; dataset '{name}' is as it was") from None
    _out.print(summary(manifest, time.perf_counter() - started))
    for note in manifest.get("notes", []):
        _err.print(f"note: {note}", highlight=False)
