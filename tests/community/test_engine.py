"""DuckDBEngine over the tiny dataset: every named query's numbers, parameters, bad folders."""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.engine.tiny_community import BASE_RATES, LATENCIES, ROWS, write_tiny_dataset
from plainspoken.config import Settings
from plainspoken.engine import (
    GAPS,
    LATENCY_EDGES,
    QUERIES,
    REWRITES,
    DuckDBEngine,
    Query,
    create_engine,
    sql_for,
)
from plainspoken.errors import DatasetError, EngineError, UsageError


@pytest.fixture(params=["single", "parts"])
def dataset(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return write_tiny_dataset(tmp_path / "tiny", parts=request.param == "parts")


@pytest.fixture
def engine(dataset: Path, tmp_path: Path) -> Iterator[DuckDBEngine]:
    with DuckDBEngine("256MB", tmp_path / "spill") as started:
        started.register(dataset)
        yield started


def _interpolated(values: list[float], q: float) -> float:
    pos = (len(values) - 1) * q
    low = math.floor(pos)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (pos - low)


def test_table_counts(engine: DuckDBEngine) -> None:
    counts = {r["table_name"]: r["row_count"] for r in engine.rows("table_counts")}
    assert counts == {table: len(rows) for table, rows in ROWS.items()}


def test_posts_by_month(engine: DuckDBEngine) -> None:
    rows = engine.rows("posts_by_month")
    assert {"month": "2020-03", "kind": "answer", "posts": 4} in rows
    assert {"month": "2020-06", "kind": "answer", "posts": 1} in rows
    assert sum(r["posts"] for r in rows) == len(ROWS["posts"])


def test_reply_latency_percentiles_interpolate_linearly(engine: DuckDBEngine) -> None:
    (row,) = engine.rows("reply_latency_percentiles")
    assert row["answers"] == len(LATENCIES)
    for name, q in (("p10", 0.1), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p90", 0.9)):
        assert row[name] == pytest.approx(_interpolated(LATENCIES, q))


def test_reply_latency_histogram_counts_each_answer_in_its_bucket(engine: DuckDBEngine) -> None:
    rows = engine.rows("reply_latency_histogram")
    assert [r["lower_seconds"] for r in rows] == list(LATENCY_EDGES)
    assert rows[-1]["upper_seconds"] is None
    assert sum(r["answers"] for r in rows) == len(LATENCIES)
    filled = {r["bucket"]: r["answers"] for r in rows if r["answers"]}
    # 30 s, 10 min, 20 min, 45 min, 2 h, 1 d, 52 d: a bucket holds its lower edge, not its upper
    assert filled == {0: 1, 2: 1, 3: 1, 4: 1, 6: 1, 9: 1, 12: 1}


def test_base_rates_by_month(engine: DuckDBEngine) -> None:
    rows = {r.pop("month"): r for r in engine.rows("base_rates_by_month")}
    assert rows == BASE_RATES


def test_base_rates_parameters_change_the_windows(engine: DuckDBEngine) -> None:
    rows = {r["month"]: r for r in engine.rows("base_rates_by_month", fast_window_seconds=60)}
    assert rows["2020-03"]["threads_fast_answers"] == 0
    rows = {
        r["month"]: r for r in engine.rows("base_rates_by_month", young_day_seconds=50 * 86_400)
    }
    assert rows["2020-03"]["answers_young_day"] == 3


def test_every_query_is_documented_and_declares_its_parameters() -> None:
    for query in QUERIES.values():
        assert query.doc
        for name in query.params:
            assert f":{name}" in query.sql
    assert all(r.reason for r in REWRITES)
    assert all(g.reason for g in GAPS)


def test_the_same_sql_text_is_transpiled_for_spark() -> None:
    text = sql_for(QUERIES["reply_latency_percentiles"], "spark")
    assert "PERCENTILE(seconds, 0.50)" in text and "QUANTILE_CONT" not in text.upper()
    assert "DATE_FORMAT" in sql_for(QUERIES["posts_by_month"], "spark")
    assert "86400" in sql_for(QUERIES["base_rates_by_month"], "duckdb")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda e: e.rows("nope"), "unknown query 'nope' (named queries: base_rates_by_month"),
        (lambda e: e.rows("table_counts", since=1), "unknown parameter 'since'"),
        (lambda e: e.rows("base_rates_by_month", fast_answers=[2]), "expected a number"),
    ],
)
def test_bad_queries_say_what_exists(engine: DuckDBEngine, call: object, message: str) -> None:
    with pytest.raises(EngineError, match=None) as caught:
        call(engine)  # type: ignore[operator]
    assert message in str(caught.value)


def test_running_before_registering_is_refused(tmp_path: Path) -> None:
    with DuckDBEngine() as engine, pytest.raises(EngineError, match="no dataset registered"):
        engine.rows("table_counts")


def test_missing_table_is_named(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "tiny")
    (root / "links.parquet").unlink()
    with DuckDBEngine() as engine, pytest.raises(DatasetError) as caught:
        engine.register(root)
    assert "table 'links' is missing" in str(caught.value)
    assert "links/*.parquet" in str(caught.value)


