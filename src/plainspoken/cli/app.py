"""`plainspoken` commands. Each parses its input, calls one library function and renders."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from plainspoken import __version__
from plainspoken.cli.community import community_app
from plainspoken.cli.errors import run_safely
from plainspoken.cli.progress import Lines, ProgressOpt, shown
from plainspoken.cli.serve import serve_command
from plainspoken.cli.users import users_app
from plainspoken.config import describe, load_settings
from plainspoken.copy import all_audiences, all_rules, apply_fixes, build_checker, check, fix_diff
from plainspoken.copy.runner import Progress, write_atomically
from plainspoken.errors import ExitCode, UsageError
from plainspoken.reports import FORMATS, render
from plainspoken.reports.terminal import print_report
from plainspoken.workspace import init as init_workspace

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Listen to IT buyers and talk to them plainly.",
)
config_app = typer.Typer(no_args_is_help=True, help="Show and check settings.")
app.add_typer(config_app, name="config")
app.add_typer(community_app, name="community")
app.add_typer(users_app, name="users")
app.command("serve")(serve_command)
out = Console(soft_wrap=True)
err = Console(stderr=True)

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Settings file to use.")]


@app.command("check")
def check_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders or globs; '-' or nothing reads standard input."),
    ] = None,
    audience: Annotated[
        str | None, typer.Option("--audience", "-a", help="Audience profile.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, json, sarif, github or html.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here.")
    ] = None,
    config: ConfigOpt = None,
    kind: Annotated[
        str, typer.Option(help="How to read standard input: markdown, text, html.")
    ] = "markdown",
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply safe fixes to Markdown/text files.")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print the safe fixes as a diff.")] = False,
    changed_since: Annotated[
        str | None, typer.Option(help="Report only lines changed since this git revision.")
    ] = None,
    fail_level: Annotated[
        str | None,
        typer.Option(help="Exit 1 on findings at or above: suggestion, warning, error, none."),
    ] = None,
    fail_under: Annotated[
        int | None, typer.Option(help="Exit 1 when a score is below this.")
    ] = None,
    no_fail: Annotated[bool, typer.Option("--no-fail", help="Always exit 0 on findings.")] = False,
    disable: Annotated[
        list[str] | None, typer.Option(help="Rule id or category to switch off.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Glob of files to skip.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes checking files at once (default: one per core)."
        ),
    ] = None,
    progress: ProgressOpt = "auto",
) -> None:
    """Check marketing copy for language IT readers tune out."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(FORMATS)})")
    shown(progress, err)
    settings = load_settings(config).with_overrides(
        fail_level=fail_level,
        fail_under=fail_under,
        disable=[*load_settings(config)["disable"], *(disable or [])] if disable else None,
        ignore=[*load_settings(config)["ignore"], *(ignore or [])] if ignore else None,
    )
    checker = build_checker(settings, audience)
    if not paths or paths == ["-"]:
        report = check(
            sys.stdin.read(), settings=settings, kind=kind, checker=checker, name="<stdin>"
        )
    else:
        with _progress(progress) as advance:
            report = check(
                [p for p in paths if p != "-"],
                settings=settings,
                checker=checker,
                changed_since=changed_since,
                progress=advance,
                jobs=jobs,
            )
    if diff:
        for file in report.files:
            out.print(fix_diff(file), end="", markup=False, highlight=False)
    if fix:
        changed = apply_fixes(report.files)
        err.print(f"fixed {len(changed)} file(s)")
    if fmt == "text" and output is None:
        if not diff:
            print_report(report, out)
    else:
        rendered = render(report, fmt, checker.rules, __version__, settings["annotation_limit"])
        if output is not None:
            write_atomically(output, rendered)
            err.print(f"report written to {output}")
        else:
            sys.stdout.write(rendered)
    for error in report.errors:
        err.print(f"[red]skipped[/red] {error.message}", highlight=False)
    if not report.files and report.errors:
        raise typer.Exit(ExitCode.USAGE)
    if not no_fail and report.fails(settings["fail_level"], settings["fail_under"]):
        raise typer.Exit(ExitCode.FINDINGS)


