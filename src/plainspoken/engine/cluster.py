"""SparkEngine: the same named queries on Spark, in local mode or on a cluster."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from plainspoken.engine.base import Engine
from plainspoken.errors import EngineError

# Spark logs through log4j2 in the JVM: keep it to errors, on standard error. Spark announces
# its log level unless a logger above its own classes (org.apache) matches the root level.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark %p %c{1}: %m%n
logger.apache.name = org.apache
logger.apache.level = error
logger.sparkproject.name = org.sparkproject
logger.sparkproject.level = error
logger.netty.name = io.netty
logger.netty.level = error
"""

# PySpark also logs each failed query's full Java stack trace from Python; the engine reports
# failures itself, in one line.
_PYTHON_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")


def _quiet_python_loggers() -> None:
    from pyspark.logger import PySparkLogger

    for name in _PYTHON_LOGGERS:
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL + 1)


def session_builder(master: str, log_dir: Path) -> Any:
    """A SparkSession builder with the settings every plainspoken Spark session uses."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError(
            "spark: PySpark is not installed (pip install 'plainspoken[spark]'; Java 17 needed)"
        ) from exc
    log_config = log_dir / "log4j2.properties"
    log_config.write_text(_LOG4J2, encoding="utf-8")
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("plainspoken")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log_config}")
    )
    if master.startswith("local"):
        # Local mode runs in the driver: give it room to hand large results back to Python.
        builder = builder.config("spark.sql.shuffle.partitions", "4").config(
            "spark.driver.memory", "4g"
        )
    return builder


def _active_session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()


class SparkEngine(Engine):
    """Runs the named queries with Spark SQL over the dataset's Parquet files.

    Give ``master`` (``local[2]``, ``spark://host:7077``, …) to start a session, or ``session``
    to share an existing one. Spark allows one session per process: when one is already
    active, the engine uses it whatever ``master`` says. The engine works in its own child
    session (its own views) and stops only a session it started itself.
    """

    name = "spark"
    dialect = "spark"

    def __init__(self, master: str = "local[2]", session: Any = None) -> None:
        super().__init__()
        self.master = master
        self._log_dir = Path(tempfile.mkdtemp(prefix="plainspoken-spark-"))
        if session is None:
            session = _active_session()
        self._owns_session = session is None
        try:
            if session is None:
                session = session_builder(master, self._log_dir).getOrCreate()
                session.sparkContext.setLogLevel("ERROR")
            self._root = session
            self._session = session.newSession()
        except EngineError:
            shutil.rmtree(self._log_dir, ignore_errors=True)
            raise
        except Exception as exc:
            shutil.rmtree(self._log_dir, ignore_errors=True)
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise EngineError(
                f"spark: cannot start a session on '{master}' ({first}); check spark_master "
                "and that Java 17 is installed"
            ) from exc
        _quiet_python_loggers()

    def _create_view(self, table: str, pattern: str) -> None:
        self._session.read.parquet(pattern).createOrReplaceTempView(table)

    def _execute(self, sql: str) -> pa.Table:
        table: pa.Table = self._session.sql(sql).toArrow()
        return table

    def _materialize(self, table: str, sql: str) -> None:
        # A local checkpoint keeps the rows on the executors and cuts the plan's lineage, so a
        # loop of materialized steps does not grow one ever longer plan.
        frame = self._session.sql(sql).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(table)

    def _stage(self, table: str, sql: str, group_rows: int | None = None) -> None:
        # In local mode the driver's temporary folder is the executors' too: write Parquet
        # there, so later range queries read only the row groups they need. A cluster keeps
        # a checkpoint instead. Spark sizes row groups by bytes (parquet.block.size), not
        # rows: ``group_rows`` is not used.
        if not str(self._session.sparkContext.master).startswith("local"):
            self._materialize(table, sql)
            return
        target = self._log_dir / f"staged-{table}"
        self._session.sql(sql).write.mode("overwrite").parquet(str(target))
        self._session.read.parquet(str(target)).createOrReplaceTempView(table)

    def _load(self, table: str, data: pa.Table) -> None:
        self._session.createDataFrame(data).createOrReplaceTempView(table)

    def _drop(self, table: str) -> None:
        self._session.catalog.dropTempView(table)

    def close(self) -> None:
        if self._owns_session:
            self._root.stop()
        shutil.rmtree(self._log_dir, ignore_errors=True)
