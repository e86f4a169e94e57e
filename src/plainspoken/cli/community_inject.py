"""`plainspoken community inject`: parse, call `plainspoken.community.injection.inject`, report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from plainspoken.errors import UsageError

_out = Console(soft_wrap=True, highlight=False)
_RANGE = re.compile(r"(\d+)(?:-(\d+))?")


def _socks(value: str) -> int | tuple[int, int]:
    match = _RANGE.fullmatch(value.strip())
    if match is None:
        raise UsageError(f"--socks '{value}' is not a number or a range such as 3-6 (2..10)")
    low = int(match.group(1))
    return low if match.group(2) is None else (low, int(match.group(2)))


def inject_command(
    name: Annotated[str, typer.Argument(help="Source dataset (a folder in datasets/).")],
    out: Annotated[str, typer.Option("--out", "-o", help="Name of the new dataset.")],
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    campaigns: Annotated[int, typer.Option("--campaigns", "-n", help="Campaigns to plant.")] = 10,
    preset: Annotated[
        str, typer.Option("--preset", help="new-accounts, stealth, mixed or ring.")
    ] = "mixed",
    socks: Annotated[
        str | None, typer.Option("--socks", help="Sock accounts per campaign: N or LOW-HIGH.")
    ] = None,
    age: Annotated[str | None, typer.Option("--age", help="new, aged or dormant.")] = None,
    age_hours: Annotated[
        float | None, typer.Option("--age-hours", help="New accounts: hours before posting.")
    ] = None,
    wording: Annotated[
        str | None, typer.Option("--wording", help="verbatim, template or paraphrase.")
    ] = None,
    timing: Annotated[
        str | None, typer.Option("--timing", help="burst, spread or office-hours.")
    ] = None,
    camouflage: Annotated[
        int | None, typer.Option("--camouflage", help="Benign posts per sock (0..20).")
    ] = None,
    threads: Annotated[
        int | None, typer.Option("--threads", help="Threads per campaign (1..20).")
    ] = None,
    reply_share: Annotated[
        float | None, typer.Option("--reply-share", help="Share of a thread's replies.")
    ] = None,
    thread_mode: Annotated[
        str | None, typer.Option("--thread-mode", help="new, existing or mixed.")
    ] = None,
    links: Annotated[
        bool | None, typer.Option("--links/--no-links", help="Shared product links.")
    ] = None,
    votes: Annotated[
        bool | None, typer.Option("--votes/--no-votes", help="Socks vote for each other.")
    ] = None,
    product: Annotated[
        str | None, typer.Option("--product", help="Product tag or name to promote.")
    ] = None,
    topic_tag: Annotated[
        list[str] | None, typer.Option("--topic-tag", help="Act only on threads with this tag.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same rows).")] = 0,
    truth: Annotated[
        Path | None,
        typer.Option("--truth", help="Ground truth file (default datasets/OUT.truth.json)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace dataset OUT if it exists.")
    ] = False,
) -> None:
    """Copy dataset NAME as OUT and plant synthetic astroturfing campaigns in it.

    The ground truth (accounts, threads, posts, votes of each campaign) goes to a separate
    JSON file, for `plainspoken community evaluate`. Presets: new-accounts, stealth, mixed,
    ring; the other options fix single knobs of every campaign.
    """
    from plainspoken.community.injection import PRESETS, InjectionPlan, inject

    if preset not in PRESETS:
        raise UsageError(f"unknown preset '{preset}' (presets: {', '.join(PRESETS)})")
    given: dict[str, Any] = {
        "socks": _socks(socks) if socks is not None else None,
        "age": age,
        "age_hours": age_hours,
        "wording": wording,
        "timing": timing,
        "camouflage": camouflage,
        "threads": threads,
        "reply_share": reply_share,
        "thread_mode": thread_mode,
        "shared_links": links,
        "mutual_votes": votes,
        "product": product,
    }
    overrides = {k: v for k, v in given.items() if v is not None}
    plan = InjectionPlan(campaigns, preset, overrides, tuple(topic_tag or ()))
    result = inject(name, out, workspace, plan=plan, seed=seed, truth_path=truth, force=force)
    accounts = len(result.accounts)
    posts = sum(len(c.posts) + len(c.camouflage_posts) for c in result.campaigns)
    strengths = {
        s: sum(c.strength == s for c in result.campaigns) for s in ("strong", "medium", "weak")
    }
    shown = ", ".join(f"{n} {s}" for s, n in strengths.items() if n)
    _out.print(
        f"injected {len(result.campaigns)} campaign(s) ({shown}) into '{out}' from '{name}': "
        f"{accounts} accounts, {len(result.threads)} threads, {posts} posts added"
    )
    _out.print(f"truth written to {truth or Path(workspace) / 'datasets' / f'{out}.truth.json'}")
