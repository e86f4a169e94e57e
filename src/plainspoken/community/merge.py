"""Assembling staged parts into a dataset folder, out of core, in DuckDB.

``finish`` checks that no id repeats within a source file (or across the files of one
import), looks up the threads that importers could not know while streaming (a comment's
thread is its post's thread; a link to an answer points to the answer's thread), and merges
with the previous version of the dataset: rows of this import replace rows with the same id,
and a post's links are those of its newest version. Parts that need no change are moved or
hard-linked, never copied; the others are rewritten in batches, in the dataset schema.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plainspoken.community.dataset import TARGET_POST, Part, Staging, extra_schemas, table_from
from plainspoken.engine.folder import TABLES
from plainspoken.engine.schema import SCHEMAS
from plainspoken.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

_BATCH = 100_000


def _q(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _files(paths: Iterable[Path]) -> str:
    return "read_parquet([" + ", ".join(_q(p) for p in paths) + "])"


def schema_of(table: str) -> pa.Schema:
    """The final schema of a dataset table or of an extra table."""
    return SCHEMAS[table] if table in SCHEMAS else extra_schemas()[table]


def table_files(root: Path, table: str) -> list[Path]:
    """The Parquet files of ``table`` in a dataset folder (either layout)."""
    single = root / f"{table}.parquet"
    if single.is_file():
        return [single]
    folder = root / table
    return sorted(folder.glob("*.parquet")) if folder.is_dir() else []


@dataclass
class _Assembly:
    con: Any
    staging: Staging
    out: Path
    previous: Path | None
    stamp: str
    count: int = 0

    def name(self) -> str:
        self.count += 1
        return f"{self.stamp}-{self.count:04d}.parquet"

    def target(self, table: str, name: str | None = None) -> Path:
        folder = self.out / table
        folder.mkdir(parents=True, exist_ok=True)
        return folder / (name or self.name())

    def write(self, sql: str, table: str, name: str | None = None) -> int:
        """Write the rows of ``sql`` as one part of ``table``; no file when there are none."""
        import pyarrow.parquet as pq

        schema = schema_of(table)
        reader = self.con.sql(sql).to_arrow_reader(_BATCH)
        writer = None
        rows = 0
        path = self.target(table, name)
        try:
            for batch in reader:
                if batch.num_rows == 0:
                    continue
                chunk = table_from(
                    {n: batch.column(n) for n in schema.names if n in batch.schema.names},
                    schema,
                )
                if writer is None:
                    writer = pq.ParquetWriter(path, schema, compression="snappy")
                writer.write_table(chunk)
                rows += chunk.num_rows
        finally:
            if writer is not None:
                writer.close()
        return rows


def _check_duplicates(con: Any, staging: Staging) -> None:
    keyed = [p for p in staging.parts if p.table != "links" and not p.derived]
    for part in keyed:
        if part.increasing:
            continue  # ids rose row by row: none repeats
        found = con.execute(
            f"SELECT id, count(*) AS n FROM {_files([part.path])} WHERE id IS NOT NULL "
            "GROUP BY id HAVING count(*) > 1 ORDER BY n DESC, id LIMIT 1"
        ).fetchall()
        if found:
            found = found[0]
            raise InputError(
                part.source,
                f"{part.id_label} {part.source_id(found[0])} is on {found[1]} rows",
                "each row needs its own id: is the file two dumps joined together?",
            )
    tables = {p.table for p in keyed}
    for table in sorted(tables):
        parts = [p for p in keyed if p.table == table]
        if len(parts) < 2 or _disjoint(parts):
            continue
        union = " UNION ALL ".join(
            f"SELECT id, {i} AS p FROM {_files([p.path])}" for i, p in enumerate(parts)
        )
        found = con.execute(
            f"SELECT id, min(p), max(p) FROM ({union}) WHERE id IS NOT NULL GROUP BY id "
            "HAVING min(p) <> max(p) ORDER BY id LIMIT 1"
        ).fetchall()
        if found:
            found = found[0]
            first, second = parts[found[1]], parts[found[2]]
            raise InputError(
                f"{first.source} and {second.source}",
                f"both hold {table} id {first.source_id(found[0])}",
                "import them one at a time: a later import replaces rows by id",
            )


def _disjoint(parts: list[Part]) -> bool:
    """Whether ids cannot repeat across these parts: numbers, each part with its own prefix
    (Stack Exchange posts ``12`` and comments ``c12``)."""
    prefixes = [p.id_prefix for p in parts]
    return all(p.increasing for p in parts) and len(set(prefixes)) == len(prefixes)


def _new_ids(asm: _Assembly, table: str) -> str | None:
    """A temp table of the ids this import brings for ``table`` (None when it brings none)."""
    parts = asm.staging.of(table)
    if not parts or "id" not in schema_of(table).names:
        return None
    name = f"new_ids_{table}"
    asm.con.execute(
        f"CREATE TEMP TABLE {name} AS SELECT DISTINCT id FROM {_files(p.path for p in parts)} "
        "WHERE id IS NOT NULL"
    )
    return name


def _thread_map(asm: _Assembly, new_posts: str | None) -> None:
    known = [p.path for p in asm.staging.of("posts") if not p.resolve_threads]
    selects = [f"SELECT id, thread_id FROM {_files(known)}"] if known else []
    old = table_files(asm.previous, "posts") if asm.previous else []
    if old:
        anti = f" ANTI JOIN {new_posts} n ON o.id = n.id" if new_posts else ""
        selects.append(f"SELECT o.id, o.thread_id FROM {_files(old)} o{anti}")
    if not selects:
        selects = ["SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS thread_id WHERE false"]
    asm.con.execute(
        "CREATE TEMP TABLE thread_map AS SELECT id, any_value(thread_id) AS thread_id FROM ("
        + " UNION ALL ".join(selects)
        + ") WHERE id IS NOT NULL AND thread_id IS NOT NULL GROUP BY id"
    )


def _place_new(asm: _Assembly) -> None:
    for part in asm.staging.parts:
        if part.table == "links" or part.derived:
            continue
        if part.resolve_threads:
            asm.write(
                "SELECT p.* REPLACE (coalesce(p.thread_id, m.thread_id) AS thread_id) "
                f"FROM {_files([part.path])} p LEFT JOIN thread_map m ON m.id = p.parent_id",
                part.table,
            )
        elif part.rows:
            moved = asm.target(part.table)
            part.path.replace(moved)
            part.path = moved  # later queries (derived rows) read it where it now is
    link_parts = asm.staging.of("links")
    resolved = (
        "SELECT l.post_id, l.url, l.canonical_url, l.domain, "
        f"coalesce(l.target_thread_id, m.thread_id) AS target_thread_id FROM {{src}} l "
        f"LEFT JOIN thread_map m ON m.id = l.{TARGET_POST}"
    )
    written: list[Path] = []
    for part in (p for p in link_parts if not p.supplement):
        name = asm.name()
        if asm.write(resolved.format(src=_files([part.path])), "links", name):
            written.append(asm.out / "links" / name)
    for part in (p for p in link_parts if p.supplement):
        # Only for posts in the dataset (PostLinks also names tag wikis and deleted posts).
        query = (
            f"SELECT * FROM ({resolved.format(src=_files([part.path]))}) s "
            "WHERE s.post_id IN (SELECT id FROM thread_map)"
        )
        if written:
            query += (
                f" AND NOT EXISTS (SELECT 1 FROM {_files(written)} b WHERE "
                "b.post_id = s.post_id AND b.target_thread_id = s.target_thread_id)"
            )
        asm.write(query, "links")
    for table, sql in _DERIVED.items():
        derived = [p.path for p in asm.staging.of(table) if p.derived]
        if not derived:
            continue
        real = [p.path for p in asm.staging.of(table) if not p.derived]
        anti = f" ANTI JOIN {_files(real)} r ON d.id = r.id" if real else ""
        asm.write(sql.format(src=f"{_files(derived)} d{anti}"), table)


# Rows seen only through other rows (a post's author, a post's thread), one per id; a real
# row with the same id wins.
_DERIVED = {
    "accounts": "SELECT d.id, coalesce(arg_min(d.name, d.created_at), max(d.name)) AS name, "
    "min(d.created_at) "
    "AS created_at FROM {src} WHERE d.id IS NOT NULL GROUP BY d.id",
    "threads": "SELECT d.id, coalesce(arg_min(d.title, d.created_at), max(d.title)) AS title, "
    "min(d.created_at) AS created_at, "
    "coalesce(arg_min(d.author_id, d.created_at), max(d.author_id)) AS author_id FROM {src} "
    "WHERE d.id IS NOT NULL GROUP BY d.id",
}


def _carry_previous(asm: _Assembly, new_ids: dict[str, str | None]) -> None:
    import pyarrow.parquet as pq

    assert asm.previous is not None
    tables = [*TABLES, *(t for t in extra_schemas() if table_files(asm.previous, t))]
    for table in tables:
        key, ids = ("post_id", new_ids["posts"]) if table == "links" else ("id", new_ids[table])
        for old in table_files(asm.previous, table):
            if pq.ParquetFile(old).metadata.num_rows == 0:
                continue  # an empty table's placeholder: _fill_empty writes one if needed
            superseded = 0
            if ids is not None:
                superseded = asm.con.execute(
                    f"SELECT count(*) FROM {_files([old])} o SEMI JOIN {ids} n ON o.{key} = n.id"
                ).fetchall()[0][0]
            name = old.name if old.parent.name == table else f"{old.stem}-previous.parquet"
            if superseded == 0:
                _link_or_copy(old, asm.target(table, name))
            else:
                asm.write(
                    f"SELECT o.* FROM {_files([old])} o ANTI JOIN {ids} n ON o.{key} = n.id",
                    table,
                    name,
                )


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _fill_empty(asm: _Assembly) -> None:
    import pyarrow.parquet as pq

    tables = [*TABLES, *(t for t in extra_schemas() if asm.staging.of(t))]
    if asm.previous is not None:
        tables += [t for t in extra_schemas() if table_files(asm.previous, t) and t not in tables]
    for table in tables:
        if not table_files(asm.out, table):
            pq.write_table(table_from({}, schema_of(table)), asm.target(table))


def finish(
    staging: Staging,
    out: Path,
    previous: Path | None,
    *,
    stamp: str,
    spill: Path,
    memory_limit: str = "1GB",
) -> dict[str, Any]:
    """Check the staged parts and write the dataset's tables into ``out``.

    Returns the row count of every table and the first and last post times.
    """
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    spill.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(
        ":memory:",
        config={
            "memory_limit": memory_limit,
            "temp_directory": str(spill),
            "preserve_insertion_order": False,
        },
    )
    try:
        con.execute("SET TimeZone = 'UTC'")
        _check_duplicates(con, staging)
        asm = _Assembly(con, staging, out, previous, stamp)
        new_ids = {t: _new_ids(asm, t) for t in (*TABLES, *extra_schemas())}
        _thread_map(asm, new_ids["posts"])
        _place_new(asm)
        if previous is not None:
            _carry_previous(asm, new_ids)
        _fill_empty(asm)
        return _summary(con, out)
    finally:
        con.close()


def _summary(con: Any, out: Path) -> dict[str, Any]:
    import pyarrow.parquet as pq

    counts: dict[str, int] = {}
    for folder in sorted(p for p in out.iterdir() if p.is_dir()):
        counts[folder.name] = sum(
            pq.ParquetFile(f).metadata.num_rows for f in folder.glob("*.parquet")
        )
    first = last = None
    if counts.get("posts"):
        row = con.execute(
            "SELECT epoch_us(min(created_at)), epoch_us(max(created_at)) FROM "
            f"read_parquet({_q((out / 'posts').as_posix() + '/*.parquet')})"
        ).fetchall()[0]
        first, last = (None if v is None else _moment(v) for v in row)
    return {"counts": counts, "first": first, "last": last}


def _moment(micros: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)
