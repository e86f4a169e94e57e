"""Authenticity: signals of coordinated, inauthentic posting in community threads, with evidence.

``authenticity(name, workspace)`` reads a dataset through an engine (DuckDB or Spark, the same
SQL), scores every thread, account and campaign against the community's own base rates, and
returns an ``AuthenticityResult``; ``reports.authenticity`` renders it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from plainspoken.community.authenticity.analysis import Options, analyse
from plainspoken.community.authenticity.data import Community, read
from plainspoken.community.authenticity.products import Vocabulary, load_vocabulary
from plainspoken.community.authenticity.result import (
    AccountScore,
    AuthenticityResult,
    Campaign,
    Evidence,
    Signal,
    ThreadScore,
)
from plainspoken.community.authenticity.signals import SIGNALS
from plainspoken.community.session import engine_on
from plainspoken.config import Settings
from plainspoken.engine import Engine, open_folder
from plainspoken.errors import UsageError
from plainspoken.workspace import open_workspace

VOCABULARY_FILE = "vocabulary.yaml"


def check_options(options: Options) -> Options:
    """Refuse knobs outside their ranges, naming the range."""
    if not 0.0 < options.max_flag_rate <= 1.0:
        raise UsageError(
            f"max flag rate {options.max_flag_rate:g} is out of range (give a share above 0 "
            "and at most 1, e.g. 0.01 for 1%)"
        )
    if not 0.0 < options.wording.threshold <= 1.0:
        raise UsageError(
            f"similarity {options.wording.threshold:g} is out of range (above 0, at most 1)"
        )
    if not -1.0 <= options.attack < 0.0 < options.praise <= 1.0:
        raise UsageError(
            f"stance thresholds attack {options.attack:g} and praise {options.praise:g} are out "
            "of range (an attack is a sentiment from -1 up to below 0, praise above 0 up to 1)"
        )
    if options.young_seconds <= 0:
        raise UsageError("young-account age must be a positive number of hours")
    if not 0.0 < options.family_alpha < 1.0:
        raise UsageError(f"alpha {options.family_alpha:g} is out of range (between 0 and 1)")
    return options


def authenticity(
    name: str,
    workspace: Path = Path(),
    *,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
    options: Options | None = None,
    vocabulary: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> AuthenticityResult:
    """Score the threads, accounts and campaigns of dataset ``name`` in ``workspace``.

    ``vocabulary`` is a YAML file of product names (default: ``vocabulary.yaml`` in the
    workspace when it exists). ``engine`` is ``"duckdb"``, ``"spark"``, a started ``Engine``
    (left open) or None for the ``engine`` setting.
    """
    from plainspoken.community.stats import dataset_folder

    chosen = check_options(options or Options())
    ws = open_workspace(workspace)
    folder = dataset_folder(ws, name)
    open_folder(folder)  # a missing table or an old schema is reported before an engine starts
    words = vocabulary if vocabulary is not None else ws.root / VOCABULARY_FILE
    if vocabulary is not None and not vocabulary.is_file():
        raise UsageError(f"{vocabulary}: no such vocabulary file")
    if words.is_file():
        chosen = replace(chosen, vocabulary=load_vocabulary(words))
    if progress:
        progress(f"reading dataset '{name}'")
    with engine_on(folder, ws, engine, settings) as started:
        # Post texts stay in the engine and are read in batches, so it stays open meanwhile.
        # Signatures and rarely read columns wait beside the datasets too (/tmp is often small
        # or held in memory).
        return analyse(read(started, scratch=ws.datasets), chosen, progress, scratch=ws.datasets)


__all__ = [
    "SIGNALS",
    "AccountScore",
    "AuthenticityResult",
    "Campaign",
    "Community",
    "Evidence",
    "Options",
    "Signal",
    "ThreadScore",
    "Vocabulary",
    "analyse",
    "authenticity",
    "check_options",
    "load_vocabulary",
    "read",
]
