"""`plainspoken community stats` as users run it: each format, and one-line errors for bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLI, one_line_error
from fixtures.engine.tiny_community import BASE_RATES, ROWS, write_tiny_dataset
from plainspoken.workspace import init


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace in tmp_path/ws holding the tiny dataset as `tiny`."""
    ws = init(tmp_path / "ws")
    write_tiny_dataset(ws.datasets / "tiny")
    return ws.root


def test_text_report_shows_counts_activity_latency_and_base_rates(
    cli: CLI, workspace: Path
) -> None:
    result = cli("community", "stats", "tiny", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "dataset tiny (engine duckdb, 2020-01-01T00:00:00+00:00 to 2020-06-01" in out
    assert re.search(r"^posts\s+14$", out, re.M)
    assert re.search(r"^2020-03\s+4\s+1\s+2\s+1$", out, re.M)  # answer, comment, question, reply
    assert "reply latency (7 answers)" in out
    assert "p50 45 min" in out
    assert re.search(r"^under 1 min\s+1$", out, re.M)
    assert re.search(r"^30 d and more\s+1$", out, re.M)
    # month, answers, threads, then shares: < 1 d, < 7 d, first post, 2+ answers in 1 h
    assert re.search(r"^2020-03\s+4\s+2\s+25\.0%\s+50\.0%\s+50\.0%\s+50\.0%$", out, re.M)
    assert re.search(r"^all\s+7\s+5\s+16\.7%\s+50\.0%\s+42\.9%\s+40\.0%$", out, re.M)


def test_json_report_has_the_numbers_and_the_shares(cli: CLI, workspace: Path) -> None:
    result = cli("community", "stats", "tiny", "-w", str(workspace), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["engine"] == "duckdb"
    assert data["counts"] == {table: len(rows) for table, rows in ROWS.items()}
    assert data["time_range"] == ["2020-01-01T00:00:00+00:00", "2020-06-01T00:00:00+00:00"]
    latency = data["reply_latency"]
    assert latency["answers"] == 7
    assert latency["percentiles_seconds"]["p50"] == pytest.approx(2700.0)
    assert sum(b["answers"] for b in latency["histogram"]) == 7
    rates = data["base_rates"]
    assert rates["parameters"]["fast_answers"] == 2
    by_month = {r.pop("month"): r for r in rates["by_month"]}
    for month, expected in BASE_RATES.items():
        assert {k: by_month[month][k] for k in expected} == expected
    assert by_month["2020-03"]["share_young_day"] == pytest.approx(0.25)
    assert by_month["2020-05"]["share_first_post"] is None  # no answers that month
    assert rates["overall"]["share_fast_threads"] == pytest.approx(2 / 5)


def test_html_report_is_written_with_inline_charts_and_no_script(
    cli: CLI, workspace: Path, tmp_path: Path
) -> None:
    target = tmp_path / "stats.html"
    result = cli(
        "community", "stats", "tiny", "-w", str(workspace), "-f", "html", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"report written to {target}" in result.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert page.count("<svg") == 3
    assert "<script" not in page.lower()
    assert re.findall(r"(?:src|href)=", page) == []
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "tiny: community stats" in page
    assert "threads with 2+ answers within 1 h" in page


def test_an_empty_dataset_reports_zeros_not_an_error(cli: CLI, tmp_path: Path) -> None:
    ws = init(tmp_path / "ws")
    root = write_tiny_dataset(ws.datasets / "empty", name="empty")
    import pyarrow.parquet as pq

    for path in root.glob("*.parquet"):
        pq.write_table(pq.read_table(path).slice(0, 0), path)
    result = cli("community", "stats", "empty", "-w", str(ws.root), "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["counts"].values()) == {0}
    assert data["reply_latency"]["answers"] == 0
    assert data["reply_latency"]["percentiles_seconds"]["p50"] is None
    assert data["base_rates"]["by_month"] == []
    text = cli("community", "stats", "empty", "-w", str(ws.root))
    assert "reply latency (0 answers)" in text.stdout and "no dated posts" in text.stdout
    html = cli("community", "stats", "empty", "-w", str(ws.root), "-f", "html")
    assert html.returncode == 0 and html.stdout.count("<svg") == 3


def test_unknown_dataset_names_the_datasets_that_exist(cli: CLI, workspace: Path) -> None:
    write_tiny_dataset(workspace / "datasets" / "forum", name="forum")
    line = one_line_error(cli("community", "stats", "nope", "-w", str(workspace)))
    assert "no dataset 'nope'" in line
    assert "datasets: forum, tiny" in line
    assert "plainspoken community import" in line


def test_unknown_dataset_in_an_empty_workspace_says_how_to_make_one(
    cli: CLI, tmp_path: Path
) -> None:
    ws = init(tmp_path / "ws")
    line = one_line_error(cli("community", "stats", "tiny", "-w", str(ws.root)))
    assert "datasets: none yet" in line


def test_a_missing_table_is_named(cli: CLI, workspace: Path) -> None:
    (workspace / "datasets" / "tiny" / "reactions.parquet").unlink()
    line = one_line_error(cli("community", "stats", "tiny", "-w", str(workspace)))
    assert "table 'reactions' is missing" in line
    assert "import the dataset again" in line


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("{broken", "not readable JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"schema_version": 99}', "schema_version is 99, this plainspoken reads version 1"),
    ],
)
def test_a_bad_manifest_is_one_line(
    cli: CLI, workspace: Path, manifest: str, expected: str
) -> None:
    (workspace / "datasets" / "tiny" / "manifest.json").write_text(manifest, encoding="utf-8")
    line = one_line_error(cli("community", "stats", "tiny", "-w", str(workspace)))
    assert "manifest.json" in line and expected in line


def test_a_parquet_file_that_is_not_parquet_is_one_line(cli: CLI, workspace: Path) -> None:
    (workspace / "datasets" / "tiny" / "posts.parquet").write_text("not parquet")
    line = one_line_error(cli("community", "stats", "tiny", "-w", str(workspace)))
    assert "posts.parquet" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--engine", "polars"], "unknown engine 'polars' (valid engines: duckdb, spark)"),
        (["--format", "xml"], "unknown format 'xml' (valid formats: text, json, html)"),
        (["-o", "missing/stats.txt"], "folder missing does not exist"),
    ],
)
def test_bad_options_are_one_line(
    cli: CLI, workspace: Path, args: list[str], expected: str
) -> None:
    line = one_line_error(cli("community", "stats", "tiny", "-w", str(workspace), *args))
    assert expected in line


def test_a_path_is_not_a_dataset_name(cli: CLI, workspace: Path) -> None:
    line = one_line_error(cli("community", "stats", "../tiny", "-w", str(workspace)))
    assert "'../tiny' is not a dataset name" in line


def test_a_folder_that_is_not_a_workspace_says_how_to_make_one(cli: CLI, tmp_path: Path) -> None:
    line = one_line_error(cli("community", "stats", "tiny", "-w", str(tmp_path)))
    assert "not a plainspoken workspace" in line and "plainspoken init" in line


def test_the_engine_setting_is_checked(cli: CLI, workspace: Path) -> None:
    (workspace / "plainspoken.toml").write_text('engine = "polars"\n', encoding="utf-8")
    line = one_line_error(cli("community", "stats", "tiny", "-w", str(workspace)))
    assert "engine" in line and "duckdb, spark" in line


def test_help_does_not_load_the_engines() -> None:
    code = (
        "import sys, plainspoken.cli.app; "
        "print(sorted(m for m in ('duckdb', 'pyarrow', 'pyspark', 'sqlglot') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
