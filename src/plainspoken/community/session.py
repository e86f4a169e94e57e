"""An engine with one dataset registered, for the analyses that read a dataset."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plainspoken.community.scratch import Owned, sweep
from plainspoken.config import Settings, load_settings
from plainspoken.engine import Engine, create_engine
from plainspoken.workspace import Workspace


@contextmanager
def engine_on(
    folder: Path, workspace: Workspace, engine: str | Engine | None, settings: Settings | None
) -> Iterator[Engine]:
    """Yield an engine with dataset ``folder`` registered.

    A started ``Engine`` is used as it is and left open. Otherwise the engine named by
    ``engine`` (default: the ``engine`` setting) starts from ``settings`` (default: the
    workspace's), spills into a temporary folder beside the datasets (``/tmp`` is often small
    or held in memory) and is closed afterwards. Working folders that killed runs left there
    are removed first (``scratch.sweep``).
    """
    if isinstance(engine, Engine):
        engine.register(folder)
        yield engine
        return
    resolved = settings or load_settings(start=workspace.root)
    sweep(workspace.datasets)
    with (
        Owned(workspace.datasets, ".spill-") as spill,
        create_engine(resolved, engine, spill) as started,
    ):
        started.register(folder)
        yield started
