"""A dataset folder as the engine sees it: a manifest and one Parquet source per table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plainspoken.errors import DatasetError

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
TABLES = ("accounts", "threads", "posts", "reactions", "links")


@dataclass(frozen=True)
class DatasetFolder:
    """A checked dataset folder: its manifest and, per table, a glob of its Parquet files."""

    root: Path
    manifest: Mapping[str, Any]
    tables: Mapping[str, str]

    @property
    def name(self) -> str:
        return str(self.manifest.get("name") or self.root.name)


def table_glob(root: Path, table: str) -> str | None:
    """The glob of a table's Parquet files: ``TABLE.parquet`` or ``TABLE/*.parquet``."""
    single = root / f"{table}.parquet"
    if single.is_file():
        return single.resolve().as_posix()
    parts = root / table
    if parts.is_dir() and any(parts.glob("*.parquet")):
        return (parts.resolve() / "*.parquet").as_posix()
    return None


def _manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST
    if not path.is_file():
        raise DatasetError(
            f"{path}: missing, so {root} is not a complete dataset "
            "(import it again with `plainspoken community import`)"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{path}: not readable JSON ({exc}); import the dataset again") from exc
    if not isinstance(data, dict):
        raise DatasetError(f"{path}: expected a JSON object; import the dataset again")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DatasetError(
            f"{path}: schema_version is {version!r}, this plainspoken reads version "
            f"{SCHEMA_VERSION} (import the dump again, or use the plainspoken that wrote it)"
        )
    return data


def _parts(pattern: str) -> list[Path]:
    if pattern.endswith("/*.parquet"):
        return sorted(Path(pattern).parent.glob("*.parquet"))
    return [Path(pattern)]


def check_columns(table: str, pattern: str) -> None:
    """Every Parquet file of ``table`` is readable and has the columns of the dataset schema."""
    import pyarrow as pa  # loaded on first use: commands that never open a dataset start faster
    import pyarrow.parquet as pq

    from plainspoken.engine.schema import SCHEMAS

    for path in _parts(pattern):
        try:
            names = set(pq.read_schema(path).names)
        except (OSError, ValueError, pa.ArrowException) as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise DatasetError(
                f"{path}: not a readable Parquet file ({first}); import the dataset again"
            ) from exc
        missing = [name for name in SCHEMAS[table].names if name not in names]
        if missing:
            raise DatasetError(
                f"{path}: table '{table}' lacks column(s) {', '.join(missing)} of schema version "
                f"{SCHEMA_VERSION}; import the dataset again"
            )


def open_folder(root: Path) -> DatasetFolder:
    """Check a dataset folder and locate its tables, or say what is wrong and how to fix it."""
    if not root.is_dir():
        raise DatasetError(f"{root}: no such dataset folder")
    manifest = _manifest(root)
    tables: dict[str, str] = {}
    for table in TABLES:
        found = table_glob(root, table)
        if found is None:
            raise DatasetError(
                f"{root}: table '{table}' is missing (expected {table}.parquet or "
                f"{table}/*.parquet); import the dataset again"
            )
        check_columns(table, found)
        tables[table] = found
    return DatasetFolder(root, manifest, tables)