def test_a_table_without_a_schema_column_is_named(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    root = write_tiny_dataset(tmp_path / "tiny", parts=True)
    part = root / "posts" / "part-1.parquet"
    pq.write_table(pq.read_table(part).drop_columns(["kind", "score"]), part)
    with DuckDBEngine() as engine, pytest.raises(DatasetError) as caught:
        engine.register(root)
    assert str(caught.value).startswith(f"{part}: table 'posts' lacks column(s) kind, score")


def test_a_file_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "tiny")
    (root / "threads.parquet").write_bytes(b"id,title\n1,hello\n")
    with DuckDBEngine() as engine, pytest.raises(DatasetError) as caught:
        engine.register(root)
    message = str(caught.value)
    assert message.startswith(f"{root / 'threads.parquet'}: not a readable Parquet file")
    assert "\n" not in message


def test_part_folder_without_parquet_counts_as_missing(tmp_path: Path) -> None:
    root = write_tiny_dataset(tmp_path / "tiny", parts=True)
    shutil.rmtree(root / "posts")
    (root / "posts").mkdir()
    with DuckDBEngine() as engine, pytest.raises(DatasetError, match="table 'posts' is missing"):
        engine.register(root)


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            {"schema_version": 2, "name": "x"},
            "schema_version is 2, this plainspoken reads version 1",
        ),
        ({"name": "x"}, "schema_version is None"),
        (None, "manifest.json: missing"),
        ("{not json", "not readable JSON"),
    ],
)
def test_manifest_problems_are_one_line(
    tmp_path: Path, manifest: dict[str, object] | str | None, message: str
) -> None:
    root = write_tiny_dataset(tmp_path / "tiny")
    path = root / "manifest.json"
    if manifest is None:
        path.unlink()
    else:
        path.write_text(manifest if isinstance(manifest, str) else json.dumps(manifest))
    with DuckDBEngine() as engine, pytest.raises(DatasetError) as caught:
        engine.register(root)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_engine_spills_to_its_temp_directory_and_removes_its_own(tmp_path: Path) -> None:
    engine = DuckDBEngine("128MB")
    spill = engine.temp_directory
    assert spill.is_dir()
    engine.close()
    assert not spill.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    given = DuckDBEngine("128MB", kept)
    assert given.temp_directory == kept
    given.close()
    assert kept.is_dir()


def test_bad_memory_limit_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="duckdb_memory_limit"):
        DuckDBEngine("lots")


def test_create_engine_follows_the_settings(tmp_path: Path) -> None:
    settings = Settings().with_overrides(duckdb_memory_limit="300MB", duckdb_stage_threads=2)
    spill = tmp_path / "spill"
    spill.mkdir()
    with create_engine(settings, temp_directory=spill) as engine:
        assert isinstance(engine, DuckDBEngine)
        assert engine.stage_threads == 2
        (row,) = engine._execute(
            "SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t"
        ).to_pylist()
        assert row == {"m": "286.1 MiB", "t": str(spill)}  # 300 MB, in the unit DuckDB reports
    with pytest.raises(UsageError, match="valid engines: duckdb, spark"):
        create_engine(settings, "polars")


def test_a_declared_gap_is_refused_with_its_reason(
    engine: DuckDBEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plainspoken.engine import gaps

    gap = gaps.Gap("posts_by_month", "duckdb", "months are counted differently here")
    monkeypatch.setattr(gaps, "GAPS", (gap,))
    with pytest.raises(EngineError) as caught:
        engine.rows("posts_by_month")
    assert "known gap on duckdb: months are counted differently here" in str(caught.value)
    assert engine.rows("table_counts")  # other queries still run


def test_spark_sessions_use_the_configured_master_in_utc(tmp_path: Path) -> None:
    from plainspoken.engine.cluster import session_builder

    options = session_builder("spark://analytics:7077", tmp_path)._options
    assert options["spark.master"] == "spark://analytics:7077"
    assert options["spark.sql.session.timeZone"] == "UTC"  # months are UTC months on both engines
    assert options["spark.ui.enabled"] == "false"
    assert (tmp_path / "log4j2.properties").is_file()


def _resident_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
def test_trim_gives_back_duckdbs_cache_and_keeps_its_limit(tmp_path: Path) -> None:
    with DuckDBEngine("512MB", tmp_path / "spill") as started:
        started.register(write_tiny_dataset(tmp_path / "data"))
        con = started._con
        start = _resident_bytes()
        # A sort that leaves a few hundred MB of freed blocks with DuckDB.
        con.execute(
            "CREATE TEMP TABLE big AS SELECT range AS n, md5(range::VARCHAR) AS s "
            "FROM range(2000000) ORDER BY s"
        )
        con.execute("DROP TABLE big")
        kept = _resident_bytes() - start
        assert kept > 100 * 2**20  # else the test would show nothing
        started.trim()
        assert _resident_bytes() - start < kept / 2
        limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        assert limit.startswith("488")  # the 512MB it started with, shown in MiB
        counts = {r["table_name"]: r["row_count"] for r in started.rows("table_counts")}
        assert counts == {table: len(rows) for table, rows in ROWS.items()}


def test_running_out_of_duckdb_memory_says_which_setting_to_raise(dataset: Path) -> None:
    with DuckDBEngine("32MB") as small:
        small.register(dataset)
        whole = Query("one_big_list", "SELECT list(i) AS l FROM range(50000000) AS t(i)", "test")
        with pytest.raises(EngineError) as caught:
            small.run(whole)
    message = str(caught.value)
    assert message.startswith("query 'one_big_list' failed on duckdb: Out of Memory Error")
    assert "duckdb_memory_limit of 32MB" in message and "plainspoken.toml" in message
