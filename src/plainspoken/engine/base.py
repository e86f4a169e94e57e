"""The engine interface: register a dataset folder, run named queries over its tables."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar

from plainspoken.engine.folder import DatasetFolder, open_folder
from plainspoken.engine.gaps import gap_for
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
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                raise EngineError(f"{self.name}: cannot read table '{table}' ({first})") from exc
        self.dataset = dataset
        return dataset

    def sql(self, name: str, **params: Any) -> str:
        """The SQL text this engine runs for the named query (parameters bound)."""
        from plainspoken.engine.dialect import sql_for  # sqlglot loads on first use

        return sql_for(named_query(name), self.dialect, params)

    def run(self, name: str, **params: Any) -> pa.Table:
        """Run a named query over the registered dataset and return its rows as Arrow."""
        if self.dataset is None:
            raise EngineError(f"{self.name}: no dataset registered (call register(folder) first)")
        gap = gap_for(name, self.name)
        if gap is not None:
            raise EngineError(
                f"query '{name}' is a known gap on {self.name}: {gap.reason} "
                "(use --engine duckdb for this query)"
            )
        text = self.sql(name, **params)
        try:
            return self._execute(text)
        except EngineError:
            raise
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise EngineError(f"query '{name}' failed on {self.name}: {first}") from exc

    def rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a named query and return its rows as dictionaries."""
        result: list[dict[str, Any]] = self.run(name, **params).to_pylist()
        return result

    @abstractmethod
    def _create_view(self, table: str, pattern: str) -> None:
        """Expose the Parquet files matching ``pattern`` as view ``table``."""

    @abstractmethod
    def _execute(self, sql: str) -> pa.Table:
        """Run SQL text in this engine's dialect and return the result as Arrow."""

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
