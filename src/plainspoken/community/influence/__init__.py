"""Influencers: rank the genuine voices on a topic by four explained facets.

``influencers(name, topic, workspace)`` opens the dataset, asks the authenticity analysis
which accounts are flagged (their reactions do not count and they do not rank), and ranks
the rest (``ranking.rank``), naming each step to ``progress`` when given. The evaluation
harness is in ``evaluation``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from plainspoken.community.influence.clusters import Cluster, reciprocal_clusters
from plainspoken.community.influence.evidence import Evidence
from plainspoken.community.influence.facets import FACET_WEIGHTS, FACETS, Measures
from plainspoken.community.influence.params import InfluenceParams, Window
from plainspoken.community.influence.progress import Progress, within
from plainspoken.community.influence.ranking import rank
from plainspoken.community.influence.result import AccountInfluence, Exclusion, InfluenceRanking
from plainspoken.community.influence.topic import Topic, parse_topic
from plainspoken.community.session import engine_on
from plainspoken.config import Settings, load_settings
from plainspoken.engine import Engine, open_folder
from plainspoken.workspace import open_workspace

AUTHENTICITY_UNAVAILABLE = (
    "the authenticity analysis is not available in this build: no accounts were excluded as "
    "flagged (dense reciprocal clusters and insular groups still are)"
)


def flagged_accounts(
    name: str,
    workspace: Path,
    engine: Engine | str | None,
    settings: Settings | None,
    progress: Progress | None = None,
) -> tuple[dict[str, str] | None, str | None]:
    """Accounts the authenticity analysis flags, with a reason each (None when unavailable).
    The analysis's steps go to ``progress`` as "authenticity flags: STEP"."""
    try:
        from plainspoken.community import authenticity as module
    except ImportError:
        return None, AUTHENTICITY_UNAVAILABLE
    analyse = getattr(module, "authenticity", None)
    if analyse is None:
        return None, AUTHENTICITY_UNAVAILABLE
    steps = within(progress, "authenticity flags")
    result: Any = analyse(name, workspace, engine=engine, settings=settings, progress=steps)
    flagged: dict[str, str] = {}
    for account in result.flagged_accounts:
        campaign = f", campaign {account.campaign_id}" if account.campaign_id else ""
        flagged[str(account.account_id)] = (
            f"flagged by the authenticity analysis (score {account.score:.2f}{campaign})"
        )
    return flagged, None


def influencers(
    name: str,
    topic: str | Topic,
    workspace: Path = Path(),
    *,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
    excluded: Mapping[str, str] | None = None,
    params: InfluenceParams | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
) -> InfluenceRanking:
    """Rank the accounts of dataset ``name`` on ``topic`` (see ``parse_topic`` for the syntax).

    ``excluded`` (account id -> reason) replaces the authenticity analysis's flags when given.
    ``since``/``until`` limit the ranking to rows dated in that window. ``engine`` is
    ``"duckdb"``, ``"spark"``, an already started ``Engine`` (left open) or None for the
    ``engine`` setting. ``progress`` is called with the name of each step as it begins.
    """
    from plainspoken.community.stats import dataset_folder

    ws = open_workspace(workspace)
    folder = dataset_folder(ws, name)
    open_folder(folder)  # a missing table or an old schema is reported before an engine starts
    resolved = settings or load_settings(start=ws.root)
    parsed = parse_topic(topic) if isinstance(topic, str) else topic
    notes: list[str] = []
    if excluded is None:
        flagged, note = flagged_accounts(name, ws.root, engine, resolved, progress)
        excluded = flagged or {}
        if note:
            notes.append(note)
    window = Window(since, until, since is None and until is None)
    if progress:
        progress(f"reading dataset '{name}'")
    with engine_on(folder, ws, engine, resolved) as started:
        return rank(
            started,
            parsed,
            excluded=excluded,
            params=params,
            window=window,
            notes=notes,
            progress=progress,
        )


__all__ = [
    "FACETS",
    "FACET_WEIGHTS",
    "AccountInfluence",
    "Cluster",
    "Evidence",
    "Exclusion",
    "InfluenceParams",
    "InfluenceRanking",
    "Measures",
    "Topic",
    "Window",
    "influencers",
    "parse_topic",
    "rank",
    "reciprocal_clusters",
]
