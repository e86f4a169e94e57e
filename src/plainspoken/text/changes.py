"""Lines changed since a git revision, for reporting only what a change touched."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from plainspoken.errors import UsageError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


def changed_lines(path: Path, revision: str) -> set[int] | None:
    """1-based line numbers of ``path`` added or changed since ``revision``.

    Returns None when git does not track the file (every line then counts as changed).
    """
    folder = path.resolve().parent
    try:
        tracked = subprocess.run(
            ["git", "ls-files", "--error-unmatch", path.name],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        if tracked.returncode != 0:
            return None
        diff = subprocess.run(
            ["git", "diff", "--no-color", "-U0", revision, "--", path.name],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise UsageError("--changed-since needs git on the PATH (install git)") from exc
    if diff.returncode != 0:
        raise UsageError(
            f"git cannot diff against '{revision}': {diff.stderr.strip()} "
            "(give a revision that exists, such as HEAD~1 or main)"
        )
    lines: set[int] = set()
    for match in _HUNK.finditer(diff.stdout):
        start = int(match.group(1))
        count = int(match.group(2)) if match.group(2) is not None else 1
        lines.update(range(start, start + count))
    return lines
