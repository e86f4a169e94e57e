"""Working folders beside the datasets: removed when their run ends, and swept when a killed run
left them behind, never while their owner lives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from plainspoken.community.scratch import Owned, sweep

# A run that makes a working folder, says where, and dies without cleaning up (as a killed run
# does), or waits until told to go.
_RUN = """
import os, sys
from pathlib import Path
from plainspoken.community.scratch import Owned
folder = Owned(Path(sys.argv[1]), ".spill-")
print(folder.path, flush=True)
if sys.argv[2] == "die":
    os._exit(9)
sys.stdin.read()
"""


def _run(parent: Path, how: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _RUN, str(parent), how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_folder_is_removed_when_its_run_ends(tmp_path: Path) -> None:
    with Owned(tmp_path, ".spill-") as folder:
        (folder / "spilled.bin").write_bytes(b"x" * 100)
        assert folder.is_dir()
    assert not folder.exists()


def test_a_killed_runs_folder_is_swept_and_a_living_runs_is_not(tmp_path: Path) -> None:
    dead = _run(tmp_path, "die")
    left = Path(dead.communicate()[0].strip())
    living = _run(tmp_path, "wait")
    assert living.stdout is not None
    held = Path(living.stdout.readline().strip())
    mine = Owned(tmp_path, ".signatures-")
    old = tmp_path / ".spill-from-an-older-version"  # no lock file: left alone
    old.mkdir()
    other = tmp_path / "g1M"  # a dataset, not a working folder
    other.mkdir()
    (other / ".owner.lock").touch()
    try:
        assert left.is_dir() and dead.returncode == 9
        assert sweep(tmp_path) == [left]
        assert not left.exists()
        assert held.is_dir() and mine.path.is_dir() and old.is_dir() and other.is_dir()
    finally:
        living.communicate("")
        mine.close()
    # Once its owner has ended normally, nothing is left to sweep.
    assert not held.exists() or sweep(tmp_path) == [held]
    assert sorted(p.name for p in tmp_path.iterdir()) == [old.name, other.name]
