"""`plainspoken community influencers` and `evaluate-influence` as users run them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import CLI, one_line_error
from fixtures.community.influence_community import EXPERT, RING, write_influence_dataset
from plainspoken.workspace import init


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = init(tmp_path / "ws")
    write_influence_dataset(ws.datasets / "forum")
    return ws.root


def test_text_table_ranks_the_expert_and_lists_the_excluded_ring(cli: CLI, workspace: Path) -> None:
    result = cli("community", "influencers", "forum", "--topic", "zigbee", "-w", str(workspace))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("influencers on tag:zigbee in forum")
    assert lines[2].split()[:5] == ["rank", "account", "score", "mobilizes", "reactions"]
    assert lines[3].split()[:3] == ["1", EXPERT, f"name-{EXPERT}"]
    for sock in RING:
        assert f"  {sock}: dense reciprocal cluster" in result.stdout


def test_json_csv_and_html(cli: CLI, workspace: Path, tmp_path: Path) -> None:
    args = ("community", "influencers", "forum", "-t", "tag:zigbee", "-w", str(workspace))
    data = json.loads(cli(*args, "-f", "json").stdout)
    assert data["version"] == 1 and data["accounts"][0]["account_id"] == EXPERT
    rows = list(csv.DictReader(io.StringIO(cli(*args, "-f", "csv").stdout)))
    assert rows[0]["account_id"] == EXPERT and rows[0]["accepted"] == "6"
    assert [r["account_id"] for r in rows] == [a["account_id"] for a in data["accounts"]]
    target = tmp_path / "dossier.html"
    result = cli(*args, "-f", "html", "-o", str(target))
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert page.count("<svg") == 1 and "<script" not in page.lower()
    assert page.count('class="person"') == len(data["accounts"])
    assert page.count('data-facet="mobilizes"') == len(data["accounts"])
    assert "Zigbee pairing problem" in page  # the expert's topic threads


def test_a_time_without_a_zone_is_utc(cli: CLI, workspace: Path) -> None:
    args = ("community", "influencers", "forum", "-t", "zigbee", "-w", str(workspace), "-f", "json")
    naive = cli(*args, "--until", "2021-02-15T12:00")
    assert naive.returncode == 0, naive.stderr
    zoned = cli(*args, "--until", "2021-02-15T12:00+00:00")
    later = cli(*args, "--until", "2021-02-15T12:00-05:00")  # 17:00 UTC
    assert json.loads(naive.stdout) == json.loads(zoned.stdout)
    assert json.loads(naive.stdout)["accounts"]
    assert later.returncode == 0, later.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--topic", "zwave"], "topic 'zwave' matches no posts in dataset 'forum'"),
        (["--topic", "tag:zigbe"], "has no tag 'zigbe' (closest tags: zigbee"),
        (["--topic", " , "], "the topic is empty"),
        (["--topic", "zigbee", "-f", "xml"], "unknown format 'xml'"),
        (["--topic", "zigbee", "--kernel", "gpu"], "unknown kernel 'gpu'"),
        (["--topic", "zigbee", "--since", "yesterday"], "--since 'yesterday' is not a date"),
        (["--topic", "zigbee", "--weights", "1,2,3"], "facet weights '1,2,3': expected 4 numbers"),
        (["--topic", "zigbee", "--weights", "1,-1,1,1"], "reactions is -1.0, expected 0 or more"),
        (["--topic", "zigbee", "--weights", "fame=1"], "unknown facet 'fame'"),
    ],
)
def test_bad_input_is_one_line(cli: CLI, workspace: Path, args: list[str], expected: str) -> None:
    line = one_line_error(cli("community", "influencers", "forum", "-w", str(workspace), *args))
    assert expected in line


def test_an_older_schema_says_how_to_reimport(cli: CLI, workspace: Path) -> None:
    manifest = workspace / "datasets" / "forum" / "manifest.json"
    manifest.write_text(json.dumps({"schema_version": 0, "name": "forum"}), encoding="utf-8")
    line = one_line_error(
        cli("community", "influencers", "forum", "-t", "zigbee", "-w", str(workspace))
    )
    assert "schema_version is 0" in line and "import the dump again" in line


def test_evaluation_prints_every_baseline(cli: CLI, workspace: Path) -> None:
    result = cli(
        "community", "evaluate-influence", "forum", "-t", "zigbee", "-w", str(workspace),
        "--cutoff", "2021-03-01",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0]
    for method in ("plainspoken influence", "reputation at cut-off", "post count", "in-degree",
                   "plain PageRank"):  # fmt: skip
        assert f"{method} NDCG@20" in header
    assert "| forum | tag:zigbee | 2021-03-01 |" in result.stdout


def test_a_cutoff_outside_the_data_is_one_line(cli: CLI, workspace: Path) -> None:
    line = one_line_error(
        cli(
            "community",
            "evaluate-influence",
            "forum",
            "-t",
            "zigbee",
            "-w",
            str(workspace),
            "--cutoff",
            "2030-01-01",
        )
    )
    assert "cut-off 2030-01-01 is outside dataset 'forum'" in line


def test_a_horizon_before_the_cutoff_is_one_line(cli: CLI, workspace: Path) -> None:
    args = ["community", "evaluate-influence", "forum", "-t", "zigbee", "-w", str(workspace)]
    line = one_line_error(cli(*args, "--cutoff", "2021-01-20", "--horizon", "2021-01-10"))
    assert "horizon 2021-01-10 is not after the cut-off 2021-01-20" in line


def test_a_development_split_scores_only_up_to_the_horizon(cli: CLI, workspace: Path) -> None:
    args = ["community", "evaluate-influence", "forum", "-t", "zigbee", "-w", str(workspace)]
    whole = cli(*args, "--cutoff", "2021-01-20", "-f", "json")
    early = cli(*args, "--cutoff", "2021-01-20", "--horizon", "2021-01-25", "-f", "json")
    assert whole.returncode == 0 and early.returncode == 0
    [before] = json.loads(whole.stdout)["predictive_validity"]
    [split] = json.loads(early.stdout)["predictive_validity"]
    assert split["candidates"] == before["candidates"]
    assert 0 < split["with_outcome"] < before["with_outcome"]


def test_weights_change_the_composite(cli: CLI, workspace: Path) -> None:
    args = ("community", "influencers", "forum", "-t", "zigbee", "-w", str(workspace), "-f", "json")
    default = json.loads(cli(*args).stdout)["accounts"]
    result = cli(*args, "--weights", "mobilizes=0,reactions=0,audience=0,participation=1")
    assert result.returncode == 0, result.stderr
    only = json.loads(result.stdout)["accounts"]
    assert [a["score"] for a in only] == [a["facets"]["participation"] for a in only]
    assert [a["score"] for a in default] != [a["score"] for a in only]
    evaluated = cli(
        "community", "evaluate-influence", "forum", "-t", "zigbee", "-w", str(workspace),
        "--cutoff", "2021-03-01", "--weights", "0,0,0,1",
    )  # fmt: skip
    assert evaluated.returncode == 0, evaluated.stderr
    bad = cli(
        "community", "evaluate-influence", "forum", "-t", "zigbee", "-w", str(workspace),
        "--weights", "0,0,0,0",
    )  # fmt: skip
    assert bad.returncode == 2 and "all are zero" in one_line_error(bad)