@contextmanager
def _progress(mode: str) -> Iterator[Progress | None]:
    """Files checked, on standard error: a bar, plain lines or nothing (`--progress`)."""
    kind = shown(mode, err)
    if kind == "plain":
        yield Lines(err, "checking").items
        return
    if kind == "none":
        yield None
        return
    bar = RichProgress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    )
    task = bar.add_task("", total=None)
    with bar:

        def advance(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=Path(path).name)

        yield advance


@app.command("rules")
def rules_command(
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    config: ConfigOpt = None,
) -> None:
    """List every rule with its category, level and audiences."""
    settings = load_settings(config)
    table = Table("id", "category", "kind", "level", "audiences", "terms")
    for rule in all_rules(Path(p) for p in settings["rule_packs"]):
        if category and rule.category != category:
            continue
        table.add_row(
            rule.id,
            rule.category,
            rule.kind,
            rule.level,
            ", ".join(rule.audiences) or "all",
            str(len(rule.terms) or ""),
        )
    out.print(table)


@app.command("explain")
def explain_command(rule_id: str, config: ConfigOpt = None) -> None:
    """Explain one rule: why it matters, what to write instead, its examples."""
    settings = load_settings(config)
    rules = all_rules(Path(p) for p in settings["rule_packs"])
    found = [r for r in rules if r.id == rule_id or rule_id in r.aliases]
    if not found:
        near = [r.id for r in rules if rule_id.split(".")[0] in r.id]
        raise UsageError(
            f"unknown rule '{rule_id}' (valid ids include: "
            f"{', '.join(near or [r.id for r in rules][:8])}; see `plainspoken rules`)"
        )
    rule = found[0]
    out.print(f"[bold]{rule.id}[/bold]  ({rule.category}, {rule.kind}, {rule.level})")
    out.print(f"Why: {rule.message.replace(chr(39) + '{text}' + chr(39), 'this')}", markup=False)
    out.print(f"Instead: {rule.suggestion}", markup=False)
    out.print(f"Audiences: {', '.join(rule.audiences) or 'all'}")
    if rule.terms:
        out.print("Terms: " + ", ".join(t.phrase for t in rule.terms), markup=False)
    for label, items in (
        ("Flags", rule.examples.fail),
        ("Passes", rule.examples.passing),
        ("Fixed", rule.examples.fixed),
    ):
        for item in items:
            out.print(f"{label}: {item}", markup=False)


@app.command("audiences")
def audiences_command(config: ConfigOpt = None) -> None:
    """List the audience profiles and what each changes."""
    settings = load_settings(config)
    table = Table("audience", "description", "changes")
    for audience in all_audiences(settings["audiences"]).values():
        table.add_row(audience.name, audience.description, "\n".join(audience.changes()) or "—")
    out.print(table)


@config_app.command("show")
def config_show(config: ConfigOpt = None) -> None:
    """Show every setting, its value and where the values came from."""
    settings = load_settings(config)
    out.print(f"settings from: {settings.source or 'defaults (no settings file found)'}")
    table = Table("setting", "value", "help")
    for name, value, help_text in describe(settings):
        table.add_row(name, repr(value), help_text)
    out.print(table)


@app.command("init")
def init_command(directory: Annotated[Path, typer.Argument()] = Path()) -> None:
    """Create a workspace folder: settings, app database, datasets/, reports/."""
    ws = init_workspace(directory)
    out.print(f"workspace ready in {ws.root.resolve()}")


@app.command("version")
def version_command() -> None:
    """Print the version."""
    out.print(__version__)


def main() -> None:
    """Console entry point: errors are translated to messages and exit codes here, once."""
    sys.exit(run_safely(app))
