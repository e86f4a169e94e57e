"""Run the influence evaluation on a workspace dataset: predictive validity on several topics,
and the manipulation test with planted rings (see ``evaluation`` for the definitions). Each
names its steps to ``progress`` when given, those of a topic as "topic LABEL (2 of 5): STEP"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from plainspoken.community.influence import flagged_accounts
from plainspoken.community.influence.evaluation import (
    ManipulationResult,
    TopicEvaluation,
    TopicOutcome,
    manipulation_counts,
    score_topic,
    topic_outcome,
)
from plainspoken.community.influence.params import InfluenceParams, utc
from plainspoken.community.influence.progress import Progress, within
from plainspoken.community.influence.topic import parse_topic
from plainspoken.community.session import engine_on
from plainspoken.config import Settings, load_settings
from plainspoken.engine import Engine, Query, open_folder
from plainspoken.errors import UsageError
from plainspoken.workspace import open_workspace

CUTOFF_SHARE = 2 / 3
"""The default cut-off: this far into the dataset's span of dated posts."""

SPAN = Query(
    "influence_span",
    "SELECT MIN(created_at) AS first_post, MAX(created_at) AS last_post FROM posts",
    "The first and last dated post of the dataset.",
)


def choose_cutoff(engine: Engine, cutoff: datetime | None, dataset: str) -> datetime:
    """The given cut-off, checked to fall inside the dataset's posts, or the default one."""
    span = engine.rows(SPAN)[0]
    first, last = utc(span["first_post"]), utc(span["last_post"])
    if first is None or last is None:
        raise UsageError(f"dataset '{dataset}' has no dated posts, so no cut-off can split it")
    if cutoff is None:
        return first + (last - first) * CUTOFF_SHARE
    moment = cutoff if cutoff.tzinfo else cutoff.replace(tzinfo=UTC)
    if not first < moment <= last:
        raise UsageError(
            f"cut-off {moment:%Y-%m-%d} is outside dataset '{dataset}', whose posts run from "
            f"{first:%Y-%m-%d} to {last:%Y-%m-%d} (choose a date between them)"
        )
    return moment


def topic_step(label: str, number: int, total: int) -> str:
    """How a topic's steps are named: "topic LABEL (NUMBER of TOTAL)"."""
    return f"topic {label} ({number} of {total})"


def topic_outcomes(
    name: str,
    topics: Sequence[str],
    workspace: Path = Path(),
    *,
    cutoff: datetime | None = None,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
    params: InfluenceParams | None = None,
    horizon: datetime | None = None,
    progress: Progress | None = None,
) -> list[TopicOutcome]:
    """Each topic of dataset ``name`` ranked before ``cutoff``, with the baselines and what the
    candidates received after it (before ``horizon`` when given): ``score_topic`` scores them,
    and can score other orderings of the same candidates without ranking again."""
    from plainspoken.community.stats import dataset_folder

    if not topics:
        raise UsageError("give at least one --topic to evaluate")
    parsed = [parse_topic(t) for t in topics]
    ws = open_workspace(workspace)
    folder = dataset_folder(ws, name)
    open_folder(folder)
    resolved = settings or load_settings(start=ws.root)
    flagged, _ = flagged_accounts(name, ws.root, engine, resolved, progress)
    if progress:
        progress(f"reading dataset '{name}'")
    with engine_on(folder, ws, engine, resolved) as started:
        moment = choose_cutoff(started, cutoff, name)
        end = None
        if horizon is not None:
            end = horizon if horizon.tzinfo else horizon.replace(tzinfo=UTC)
            if end <= moment:
                raise UsageError(
                    f"horizon {end:%Y-%m-%d} is not after the cut-off {moment:%Y-%m-%d} "
                    "(choose a later --horizon)"
                )
        return [
            topic_outcome(
                started,
                t,
                moment,
                excluded=flagged,
                params=params,
                horizon=end,
                progress=within(progress, topic_step(t.label, number, len(parsed))),
            )
            for number, t in enumerate(parsed, start=1)
        ]


