"""`plainspoken community evaluate`: score a dataset with planted campaigns against its truth."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plainspoken.cli.progress import ProgressOpt, shown, steps
from plainspoken.config import ENGINES, load_settings
from plainspoken.errors import UsageError

_err = Console(stderr=True)


def evaluate_command(
    name: Annotated[str, typer.Argument(help="Dataset with planted campaigns (see inject).")],
    truth: Annotated[
        Path | None,
        typer.Option("--truth", help="Truth file (default: datasets/NAME.truth.json)."),
    ] = None,
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    engine: Annotated[
        str | None, typer.Option("--engine", help="duckdb or spark (default: the engine setting).")
    ] = None,
    max_flag_rate: Annotated[
        float, typer.Option("--max-flag-rate", help="Operating point: share of threads flagged.")
    ] = 0.01,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file to use.")] = None,
    progress: ProgressOpt = "auto",
) -> None:
    """Precision, recall, PR-AUC and recall at a 1% organic flag rate, for threads and accounts,
    beside two baselines (75% young repliers; co-replies within 60 s), by campaign strength."""
    if fmt not in ("text", "json"):
        raise UsageError(f"unknown format '{fmt}' (valid formats: text, json)")
    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}' (valid engines: {', '.join(ENGINES)})")
    shown(progress, _err)
    from plainspoken.community.authenticity import Options
    from plainspoken.community.authenticity.evaluation import evaluate
    from plainspoken.reports.authenticity import evaluation_text

    settings = load_settings(config, start=workspace)
    with steps(progress, _err, "evaluate") as step:
        result = evaluate(
            name,
            truth,
            workspace,
            engine=engine,
            settings=settings,
            options=Options(max_flag_rate=max_flag_rate),
            progress=step,
        )
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(evaluation_text(result))
