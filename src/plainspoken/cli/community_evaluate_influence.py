"""`plainspoken community evaluate-influence`: predictive validity and the manipulation test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plainspoken.cli.community_influencers import parse_date
from plainspoken.cli.output import check_output, emit
from plainspoken.cli.progress import ProgressOpt, shown, steps
from plainspoken.config import ENGINES, load_settings
from plainspoken.errors import UsageError

EVALUATION_FORMATS = ("text", "json")

_err = Console(stderr=True)


def evaluate_influence_command(
    name: Annotated[
        str, typer.Argument(help="Dataset name (a folder in the workspace's datasets/).")
    ],
    topics: Annotated[
        list[str],
        typer.Option("--topic", "-t", help="A topic to evaluate (repeat for several)."),
    ],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    cutoff: Annotated[
        str | None,
        typer.Option(
            "--cutoff",
            help="Rank with rows before this day, score what comes after (ISO 8601; default: "
            "two thirds into the dataset's posts).",
        ),
    ] = None,
    horizon: Annotated[
        str | None,
        typer.Option(
            "--horizon",
            help="Score only what comes before this day (ISO 8601; default: the end of the "
            "data). A development split ends where the reported one starts.",
        ),
    ] = None,
    k: Annotated[int, typer.Option("--k", help="Depth of NDCG@k and of the top-k count.")] = 20,
    weights: Annotated[
        str | None,
        typer.Option(
            "--weights",
            help="Facet weights of the composite (as for `influencers --weights`; default: "
            "mobilizes=0.3,reactions=0.2,audience=0.3,participation=0.2).",
        ),
    ] = None,
    rings: Annotated[
        int,
        typer.Option(
            "--rings", help="Also plant this many sock-account rings and count them in the top k."
        ),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the planted rings.")] = 1,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    engine: Annotated[
        str | None, typer.Option("--engine", help="duckdb or spark (default: the engine setting).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the results here.")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file to use.")] = None,
    progress: ProgressOpt = "auto",
) -> None:
    """Measure how well the influencer ranking predicts what comes after a cut-off.

    Prints NDCG@k and Spearman of the ranking and of five baselines (reputation, reputation at
    the cut-off, post count, in-degree, plain PageRank) per topic. With --rings, plants rings
    of sock accounts on each topic and counts how many reach the top k.
    """
    if fmt not in EVALUATION_FORMATS:
        raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(EVALUATION_FORMATS)})")
    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}' (valid engines: {', '.join(ENGINES)})")
    if k < 1:
        raise UsageError(f"--k is {k}, expected a whole number of at least 1")
    if rings < 0:
        raise UsageError(f"--rings is {rings}, expected 0 or more")
    check_output(output)
    shown(progress, _err)
    from plainspoken.community.influence import InfluenceParams
    from plainspoken.community.influence.facets import parse_weights
    from plainspoken.community.influence.harness import evaluate_influence, manipulation_tests
    from plainspoken.reports.influence import evaluation_table, manipulation_table

    params = InfluenceParams(facet_weights=parse_weights(weights)) if weights else None
    moment = parse_date(cutoff, "--cutoff")
    end = parse_date(horizon, "--horizon")
    settings = load_settings(config, start=workspace)
    with steps(progress, _err, "evaluate-influence") as step:
        results = evaluate_influence(
            name,
            topics,
            workspace,
            cutoff=moment,
            engine=engine,
            settings=settings,
            params=params,
            k=k,
            horizon=end,
            progress=step,
        )
        manipulated = (
            manipulation_tests(
                name,
                topics,
                workspace,
                campaigns=rings,
                seed=seed,
                engine=engine,
                settings=settings,
                params=params,
                k=k,
                progress=step,
            )
            if rings
            else []
        )
    if fmt == "json":
        data = {
            "version": 1,
            "predictive_validity": [r.to_dict() for r in results],
            "manipulation": [m.to_dict() for m in manipulated],
        }
        emit(json.dumps(data, indent=2) + "\n", output)
        return
    text = evaluation_table(results)
    if manipulated:
        text += "\n" + manipulation_table(manipulated)
    emit(text, output)
