"""The engine interface: register a dataset folder, run named queries over its tables."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar

from plainspoken.engine.folder import DatasetFolder, open_folder
from plainspoken.engine.gaps import gap_for
from plainspoken.engine.queries import Query
from plainspoken.engine.queries import query as named_query
from plainspoken.errors import EngineError

if TYPE_CHECKING:
    import pyarrow as pa


class Engine(ABC):
    """Runs the named queries over one registered dataset; engines differ only in execution.

    Subclasses set ``name`` and ``dialect`` and implement ``_create_view``, ``_execute`` and
    ``close``. Use an engine as a context manager so it is closed when the work is done.
    """

    name: ClassVar[str]
    dialect: ClassVar[str]

    def __init__(self) -> None:
        self.dataset: DatasetFolder | None = None

    def register(self, folder: Path) -> DatasetFolder:
        """Check a dataset folder and expose each of its tables as a view of the same name."""
        dataset = open_folder(folder)
        for table, pattern in dataset.tables.items():
            try:
                self._create_view(table, pattern)
            except Exception as exc:
                explained = self._explained(exc)
                raise EngineError(
                    f"{self.name}: cannot read table '{table}' ({explained})"
                ) from exc
        self.dataset = dataset
        return dataset

    def sql(self, name: str | Query, **params: Any) -> str:
        """The SQL text this engine runs for a query (by name or object; parameters bound)."""
        from plainspoken.engine.dialect import sql_for  # sqlglot loads on first use

        chosen = named_query(name) if isinstance(name, str) else name
        return sql_for(chosen, self.dialect, params)

    def run(self, name: str | Query, **params: Any) -> pa.Table:
        """Run a query (a registered name or a ``Query``) and return its rows as Arrow.

        Queries that are not in the registry (a capability's own, such as one PageRank step)
        pass a ``Query`` object; they are written in DuckDB's dialect like the named ones.
        """
        label = name if isinstance(name, str) else name.name
        if self.dataset is None:
            raise EngineError(f"{self.name}: no dataset registered (call register(folder) first)")
        gap = gap_for(label, self.name)
        if gap is not None:
            raise EngineError(
                f"query '{label}' is a known gap on {self.name}: {gap.reason} "
                "(use --engine duckdb for this query)"
            )
        text = self.sql(name, **params)
        try:
            return self._execute(text)
        except EngineError:
            raise
        except Exception as exc:
            raise self._failure(label, exc) from exc

    def materialize(self, table: str, query: str | Query, **params: Any) -> None:
        """Compute a query once and keep its rows as table ``table`` for later queries.

        Later queries name ``table`` like a dataset table; materializing the same name again
        replaces it. Engines keep the rows in memory or spill them (DuckDB), or cut the lineage
        (Spark), so iterative work does not recompute every earlier step.
        """
        self._make(self._materialize, table, query, params)

    def stage(
        self, table: str, query: str | Query, *, group_rows: int | None = None, **params: Any
    ) -> None:
        """Like ``materialize``, for big results read back in parts: engines that can keep the
        rows on disk (DuckDB writes Parquet to its temporary folder) do so, so they do not
        hold memory while the caller works through them.

        ``group_rows`` asks for Parquet row groups of that many rows, for wide rows (long
        texts) of which a few are picked at a time: a read decodes whole row groups of the
        columns it asks for. Engines that size row groups otherwise (Spark, by bytes) ignore it.
        """
        self._make(lambda name, sql: self._stage(name, sql, group_rows), table, query, params)

    def _make(
        self,
        how: Callable[[str, str], None],
        table: str,
        query: str | Query,
        params: dict[str, Any],
    ) -> None:
        """Run ``how(table, sql)`` for a query, reporting a failure with the query's name."""
        label = query if isinstance(query, str) else query.name
        text = self.sql(query, **params)
        try:
            how(table, text)
        except EngineError:
            raise
        except Exception as exc:
            raise self._failure(label, exc) from exc

    def _failure(self, label: str, exc: Exception) -> EngineError:
        """The error a failed query raises: its name and what the engine says."""
        return EngineError(f"query '{label}' failed on {self.name}: {self._explained(exc)}")

    def _explained(self, exc: Exception) -> str:
        """The first line of an engine error, with what to do when the engine can tell
        (``_advice``)."""
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        advice = self._advice(exc)
        return first + (f" ({advice})" if advice else "")

    def _advice(self, exc: Exception) -> str | None:
        """What a user can do about an engine error, where the engine can tell."""
        return None

    def _stage(self, table: str, sql: str, group_rows: int | None = None) -> None:
        self._materialize(table, sql)

    def trim(self) -> None:
        """Give back memory the engine keeps as cache between queries. Analyses call it once
        their big queries are done and the rows are held in Python, so the engine's cache and
        the analysis do not both take the machine's memory. Engines in another process (Spark)
        have nothing to give back here."""
        return

    def load(self, table: str, data: pa.Table) -> None:
        """Make Arrow rows computed in Python available to queries as table ``table``."""
        try:
            self._load(table, data)
        except Exception as exc:
            explained = self._explained(exc)
            raise EngineError(f"{self.name}: cannot load table '{table}' ({explained})") from exc

    def drop(self, table: str) -> None:
        """Forget a table made by ``materialize`` or ``load`` (no error when it is gone)."""
        self._drop(table)

    def rows(self, name: str | Query, **params: Any) -> list[dict[str, Any]]:
        """Run a query (a name or a ``Query``) and return its rows as dictionaries."""
        result: list[dict[str, Any]] = self.run(name, **params).to_pylist()
        return result

    @abstractmethod
    def _create_view(self, table: str, pattern: str) -> None:
        """Expose the Parquet files matching ``pattern`` as view ``table``."""

    @abstractmethod
    def _execute(self, sql: str) -> pa.Table:
        """Run SQL text in this engine's dialect and return the result as Arrow."""

    @abstractmethod
    def _materialize(self, table: str, sql: str) -> None:
        """Run SQL text in this engine's dialect and keep the result as table ``table``."""

    @abstractmethod
    def _load(self, table: str, data: pa.Table) -> None:
        """Expose Arrow rows as table ``table``."""

    @abstractmethod
    def _drop(self, table: str) -> None:
        """Remove table ``table`` if it exists."""

    @abstractmethod
    def close(self) -> None:
        """Release the engine's resources (connections, sessions, temporary files)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
