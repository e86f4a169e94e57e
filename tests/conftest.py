"""Shared fixtures: run the CLI as a user would, in a clean folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CLI = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    """Run `plainspoken ARGS` in tmp_path and return the completed process."""

    def run(
        *args: str, stdin: str | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
        return subprocess.run(
            [sys.executable, "-m", "plainspoken", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=cwd or tmp_path,
            env=env,
            check=False,
            timeout=120,
        )

    return run


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The message of a run that failed on bad input: exit code 2, one stderr line, no
    traceback, starting with 'plainspoken: '."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("plainspoken: ")
    return lines[0]
