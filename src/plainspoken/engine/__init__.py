"""Analysis engines that run the same named SQL over dataset tables (DuckDB, Spark).

``DuckDBEngine`` is embedded and the default; ``SparkEngine`` runs the same SQL text, transpiled
by sqlglot, in Spark local mode or on a cluster. ``GAPS`` lists the queries known to differ on
an engine; the parity tests hold every other query to equal results on both engines.

DuckDB, PySpark, pyarrow and sqlglot load on first use, not when this package is imported, so
commands that never touch a dataset start quickly.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from plainspoken.engine.base import Engine
from plainspoken.engine.factory import create_engine
from plainspoken.engine.folder import SCHEMA_VERSION, TABLES, DatasetFolder, open_folder
from plainspoken.engine.gaps import GAPS, Gap, gap_for
from plainspoken.engine.queries import LATENCY_EDGES, QUERIES, Query, query

if TYPE_CHECKING:
    from plainspoken.engine.cluster import SparkEngine
    from plainspoken.engine.dialect import REWRITES, Rewrite, sql_for
    from plainspoken.engine.embedded import DuckDBEngine

# Names whose modules import a heavy library, loaded when first asked for.
_LAZY = {
    "DuckDBEngine": "plainspoken.engine.embedded",
    "SparkEngine": "plainspoken.engine.cluster",
    "REWRITES": "plainspoken.engine.dialect",
    "Rewrite": "plainspoken.engine.dialect",
    "sql_for": "plainspoken.engine.dialect",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'plainspoken.engine' has no attribute '{name}'")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "GAPS",
    "LATENCY_EDGES",
    "QUERIES",
    "REWRITES",
    "SCHEMA_VERSION",
    "TABLES",
    "DatasetFolder",
    "DuckDBEngine",
    "Engine",
    "Gap",
    "Query",
    "Rewrite",
    "SparkEngine",
    "create_engine",
    "gap_for",
    "open_folder",
    "query",
    "sql_for",
]
