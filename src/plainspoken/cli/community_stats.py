"""`plainspoken community stats`: parse, call `plainspoken.community.stats`, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from plainspoken.cli.output import check_output, emit
from plainspoken.community import stats
from plainspoken.config import ENGINES, load_settings
from plainspoken.errors import UsageError
from plainspoken.reports.stats import STATS_FORMATS, render_stats


def stats_command(
    name: Annotated[
        str, typer.Argument(help="Dataset name (a folder in the workspace's datasets/).")
    ],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or html.")] = "text",
    engine: Annotated[
        str | None, typer.Option("--engine", help="duckdb or spark (default: the engine setting).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here.")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file to use.")] = None,
) -> None:
    """Report a dataset's counts, activity, reply latency and base rates.

    Base rates, by month: the share of answers from accounts younger than a day and a week, of
    answers that are the account's first post, and of threads with 2+ answers within an hour.
    """
    if fmt not in STATS_FORMATS:
        raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(STATS_FORMATS)})")
    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}' (valid engines: {', '.join(ENGINES)})")
    check_output(output)
    settings = load_settings(config, start=workspace)
    result = stats(name, workspace, engine=engine, settings=settings)
    rendered = render_stats(result, fmt)
    emit(rendered, output)
