"""A workspace: one folder holding settings, the app database, datasets and reports."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from plainspoken.errors import WorkspaceError

SCHEMA_VERSION = 1
CONFIG_NAME = "plainspoken.toml"
DATABASE_NAME = "plainspoken.db"
FOLDERS = ("datasets", "reports", "documents")
_DEFAULT_CONFIG = """\
# plainspoken workspace settings. `plainspoken config show` lists every setting.
audience = "it-practitioner"
fail_level = "error"
# vocabulary_accept = ["Seamless Sync"]   # product names that must never be flagged
# vocabulary_reject = ["best-of-suite"]   # this team's own words to avoid
"""


@dataclass(frozen=True)
class Workspace:
    """Paths of a workspace folder."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def datasets(self) -> Path:
        return self.root / "datasets"


def init(root: Path) -> Workspace:
    """Create a workspace in ``root`` (kept as it is when it already is one)."""
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root}: exists and is not a folder (choose another path)")
    root.mkdir(parents=True, exist_ok=True)
    for name in FOLDERS:
        (root / name).mkdir(exist_ok=True)
    ws = Workspace(root)
    if not ws.config.exists():
        ws.config.write_text(_DEFAULT_CONFIG, encoding="utf-8")
    with sqlite3.connect(ws.database) as db:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        db.execute(
            "INSERT OR IGNORE INTO meta VALUES ('created_at', ?)",
            (datetime.now(UTC).isoformat(timespec="seconds"),),
        )
    return ws


def open_workspace(root: Path) -> Workspace:
    """Open an existing workspace, or explain how to create one."""
    ws = Workspace(root)
    if not ws.config.is_file() or not ws.database.is_file():
        raise WorkspaceError(f"{root}: not a plainspoken workspace (run `plainspoken init {root}`)")
    return ws
