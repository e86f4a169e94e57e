"""`plainspoken community influencers`: parse, call `plainspoken.community.influence`, render."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plainspoken.cli.output import check_output, emit
from plainspoken.cli.progress import ProgressOpt, shown, steps
from plainspoken.config import ENGINES, load_settings
from plainspoken.errors import UsageError

# The analysis loads numpy, scipy and pyarrow: imported when the command runs, so that
# `plainspoken --help` stays quick.
INFLUENCE_FORMATS = ("text", "json", "csv", "html")
KERNELS = ("auto", "scipy", "sql")

_err = Console(stderr=True)


def parse_date(text: str | None, option: str) -> datetime | None:
    """An ISO 8601 date or time from the command line, or a one-line message."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option} '{text}' is not a date (expected ISO 8601, e.g. 2017-02-01)"
        ) from None


def influencers_command(
    name: Annotated[
        str, typer.Argument(help="Dataset name (a folder in the workspace's datasets/).")
    ],
    topic: Annotated[
        str,
        typer.Option(
            "--topic",
            "-t",
            help="Comma-separated tags (tag:NAME or a bare tag), keywords or phrases, and "
            "example posts (post:ID).",
        ),
    ],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json, csv or html.")] = "text",
    top: Annotated[int, typer.Option("--top", help="Accounts shown in text and html.")] = 20,
    since: Annotated[
        str | None, typer.Option("--since", help="Only rows dated from this day (ISO 8601).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only rows dated before this day (ISO 8601).")
    ] = None,
    kernel: Annotated[
        str, typer.Option("--kernel", help="PageRank kernel: auto, scipy or sql.")
    ] = "auto",
    weights: Annotated[
        str | None,
        typer.Option(
            "--weights",
            help="Facet weights of the composite: mobilizes=0.3,reactions=0.2,audience=0.3,"
            "participation=0.2 (the default), or four numbers in that order.",
        ),
    ] = None,
    engine: Annotated[
        str | None, typer.Option("--engine", help="duckdb or spark (default: the engine setting).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here.")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file to use.")] = None,
    progress: ProgressOpt = "auto",
) -> None:
    """Rank the genuine voices on a topic by four explained facets.

    Facets: mobilizes (topic PageRank on the reaction graph, accepted answers, links), reactions
    received, audience (distinct people who react), participation (share of the topic's
    threads, answers over questions, recency). Accounts flagged by the authenticity analysis,
    dense reciprocal clusters and insular groups are left out and listed separately.
    """
    if fmt not in INFLUENCE_FORMATS:
        raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(INFLUENCE_FORMATS)})")
    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}' (valid engines: {', '.join(ENGINES)})")
    if kernel not in KERNELS:
        raise UsageError(f"unknown kernel '{kernel}' (valid kernels: {', '.join(KERNELS)})")
    if top < 1:
        raise UsageError(f"--top is {top}, expected a whole number of at least 1")
    check_output(output)
    shown(progress, _err)
    from plainspoken.community.influence import FACET_WEIGHTS, InfluenceParams, influencers
    from plainspoken.community.influence.facets import parse_weights
    from plainspoken.reports.influence import render_influence

    chosen = parse_weights(weights) if weights is not None else dict(FACET_WEIGHTS)
    start, end = parse_date(since, "--since"), parse_date(until, "--until")
    settings = load_settings(config, start=workspace)
    with steps(progress, _err, "influencers") as step:
        ranking = influencers(
            name,
            topic,
            workspace,
            engine=engine,
            settings=settings,
            params=InfluenceParams(kernel=kernel, facet_weights=chosen),
            since=start,
            until=end,
            progress=step,
        )
    emit(render_influence(ranking, fmt, top), output)
