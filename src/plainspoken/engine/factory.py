"""Pick and start the engine a setting (or a command-line flag) names."""

from __future__ import annotations

from pathlib import Path

from plainspoken.config import ENGINES, Settings
from plainspoken.engine.base import Engine
from plainspoken.errors import UsageError


def create_engine(
    settings: Settings, name: str | None = None, temp_directory: Path | None = None
) -> Engine:
    """Start the engine called ``name`` (default: the ``engine`` setting), configured by settings.

    DuckDB uses ``duckdb_memory_limit`` and ``duckdb_stage_threads`` and spills to
    ``temp_directory`` (a temporary folder when
    none is given); Spark connects to ``spark_master``.
    """
    chosen = name or str(settings["engine"])
    if chosen == "duckdb":
        from plainspoken.engine.embedded import DuckDBEngine

        return DuckDBEngine(
            str(settings["duckdb_memory_limit"]),
            temp_directory,
            stage_threads=int(settings["duckdb_stage_threads"]),
        )
    if chosen == "spark":
        from plainspoken.engine.cluster import SparkEngine

        return SparkEngine(str(settings["spark_master"]))
    raise UsageError(f"unknown engine '{chosen}' (valid engines: {', '.join(ENGINES)})")
