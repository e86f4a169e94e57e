"""Tables made during an analysis: materialized query results and Arrow rows loaded from Python.

Iterative work (PageRank steps, per-reply features) keeps intermediate results as tables; both
engines must answer later queries over them with the same rows.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fixtures.engine.compare import assert_same_rows
from fixtures.engine.tiny_community import write_tiny_dataset
from plainspoken.engine import DuckDBEngine, Engine, Query, SparkEngine
from plainspoken.engine.cluster import session_builder
from plainspoken.errors import EngineError

POSTS_PER_AUTHOR = Query(
    "posts_per_author",
    "SELECT author_id, COUNT(*) AS n FROM posts WHERE author_id IS NOT NULL GROUP BY author_id",
    "Posts per author.",
)
WEIGHTED = Query(
    "weighted",
    "SELECT p.author_id, p.n * w.weight AS weighted FROM per_author AS p "
    "JOIN weights AS w ON p.author_id = w.author_id ORDER BY p.author_id",
    "Posts per author times a weight loaded from Python.",
)


def _use(engine: Engine, folder: Path) -> pa.Table:
    engine.register(folder)
    engine.materialize("per_author", POSTS_PER_AUTHOR)
    authors = engine.run(Query("a", "SELECT author_id FROM per_author", "")).column(0)
    weights = pa.table({"author_id": authors, "weight": [2.5] * len(authors)})
    engine.load("weights", weights)
    result = engine.run(WEIGHTED)
    engine.drop("weights")
    with pytest.raises(EngineError, match="weighted"):
        engine.run(WEIGHTED)
    return result


def test_duckdb_keeps_materialized_and_loaded_tables(tmp_path: Path) -> None:
    folder = write_tiny_dataset(tmp_path / "tiny")
    with DuckDBEngine("256MB") as engine:
        result = _use(engine, folder)
        signed = engine.rows(Query("signed", "SELECT COUNT(author_id) AS n FROM posts", ""))
    assert sum(result.column("weighted").to_pylist()) == pytest.approx(2.5 * signed[0]["n"])


def test_duckdb_stages_big_results_on_disk_and_forgets_them(tmp_path: Path) -> None:
    folder = write_tiny_dataset(tmp_path / "tiny")
    with DuckDBEngine("256MB", temp_directory=tmp_path / "spill") as engine:
        engine.register(folder)
        engine.stage("per_author", POSTS_PER_AUTHOR)
        staged = sorted(p.name for p in (tmp_path / "spill").iterdir())
        again = engine.run(Query("b", "SELECT SUM(n) AS n FROM per_author", "")).to_pylist()
        direct = engine.rows(Query("c", "SELECT COUNT(author_id) AS n FROM posts", ""))
        engine.stage("per_author", POSTS_PER_AUTHOR)  # staging the same name again replaces it
        engine.drop("per_author")
        left = sorted(p.name for p in (tmp_path / "spill").iterdir())
        with pytest.raises(EngineError, match="per_author"):
            engine.run(Query("d", "SELECT * FROM per_author", ""))
    assert staged == ["staged-per_author.parquet"]
    assert again == direct
    assert left == []


def test_duckdb_stages_in_row_groups_of_the_rows_asked_for(tmp_path: Path) -> None:
    """Wide rows picked a few at a time are staged in small row groups (a read decodes whole
    row groups); without the option DuckDB keeps its default, and the rows are the same."""
    numbers = Query(
        "numbers", "SELECT i AS pos, repeat('x', 50) AS text FROM range(10240) t(i)", ""
    )
    spill = tmp_path / "spill"
    with DuckDBEngine("256MB", temp_directory=spill) as engine:
        engine.register(write_tiny_dataset(tmp_path / "tiny"))
        engine.stage("small", numbers, group_rows=2048)
        small = pq.ParquetFile(spill / "staged-small.parquet").metadata
        engine.stage("default", numbers)
        default = pq.ParquetFile(spill / "staged-default.parquet").metadata
        picked = engine.rows(
            Query("p", "SELECT pos FROM small WHERE pos IN (5, 5555) ORDER BY pos", "")
        )
    assert [small.row_group(i).num_rows for i in range(small.num_row_groups)] == [2048] * 5
    assert default.num_row_groups == 1
    assert [r["pos"] for r in picked] == [5, 5555]


def test_duckdb_stages_on_its_stage_threads_and_gives_the_others_back(tmp_path: Path) -> None:
    """Staging (a big community's largest query) runs on fewer threads, so fewer per-thread
    states share the memory limit; every other query keeps the engine's threads, also after
    a staged query fails."""
    folder = write_tiny_dataset(tmp_path / "tiny")
    setting = "SELECT CAST(current_setting('threads') AS BIGINT) AS t"
    with DuckDBEngine("256MB", threads=2, stage_threads=1) as engine:
        engine.register(folder)
        engine.stage("seen", Query("seen", setting, ""))
        during = engine.rows(Query("during", "SELECT t FROM seen", ""))[0]["t"]
        after = engine.rows(Query("after", setting, ""))[0]["t"]
        with pytest.raises(EngineError, match="broken"):
            engine.stage("broken", Query("broken", "SELECT error('no rows') AS t", ""))
        after_failure = engine.rows(Query("again", setting, ""))[0]["t"]
    assert (during, after, after_failure) == (1, 2, 2)


@pytest.fixture(scope="module")
def spark_session() -> Iterator[Any]:
    logs = Path(tempfile.mkdtemp(prefix="plainspoken-spark-test-"))
    session = session_builder("local[2]", logs).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    shutil.rmtree(logs, ignore_errors=True)


@pytest.mark.spark
def test_spark_answers_like_duckdb_over_made_tables(tmp_path: Path, spark_session: Any) -> None:
    folder = write_tiny_dataset(tmp_path / "tiny")
    with DuckDBEngine("256MB") as duck:
        expected = _use(duck, folder)
    with SparkEngine(session=spark_session) as spark:
        got = _use(spark, folder)
    assert_same_rows(got, expected)


def test_texts_picked_by_number_across_ranges_match_the_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plainspoken.community.authenticity import data, texts

    folder = write_tiny_dataset(tmp_path / "tiny")
    with DuckDBEngine("256MB", temp_directory=tmp_path / "spill") as engine:
        engine.register(folder)
        community = data.read(engine)
        every = [t for _, batch in community.texts.batches(4) for t in batch]
        monkeypatch.setattr(texts, "_PICK_WINDOW", 3)  # several ranges on a tiny community
        wanted = [len(every) - 1, 0, 4, 4, 1, 7]
        picked = community.texts.pick(wanted)
        assert picked == {p: every[p] for p in wanted}
        assert community.texts.pick([]) == {}
        # The loaded numbers are dropped afterwards; a second pick works the same.
        assert community.texts.pick([2]) == {2: every[2]}
