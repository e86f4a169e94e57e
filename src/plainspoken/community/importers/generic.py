"""Generic tables: CSV, JSONL or Parquet files, with a YAML mapping that names their columns.

The mapping has one entry per dataset table; each names its file and, for each dataset column,
the source column (or a fixed value, a time format, a translation of values)::

    posts:
      file: messages.csv
      columns:
        id: message_id
        thread_id: topic
        kind: {column: type, values: {Q: question, A: answer, C: comment}}
        author_id: user
        created_at: {column: sent, format: "%d/%m/%Y %H:%M"}
        html: body

``posts`` is required. Without a ``threads`` entry, threads are made from the posts (first post
time and author); without ``accounts``, from the post authors; without ``links``, links are
found in the posts' html and text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plainspoken.community.dataset import BATCH_ROWS, Staging
from plainspoken.community.importers.base import ImportResult, Progress
from plainspoken.community.importers.linkrows import LinkRows
from plainspoken.community.markup import html_to_text
from plainspoken.community.values import (
    Where,
    epoch_times,
    formatted_times,
    integers,
    iso_times,
    strings,
)
from plainspoken.engine.schema import POST_KINDS, REACTION_KINDS, SCHEMAS
from plainspoken.errors import InputError

if TYPE_CHECKING:
    import pyarrow as pa

READERS = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")
REQUIRED = {
    "posts": ("id", "kind"),
    "threads": ("id",),
    "accounts": ("id",),
    "reactions": ("id", "kind", "post_id"),
    "links": ("post_id", "url"),
}
ALLOWED = {"posts": POST_KINDS, "reactions": REACTION_KINDS}


@dataclass
class Column:
    """How one dataset column is read: a source column or a fixed value, and its options."""

    source: str | None = None
    value: Any = None
    format: str | None = None
    separator: str = ","
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class TableMap:
    table: str
    file: Path
    label: str
    columns: dict[str, Column]


def _column(spec: Any, where: str) -> Column:
    if isinstance(spec, str):
        return Column(source=spec)
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"column", "value", "format", "separator", "values"}
        if unknown or ("column" in spec) == ("value" in spec):
            raise InputError(
                where,
                "needs either column: NAME or value: FIXED (and optionally format, separator, "
                "values)",
                "see docs/datasets.md for the mapping file",
            )
        values = spec.get("values") or {}
        if not isinstance(values, Mapping):
            raise InputError(where, "values: must map source values to dataset values", "")
        return Column(
            source=None if spec.get("column") is None else str(spec["column"]),
            value=spec.get("value"),
            format=spec.get("format"),
            separator=str(spec.get("separator", ",")),
            values={str(k): v for k, v in values.items()},
        )
    raise InputError(where, f"is {spec!r}: expected a column name or a mapping", "")


def read_mapping(path: Path, source: Path) -> list[TableMap]:
    """The mapping file, checked against the dataset schema (not yet against the files)."""
    import yaml

    label = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(
            label, f"cannot be read ({exc.strerror or exc})", "check the path"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(label, f"not valid YAML ({exc})", "fix the mapping file") from None
    if not isinstance(data, Mapping) or not data:
        raise InputError(label, "must map dataset tables to their files and columns", "")
    tables: list[TableMap] = []
    for table, entry in data.items():
        where = f"{label}: {table}"
        if table not in SCHEMAS:
            raise InputError(where, "is not a dataset table", f"tables: {', '.join(SCHEMAS)}")
        if not isinstance(entry, Mapping) or not isinstance(entry.get("columns"), Mapping):
            raise InputError(where, "needs file: and columns:", "see docs/datasets.md")
        file = entry.get("file")
        if file is None and source.is_file() and len(data) == 1:
            path_of = source
        elif file is None:
            raise InputError(where, "needs file: (the table's file in the source folder)", "")
        else:
            base = source if source.is_dir() else source.parent
            path_of = (base / str(file)) if not Path(str(file)).is_absolute() else Path(str(file))
        if not path_of.is_file():
            raise InputError(str(path_of), "no such file", f"fix file: of {table} in {label}")
        if path_of.suffix.lower() not in READERS:
            raise InputError(str(path_of), "is not CSV, TSV, JSONL or Parquet", "convert it")
        names = SCHEMAS[table].names
        columns = {}
        for name, spec in entry["columns"].items():
            if name not in names:
                raise InputError(
                    f"{where}.{name}", f"is not a column of {table}", f"columns: {', '.join(names)}"
                )
            columns[str(name)] = _column(spec, f"{where}.{name}")
        missing = [c for c in REQUIRED[table] if c not in columns]
        if missing:
            raise InputError(where, f"does not map {', '.join(missing)}", "add it under columns:")
        tables.append(TableMap(table, path_of, path_of.name, columns))
    if not any(t.table == "posts" for t in tables):
        raise InputError(label, "maps no posts table", "add posts: with its file and columns")
    return tables


def _batches(spec: TableMap, batch_rows: int) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa

    wanted = sorted({c.source for c in spec.columns.values() if c.source})
    suffix = spec.file.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            parquet = pq.ParquetFile(spec.file)
            _check_present(spec, parquet.schema_arrow.names)
            yield from parquet.iter_batches(batch_size=batch_rows, columns=wanted)
        elif suffix in (".csv", ".tsv"):
            _check_present(spec, _header(spec.file))
            import pyarrow.csv as pcsv

            reader = pcsv.open_csv(
                spec.file,
                parse_options=pcsv.ParseOptions(delimiter="\t" if suffix == ".tsv" else ","),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict.fromkeys(wanted, pa.string()),
                    include_columns=wanted,
                    strings_can_be_null=True,
                ),
                read_options=pcsv.ReadOptions(block_size=8 << 20),
            )
            yield from reader
        else:
            import pyarrow.json as pjson

            yield from pjson.open_json(spec.file)
    except (pa.ArrowInvalid, OSError) as exc:
        message = str(exc).splitlines()[0]
        raise InputError(spec.label, f"cannot be read ({message})", "check the file") from None


def _header(path: Path) -> list[str]:
    import csv

    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        return next(csv.reader(handle, delimiter=delimiter), [])


def _check_present(spec: TableMap, present: list[str]) -> None:
    for name, column in spec.columns.items():
        if column.source and column.source not in present:
            raise InputError(
                spec.label,
                f"has no column '{column.source}' (mapped to {spec.table}.{name}); its columns "
                f"are {', '.join(present)}",
                "fix the mapping file",
            )


def _convert(
    spec: TableMap, name: str, column: Column, batch: pa.RecordBatch, where: Where
) -> pa.Array[Any]:
    import pyarrow as pa

    target = SCHEMAS[spec.table].field(name).type
    rows = batch.num_rows
    if column.source is None:
        fixed: pa.Array[Any] = pa.array([column.value] * rows).cast(target)
        return fixed
    if column.source not in batch.schema.names:
        _check_present(spec, batch.schema.names)
    raw = batch.column(column.source)
    if column.values:
        raw = pa.array([column.values.get(str(v), v) if v is not None else None
                        for v in raw.to_pylist()])  # fmt: skip
    label = f"{column.source}"
    if pa.types.is_timestamp(target):
        if pa.types.is_timestamp(raw.type):
            return raw.cast(target) if raw.type.tz else raw.cast(pa.timestamp("us")).cast(target)
        if pa.types.is_integer(raw.type) or pa.types.is_floating(raw.type):
            return epoch_times(raw.to_pylist(), label, where)
        values = raw.cast(pa.string()).to_pylist()
        if column.format:
            return formatted_times(values, column.format, label, where)
        return iso_times(values, label, where)
    if pa.types.is_integer(target):
        return integers(raw.to_pylist(), label, where)
    if pa.types.is_list(target):
        if pa.types.is_list(raw.type):
            return raw.cast(target)
        texts = raw.cast(pa.string()).to_pylist()
        return pa.array(
            [
                [t.strip() for t in v.split(column.separator) if t.strip()] if v else []
                for v in texts
            ],
            target,
        )
    return strings(raw.cast(pa.string()).to_pylist())


def _check_allowed(spec: TableMap, array: pa.Array[Any], where: Where) -> None:
    allowed = ALLOWED.get(spec.table)
    if not allowed:
        return
    for i, value in enumerate(array.to_pylist()):
        if value not in allowed:
            raise InputError(
                where(i),
                f"kind is {value!r}",
                f"expected one of {', '.join(allowed)} (translate with values: in the mapping)",
            )


def import_generic(
    source: Path,
    staging: Staging,
    *,
    mapping: Path | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Stage the tables a mapping file names, converting each column to the dataset schema."""
    if mapping is None:
        raise InputError(str(source), "needs a mapping file", "pass --mapping FILE")
    tables = read_mapping(mapping, source)
    mapped = {t.table for t in tables}
    result = ImportResult()
    total = sum(t.file.stat().st_size for t in tables)
    done = 0
    for spec in tables:
        part = staging.part(spec.table, spec.label)
        derived_links = (
            LinkRows(staging.part("links", spec.label))
            if spec.table == "posts" and "links" not in mapped
            else None
        )
        threads = (
            staging.part("threads", spec.label, derived=True)
            if spec.table == "posts" and "threads" not in mapped
            else None
        )
        authors = (
            staging.part("accounts", spec.label, derived=True)
            if spec.table in ("posts", "threads") and "accounts" not in mapped
            else None
        )
        offset = 0
        for batch in _batches(spec, batch_rows):
            start = offset

            def where(i: int, start: int = start, label: str = spec.label) -> str:
                return f"{label} row {start + i + 1}"

            columns = {n: _convert(spec, n, c, batch, where) for n, c in spec.columns.items()}
            if "kind" in columns:
                _check_allowed(spec, columns["kind"], where)
            if spec.table == "posts":
                _derive_posts(columns, derived_links, threads, authors)
            elif spec.table == "threads" and authors is not None and "author_id" in columns:
                authors.add({"id": columns["author_id"]})
            part.add(columns)
            offset += batch.num_rows
        part.close()
        for extra in (derived_links, threads, authors):
            if extra is not None:
                extra.close()
        done += spec.file.stat().st_size
        if progress is not None:
            progress(done, total)
        result.details.setdefault("rows", {})[spec.label] = offset
    return result


def _derive_posts(columns: dict[str, Any], links: Any, threads: Any, authors: Any) -> None:
    html = columns["html"].to_pylist() if "html" in columns else None
    if "text" not in columns and html is not None:
        columns["text"] = strings([html_to_text(h) for h in html])
    if links is not None:
        texts = columns["text"].to_pylist() if "text" in columns else [None] * len(columns["id"])
        for i, post_id in enumerate(columns["id"].to_pylist()):
            h = html[i] if html else None
            if post_id is not None and (h or texts[i]):
                links.add(post_id, h, texts[i])
        links.write()
    if threads is not None and "thread_id" in columns:
        threads.add(
            {
                "id": columns["thread_id"],
                "created_at": columns.get("created_at"),
                "author_id": columns.get("author_id"),
            }
        )
    if authors is not None and "author_id" in columns:
        authors.add({"id": columns["author_id"]})
