"""Importing a community dump into a workspace dataset: ``import_dataset``.

An import builds the whole dataset in ``datasets/.NAME.tmp-XXXX`` (staged parts, then the
assembled tables and ``manifest.json``) and only then swaps it in place of ``datasets/NAME``
by renaming, so a failed or interrupted import leaves the previous version as it was. When the
dataset exists, the import is merged into it: rows with the same id are replaced by this
import's, other rows stay. Importing the same source twice gives the same rows.
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from plainspoken.community.importers import FORMATS, importer_for
from plainspoken.engine.folder import MANIFEST, SCHEMA_VERSION, open_folder
from plainspoken.errors import DatasetError, InputError, PlainspokenError, UsageError
from plainspoken.workspace import open_workspace

Progress = Callable[[int, int | None], None]
"""Called with (bytes read, bytes in all or None) as an import goes."""
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MEMORY_LIMIT = "1GB"
"""DuckDB's share while assembling, so that an import stays under 2 GB whatever the dump."""


def check_name(name: str) -> str:
    """``name`` when it can name a dataset folder, or a message saying what can."""
    if not NAME.fullmatch(name or "") or name in {".", ".."}:
        shown = repr(name) if name else "an empty name"
        raise UsageError(
            f"{shown} cannot name a dataset: use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit (no folders or path separators)"
        )
    return name


def _version() -> str:
    try:
        return str(metadata.version("plainspoken"))
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _iso(moment: Any) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        aware: datetime = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return str(moment)


def _previous(folder: Path, fmt: str) -> Path | None:
    """The current version of the dataset, checked, when there is one."""
    if not folder.exists():
        return None
    try:
        found = open_folder(folder)
    except DatasetError as exc:
        raise DatasetError(
            f"{folder} exists but cannot be updated ({exc}); delete it or import under another name"
        ) from None
    had = found.manifest.get("format")
    if had and had != fmt:
        raise UsageError(f"{folder} holds a {had} dataset; import {fmt} data under another name")
    return folder


@contextlib.contextmanager
def _locked(datasets: Path, name: str) -> Iterator[None]:
    """Hold ``datasets/.NAME.lock`` so that two imports of one dataset never interleave."""
    path = datasets / f".{name}.lock"
    with path.open("a+") as handle:
        if sys.platform != "win32":
            import fcntl

            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UsageError(
                    f"another import of '{name}' is running in {datasets}; wait for it to end"
                ) from None
        yield


def _recover(datasets: Path, name: str) -> None:
    """Clear what an import killed outright left behind (restoring a half-swapped dataset)."""
    final = datasets / name
    for stale in sorted(datasets.glob(f".{name}.tmp-*")):
        old = stale / "previous"
        if not final.exists() and old.is_dir():
            old.replace(final)
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cycle collector while rows stream: they make no cycles, and its passes over
    millions of short-lived tuples cost about a fifth of the import's time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _swap(built: Path, final: Path, holder: Path) -> None:
    """Put ``built`` in place of ``final``; the old version moves into ``holder`` first."""
    if not final.exists():
        built.replace(final)
        return
    kept = holder / "previous"
    final.replace(kept)
    try:
        built.replace(final)
    except BaseException:
        kept.replace(final)
        raise


def import_dataset(
    source: Path,
    fmt: str,
    name: str,
    workspace: Path,
    *,
    mapping: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Import ``source`` (a dump in format ``fmt``) as dataset ``name`` of ``workspace``.

    Formats: ``stackexchange``, ``discourse``, ``reddit`` and ``generic`` (which needs
    ``mapping``, a YAML file naming the columns). ``progress`` is called with (bytes read,
    bytes in all). Returns the manifest written to ``datasets/NAME/manifest.json``.
    Raises ``InputError`` for unreadable or malformed input and ``UsageError`` for a bad
    name, format or option; in every case the previous version of the dataset is kept.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})")
    check_name(name)
    if fmt == "generic" and mapping is None:
        raise UsageError(
            "--format generic needs --mapping FILE: a YAML file naming, for each table, the "
            "source file and its columns (see docs/datasets.md)"
        )
    if mapping is not None and fmt != "generic":
        raise UsageError(f"--mapping is for --format generic only, not {fmt}")
    if not source.exists():
        raise InputError(str(source), "no such file or folder", "check the path")
    from plainspoken.community.dataset import Staging  # pyarrow and DuckDB load from here on
    from plainspoken.community.merge import finish

    ws = open_workspace(workspace)
    datasets = ws.datasets
    datasets.mkdir(exist_ok=True)
    final = datasets / name
    with _locked(datasets, name):
        _recover(datasets, name)
        previous = _previous(final, fmt)
        work = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-", dir=datasets))
        staging = Staging(work / "stage")
        try:
            started = datetime.now(UTC)
            try:
                with _no_cyclic_gc():
                    result = importer_for(fmt)(
                        source.resolve(), staging, mapping=mapping, progress=progress
                    )
            finally:
                staging.close()
            stamp = started.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
            built = work / "dataset"
            summary = finish(
                staging, built, previous, stamp=stamp, spill=work / "spill",
                memory_limit=MEMORY_LIMIT,
            )  # fmt: skip
            manifest = _manifest(source, fmt, name, started, summary, result, previous)
            (built / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            _swap(built, final, work)
        except (PlainspokenError, KeyboardInterrupt):
            raise
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise DatasetError(
                f"{final}: the import failed: {exc.strerror or exc}{where}; check free space "
                "and permissions (the previous version is unchanged)"
            ) from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return manifest


def _manifest(
    source: Path,
    fmt: str,
    name: str,
    started: datetime,
    summary: dict[str, Any],
    result: Any,
    previous: Path | None,
) -> dict[str, Any]:
    this_import = {
        "source": str(source.resolve()),
        "format": fmt,
        "imported_at": _iso(started),
        "notes": list(result.notes),
        "skipped": dict(result.skipped),
        **result.details,
    }
    history: list[Any] = []
    if previous is not None:
        with contextlib.suppress(OSError, ValueError):
            old = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
            history = list(old.get("imports") or [])
    return {
        "name": name,
        "source": this_import["source"],
        "format": fmt,
        "schema_version": SCHEMA_VERSION,
        "plainspoken": _version(),
        "imported_at": this_import["imported_at"],
        "counts": summary["counts"],
        "time_range": {"first": _iso(summary["first"]), "last": _iso(summary["last"])},
        "notes": this_import["notes"],
        "imports": [*history, this_import],
    }
