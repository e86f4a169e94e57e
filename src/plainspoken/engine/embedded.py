"""DuckDBEngine: the default engine, embedded in the process, spilling to disk past its limit."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

from plainspoken.engine.base import Engine
from plainspoken.errors import EngineError


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# What DuckDB may keep for a moment while ``trim`` makes it give back the rest.
_TRIMMED = "64MB"


class DuckDBEngine(Engine):
    """Runs the named queries in an in-memory DuckDB database over the Parquet files.

    ``memory_limit`` caps DuckDB's memory (e.g. ``"2GB"``); past it, joins and sorts spill to
    ``temp_directory`` (a fresh temporary folder, removed on close, when none is given).
    ``stage_threads`` is how many threads a staged query (``stage``) runs on: the staging of a
    big community's posts holds window, join and sort states at once, each thread its own,
    and on two threads it could outgrow a 1.5 GB limit within seconds (22.7M posts: out of
    memory within 20 s in 6 of 7 tries on two threads, on DuckDB 1.4, 1.5 and 2.0;
    finished on one thread in 292 s, where the one finished try on two took 205 s).
    """

    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        memory_limit: str = "1.5GB",
        temp_directory: Path | None = None,
        threads: int | None = None,
        stage_threads: int = 1,
    ) -> None:
        super().__init__()
        self.memory_limit = memory_limit
        self.stage_threads = stage_threads
        self._own_temp = temp_directory is None
        self.temp_directory = temp_directory or Path(tempfile.mkdtemp(prefix="plainspoken-duckdb-"))
        config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": memory_limit,
            "temp_directory": str(self.temp_directory),
        }
        if threads is not None:
            config["threads"] = threads
        try:
            self._con = duckdb.connect(":memory:", config=config)
            self._con.execute("SET TimeZone = 'UTC'")
            self._con.execute("SET enable_progress_bar = false")
        except duckdb.Error as exc:
            self._remove_temp()
            raise EngineError(f"duckdb: cannot start ({exc}); check duckdb_memory_limit") from exc

    def _create_view(self, table: str, pattern: str) -> None:
        self._con.execute(
            f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM read_parquet({_quote(pattern)})'
        )

    def _execute(self, sql: str) -> pa.Table:
        table: pa.Table = self._con.sql(sql).to_arrow_table()
        return table

    def _materialize(self, table: str, sql: str) -> None:
        self._con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}" AS {sql}')

    def _stage(self, table: str, sql: str, group_rows: int | None = None) -> None:
        self.temp_directory.mkdir(parents=True, exist_ok=True)
        target = self.temp_directory / f"staged-{table}.parquet"
        threads = self._con.execute("SELECT current_setting('threads')").fetchone()
        self._con.execute(f"SET threads = {int(self.stage_threads)}")
        try:
            groups = f", ROW_GROUP_SIZE {int(group_rows)}" if group_rows else ""
            self._con.execute(f"COPY ({sql}) TO {_quote(str(target))} (FORMAT parquet{groups})")
        finally:
            self._con.execute(f"SET threads = {int(threads[0]) if threads else 1}")
        self._forget(table)
        self._con.execute(
            f'CREATE OR REPLACE VIEW "{table}" AS SELECT * FROM read_parquet({_quote(str(target))})'
        )

    def _advice(self, exc: Exception) -> str | None:
        if isinstance(exc, duckdb.OutOfMemoryException):
            return (
                f"DuckDB needed more than its duckdb_memory_limit of {self.memory_limit}: raise "
                'it in plainspoken.toml (e.g. duckdb_memory_limit = "3GB") or run it while '
                "less else is running"
            )
        return None

    def trim(self) -> None:
        # DuckDB keeps freed blocks (sort runs, Parquet pages) up to its limit and returns them
        # to the system only when the limit forces it: lowering the limit for a moment does.
        # If more than that is pinned, nothing is given back, which is not an error.
        with contextlib.suppress(duckdb.Error):
            self._con.execute(f"SET memory_limit = {_quote(_TRIMMED)}")
        self._con.execute(f"SET memory_limit = {_quote(self.memory_limit)}")

    def _load(self, table: str, data: pa.Table) -> None:
        self._con.register("_plainspoken_arrow", data)
        try:
            self._con.execute(
                f'CREATE OR REPLACE TEMP TABLE "{table}" AS SELECT * FROM _plainspoken_arrow'
            )
        finally:
            self._con.unregister("_plainspoken_arrow")

    def _forget(self, table: str) -> None:
        found = self._con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchall()
        for (kind,) in found:
            what = "VIEW" if kind == "VIEW" else "TABLE"
            self._con.execute(f'DROP {what} IF EXISTS "{table}"')

    def _drop(self, table: str) -> None:
        self._forget(table)
        (self.temp_directory / f"staged-{table}.parquet").unlink(missing_ok=True)

    def _remove_temp(self) -> None:
        if self._own_temp:
            shutil.rmtree(self.temp_directory, ignore_errors=True)

    def close(self) -> None:
        self._con.close()
        self._remove_temp()
