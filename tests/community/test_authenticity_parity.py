"""The authenticity analysis gives the same scores, flags and evidence on DuckDB and on Spark."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures.community.astroturf import write_astroturf_dataset
from plainspoken.community.authenticity import Options, authenticity
from plainspoken.engine import DuckDBEngine, SparkEngine
from plainspoken.engine.cluster import session_builder
from plainspoken.workspace import init

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_session() -> Iterator[Any]:
    logs = Path(tempfile.mkdtemp(prefix="plainspoken-spark-test-"))
    session = session_builder("local[2]", logs).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    shutil.rmtree(logs, ignore_errors=True)


def test_duckdb_and_spark_agree_on_every_score(tmp_path: Path, spark_session: Any) -> None:
    init(tmp_path)
    write_astroturf_dataset(tmp_path / "datasets" / "astro")
    options = Options(max_flag_rate=0.05)
    with DuckDBEngine("256MB") as duck:
        expected = authenticity("astro", tmp_path, engine=duck, options=options).to_dict()
    with SparkEngine(session=spark_session) as spark:
        got = authenticity("astro", tmp_path, engine=spark, options=options).to_dict()
    del expected["engine"], got["engine"]
    assert got == expected
    assert any(t["flagged"] for t in got["threads"])
