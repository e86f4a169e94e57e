"""An engine with one dataset registered, for the analyses that read a dataset."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
    or held in memory) and is closed afterwards.
    """
    if isinstance(engine, Engine):
        engine.register(folder)
        yield engine
        return
    resolved = settings or load_settings(start=workspace.root)
    with (
        tempfile.TemporaryDirectory(prefix=".spill-", dir=workspace.datasets) as spill,
        create_engine(resolved, engine, Path(spill)) as started,
    ):
        started.register(folder)
        yield started
