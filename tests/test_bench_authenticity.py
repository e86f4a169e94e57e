"""The authenticity benchmark reads each report's threads a line at a time; it must see what
a whole parse of the same report sees."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from plainspoken.community.authenticity.result import (
    AuthenticityResult,
    Evidence,
    Signal,
    ThreadTable,
)
from plainspoken.reports.authenticity import to_json

_BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_authenticity.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_authenticity", _BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _report(tmp_path: Path, count: int) -> Path:
    threads = ThreadTable(
        ids=[f"t{i}" for i in range(count)],
        titles=['a "quoted", title]' for _ in range(count)],
        codes=np.arange(count, dtype=np.int64),
        slots=np.arange(count, dtype=np.int64),
        scores=np.linspace(9.0, 0.5, count),
        flagged=np.arange(count) == 0,
        signals=lambda slot: {"burst": Signal(1, 2, 0.1, 1.5)},
        details={0: ((Evidence("burst", "1 of 2 ],", 1.5, post_ids=("p1",)),), (), ())},
    )
    result = AuthenticityResult("d", "duckdb", threads, (), (), {"burst": 0.1}, {"x": 1.0})
    path = tmp_path / f"report-{count}.json"
    path.write_text(to_json(result), encoding="utf-8")
    return path


def test_threads_read_line_by_line_equal_the_whole_parse(tmp_path: Path) -> None:
    bench = _bench()
    path = _report(tmp_path, 3)
    whole = json.loads(path.read_text(encoding="utf-8"))["threads"]
    assert dict(bench._threads(path)) == {t["thread_id"]: (t["flagged"], t["score"]) for t in whole}
    assert len(whole) == 3


def test_a_report_without_threads_gives_none(tmp_path: Path) -> None:
    assert dict(_bench()._threads(_report(tmp_path, 0))) == {}
