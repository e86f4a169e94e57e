"""`plainspoken community inject` as users run it: the summary, the truth file, and one-line
errors with exit code 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CLI, one_line_error
from fixtures.community.inject_community import write_inject_dataset
from plainspoken.workspace import init


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = init(tmp_path / "ws")
    write_inject_dataset(ws.datasets / "home")
    return ws.root


def test_inject_prints_a_summary_and_writes_the_truth_beside_the_dataset(
    cli: CLI, workspace: Path
) -> None:
    result = cli("community", "inject", "home", "--out", "planted", "-w", str(workspace),
                 "--campaigns", "2", "--preset", "new-accounts", "--socks", "3-4",
                 "--timing", "burst", "--no-links", "--seed", "4")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        "injected 2 campaign(s)" in result.stdout and "into 'planted' from 'home'" in result.stdout
    )
    truth = json.loads((workspace / "datasets" / "planted.truth.json").read_text())
    assert truth["version"] == 1 and truth["source_dataset"] == "home" and truth["seed"] == 4
    for campaign in truth["campaigns"]:
        assert 3 <= campaign["parameters"]["socks"] <= 4
        assert campaign["parameters"]["timing"] == "burst"
        assert campaign["link_domain"] is None
    accounts = sum(len(c["accounts"]) for c in truth["campaigns"])
    assert f"{accounts} accounts" in result.stdout
    assert (workspace / "datasets" / "planted" / "manifest.json").is_file()


def test_force_replaces_and_truth_goes_where_asked(
    cli: CLI, workspace: Path, tmp_path: Path
) -> None:
    args = ("community", "inject", "home", "--out", "again", "-w", str(workspace), "-n", "1")
    assert cli(*args).returncode == 0
    message = one_line_error(cli(*args))
    assert "dataset 'again' exists; pick another --out name or pass --force" in message
    target = tmp_path / "truth.json"
    result = cli(*args, "--force", "--truth", str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text())["dataset"] == "again"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (("--socks", "1-4"), "socks is 1; it must be 2..10"),
        (("--socks", "many"), "--socks 'many' is not a number or a range such as 3-6"),
        (("--camouflage", "21"), "camouflage is 21; it must be 0..20"),
        (("--threads", "0"), "threads is 0; it must be 1..20"),
        (("--age", "ancient"), "age 'ancient' is not one of: new, aged, dormant"),
        (
            ("--preset", "loud"),
            "unknown preset 'loud' (presets: new-accounts, stealth, mixed, ring)",
        ),
        (("--campaigns", "0"), "campaigns is 0; it must be 1..10000"),
    ],
)
def test_out_of_range_knobs_name_the_range(
    cli: CLI, workspace: Path, extra: tuple[str, ...], expected: str
) -> None:
    result = cli("community", "inject", "home", "--out", "x", "-w", str(workspace), *extra)
    assert expected in one_line_error(result)
    assert not (workspace / "datasets" / "x").exists()


def test_unknown_dataset_lists_the_known_ones(cli: CLI, workspace: Path) -> None:
    result = cli("community", "inject", "nope", "--out", "x", "-w", str(workspace))
    assert "no dataset 'nope' (datasets: home;" in one_line_error(result)


def test_a_dataset_of_an_older_schema_says_how_to_reimport(cli: CLI, workspace: Path) -> None:
    path = workspace / "datasets" / "home" / "manifest.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "schema_version": 0}))
    result = cli("community", "inject", "home", "--out", "x", "-w", str(workspace))
    message = one_line_error(result)
    assert "schema_version is 0" in message and "import the dump again" in message