def evaluate_influence(
    name: str,
    topics: Sequence[str],
    workspace: Path = Path(),
    *,
    cutoff: datetime | None = None,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
    params: InfluenceParams | None = None,
    k: int = 20,
    horizon: datetime | None = None,
    progress: Progress | None = None,
) -> list[TopicEvaluation]:
    """Predictive validity of the ranking on each topic of dataset ``name``: ranked before
    ``cutoff``, scored on what comes after it (before ``horizon`` when given, so that a
    development split can end where the reported one starts)."""
    outcomes = topic_outcomes(
        name,
        topics,
        workspace,
        cutoff=cutoff,
        engine=engine,
        settings=settings,
        params=params,
        horizon=horizon,
        progress=progress,
    )
    results = []
    for number, outcome in enumerate(outcomes, start=1):
        if progress:
            topic = topic_step(parse_topic(topics[number - 1]).label, number, len(outcomes))
            progress(f"{topic}: bootstrap margins over {len(outcome.candidates):,} candidates")
        results.append(score_topic(outcome, k))
    return results


def manipulation_test(
    name: str,
    topic: str,
    workspace: Path = Path(),
    *,
    campaigns: int = 3,
    seed: int = 1,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
    params: InfluenceParams | None = None,
    k: int = 20,
    progress: Progress | None = None,
) -> ManipulationResult:
    """Plant ``campaigns`` rings on the topic's tags with the authenticity injector (dataset
    ``NAME-rings-TAG-SEED``, replaced when it exists), rank it, and count ring accounts in
    each top ``k``."""
    from plainspoken.community.stats import dataset_folder

    try:
        injection = import_module("plainspoken.community.injection")
        plan_type, inject = injection.InjectionPlan, injection.inject
    except (ImportError, AttributeError) as exc:
        raise UsageError(
            "the manipulation test needs the authenticity injector "
            "(plainspoken.community.injection), which this build lacks"
        ) from exc
    ws = open_workspace(workspace)
    dataset_folder(ws, name)
    resolved = settings or load_settings(start=ws.root)
    parsed = parse_topic(topic)
    tags = tuple(parsed.tags) or tuple(parsed.terms)
    slug = "-".join(re.findall(r"[a-z0-9]+", (tags[0] if tags else "topic").lower()))
    out = f"{name}-rings-{slug or 'topic'}-{seed}"
    plan = plan_type(campaigns=campaigns, preset="ring", topic_tags=tags)
    if progress:
        progress(f"planting {campaigns:,} rings of sock accounts in dataset '{out}'")
    truth: Any = inject(name, out, ws.root, plan=plan, seed=seed, force=True)
    ring = frozenset(str(a) for c in truth.campaigns for a in c.accounts)
    folder = dataset_folder(ws, out)
    open_folder(folder)
    flagged, _ = flagged_accounts(out, ws.root, engine, resolved, progress)
    if progress:
        progress(f"reading dataset '{out}'")
    with engine_on(folder, ws, engine, resolved) as started:
        return manipulation_counts(
            started,
            parsed,
            ring,
            excluded=flagged,
            params=params,
            k=k,
            campaigns=campaigns,
            progress=progress,
        )


def manipulation_tests(
    name: str,
    topics: Sequence[str],
    workspace: Path = Path(),
    *,
    campaigns: int = 3,
    seed: int = 1,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
    params: InfluenceParams | None = None,
    k: int = 20,
    progress: Progress | None = None,
) -> list[ManipulationResult]:
    """``manipulation_test`` on each topic, its steps named "rings on topic LABEL (2 of 5): …"."""
    return [
        manipulation_test(
            name,
            t,
            workspace,
            campaigns=campaigns,
            seed=seed,
            engine=engine,
            settings=settings,
            params=params,
            k=k,
            progress=within(
                progress, "rings on " + topic_step(parse_topic(t).label, number, len(topics))
            ),
        )
        for number, t in enumerate(topics, start=1)
    ]
