"""Community statistics: counts, activity, reply latency and the base rates detectors judge by.

``stats`` computes the numbers once, with the named engine queries; ``reports.stats`` draws
them as text, JSON or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from plainspoken.community.session import engine_on
from plainspoken.config import Settings
from plainspoken.engine import QUERIES, Engine, open_folder
from plainspoken.errors import DatasetError, UsageError
from plainspoken.workspace import Workspace, open_workspace

PERCENTILES = ("p10", "p25", "p50", "p75", "p90")
SHARES = ("share_young_day", "share_young_week", "share_first_post", "share_fast_threads")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class MonthActivity:
    """Posts of one kind created in one calendar month (UTC, ``YYYY-MM``)."""

    month: str
    kind: str
    posts: int


@dataclass(frozen=True)
class LatencyBucket:
    """Answers that came ``lower_seconds`` to ``upper_seconds`` after their question."""

    lower_seconds: int
    upper_seconds: int | None
    answers: int


@dataclass(frozen=True)
class ReplyLatency:
    """How long questions wait for each answer: percentiles (seconds) and a log histogram."""

    answers: int
    percentiles: Mapping[str, float | None]
    histogram: tuple[LatencyBucket, ...]


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class BaseRates:
    """One month's base rates (or all months', with ``month == "all"``).

    Answer counts are by the answer's month; thread counts by the thread's month. Account age
    is known when the author is in ``accounts`` and was created before answering.
    """

    month: str
    answers: int
    answers_with_account_age: int
    answers_young_day: int
    answers_young_week: int
    answers_first_post: int
    threads: int
    threads_fast_answers: int

    @property
    def share_young_day(self) -> float | None:
        """Share of answers (with a known account age) by accounts younger than one day."""
        return _share(self.answers_young_day, self.answers_with_account_age)

    @property
    def share_young_week(self) -> float | None:
        """Share of answers (with a known account age) by accounts younger than seven days."""
        return _share(self.answers_young_week, self.answers_with_account_age)

    @property
    def share_first_post(self) -> float | None:
        """Share of answers that are their author's first post of any kind."""
        return _share(self.answers_first_post, self.answers)

    @property
    def share_fast_threads(self) -> float | None:
        """Share of threads with two or more answers within an hour of the question."""
        return _share(self.threads_fast_answers, self.threads)

    def share(self, name: str) -> float | None:
        """One of the ``SHARES`` by name."""
        if name not in SHARES:
            raise UsageError(f"unknown share '{name}' (shares: {', '.join(SHARES)})")
        value: float | None = getattr(self, name)
        return value

    def to_dict(self) -> dict[str, Any]:
        """The counts and, for each of ``SHARES``, the share (null when nothing to divide by)."""
        return {**asdict(self), **{name: self.share(name) for name in SHARES}}


@dataclass(frozen=True)
class CommunityStats:
    """Everything ``plainspoken community stats`` reports about one dataset (numbers only)."""

    dataset: str
    engine: str
    counts: Mapping[str, int]
    activity: tuple[MonthActivity, ...]
    latency: ReplyLatency
    base_rates: tuple[BaseRates, ...]
    overall: BaseRates
    time_range: tuple[str, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)

    @property
    def months(self) -> tuple[str, ...]:
        """Every month that has posts or threads, in order."""
        found = {a.month for a in self.activity} | {r.month for r in self.base_rates}
        return tuple(sorted(found))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (schema version 1)."""
        return {
            "version": 1,
            "dataset": self.dataset,
            "engine": self.engine,
            "time_range": list(self.time_range),
            "counts": dict(self.counts),
            "activity": [asdict(a) for a in self.activity],
            "reply_latency": {
                "answers": self.latency.answers,
                "percentiles_seconds": dict(self.latency.percentiles),
                "histogram": [asdict(b) for b in self.latency.histogram],
            },
            "base_rates": {
                "parameters": dict(self.parameters),
                "overall": self.overall.to_dict(),
                "by_month": [r.to_dict() for r in self.base_rates],
            },
        }


def dataset_folder(workspace: Workspace, name: str) -> Path:
    """The folder of dataset ``name`` in the workspace, or a message listing the datasets."""
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"'{name}' is not a dataset name (letters, digits, '.', '_' and '-'; no paths)"
        )
    folder = workspace.datasets / name
    if folder.is_dir():
        return folder
    existing = sorted(
        p.name
        for p in (workspace.datasets.iterdir() if workspace.datasets.is_dir() else ())
        if p.is_dir() and _NAME.fullmatch(p.name)
    )
    listed = ", ".join(existing) if existing else "none yet"
    raise DatasetError(
        f"{workspace.datasets}: no dataset '{name}' (datasets: {listed}; "
        "create one with `plainspoken community import`)"
    )


def _rates(row: Mapping[str, Any], month: str | None = None) -> BaseRates:
    names = [f for f in BaseRates.__dataclass_fields__ if f != "month"]
    return BaseRates(month or str(row["month"]), *(int(row[n] or 0) for n in names))


def _overall(rows: list[BaseRates]) -> BaseRates:
    names = [f for f in BaseRates.__dataclass_fields__ if f != "month"]
    return _rates({n: sum(getattr(r, n) for r in rows) for n in names}, "all")


def compute(engine: Engine) -> CommunityStats:
    """The statistics of the dataset registered on ``engine``."""
    dataset = engine.dataset
    if dataset is None:
        raise ValueError("register a dataset on the engine first")
    counts = {r["table_name"]: int(r["row_count"]) for r in engine.rows("table_counts")}
    activity = tuple(
        MonthActivity(str(r["month"]), str(r["kind"]), int(r["posts"]))
        for r in engine.rows("posts_by_month")
    )
    summary = engine.rows("reply_latency_percentiles")[0]
    histogram = tuple(
        LatencyBucket(int(r["lower_seconds"]), _int_or_none(r["upper_seconds"]), int(r["answers"]))
        for r in engine.rows("reply_latency_histogram")
    )
    latency = ReplyLatency(
        int(summary["answers"]),
        {p: _float_or_none(summary[p]) for p in PERCENTILES},
        histogram,
    )
    rates = [_rates(r) for r in engine.rows("base_rates_by_month")]
    return CommunityStats(
        dataset=dataset.name,
        engine=engine.name,
        counts=counts,
        activity=activity,
        latency=latency,
        base_rates=tuple(rates),
        overall=_overall(rates),
        time_range=_time_range(dataset.manifest.get("time_range")),
        parameters=dict(QUERIES["base_rates_by_month"].params),
    )


def _time_range(value: Any) -> tuple[str, ...]:
    """The manifest's time range as (first, last): a two-item list or a {start, end} object."""
    if isinstance(value, Mapping):
        value = [value.get("start") or value.get("first"), value.get("end") or value.get("last")]
    if isinstance(value, list | tuple) and len(value) == 2 and all(value):
        return (str(value[0]), str(value[1]))
    return ()


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def stats(
    name: str,
    workspace: Path = Path(),
    *,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
) -> CommunityStats:
    """Statistics of dataset ``name`` in ``workspace``.

    ``engine`` is ``"duckdb"``, ``"spark"``, an already started ``Engine`` (left open), or
    None for the ``engine`` setting. Raises ``DatasetError`` for a missing dataset or table and
    a schema version this release cannot read.
    """
    ws = open_workspace(workspace)
    folder = dataset_folder(ws, name)
    open_folder(folder)  # a missing table or an old schema is reported before an engine starts
    with engine_on(folder, ws, engine, settings) as started:
        return compute(started)
