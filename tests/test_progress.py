"""`--progress`: silent in pipes by default, timestamped lines with `plain`, bad modes exit 2."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from conftest import CLI, one_line_error
from fixtures.community.astroturf import write_astroturf_dataset
from fixtures.community.stackexchange_dump import SITE, write_dump
from plainspoken.cli import progress as progress_module
from plainspoken.cli.progress import Lines, shown
from plainspoken.errors import UsageError
from plainspoken.workspace import init

LINE = re.compile(r"^\[\d+:\d\d:\d\d\] ")


def _console() -> tuple[Console, StringIO]:
    sink = StringIO()
    return Console(file=sink, width=200, color_system=None), sink


def test_plain_import_progress_ends_with_the_whole_dump_read(cli: CLI, tmp_path: Path) -> None:
    workspace = init(tmp_path / "ws").root
    dump = write_dump(tmp_path / SITE)
    result = cli("community", "import", str(dump), "-f", "stackexchange", "-n", "home",
                 "-w", str(workspace), "--progress", "plain")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert all(f"importing {SITE}: " in line for line in lines)
    assert lines[-1].endswith("(100%)")
    assert result.stdout.startswith("imported 'home'")


def test_plain_authenticity_progress_names_each_step_in_order(cli: CLI, tmp_path: Path) -> None:
    workspace = init(tmp_path / "ws").root
    write_astroturf_dataset(workspace / "datasets" / "astro")
    result = cli("community", "authenticity", "astro", "-w", str(workspace), "-f", "json",
                 "--progress", "plain")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(LINE.match(line) and "] authenticity: " in line for line in lines), lines
    steps = [line.split("authenticity: ", 1)[1] for line in lines]
    assert steps[0] == "reading dataset 'astro'"
    assert steps.index("linking accounts into campaigns") > 1
    scoring = next(i for i, s in enumerate(steps) if s.startswith("scoring threads and accounts"))
    # The scoring step's parts, then the report: the last minutes of a big run are not silent.
    assert [re.sub(r"[\d,]+", "N", s) for s in steps[scoring + 1 :]] == [
        "gathering the evidence of N flagged threads",
        "describing N linked groups",
        "scoring N accounts",
        "writing the json report",
    ]
    assert result.stdout.lstrip().startswith("{")


def test_by_default_a_pipe_gets_no_progress(cli: CLI, tmp_path: Path) -> None:
    workspace = init(tmp_path / "ws").root
    write_astroturf_dataset(workspace / "datasets" / "astro")
    result = cli("community", "authenticity", "astro", "-w", str(workspace), "-f", "json")
    assert result.returncode == 0 and result.stderr == ""


def test_an_unknown_mode_is_a_usage_error(cli: CLI, tmp_path: Path) -> None:
    result = cli("check", "--progress", "loud", str(tmp_path))
    line = one_line_error(result)
    assert "--progress 'loud'" in line and "auto, plain, none" in line
    with pytest.raises(UsageError):
        shown("bars", Console())


def test_repeated_steps_print_once_and_counts_at_most_every_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [100.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    console, sink = _console()
    lines = Lines(console, "job", every=30.0)
    lines.step("reading")
    lines.step("reading")
    for done in (1_000, 2_000, 3_000):  # within the interval: only the first is shown
        clock[0] += 5
        lines.step(f"read {done:,} of 9,000 posts")
    clock[0] += 40
    lines.step("read 4,000 of 9,000 posts")
    lines.step("comparing")
    lines.items(1, 3, "a.md")
    lines.items(2, 3, "b.md")  # too soon after the last count
    lines.items(3, 3, "c.md")  # the last one always shows
    assert sink.getvalue().splitlines() == [
        "[0:00:00] job: reading",
        "[0:00:05] job: read 1,000 of 9,000 posts",
        "[0:00:55] job: read 4,000 of 9,000 posts",
        "[0:00:55] job: comparing",
        "[0:00:55] job: 1 of 3 (a.md)",
        "[0:00:55] job: 3 of 3 (c.md)",
    ]


def test_data_lines_give_sizes_and_shares() -> None:
    console, sink = _console()
    lines = Lines(console, "importing dump.7z", every=0.0)
    lines.data(1_500_000, 3_000_000_000)
    lines.data(2_500, None)
    assert sink.getvalue().splitlines()[0].endswith(": 1.5 MB of 3.0 GB (0%)")
    assert sink.getvalue().splitlines()[1].endswith(": 2.5 kB read")


def test_a_long_step_stays_on_one_line_in_a_narrow_log() -> None:
    sink = StringIO()
    console = Console(file=sink, width=40, color_system=None)
    step = "reading stance toward 8,004 product names and comparing wording"
    Lines(console, "authenticity").step(step)
    assert sink.getvalue().splitlines() == [f"[0:00:00] authenticity: {step}"]
