"""Where a command's report goes: standard output, or a file written whole or not at all."""

from __future__ import annotations

import sys
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


def emit(rendered: str | Iterable[str], output: Path | None) -> None:
    """Write the report to ``output`` (atomically; say where on standard error) or stdout.
    A report made in pieces is written piece by piece, never held whole."""
    if output is None:
        for part in [rendered] if isinstance(rendered, str) else rendered:
            sys.stdout.write(part)
        return
    try:
        write_atomically(output, rendered)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write the report ({exc.strerror or exc})") from exc
    _err.print(f"report written to {output}", highlight=False)
