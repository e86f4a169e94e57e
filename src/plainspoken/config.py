"""One settings table, declared once, and the documented lookup order.

Lookup order (the first file found wins; command-line flags override any file):

1. ``--config FILE`` given on the command line;
2. ``plainspoken.toml`` in the current directory or the nearest parent directory;
3. ``[tool.plainspoken]`` in ``pyproject.toml``, searched the same way (a directory's
   ``plainspoken.toml`` is preferred over its ``pyproject.toml``);
4. the defaults below.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from plainspoken.errors import ConfigError

LEVELS = ("suggestion", "warning", "error")


@dataclass(frozen=True)
class Setting:
    """A setting's name, default value, help text and validator."""

    name: str
    default: Any
    help: str
    check: Callable[[Any], str | None]


def _is_str(value: Any) -> str | None:
    return None if isinstance(value, str) else "a string"


def _is_str_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    return None if ok else "a list of strings"


def _is_level(value: Any) -> str | None:
    return None if value in (*LEVELS, "none") else "one of " + ", ".join((*LEVELS, "none"))


def _is_score(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100
    return None if ok else "a whole number from 0 to 100"


def _is_positive(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return None if ok else "a positive number"


def _is_count(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "a whole number of at least 1"


def _is_table(value: Any) -> str | None:
    return None if isinstance(value, dict) else "a table"


ENGINES = ("duckdb", "spark")


def _is_engine(value: Any) -> str | None:
    return None if value in ENGINES else "one of " + ", ".join(ENGINES)


def _is_spark_master(value: Any) -> str | None:
    pattern = r"local(\[(\d+|\*)\])?|(spark|mesos|k8s)://\S+|yarn"
    ok = isinstance(value, str) and re.fullmatch(pattern, value) is not None
    return None if ok else "local, local[N], local[*], spark://HOST:PORT, k8s://URL or yarn"


def _is_memory(value: Any) -> str | None:
    pattern = r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)"
    ok = isinstance(value, str) and re.fullmatch(pattern, value, re.IGNORECASE) is not None
    return None if ok else "a size such as '512MB' or '2GB'"


SETTINGS: tuple[Setting, ...] = (
    Setting("audience", "it-practitioner", "Audience profile used when none is given.", _is_str),
    Setting(
        "fail_level",
        "error",
        "Lowest finding level that makes `check` exit 1 (suggestion, warning, error, none).",
        _is_level,
    ),
    Setting("fail_under", 0, "`check` exits 1 when a document scores below this.", _is_score),
    Setting("disable", [], "Rule ids or categories to switch off.", _is_str_list),
    Setting("ignore", [], "Glob patterns of files to skip when checking folders.", _is_str_list),
    Setting("rule_packs", [], "Extra YAML rule packs to load (paths).", _is_str_list),
    Setting(
        "vocabulary_accept",
        [],
        "Words and names never flagged (product names, accepted terms).",
        _is_str_list,
    ),
    Setting(
        "vocabulary_reject",
        [],
        "Extra words and phrases to flag as buzzwords in this workspace.",
        _is_str_list,
    ),
    Setting("max_file_mb", 20, "Files larger than this many megabytes are refused.", _is_positive),
    Setting(
        "annotation_limit",
        50,
        "Most GitHub annotations printed by `--format github` before a summary line.",
        _is_positive,
    ),
    Setting(
        "audiences",
        {},
        "Custom audience profiles: [audiences.NAME] with base, description, weights, "
        "disable and params.",
        _is_table,
    ),
    Setting(
        "engine",
        "duckdb",
        "Analysis engine for community datasets: duckdb (embedded) or spark.",
        _is_engine,
    ),
    Setting(
        "spark_master",
        "local[2]",
        "Spark master URL used when engine is spark (local[N] or a cluster URL).",
        _is_spark_master,
    ),
    Setting(
        "duckdb_memory_limit",
        "1.5GB",
        "Memory DuckDB may use before it spills to disk (e.g. 512MB, 2GB); the default leaves "
        "room in a 2 GB budget for what the analyses hold in Python.",
        _is_memory,
    ),
    Setting(
        "duckdb_stage_threads",
        1,
        "Threads DuckDB runs a staged query on (the authenticity analysis's numbered posts): "
        "each thread keeps its own window, join and sort states, and on two threads a "
        "22.7M-post community ran out of a 1.5GB limit; raise it with duckdb_memory_limit.",
        _is_count,
    ),
    Setting(
        "database_url",
        "",
        "App database of the web workbench (SQLAlchemy URL, e.g. "
        "postgresql+psycopg://USER@HOST/DB); empty means plainspoken.db in the workspace.",
        _is_str,
    ),
    Setting(
        "upload_mb",
        200,
        "Largest upload the web workbench accepts (community dumps), in megabytes; "
        "documents to check are also held to max_file_mb.",
        _is_positive,
    ),
    Setting(
        "import_roots",
        ["imports"],
        "Folders (relative to the workspace, or absolute) the web workbench may import "
        "community dumps from by server path; nothing outside them can be named.",
        _is_str_list,
    ),
    Setting(
        "session_hours",
        12,
        "Hours a web login lasts before the session expires.",
        _is_positive,
    ),
    Setting(
        "login_attempts",
        5,
        "Failed web logins allowed per user name or address in 15 minutes before logins "
        "are refused for a while.",
        _is_positive,
    ),
    Setting(
        "session_secret_file",
        "",
        "File holding the key that signs web session cookies (created with mode 0600); "
        "empty means .session-secret in the workspace.",
        _is_str,
    ),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings and the file they came from (None means defaults only)."""

    values: Mapping[str, Any] = field(default_factory=lambda: {s.name: s.default for s in SETTINGS})
    source: Path | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def with_overrides(self, **overrides: Any) -> Settings:
        merged = dict(self.values)
        for name, value in overrides.items():
            if value is not None:
                _validate(name, value, "command line")
                merged[name] = value
        return replace(self, values=merged)


def _line_of(text: str, key: str) -> int:
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _validate(name: str, value: Any, where: str) -> None:
    if name not in BY_NAME:
        valid = ", ".join(sorted(BY_NAME))
        raise ConfigError(f"{where}: unknown setting '{name}' (valid settings: {valid})")
    problem = BY_NAME[name].check(value)
    if problem:
        raise ConfigError(f"{where}: setting '{name}' is {value!r}, expected {problem}")


def parse(text: str, path: Path, table: str | None = None) -> dict[str, Any]:
    """Parse settings from TOML text; ``table`` selects e.g. ``tool.plainspoken``."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if table:
        for part in table.split("."):
            data = data.get(part, {})
            if not isinstance(data, dict):
                raise ConfigError(f"{path}: [{table}] must be a table")
    for name, value in data.items():
        _validate(name, value, f"{path}:{_line_of(text, name)}")
    return data


def find_config(start: Path) -> tuple[Path, str | None] | None:
    """Return the settings file that applies to ``start`` and the table inside it."""
    for directory in (start.resolve(), *start.resolve().parents):
        own = directory / "plainspoken.toml"
        if own.is_file():
            return own, None
        project = directory / "pyproject.toml"
        if project.is_file():
            try:
                data = tomllib.loads(project.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                continue
            if isinstance(data.get("tool"), dict) and "plainspoken" in data["tool"]:
                return project, "tool.plainspoken"
    return None


def load_settings(config: Path | None = None, start: Path | None = None) -> Settings:
    """Resolve settings by the documented lookup order."""
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: settings file not found (check the --config path)")
        table = "tool.plainspoken" if config.name == "pyproject.toml" else None
        found: tuple[Path, str | None] | None = (config, table)
    else:
        found = find_config(start or Path.cwd())
    values = {s.name: s.default for s in SETTINGS}
    if found is None:
        return Settings(values, None)
    path, table = found
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read settings ({exc})") from exc
    values.update(parse(text, path, table))
    return Settings(values, path)


def describe(settings: Settings) -> list[tuple[str, Any, str]]:
    """Rows of (name, value, help) for `plainspoken config show`."""
    return [(s.name, settings[s.name], s.help) for s in SETTINGS]
