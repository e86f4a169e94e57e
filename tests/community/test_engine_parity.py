"""Every named query gives the same rows on DuckDB and on Spark (local mode).

One SparkSession serves the whole test session. A query declared in ``engine.GAPS`` for Spark
is an expected failure (strict: when the gap closes, remove its entry).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from fixtures.engine.compare import assert_close, assert_same_rows
from fixtures.engine.random_community import write_random_dataset
from fixtures.engine.tiny_community import write_tiny_dataset
from plainspoken.community.stats import compute, stats
from plainspoken.config import Settings
from plainspoken.engine import QUERIES, DuckDBEngine, Query, SparkEngine, gap_for
from plainspoken.engine.cluster import session_builder
from plainspoken.errors import EngineError
from plainspoken.workspace import init

pytestmark = pytest.mark.spark
# The tiny dataset has its posts in part files (posts/*.parquet), the random one in one file.
DATASETS = {
    "tiny": partial(write_tiny_dataset, parts=True),
    "random": write_random_dataset,
}


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    logs = Path(tempfile.mkdtemp(prefix="plainspoken-spark-test-"))
    session = session_builder("local[2]", logs).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    shutil.rmtree(logs, ignore_errors=True)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("parity")
    return {name: write(base / name) for name, write in DATASETS.items()}


@pytest.fixture(scope="module")
def engines(
    spark_session: Any, folders: dict[str, Path]
) -> Iterator[dict[str, tuple[DuckDBEngine, SparkEngine]]]:
    pairs = {}
    for name, folder in folders.items():
        duck, spark = DuckDBEngine("256MB"), SparkEngine(session=spark_session)
        duck.register(folder)
        spark.register(folder)
        pairs[name] = (duck, spark)
    yield pairs
    for duck, spark in pairs.values():
        duck.close()
        spark.close()


def _cases() -> list[Any]:
    cases = []
    for dataset in DATASETS:
        for name in QUERIES:
            gap = gap_for(name, "spark")
            marks = [pytest.mark.xfail(strict=True, reason=gap.reason)] if gap else []
            cases.append(pytest.param(dataset, name, id=f"{dataset}-{name}", marks=marks))
    return cases


@pytest.mark.parametrize(("dataset", "name"), _cases())
def test_query_gives_the_same_rows_on_both_engines(
    engines: dict[str, tuple[DuckDBEngine, SparkEngine]], dataset: str, name: str
) -> None:
    duck, spark = engines[dataset]
    expected = duck.run(name)
    got = spark._execute(spark.sql(name))  # bypasses the gap check, so a gap shows as a failure
    assert len(expected) > 0
    assert_same_rows(got, expected)


def test_parameters_bind_the_same_on_both_engines(
    engines: dict[str, tuple[DuckDBEngine, SparkEngine]],
) -> None:
    duck, spark = engines["random"]
    params = {"fast_window_seconds": 7_200, "fast_answers": 1, "young_day_seconds": 3_600}
    expected = duck.rows("base_rates_by_month", **params)
    assert spark.rows("base_rates_by_month", **params) == expected


def test_stats_are_the_same_on_both_engines(
    engines: dict[str, tuple[DuckDBEngine, SparkEngine]], folders: dict[str, Path]
) -> None:
    duck, spark = engines["random"]
    on_duck = compute(duck).to_dict()
    on_spark = compute(spark).to_dict()
    assert on_duck.pop("engine") == "duckdb" and on_spark.pop("engine") == "spark"
    assert on_duck["reply_latency"]["answers"] > 0
    assert_close(on_spark, on_duck)


def test_a_failing_spark_query_is_reported_in_one_line(
    engines: dict[str, tuple[DuckDBEngine, SparkEngine]], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Query("broken", "SELECT no_such_column FROM posts", "A query Spark rejects.")
    monkeypatch.setitem(QUERIES, "broken", broken)
    _, spark = engines["tiny"]
    with pytest.raises(EngineError) as caught:
        spark.rows("broken")
    message = str(caught.value)
    assert message.startswith("query 'broken' failed on spark: ")
    assert "no_such_column" in message
    assert "\n" not in message


def test_stats_on_spark_from_the_settings_leave_a_shared_session_running(
    spark_session: Any, tmp_path: Path
) -> None:
    ws = init(tmp_path / "ws")
    write_tiny_dataset(ws.datasets / "tiny")
    settings = Settings().with_overrides(engine="spark", spark_master="local[1]")
    on_spark = stats("tiny", ws.root, settings=settings).to_dict()
    on_duck = stats("tiny", ws.root, engine="duckdb").to_dict()
    assert on_spark.pop("engine") == "spark" and on_duck.pop("engine") == "duckdb"
    assert_close(on_spark, on_duck)
    # the engine used the session it found and did not stop it
    assert spark_session.sql("SELECT 1 AS one").collect()[0]["one"] == 1
