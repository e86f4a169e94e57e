"""Writing the injected dataset: the source's files (hard-linked, or copied), planted rows as
one more part per table, the few source rows a campaign changes rewritten, and the manifest.

Built in ``datasets/.OUT.tmp-XXXX`` and swapped in by renaming, under ``datasets/.OUT.lock``,
as an import is; the source dataset is only read.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from plainspoken.community.dataset import extra_schemas, table_from
from plainspoken.community.importing import _locked, _recover, _swap
from plainspoken.community.merge import table_files
from plainspoken.engine.folder import MANIFEST, TABLES, DatasetFolder
from plainspoken.engine.schema import SCHEMAS, TS
from plainspoken.errors import DatasetError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TIMES = ("created_at", "last_seen", "closed_at")


def _moment(value: Any) -> Any:
    return _EPOCH + timedelta(microseconds=value) if isinstance(value, int) else value


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _q(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _updated(con: Any, table: str, old: Path, target: Path, updates: Mapping[str, int]) -> bool:
    """Rewrite ``old`` into ``target`` with the updates applied; False when none applies."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = pa.table({"uid": list(updates), "value": list(updates.values())})
    con.register("updates", ids)
    try:
        hit = con.execute(
            f"SELECT count(*) FROM read_parquet({_q(old)}) t SEMI JOIN updates u ON u.uid = t.id"
        ).fetchall()[0][0]
        if not hit:
            return False
        if table == "threads":
            change = "t.answer_count + coalesce(u.value, 0) AS answer_count"
        else:
            change = (
                "CASE WHEN u.value IS NULL OR t.last_seen IS NULL THEN t.last_seen ELSE "
                "greatest(t.last_seen, make_timestamp(u.value)::TIMESTAMPTZ) END AS last_seen"
            )
        rows = con.sql(
            f"SELECT t.* REPLACE ({change}) FROM read_parquet({_q(old)}) t "
            "LEFT JOIN updates u ON u.uid = t.id ORDER BY t.id"
        ).to_arrow_table()
        pq.write_table(table_from(rows, SCHEMAS[table]), target, compression="snappy")
        return True
    finally:
        con.unregister("updates")


def _columns(table: str, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    schema = SCHEMAS[table]
    return {
        f.name: [_moment(r.get(f.name)) if f.type == TS else r.get(f.name) for r in rows]
        for f in schema
    }


def write(
    source: DatasetFolder,
    datasets: Path,
    out: str,
    rows: Mapping[str, list[dict[str, Any]]],
    updates: Mapping[str, Mapping[str, int]],
    injection: Mapping[str, Any],
    con: Any,
) -> dict[str, Any]:
    """Write dataset ``out``: the source plus ``rows``, with ``updates`` (table → id → value)
    applied; returns its manifest."""
    import pyarrow.parquet as pq

    final = datasets / out
    with _locked(datasets, out):
        _recover(datasets, out)
        work = Path(tempfile.mkdtemp(prefix=f".{out}.tmp-", dir=datasets))
        built = work / "dataset"
        try:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            tables = [*TABLES, *(t for t in extra_schemas() if table_files(source.root, t))]
            for table in tables:
                (built / table).mkdir(parents=True, exist_ok=True)
                for n, old in enumerate(table_files(source.root, table)):
                    name = old.name if old.parent.name == table else f"{stamp}-s{n:04d}.parquet"
                    target = built / table / name
                    changes = updates.get(table)
                    if not (changes and _updated(con, table, old, target, changes)):
                        _place(old, target)
                planted = rows.get(table)
                if planted:
                    path = built / table / f"{stamp}-{len(planted):06d}.parquet"
                    data = table_from(_columns(table, planted), SCHEMAS[table])
                    pq.write_table(data, path, compression="snappy")
            manifest = _manifest(source, built, out, injection, con)
            (built / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            _swap(built, final, work)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise DatasetError(
                f"{final}: the injection failed: {exc.strerror or exc}{where}; check free space "
                "and permissions (the source dataset is unchanged)"
            ) from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return manifest


def _iso(micros: int | None) -> str | None:
    if micros is None:
        return None
    return (_EPOCH + timedelta(microseconds=micros)).isoformat().replace("+00:00", "Z")


def _manifest(
    source: DatasetFolder, built: Path, out: str, injection: Mapping[str, Any], con: Any
) -> dict[str, Any]:
    import pyarrow.parquet as pq

    counts = {
        folder.name: sum(pq.ParquetFile(f).metadata.num_rows for f in folder.glob("*.parquet"))
        for folder in sorted(p for p in built.iterdir() if p.is_dir())
    }
    first, last = con.execute(
        "SELECT epoch_us(min(created_at)), epoch_us(max(created_at)) FROM "
        f"read_parquet({_q(built / 'posts' / '*.parquet')})"
    ).fetchall()[0]
    manifest = dict(source.manifest)
    note = (
        f"holds {injection['campaigns']} injected campaign(s) planted in dataset "
        f"'{injection['source_dataset']}' by `plainspoken community inject` (seed "
        f"{injection['seed']}); the ground truth is in {injection['truth']}"
    )
    manifest.update(
        {
            "name": out,
            "counts": counts,
            "time_range": {"first": _iso(first), "last": _iso(last)},
            "notes": [*manifest.get("notes", []), note],
            "injection": dict(injection),
        }
    )
    return manifest
