"""`plainspoken community authenticity`: parse, call `authenticity`, render."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plainspoken.cli.output import check_output, emit
from plainspoken.cli.progress import ProgressOpt, shown, steps
from plainspoken.config import ENGINES, load_settings
from plainspoken.errors import UsageError

# Kept here (not imported from the reports) so `--help` loads no numpy, scipy or pyarrow.
AUTHENTICITY_FORMATS = ("text", "json", "csv", "html")
CSV_TABLES = ("threads", "accounts", "campaigns")
SIMILARITY = 0.5  # the default of authenticity.wording.Wording.threshold

_err = Console(stderr=True)


def authenticity_command(
    name: Annotated[
        str, typer.Argument(help="Dataset name (a folder in the workspace's datasets/).")
    ],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json, csv or html.")] = "text",
    table: Annotated[
        str, typer.Option("--table", help="For csv: threads, accounts or campaigns.")
    ] = "threads",
    engine: Annotated[
        str | None, typer.Option("--engine", help="duckdb or spark (default: the engine setting).")
    ] = None,
    max_flag_rate: Annotated[
        float,
        typer.Option("--max-flag-rate", help="Flag at most this share of threads (0-1]."),
    ] = 0.01,
    young_hours: Annotated[
        float, typer.Option("--young-hours", help="Accounts younger than this are 'young'.")
    ] = 24.0,
    similarity: Annotated[
        float,
        typer.Option("--similarity", help="Word-pair similarity for near-duplicates (0-1]."),
    ] = SIMILARITY,
    vocabulary: Annotated[
        Path | None,
        typer.Option("--vocabulary", help="YAML file of product names (default: vocabulary.yaml)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here.")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file to use.")] = None,
    progress: ProgressOpt = "auto",
) -> None:
    """Score threads, accounts and campaigns for signs of coordinated posting, with evidence.

    Every signal (new accounts, first posts, bursts, praise of a product, near-identical
    wording, shared links, accounts that keep appearing together, votes among them) is judged
    against the community's own base rates. Flagged items are signals to review, not verdicts.
    """
    if fmt not in AUTHENTICITY_FORMATS:
        valid = ", ".join(AUTHENTICITY_FORMATS)
        raise UsageError(f"unknown format '{fmt}' (valid formats: {valid})")
    if table not in CSV_TABLES:
        raise UsageError(f"unknown table '{table}' (tables: {', '.join(CSV_TABLES)})")
    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}' (valid engines: {', '.join(ENGINES)})")
    check_output(output)
    shown(progress, _err)
    if young_hours <= 0:
        raise UsageError(f"--young-hours {young_hours:g} is out of range (give hours above 0)")
    from plainspoken.community.authenticity import Options, authenticity
    from plainspoken.community.authenticity.wording import Wording
    from plainspoken.reports.authenticity import json_parts, render_authenticity

    options = Options(
        max_flag_rate=max_flag_rate,
        young_seconds=young_hours * 3600,
        wording=replace(Wording(), threshold=similarity),
    )
    settings = load_settings(config, start=workspace)
    with steps(progress, _err, "authenticity") as step:
        result = authenticity(
            name,
            workspace,
            engine=engine,
            settings=settings,
            options=options,
            vocabulary=vocabulary,
            progress=step,
        )
        if step:
            # A big community's report takes minutes to write (gigabytes of JSON at 10M posts).
            step(f"writing the {fmt} report")
        emit(
            json_parts(result) if fmt == "json" else render_authenticity(result, fmt, table),
            output,
        )
