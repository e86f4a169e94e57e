"""Where a command's report goes: standard output, or a file written whole or not at all."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console

from plainspoken.copy.runner import write_atomically
from plainspoken.errors import UsageError

_err = Console(stderr=True)


def check_output(output: Path | None) -> None:
    """Refuse an output file whose folder does not exist, before any work is done."""
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"{output}: folder {output.parent} does not exist (create it first)")


def emit(rendered: str, output: Path | None) -> None:
    """Write the report to ``output`` (atomically; say where on standard error) or stdout."""
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        write_atomically(output, rendered)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report ({exc.strerror or exc})") from exc
    _err.print(f"report written to {output}", highlight=False)


def emit_parts(parts: Iterable[str], output: Path | None) -> None:
    """Like ``emit`` for a report made in pieces: each piece is written as it comes (to a
    temporary file renamed into place at the end), so the whole report is never held."""
    if output is None:
        for part in parts:
            sys.stdout.write(part)
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                for part in parts:
                    handle.write(part)
            Path(tmp).replace(output)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report ({exc.strerror or exc})") from exc
    _err.print(f"report written to {output}", highlight=False)
