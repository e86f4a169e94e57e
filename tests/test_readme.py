"""The README's command-line examples run as written (exit 0 or 1, never an error)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in section.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("readme")
    for name in ("page.md", "note.md", "site/a.md", "site/drafts/b.md", "docs/x.md"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("We utilize a robust platform in order to help.\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "."]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return root


@pytest.mark.parametrize("example", _examples())
def test_readme_example_runs(example: str, project: Path) -> None:
    runner = f"{shlex.quote(sys.executable)} -m plainspoken"
    command = re.sub(r"(^|\| )plainspoken\b", lambda m: m.group(1) + runner, example)
    result = subprocess.run(
        command, shell=True, cwd=project, capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode in (0, 1), f"{example}\n{result.stderr}"
    assert "Traceback" not in result.stderr
