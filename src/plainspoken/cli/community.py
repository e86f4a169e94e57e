"""The `plainspoken community` command group: one module per command, registered here."""

from __future__ import annotations

import typer

from plainspoken.cli.community_authenticity import authenticity_command
from plainspoken.cli.community_evaluate import evaluate_command
from plainspoken.cli.community_evaluate_influence import evaluate_influence_command
from plainspoken.cli.community_import import import_command
from plainspoken.cli.community_influencers import influencers_command
from plainspoken.cli.community_inject import inject_command
from plainspoken.cli.community_stats import stats_command

community_app = typer.Typer(
    help="Import community dumps and analyse them.",
    no_args_is_help=True,
)
community_app.command("import")(import_command)
community_app.command("inject")(inject_command)
community_app.command("stats")(stats_command)
community_app.command("authenticity")(authenticity_command)
community_app.command("evaluate")(evaluate_command)
community_app.command("influencers")(influencers_command)
community_app.command("evaluate-influence")(evaluate_influence_command)
