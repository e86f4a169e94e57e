"""`plainspoken community import` as users run it: a summary line, one-line errors, exit codes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import CLI, one_line_error
from fixtures.community.stackexchange_dump import SITE, files, write_dump
from plainspoken.cli.app import app
from plainspoken.cli.errors import run_safely
from plainspoken.errors import ExitCode
from plainspoken.workspace import init


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init(tmp_path / "ws").root


def test_import_prints_one_summary_line_and_stats_can_read_it(
    cli: CLI, workspace: Path, tmp_path: Path
) -> None:
    dump = write_dump(tmp_path / SITE)
    result = cli("community", "import", str(dump), "--format", "stackexchange", "--name", "home",
                 "--workspace", str(workspace))  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "imported 'home' (stackexchange): 2 threads, 8 posts, 4 accounts, 8 reactions, 5 links, "
        "2020-01-05 to 2020-02-01 in "
    )
    assert result.stderr == ""
    stats = cli("community", "stats", "home", "--workspace", str(workspace), "--format", "json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["counts"]["posts"] == 8


def test_the_workspace_defaults_to_the_current_folder(
    cli: CLI, workspace: Path, tmp_path: Path
) -> None:
    dump = write_dump(tmp_path / SITE, Votes=None)
    result = cli(
        "community", "import", str(dump), "-f", "stackexchange", "-n", "home", cwd=workspace
    )
    assert result.returncode == 0, result.stderr
    assert (workspace / "datasets" / "home" / "manifest.json").is_file()
    assert result.stderr.strip() == "note: no Votes.xml in the dump: reactions (votes) are empty"


def test_bad_input_is_one_line_with_exit_code_2(cli: CLI, workspace: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / SITE, Posts=files()["Posts.xml"][:900])
    result = cli("community", "import", str(dump), "-f", "stackexchange", "-n", "home",
                 "-w", str(workspace))  # fmt: skip
    line = one_line_error(result)
    assert "Posts.xml line" in line and "truncated" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "mbox", "-n", "x"], "unknown format 'mbox'"),
        (["-f", "stackexchange", "-n", "a/b"], "cannot name a dataset"),
        (["-f", "generic", "-n", "x"], "needs --mapping"),
    ],
)
def test_usage_errors_are_one_line(
    cli: CLI, workspace: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    dump = write_dump(tmp_path / SITE)
    line = one_line_error(cli("community", "import", str(dump), *args, "-w", str(workspace)))
    assert message in line


def test_ctrl_c_exits_with_code_3_and_keeps_the_dataset(
    workspace: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from plainspoken.community import importing

    dump = write_dump(tmp_path / SITE)
    real = importing.import_dataset

    def interrupted(*args: object, **kwargs: object) -> dict[str, object]:
        def stop(done: int, total: int | None) -> None:
            if done:
                raise KeyboardInterrupt

        return real(*args, **{**kwargs, "progress": stop})  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "import_dataset", interrupted)
    argv = ["plainspoken", "community", "import", str(dump), "-f", "stackexchange", "-n", "home"]
    monkeypatch.setattr(sys, "argv", [*argv, "-w", str(workspace)])
    assert run_safely(app) == ExitCode.INTERRUPTED
    assert "interrupted" in capsys.readouterr().err
    assert not (workspace / "datasets" / "home").exists()
    assert not list((workspace / "datasets").glob(".home.tmp-*"))
